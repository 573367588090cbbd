/**
 * Crash and concurrency: the built app, wired to a fake HumHub that answers slowly, takes a burst of concurrent
 * writes through its real forms (sign-ups, new coaching requests, session offers and confirmations, two tandems of
 * each coach competing for one time) and is killed with SIGKILL in the middle of it, three times over; after each
 * restart on the same database file SQLite's integrity and foreign-key checks pass, every acknowledged write is there
 * with its data, no booking is half made, nobody is double-booked, and the HumHub outbox resumes: once it is empty,
 * HumHub holds exactly one calendar entry and one post per confirmed session, also for calls the dead server had on
 * their way.
 *
 * A call the killed server had claimed waits out its lease (and one that timed out, the settling time) before another
 * server may send it again. Each restart's clock (shifted-clock.mjs) starts that much later than the one before, so
 * the restarted server finds those rows due at once, as it would after a real outage of that length.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, type TandemDatabase } from "~/db.server";
import { countOutbox, defaultDeliveryOptions } from "~/models/humhub-outbox.server";
import { saveHumhubSettings } from "~/models/humhub-settings.server";
import { listOrganisationsForUser } from "~/models/organisation.server";
import { getSchedulingOptions } from "~/models/session.server";
import {
  coachingRequests,
  coachingSessions,
  humhubOutbox,
  notifications,
  requestAvailability,
  requestHistory,
  requestTopics,
  sessionEvents,
  userRoles,
  users,
} from "~db/schema";
import { startApp, type RunningApp } from "../support/app-server";
import { nextClientIp, uniqueEmail } from "../support/browser-session";
import { startFakeHumhub, type FakeHumhub } from "../support/fake-humhub";
import { confirmationCalls } from "../support/humhub-delivery-fixtures";
import { asViewer, DAY, HOUR, sessionFixtures, type Person } from "../support/session-fixtures";

const rounds = 3;
const coachesPerRound = 8;
/** Both tandems of a coach are offered the same time, so their confirmations compete. */
const tandemsPerCoach = 2;
const signUpsPerRound = 16;
/** Every HumHub call takes this long, so some are on their way when the server dies. */
const humhubLatencyMs = 300;
/** How much later each restart's clock starts: past a dead server's lease and past the wait after a timed-out call. */
const restartClockStepMs = Math.max(defaultDeliveryOptions.leaseMs, defaultDeliveryOptions.settleAfterTimeoutMs) + 5_000;
const shiftedClock = path.join(path.dirname(fileURLToPath(import.meta.url)), "../support/shifted-clock.mjs");

const { makeCoach, makeAcceptedMatch, teamMember, cookiesFor } = sessionFixtures({ person: "Crash Person", emailPrefix: "crash" });

type Tandem = { matchId: string; coach: Person; requester: Person; organisationId: string; startsAt: number; cookies: { coach: string; requester: string } };

/**
 * What one HTTP write tried and what became of it: acknowledged (the success redirect arrived), refused (another
 * answer), or lost (no answer). `sent` once its request has gone out.
 */
type Outcome = "acknowledged" | "refused" | "lost";
type Progress = { sent?: boolean; outcome?: Outcome };
type SignUp = Progress & { kind: "signUp"; email: string; name: string; roles: string[]; cookie?: string };
type NewRequest = Progress & { kind: "request"; requesterId: string; goal: string; requestId?: string };
type Offer = Progress & { kind: "offer"; tandem: Tandem; sessionId?: string };
type Confirmation = Progress & { kind: "confirmation"; tandem: Tandem; sessionId: string };
type Write = SignUp | NewRequest | Offer | Confirmation;

let fake: FakeHumhub;
let app: RunningApp;
let folder: string;
const tandemsByRound: Tandem[][] = [];
const borrowedEnv = ["DATABASE_PATH", "HUMHUB_BASE_URL", "HUMHUB_API_TOKEN"] as const;
const previousEnv = Object.fromEntries(borrowedEnv.map((name) => [name, process.env[name]]));

