import type { JobDefinition } from "../src/queue/job.ts";
import { compute } from "./compute.ts";
import { deliver } from "./deliver.ts";
import { demoTour } from "./demo-tour.ts";
import { housekeeping } from "./housekeeping.ts";
import { ingest } from "./ingest.ts";
import { pulseRun } from "./pulse-run.ts";
import { pulseTick } from "./pulse-tick.ts";
import { weeklyDigest } from "./weekly-digest.ts";

/** Every job the bot runs. Static, so the type checker sees each one and start-up can check its SQL. */
export const jobs: readonly JobDefinition[] = [
	housekeeping,
	ingest,
	compute,
	deliver,
	pulseTick,
	pulseRun,
	weeklyDigest,
	demoTour,
];
