/**
 * Sales metrics over order lines. Definitions: revenue is net of cancellations (credit lines
 * carry negative net_sales and count against their posting period); orders, order lines and
 * customers count only lines that are not cancellations; cost metrics read total_cogs /
 * gross_margin and are null for a period in which no line carries a cost ("no cost data").
 */
import type { MetricDefinition } from "../types.ts";
import {
	distinctPerPeriod,
	lineMetric,
	linesAggregate,
	revenuePerDistinct,
} from "./common.ts";

export const SALES_METRICS: readonly MetricDefinition[] = [
	lineMetric({
		id: "revenue",
		label: "revenue",
		synonyms: ["sales", "net sales", "income", "total sales", "net revenue"],
		description:
			"Net sales of every order line posted in the period, cancellations subtracted.",
		unit: "currency",
		builtFrom: [
			"active_customers",
			"revenue_per_customer",
			"orders",
			"average_order_value",
		],
		flow: true,
		requires: [],
		sql: linesAggregate("sum(t.net_sales)", "sum(t.net_sales)"),
	}),
	lineMetric({
		id: "cogs",
		label: "COGS",
		synonyms: ["cost of goods sold", "cost of sales", "costs", "cost"],
		description:
			"Cost of goods sold of the lines posted in the period; null when no line carries a cost.",
		unit: "currency",
		builtFrom: [],
		flow: true,
		requires: ["cost"],
		sql: linesAggregate("sum(t.total_cogs)", "sum(t.total_cogs)"),
	}),
	lineMetric({
		id: "gross_margin",
		label: "gross margin",
		synonyms: ["margin", "gross profit", "profit", "gm"],
		description:
			"Net sales minus cost of goods sold over the lines that carry a cost.",
		unit: "currency",
		builtFrom: ["revenue", "cogs"],
		flow: true,
		requires: ["cost"],
		sql: linesAggregate("sum(t.gross_margin)", "sum(t.gross_margin)"),
	}),
	lineMetric({
		id: "margin_pct",
		label: "margin %",
		synonyms: [
			"margin percent",
			"gross margin percent",
			"gross margin %",
			"gm %",
			"margin rate",
			"margin pct",
		],
		description:
			"Gross margin as a percent of the net sales of the lines that carry a cost.",
		unit: "percent",
		builtFrom: ["gross_margin", "revenue"],
		flow: false,
		ratioOfTotals: true,
		requires: ["cost"],
		sql: linesAggregate(
			"100 * sum(t.gross_margin) / nullif(sum(t.net_sales) filter (where t.gross_margin is not null), 0)",
			"100 * sum(t.gross_margin) / nullif(sum(t.costed_net_sales), 0)",
		),
	}),
	lineMetric({
		id: "orders",
		label: "orders",
		synonyms: ["order count", "invoices", "number of orders", "transactions"],
		description:
			"Distinct orders (invoices) with a line that makes an order: not a cancellation, net sales above zero.",
		unit: "count",
		noun: { one: "order", many: "orders" },
		builtFrom: [],
		flow: true,
		requires: [],
		sql: distinctPerPeriod("order_number"),
	}),
	lineMetric({
		id: "order_lines",
		label: "order lines",
		synonyms: ["lines", "line items", "order line count"],
		description:
			"Lines that make an order: not cancellations, net sales above zero.",
		unit: "count",
		noun: { one: "order line", many: "lines" },
		builtFrom: [],
		flow: true,
		requires: [],
		sql: linesAggregate(
			"count(*) filter (where t.is_order)",
			"sum(t.order_lines)",
		),
	}),
	lineMetric({
		id: "units",
		label: "units sold",
		synonyms: ["quantity", "volume", "cases", "qty", "units sold"],
		description:
			"Invoiced quantity (cases) of the period, cancelled quantities subtracted.",
		unit: "units",
		noun: { one: "unit", many: "units" },
		builtFrom: [],
		flow: true,
		requires: [],
		sql: linesAggregate(
			"sum(t.inv_quantity_cases)",
			"sum(t.inv_quantity_cases)",
		),
	}),
	lineMetric({
		id: "average_order_value",
		label: "average order value",
		synonyms: ["aov", "avg order value", "order value", "basket size"],
		description: "Revenue divided by orders.",
		unit: "currency",
		builtFrom: ["revenue", "orders"],
		flow: false,
		ratioOfTotals: true,
		requires: [],
		sql: revenuePerDistinct("order_number"),
	}),
];
