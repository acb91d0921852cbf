import path from "node:path";
import { projectRoot } from "../../src/paths.ts";

/**
 * The UCI Online Retail file, shipped in the repository (test/fixtures/online-retail/README.md has
 * its source and licence) so the real-data checks run on a fresh clone with nothing beside it.
 */
export const ONLINE_RETAIL = path.join(
	projectRoot,
	"test",
	"fixtures",
	"online-retail",
	"online-retail.csv.gz",
);
