/**
 * `npm run bench:match`: the matching engine's speed.
 * 1. Scoring and solving for 500×100, 2000×400 and 5000×1000 requests × coaches (capacity 5, realistic
 *    synthetic profiles): pairs scored per second, solve time, and scipy's linear_sum_assignment on the
 *    same scores with columns repeated by capacity, side by side, with the ratio and whether totals agree.
 * 2. Suggestions for one request over 10,000 coaches stored in a temporary SQLite file: the
 *    /requests/:id/suggestions loader (session, request read, cached pool check, ranking, explanations).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { defaultMatchingWeights } from "~/domain/matching/criteria";
import { solveAssignment } from "~/domain/matching/assignment";
import { compileCoaches, compileRequests, prepareWeights, scoreMatrix } from "~/domain/matching/scoring";
import { bestTime } from "./best-time";
import { benchmarkSolve } from "./match-solve";
import { benchCoaches, benchRequests } from "./matching-profiles";
import { seedCoaches } from "./seed-profiles";
import { percentile } from "./stats";

const referenceDate = new Date("2026-12-02T12:00:00Z");
const capacity = 5;
const sizes: [number, number][] = [
  [500, 100],
  [2000, 400],
  [5000, 1000],
];

console.log("Scoring and batch assignment (capacity 5 per coach; solve and scipy in mode \"score\", count ms in mode \"count\"):");
console.log(
  `${"requests×coaches".padEnd(18)} ${"excluded".padStart(8)} ${"score ms".padStart(9)} ${"Mpairs/s".padStart(9)} ${"solve ms".padStart(9)} ${"scipy ms".padStart(9)} ${"scipy/ours".padStart(10)} ${"count ms".padStart(8)}  totals`,
);
for (const [requestCount, coachCount] of sizes) {
  const coachProfiles = benchCoaches(coachCount).map((coach) => ({ ...coach, capacityPerMonth: capacity }));
  const coaches = compileCoaches(coachProfiles, referenceDate);
  const requests = compileRequests(benchRequests(requestCount, referenceDate), coaches, referenceDate);
  const weights = prepareWeights(defaultMatchingWeights);
  const { ms: scoreMs, result: scores } = bestTime(() => scoreMatrix(requests, coaches, weights), { minRuns: 5 });
  const excluded = scores.reduce((count, score) => count + (Number.isNaN(score) ? 1 : 0), 0) / scores.length;
  const result = benchmarkSolve(
    { scores, requestCount, coachCount, capacity: Int32Array.from(coaches.remainingCapacity) },
    "score",
  );
  const countMode = bestTime(() =>
    solveAssignment({ scores, requestCount, coachCount, capacity: coaches.remainingCapacity, mode: "count" }),
  );
  const pairsPerSecond = (requestCount * coachCount) / (scoreMs / 1000);
  const scipy = result.scipy;
  const agree = scipy ? (Math.abs(scipy.total - result.total) < 1e-6 * Math.max(1, result.total) ? "agree" : `DIFFER (ours ${result.total}, scipy ${scipy.total})`) : "scipy not installed";
  console.log(
    `${`${requestCount}×${coachCount}`.padEnd(18)} ${`${(excluded * 100).toFixed(0)}%`.padStart(8)} ${scoreMs.toFixed(1).padStart(9)} ${(pairsPerSecond / 1e6).toFixed(1).padStart(9)} ${result.solveMs.toFixed(1).padStart(9)} ${(scipy ? scipy.ms.toFixed(1) : "–").padStart(9)} ${(scipy ? (scipy.ms / result.solveMs).toFixed(2) : "–").padStart(10)} ${countMode.ms.toFixed(1).padStart(8)}  ${agree} (matched ${result.matched}, total ${result.total.toFixed(1)})`,
  );
}

// Part 2 needs its own database, chosen before any module reads the environment.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-match-"));
process.env.DATABASE_PATH = path.join(folder, "bench.db");
process.env.NODE_ENV = "production";
const { getDb } = await import("~/db.server");
const { migrateDatabase } = await import("~db/migrate");
const { createUserSession } = await import("~/auth.server");
const { loader } = await import("~/routes/requests.$requestId.suggestions");

const db = getDb();
migrateDatabase(db);
const sqlite = db.$client;
const coachCount = 10_000;
const seedStarted = performance.now();
seedCoaches(sqlite, benchCoaches(coachCount, 7));
sqlite.transaction(() => {
  const insertUser = sqlite.prepare(
    "insert into users (id, email, name, password_hash, locale, time_zone, privacy_consent_at) values (?, ?, ?, 'x', 'de', ?, 0)",
  );
  const insertRole = sqlite.prepare("insert into user_roles (user_id, role) values (?, ?)");
  const insertOrganisation = sqlite.prepare(
    "insert or ignore into organisations (id, name, kind, size_band, region) values (?, ?, ?, 'upTo50', 'DE-BE')",
  );
  const [request] = benchRequests(1, new Date(), 11);
  insertUser.run("bench-requester", "requester@bench.example", "Bench Requester", "Europe/Berlin");
  insertRole.run("bench-requester", "requester");
  insertOrganisation.run("bench-requester-org", "Anfragender Verein", "association");
  sqlite
    .prepare(
      `insert into coaching_requests (id, user_id, organisation_id, goal, urgency, formats, in_person_region, access_needs,
         session_minutes, time_zone, status, expires_on, updated_at)
       values ('bench-request', 'bench-requester', 'bench-requester-org', 'Ziel', 'flexible', ?, ?, '[]', 60, 'Europe/Berlin', 'open', '2099-01-01', 0)`,
    )
    .run(JSON.stringify(request!.formats), request!.inPersonRegion);
  sqlite.prepare("insert into request_topics (request_id, topic_id, is_main) values ('bench-request', 'topic-accessibility', 1)").run();
  sqlite.prepare("insert into request_topics (request_id, topic_id, is_main) values ('bench-request', 'topic-mobile', 0)").run();
  sqlite.prepare("insert into request_languages (request_id, language) values ('bench-request', 'de')").run();
  for (const [weekday, start, end] of [
    [1, 17 * 60, 21 * 60],
    [3, 9 * 60, 13 * 60],
    [5, 14 * 60, 18 * 60],
  ]) {
    sqlite.prepare("insert into request_availability (request_id, weekday, start_minute, end_minute) values ('bench-request', ?, ?, ?)").run(weekday, start, end);
  }
})();
sqlite.pragma("optimize");
console.log(`\nSeeded ${coachCount} coaches in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`);

const cookie = (await createUserSession(new Request("http://localhost/"), "bench-requester")).split(";")[0] ?? "";
const callLoader = async () => {
  const request = new Request("http://localhost/requests/bench-request/suggestions", { headers: { Cookie: cookie } });
  const response = await loader({ request, params: { requestId: "bench-request" }, context: {} });
  return (await response.json()) as { suggestions: { suggestions: unknown[]; excludedCoaches: number } };
};
const coldStarted = performance.now();
const first = await callLoader();
const coldMs = performance.now() - coldStarted;
const runs = 200;
const timings: number[] = [];
for (let run = 0; run < runs + 10; run++) {
  const started = performance.now();
  await callLoader();
  if (run >= 10) timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);
console.log(`GET /requests/:id/suggestions loader over ${coachCount} coaches, ${runs} runs (server time, ms):`);
console.log(`  p50 ${percentile(timings, 50).toFixed(2)}  p99 ${percentile(timings, 99).toFixed(2)}  (first call, which compiles and caches the coach pool: ${coldMs.toFixed(0)} ms)`);
console.log(`  ${first.suggestions.suggestions.length} suggestions, ${first.suggestions.excludedCoaches} coaches excluded`);

sqlite.close();
fs.rmSync(folder, { recursive: true, force: true });
