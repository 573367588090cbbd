/**
 * Confirmed sessions reach HumHub through the outbox, against the fake HumHub on 127.0.0.1 and a real migrated
 * database: what is sent (entry, post, mentions, notifications), reschedule and cancel in order, nothing sent for a
 * session cancelled or over by delivery, one person's refused notification holding nothing up, 200 sessions under
 * 30% injected faults (lost responses included) with no duplicate and none lost, the same with the deliverer killed
 * mid-way in a child process, HumHub's refusals, an unconfigured HumHub, and the backoff.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { and, eq, inArray } from "drizzle-orm";
import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  backoffDelayMs,
  countOutbox,
  deliverDueOutbox,
  getHumhubStateForSession,
  listFailedDeliveries,
  retryFailedDeliveries,
  type DeliveryOptions,
} from "~/models/humhub-outbox.server";
import { saveHumhubSettings } from "~/models/humhub-settings.server";
import { cancelSession, confirmSessionTime, getSchedulingOptions, proposeSessionTimes, type SessionViewer } from "~/models/session.server";
import { coachingRequests, coachingSessions, coachOffers, humhubOutbox, matches, organisations, topics } from "~db/schema";
import { startFakeHumhub, type FakeHumhub, type FaultKind } from "../support/fake-humhub";
import {
  acceptedMatch,
  confirmationCalls,
  insertConfirmedSessions,
  linkHumhubAccount,
  makeDeliveryUser,
  type AcceptedMatch,
} from "../support/humhub-delivery-fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const allFaults: FaultKind[] = ["500", "429", "slow", "dropAfterActing", "dropBeforeActing"];

/** Quick retries for tests; production waits seconds to minutes. */
const fast: Partial<DeliveryOptions> = {
  leaseMs: 2_000,
  backoffBaseMs: 10,
  backoffMaxMs: 200,
  maxAttempts: 12,
  parallelSessions: 8,
  timeoutMs: 2_000,
  settleAfterTimeoutMs: 500,
};

let fake: FakeHumhub;
let teamUserId: string;

function configure(target: FakeHumhub, token = target.token, spaceContainerId: number | null = 11) {
  process.env.HUMHUB_BASE_URL = target.url;
  process.env.HUMHUB_API_TOKEN = token;
  saveHumhubSettings(teamUserId, { spaceContainerId, spaceName: spaceContainerId ? "Peer-Coaching" : null, visibility: 0, language: "de" });
}

function unconfigure() {
  delete process.env.HUMHUB_BASE_URL;
  delete process.env.HUMHUB_API_TOKEN;
}

/**
 * Delivery passes until no row is pending. The first pass starts in the caller's tick, so the delivery a model
 * function kicks off (with production timings) joins this one instead of running its own.
 */
async function deliverUntilDone(options: Partial<DeliveryOptions> = fast, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let passes = 0;
  while (countOutbox().pending > 0) {
    if (Date.now() > deadline) throw new Error(`Outbox not done after ${timeoutMs} ms: ${JSON.stringify(countOutbox())}`);
    await deliverDueOutbox(options);
    passes++;
    await delay(2);
  }
  return passes;
}

/** Passes until one finds nothing to do: for rows that wait behind a refusal and never reach "no pending". */
async function deliverUntilQuiet(options: Partial<DeliveryOptions> = fast) {
  for (let pass = 0; pass < 200; pass++) {
    const report = await deliverDueOutbox(options);
    if (report.delivered + report.retrying + report.failed === 0) return;
    await delay(2);
  }
  throw new Error("Delivery never went quiet");
}

const markerOf = (sessionId: string, kind: "calendar" | "announcement" | "cancellation") => `/sessions/${sessionId}#${kind}`;
const entriesFor = (target: FakeHumhub, sessionId: string, { withDeleted = false } = {}) =>
  [...target.calendarEntries.values()].filter((entry) => (withDeleted || !entry.deleted) && entry.description.includes(markerOf(sessionId, "calendar")));
const postsFor = (target: FakeHumhub, sessionId: string, kind: "announcement" | "cancellation" = "announcement") =>
  [...target.posts.values()].filter((post) => post.message.includes(markerOf(sessionId, kind)));
const origin = (target: FakeHumhub) => target.url.replace(/\/api\/v1$/, "");
const contentUrl = (target: FakeHumhub, contentId: number) => `${origin(target)}/content/perma?id=${contentId}`;

function outboxRows(sessionIds: string[]) {
  return getDb().select().from(humhubOutbox).where(inArray(humhubOutbox.sessionId, sessionIds)).orderBy(humhubOutbox.id).all();
}

/** kind, status and note of a session's notification rows. */
function notifyRows(sessionId: string) {
  return outboxRows([sessionId])
    .filter((row) => row.kind === "notifyCoach" || row.kind === "notifyRequester")
    .map((row) => [row.kind, row.status, row.resultNote]);
}

function viewers(match: AcceptedMatch) {
  return { coach: { id: match.coachId, roles: ["coach"] } satisfies SessionViewer, requester: { id: match.requesterId, roles: ["requester"] } satisfies SessionViewer };
}

