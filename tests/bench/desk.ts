/**
 * `npm run bench:desk`: the team's review desk with 10,000 requests and 2,000 coaches in a temporary
 * SQLite file and 300 proposals waiting for review. Calls the /team/desk loader (session, expiry check,
 * proposals with next-best alternatives, open requests page) repeatedly and prints p50/p99 server time.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { benchCoaches, benchRequests } from "./matching-profiles";
import { seedCoaches, seedRequests } from "./seed-profiles";
import { percentile } from "./stats";

const requestCount = 10_000;
const coachCount = 2_000;
const proposalCount = 300;
const runsPerScenario = 100;

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-desk-"));
process.env.DATABASE_PATH = path.join(folder, "bench.db");
process.env.NODE_ENV = "production";
const { getDb } = await import("~/db.server");
const { migrateDatabase } = await import("~db/migrate");
const { createUserSession } = await import("~/auth.server");
const { loader } = await import("~/routes/team.desk");

const db = getDb();
migrateDatabase(db);
const sqlite = db.$client;
const now = new Date();
const seedStarted = performance.now();
const coaches = benchCoaches(coachCount, 3);
const requests = benchRequests(requestCount, now, 4);
seedCoaches(sqlite, coaches);
seedRequests(sqlite, requests);
sqlite.transaction(() => {
  sqlite.prepare("insert into users (id, email, name, password_hash, locale, time_zone, privacy_consent_at) values ('bench-team', 'team@bench.example', 'Bench Team', 'x', 'de', 'Europe/Berlin', 0)").run();
  sqlite.prepare("insert into user_roles (user_id, role) values ('bench-team', 'team')").run();
  const proposal = sqlite.prepare(
    `insert into matches (id, request_id, offer_id, status, source, score, breakdown, created_at, updated_at)
     values (?, ?, ?, 'awaitingReview', 'requester', 60, '{"topicFit":30,"commonTime":15,"organisationKind":5,"fairness":5,"waitingTime":5}', ?, ?)`,
  );
  for (let n = 0; n < proposalCount; n++) {
    proposal.run(`bench-match-${n}`, requests[n * 7]!.requestId, coaches[n % coachCount]!.offerId, now.getTime(), now.getTime());
  }
})();
sqlite.pragma("optimize");
console.log(
  `Seeded ${requestCount} requests, ${coachCount} coaches and ${proposalCount} proposals in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`,
);

const cookie = (await createUserSession(new Request("http://localhost/"), "bench-team")).split(";")[0] ?? "";
const scenarios: [string, string][] = [
  ["first page", ""],
  ["topic filter", "topic=topic-accessibility"],
  ["open requests page 200", "page=200"],
];

console.log(`\nGET /team/desk loader, ${runsPerScenario} runs each (server time, ms):`);
console.log(`${"scenario".padEnd(26)} ${"p50".padStart(7)} ${"p99".padStart(7)}  proposals shown / open requests`);
for (const [name, query] of scenarios) {
  const timings: number[] = [];
  let summary = "";
  for (let run = 0; run < runsPerScenario + 5; run++) {
    const request = new Request(`http://localhost/team/desk?${query}`, { headers: { Cookie: cookie } });
    const started = performance.now();
    const response = await loader({ request, params: {}, context: {} });
    const body = (await response.json()) as { proposals: unknown[]; openTotal: number };
    if (run >= 5) timings.push(performance.now() - started);
    summary = `${body.proposals.length} / ${body.openTotal}`;
  }
  timings.sort((a, b) => a - b);
  console.log(`${name.padEnd(26)} ${percentile(timings, 50).toFixed(1).padStart(7)} ${percentile(timings, 99).toFixed(1).padStart(7)}  ${summary}`);
}

sqlite.close();
fs.rmSync(folder, { recursive: true, force: true });