/** The server of the given generation: HumHub configured, its clock `generation` restart steps ahead. */
function serverEnv(generation: number): Record<string, string> {
  const humhub = { HUMHUB_BASE_URL: fake.url, HUMHUB_API_TOKEN: fake.token };
  if (generation === 0) return humhub;
  return {
    ...humhub,
    TANDEM_TEST_CLOCK: new Date(Date.now() + generation * restartClockStepMs).toISOString(),
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import ${JSON.stringify(shiftedClock)}`].filter(Boolean).join(" "),
  };
}

/**
 * This process's connection is closed while the server runs a burst, so after a kill the restarted server is the
 * first to open the database and recovers the write-ahead log itself, as after a real crash.
 */
function closeTestConnection() {
  const holder = globalThis as { tandemDb?: TandemDatabase };
  holder.tandemDb?.$client.close();
  delete holder.tandemDb;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what()}`);
    await delay(5);
  }
}

/**
 * Tandems for every round, made up front: this process's session cookies come from lucia on its own connection,
 * which must be closed during the bursts. Each coach's two tandems get the same time, two days or more ahead.
 */
async function seedRounds() {
  const team = teamMember();
  saveHumhubSettings(team.id, { spaceContainerId: fake.spaces[0]!.contentcontainerId, spaceName: fake.spaces[0]!.name, visibility: 0, language: "de" });
  const now = new Date();
  for (let round = 0; round < rounds; round++) {
    const tandems: Tandem[] = [];
    for (let coachIndex = 0; coachIndex < coachesPerRound; coachIndex++) {
      const coach = makeCoach();
      const matches = Array.from({ length: tandemsPerCoach }, () => makeAcceptedMatch({ coach, now }));
      const slots = getSchedulingOptions(matches[0]!.matchId, asViewer(matches[0]!.coach), null, now)!.slots;
      const startsAt = slots.find((slot) => slot.startsAt >= now.getTime() + 2 * DAY)!.startsAt;
      for (const match of matches) {
        const cookies = await cookiesFor({ coach: match.coach, requester: match.requester });
        const organisationId = listOrganisationsForUser(match.requester.id)[0]!.id;
        tandems.push({ matchId: match.matchId, coach: match.coach, requester: match.requester, organisationId, startsAt, cookies });
      }
    }
    tandemsByRound.push(tandems);
  }
}

function postForm(pathname: string, fields: [string, string][], cookie?: string) {
  return fetch(`${app.baseUrl}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: app.baseUrl,
      "X-Forwarded-For": nextClientIp(),
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** Sends one write; the success redirect's target (matched against `success`) on acknowledgement, else null. */
async function send(write: Write, pathname: string, fields: [string, string][], success: RegExp, cookie?: string) {
  write.sent = true;
  try {
    const response = await postForm(pathname, fields, cookie);
    await response.arrayBuffer();
    const location = response.headers.get("location") ?? "";
    const match = response.status === 302 ? success.exec(location) : null;
    write.outcome = match ? "acknowledged" : "refused";
    return match ? { match, response } : null;
  } catch {
    // No answer: the server died before it replied, or refused the connection.
    write.outcome = "lost";
    return null;
  }
}

async function signUp(write: SignUp) {
  const sent = await send(
    write,
    "/signup",
    [["name", write.name], ["email", write.email], ["password", "ein sicherer Satz 2026"], ["locale", "de"], ["timeZone", "Europe/Berlin"], ...write.roles.map((role): [string, string] => ["roles", role]), ["consent", "yes"]],
    /^\/dashboard$/,
  );
  write.cookie = sent?.response.headers.getSetCookie().find((cookie) => cookie.startsWith("tandem_session="))?.split(";")[0];
}

async function createRequest(write: NewRequest, tandem: Tandem) {
  const sent = await send(
    write,
    "/requests/new",
    [
      ["intent", "save"],
      ["organisationId", tandem.organisationId],
      ["topics", "topic-onboarding"],
      ["mainTopic", "topic-onboarding"],
      ["goal", write.goal],
      ["urgency", "flexible"],
      ["deadline", ""],
      ["languages", "de"],
      ["formats", "video"],
      ["inPersonRegion", ""],
      ["windows.0.weekday", "2"],
      ["windows.0.start", "09:00"],
      ["windows.0.end", "11:00"],
      ["sessionMinutes", "60"],
    ],
    /^\/requests\/([0-9a-f-]{36})$/,
    tandem.cookies.requester,
  );
  write.requestId = sent?.match[1];
}

/** The coach offers the time, then the requester confirms it: two writes, the second only after the first. */
async function book(offer: Offer, writes: Write[]) {
  const { tandem } = offer;
  const offered = await send(
    offer,
    `/matches/${tandem.matchId}/sessions/new`,
    [["times", String(tandem.startsAt)], ["format", "video"], ["joinDetails", `https://meet.example/${tandem.matchId}`], ["reason", ""]],
    /^\/sessions\/([0-9a-f-]{36})$/,
    tandem.cookies.coach,
  );
  if (!offered) return;
  offer.sessionId = offered.match[1]!;
  const confirmation: Confirmation = { kind: "confirmation", tandem, sessionId: offer.sessionId };
  writes.push(confirmation);
  await send(confirmation, `/sessions/${offer.sessionId}`, [["intent", "confirm"], ["time", String(tandem.startsAt)]], new RegExp(`^/sessions/${offer.sessionId}$`), tandem.cookies.requester);
}

