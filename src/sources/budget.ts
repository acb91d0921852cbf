/**
 * A time allowance spent only while we wait on the source. A stream runs it while fetching and
 * pauses it while the consumer holds rows, so a slow consumer (a long COPY) never times a stream
 * out, but a stuck or slow server does, even after rows have started to arrive (tedious clears its
 * own request timeout at the first row). When the allowance runs out, `onExpire` cancels the query.
 */
export class WaitBudget {
	#left: number;
	#since: number | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;
	readonly #onExpire: () => void;
	#expired = false;

	constructor(ms: number, onExpire: () => void) {
		this.#left = ms;
		this.#onExpire = onExpire;
	}

	get expired(): boolean {
		return this.#expired;
	}

	/** Starts spending (no-op if already waiting or expired). */
	wait(): void {
		if (this.#since !== undefined || this.#expired) return;
		this.#since = Date.now();
		this.#timer = setTimeout(() => {
			this.#expired = true;
			this.#since = undefined;
			this.#onExpire();
		}, this.#left);
	}

	/** Stops spending until the next `wait()`. */
	pause(): void {
		if (this.#since === undefined) return;
		clearTimeout(this.#timer);
		this.#left = Math.max(0, this.#left - (Date.now() - this.#since));
		this.#since = undefined;
	}

	/** Runs `work` with the budget spending, pausing it afterwards. */
	async during<T>(work: Promise<T>): Promise<T> {
		this.wait();
		try {
			return await work;
		} finally {
			this.pause();
		}
	}
}
