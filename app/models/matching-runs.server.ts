/**
 * Batch assignment runs. The team starts one; a worker thread reads all open requests and coaches,
 * scores every pair, solves the assignment and stores proposals, writing its progress to the run's
 * row as it goes. Pages only read that row, so they stay responsive and survive reloads.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { getDb, type TandemDatabase } from "~/db.server";
import { solveAssignment } from "~/domain/matching/assignment";
import type { MatchingWeights } from "~/domain/matching/criteria";
import { compileCoaches, compileRequests, explainPair, prepareWeights, scoreMatrix } from "~/domain/matching/scoring";
import { loadCoachProfiles, loadRequestProfiles } from "~/models/matching.server";
import { matchingProposals, matchingRuns, type AssignmentModeName, type MatchingRunPhase } from "~db/schema";

// Runs whose worker lives in this process; a "running" row without one was cut off by a restart.
const liveRuns = new Set<string>();

// Resolved from the working directory because the server bundle lives elsewhere than the sources;
// npm scripts and the test servers all run from the project root.
const workerEntry = path.resolve("app/workers/matching-run.mjs");

function markFailed(db: TandemDatabase, runId: string, error: string) {
  db.update(matchingRuns)
    .set({ status: "failed", error, finishedAt: new Date() })
    .where(and(eq(matchingRuns.id, runId), eq(matchingRuns.status, "running")))
    .run();
}

/** Starts a run in a worker thread and returns its id; while one is running, returns that one instead. */
export function startMatchingRun(actorUserId: string, mode: AssignmentModeName, weights: MatchingWeights) {
  const db = getDb();
  const running = listMatchingRuns(1).find((run) => run.status === "running");
  if (running) return { runId: running.id, started: false };
  const runId = randomUUID();
  db.insert(matchingRuns)
    .values({ id: runId, mode, status: "running", phase: "loading", weights, startedByUserId: actorUserId })
    .run();
  const worker = new Worker(workerEntry, { workerData: { runId } });
  liveRuns.add(runId);
  worker.on("error", (error) => markFailed(db, runId, error.message));
  worker.on("exit", (code) => {
    liveRuns.delete(runId);
    if (code !== 0) markFailed(db, runId, `worker exit code ${code}`);
  });
  return { runId, started: true };
}

const interruptedError = "interrupted";

function settleInterrupted(db: TandemDatabase, run: { id: string; status: string }) {
  if (run.status !== "running" || liveRuns.has(run.id)) return false;
  markFailed(db, run.id, interruptedError);
  return true;
}

export function listMatchingRuns(limit = 10) {
  const db = getDb();
  const runs = db.select().from(matchingRuns).orderBy(desc(matchingRuns.createdAt)).limit(limit).all();
  return runs.map((run) => (settleInterrupted(db, run) ? { ...run, status: "failed" as const, error: interruptedError } : run));
}

export function getMatchingRun(runId: string) {
  const db = getDb();
  const run = db.select().from(matchingRuns).where(eq(matchingRuns.id, runId)).get();
  if (!run) return null;
  return settleInterrupted(db, run) ? { ...run, status: "failed" as const, error: interruptedError } : run;
}

export function isInterrupted(run: { status: string; error: string | null }) {
  return run.status === "failed" && run.error === interruptedError;
}