/** HumHub calls the server has sent and not yet had answered. */
const humhubCallsOnTheirWay = () => fake.requestLog.filter((entry) => entry.status === null).length;

/** Starts `work` at a random moment within the first `spreadMs`, so the kinds of writes mingle. */
async function startWithin(spreadMs: number, work: () => Promise<void>) {
  await delay(Math.random() * spreadMs);
  await work();
}

/**
 * Starts every write of the round within 600 ms, the bookings first (each is an offer, then its confirmation), and
 * kills the server once a random share of them (40 to 60%) is acknowledged, at a moment when writes are on their way
 * and so are HumHub calls (or, failing those, once 80% are acknowledged). Returns when every write has its outcome.
 */
async function burstAndKill(round: number) {
  const tandems = tandemsByRound[round]!;
  const writes: Write[] = [];
  const signUps: SignUp[] = Array.from({ length: signUpsPerRound }, (_, index) => ({
    kind: "signUp",
    email: uniqueEmail(`crash-${round}-${index}`),
    name: `Crash Sign-up ${round}-${index}`,
    roles: index % 2 === 0 ? ["requester"] : ["requester", "coach"],
  }));
  const requests: NewRequest[] = tandems.map((tandem, index) => ({ kind: "request", requesterId: tandem.requester.id, goal: `Round ${round}, request ${index}: HumHub for our volunteers.` }));
  const offers: Offer[] = tandems.map((tandem) => ({ kind: "offer", tandem }));
  writes.push(...signUps, ...requests, ...offers);
  const planned = writes.length + tandems.length;
  const started = performance.now();
  const settled = Promise.all([
    ...offers.map((offer) => startWithin(300, () => book(offer, writes))),
    ...signUps.map((write) => startWithin(600, () => signUp(write))),
    ...requests.map((write, index) => startWithin(600, () => createRequest(write, tandems[index]!))),
  ]);
  let allSettled = false;
  void settled.then(() => (allSettled = true));
  const acknowledged = () => writes.filter((write) => write.outcome === "acknowledged").length;
  const onTheirWay = () => writes.filter((write) => write.sent && !write.outcome);
  const killAt = Math.ceil(planned * (0.4 + Math.random() * 0.2));
  const latestKillAt = Math.ceil(planned * 0.8);
  await waitFor(
    () => allSettled || (acknowledged() >= killAt && onTheirWay().length > 0 && (humhubCallsOnTheirWay() > 0 || acknowledged() >= latestKillAt)),
    30_000,
    () => `${killAt} acknowledged writes`,
  );
  const atKill = {
    acknowledged: acknowledged(),
    writesOnTheirWay: onTheirWay().length,
    kindsOnTheirWay: [...new Set(onTheirWay().map((write) => write.kind))].sort(),
    humhubCallsOnTheirWay: humhubCallsOnTheirWay(),
  };
  // Round r runs on the server of generation r (the first one, restarted r times).
  const killedAtServerTime = Date.now() + round * restartClockStepMs;
  await app.kill("SIGKILL");
  const burstMs = Math.round(performance.now() - started);
  await settled;
  return { writes, planned, atKill, killedAtServerTime, burstMs };
}

