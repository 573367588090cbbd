/**
 * A worker thread that takes match actions through the real model, on its own SQLite connection
 * (the database file is inherited through DATABASE_PATH), so tests can make two people act at once.
 * Plain JavaScript loading the TypeScript sources through tsx, like `app/workers/matching-run.mjs`.
 *
 * Protocol: the parent posts `{ round, call, input }` (`call`: "act", "override" or "propose"); the
 * worker counts itself ready in `gate[1]`, spins until `gate[0]` reaches `round`, calls the model
 * function with `input` and posts `{ round, result }` or `{ round, error: { code, message } }`.
 * Spinning (not sleeping) lets both workers start together.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { actOnMatch, overrideMatch, proposeMatch } = await tsImport("../../app/models/match.server.ts", import.meta.url);
const calls = { act: actOnMatch, override: overrideMatch, propose: proposeMatch };
const gate = new Int32Array(workerData.gate);

parentPort.on("message", ({ round, call, input }) => {
  Atomics.add(gate, 1, 1);
  while (Atomics.load(gate, 0) < round) {
    // spin: the start signal must reach both workers within microseconds
  }
  try {
    parentPort.postMessage({ round, result: calls[call](input) });
  } catch (error) {
    parentPort.postMessage({ round, error: { code: error?.code ?? null, message: String(error?.message ?? error) } });
  }
});

parentPort.postMessage({ ready: true });
