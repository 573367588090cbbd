/**
 * A worker thread that confirms session times through the real model, on its own SQLite connection (the database
 * file is inherited through DATABASE_PATH), so a test can make many people confirm at the same moment.
 * Plain JavaScript loading the TypeScript sources through tsx, like `match-action-worker.mjs`.
 *
 * Protocol: the parent posts `{ round, input, now }`; the worker counts itself ready in `gate[1]`, blocks in
 * `Atomics.wait` until the parent stores `round` in `gate[0]` and notifies, calls `confirmSessionTime(input,
 * new Date(now))` and posts `{ round, result }` or `{ round, error: { code, message } }`. One notify wakes every
 * waiting thread at once; unlike spinning, fifty waiting threads leave the CPUs free for the ones still arriving.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { confirmSessionTime } = await tsImport("../../app/models/session.server.ts", import.meta.url);
const gate = new Int32Array(workerData.gate);

parentPort.on("message", ({ round, input, now }) => {
  Atomics.add(gate, 1, 1);
  for (let seen = Atomics.load(gate, 0); seen < round; seen = Atomics.load(gate, 0)) Atomics.wait(gate, 0, seen);
  try {
    parentPort.postMessage({ round, result: confirmSessionTime(input, new Date(now)) });
  } catch (error) {
    parentPort.postMessage({ round, error: { code: error?.code ?? null, message: String(error?.message ?? error) } });
  }
});

parentPort.postMessage({ ready: true });