/** The database files exactly as the kill left them, opened in a copy (which recovers there, not in the original). */
function outboxAsLeft(killedAtServerTime: number) {
  const copyFolder = fs.mkdtempSync(path.join(folder, "as-left-"));
  for (const suffix of ["", "-wal", "-shm"]) {
    const file = `${app.databasePath}${suffix}`;
    if (fs.existsSync(file)) fs.copyFileSync(file, path.join(copyFolder, `tandem.db${suffix}`));
  }
  const copy = new Database(path.join(copyFolder, "tandem.db"));
  try {
    return copy
      .prepare(
        `select count(*) filter (where status = 'pending') as pending,
                count(*) filter (where status = 'pending' and attempts > 0 and next_attempt_at > ?) as held
           from humhub_outbox`,
      )
      .get(killedAtServerTime) as { pending: number; held: number };
  } finally {
    copy.close();
    fs.rmSync(copyFolder, { recursive: true, force: true });
  }
}

const byOutcome = (writes: Write[], kind: Write["kind"]) => {
  const ofKind = writes.filter((write) => write.kind === kind);
  return Object.fromEntries((["acknowledged", "refused", "lost"] as const).map((outcome) => [outcome, ofKind.filter((write) => write.outcome === outcome).length]));
};

function expectDatabaseSound() {
  const client = getDb().$client;
  expect(client.pragma("integrity_check", { simple: true })).toBe("ok");
  expect(client.pragma("foreign_key_check")).toEqual([]);
}

async function expectAcknowledgedWritesKept(writes: Write[]) {
  const db = getDb();
  for (const write of writes) {
    if (write.kind === "signUp") {
      const user = db.select().from(users).where(eq(users.email, write.email)).get();
      if (write.outcome !== "acknowledged") {
        // Not acknowledged: there or not, but never without its roles.
        if (user) expect(db.select().from(userRoles).where(eq(userRoles.userId, user.id)).all().length).toBe(write.roles.length);
        continue;
      }
      expect(user, write.email).toMatchObject({ name: write.name, locale: "de", timeZone: "Europe/Berlin" });
      const roles = db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, user!.id)).all();
      expect(roles.map((row) => row.role).sort()).toEqual([...write.roles].sort());
      // The session the sign-up handed out still lets the person in.
      const dashboard = await fetch(`${app.baseUrl}/dashboard`, { redirect: "manual", headers: { Cookie: write.cookie! } });
      await dashboard.arrayBuffer();
      expect(dashboard.status, write.email).toBe(200);
    }
    if (write.kind === "request" && write.outcome === "acknowledged") {
      const request = db.select().from(coachingRequests).where(eq(coachingRequests.id, write.requestId!)).get();
      expect(request, write.goal).toMatchObject({ userId: write.requesterId, goal: write.goal, status: "open", sessionMinutes: 60 });
    }
    if (write.kind === "offer" && write.outcome === "acknowledged") {
      const session = db.select().from(coachingSessions).where(eq(coachingSessions.id, write.sessionId!)).get();
      expect(session).toMatchObject({ matchId: write.tandem.matchId, coachUserId: write.tandem.coach.id, requesterUserId: write.tandem.requester.id });
      expect(["proposed", "confirmed"]).toContain(session!.status);
    }
    if (write.kind === "confirmation" && write.outcome === "acknowledged") {
      const session = db.select().from(coachingSessions).where(eq(coachingSessions.id, write.sessionId)).get();
      expect(session).toMatchObject({ status: "confirmed", startsAt: new Date(write.tandem.startsAt), endsAt: new Date(write.tandem.startsAt + HOUR) });
    }
  }
  // Every request of the bursts, acknowledged or not, is whole: its topic, its time window and its history.
  const requesterIds = writes.filter((write): write is NewRequest => write.kind === "request").map((write) => write.requesterId);
  const goals = new Set(writes.filter((write): write is NewRequest => write.kind === "request").map((write) => write.goal));
  const burstRequests = db.select().from(coachingRequests).where(inArray(coachingRequests.userId, requesterIds)).all().filter((request) => goals.has(request.goal));
  for (const request of burstRequests) {
    expect(db.select().from(requestTopics).where(eq(requestTopics.requestId, request.id)).all()).toHaveLength(1);
    expect(db.select().from(requestAvailability).where(eq(requestAvailability.requestId, request.id)).all()).toHaveLength(1);
    expect(db.select({ action: requestHistory.action }).from(requestHistory).where(eq(requestHistory.requestId, request.id)).all()).toEqual([{ action: "created" }]);
  }
}

