/**
 * Customer metrics. Definitions chosen here:
 * - a customer is active in a period when they have a line there that makes an order
 *   (transaction_data.is_order: not a cancellation, net sales above zero; lines without a
 *   customer count towards revenue, not customers);
 * - a customer is new in the period of their first such line, over all history of the source;
 * - a customer churns on the day CHURN_DAYS pass after an order with no further order: counted
 *   in the period that day falls in, and only once that day is within the data (a customer whose
 *   last order was 30 days before the data end has not churned yet). A customer who comes back
 *   and leaves again churns again.
 */
import type { MetricDefinition, SqlContext } from "../types.ts";
import {
	ALL_GRAINS,
	CUSTOMER_DIMENSIONS,
	distinctPerPeriod,
	lineMetric,
	revenuePerDistinct,
	rollable,
} from "./common.ts";

/** Days without an order after which a customer counts as churned. */
export const CHURN_DAYS = 90;

function newCustomersSql(ctx: SqlContext): string {
	const filter = ctx.filter("customers");
	return `with firsts as (
	select t.source, t.customer, min(t.posting_date) as first_date
	from ${ctx.lines} t
	where t.is_order and t.customer is not null ${ctx.source("t")}
	group by 1, 2
)
select ${ctx.period("f.first_date")} as period, count(*) as value
from firsts f left join customer_master c on c.source = f.source and c.customer = f.customer
where f.first_date >= ${ctx.from} and f.first_date < ${ctx.to} ${filter}
group by 1`;
}

function churnedCustomersSql(ctx: SqlContext): string {
	const days = ctx.bind(CHURN_DAYS, "int");
	const filter = ctx.filter("customers");
	return `with order_days as (
	select distinct t.source, t.customer, t.posting_date as d
	from ${ctx.lines} t
	where t.is_order and t.customer is not null ${ctx.source("t")}
), gaps as (
	select source, customer, d, lead(d) over (partition by source, customer order by d) as next_d
	from order_days
), known as (
	select max(t.posting_date) as max_d from ${ctx.lines} t where true ${ctx.source("t")}
), events as (
	select g.source, g.customer, g.d + ${days} as churn_date
	from gaps g cross join known k
	where (g.next_d is null or g.next_d > g.d + ${days}) and g.d + ${days} <= k.max_d
)
select ${ctx.period("e.churn_date")} as period, count(*) as value
from events e left join customer_master c on c.source = e.source and c.customer = e.customer
where e.churn_date >= ${ctx.from} and e.churn_date < ${ctx.to} ${filter}
group by 1`;
}

export const CUSTOMER_METRICS: readonly MetricDefinition[] = [
	lineMetric({
		id: "active_customers",
		label: "active customers",
		synonyms: ["customers", "buyers", "active accounts", "customer count"],
		description:
			"Distinct customers with an order in the period (a line that is not a cancellation, net sales above zero).",
		unit: "count",
		noun: { one: "active customer", many: "customers" },
		builtFrom: [],
		flow: true,
		summable: false,
		requires: [],
		sql: distinctPerPeriod("customer"),
	}),
	{
		id: "new_customers",
		label: "new customers",
		synonyms: ["acquired customers", "first time customers", "acquisitions"],
		description:
			"Customers whose first order (a line that is not a cancellation, net sales above zero) falls in the period.",
		unit: "count",
		noun: { one: "new customer", many: "customers" },
		defaultGrain: "month",
		grains: ALL_GRAINS,
		dimensions: CUSTOMER_DIMENSIONS,
		builtFrom: [],
		flow: true,
		base: "customers",
		requires: [],
		// A customer's first month is the month of their first day: the monthly rollup will do.
		sql: rollable(newCustomersSql, { finest: "month" }),
	},
	{
		id: "churned_customers",
		label: "churned customers",
		synonyms: ["churn", "lost customers", "churned"],
		description: `Customers who reached ${CHURN_DAYS} days without an order in the period (counted on day ${CHURN_DAYS} after their last order).`,
		unit: "count",
		noun: { one: "churned customer", many: "customers" },
		defaultGrain: "month",
		grains: ALL_GRAINS,
		dimensions: CUSTOMER_DIMENSIONS,
		builtFrom: [],
		flow: true,
		base: "customers",
		requires: [],
		// Churn is counted from the day of the last order: the daily rollup, not the monthly one.
		sql: rollable(churnedCustomersSql, { finest: "day" }),
	},
	lineMetric({
		id: "revenue_per_customer",
		label: "revenue per customer",
		synonyms: [
			"arpu",
			"average revenue per customer",
			"spend per customer",
			"revenue per account",
		],
		description: "Revenue divided by active customers.",
		unit: "currency",
		builtFrom: ["revenue", "active_customers"],
		flow: false,
		ratioOfTotals: true,
		requires: [],
		sql: revenuePerDistinct("customer"),
	}),
];
