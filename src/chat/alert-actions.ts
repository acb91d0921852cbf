/**
 * The platform-neutral service behind the alert buttons. A Slack or Discord listener decodes the
 * versioned action id, calls `act`, and edits the clicked message with the message it gets back;
 * it never touches the database itself. Implementations must be idempotent: the same click
 * twice (a double click, a platform retry) changes the alert once and reports `changed: false`.
 * Explain changes nothing on the alert: it queues the breakdown for the alert's thread, once.
 */

import { AppError } from "../errors.ts";
import type { ExplainRequest } from "../pulse/input.ts";
import type { DecodedAction } from "./action-id.ts";
import type { ChatMessage } from "./message.ts";

/** Who clicked, as the platform names them. */
export interface Actor {
	id: string;
	/** Shown in the message ("Acknowledged by @ana"); falls back to the id. */
	name?: string;
}

/** What a click did. */
export interface AlertActionOutcome {
	/** The alert message re-rendered in its new state, ready for chat.update. */
	message: ChatMessage;
	/** False when the click repeated one already applied (nothing was stored). */
	changed: boolean;
	/** One sentence for the clicker ("Acknowledged by ana.", "Already acknowledged by ana."). */
	note: string;
}

/** The service the chat adapters call. */
export interface AlertActions {
	act(
		action: DecodedAction,
		actor: Actor,
		now: Date,
	): Promise<AlertActionOutcome>;
	/** The alert's message in its current state; null when there is no such alert. */
	render(alertId: string, now: Date): Promise<ChatMessage | null>;
	/**
	 * The full explanation of the alert's metric (what Explain posts in the thread): the explain
	 * command's answer with its chart; null when the alert has nothing to explain.
	 */
	explain(alertId: string): Promise<ChatMessage | null>;
}

/** Answers an explain request as the `explain` command would (commands/explain.ts). */
export type ExplainMessage = (request: ExplainRequest) => Promise<ChatMessage>;

/** An alert the actions were asked about but that does not exist (deleted, or a forged id). */
export class AlertNotFoundError extends AppError<"alert_not_found"> {
	override readonly name = "AlertNotFoundError";
	readonly alertId: string;
	constructor(alertId: string) {
		super(
			"alert_not_found",
			`Alert ${alertId} does not exist (it may have been deleted with its monitor).`,
		);
		this.alertId = alertId;
	}
}