/**
 * Every session of the seeded tandems is whole: an offer has its time and its event; a confirmed session has its
 * times, both people of its tandem, its events, the other side's notice and exactly the HumHub calls a confirmation
 * writes; nobody has two confirmed sessions at once. Returns the confirmed sessions' ids.
 */
function expectNoHalfMadeBooking(tandems: Tandem[]) {
  const db = getDb();
  const tandemOf = new Map(tandems.map((tandem) => [tandem.matchId, tandem]));
  const sessions = db.select().from(coachingSessions).where(inArray(coachingSessions.matchId, [...tandemOf.keys()])).all();
  for (const session of sessions) {
    const tandem = tandemOf.get(session.matchId)!;
    const events = db.select({ kind: sessionEvents.kind, startsAt: sessionEvents.startsAt }).from(sessionEvents).where(eq(sessionEvents.sessionId, session.id)).orderBy(sessionEvents.id).all();
    const outbox = db.select({ kind: humhubOutbox.kind }).from(humhubOutbox).where(eq(humhubOutbox.sessionId, session.id)).orderBy(humhubOutbox.id).all();
    expect(session).toMatchObject({ coachUserId: tandem.coach.id, requesterUserId: tandem.requester.id, durationMinutes: 60, format: "video" });
    expect(events[0]).toEqual({ kind: "proposed", startsAt: new Date(tandem.startsAt) });
    if (session.status === "proposed") {
      expect(session).toMatchObject({ proposedTimes: [{ startsAt: tandem.startsAt, endsAt: tandem.startsAt + HOUR }], proposedByUserId: tandem.coach.id, startsAt: null, endsAt: null });
      expect(events).toHaveLength(1);
      expect(outbox).toEqual([]);
    } else {
      expect(session).toMatchObject({ status: "confirmed", startsAt: new Date(tandem.startsAt), endsAt: new Date(tandem.startsAt + HOUR), proposedTimes: null, joinDetails: `https://meet.example/${tandem.matchId}` });
      expect(events).toEqual([
        { kind: "proposed", startsAt: new Date(tandem.startsAt) },
        { kind: "confirmed", startsAt: new Date(tandem.startsAt) },
      ]);
      expect(outbox.map((row) => row.kind)).toEqual(confirmationCalls);
      const notices = db.select({ userId: notifications.userId, kind: notifications.kind }).from(notifications).where(eq(notifications.matchId, session.matchId)).all();
      expect(notices).toContainEqual({ userId: tandem.coach.id, kind: "sessionConfirmed" });
    }
  }
  const confirmed = sessions.filter((session) => session.status === "confirmed");
  for (const person of new Set(confirmed.flatMap((session) => [session.coachUserId, session.requesterUserId]))) {
    const own = confirmed.filter((session) => session.coachUserId === person || session.requesterUserId === person).sort((a, b) => a.startsAt!.getTime() - b.startsAt!.getTime());
    own.slice(1).forEach((session, index) => expect(session.startsAt!.getTime()).toBeGreaterThanOrEqual(own[index]!.endsAt!.getTime()));
  }
  return confirmed.map((session) => session.id);
}

