/**
 * What a `deliveries.payload` holds and how it becomes a ChatMessage.
 *
 * Two shapes arrive in the outbox:
 * - `{ source: "message", message }`: a ready message (command replies, the digest). The chart
 *   PNG travels base64-encoded, since jsonb holds no bytes.
 * - `{ source: "pulse", event, text, monitor, alert? }`: a Pulse event (feat/pulsedb's
 *   PulsePayload). Alert messages are re-rendered from the alert's current state through
 *   AlertActions.render when it is available, so a delivery that waited an hour still shows the
 *   acknowledgement made in between.
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import { alertMessage } from "./alert.ts";
import type { AlertActions } from "./alert-actions.ts";
import { escapeMarkup } from "./markup.ts";
import type { ChatMessage } from "./message.ts";

/** A ChatMessage as JSON: the chart's bytes as base64. */
export type StoredMessage = Omit<ChatMessage, "chart"> & {
	chart?: Omit<NonNullable<ChatMessage["chart"]>, "png"> & {
		pngBase64?: string;
	};
};

/** The payload of a ready message. */
export interface MessagePayload {
	source: "message";
	message: StoredMessage;
}

/** Turns a message into its JSON form for the outbox. */
export function encodeMessage(message: ChatMessage): StoredMessage {
	if (!message.chart?.png) return message as StoredMessage;
	const { png, ...chart } = message.chart;
	return {
		...message,
		chart: { ...chart, pngBase64: Buffer.from(png).toString("base64") },
	};
}

/** The inverse of encodeMessage. */
export function decodeMessage(stored: StoredMessage): ChatMessage {
	if (!stored.chart?.pngBase64) return stored as ChatMessage;
	const { pngBase64, ...chart } = stored.chart;
	return {
		...stored,
		chart: { ...chart, png: new Uint8Array(Buffer.from(pngBase64, "base64")) },
	};
}

const storedMessage = z.looseObject({ title: z.string() });

const pulsePayload = z.looseObject({
	source: z.literal("pulse"),
	event: z.string(),
	text: z.string(),
	monitor: z.looseObject({ id: z.string(), name: z.string() }),
	alert: z
		.looseObject({
			id: z.string(),
			severity: z.enum(["low", "medium", "high", "critical"]),
			detail: z.string(),
			observed: z.number().nullable(),
		})
		.optional(),
});

const payloadSchema = z.discriminatedUnion("source", [
	z.looseObject({ source: z.literal("message"), message: storedMessage }),
	pulsePayload,
]);

/** The delivery fields the renderer reads. */
export interface RenderInput {
	kind: string;
	alertId: string | null;
	payload: unknown;
}

/** Payload → message; rejects a payload it cannot read (the outbox marks that delivery dead). */
export type RenderDelivery = (
	d: RenderInput,
	now: Date,
) => Promise<ChatMessage>;

/** A payload the renderer cannot read: retrying will not help. */
export class PayloadError extends AppError<"payload_invalid"> {
	override readonly name = "PayloadError";
	constructor(message: string) {
		super("payload_invalid", message);
	}
}

/**
 * The renderer; with `alerts`, alert messages show the alert's current state and an Explain
 * reply is the alert's explanation, computed when it is delivered (the click only queued it).
 */
export function createRenderer(
	alerts?: Pick<AlertActions, "render" | "explain">,
): RenderDelivery {
	return async (d, now) => {
		const parsed = payloadSchema.safeParse(d.payload);
		if (!parsed.success)
			throw new PayloadError(
				`delivery payload is not a message or a Pulse event: ${parsed.error.issues[0]?.message ?? "malformed"}`,
			);
		const p = parsed.data;
		if (p.source === "message")
			return decodeMessage(p.message as StoredMessage);
		const alertId = d.alertId ?? p.alert?.id ?? null;
		if (p.event === "alert_explained" && alertId && alerts) {
			const explained = await alerts.explain(alertId);
			if (explained) return explained;
		}
		if (d.kind !== "thread_reply" && alertId && alerts) {
			const current = await alerts.render(alertId, now);
			if (current) return current;
		}
		if (d.kind !== "thread_reply" && p.alert)
			return alertMessage({
				alertId: p.alert.id,
				title: p.monitor.name,
				severity: p.alert.severity,
				observed: p.alert.observed === null ? "—" : String(p.alert.observed),
				rule: p.alert.detail,
				context: [`Monitor: ${p.monitor.name}`],
			});
		return { title: p.monitor.name, text: escapeMarkup(p.text) };
	};
}
