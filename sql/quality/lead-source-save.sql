-- Saves one lead source's counts; a row only when they changed ($1 name, $2 quotes, $3 won, $4 first seen, $5 last seen).
insert into lead_sources (name, quotes, won, first_seen, last_seen) values ($1, $2, $3, $4, $5)
on conflict (name) do update set quotes = excluded.quotes, won = excluded.won, first_seen = excluded.first_seen,
  last_seen = excluded.last_seen, updated_at = now()
where (lead_sources.quotes, lead_sources.won, lead_sources.first_seen, lead_sources.last_seen)
  is distinct from (excluded.quotes, excluded.won, excluded.first_seen, excluded.last_seen)
