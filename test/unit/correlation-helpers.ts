import { expect } from "vitest";
import type {
	CorrelationReport,
	CorrelationResult,
} from "../../src/analytics/correlation/index.ts";

/** Absolute tolerance for coefficients (r, ρ, interval bounds, autocorrelations). */
export const R_TOL = 1e-9;
/** Relative tolerance for p-values, so tiny p-values are checked as strictly as large ones. */
export const P_REL = 1e-7;
/** Relative tolerance for regression coefficients and the effective sample size. */
export const VALUE_REL = 1e-9;

export function expectR(actual: number, expected: number): void {
	expect(Math.abs(actual - expected)).toBeLessThanOrEqual(R_TOL);
}

export function expectRelative(
	actual: number,
	expected: number,
	rel: number,
): void {
	const scale = Math.max(Math.abs(expected), Number.MIN_VALUE);
	expect(Math.abs(actual - expected) / scale).toBeLessThanOrEqual(rel);
}

export function expectP(actual: number, expected: number): void {
	expectRelative(actual, expected, P_REL);
}

/** Narrows a result to a report, failing the test with the refusal's reason otherwise. */
export function report(result: CorrelationResult): CorrelationReport {
	if (result.status !== "ok")
		throw new Error(`expected a report, got a refusal: ${result.reason}`);
	return result;
}

/** Every number anywhere in `value` is finite: no NaN, no Infinity. */
export function expectAllFinite(value: unknown, path = "result"): void {
	if (typeof value === "number") {
		expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
		return;
	}
	if (value === null || typeof value !== "object") return;
	for (const [k, v] of Object.entries(value))
		expectAllFinite(v, `${path}.${k}`);
}
