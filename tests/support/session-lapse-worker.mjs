/**
 * A worker thread that lapses stale session offers through the real model, on its own SQLite connection (the database
 * file is inherited through DATABASE_PATH), so a test can write on another connection while the lapse waits for the
 * write lock. Plain JavaScript loading the TypeScript sources through tsx, like `session-confirm-worker.mjs`.
 *
 * Protocol: the parent posts `{ now }`; the worker calls `lapseStaleProposals(new Date(now))` and posts `{ ms }`, how
 * long the call took, or `{ error }`.
 */
import { parentPort } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { lapseStaleProposals } = await tsImport("../../app/models/session.server.ts", import.meta.url);

parentPort.on("message", ({ now }) => {
  const started = performance.now();
  try {
    lapseStaleProposals(new Date(now));
    parentPort.postMessage({ ms: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ error: String(error?.message ?? error) });
  }
});

parentPort.postMessage({ ready: true });