/** The names HumHub must show, read straight from the tables rather than through the code under test. */
function namesOf(match: AcceptedMatch) {
  const row = getDb()
    .select({ requestId: matches.requestId, offerId: matches.offerId })
    .from(matches)
    .where(eq(matches.id, match.matchId))
    .get()!;
  const requestOrg = getDb()
    .select({ name: organisations.name, goal: coachingRequests.goal })
    .from(coachingRequests)
    .innerJoin(organisations, eq(organisations.id, coachingRequests.organisationId))
    .where(eq(coachingRequests.id, row.requestId))
    .get()!;
  const coachOrg = getDb()
    .select({ name: organisations.name })
    .from(coachOffers)
    .innerJoin(organisations, eq(organisations.id, coachOffers.organisationId))
    .where(eq(coachOffers.id, row.offerId))
    .get()!;
  const topic = getDb().select({ label: topics.labelDe }).from(topics).where(eq(topics.id, "topic-onboarding")).get()!;
  return { requesterOrganisation: requestOrg.name, coachOrganisation: coachOrg.name, goal: requestOrg.goal, topic: topic.label };
}

/** Coach offers a free time, requester confirms it: the path a confirmation takes in the app. */
function proposeAndConfirm(match: AcceptedMatch, slotIndex = 0, joinDetails = "https://meet.example/tandem-room") {
  const { coach, requester } = viewers(match);
  const options = getSchedulingOptions(match.matchId, coach, null);
  const slot = options?.slots[slotIndex];
  if (!slot) throw new Error("no free slot");
  const proposed = proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: coach, times: [slot.startsAt], format: "video", joinDetails });
  if (!proposed.ok) throw new Error(proposed.refusal);
  const confirmed = confirmSessionTime({ sessionId: proposed.sessionId, viewer: requester, startsAt: slot.startsAt, joinDetails: "" });
  if (!confirmed.ok) throw new Error(confirmed.refusal);
  return { sessionId: proposed.sessionId, startsAt: slot.startsAt, endsAt: slot.endsAt };
}

/** Coach offers a new time for a confirmed session, requester takes it: the reschedule path. */
function reschedule(match: AcceptedMatch, sessionId: string, slotIndex: number) {
  const { coach, requester } = viewers(match);
  const slot = getSchedulingOptions(match.matchId, coach, sessionId)?.slots[slotIndex];
  if (!slot) throw new Error("no free slot");
  const proposed = proposeSessionTimes({ matchId: match.matchId, sessionId, viewer: coach, times: [slot.startsAt], format: "video", joinDetails: "https://meet.example/tandem-room" });
  if (!proposed.ok) throw new Error(proposed.refusal);
  const confirmed = confirmSessionTime({ sessionId, viewer: requester, startsAt: slot.startsAt, joinDetails: "" });
  if (!confirmed.ok) throw new Error(confirmed.refusal);
  return { startsAt: slot.startsAt, endsAt: slot.endsAt };
}

const wallClock = (millis: number, zone: string) => {
  const time = DateTime.fromMillis(millis, { zone });
  return { date: time.toFormat("yyyy-MM-dd"), time: time.toFormat("HH:mm") };
};

/** Exactly one live entry and one announcement per session, each the one the session row points at. */
function expectExactlyOnce(target: FakeHumhub, sessionIds: string[]) {
  const duplicates: string[] = [];
  const missing: string[] = [];
  for (const id of sessionIds) {
    const entries = entriesFor(target, id, { withDeleted: true });
    const posts = postsFor(target, id);
    if (entries.length > 1 || posts.length > 1) duplicates.push(`${id}: ${entries.length} entries, ${posts.length} posts`);
    if (entries.length === 0 || posts.length === 0) missing.push(`${id}: ${entries.length} entries, ${posts.length} posts`);
  }
  expect(duplicates).toEqual([]);
  expect(missing).toEqual([]);
  expect([...target.calendarEntries.values()].filter((entry) => entry.containerId === 11)).toHaveLength(sessionIds.length);
  expect([...target.posts.values()].filter((post) => post.containerId === 11)).toHaveLength(sessionIds.length);
  const sessions = getDb().select().from(coachingSessions).where(inArray(coachingSessions.id, sessionIds)).all();
  for (const session of sessions) {
    const [entry] = entriesFor(target, session.id);
    expect(session.humhubEntryId).toBe(entry!.id);
    expect(session.humhubEntryUrl).toBe(contentUrl(target, entry!.contentId));
    // The announcement links the entry that exists, not one a lost attempt left behind.
    expect(postsFor(target, session.id)[0]!.message).toContain(`(${session.humhubEntryUrl})`);
  }
  const rows = outboxRows(sessionIds);
  expect(rows).toHaveLength(sessionIds.length * confirmationCalls.length);
  expect(rows.filter((row) => row.status !== "delivered")).toEqual([]);
}

function deliveryFigures(target: FakeHumhub, sessionIds: string[]) {
  const rows = outboxRows(sessionIds);
  const faults: Record<string, number> = {};
  for (const entry of target.requestLog) if (entry.fault) faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
  return {
    requests: target.requestLog.length,
    faults,
    attempts: rows.reduce((sum, row) => sum + row.attempts, 0),
    retries: rows.reduce((sum, row) => sum + Math.max(0, row.attempts - 1), 0),
    foundExisting: rows.filter((row) => row.resultNote === "foundExisting").length,
  };
}

const originalHumhubEnv = { HUMHUB_BASE_URL: process.env.HUMHUB_BASE_URL, HUMHUB_API_TOKEN: process.env.HUMHUB_API_TOKEN };

beforeAll(() => {
  teamUserId = makeDeliveryUser(["team"]).id;
});

