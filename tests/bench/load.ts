/**
 * `npm run bench:load`: the main pages under load. Seeds a temporary SQLite file with 10,000 coaches, 20,000
 * requests and 50,000 sessions (see load-seed.ts), starts the built app on it on 127.0.0.1 and loads each page
 * with autocannon (50 connections, a warm-up, then a bounded run, each after the server has finished what the last
 * one left in flight), each connection as its own person with a real lucia session and a browser's headers. A
 * trivial page (/privacy: the root loader and the React render, no loader of its own) is the framework's ceiling;
 * /healthz, a resource route that skips React, is shown for comparison. Then batch matching runs (2,000 open
 * requests × 400 coaches with room) are started one after another through POST /team/matching, so they run in the
 * server's worker thread the whole time, and every page is loaded again. Answers other than 2xx count as failures.
 *
 * Options (or environment): --seconds N (LOAD_SECONDS, default 10), --warmup N (LOAD_WARMUP, default 2),
 * --connections N (LOAD_CONNECTIONS, default 50).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import autocannon, { type AutocannonResult } from "autocannon";
import { buildIfNeeded } from "~/cli/build-if-needed";
import { startApp } from "../support/app-server";
import { batchCoverage, keepBatchRunning, runOneBatch, type BatchRun } from "./load-batch";
import { availableCoachCount, coachCount, openRequestCount, requestCount, seedLoadDatabase, sessionCount } from "./load-seed";
import { percentile } from "./stats";

const { values: args } = parseArgs({
  options: { seconds: { type: "string" }, warmup: { type: "string" }, connections: { type: "string" } },
});
const positive = (value: string | undefined, fallback: number) => {
  const number = Number(value ?? fallback);
  if (!Number.isInteger(number) || number < 1) throw new Error(`expected a positive whole number, got ${value}`);
  return number;
};
const seconds = positive(args.seconds ?? process.env.LOAD_SECONDS, 10);
const warmupSeconds = positive(args.warmup ?? process.env.LOAD_WARMUP, 2);
const connections = positive(args.connections ?? process.env.LOAD_CONNECTIONS, 50);
const throughputTarget = 0.5;
const p99TargetMs = 250;
const batchP99Factor = 2;

buildIfNeeded();
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-load-"));
const databasePath = path.join(folder, "load.db");
process.env.DATABASE_PATH = databasePath;
process.env.NODE_ENV = "production";
const { getDb } = await import("~/db.server");
const { migrateDatabase } = await import("~db/migrate");
const { createUserSession } = await import("~/auth.server");

const db = getDb();
migrateDatabase(db);
const seedStarted = performance.now();
const personas = seedLoadDatabase(db.$client, new Date());
db.$client.pragma("wal_checkpoint(TRUNCATE)");
console.log(
  `Seeded ${coachCount} coaches, ${requestCount} requests and ${sessionCount} sessions in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`,
);

const cookieFor = async (userId: string) => (await createUserSession(new Request("http://127.0.0.1/"), userId)).split(";")[0]!;
const cookies = new Map<string, string>();
for (const userId of new Set([...personas.teamUserIds, ...personas.requesters.map((r) => r.userId), ...personas.dashboardUserIds])) {
  cookies.set(userId, await cookieFor(userId));
}

const app = await startApp({ DATABASE_PATH: databasePath });
console.log(`App at ${app.baseUrl}; ${connections} connections, ${warmupSeconds} s warm-up and ${seconds} s per page.\n`);
// Figures from a shared machine mean little without knowing how busy it was.
const machineLoad = () => `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`;

// What Chromium sends for a page, so compression and the streamed render are those a person gets.
const browserHeaders = {
  Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "Accept-Encoding": "gzip, deflate, br, zstd",
  "Accept-Language": "de-DE,de;q=0.9,en;q=0.8",
  "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36",
};

type Target = {
  name: string;
  role: "page" | "ceiling" | "comparison";
  /** The request of connection number n: a path and, for a signed-in person, their user id. */
  request: (n: number) => { path: string; userId?: string };
  /** Text the answer must contain, checked once before the load. */
  expect: string;
};
const directoryQueries = ["", "?topic=topic-accessibility", "?topic=topic-mobile&language=en&format=video", "?language=de&page=5"];
const pick = <T,>(items: readonly T[], n: number) => items[n % items.length]!;
const targets: Target[] = [
  { name: "/privacy (trivial page)", role: "ceiling", request: () => ({ path: "/privacy" }), expect: "<h1" },
  {
    name: "directory",
    role: "page",
    request: (n) => ({ path: `/coaches${pick(directoryQueries, n)}`, userId: pick(personas.requesters, n).userId }),
    expect: 'class="offer-card',
  },
  {
    name: "suggestions",
    role: "page",
    request: (n) => {
      const { userId, requestId } = pick(personas.requesters, n);
      return { path: `/requests/${requestId}/suggestions`, userId };
    },
    expect: "<table",
  },
  { name: "review desk", role: "page", request: (n) => ({ path: "/team/desk", userId: pick(personas.teamUserIds, n) }), expect: "<table" },
  { name: "dashboard", role: "page", request: (n) => ({ path: "/dashboard", userId: pick(personas.dashboardUserIds, n) }), expect: "/sessions/" },
  { name: "log-in", role: "page", request: () => ({ path: "/login" }), expect: 'name="password"' },
  { name: "/healthz (resource route)", role: "comparison", request: () => ({ path: "/healthz" }), expect: '"database":"ok"' },
];

