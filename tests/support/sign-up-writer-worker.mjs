/**
 * A worker thread that signs people up through the real model, one after another, on its own SQLite connection (the
 * database file is inherited through DATABASE_PATH), so a test can have writes going on while something else reads.
 * Plain JavaScript loading the TypeScript sources through tsx, like `session-confirm-worker.mjs`.
 *
 * Person n is `Writer n` <writer-n@backup.example> with the roles requester and coach, written by `createUser` in one
 * transaction (the user row and both role rows). Protocol over `workerData.counter` (an Int32Array's buffer): the
 * worker stores in slot 0 how many people are committed, after each commit, and stops once the parent stores 1 in
 * slot 1; it then posts `{ committed }`. A write error is posted as `{ error }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

const { createUser } = await tsImport("../../app/models/user.server.ts", import.meta.url);
const counter = new Int32Array(workerData.counter);

parentPort.postMessage({ ready: true });
let committed = 0;
try {
  while (Atomics.load(counter, 1) === 0) {
    const created = createUser({
      name: `Writer ${committed}`,
      email: `writer-${committed}@backup.example`,
      passwordHash: "not-a-real-hash",
      locale: "de",
      timeZone: "Europe/Berlin",
      roles: ["requester", "coach"],
    });
    if (!created) throw new Error(`writer-${committed}@backup.example was taken`);
    committed += 1;
    Atomics.store(counter, 0, committed);
  }
  parentPort.postMessage({ committed });
} catch (error) {
  parentPort.postMessage({ error: String(error?.message ?? error) });
}
