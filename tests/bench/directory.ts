/**
 * `npm run bench:directory`: the coach directory's server time with 10,000 coaches in the
 * database. Seeds a temporary SQLite file, then calls the /coaches loader (session check,
 * filtered query, cards) repeatedly per scenario and prints p50/p99.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const coachCount = 10_000;
const runsPerScenario = 200;

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-"));
process.env.DATABASE_PATH = path.join(folder, "bench.db");
process.env.NODE_ENV = "production";

const { percentile } = await import("./stats");
const { getDb } = await import("~/db.server");
const { migrateDatabase } = await import("~db/migrate");
const { createUserSession } = await import("~/auth.server");
const { loader } = await import("~/routes/coaches");
const { languageCodes, sessionFormats, accessOptions, regionCodes } = await import("~db/schema");

const db = getDb();
migrateDatabase(db);
const sqlite = db.$client;
const topicIds = ["topic-onboarding", "topic-accessibility", "topic-mobile", "topic-hosting"];
const pick = <T,>(items: readonly T[], n: number) => items[n % items.length] as T;

const seedStarted = performance.now();
sqlite.transaction(() => {
  const insertUser = sqlite.prepare(
    "insert into users (id, email, name, password_hash, locale, time_zone, privacy_consent_at) values (?, ?, ?, 'x', 'de', 'Europe/Berlin', 0)",
  );
  const insertRole = sqlite.prepare("insert into user_roles (user_id, role) values (?, ?)");
  const insertOrganisation = sqlite.prepare(
    "insert into organisations (id, name, kind, size_band, region) values (?, ?, 'association', 'upTo50', ?)",
  );
  const insertMembership = sqlite.prepare("insert into memberships (organisation_id, user_id) values (?, ?)");
  const insertOffer = sqlite.prepare(
    `insert into coach_offers (id, user_id, organisation_id, formats, in_person_region, travel_km, access_support,
       capacity_per_month, paused_until, bio, time_zone, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Europe/Berlin', ?)`,
  );
  const insertTopic = sqlite.prepare("insert into offer_topics (offer_id, topic_id, level, note) values (?, ?, ?, '')");
  const insertLanguage = sqlite.prepare("insert into offer_languages (offer_id, language) values (?, ?)");
  const insertWindow = sqlite.prepare(
    "insert into offer_availability (offer_id, weekday, start_minute, end_minute) values (?, ?, ?, ?)",
  );
  for (let n = 0; n < coachCount; n++) {
    const userId = `user-${n}`;
    const organisationId = `org-${n}`;
    const offerId = `offer-${n}`;
    const region = pick(regionCodes, n);
    insertUser.run(userId, `coach-${n}@bench.example`, `Coach ${n}`);
    insertRole.run(userId, "coach");
    insertOrganisation.run(organisationId, `Verein ${n}`, region);
    insertMembership.run(organisationId, userId);
    const formats = [pick(sessionFormats, n), pick(sessionFormats, n + 1)];
    insertOffer.run(
      offerId,
      userId,
      organisationId,
      JSON.stringify(formats),
      formats.includes("inPerson") ? region : null,
      formats.includes("inPerson") ? 50 : null,
      JSON.stringify(n % 3 === 0 ? [] : [pick(accessOptions, n)]),
      1 + (n % 8),
      n % 20 === 0 ? "2099-01-01" : null,
      "Wir teilen unsere Erfahrung mit HumHub.",
      n,
    );
    for (let t = 0; t < 1 + (n % 3); t++) insertTopic.run(offerId, pick(topicIds, n + t), 1 + ((n + t) % 3));
    insertLanguage.run(offerId, "de");
    if (n % 2 === 0) insertLanguage.run(offerId, pick(languageCodes.slice(1), n));
    insertWindow.run(offerId, 1 + (n % 5), 18 * 60, 20 * 60);
    insertWindow.run(offerId, 6, 10 * 60, 12 * 60);
  }
  insertUser.run("bench-requester", "requester@bench.example", "Bench Requester");
  insertRole.run("bench-requester", "requester");
})();
sqlite.pragma("optimize");
console.log(`Seeded ${coachCount} coaches in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`);

const cookie = (await createUserSession(new Request("http://localhost/"), "bench-requester")).split(";")[0] ?? "";
const scenarios: [string, string][] = [
  ["no filter", ""],
  ["topic", "topic=topic-accessibility"],
  ["topic + language + format", "topic=topic-mobile&language=tr&format=video"],
  ["topic + access + region", "topic=topic-hosting&access=captions&region=DE-BE"],
  ["language only, page 20", "language=pl&page=20"],
];

console.log(`\nGET /coaches loader, ${runsPerScenario} runs each (server time, ms):`);
console.log(`${"scenario".padEnd(30)} ${"p50".padStart(7)} ${"p99".padStart(7)}  results`);
for (const [name, query] of scenarios) {
  const timings: number[] = [];
  let total = 0;
  for (let run = 0; run < runsPerScenario + 10; run++) {
    const request = new Request(`http://localhost/coaches?${query}`, { headers: { Cookie: cookie } });
    const started = performance.now();
    const response = await loader({ request, params: {}, context: {} });
    const body = (await response.json()) as { total: number };
    if (run >= 10) timings.push(performance.now() - started);
    total = body.total;
  }
  timings.sort((a, b) => a - b);
  console.log(`${name.padEnd(30)} ${percentile(timings, 50).toFixed(2).padStart(7)} ${percentile(timings, 99).toFixed(2).padStart(7)}  ${total}`);
}

sqlite.close();
fs.rmSync(folder, { recursive: true, force: true });