function headersFor(userId: string | undefined) {
  return userId ? { ...browserHeaders, Cookie: cookies.get(userId)! } : browserHeaders;
}

/** One plain request per target first: a page that answers the wrong thing fast must not pass as fast. */
async function checkTargets() {
  for (const target of targets) {
    const { path: targetPath, userId } = target.request(0);
    const response = await fetch(`${app.baseUrl}${targetPath}`, { headers: headersFor(userId), redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200 || !body.includes(target.expect)) {
      throw new Error(`${target.name}: GET ${targetPath} answered ${response.status} without ${JSON.stringify(target.expect)}`);
    }
  }
}

type Measurement = { target: Target; name: string; result: AutocannonResult; requestsPerSecond: number; failures: number };

/**
 * When autocannon stops, the requests still in flight are abandoned but the server finishes them, so the next run
 * would start behind that backlog; wait until a /healthz probe is answered at once again.
 */
async function waitUntilDrained() {
  const deadline = Date.now() + 60_000;
  let quickAnswers = 0;
  while (quickAnswers < 2 && Date.now() < deadline) {
    const started = performance.now();
    // A keep-alive connection the server closes just then fails the probe; that only means "ask again".
    const answered = await fetch(`${app.baseUrl}/healthz`).then((response) => response.arrayBuffer().then(() => true), () => false);
    quickAnswers = answered && performance.now() - started < 20 ? quickAnswers + 1 : 0;
    await sleep(50);
  }
}

async function load(target: Target, duration: number) {
  let connection = 0;
  const result = await autocannon({
    url: app.baseUrl,
    connections,
    duration,
    setupClient: (client) => {
      const { path: targetPath, userId } = target.request(connection++);
      client.setRequests([{ method: "GET", path: targetPath, headers: headersFor(userId) }]);
    },
  });
  await waitUntilDrained();
  return result;
}

async function measure(target: Target, name = target.name): Promise<Measurement> {
  await load(target, warmupSeconds);
  const result = await load(target, seconds);
  return {
    target,
    name,
    result,
    requestsPerSecond: result["2xx"] / result.duration,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

// A progress line on a terminal, overwritten as the pages go by; nothing in a log file.
const progress = (text: string) => process.stdout.isTTY && process.stdout.write(`${text.padEnd(60)}\r`);

/**
 * Every target in turn, and the trivial page both first and last: the machine is shared, and its load drifts
 * during a run, so pages are compared with the mean of the two.
 */
async function measureAll(label: string) {
  const measurements: Measurement[] = [];
  for (const target of targets) {
    progress(`  ${label}: ${target.name}…`);
    measurements.push(await measure(target, target.role === "ceiling" ? `${target.name}, first` : target.name));
  }
  const ceiling = targets.find((target) => target.role === "ceiling")!;
  progress(`  ${label}: ${ceiling.name} again…`);
  measurements.push(await measure(ceiling, `${ceiling.name}, last`));
  progress("");
  return measurements;
}

const column = (text: string, width: number) => (width < 0 ? text.padEnd(-width) : text.padStart(width));
const ms = (value: number) => value.toFixed(0);

function failuresText({ result, failures }: Measurement) {
  if (failures === 0) return "0";
  const codes = Object.entries(result.statusCodeStats)
    .filter(([code]) => !code.startsWith("2"))
    .map(([code, { count }]) => `${count}×${code}`);
  if (result.errors > 0) codes.push(`${result.errors} errors`);
  return codes.join(" ");
}

function printIdle(measurements: Measurement[]) {
  const ceilings = measurements.filter((m) => m.target.role === "ceiling");
  const ceilingRequestsPerSecond = ceilings.reduce((sum, m) => sum + m.requestsPerSecond, 0) / ceilings.length;
  console.log(
    `${column("page", -32)} ${column("req/s", 7)} ${column("p50 ms", 7)} ${column("p99 ms", 7)} ${column("non-2xx", 8)} ${column("% trivial", 10)}  target`,
  );
  for (const measurement of measurements) {
    const { target, name, result, requestsPerSecond } = measurement;
    const share = requestsPerSecond / ceilingRequestsPerSecond;
    const met = share >= throughputTarget && result.latency.p99 < p99TargetMs && measurement.failures === 0;
    console.log(
      `${column(name, -32)} ${column(requestsPerSecond.toFixed(0), 7)} ${column(ms(result.latency.p50), 7)} ${column(ms(result.latency.p99), 7)} ${column(failuresText(measurement), 8)} ${column(`${(share * 100).toFixed(0)} %`, 10)}  ${target.role === "page" ? (met ? "yes" : "NO") : "–"}`,
    );
  }
  console.log(
    `Target: every page ≥ ${throughputTarget * 100} % of the trivial page's req/s (the mean of its two runs), p99 < ${p99TargetMs} ms, no non-2xx answers.\n`,
  );
}

function printBatch(idle: Measurement[], busy: Measurement[], coverage: number[]) {
  console.log(
    `${column("page", -32)} ${column("req/s", 7)} ${column("p50 ms", 7)} ${column("p99 ms", 7)} ${column("non-2xx", 8)} ${column("idle p99", 9)} ${column("× idle", 7)} ${column("batch on", 9)}  ≤ ${batchP99Factor}×`,
  );
  busy.forEach((measurement, index) => {
    const before = idle[index]!;
    const factor = measurement.result.latency.p99 / Math.max(1, before.result.latency.p99);
    const met = factor <= batchP99Factor && measurement.failures === 0;
    console.log(
      `${column(measurement.name, -32)} ${column(measurement.requestsPerSecond.toFixed(0), 7)} ${column(ms(measurement.result.latency.p50), 7)} ${column(ms(measurement.result.latency.p99), 7)} ${column(failuresText(measurement), 8)} ${column(ms(before.result.latency.p99), 9)} ${column(factor.toFixed(2), 7)} ${column(`${(coverage[index]! * 100).toFixed(0)} %`, 9)}  ${measurement.target.role === "page" ? (met ? "yes" : "NO") : "–"}`,
    );
  });
  console.log("“batch on”: the share of the measured seconds during which a batch run was in progress.\n");
}

function describeRuns(label: string, runs: BatchRun[]) {
  const durations = runs.map((run) => run.finishedAt - run.createdAt).sort((a, b) => a - b);
  const [first] = runs;
  if (!first) return `${label}: no run finished`;
  return `${label}: ${runs.length} run(s) of ${first.requestCount} open requests × ${first.coachCount} coaches (${availableCoachCount} with room), ${first.matchedCount} proposals each; duration p50 ${(percentile(durations, 50) / 1000).toFixed(1)} s, max ${(durations.at(-1)! / 1000).toFixed(1)} s (scoring ${first.scoreMs} ms, solving ${first.solveMs} ms in the first)`;
}

try {
  await checkTargets();
  const teamCookie = cookies.get(personas.teamUserIds[0]!)!;
  const alone = await runOneBatch(app.baseUrl, teamCookie, db);
  if (alone.requestCount !== openRequestCount) throw new Error(`the batch saw ${alone.requestCount} open requests, not ${openRequestCount}`);
  console.log(describeRuns("Batch without page load", [alone]));

  console.log(`\nIdle (no batch run), ${seconds} s per page (${machineLoad()}):`);
  const idle = await measureAll("idle");
  printIdle(idle);

  console.log(`With batch runs back to back in the server's worker thread, ${seconds} s per page (${machineLoad()}):`);
  const batch = keepBatchRunning(app.baseUrl, teamCookie, db);
  const busy = await measureAll("batch");
  const runs = await batch.stop();
  const coverage = busy.map(({ result }) => batchCoverage(runs, result.start.getTime(), result.finish.getTime()));
  printBatch(idle, busy, coverage);
  console.log(describeRuns("Batch under page load", runs));
  console.log(`At the end: ${machineLoad()}.`);
} finally {
  await app.stop();
  db.$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
}
