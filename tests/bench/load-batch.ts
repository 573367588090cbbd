/**
 * Batch matching runs for `npm run bench:load`, started the way the team starts them (POST /team/matching), so
 * they run in the server's own worker thread and compete with the pages for the same CPU. Progress is read
 * from the run's row, as the run page does.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { TandemDatabase } from "~/db.server";

export type BatchRun = {
  id: string;
  status: "running" | "finished" | "failed";
  error: string | null;
  createdAt: number;
  finishedAt: number;
  requestCount: number;
  coachCount: number;
  matchedCount: number;
  scoreMs: number;
  solveMs: number;
};

async function postStart(baseUrl: string, cookie: string) {
  return fetch(`${baseUrl}/team/matching`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: "mode=score",
    redirect: "manual",
  });
}

async function startRun(baseUrl: string, cookie: string) {
  // Once more if the server closed the kept-alive connection just as the request went out; a run already going
  // would only be returned, not started twice.
  const response = await postStart(baseUrl, cookie).catch(() => postStart(baseUrl, cookie));
  const runId = /\/team\/matching\/runs\/([^/?#]+)$/.exec(response.headers.get("location") ?? "")?.[1];
  if (response.status !== 302 || !runId) throw new Error(`POST /team/matching answered ${response.status}: ${await response.text()}`);
  return runId;
}

async function waitForRun(db: TandemDatabase, runId: string) {
  const read = db.$client.prepare(
    `select id, status, error, created_at as createdAt, finished_at as finishedAt, request_count as requestCount,
            coach_count as coachCount, matched_count as matchedCount, score_ms as scoreMs, solve_ms as solveMs
       from matching_runs where id = ?`,
  );
  for (;;) {
    const run = read.get(runId) as BatchRun;
    if (run.status === "failed") throw new Error(`batch run ${runId} failed: ${run.error}`);
    if (run.status === "finished") return run;
    await sleep(50);
  }
}

export async function runOneBatch(baseUrl: string, cookie: string, db: TandemDatabase) {
  return waitForRun(db, await startRun(baseUrl, cookie));
}

/** Starts a run, and the next as soon as one finishes, until `stop`, which waits for the last run to finish. */
export function keepBatchRunning(baseUrl: string, cookie: string, db: TandemDatabase) {
  let stopping = false;
  const runs: BatchRun[] = [];
  const loop = (async () => {
    while (!stopping) runs.push(await runOneBatch(baseUrl, cookie, db));
  })();
  // A failure surfaces at stop(); until then the measurement goes on rather than crashing the process.
  loop.catch(() => {});
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return runs;
    },
  };
}

/** The share of [from, to] (epoch ms) during which one of the (consecutive) runs was in progress. */
export function batchCoverage(runs: BatchRun[], from: number, to: number) {
  const covered = runs.reduce((sum, run) => sum + Math.max(0, Math.min(to, run.finishedAt) - Math.max(from, run.createdAt)), 0);
  return covered / Math.max(1, to - from);
}