/** The run's proposals, best score first, with what the team needs to recognise each side. */
export function listRunProposals(runId: string) {
  return getDb()
    .$client.prepare(
      `select p.request_id as requestId, p.offer_id as offerId, p.score, p.breakdown,
              req_org.name as requestOrganisation, t.label_de as topicDe, t.label_en as topicEn,
              coach.name as coachName, coach_org.name as coachOrganisation
         from matching_proposals p
         join coaching_requests r on r.id = p.request_id join organisations req_org on req_org.id = r.organisation_id
         left join request_topics rt on rt.request_id = r.id and rt.is_main = 1 left join topics t on t.id = rt.topic_id
         join coach_offers o on o.id = p.offer_id join users coach on coach.id = o.user_id
         join organisations coach_org on coach_org.id = o.organisation_id
        where p.run_id = ?
        order by p.score desc, p.request_id`,
    )
    .all(runId)
    .map((row) => {
      const { breakdown, ...proposal } = row as { breakdown: string } & Record<string, unknown>;
      return { ...proposal, breakdown: JSON.parse(breakdown) as Record<string, number> } as {
        requestId: string;
        offerId: string;
        score: number;
        breakdown: Record<string, number>;
        requestOrganisation: string;
        topicDe: string | null;
        topicEn: string | null;
        coachName: string;
        coachOrganisation: string;
      };
    });
}

// Where each phase sits on the run's 0–100 progress bar.
const phaseStart: Record<MatchingRunPhase, number> = { loading: 0, scoring: 10, solving: 50, saving: 90, done: 100 };
const progressWriteIntervalMs = 200;

/**
 * Does the work of one run, synchronously, on the calling thread (the worker's). Any failure is stored
 * on the run rather than thrown, so the page can say what went wrong.
 */
export function executeMatchingRun(runId: string, db = getDb(), now = new Date()) {
  const run = db.select().from(matchingRuns).where(eq(matchingRuns.id, runId)).get();
  if (!run || run.status !== "running") return;
  let lastWrite = 0;
  const report = (phase: MatchingRunPhase, withinPhase = 0) => {
    const clock = performance.now();
    if (withinPhase > 0 && withinPhase < 1 && clock - lastWrite < progressWriteIntervalMs) return;
    lastWrite = clock;
    const phases = Object.keys(phaseStart) as MatchingRunPhase[];
    const next = phaseStart[phases[phases.indexOf(phase) + 1] ?? "done"];
    const progress = Math.round(phaseStart[phase] + (next - phaseStart[phase]) * withinPhase);
    db.update(matchingRuns).set({ phase, progress }).where(eq(matchingRuns.id, runId)).run();
  };
  try {
    report("loading");
    const coaches = compileCoaches(loadCoachProfiles(db, now), now);
    const requests = compileRequests(loadRequestProfiles(db, now), coaches, now);
    const weights = prepareWeights(run.weights as MatchingWeights);

    report("scoring");
    const scoringStarted = performance.now();
    const scores = scoreMatrix(requests, coaches, weights, (rowsDone) => report("scoring", rowsDone / requests.count));
    const scoreMs = Math.round(performance.now() - scoringStarted);

    report("solving");
    const solvingStarted = performance.now();
    const result = solveAssignment({
      requestCount: requests.count,
      coachCount: coaches.count,
      scores,
      capacity: coaches.remainingCapacity,
      mode: run.mode,
      onProgress: (processed) => report("solving", processed / Math.max(1, requests.count)),
    });
    const solveMs = Math.round(performance.now() - solvingStarted);

    report("saving");
    db.transaction((tx) => {
      result.assignment.forEach((coachIndex, requestIndex) => {
        if (coachIndex < 0) return;
        const explanation = explainPair(requests, requestIndex, coaches, coachIndex, weights);
        tx.insert(matchingProposals)
          .values({
            runId,
            requestId: explanation.requestId,
            offerId: explanation.offerId,
            score: explanation.total,
            breakdown: Object.fromEntries(explanation.criteria.map(({ criterion, points }) => [criterion, points])),
          })
          .run();
      });
      tx.update(matchingRuns)
        .set({
          status: "finished",
          phase: "done",
          progress: 100,
          requestCount: requests.count,
          coachCount: coaches.count,
          matchedCount: result.matched,
          totalScore: result.total,
          scoreMs,
          solveMs,
          finishedAt: new Date(),
        })
        .where(eq(matchingRuns.id, runId))
        .run();
    });
  } catch (error) {
    markFailed(db, runId, error instanceof Error ? error.message : String(error));
  }
}