/** Exactly one live calendar entry and one post per confirmed session, and nothing for anything else. */
function expectExactlyOnceInHumhub(confirmedIds: string[]) {
  const entries = [...fake.calendarEntries.values()].filter((entry) => !entry.deleted);
  const posts = [...fake.posts.values()];
  for (const sessionId of confirmedIds) {
    const own = entries.filter((entry) => entry.description.includes(`/sessions/${sessionId}#calendar`));
    expect(own, sessionId).toHaveLength(1);
    expect(posts.filter((post) => post.message.includes(`/sessions/${sessionId}#announcement`)), sessionId).toHaveLength(1);
    expect(getDb().select({ entryId: coachingSessions.humhubEntryId }).from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get()).toEqual({ entryId: own[0]!.id });
  }
  expect(entries).toHaveLength(confirmedIds.length);
  expect(posts).toHaveLength(confirmedIds.length);
}

beforeAll(async () => {
  fake = await startFakeHumhub();
  fake.setFaults({ rate: 1, kinds: ["slow"], slowMs: humhubLatencyMs });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-crash-"));
  app = await startApp(serverEnv(0), { databasePath: path.join(folder, "tandem.db") });
  process.env.DATABASE_PATH = app.databasePath;
  await seedRounds();
  closeTestConnection();
});

afterAll(async () => {
  closeTestConnection();
  for (const name of borrowedEnv) {
    if (previousEnv[name] === undefined) delete process.env[name];
    else process.env[name] = previousEnv[name];
  }
  await app?.stop();
  await fake?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe("SIGKILL during a burst of concurrent writes, three times", () => {
  it("keeps every acknowledged write, makes no booking by halves, and HumHub gets each session once", async () => {
    const figures = [];
    for (let round = 0; round < rounds; round++) {
      const { writes, planned, atKill, killedAtServerTime, burstMs } = await burstAndKill(round);
      const left = outboxAsLeft(killedAtServerTime);
      const restartStarted = performance.now();
      app = await startApp(serverEnv(round + 1), { databasePath: app.databasePath, port: app.port });
      const restartMs = Math.round(performance.now() - restartStarted);

      expectDatabaseSound();
      await expectAcknowledgedWritesKept(writes);
      const confirmedIds = tandemsByRound.slice(0, round + 1).flatMap((tandems) => expectNoHalfMadeBooking(tandems));

      const drainStarted = performance.now();
      await waitFor(() => countOutbox().pending === 0, 30_000, () => `an empty outbox: ${JSON.stringify(countOutbox())}`);
      const drainMs = Math.round(performance.now() - drainStarted);
      expect(countOutbox().failed).toBe(0);
      expectExactlyOnceInHumhub(confirmedIds);
      expect(app.output()).not.toMatch(/HumHub delivery (error|failed)/);
      const foundExisting = getDb().select({ id: humhubOutbox.id }).from(humhubOutbox).where(eq(humhubOutbox.resultNote, "foundExisting")).all().length;
      // The kill came in the middle of the burst.
      expect(atKill.writesOnTheirWay).toBeGreaterThan(0);

      figures.push({
        round: round + 1,
        planned,
        signUps: byOutcome(writes, "signUp"),
        requests: byOutcome(writes, "request"),
        offers: byOutcome(writes, "offer"),
        confirmations: byOutcome(writes, "confirmation"),
        atKill: { ...atKill, outboxPending: left.pending, outboxHeldByDeadServer: left.held },
        confirmedSessionsSoFar: confirmedIds.length,
        foundExistingSoFar: foundExisting,
        burstMs,
        restartMs,
        drainMs,
      });
      closeTestConnection();
    }
    console.info(`crash rounds:\n${figures.map((figure) => JSON.stringify(figure)).join("\n")}`);
    // The resumption was put to the test: at least one kill left calls the dead server had claimed.
    expect(figures.some((figure) => figure.atKill.outboxHeldByDeadServer > 0)).toBe(true);
  }, 120_000);
});
