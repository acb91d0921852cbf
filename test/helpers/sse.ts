/** A Server-Sent Events reader over fetch, for tests that wait for a pushed event. */

export interface SseEvent {
	event: string;
	data: string;
}

export interface SseStream {
	status: number;
	headers: Headers;
	/** The next event matching `match` (earlier non-matching ones are skipped). */
	next(match?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
	close(): void;
}

/** Opens `url` as an event stream. */
export async function openSse(url: string): Promise<SseStream> {
	const controller = new AbortController();
	const res = await fetch(url, { signal: controller.signal });
	if (!res.body) throw new Error(`no body from ${url}`);
	const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
	let buffer = "";
	const pending: SseEvent[] = [];
	const read = async (): Promise<void> => {
		const { value, done } = await reader.read();
		if (done) throw new Error("the event stream ended");
		buffer += value;
		for (
			let end = buffer.indexOf("\n\n");
			end >= 0;
			end = buffer.indexOf("\n\n")
		) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			let event = "message";
			const data: string[] = [];
			for (const line of block.split("\n")) {
				if (line.startsWith("event: ")) event = line.slice(7);
				else if (line.startsWith("data: ")) data.push(line.slice(6));
			}
			if (data.length > 0) pending.push({ event, data: data.join("\n") });
		}
	};
	return {
		status: res.status,
		headers: res.headers,
		async next(match = () => true, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const i = pending.findIndex(match);
				if (i >= 0) return pending.splice(0, i + 1).at(-1) as SseEvent;
				pending.length = 0;
				const left = deadline - Date.now();
				if (left <= 0)
					throw new Error(`no matching event within ${timeoutMs} ms`);
				let timer: ReturnType<typeof setTimeout> | undefined;
				await Promise.race([
					read(),
					new Promise<void>((_, reject) => {
						timer = setTimeout(
							() =>
								reject(new Error(`no matching event within ${timeoutMs} ms`)),
							left,
						);
					}),
				]).finally(() => clearTimeout(timer));
			}
		},
		close: () => controller.abort(),
	};
}
