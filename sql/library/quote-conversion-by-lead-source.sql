-- title: Quote conversion by lead source
-- description: Quotes, win rate and won value per lead source.
-- category: pipeline
-- param: since date = 1900-01-01 | First quote date included
-- param: until date = 2999-12-31 | Last quote date included
-- param: source text = null | Only this source (default: every source)
select coalesce(nullif(trim(q.lead_source), ''), '(unknown)') as lead_source, count(*) as quotes,
	count(*) filter (where q.status = 'won') as won,
	round(100.0 * count(*) filter (where q.status = 'won') / nullif(count(*) filter (where q.status in ('won', 'lost')), 0), 1) as win_rate_pct,
	round(sum(q.amount) filter (where q.status = 'won'), 2) as won_value
from sales_quotes q
where q.quote_date between :since and :until and (:source is null or q.source = :source)
group by 1
order by quotes desc
