import { describe, expect, it } from "vitest";
import { errorMessage } from "../../src/errors.ts";

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