afterAll(() => {
  for (const [name, value] of Object.entries(originalHumhubEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

beforeEach(async () => {
  fake = await startFakeHumhub();
  configure(fake);
});

afterEach(async () => {
  await fake.close();
  // A test that failed half-way must not leave rows that the next test's deliveries pick up.
  getDb().delete(humhubOutbox).where(inArray(humhubOutbox.status, ["pending", "failed"])).run();
});

describe("a confirmed session in HumHub", () => {
  it("becomes one calendar entry in the request's zone and one post linking it, mentioning and notifying known participants", async () => {
    // Mondays 18–20 in Berlin are early Tuesday in Tokyo: the entry must carry Tokyo's date and time.
    const match = acceptedMatch({ requestTimeZone: "Asia/Tokyo", request: { windows: [{ weekday: 2, startMinute: 0, endMinute: 6 * 60 }] } });
    const anna = fake.users.find((user) => user.username === "anna.schmidt")!;
    linkHumhubAccount(match.requesterId, anna);
    linkHumhubAccount(match.coachId, null);
    configure(fake, fake.adminToken);
    const names = namesOf(match);

    const { sessionId, startsAt, endsAt } = proposeAndConfirm(match);
    expect(getHumhubStateForSession(sessionId)).toEqual({ state: "pending", waitingForSetup: false });
    await deliverUntilDone();

    const entries = [...fake.calendarEntries.values()];
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    const start = wallClock(startsAt, "Asia/Tokyo");
    const end = wallClock(endsAt, "Asia/Tokyo");
    expect(start.date).not.toBe(wallClock(startsAt, "Europe/Berlin").date);
    expect(entry).toMatchObject({
      containerId: 11,
      all_day: 0,
      start_date: start.date,
      start_time: start.time,
      end_date: end.date,
      end_time: end.time,
      timeZone: "Asia/Tokyo",
      deleted: false,
    });
    expect(entry.title).toContain(names.topic);
    expect(entry.title).toContain(names.requesterOrganisation);
    expect(entry.title).toContain(names.coachOrganisation);
    expect(names.requesterOrganisation).not.toBe(names.coachOrganisation);
    expect(entry.description).toContain(names.goal);
    // A bare link is an autolink, taken literally: no backslashes in the URL people click.
    expect(entry.description).toContain("Videocall: <https://meet.example/tandem-room>");
    expect(entry.description).toContain(markerOf(sessionId, "calendar"));

    const posts = [...fake.posts.values()];
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    const entryUrl = contentUrl(fake, entry.contentId);
    expect(post.containerId).toBe(11);
    expect(post.message).toContain(`(${entryUrl})`);
    expect(post.message).toContain(`[Anna Schmidt](mention:${anna.guid} "`);
    // The coach's HumHub name was not found: named by organisation, not mentioned.
    expect(post.message.match(/\(mention:/g)).toHaveLength(1);
    expect(post.message).toContain(names.coachOrganisation);
    expect(post.message).toContain(markerOf(sessionId, "announcement"));

    expect(fake.customNotifications).toEqual([{ userId: anna.id, text: expect.stringContaining(names.topic), url: entryUrl, sentByUserId: 1 }]);
    expect(notifyRows(sessionId)).toEqual([
      ["notifyCoach", "delivered", "noHumhubAccount"],
      ["notifyRequester", "delivered", "notified"],
    ]);
    expect(getHumhubStateForSession(sessionId)).toEqual({ state: "posted", entryUrl, postUrl: contentUrl(fake, [...fake.posts.values()][0]!.contentId) });
  }, 20_000);

  it("with Tandem's ordinary token cannot notify, and says so instead of failing", async () => {
    const match = acceptedMatch();
    linkHumhubAccount(match.requesterId, fake.users.find((user) => user.username === "anna.schmidt")!);
    linkHumhubAccount(match.coachId, fake.users.find((user) => user.username === "ben.okafor")!);
    const { sessionId } = proposeAndConfirm(match);
    await deliverUntilDone();

    expect(fake.customNotifications).toEqual([]);
    expect(fake.requestLog.filter((entry) => entry.path === "/api/v1/notification/send-custom").map((entry) => entry.status)).toEqual([403, 403]);
    expect(notifyRows(sessionId)).toEqual([
      ["notifyCoach", "delivered", "notAllowedToNotify"],
      ["notifyRequester", "delivered", "notAllowedToNotify"],
    ]);
    expect([...fake.posts.values()][0]!.message.match(/\(mention:/g)).toHaveLength(2);
    expect(getHumhubStateForSession(sessionId)).toMatchObject({ state: "posted" });
  }, 20_000);
});

describe("what people typed", () => {
  it("reaches HumHub as text: a goal, join details or organisation name cannot mention, link or format", async () => {
    const match = acceptedMatch();
    const anna = fake.users.find((user) => user.username === "anna.schmidt")!;
    const ben = fake.users.find((user) => user.username === "ben.okafor")!;
    linkHumhubAccount(match.requesterId, anna);
    const mentionBen = `[Ben](mention:${ben.guid} "${origin(fake)}/u/ben.okafor/")`;
    const { requestId, offerId } = getDb().select({ requestId: matches.requestId, offerId: matches.offerId }).from(matches).where(eq(matches.id, match.matchId)).get()!;
    getDb().update(coachingRequests).set({ goal: `Hallo ${mentionBen}\n# **Laut**` }).where(eq(coachingRequests.id, requestId)).run();
    const { organisationId } = getDb().select({ organisationId: coachOffers.organisationId }).from(coachOffers).where(eq(coachOffers.id, offerId)).get()!;
    getDb().update(organisations).set({ name: `Verein ${mentionBen}` }).where(eq(organisations.id, organisationId)).run();
    const { sessionId } = proposeAndConfirm(match, 0, `https://meet.example/raum ${mentionBen}`);
    await deliverUntilDone();

    const humhubMentions = /(?<!\\)\[([^\]]*)\]\(mention:([^)\s]*)/g;
    const [entry] = entriesFor(fake, sessionId);
    const [post] = postsFor(fake, sessionId);
    expect([...entry!.description.matchAll(humhubMentions)]).toEqual([]);
    expect([...post!.message.matchAll(humhubMentions)].map((found) => found[2])).toEqual([anna.guid]);
    expect(entry!.description).toContain("Hallo \\[Ben\\]\\(mention:");
    expect(entry!.description).toContain("\\# \\*\\*Laut\\*\\*");
    expect(post!.message).toContain("Verein \\[Ben\\]");
    // The title is plain text in HumHub: shown as typed.
    expect(entry!.title).toContain(`Verein ${mentionBen}`);
  }, 20_000);
});

describe("rescheduling and cancelling", () => {
  it("moves the entry's times, then deletes it and posts the cancellation", async () => {
    const match = acceptedMatch();
    const { sessionId } = proposeAndConfirm(match);
    await deliverUntilDone();
    const [entry] = entriesFor(fake, sessionId);
    expect(entry).toBeDefined();

    const moved = reschedule(match, sessionId, 2);
    await deliverUntilDone();
    const puts = fake.requestLog.filter((request) => request.method === "PUT");
    expect(puts).toEqual([{ method: "PUT", path: `/api/v1/calendar/entry/${entry!.id}`, status: 200 }]);
    const start = wallClock(moved.startsAt, "Europe/Berlin");
    expect(fake.calendarEntries.get(entry!.id)).toMatchObject({ start_date: start.date, start_time: start.time, end_time: wallClock(moved.endsAt, "Europe/Berlin").time, deleted: false });
    expect(entriesFor(fake, sessionId, { withDeleted: true })).toHaveLength(1);

    expect(cancelSession({ sessionId, viewer: viewers(match).requester, reason: "Krank" }).ok).toBe(true);
    await deliverUntilDone();
    expect(fake.calendarEntries.get(entry!.id)?.deleted).toBe(true);
    const cancellations = postsFor(fake, sessionId, "cancellation");
    expect(cancellations).toHaveLength(1);
    expect(cancellations[0]!.message).toContain("findet nicht statt");
    expect(postsFor(fake, sessionId)).toHaveLength(1);
    // The page must not link an entry HumHub no longer has.
    expect(getHumhubStateForSession(sessionId)).toMatchObject({ state: "posted", entryUrl: null });
  }, 20_000);

  it("keeps each session's calls in order while its create keeps failing", async () => {
    const match = acceptedMatch();
    for (let failure = 0; failure < 3; failure++) {
      fake.failNext(/^\/api\/v1\/calendar\/container\/11$/, 500, { code: 500, message: "An internal server error occurred." }, { method: "POST" });
    }
    const { sessionId } = proposeAndConfirm(match);
    reschedule(match, sessionId, 1);
    expect(outboxRows([sessionId]).map((row) => row.kind)).toEqual([...confirmationCalls, "updateEntry"]);
    await deliverUntilDone();
    expect(cancelSession({ sessionId, viewer: viewers(match).coach, reason: "Doch nicht" }).ok).toBe(true);
    await deliverUntilDone();

    const log = fake.requestLog.map((request) => `${request.method} ${request.path.replace(/\?.*$/, "")} ${request.status}`);
    const creates = log.flatMap((line, index) => (line.startsWith("POST /api/v1/calendar/container/11") ? [index] : []));
    expect(creates.map((index) => log[index])).toEqual([
      "POST /api/v1/calendar/container/11 500",
      "POST /api/v1/calendar/container/11 500",
      "POST /api/v1/calendar/container/11 500",
      "POST /api/v1/calendar/container/11 200",
    ]);
    const created = creates[3]!;
    const [entry] = entriesFor(fake, sessionId, { withDeleted: true });
    const put = log.indexOf(`PUT /api/v1/calendar/entry/${entry!.id} 200`);
    const del = log.indexOf(`DELETE /api/v1/calendar/entry/${entry!.id} 200`);
    const announcement = log.findIndex((line, index) => index > created && line === "POST /api/v1/post/container/11 200");
    const cancellation = log.findIndex((line, index) => index > announcement && line === "POST /api/v1/post/container/11 200");
    expect(log.slice(0, created).filter((line) => /^(PUT|DELETE) |post\/container/.test(line))).toEqual([]);
    expect([created < announcement, announcement < put, put < del, del < cancellation]).toEqual([true, true, true, true]);
    expect(entriesFor(fake, sessionId, { withDeleted: true })).toHaveLength(1);
    expect(outboxRows([sessionId]).map((row) => [row.kind, row.status, row.attempts])).toEqual([
      ["createEntry", "delivered", 4],
      ["announceSession", "delivered", 1],
      ["notifyCoach", "delivered", 1],
      ["notifyRequester", "delivered", 1],
      ["updateEntry", "delivered", 1],
      ["deleteEntry", "delivered", 1],
      ["announceCancellation", "delivered", 1],
    ]);
  }, 20_000);
});

describe("the session as it is at delivery", () => {
  const notes = (sessionId: string) => outboxRows([sessionId]).map((row) => [row.kind, row.status, row.resultNote]);

  it("cancelled before anything went out: nothing is created, posted, notified or deleted", async () => {
    const match = acceptedMatch();
    linkHumhubAccount(match.requesterId, fake.users.find((user) => user.username === "anna.schmidt")!);
    configure(fake, fake.adminToken);
    const { sessionId } = proposeAndConfirm(match);
    expect(cancelSession({ sessionId, viewer: viewers(match).requester, reason: "Krank" }).ok).toBe(true);
    await deliverUntilDone();

    expect(fake.requestLog).toEqual([]);
    expect(notes(sessionId)).toEqual([
      ["createEntry", "delivered", "skipped:cancelled"],
      ["announceSession", "delivered", "skipped:cancelled"],
      ["notifyCoach", "delivered", "skipped:cancelled"],
      ["notifyRequester", "delivered", "skipped:cancelled"],
      ["deleteEntry", "delivered", "noEntry"],
      ["announceCancellation", "delivered", "skipped:notAnnounced"],
    ]);
    expect(getHumhubStateForSession(sessionId)).toEqual({ state: "posted", entryUrl: null, postUrl: null });
  }, 20_000);

  it("cancelled after a create whose answer was lost: the entry it made is found and deleted, nothing else is posted", async () => {
    const match = acceptedMatch();
    const { sessionId } = proposeAndConfirm(match);
    // HumHub creates the entry, the answer never arrives.
    fake.setFaults({ rate: 1, kinds: ["dropAfterActing"] });
    const firstPass = deliverDueOutbox(fast);
    while (fake.requestLog.length === 0) await delay(1);
    fake.clearFaults();
    expect(await firstPass).toMatchObject({ delivered: 0, retrying: 1 });
    expect(entriesFor(fake, sessionId)).toHaveLength(1);

    expect(cancelSession({ sessionId, viewer: viewers(match).coach, reason: "Doch nicht" }).ok).toBe(true);
    await deliverUntilDone();
    expect(entriesFor(fake, sessionId)).toEqual([]);
    expect(entriesFor(fake, sessionId, { withDeleted: true })).toHaveLength(1);
    expect(fake.posts.size).toBe(0);
    expect(notes(sessionId)).toEqual([
      ["createEntry", "delivered", "foundExisting"],
      ["announceSession", "delivered", "skipped:cancelled"],
      ["notifyCoach", "delivered", "skipped:cancelled"],
      ["notifyRequester", "delivered", "skipped:cancelled"],
      ["deleteEntry", "delivered", null],
      ["announceCancellation", "delivered", "skipped:notAnnounced"],
    ]);
  }, 20_000);

  it("over before its calls went out: nothing new is sent to HumHub", async () => {
    const match = acceptedMatch();
    linkHumhubAccount(match.requesterId, fake.users.find((user) => user.username === "anna.schmidt")!);
    configure(fake, fake.adminToken);
    // One hour long, started three hours ago.
    const [sessionId] = insertConfirmedSessions(match, 1, Date.now() - 3 * HOUR);
    await deliverUntilDone();

    expect(fake.requestLog).toEqual([]);
    expect(notes(sessionId!)).toEqual(confirmationCalls.map((kind) => [kind, "delivered", "skipped:over"]));
  }, 20_000);
});

describe("notifications, one row per person", () => {
  it("a HumHub account HumHub no longer knows (422) is noted, and the session's later calls go on", async () => {
    const match = acceptedMatch();
    const anna = fake.users.find((user) => user.username === "anna.schmidt")!;
    linkHumhubAccount(match.coachId, { ...anna, id: 999, username: "left.humhub" });
    linkHumhubAccount(match.requesterId, anna);
    configure(fake, fake.adminToken);
    const { sessionId } = proposeAndConfirm(match);
    await deliverUntilDone();
    reschedule(match, sessionId, 1);
    await deliverUntilDone();

    expect(outboxRows([sessionId]).map((row) => [row.kind, row.status, row.attempts, row.resultNote])).toEqual([
      ["createEntry", "delivered", 1, null],
      ["announceSession", "delivered", 1, null],
      ["notifyCoach", "delivered", 1, "refused: User ID is invalid."],
      ["notifyRequester", "delivered", 1, "notified"],
      ["updateEntry", "delivered", 1, null],
    ]);
    expect(fake.customNotifications.map((notification) => notification.userId)).toEqual([anna.id]);
    expect(fake.requestLog.filter((entry) => entry.method === "PUT").map((entry) => entry.status)).toEqual([200]);
  }, 20_000);

  it("a call of a kind this version does not know fails visibly instead of stalling the queue", async () => {
    const match = acceptedMatch();
    configure(fake);
    const { sessionId } = proposeAndConfirm(match);
    await deliverUntilDone();
    // As a row written by another version of Tandem would be.
    getDb().$client.prepare("insert into humhub_outbox (session_id, kind, status, attempts, next_attempt_at, created_at) values (?, 'notifyParticipants', 'pending', 0, 0, 0)").run(sessionId);
    reschedule(match, sessionId, 1);
    const report = await deliverDueOutbox(fast);
    expect(report.failed).toBe(1);
    expect(outboxRows([sessionId]).slice(-2).map((row) => [row.kind, row.status, row.lastError])).toEqual([
      ["notifyParticipants", "failed", "Unknown HumHub call: notifyParticipants"],
      ["updateEntry", "pending", null],
    ]);
  });

  it("an error that may pass is retried like any other call", async () => {
    const match = acceptedMatch();
    linkHumhubAccount(match.requesterId, fake.users.find((user) => user.username === "anna.schmidt")!);
    configure(fake, fake.adminToken);
    fake.failNext(/^\/api\/v1\/notification\/send-custom$/, 503, "<html>Service Unavailable</html>");
    const { sessionId } = proposeAndConfirm(match);
    await deliverUntilDone();

    expect(outboxRows([sessionId]).find((row) => row.kind === "notifyRequester")).toMatchObject({ status: "delivered", attempts: 2, resultNote: "notified" });
    expect(fake.customNotifications).toHaveLength(1);
  }, 20_000);
});

describe("200 confirmed sessions under faults", () => {
  const faultyOptions: Partial<DeliveryOptions> = {
    leaseMs: 2_000,
    backoffBaseMs: 10,
    backoffMaxMs: 200,
    // A retried create may look through two pages first, so three requests must all get through; more tries.
    maxAttempts: 40,
    parallelSessions: 8,
    timeoutMs: 250,
    settleAfterTimeoutMs: 500,
  };

  it("30% faults with lost responses: exactly 200 entries and 200 posts, no duplicate, none lost", async () => {
    const match = acceptedMatch();
    const sessionIds = insertConfirmedSessions(match, 200, Date.now() + 3 * DAY);
    // "slow" answers after the client gave up, and HumHub still acts: a lost response that lands late.
    fake.setFaults({ rate: 0.3, kinds: allFaults, slowMs: 400, seed: 20_260_901 });
    const started = performance.now();
    const passes = await deliverUntilDone(faultyOptions, 120_000);
    const elapsedMs = Math.round(performance.now() - started);
    fake.clearFaults();

    expectExactlyOnce(fake, sessionIds);
    const figures = deliveryFigures(fake, sessionIds);
    console.info("200 sessions, 30% faults:", JSON.stringify({ elapsedMs, passes, ...figures }));
    expect(figures.faults.dropAfterActing).toBeGreaterThan(10);
    expect(figures.faults.slow).toBeGreaterThan(10);
    expect(figures.foundExisting).toBeGreaterThan(0);
  }, 150_000);

  it("with the deliverer killed mid-way: a new one finishes, exactly 200 entries and 200 posts", async () => {
    const match = acceptedMatch();
    const sessionIds = insertConfirmedSessions(match, 200, Date.now() + 3 * DAY);
    fake.setFaults({ rate: 0.3, kinds: allFaults, slowMs: 400, seed: 4_711 });
    const leaseMs = 1_500;

    const first = startDeliverer({ leaseMs, port: 3101 });
    const deliveredRows = () => outboxRows(sessionIds).filter((row) => row.status === "delivered").length;
    const deadline = Date.now() + 60_000;
    while (deliveredRows() < 200) {
      if (first.exitCode !== null || Date.now() > deadline) throw new Error(`deliverer ended early or stalled: ${first.output()}`);
      await delay(5);
    }
    // Kill while a create is on its way, so HumHub acts for a process that is gone.
    const inFlightCreate = () => fake.requestLog.some((entry) => entry.method === "POST" && entry.fault === "slow" && entry.status === null);
    const waitUntil = Date.now() + 3_000;
    while (!inFlightCreate() && Date.now() < waitUntil) await delay(1);
    const killedDuringCreate = inFlightCreate();
    first.process.kill("SIGKILL");
    await first.exited;
    const killedAt = Date.now();
    const atKill = outboxRows(sessionIds);
    // Rows the dead process held: claimed (leased) or waiting out a timed-out call. Which of the two depends on whether
    // the client had given up on the slow call before the kill, so only their sum is certain.
    const held = atKill.filter((row) => row.status === "pending" && row.attempts > 0 && row.nextAttemptAt.getTime() > killedAt).length;
    expect(atKill.filter((row) => row.status === "delivered").length).toBeLessThan(sessionIds.length * confirmationCalls.length);
    if (killedDuringCreate) expect(held).toBeGreaterThan(0);

    // A second instance on another port: its links differ in origin, its markers must still match.
    const second = startDeliverer({ leaseMs, port: 3102 });
    const exitCode = await second.exited;
    expect(exitCode, second.output()).toBe(0);
    fake.clearFaults();

    expectExactlyOnce(fake, sessionIds);
    const figures = deliveryFigures(fake, sessionIds);
    console.info(
      "200 sessions, killed mid-way:",
      JSON.stringify({ deliveredAtKill: atKill.filter((row) => row.status === "delivered").length, heldAtKill: held, killedDuringCreate, secondRunMs: Date.now() - killedAt, ...figures }),
    );
    expect(figures.foundExisting).toBeGreaterThan(0);
  }, 150_000);
});

type Deliverer = { process: ChildProcess; exitCode: number | null; exited: Promise<number | null>; output: () => string };

function startDeliverer({ leaseMs, port }: { leaseMs: number; port: number }): Deliverer {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: process.env.DATABASE_PATH,
    HUMHUB_BASE_URL: fake.url,
    HUMHUB_API_TOKEN: fake.token,
    PORT: String(port),
    NODE_ENV: "test",
    OUTBOX_LEASE_MS: String(leaseMs),
    OUTBOX_BACKOFF_BASE_MS: "10",
    OUTBOX_BACKOFF_MAX_MS: "200",
    OUTBOX_MAX_ATTEMPTS: "40",
    OUTBOX_PARALLEL: "8",
    OUTBOX_TIMEOUT_MS: "250",
    OUTBOX_SETTLE_MS: "500",
    OUTBOX_DEADLINE_MS: "100000",
  };
  delete env.PUBLIC_URL;
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/support/outbox-delivery-process.ts")], {
    cwd: path.resolve("."),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deliverer: Deliverer = {
    process: child,
    exitCode: null,
    exited: new Promise((resolve) => child.once("exit", (code) => resolve((deliverer.exitCode = code ?? -1)))),
    output: () => output.slice(-4_000),
  };
  return deliverer;
}

describe("HumHub's refusals", () => {
  it("a 422 fails the row with HumHub's words, holds the session's later rows, and a retry completes it", async () => {
    const match = acceptedMatch();
    const [refused, other] = insertConfirmedSessions(match, 2, Date.now() + 3 * DAY);
    fake.failNext(
      /^\/api\/v1\/calendar\/container\/11$/,
      422,
      { code: 422, message: "Validation failed", entryForm: { start_date: ["Start Date cannot be blank."] }, calendarEntry: [] },
      { method: "POST" },
    );
    await deliverUntilQuiet();

    const rows = outboxRows([refused!]);
    expect(rows.map((row) => [row.kind, row.status, row.attempts])).toEqual([
      ["createEntry", "failed", 1],
      ["announceSession", "pending", 0],
      ["notifyCoach", "pending", 0],
      ["notifyRequester", "pending", 0],
    ]);
    expect(rows[0]).toMatchObject({ lastStatus: 422, lastError: "Validation failed: start_date: Start Date cannot be blank." });
    expect(listFailedDeliveries()).toContainEqual(expect.objectContaining({ id: rows[0]!.id, sessionId: refused, kind: "createEntry", lastStatus: 422 }));
    expect(getHumhubStateForSession(refused!)).toEqual({ state: "failed", reason: "Validation failed: start_date: Start Date cannot be blank." });
    expect(entriesFor(fake, refused!, { withDeleted: true })).toEqual([]);
    expect(postsFor(fake, refused!)).toEqual([]);
    // The other session is not held up by it.
    expect(getHumhubStateForSession(other!)).toMatchObject({ state: "posted" });
    // Nothing more is tried on its own.
    const requestsBefore = fake.requestLog.length;
    await delay(50);
    await deliverUntilQuiet();
    expect(fake.requestLog.length).toBe(requestsBefore);

    expect(retryFailedDeliveries([rows[0]!.id])).toBe(1);
    await deliverUntilDone();
    expect(listFailedDeliveries().map((row) => row.id)).not.toContain(rows[0]!.id);
    expect(entriesFor(fake, refused!)).toHaveLength(1);
    expect(postsFor(fake, refused!)).toHaveLength(1);
    expect(getHumhubStateForSession(refused!)).toMatchObject({ state: "posted" });
  }, 20_000);

  it("a 401 (bad token) fails at once and is not retried until the team retries it", async () => {
    configure(fake, "not-the-right-token");
    const match = acceptedMatch();
    const [sessionId] = insertConfirmedSessions(match, 1, Date.now() + 3 * DAY);
    await deliverUntilQuiet();
    await delay(50);
    await deliverUntilQuiet();

    const rows = outboxRows([sessionId!]);
    expect(rows.map((row) => [row.kind, row.status, row.attempts])).toEqual([
      ["createEntry", "failed", 1],
      ["announceSession", "pending", 0],
      ["notifyCoach", "pending", 0],
      ["notifyRequester", "pending", 0],
    ]);
    expect(rows[0]).toMatchObject({ lastStatus: 401, lastError: "Your request was made with invalid credentials." });
    expect(fake.requestLog.map((entry) => entry.status)).toEqual([401]);
    expect(getHumhubStateForSession(sessionId!)).toMatchObject({ state: "failed" });

    configure(fake);
    expect(retryFailedDeliveries(listFailedDeliveries().map((row) => row.id))).toBe(1);
    await deliverUntilDone();
    expect(entriesFor(fake, sessionId!)).toHaveLength(1);
    expect(postsFor(fake, sessionId!)).toHaveLength(1);
  }, 20_000);
});

describe("HumHub not configured", () => {
  it("leaves the rows waiting, shows that on the session, and sends them once configured", async () => {
    unconfigure();
    const match = acceptedMatch();
    const { sessionId } = proposeAndConfirm(match);
    expect(await deliverDueOutbox(fast)).toEqual({ delivered: 0, retrying: 0, failed: 0, overtaken: 0 });
    await delay(20);
    expect(outboxRows([sessionId]).map((row) => [row.status, row.attempts])).toEqual(confirmationCalls.map(() => ["pending", 0]));
    expect(getHumhubStateForSession(sessionId)).toEqual({ state: "pending", waitingForSetup: true });

    // Address and token, but no space chosen yet: still waiting.
    configure(fake, fake.token, null);
    expect(await deliverDueOutbox(fast)).toEqual({ delivered: 0, retrying: 0, failed: 0, overtaken: 0 });
    expect(getHumhubStateForSession(sessionId)).toEqual({ state: "pending", waitingForSetup: true });
    expect(fake.requestLog).toEqual([]);

    configure(fake);
    expect(getHumhubStateForSession(sessionId)).toEqual({ state: "pending", waitingForSetup: false });
    await deliverUntilDone();
    expect(entriesFor(fake, sessionId)).toHaveLength(1);
    expect(postsFor(fake, sessionId)).toHaveLength(1);
    expect(getHumhubStateForSession(sessionId)).toMatchObject({ state: "posted" });
  }, 20_000);
});

describe("a call that timed out", () => {
  const slowMs = 1_000;

  /** The first request answers after `slowMs`, long past the client's timeout of 100 ms; HumHub still acts on it. */
  async function firstCreateTimesOut(settleAfterTimeoutMs: number) {
    const match = acceptedMatch();
    const [sessionId] = insertConfirmedSessions(match, 1, Date.now() + 3 * DAY);
    fake.setFaults({ rate: 1, kinds: ["slow"], slowMs });
    const options: Partial<DeliveryOptions> = { ...fast, backoffBaseMs: 20, timeoutMs: 100, settleAfterTimeoutMs };
    const firstPass = deliverDueOutbox(options);
    while (fake.requestLog.length === 0) await delay(1);
    fake.clearFaults();
    const firstReport = await firstPass;
    const afterFirstPass = outboxRows([sessionId!])[0]!;
    await deliverUntilDone(options);
    await delay(slowMs + 100);
    return { sessionId: sessionId!, firstReport, afterFirstPass, entries: entriesFor(fake, sessionId!, { withDeleted: true }) };
  }

  it("is not tried again before HumHub has surely finished it, so the retry finds what it made", async () => {
    const started = Date.now();
    const { sessionId, firstReport, afterFirstPass, entries } = await firstCreateTimesOut(slowMs + 500);
    expect(firstReport).toMatchObject({ delivered: 0, retrying: 1 });
    expect(afterFirstPass).toMatchObject({ status: "pending", attempts: 1, lastError: "HumHub did not answer within 100 ms" });
    expect(afterFirstPass.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(started + slowMs + 500);
    expect(entries).toHaveLength(1);
    expect(outboxRows([sessionId])[0]).toMatchObject({ status: "delivered", attempts: 2, resultNote: "foundExisting", resultId: entries[0]!.id });
  }, 20_000);

  it("(why: retried at once, the late first call makes a second entry)", async () => {
    const { entries } = await firstCreateTimesOut(0);
    expect(entries).toHaveLength(2);
  }, 20_000);
});

describe("a deliverer whose lease ran out", () => {
  it("does not overwrite what the deliverer that took the row over recorded", async () => {
    const match = acceptedMatch();
    const [sessionId] = insertConfirmedSessions(match, 1, Date.now() + 3 * DAY);
    // The call takes 600 ms (then times out); the lease is 50 ms.
    fake.setFaults({ rate: 1, kinds: ["slow"], slowMs: 1_000 });
    const pass = deliverDueOutbox({ ...fast, leaseMs: 50, timeoutMs: 600 });
    while (fake.requestLog.length === 0) await delay(1);
    fake.clearFaults();
    await delay(80);
    // Meanwhile another process found the lease over, claimed the row and delivered it.
    const [row] = outboxRows([sessionId!]);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    getDb()
      .update(humhubOutbox)
      .set({ attempts: 2, status: "delivered", resultNote: "foundExisting", deliveredAt: new Date() })
      .where(and(eq(humhubOutbox.id, row!.id), eq(humhubOutbox.attempts, 1)))
      .run();
    expect(await pass).toMatchObject({ overtaken: 1, retrying: 0 });
    expect(outboxRows([sessionId!])[0]).toMatchObject({ status: "delivered", attempts: 2, resultNote: "foundExisting", lastError: null });
  }, 20_000);
});

describe("backoff", () => {
  const options = { backoffBaseMs: 100, backoffMaxMs: 10_000 };

  it("doubles with each attempt, half of it certain and half random, up to the maximum", () => {
    const at = (random: number) => [1, 2, 3, 4, 5, 6, 7, 8].map((attempts) => backoffDelayMs(attempts, { ...options, random: () => random }));
    expect(at(0)).toEqual([50, 100, 200, 400, 800, 1_600, 3_200, 5_000]);
    expect(at(1)).toEqual([100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000]);
    expect(at(0.5)).toEqual([75, 150, 300, 600, 1_200, 2_400, 4_800, 7_500]);
    expect(backoffDelayMs(0, { ...options, random: () => 1 })).toBe(100);
    expect(backoffDelayMs(60, { ...options, random: () => 1 })).toBe(10_000);
  });

  it("stays within its bounds with a real random", () => {
    for (let attempts = 1; attempts <= 12; attempts++) {
      const exponential = Math.min(10_000, 100 * 2 ** (attempts - 1));
      for (let draw = 0; draw < 200; draw++) {
        const value = backoffDelayMs(attempts, { ...options, random: Math.random });
        expect(value).toBeGreaterThanOrEqual(exponential / 2);
        expect(value).toBeLessThanOrEqual(exponential);
      }
    }
  });

  it("is what a failing row waits before its next attempt", async () => {
    const match = acceptedMatch();
    const [sessionId] = insertConfirmedSessions(match, 1, Date.now() + 3 * DAY);
    fake.failNext(/^\/api\/v1\/calendar\/container\/11$/, 503, "<html>Service Unavailable</html>", { method: "POST" });
    let clock = Date.now();
    const report = await deliverDueOutbox({ ...fast, backoffBaseMs: 1_000, backoffMaxMs: 60_000, random: () => 0.5, now: () => clock });
    expect(report).toMatchObject({ retrying: 1 });
    const [row] = outboxRows([sessionId!]);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503 });
    expect(row!.nextAttemptAt.getTime() - clock).toBe(750);
    // Not due before then.
    clock += 749;
    expect(await deliverDueOutbox({ ...fast, now: () => clock })).toMatchObject({ delivered: 0, retrying: 0 });
    clock += 1;
    await deliverUntilDone({ ...fast, now: () => clock });
    expect(entriesFor(fake, sessionId!)).toHaveLength(1);
  }, 20_000);
});
