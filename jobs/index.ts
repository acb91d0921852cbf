import type { JobDefinition } from "../src/queue/job.ts";
import { compute } from "./compute.ts";
import { housekeeping } from "./housekeeping.ts";
import { ingest } from "./ingest.ts";

/** Every job the bot runs. Static, so the type checker sees each one and start-up can check its SQL. */
export const jobs: readonly JobDefinition[] = [housekeeping, ingest, compute];
