import { describe, expect, it } from "vitest";
import { argsSchema, noWords } from "../../commands/args.ts";
import { dispatch } from "../../commands/dispatch.ts";
import { commandServices } from "../../commands/services.ts";
import { TokenizeError, tokenize } from "../../commands/tokenize.ts";
import { type ChatCommand, defineCommand } from "../../commands/types.ts";
import { AlertNotFoundError } from "../../src/chat/alert-actions.ts";
import { ChatSendError } from "../../src/chat/channel.ts";
import { PayloadError } from "../../src/chat/payload.ts";
import { configSchema } from "../../src/config/schema.ts";
import type { Pool } from "../../src/db/pool.ts";
import { AppError, isTransient } from "../../src/errors.ts";
import { SourceError } from "../../src/sources/errors.ts";
import { memoryLogger } from "../helpers/log.ts";

/**
 * Every module's own error is an AppError: one `code`, one `retryable`, one `cause`, which the job
 * wrapper (isTransient), the chat replies and the CLI's exit code read.
 */
describe("the one error type", () => {
	const cause = new Error("ECONNREFUSED 10.0.0.5:1433");

	it("is what every module throws, each with its code, its retry verdict and its cause", () => {
		const errors: [AppError<string>, string, boolean][] = [
			[
				new SourceError("source_unreachable", "mssql source down", { cause }),
				"source_unreachable",
				true,
			],
			[
				new SourceError("source_auth", "mssql source refused the login"),
				"source_auth",
				false,
			],
			[
				new ChatSendError("ratelimited", "slack said slow down", {
					retryable: true,
					retryAfterSeconds: 30,
					cause,
				}),
				"ratelimited",
				true,
			],
			[new PayloadError("not a payload"), "payload_invalid", false],
			[new AlertNotFoundError("42"), "alert_not_found", false],
			[new TokenizeError("unclosed quote"), "usage", false],
		];
		for (const [err, code, retryable] of errors) {
			expect(err, err.name).toBeInstanceOf(AppError);
			expect(err.code).toBe(code);
			expect(err.retryable).toBe(retryable);
			expect(isTransient(err)).toBe(retryable);
		}
		expect(errors[0]?.[0].cause).toBe(cause);
		expect(errors.map(([e]) => e.name)).toEqual([
			"SourceError",
			"SourceError",
			"ChatSendError",
			"PayloadError",
			"AlertNotFoundError",
			"TokenizeError",
		]);
		expect(() => tokenize('say "hi')).toThrow(AppError);
	});

	it("tells a chat user to try again when what failed says retrying can help", async () => {
		const failing = (err: Error): ChatCommand =>
			defineCommand({
				name: "fetch",
				description: "reads an ERP source",
				usage: ["fetch"],
				args: argsSchema({ positionals: noWords }),
				run: async () => {
					throw err;
				},
			});
		const { log } = memoryLogger();
		const base = {
			...commandServices({
				pool: {} as Pool,
				config: configSchema.parse({}),
				log,
			}),
			user: { id: "U1" },
			channel: { kind: "local" as const, id: "cli" },
			now: new Date(0),
			log,
		};
		const down = await dispatch(
			[failing(new SourceError("source_unreachable", "down", { cause }))],
			"fetch",
			base,
		);
		expect(down.message.title).toBe("fetch failed");
		expect(down.message.text).toContain("try again in a minute");
		const refused = await dispatch(
			[failing(new SourceError("source_auth", "refused"))],
			"fetch",
			base,
		);
		expect(refused.message.title).toBe("fetch failed");
		expect(refused.message.text).not.toContain("try again");
	});
});
