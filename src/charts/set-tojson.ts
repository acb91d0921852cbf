/**
 * vega-lite monkey-patches `Set.prototype.toJSON` with a zero-argument function that returns a
 * string. When @vladfrangu/async_event_emitter (under both Discord libraries) loads, it calls
 * every zero-argument method of a Set and tests the result with `in`, which throws on a string:
 * "Cannot use 'in' operator to search for 'Symbol(Symbol.iterator)' in Set()". Giving the patch
 * one parameter — JSON.stringify passes the key anyway, and the patch ignores it — keeps what it
 * does and makes that loader skip it. Called wherever either side may load first: after vega-lite
 * is imported (charts load it on the first render) and before the Discord libraries are.
 */
export function tameSetToJson(): void {
	const patched = Object.getOwnPropertyDescriptor(Set.prototype, "toJSON");
	const original: unknown = patched?.value;
	if (patched && typeof original === "function" && original.length === 0)
		Object.defineProperty(Set.prototype, "toJSON", {
			...patched,
			value: function toJSON(this: Set<unknown>, _key?: string): unknown {
				return original.call(this);
			},
		});
}
