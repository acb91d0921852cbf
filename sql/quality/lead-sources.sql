-- Lead sources compiled from all quotes (every source), spelled as most quotes spell them.
-- Variants differing only in case and spacing are one source.
with q as (
	select lower(regexp_replace(trim(lead_source), '\s+', ' ', 'g')) as k, trim(lead_source) as spelling,
		status, quote_date
	from sales_quotes where lead_source is not null and trim(lead_source) <> ''
), spelled as (
	select distinct on (k) k, spelling from q group by k, spelling order by k, count(*) desc, spelling
)
select s.spelling as name, count(*)::int as quotes, (count(*) filter (where q.status = 'won'))::int as won,
	min(q.quote_date) as first_seen, max(q.quote_date) as last_seen
from q join spelled s using (k)
group by s.spelling
order by s.spelling
