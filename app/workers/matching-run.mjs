/**
 * Worker-thread entry for one batch matching run (see `startMatchingRun`). Plain JavaScript, so Node
 * starts it without a loader; it then loads the TypeScript sources through tsx, as `npm start` does.
 */
import os from "node:os";
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

// A batch run may take seconds of CPU; pages must not wait for it. On Linux the nice value belongs to the thread
// (elsewhere it would slow the whole server), so this thread alone yields the CPU to page requests when both want it.
if (process.platform === "linux") os.setPriority(10);

const { executeMatchingRun } = await tsImport("../models/matching-runs.server.ts", import.meta.url);
executeMatchingRun(workerData.runId);
