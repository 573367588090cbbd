/**
 * Worker-thread entry for one batch matching run (see `startMatchingRun`). Plain JavaScript, so Node
 * starts it without a loader; it then loads the TypeScript sources through tsx, as `npm start` does.
 */
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { executeMatchingRun } = await tsImport("../models/matching-runs.server.ts", import.meta.url);
executeMatchingRun(workerData.runId);
