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
 *
 * `--max-old-space-size=1024` sets the heap limit to 1 GB. V8 lets the old generation grow by a
 * factor it takes from that limit before it collects it again: 4x from 2 GB up (this machine's
 * default limit is about 4 GB), 1.6x at 1 GB. A Parquet row group's decoded columns (about 30 MB
 * for 100,000 demo lines) live while its rows are loaded, so they reach the old generation and die
 * there; at 4x, the old generation piled up several row groups of garbage between collections and a
 * 1M-line Parquet load peaked at 374–379 MB, at 1.6x 241–244 MB (2 interleaved pairs,
 * bench/ingest.ts gives the figures in the same run as the other kinds). The live heap of every
 * job stays far below the limit: an ingest's near 20–40 MB, and charts render in resvg's memory,
 * not V8's.
 */
export const NODE_FLAGS = [
	"--max-semi-space-size=16",
	"--max-old-space-size=1024",
] as const;
