-- title: Quote win rate by salesperson
-- description: Quotes, won, lost and open per salesperson, with win rate (won / decided) and average quote value.
-- category: benchmarking
-- param: since date = 1900-01-01 | First quote date included
-- param: until date = 2999-12-31 | Last quote date included
-- param: source text = null | Only this source (default: every source)
select coalesce(q.salesperson, '(none)') as salesperson, count(*) as quotes,
	count(*) filter (where q.status = 'won') as won,
	count(*) filter (where q.status = 'lost') as lost,
	count(*) filter (where q.status = 'open') as open,
	round(100.0 * count(*) filter (where q.status = 'won') / nullif(count(*) filter (where q.status in ('won', 'lost')), 0), 1) as win_rate_pct,
	round(avg(q.amount), 2) as avg_quote_value
from sales_quotes q
where q.quote_date between :since and :until and (:source is null or q.source = :source)
group by 1
order by win_rate_pct desc nulls last, quotes desc
