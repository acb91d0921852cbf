/** Picks which customer orders next, by size, among the accounts active that day. */
import type { EventPlan } from "./events.ts";
import type { Customer } from "./model.ts";
import { AliasTable, type Rng } from "./rng.ts";

/** Rebuilt about monthly over the customers active in the next 31 days; exact dates are checked per pick. */
export class CustomerSampler {
	private readonly customers: readonly Customer[];
	private readonly silent: EventPlan["silent"];
	private readonly rng: Rng;
	/** Indices of the customers in the current pool, and their weights (reused: no garbage per rebuild). */
	private readonly pool: Int32Array;
	private readonly weights: Float64Array;
	private readonly table: AliasTable;
	private poolSize = 0;
	private validUntil = Number.NEGATIVE_INFINITY;

	constructor(
		customers: readonly Customer[],
		silent: EventPlan["silent"],
		rng: Rng,
	) {
		this.customers = customers;
		this.silent = silent;
		this.rng = rng;
		const n = Math.max(1, customers.length);
		this.pool = new Int32Array(n);
		this.weights = new Float64Array(n);
		this.table = new AliasTable([1], n);
	}

	/** True when the planted silent customer must not appear on `day`. */
	isSilent(c: Customer, day: number): boolean {
		return c.idx === this.silent.customer && day >= this.silent.from;
	}

	/** Can `c` order on `day`? */
	active(c: Customer, day: number): boolean {
		return c.createdDay <= day && day < c.stopDay && !this.isSilent(c, day);
	}

	/** Call at the start of each day (cheap unless a rebuild is due: first of the month). */
	beginDay(day: number, monthDay: number): void {
		if (day < this.validUntil && monthDay !== 1) return;
		const horizon = day + 31;
		let n = 0;
		for (const c of this.customers) {
			if (c.createdDay >= horizon || c.stopDay <= day) continue;
			this.pool[n] = c.idx;
			this.weights[n++] = c.weight;
		}
		this.poolSize = n;
		if (n > 0) this.table.rebuild(this.weights, n);
		this.validUntil = horizon;
	}

	/** A customer that can order on `day`, or undefined if none turned up. */
	pick(day: number): Customer | undefined {
		if (this.poolSize === 0) return undefined;
		for (let tries = 0; tries < 24; tries++) {
			const c = this.customers[
				this.pool[this.table.sample(this.rng)] ?? 0
			] as Customer;
			if (this.active(c, day)) return c;
		}
		return undefined;
	}
}
