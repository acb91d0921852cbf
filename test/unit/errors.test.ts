import { describe, expect, it } from "vitest";
import { ChatSendError } from "../../src/chat/channel.ts";
import { AppError, errorMessage, isTransient } from "../../src/errors.ts";
import { SourceError } from "../../src/sources/errors.ts";

describe("errorMessage", () => {
	it("says what went wrong for every shape an error arrives in", () => {
		expect(errorMessage(new Error("boom"))).toBe("boom");
		// What net.connect rejects with when every address of a host refuses.
		expect(
			errorMessage(
				new AggregateError([
					new Error("connect ECONNREFUSED ::1:5432"),
					new Error("connect ECONNREFUSED 127.0.0.1:5432"),
				]),
			),
		).toBe(
			"connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432",
		);
		// Plain objects, as some libraries emit: their message, else their JSON, never "[object Object]".
		expect(errorMessage({ message: "queue gone", queue: "deliver" })).toBe(
			"queue gone",
		);
		expect(errorMessage({ code: "E1", detail: "x" })).toBe(
			'{"code":"E1","detail":"x"}',
		);
		expect(errorMessage("plain text")).toBe("plain text");
		expect(errorMessage(undefined)).toBe("undefined");
	});
});

describe("isTransient: the job wrapper's one retry rule", () => {
	it("takes every error class that carries a retryable flag at its word", () => {
		// source: an unreachable ERP is retried, a rejected query is not
		expect(isTransient(new SourceError("source_unreachable", "down"))).toBe(
			true,
		);
		expect(isTransient(new SourceError("source_timeout", "slow"))).toBe(true);
		expect(isTransient(new SourceError("source_query", "bad SQL"))).toBe(false);
		// config and other engine errors
		expect(isTransient(new AppError("config_invalid", "bad key"))).toBe(false);
		expect(
			isTransient(new AppError("db_unreachable", "down", { retryable: true })),
		).toBe(true);
		// chat
		expect(
			isTransient(
				new ChatSendError("rate_limited", "429", { retryable: true }),
			),
		).toBe(true);
		expect(
			isTransient(
				new ChatSendError("channel_not_found", "gone", { retryable: false }),
			),
		).toBe(false);
		// any other error with the flag
		expect(
			isTransient(Object.assign(new Error("x"), { retryable: true })),
		).toBe(true);
	});

	it("treats database and network failures as transient, and a flag beats a code", () => {
		const pg = (code: string) => Object.assign(new Error(code), { code });
		for (const code of ["57P01", "57014", "08006", "40001", "ECONNREFUSED"])
			expect(isTransient(pg(code)), code).toBe(true);
		for (const code of ["42P01", "23505", "22P02"])
			expect(isTransient(pg(code)), code).toBe(false);
		// What node-postgres throws, without a code, when Postgres restarts under a query.
		expect(isTransient(new Error("Connection terminated unexpectedly"))).toBe(
			true,
		);
		expect(
			isTransient(new Error("timeout exceeded when trying to connect")),
		).toBe(true);
		// A wrapper defers to its cause; an explicit flag wins over the cause.
		expect(isTransient(new Error("load failed", { cause: pg("57P01") }))).toBe(
			true,
		);
		expect(
			isTransient(
				new SourceError("source_query", "x", { cause: pg("ECONNRESET") }),
			),
		).toBe(false);
		expect(
			isTransient(new AggregateError([pg("ECONNREFUSED"), pg("ECONNREFUSED")])),
		).toBe(true);
		expect(isTransient(new Error("plain"))).toBe(false);
		expect(isTransient(undefined)).toBe(false);
	});
});
