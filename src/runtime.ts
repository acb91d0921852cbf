/**
 * The V8 flags every erp-pulse process starts with: the CLI's shebang, the package scripts and the
 * Dockerfile pass them, and the benches start their children with them (a unit test holds the four
 * together).
 *
 * `--max-semi-space-size=16` caps the young generation at 2 × 16 MB. Left to itself, V8 sizes it
 * from the heap limit, which it takes from the machine's memory: 2 × 64 MB on a 24 GiB machine.
 * An ingest allocates a few objects per source value, all short-lived (the live heap stays near
 * 20 MB at 1M order lines), so the young generation grows to its maximum and stays there. Capped,
 * a 1M-line SQLite load peaked at 232–237 MB instead of 316–347 MB, in the same time within the
 * noise (4 interleaved runs; README, "ERP sources and ingestion").
 */
export const NODE_FLAGS = ["--max-semi-space-size=16"] as const;
