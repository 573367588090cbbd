/**
 * Coaching sessions against a real migrated database, through the model and the route modules: free times across
 * time zones and daylight-saving changes, proposing and confirming with the HumHub outbox rows written in the same
 * transaction, rescheduling, cancelling, the team's direct booking, who may see what, feedback, notifications and
 * the double-booking triggers. The clock is set to `NOW` (Monday 2027-03-08 12:00 UTC) for the routes, which read it;
 * model calls get their `now` explicitly.
 */
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/db.server";
import {
  cancelSession,
  confirmSessionTime,
  defaultSchedulingSettings,
  getSchedulingOptions,
  getSessionForViewer,
  getUpcomingSessionsForUser,
  joinDetailsAfterConfirm,
  keepConfirmedTime,
  lapseStaleProposals,
  proposeSessionTimes,
  recordSessionFeedback,
  saveSchedulingSettings,
  updateJoinDetails,
  type SessionResult,
} from "~/models/session.server";
import * as newSessionRoute from "~/routes/matches.$matchId_.sessions.new";
import * as sessionRoute from "~/routes/sessions.$sessionId";
import * as icsRoute from "~/routes/sessions.$sessionId.calendar[.]ics";
import { coachingSessions, humhubOutbox, notifications, sessionEvents, sessionFeedback } from "~db/schema";
import { call, get, post, sessionFor } from "../support/route-calls";
import { asViewer, HOUR, MINUTE, NOW, sessionFixtures, utc, type Person } from "../support/session-fixtures";

const { makeUser, makeAcceptedMatch, acceptedMatchWithCookies } = sessionFixtures({ person: "Sessions Person", emailPrefix: "sessions" });

const JOIN = "https://meet.example/tandem-raum";

beforeAll(() => {
  vi.setSystemTime(NOW);
});

afterAll(() => {
  vi.useRealTimers();
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const iso = (instant: number) => new Date(instant).toISOString();

/** Every start from `first` to `last` (inclusive, UTC) on `day`, half an hour apart. */
function startsOn(day: string, first: string, last: string) {
  const starts: string[] = [];
  for (let instant = utc(`${day}T${first}`); instant <= utc(`${day}T${last}`); instant += 30 * MINUTE) starts.push(iso(instant));
  return starts;
}

/**
 * The free 60-minute starts of a fresh default match at NOW, worked out by hand from the windows (coach Mon–Fri
 * 15–19 Berlin, requester Mon–Fri 9–12 New York): Monday the 8th is inside the 24-hour notice, and Monday 5 April
 * starts after the 28-day horizon.
 */
const expectedDefaultStarts = [
  // CET (UTC+1) and EST (UTC−5): 14:00–17:00 UTC.
  ...["09", "10", "11", "12"].flatMap((day) => startsOn(`2027-03-${day}`, "14:00", "16:00")),
  // New York on EDT (UTC−4) from 14 March, Berlin still on CET: 14:00–16:00 UTC.
  ...["15", "16", "17", "18", "19", "22", "23", "24", "25", "26"].flatMap((day) => startsOn(`2027-03-${day}`, "14:00", "15:00")),
  // Berlin on CEST (UTC+2) from 28 March: 13:00–16:00 UTC.
  ...["2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02"].flatMap((day) => startsOn(day, "13:00", "15:00")),
];

function freeStarts(matchId: string, viewer: Person, now = NOW, sessionId: string | null = null) {
  const options = getSchedulingOptions(matchId, asViewer(viewer), sessionId, now);
  if (!options) throw new Error("no scheduling options");
  for (const slot of options.slots) expect(slot.endsAt - slot.startsAt).toBe(60 * MINUTE);
  return options.slots.map((slot) => iso(slot.startsAt));
}

function sessionRow(sessionId: string) {
  return getDb().select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get()!;
}

function outboxKinds(sessionId: string) {
  return getDb().select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, sessionId)).orderBy(asc(humhubOutbox.id)).all().map((row) => row.kind);
}

function eventKinds(sessionId: string) {
  return getDb().select().from(sessionEvents).where(eq(sessionEvents.sessionId, sessionId)).orderBy(asc(sessionEvents.id)).all().map((row) => row.kind);
}

function sessionNotices(userId: string) {
  return getDb()
    .select({ kind: notifications.kind, matchId: notifications.matchId })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(asc(notifications.id))
    .all()
    .filter((row) => row.kind.startsWith("session"));
}

function sessionId(result: SessionResult) {
  if (!result.ok) throw new Error(`refused: ${result.refusal}`);
  return result.sessionId;
}

type Match = ReturnType<typeof makeAcceptedMatch>;

/** The coach offers `times`; the requester confirms `confirm` (the first offered unless said otherwise). */
function confirmedSession(match: Match, times: number[], confirm = times[0]!, now = NOW) {
  const id = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times, format: "video", joinDetails: JOIN }, now));
  expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: confirm, joinDetails: "" }, now)).toEqual({ ok: true, sessionId: id });
  return id;
}

const newSessionPath = (matchId: string, query = "") => `/matches/${matchId}/sessions/new${query}`;

function openNewSession(matchId: string, cookie: string | undefined, query = "") {
  return call(newSessionRoute.loader, get(newSessionPath(matchId, query), cookie), { matchId });
}

function postNewSession(matchId: string, cookie: string | undefined, fields: [string, string][], query = "") {
  return call(newSessionRoute.action, post(newSessionPath(matchId, query), fields, cookie), { matchId });
}

function openSession(id: string, cookie: string | undefined) {
  return call(sessionRoute.loader, get(`/sessions/${id}`, cookie), { sessionId: id });
}

function actOnSession(id: string, cookie: string | undefined, fields: [string, string][]) {
  return call(sessionRoute.action, post(`/sessions/${id}`, fields, cookie), { sessionId: id });
}

type ActionBody = { intent?: string; errors?: Record<string, string>; formError?: string };

async function body(response: Response) {
  return (await response.json()) as ActionBody;
}

// ---------------------------------------------------------------------------------------------------------------

describe("free times", () => {
  it("are the common time of both people's windows, each in their own zone, after the notice and within 28 days, across both DST changes", () => {
    const match = makeAcceptedMatch();
    const starts = freeStarts(match.matchId, match.coach);
    expect(starts).toEqual(expectedDefaultStarts);
    expect(starts).toHaveLength(75);

    // Before New York's change (Friday 12 March): 09:00 EST = 14:00 UTC, the last start 11:00 EST = 16:00 UTC.
    expect(starts).toContain("2027-03-12T14:00:00.000Z");
    expect(starts).toContain("2027-03-12T16:00:00.000Z");
    // After it (Monday 15 March): 12:00 EDT = 16:00 UTC ends the requester's day, so 15:00 UTC is the last start.
    expect(starts).toContain("2027-03-15T15:00:00.000Z");
    expect(starts).not.toContain("2027-03-15T15:30:00.000Z");
    expect(starts).not.toContain("2027-03-15T13:00:00.000Z");
    // Before Berlin's change (Friday 26 March) 15:00 CET = 14:00 UTC starts the coach's day; after it 15:00 CEST = 13:00 UTC.
    expect(starts).not.toContain("2027-03-26T13:00:00.000Z");
    expect(starts).toContain("2027-03-29T13:00:00.000Z");
    expect(starts).not.toContain("2027-03-29T15:30:00.000Z");

    // Both sides and the team see the same times; the zones come with them for display.
    const options = getSchedulingOptions(match.matchId, asViewer(match.requester), null, NOW)!;
    expect(options).toMatchObject({ side: "requester", coachTimeZone: "Europe/Berlin", requesterTimeZone: "America/New_York", durationMinutes: 60, openProposal: null });
    expect(options.formats).toEqual(["video", "phone"]);
    expect(freeStarts(match.matchId, match.requester)).toEqual(expectedDefaultStarts);
    expect(getSchedulingOptions(match.matchId, asViewer(match.team), null, NOW)?.side).toBe("team");
  });

  it("start no earlier than the notice, rounded up to a quarter hour, and follow the notice setting", () => {
    const match = makeAcceptedMatch();
    // Two hours ten minutes later, the notice ends on Tuesday at 14:10 UTC: the first start is 14:15.
    const later = new Date(NOW.getTime() + 2 * HOUR + 10 * MINUTE);
    expect(freeStarts(match.matchId, match.coach, later).slice(0, 5)).toEqual([
      "2027-03-09T14:15:00.000Z",
      "2027-03-09T14:45:00.000Z",
      "2027-03-09T15:15:00.000Z",
      "2027-03-09T15:45:00.000Z",
      "2027-03-10T14:00:00.000Z",
    ]);

    saveSchedulingSettings(match.team.id, { bufferMinutes: 15, noticeHours: 48 });
    try {
      const starts = freeStarts(match.matchId, match.coach);
      expect(starts[0]).toBe("2027-03-10T14:00:00.000Z");
      expect(starts).toEqual(expectedDefaultStarts.filter((start) => start >= "2027-03-10"));
    } finally {
      saveSchedulingSettings(match.team.id, defaultSchedulingSettings);
    }
    expect(freeStarts(match.matchId, match.coach)).toEqual(expectedDefaultStarts);
  });

  it("keep clear, with the buffer, of both people's other confirmed sessions, but not of proposals or cancelled sessions", () => {
    const match = makeAcceptedMatch();
    const mainStartsOn = (day: string) => freeStarts(match.matchId, match.coach).filter((start) => start.startsWith(day));
    expect(mainStartsOn("2027-03-10")).toEqual(startsOn("2027-03-10", "14:00", "16:00"));

    // The coach's other tandem: a Berlin requester free on Wednesdays 17:15–18:00, for 30 minutes → 16:15–16:45 UTC.
    const sameCoach = { coach: match.coach, offerId: match.offerId };
    const other = makeAcceptedMatch({
      coach: sameCoach,
      timeZone: "Europe/Berlin",
      request: { windows: [{ weekday: 3, startMinute: 17 * 60 + 15, endMinute: 18 * 60 }], sessionMinutes: 30 },
    });
    const otherStarts = getSchedulingOptions(other.matchId, asViewer(other.coach), null, NOW)!.slots.map((slot) => iso(slot.startsAt));
    expect(otherStarts.slice(0, 2)).toEqual(["2027-03-10T16:15:00.000Z", "2027-03-17T16:15:00.000Z"]);
    const proposed = sessionId(
      proposeSessionTimes({ matchId: other.matchId, sessionId: null, viewer: asViewer(other.coach), times: [utc("2027-03-10T16:15")], format: "phone", joinDetails: "0301234567" }, NOW),
    );
    // A proposal blocks nothing.
    expect(mainStartsOn("2027-03-10")).toEqual(startsOn("2027-03-10", "14:00", "16:00"));
    expect(confirmSessionTime({ sessionId: proposed, viewer: asViewer(other.requester), startsAt: utc("2027-03-10T16:15"), joinDetails: "" }, NOW).ok).toBe(true);
    // Confirmed, it blocks 16:00–17:00 with the 15-minute buffer: 15:00–16:00 ends exactly at the buffer and stays.
    expect(mainStartsOn("2027-03-10")).toEqual(["2027-03-10T14:00:00.000Z", "2027-03-10T14:30:00.000Z", "2027-03-10T15:00:00.000Z"]);

    // The requester's other tandem, with another coach: Wednesday 17 March 14:00–15:00 UTC blocks 13:45–15:15.
    const otherCoach = makeAcceptedMatch({ requester: match.requester });
    confirmedSession(otherCoach, [utc("2027-03-17T14:00")]);
    expect(mainStartsOn("2027-03-17")).toEqual([]);
    expect(mainStartsOn("2027-03-16")).toEqual(startsOn("2027-03-16", "14:00", "15:00"));
    expect(freeStarts(match.matchId, match.coach)).toHaveLength(75 - 2 - 3);

    // Cancelled, the coach's other session frees its time again.
    expect(cancelSession({ sessionId: proposed, viewer: asViewer(other.coach), reason: "Krank" }, NOW).ok).toBe(true);
    expect(mainStartsOn("2027-03-10")).toEqual(startsOn("2027-03-10", "14:00", "16:00"));
  });

  it("are not shown to anyone outside the tandem, nor for a match that is not accepted", () => {
    const match = makeAcceptedMatch();
    for (const stranger of [makeUser(["coach"]), makeUser(["requester"])]) {
      expect(getSchedulingOptions(match.matchId, asViewer(stranger), null, NOW)).toBeNull();
    }
    expect(getSchedulingOptions("no-such-match", asViewer(match.coach), null, NOW)).toBeNull();
  });
});

describe("proposing and confirming", () => {
  it("the coach offers three times, the requester confirms one: confirmed at sequence 0, with the four HumHub rows, events and notices", () => {
    const match = makeAcceptedMatch();
    const times = [utc("2027-03-30T13:00"), utc("2027-03-16T14:00"), utc("2027-03-17T14:30")];
    const proposedAt = new Date(NOW.getTime() + HOUR);
    const id = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times, format: "video", joinDetails: `  ${JOIN} ` }, proposedAt),
    );
    expect(sessionRow(id)).toMatchObject({
      matchId: match.matchId,
      coachUserId: match.coach.id,
      requesterUserId: match.requester.id,
      status: "proposed",
      durationMinutes: 60,
      format: "video",
      joinDetails: JOIN,
      startsAt: null,
      endsAt: null,
      proposedByUserId: match.coach.id,
      sequence: 0,
    });
    // Offered in time order, each with its end.
    expect(sessionRow(id).proposedTimes).toEqual(
      [utc("2027-03-16T14:00"), utc("2027-03-17T14:30"), utc("2027-03-30T13:00")].map((startsAt) => ({ startsAt, endsAt: startsAt + HOUR })),
    );
    expect(outboxKinds(id)).toEqual([]);
    expect(sessionNotices(match.requester.id)).toEqual([{ kind: "sessionProposed", matchId: match.matchId }]);
    expect(sessionNotices(match.coach.id)).toEqual([]);

    // The coach cannot confirm their own offer, nor the team in their place.
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.coach), startsAt: times[0]!, joinDetails: "" }, NOW)).toEqual({ ok: false, refusal: "notYourTurn" });
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.team), startsAt: times[0]!, joinDetails: "" }, NOW)).toEqual({ ok: false, refusal: "notYourTurn" });
    // Only an offered time can be confirmed.
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc("2027-03-16T14:30"), joinDetails: "" }, NOW)).toEqual({
      ok: false,
      refusal: "notAvailable",
    });
    expect(sessionRow(id).status).toBe("proposed");

    const confirmedAt = new Date(NOW.getTime() + 2 * HOUR);
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc("2027-03-30T13:00"), joinDetails: "ignored" }, confirmedAt)).toEqual({
      ok: true,
      sessionId: id,
    });
    const row = sessionRow(id);
    expect(row).toMatchObject({ status: "confirmed", proposedTimes: null, proposedByUserId: null, sequence: 0, joinDetails: JOIN, updatedAt: confirmedAt });
    expect(row.startsAt?.toISOString()).toBe("2027-03-30T13:00:00.000Z");
    expect(row.endsAt?.toISOString()).toBe("2027-03-30T14:00:00.000Z");

    const outbox = getDb().select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, id)).orderBy(asc(humhubOutbox.id)).all();
    expect(outbox.map((entry) => entry.kind)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
    for (const entry of outbox) expect(entry).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: confirmedAt, createdAt: confirmedAt });

    expect(eventKinds(id)).toEqual(["proposed", "confirmed"]);
    expect(sessionNotices(match.coach.id)).toEqual([{ kind: "sessionConfirmed", matchId: match.matchId }]);
    expect(sessionNotices(match.requester.id)).toEqual([{ kind: "sessionProposed", matchId: match.matchId }]);

    // Confirmed once, the offer is gone: confirming again is refused and writes nothing.
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc("2027-03-16T14:00"), joinDetails: "" }, confirmedAt)).toEqual({
      ok: false,
      refusal: "alreadyChanged",
    });
    expect(outboxKinds(id)).toHaveLength(4);
  });

  it("writes the confirmation and its outbox rows in one transaction: when an outbox row cannot be written, nothing is", () => {
    const match = makeAcceptedMatch();
    const time = utc("2027-03-18T14:00");
    const id = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [time], format: "video", joinDetails: JOIN }, NOW));
    const sqlite = getDb().$client;
    // The last of the three rows fails, after the session row and the first two outbox rows were written.
    sqlite.exec(`CREATE TRIGGER test_outbox_unavailable BEFORE INSERT ON humhub_outbox WHEN NEW.kind = 'notifyRequester'
      BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END`);
    try {
      expect(() => confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: time, joinDetails: "" }, NOW)).toThrow(/outbox unavailable/);
    } finally {
      sqlite.exec("DROP TRIGGER test_outbox_unavailable");
    }
    expect(sessionRow(id)).toMatchObject({ status: "proposed", startsAt: null, proposedByUserId: match.coach.id });
    expect(outboxKinds(id)).toEqual([]);
    expect(eventKinds(id)).toEqual(["proposed"]);
    expect(sessionNotices(match.coach.id)).toEqual([]);

    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: time, joinDetails: "" }, NOW).ok).toBe(true);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
  });

  it("the requester picks one time; the coach must say how to join when confirming it (400 beside the field without)", async () => {
    const match = await acceptedMatchWithCookies();
    const { cookies } = match;
    const page = await openNewSession(match.matchId, cookies.requester);
    expect(page.response.status).toBe(200);
    const pageBody = (await page.response.json()) as { side: string; slots: { startsAt: number }[]; otherZone: string; current: unknown };
    expect(pageBody).toMatchObject({ side: "requester", otherZone: "Europe/Berlin", current: null });
    // Every free time: the page shows them a screenful at a time.
    expect(pageBody.slots.map((slot) => iso(slot.startsAt))).toEqual(expectedDefaultStarts);

    const time = utc("2027-03-23T14:30");
    const picked = await postNewSession(match.matchId, cookies.requester, [["times", String(time)], ["format", "phone"], ["joinDetails", "sneaky"]]);
    expect(picked.response.status).toBe(302);
    const id = picked.response.headers.get("Location")!.split("/").pop()!;
    // The requester's join details are not taken: that is the coach's to say.
    expect(sessionRow(id)).toMatchObject({ status: "proposed", format: "phone", joinDetails: "", proposedByUserId: match.requester.id });
    expect(sessionRow(id).proposedTimes).toEqual([{ startsAt: time, endsAt: time + HOUR }]);
    expect(sessionNotices(match.coach.id)).toEqual([{ kind: "sessionProposed", matchId: match.matchId }]);

    const coachView = await openSession(id, cookies.coach);
    expect(coachView.response.status).toBe(200);
    expect(await coachView.response.json()).toMatchObject({ mayAnswer: true, needsJoinDetails: true });
    const requesterView = await openSession(id, cookies.requester);
    expect(await requesterView.response.json()).toMatchObject({ mayAnswer: false, needsJoinDetails: false });

    // The requester cannot confirm their own pick.
    const ownPick = await actOnSession(id, cookies.requester, [["intent", "confirm"], ["time", String(time)]]);
    expect(ownPick.response.status).toBe(403);
    expect(await body(ownPick.response)).toMatchObject({ formError: "sessions.refusals.notYourTurn" });

    for (const joinDetails of [null, "", "  "]) {
      const fields: [string, string][] = [["intent", "confirm"], ["time", String(time)]];
      if (joinDetails !== null) fields.push(["joinDetails", joinDetails]);
      const missing = await actOnSession(id, cookies.coach, fields);
      expect(missing.response.status).toBe(400);
      expect(await body(missing.response)).toMatchObject({ intent: "confirm", errors: { joinDetails: "sessions.errors.joinDetailsRequired" } });
    }
    const noTime = await actOnSession(id, cookies.coach, [["intent", "confirm"], ["joinDetails", "0301234567"]]);
    expect(noTime.response.status).toBe(400);
    expect((await body(noTime.response)).errors).toEqual({ time: "sessions.errors.timeRequired" });
    expect(sessionRow(id).status).toBe("proposed");

    const otherTime = await actOnSession(id, cookies.coach, [["intent", "confirm"], ["time", String(time + 30 * MINUTE)], ["joinDetails", "0301234567"]]);
    expect(otherTime.response.status).toBe(409);
    expect(await body(otherTime.response)).toMatchObject({ formError: "sessions.refusals.notAvailable" });

    const confirmed = await actOnSession(id, cookies.coach, [["intent", "confirm"], ["time", String(time)], ["joinDetails", " 030 1234567 "]]);
    expect(confirmed.response.status).toBe(302);
    expect(confirmed.response.headers.get("Location")).toBe(`/sessions/${id}`);
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", joinDetails: "030 1234567", format: "phone", sequence: 0 });
    expect(sessionRow(id).startsAt?.getTime()).toBe(time);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
    expect(sessionNotices(match.requester.id)).toEqual([{ kind: "sessionConfirmed", matchId: match.matchId }]);
  });

  it("the requester cannot offer two times and the coach not four (400 via the route, tooManyTimes via the model)", async () => {
    const match = await acceptedMatchWithCookies();
    const [a, b, c, d] = [utc("2027-03-16T14:00"), utc("2027-03-16T15:00"), utc("2027-03-17T14:00"), utc("2027-03-18T14:00")];

    const twoByRoute = await postNewSession(match.matchId, match.cookies.requester, [["times", String(a)], ["times", String(b)], ["format", "video"]]);
    expect(twoByRoute.response.status).toBe(400);
    expect((await body(twoByRoute.response)).errors).toEqual({ times: "sessions.errors.tooManyTimes" });
    const noneByRoute = await postNewSession(match.matchId, match.cookies.requester, [["format", "video"]]);
    expect(noneByRoute.response.status).toBe(400);
    expect((await body(noneByRoute.response)).errors).toEqual({ times: "sessions.errors.timeRequired" });
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.requester), times: [a, b], format: "video", joinDetails: "" }, NOW)).toEqual({
      ok: false,
      refusal: "tooManyTimes",
    });
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.requester), times: [], format: "video", joinDetails: "" }, NOW)).toEqual({
      ok: false,
      refusal: "tooManyTimes",
    });

    const fourByRoute = await postNewSession(match.matchId, match.cookies.coach, [...[a, b, c, d].map((time): [string, string] => ["times", String(time)]), ["format", "video"], ["joinDetails", JOIN]]);
    expect(fourByRoute.response.status).toBe(400);
    expect((await body(fourByRoute.response)).errors).toEqual({ times: "sessions.errors.tooManyTimes" });
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [a, b, c, d], format: "video", joinDetails: JOIN }, NOW)).toEqual({
      ok: false,
      refusal: "tooManyTimes",
    });
    // The coach also says how to join when offering times.
    const noJoin = await postNewSession(match.matchId, match.cookies.coach, [["times", String(a)], ["format", "video"]]);
    expect(noJoin.response.status).toBe(400);
    expect((await body(noJoin.response)).errors).toEqual({ joinDetails: "sessions.errors.joinDetailsRequired" });
    expect(getDb().select().from(coachingSessions).where(eq(coachingSessions.matchId, match.matchId)).all()).toEqual([]);

    // The same time twice counts once.
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.requester), times: [a, a], format: "video", joinDetails: "" }, NOW).ok).toBe(true);
  });

  it("refuses a time that is not free for both (off the quarter hours, outside a window, inside the notice, past the horizon), and a format one side does not offer", async () => {
    const match = await acceptedMatchWithCookies();
    const propose = (times: number[], format: "video" | "phone" | "inPerson" = "video") =>
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times, format, joinDetails: JOIN }, NOW);
    const notAvailable = { ok: false, refusal: "notAvailable" };
    expect(propose([utc("2027-03-16T14:10")])).toEqual(notAvailable); // inside the windows, but not on a quarter hour
    expect(propose([utc("2027-03-16T15:30")])).toEqual(notAvailable); // would end after the requester's noon (EDT)
    expect(propose([utc("2027-03-29T16:00")])).toEqual(notAvailable); // 18:00 Berlin but 12:00 New York
    expect(propose([utc("2027-03-13T14:00")])).toEqual(notAvailable); // a Saturday
    expect(propose([utc("2027-03-08T14:00")])).toEqual(notAvailable); // inside the notice
    expect(propose([utc("2027-04-05T13:00")])).toEqual(notAvailable); // beyond the horizon
    expect(propose([utc("2027-03-16T14:00"), utc("2027-03-16T14:10")])).toEqual(notAvailable); // one bad time spoils the offer
    expect(propose([utc("2027-03-16T14:00")], "inPerson")).toEqual({ ok: false, refusal: "formatNotShared" });

    const byRoute = await postNewSession(match.matchId, match.cookies.coach, [["times", String(utc("2027-03-16T16:00"))], ["format", "video"], ["joinDetails", JOIN]]);
    expect(byRoute.response.status).toBe(409);
    expect(await body(byRoute.response)).toMatchObject({ formError: "sessions.refusals.notAvailable" });
    expect(getDb().select().from(coachingSessions).where(eq(coachingSessions.matchId, match.matchId)).all()).toEqual([]);

    const fine = await postNewSession(match.matchId, match.cookies.coach, [["times", String(utc("2027-03-16T14:00"))], ["format", "video"], ["joinDetails", JOIN]]);
    expect(fine.response.status).toBe(302);
  });

  it("allows one open proposal per match, and a follow-up session once the first is confirmed", async () => {
    const match = await acceptedMatchWithCookies();
    const first = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    const refused = { ok: false, refusal: "openProposalExists" };
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-17T14:00")], format: "video", joinDetails: JOIN }, NOW)).toEqual(refused);
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.requester), times: [utc("2027-03-17T14:00")], format: "video", joinDetails: "" }, NOW)).toEqual(refused);
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.team), times: [utc("2027-03-17T14:00")], format: "video", joinDetails: JOIN }, NOW)).toEqual(refused);
    const page = await openNewSession(match.matchId, match.cookies.requester);
    expect(await page.response.json()).toMatchObject({ openProposal: first });
    const byRoute = await postNewSession(match.matchId, match.cookies.requester, [["times", String(utc("2027-03-17T14:00"))], ["format", "video"]]);
    expect(byRoute.response.status).toBe(409);
    expect(await body(byRoute.response)).toMatchObject({ formError: "sessions.refusals.openProposalExists" });
    expect(getDb().select().from(coachingSessions).where(eq(coachingSessions.matchId, match.matchId)).all()).toHaveLength(1);

    expect(confirmSessionTime({ sessionId: first, viewer: asViewer(match.requester), startsAt: utc("2027-03-16T14:00"), joinDetails: "" }, NOW).ok).toBe(true);
    expect((await (await openNewSession(match.matchId, match.cookies.requester)).response.json()) as object).toMatchObject({ openProposal: null });
    // The confirmed session and its buffer are no longer free.
    const starts = freeStarts(match.matchId, match.coach);
    expect(starts.filter((start) => start.startsWith("2027-03-16"))).toEqual([]);
    expect(starts).toHaveLength(75 - 3);

    const followUp = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-23T14:00"), utc("2027-03-30T13:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    expect(followUp).not.toBe(first);
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-24T14:00")], format: "video", joinDetails: JOIN }, NOW)).toEqual(refused);
    expect(confirmSessionTime({ sessionId: followUp, viewer: asViewer(match.requester), startsAt: utc("2027-03-30T13:00"), joinDetails: "" }, NOW).ok).toBe(true);
    const rows = getDb().select().from(coachingSessions).where(eq(coachingSessions.matchId, match.matchId)).orderBy(asc(coachingSessions.startsAt)).all();
    expect(rows.map((row) => [row.status, row.startsAt?.toISOString()])).toEqual([
      ["confirmed", "2027-03-16T14:00:00.000Z"],
      ["confirmed", "2027-03-30T13:00:00.000Z"],
    ]);
    expect(outboxKinds(followUp)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
  });

  it("refuses to schedule for a match that is no longer accepted", () => {
    const match = makeAcceptedMatch();
    const id = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    getDb().$client.prepare("update matches set status = 'closed' where id = ?").run(match.matchId);
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc("2027-03-16T14:00"), joinDetails: "" }, NOW)).toEqual({
      ok: false,
      refusal: "alreadyChanged",
    });
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-17T14:00")], format: "video", joinDetails: JOIN }, NOW)).toEqual({
      ok: false,
      refusal: "notFound",
    });
    expect(sessionRow(id).status).toBe("proposed");
  });
});

describe("rescheduling", () => {
  it("new times leave the confirmed time in force until the other side confirms one; then the sequence rises and HumHub is told to update", async () => {
    const match = await acceptedMatchWithCookies();
    const oldTime = utc("2027-03-16T14:00");
    const id = confirmedSession(match, [oldTime]);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);

    // Rescheduling offers times around the session's own slot too, but nothing else of the coach's.
    const page = await openNewSession(match.matchId, match.cookies.coach, `?session=${id}`);
    expect(page.response.status).toBe(200);
    const pageBody = (await page.response.json()) as { slots: { startsAt: number }[]; current: unknown };
    expect(pageBody.slots.map((slot) => iso(slot.startsAt))).toEqual(expectedDefaultStarts);
    // The form starts from the session's own format and details.
    expect(pageBody.current).toEqual({ format: "video", joinDetails: JOIN });

    const newTime = utc("2027-03-31T14:00");
    const rescheduled = await postNewSession(
      match.matchId,
      match.cookies.coach,
      [["times", String(newTime)], ["times", String(utc("2027-04-01T13:00"))], ["format", "video"], ["joinDetails", JOIN], ["reason", "Dienstreise"]],
      `?session=${id}`,
    );
    expect(rescheduled.response.status).toBe(302);
    expect(rescheduled.response.headers.get("Location")).toBe(`/sessions/${id}`);
    const pending = sessionRow(id);
    // Same format, same details: nothing of them travels with the offer.
    expect(pending).toMatchObject({ status: "confirmed", sequence: 0, proposedByUserId: match.coach.id, proposedFormat: null, proposedJoinDetails: null, format: "video", joinDetails: JOIN });
    expect(pending.startsAt?.getTime()).toBe(oldTime);
    expect(pending.proposedTimes).toEqual([
      { startsAt: newTime, endsAt: newTime + HOUR },
      { startsAt: utc("2027-04-01T13:00"), endsAt: utc("2027-04-01T14:00") },
    ]);
    // No calendar change yet; the old time still blocks the coach's other tandems.
    expect(outboxKinds(id)).toHaveLength(4);
    const other = makeAcceptedMatch({ coach: { coach: match.coach, offerId: match.offerId } });
    expect(freeStarts(other.matchId, other.coach).filter((start) => start.startsWith("2027-03-16"))).toEqual([]);
    expect(
      proposeSessionTimes({ matchId: other.matchId, sessionId: null, viewer: asViewer(other.coach), times: [oldTime], format: "video", joinDetails: JOIN }, NOW),
    ).toEqual({ ok: false, refusal: "notAvailable" });
    expect(sessionNotices(match.requester.id).at(-1)).toEqual({ kind: "sessionProposed", matchId: match.matchId });
    const requesterView = await openSession(id, match.cookies.requester);
    expect(await requesterView.response.json()).toMatchObject({ mayAnswer: true, session: { status: "confirmed", startsAt: oldTime } });

    const confirmed = await actOnSession(id, match.cookies.requester, [["intent", "confirm"], ["time", String(newTime)]]);
    expect(confirmed.response.status).toBe(302);
    const row = sessionRow(id);
    expect(row).toMatchObject({ status: "confirmed", sequence: 1, proposedTimes: null, joinDetails: JOIN });
    expect(row.startsAt?.getTime()).toBe(newTime);
    expect(row.endsAt?.getTime()).toBe(newTime + HOUR);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester", "updateEntry"]);
    const events = getDb().select().from(sessionEvents).where(eq(sessionEvents.sessionId, id)).orderBy(asc(sessionEvents.id)).all();
    expect(events.map((event) => [event.kind, event.reason])).toEqual([
      ["proposed", null],
      ["confirmed", null],
      ["rescheduleProposed", "Dienstreise"],
      ["rescheduled", null],
    ]);
    // The old time is free again for the coach's other tandem.
    expect(freeStarts(other.matchId, other.coach).filter((start) => start.startsWith("2027-03-16"))).toEqual(startsOn("2027-03-16", "14:00", "15:00"));
  });

  it("the other side may keep the confirmed time; the proposer may not answer their own offer", async () => {
    const match = await acceptedMatchWithCookies();
    const oldTime = utc("2027-03-16T14:00");
    const id = confirmedSession(match, [oldTime]);
    expect(
      proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: asViewer(match.requester), times: [utc("2027-03-18T14:00")], format: "video", joinDetails: "" }, NOW).ok,
    ).toBe(true);
    expect(sessionRow(id).proposedByUserId).toBe(match.requester.id);

    const byProposer = await actOnSession(id, match.cookies.requester, [["intent", "keepTime"]]);
    expect(byProposer.response.status).toBe(403);
    const byTeam = await actOnSession(id, match.cookies.team, [["intent", "keepTime"]]);
    expect(byTeam.response.status).toBe(403);
    expect(sessionRow(id).proposedTimes).not.toBeNull();

    const kept = await actOnSession(id, match.cookies.coach, [["intent", "keepTime"]]);
    expect(kept.response.status).toBe(302);
    const row = sessionRow(id);
    expect(row).toMatchObject({ status: "confirmed", sequence: 0, proposedTimes: null, proposedByUserId: null, proposedFormat: null, proposedJoinDetails: null });
    expect(row.startsAt?.getTime()).toBe(oldTime);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
    // Nothing moved: the history says the time was kept, not changed.
    expect(eventKinds(id)).toEqual(["proposed", "confirmed", "rescheduleProposed", "keptTime"]);
    expect(sessionNotices(match.requester.id).at(-1)).toEqual({ kind: "sessionConfirmed", matchId: match.matchId });

    // The model itself refuses the proposer and the team, not only the page.
    expect(
      proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: asViewer(match.requester), times: [utc("2027-03-18T14:00")], format: "video", joinDetails: "" }, NOW).ok,
    ).toBe(true);
    expect(keepConfirmedTime(id, asViewer(match.requester), NOW)).toEqual({ ok: false, refusal: "notYourTurn" });
    expect(keepConfirmedTime(id, asViewer(match.team), NOW)).toEqual({ ok: false, refusal: "notYourTurn" });
    expect(keepConfirmedTime(id, asViewer(match.coach), NOW)).toEqual({ ok: true, sessionId: id });

    // Nothing left to keep.
    expect(keepConfirmedTime(id, asViewer(match.coach), NOW)).toEqual({ ok: false, refusal: "alreadyChanged" });
    const again = await actOnSession(id, match.cookies.coach, [["intent", "keepTime"]]);
    expect(again.response.status).toBe(403);
  });
});

describe("cancelling", () => {
  it("needs a reason (400 beside the field); cancelling raises the sequence and tells HumHub to delete and announce", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    for (const reason of [null, "", "  ", "ab"]) {
      const fields: [string, string][] = [["intent", "cancel"]];
      if (reason !== null) fields.push(["reason", reason]);
      const refused = await actOnSession(id, match.cookies.requester, fields);
      expect(refused.response.status).toBe(400);
      expect(await body(refused.response)).toMatchObject({ intent: "cancel", errors: { reason: "sessions.errors.reasonRequired" } });
    }
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", sequence: 0 });

    const cancelled = await actOnSession(id, match.cookies.requester, [["intent", "cancel"], ["reason", "  Der Vorstand tagt.  "]]);
    expect(cancelled.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ status: "cancelled", sequence: 1, cancelReason: "Der Vorstand tagt.", cancelledByUserId: match.requester.id });
    // The time stays on record for the calendars, which need it to remove the event.
    expect(sessionRow(id).startsAt?.getTime()).toBe(utc("2027-03-16T14:00"));
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester", "deleteEntry", "announceCancellation"]);
    expect(sessionNotices(match.coach.id).at(-1)).toEqual({ kind: "sessionCancelled", matchId: match.matchId });
    expect(eventKinds(id).at(-1)).toBe("cancelled");

    const twice = await actOnSession(id, match.cookies.coach, [["intent", "cancel"], ["reason", "Doppelt hält besser"]]);
    expect(twice.response.status).toBe(409);
    expect(await body(twice.response)).toMatchObject({ formError: "sessions.refusals.alreadyChanged" });
    expect(outboxKinds(id)).toHaveLength(6);
    // A cancelled session's time is free again, and it cannot be rescheduled.
    expect(freeStarts(match.matchId, match.coach)).toEqual(expectedDefaultStarts);
    expect((await openNewSession(match.matchId, match.cookies.coach, `?session=${id}`)).response.status).toBe(404);
  });

  it("a session that has started or is over cannot be cancelled, by anyone", () => {
    const match = makeAcceptedMatch();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    for (const who of [match.coach, match.requester, match.team]) {
      expect(cancelSession({ sessionId: id, viewer: asViewer(who), reason: "Zu spät" }, new Date("2027-03-16T14:00:00Z"))).toEqual({ ok: false, refusal: "alreadyOver" });
    }
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", sequence: 0 });
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
    expect(cancelSession({ sessionId: id, viewer: asViewer(match.coach), reason: "Krank" }, new Date("2027-03-16T13:59:59Z")).ok).toBe(true);
  });

  it("cancelling an unconfirmed proposal writes no outbox row", () => {
    const match = makeAcceptedMatch();
    const id = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    expect(cancelSession({ sessionId: id, viewer: asViewer(match.coach), reason: "Doch nicht" }, NOW)).toEqual({ ok: true, sessionId: id });
    expect(sessionRow(id)).toMatchObject({ status: "cancelled", proposedTimes: null, startsAt: null });
    expect(outboxKinds(id)).toEqual([]);
    expect(sessionNotices(match.requester.id)).toEqual([
      { kind: "sessionProposed", matchId: match.matchId },
      { kind: "sessionCancelled", matchId: match.matchId },
    ]);
    // The match is free for a new proposal.
    expect(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW).ok,
    ).toBe(true);
  });

  it("the team books one time directly, with or without join details, and can cancel it", async () => {
    const match = await acceptedMatchWithCookies();
    const page = await openNewSession(match.matchId, match.cookies.team);
    expect(page.response.status).toBe(200);
    expect(await page.response.json()).toMatchObject({ side: "team", otherZone: null });

    const time = utc("2027-03-22T14:30");
    const two = await postNewSession(match.matchId, match.cookies.team, [["times", String(time)], ["times", String(time + HOUR)], ["format", "video"], ["joinDetails", JOIN]]);
    expect(two.response.status).toBe(400);
    expect((await body(two.response)).errors).toEqual({ times: "sessions.errors.tooManyTimes" });
    const tooLong = await postNewSession(match.matchId, match.cookies.team, [["times", String(time)], ["format", "video"], ["joinDetails", "x".repeat(301)]]);
    expect(tooLong.response.status).toBe(400);
    expect((await body(tooLong.response)).errors).toEqual({ joinDetails: "errors.tooLong:300" });

    // Without join details, for the coach to add later.
    const bare = await postNewSession(match.matchId, match.cookies.team, [["times", String(time + 7 * 24 * HOUR)], ["format", "phone"]]);
    expect(bare.response.status).toBe(302);
    const bareId = bare.response.headers.get("Location")!.split("/").pop()!;
    expect(sessionRow(bareId)).toMatchObject({ status: "confirmed", joinDetails: "", format: "phone" });
    expect(sessionRow(bareId).startsAt?.getTime()).toBe(time + 7 * 24 * HOUR);

    const booked = await postNewSession(match.matchId, match.cookies.team, [["times", String(time)], ["format", "video"], ["joinDetails", JOIN]]);
    expect(booked.response.status).toBe(302);
    const id = booked.response.headers.get("Location")!.split("/").pop()!;
    const row = sessionRow(id);
    expect(row).toMatchObject({ status: "confirmed", sequence: 0, proposedTimes: null, joinDetails: JOIN, format: "video" });
    expect(row.startsAt?.getTime()).toBe(time);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
    expect(eventKinds(id)).toEqual(["confirmed"]);
    expect(sessionNotices(match.coach.id)).toEqual(Array.from({ length: 2 }, () => ({ kind: "sessionConfirmed", matchId: match.matchId })));
    expect(sessionNotices(match.requester.id)).toEqual(Array.from({ length: 2 }, () => ({ kind: "sessionConfirmed", matchId: match.matchId })));

    // The team books only free times.
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.team), times: [time + 30 * MINUTE], format: "video", joinDetails: JOIN }, NOW)).toEqual({
      ok: false,
      refusal: "notAvailable",
    });

    const cancelled = await actOnSession(id, match.cookies.team, [["intent", "cancel"], ["reason", "Coach ist erkrankt."]]);
    expect(cancelled.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ status: "cancelled", sequence: 1, cancelledByUserId: match.team.id });
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester", "deleteEntry", "announceCancellation"]);
    expect(sessionNotices(match.coach.id).at(-1)).toEqual({ kind: "sessionCancelled", matchId: match.matchId });
    expect(sessionNotices(match.requester.id).at(-1)).toEqual({ kind: "sessionCancelled", matchId: match.matchId });
  });
});

describe("the dashboard's next sessions", () => {
  it("lists each person's confirmed sessions that have not ended, soonest first, and counts offers waiting for their answer", () => {
    const match = makeAcceptedMatch();
    const later = confirmedSession(match, [utc("2027-03-18T14:00")]);
    const sooner = confirmedSession(match, [utc("2027-03-16T14:00")]);
    const cancelled = confirmedSession(match, [utc("2027-03-17T14:00")]);
    expect(cancelSession({ sessionId: cancelled, viewer: asViewer(match.coach), reason: "Krank" }, NOW).ok).toBe(true);
    proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-19T14:00")], format: "video", joinDetails: JOIN }, NOW);

    const forRequester = getUpcomingSessionsForUser(match.requester.id, NOW);
    expect(forRequester.upcoming.map((session) => session.id)).toEqual([sooner, later]);
    expect(forRequester.upcoming[0]).toMatchObject({ startsAt: utc("2027-03-16T14:00"), endsAt: utc("2027-03-16T15:00"), format: "video" });
    expect(forRequester.awaitingAnswer).toBe(1);
    // The coach made the offer: nothing waits for the coach.
    expect(getUpcomingSessionsForUser(match.coach.id, NOW)).toMatchObject({ awaitingAnswer: 0, upcoming: [{ id: sooner }, { id: later }] });
    // A session that has ended drops off; one still running stays.
    expect(getUpcomingSessionsForUser(match.requester.id, new Date("2027-03-16T14:30:00Z")).upcoming.map((session) => session.id)).toEqual([sooner, later]);
    expect(getUpcomingSessionsForUser(match.requester.id, new Date("2027-03-16T15:00:00Z")).upcoming.map((session) => session.id)).toEqual([later]);
    expect(getUpcomingSessionsForUser(makeUser(["requester"]).id, NOW)).toEqual({ upcoming: [], awaitingAnswer: 0 });
  });
});

describe("who may see a session", () => {
  it("answers 404 to everyone outside the tandem, from every loader and action", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    const open = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: asViewer(match.coach), times: [utc("2027-03-17T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    expect(open).toBe(id);
    const before = JSON.stringify(sessionRow(id));
    const strangers = [makeUser(["coach"]), makeUser(["requester"]), makeUser(["requester", "coach"]), makeAcceptedMatch().coach];
    for (const stranger of strangers) {
      const cookie = await sessionFor(stranger.id);
      const responses = [
        await openNewSession(match.matchId, cookie),
        await openNewSession(match.matchId, cookie, `?session=${id}`),
        await postNewSession(match.matchId, cookie, [["times", String(utc("2027-03-18T14:00"))], ["format", "video"], ["joinDetails", JOIN]]),
        await postNewSession(match.matchId, cookie, [["times", String(utc("2027-03-18T14:00"))], ["format", "video"], ["joinDetails", JOIN]], `?session=${id}`),
        await openSession(id, cookie),
        ...(await Promise.all(
          [
            [["intent", "confirm"], ["time", String(utc("2027-03-17T14:00"))], ["joinDetails", JOIN]],
            [["intent", "keepTime"]],
            [["intent", "joinDetails"], ["joinDetails", "https://evil.example"]],
            [["intent", "cancel"], ["reason", "Ich war das nicht"]],
            [["intent", "feedback"], ["held", "yes"], ["rating", "5"]],
            [["intent", "explode"]],
          ].map((fields) => actOnSession(id, cookie, fields as [string, string][])),
        )),
        await call(icsRoute.loader, get(`/sessions/${id}/calendar.ics`, cookie), { sessionId: id }),
      ];
      expect(responses.map(({ response }) => response.status)).toEqual(responses.map(() => 404));
      expect(responses.every(({ thrown }) => thrown)).toBe(true);
    }
    expect(JSON.stringify(sessionRow(id))).toBe(before);
    expect(getDb().select().from(coachingSessions).where(eq(coachingSessions.matchId, match.matchId)).all()).toHaveLength(1);

    // Unknown ids answer 404 to the tandem's own people too; without a login, the pages send to the login.
    expect((await openSession("no-such-session", match.cookies.coach)).response.status).toBe(404);
    expect((await openNewSession("no-such-match", match.cookies.coach)).response.status).toBe(404);
    expect((await openSession(id, undefined)).response.status).toBe(302);
    expect((await openNewSession(match.matchId, undefined)).response.status).toBe(302);
    for (const cookie of Object.values(match.cookies)) expect((await openSession(id, cookie)).response.status).toBe(200);
  });

  it("the model hands a session only to its two people and the team", () => {
    const match = makeAcceptedMatch();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    expect(getSessionForViewer(id, asViewer(match.coach))?.side).toBe("coach");
    expect(getSessionForViewer(id, asViewer(match.requester))?.side).toBe("requester");
    expect(getSessionForViewer(id, asViewer(match.team))?.side).toBe("team");
    const stranger = asViewer(makeUser(["coach", "requester"]));
    expect(getSessionForViewer(id, stranger)).toBeNull();
    expect(cancelSession({ sessionId: id, viewer: stranger, reason: "Nein" }, NOW)).toEqual({ ok: false, refusal: "notFound" });
    expect(keepConfirmedTime(id, stranger, NOW)).toEqual({ ok: false, refusal: "notFound" });
    expect(confirmSessionTime({ sessionId: id, viewer: stranger, startsAt: utc("2027-03-16T14:00"), joinDetails: "" }, NOW)).toEqual({ ok: false, refusal: "notFound" });
    expect(proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: stranger, times: [utc("2027-03-17T14:00")], format: "video", joinDetails: JOIN }, NOW)).toEqual({
      ok: false,
      refusal: "notFound",
    });
    expect(recordSessionFeedback({ sessionId: id, viewer: stranger, held: true, rating: 5, comment: null }, new Date(utc("2027-03-17T00:00")))).toEqual({
      ok: false,
      refusal: "notFound",
    });
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", sequence: 0, proposedTimes: null });
  });
});

describe("feedback", () => {
  it("is taken only after the end, only from the two people, and saved once per person (a second answer replaces the first)", () => {
    const match = makeAcceptedMatch();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    const give = (who: Person, at: string, held: boolean, rating: number | null, comment: string | null = null) =>
      recordSessionFeedback({ sessionId: id, viewer: asViewer(who), held, rating, comment }, new Date(at));
    expect(give(match.requester, "2027-03-16T14:59:59Z", true, 5)).toEqual({ ok: false, refusal: "notOver" });
    expect(give(match.team, "2027-03-16T15:00:00Z", true, 5)).toEqual({ ok: false, refusal: "notFound" });
    expect(getDb().select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, id)).all()).toEqual([]);

    expect(give(match.requester, "2027-03-16T15:00:00Z", true, 4, "  Sehr hilfreich. ")).toEqual({ ok: true, sessionId: id });
    expect(give(match.coach, "2027-03-16T16:00:00Z", true, 5)).toEqual({ ok: true, sessionId: id });
    expect(give(match.requester, "2027-03-17T09:00:00Z", true, 2, "Doch eher mittel")).toEqual({ ok: true, sessionId: id });
    const rows = () => getDb().select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, id)).all();
    const feedbackOf = (who: Person) => rows().find((row) => row.userId === who.id);
    expect(rows()).toHaveLength(2);
    expect(feedbackOf(match.requester)).toMatchObject({
      held: true,
      rating: 2,
      comment: "Doch eher mittel",
      createdAt: new Date("2027-03-16T15:00:00Z"),
      updatedAt: new Date("2027-03-17T09:00:00Z"),
    });
    expect(feedbackOf(match.coach)).toMatchObject({ held: true, rating: 5, comment: null });

    // "Did not take place" keeps no rating.
    expect(give(match.coach, "2027-03-17T10:00:00Z", false, 5, "Niemand kam")).toEqual({ ok: true, sessionId: id });
    expect(feedbackOf(match.coach)).toMatchObject({ held: false, rating: null, comment: "Niemand kam" });
    expect(rows()).toHaveLength(2);
    expect(eventKinds(id).filter((kind) => kind === "feedback")).toHaveLength(4);
  });

  it("is refused for proposals and cancelled sessions", () => {
    const match = makeAcceptedMatch();
    const proposed = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    const later = new Date(utc("2027-04-30T12:00"));
    expect(recordSessionFeedback({ sessionId: proposed, viewer: asViewer(match.requester), held: true, rating: 3, comment: null }, later)).toEqual({
      ok: false,
      refusal: "alreadyChanged",
    });
    expect(confirmSessionTime({ sessionId: proposed, viewer: asViewer(match.requester), startsAt: utc("2027-03-16T14:00"), joinDetails: "" }, NOW).ok).toBe(true);
    expect(cancelSession({ sessionId: proposed, viewer: asViewer(match.coach), reason: "Krank" }, NOW).ok).toBe(true);
    expect(recordSessionFeedback({ sessionId: proposed, viewer: asViewer(match.requester), held: true, rating: 3, comment: null }, later)).toEqual({
      ok: false,
      refusal: "alreadyChanged",
    });
    expect(getDb().select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, proposed)).all()).toEqual([]);
  });

  it("via the page: a rating from 1 to 5 or none, only from the two people, only once the session is over", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    const beforeEnd = await actOnSession(id, match.cookies.requester, [["intent", "feedback"], ["held", "yes"], ["rating", "5"]]);
    expect(beforeEnd.response.status).toBe(409);
    expect(await body(beforeEnd.response)).toMatchObject({ formError: "sessions.refusals.notOver" });
    expect(await (await openSession(id, match.cookies.requester)).response.json()).toMatchObject({ mayGiveFeedback: false });

    vi.setSystemTime(new Date("2027-03-16T15:30:00Z"));
    try {
      const cookies = { requester: await sessionFor(match.requester.id), coach: await sessionFor(match.coach.id), team: await sessionFor(match.team.id) };
      expect(await (await openSession(id, cookies.requester)).response.json()).toMatchObject({ mayGiveFeedback: true, ownFeedback: null });
      expect(await (await openSession(id, cookies.team)).response.json()).toMatchObject({ mayGiveFeedback: false });
      for (const rating of ["0", "6", "3.5", "gut"]) {
        const refused = await actOnSession(id, cookies.requester, [["intent", "feedback"], ["held", "yes"], ["rating", rating]]);
        expect(refused.response.status).toBe(400);
        expect((await body(refused.response)).errors).toEqual({ rating: "sessions.errors.ratingInvalid" });
      }
      const noHeld = await actOnSession(id, cookies.requester, [["intent", "feedback"], ["rating", "4"]]);
      expect(noHeld.response.status).toBe(400);
      expect((await body(noHeld.response)).errors).toEqual({ held: "sessions.errors.heldRequired" });
      const byTeam = await actOnSession(id, cookies.team, [["intent", "feedback"], ["held", "yes"], ["rating", "5"]]);
      expect(byTeam.response.status).toBe(403);
      expect(getDb().select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, id)).all()).toEqual([]);

      for (const [rating, expected] of [["1", 1], ["5", 5], ["", null]] as const) {
        const saved = await actOnSession(id, cookies.requester, [["intent", "feedback"], ["held", "yes"], ["rating", rating], ["comment", "Danke"]]);
        expect(saved.response.status).toBe(302);
        const stored = getDb()
          .select()
          .from(sessionFeedback)
          .where(and(eq(sessionFeedback.sessionId, id), eq(sessionFeedback.userId, match.requester.id)))
          .all();
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({ held: true, rating: expected, comment: "Danke" });
      }
      expect(await (await openSession(id, cookies.requester)).response.json()).toMatchObject({ ownFeedback: { held: true, rating: null, comment: "Danke" } });
      expect((await actOnSession(id, cookies.coach, [["intent", "feedback"], ["held", "no"]])).response.status).toBe(302);
      expect(getDb().select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, id)).all()).toHaveLength(2);
    } finally {
      vi.setSystemTime(NOW);
    }
  });
});

describe("the double-booking triggers", () => {
  const sqlite = () => getDb().$client;
  const insertRaw = (values: { id: string; matchId: string; coach: string; requester: string; status: string; startsAt: number | null; endsAt: number | null }) =>
    sqlite()
      .prepare(
        `insert into coaching_sessions (id, match_id, coach_user_id, requester_user_id, status, duration_minutes, format, starts_at, ends_at, updated_at)
         values (@id, @matchId, @coach, @requester, @status, 60, 'video', @startsAt, @endsAt, 0)`,
      )
      .run(values);

  it("refuse an overlapping confirmed session of either person even from raw SQL that bypasses the model", () => {
    const match = makeAcceptedMatch();
    confirmedSession(match, [utc("2027-03-16T14:00")]);
    const stranger = makeUser(["requester"]);
    const base = { matchId: match.matchId, status: "confirmed" };

    // The coach, then the requester (whichever role they have in the other row), 30 minutes into the session.
    for (const people of [
      { coach: match.coach.id, requester: stranger.id },
      { coach: stranger.id, requester: match.requester.id },
      { coach: stranger.id, requester: match.coach.id },
    ]) {
      expect(() => insertRaw({ ...base, ...people, id: crypto.randomUUID(), startsAt: utc("2027-03-16T14:30"), endsAt: utc("2027-03-16T15:30") })).toThrow(/double booking/);
    }
    // A session wholly inside, and one wholly around, overlap too.
    expect(() =>
      insertRaw({ ...base, coach: match.coach.id, requester: stranger.id, id: crypto.randomUUID(), startsAt: utc("2027-03-16T14:15"), endsAt: utc("2027-03-16T14:45") }),
    ).toThrow(/double booking/);
    expect(() =>
      insertRaw({ ...base, coach: match.coach.id, requester: stranger.id, id: crypto.randomUUID(), startsAt: utc("2027-03-16T13:00"), endsAt: utc("2027-03-16T16:00") }),
    ).toThrow(/double booking/);
    // A confirmed session without a time, or ending before it starts, is refused as well.
    expect(() => insertRaw({ ...base, coach: stranger.id, requester: stranger.id, id: crypto.randomUUID(), startsAt: null, endsAt: null })).toThrow(/double booking/);
    expect(() =>
      insertRaw({ ...base, coach: stranger.id, requester: stranger.id, id: crypto.randomUUID(), startsAt: utc("2027-03-20T10:00"), endsAt: utc("2027-03-20T10:00") }),
    ).toThrow(/double booking/);

    // Touching is not overlapping (the buffer is the app's rule, not the trigger's), and proposals are not checked.
    const adjacent = crypto.randomUUID();
    insertRaw({ ...base, coach: match.coach.id, requester: stranger.id, id: adjacent, startsAt: utc("2027-03-16T15:00"), endsAt: utc("2027-03-16T16:00") });
    const proposed = crypto.randomUUID();
    insertRaw({ ...base, status: "proposed", coach: match.coach.id, requester: stranger.id, id: proposed, startsAt: utc("2027-03-16T14:00"), endsAt: utc("2027-03-16T15:00") });
    // Two other people at the very same time are no one's concern.
    insertRaw({ ...base, coach: makeUser(["coach"]).id, requester: makeUser(["requester"]).id, id: crypto.randomUUID(), startsAt: utc("2027-03-16T14:00"), endsAt: utc("2027-03-16T15:00") });

    // Updates: confirming the overlapping proposal, or moving a confirmed session onto another, are refused.
    expect(() => sqlite().prepare("update coaching_sessions set status = 'confirmed' where id = ?").run(proposed)).toThrow(/double booking/);
    expect(() =>
      sqlite().prepare("update coaching_sessions set starts_at = ?, ends_at = ? where id = ?").run(utc("2027-03-16T14:30"), utc("2027-03-16T15:30"), adjacent),
    ).toThrow(/double booking/);
    expect(sessionRow(proposed).status).toBe("proposed");
    expect(sessionRow(adjacent).startsAt?.getTime()).toBe(utc("2027-03-16T15:00"));
    // Moving it to a free time is fine.
    sqlite().prepare("update coaching_sessions set starts_at = ?, ends_at = ? where id = ?").run(utc("2027-03-16T16:00"), utc("2027-03-16T17:00"), adjacent);
    expect(sessionRow(adjacent).startsAt?.getTime()).toBe(utc("2027-03-16T16:00"));

    const confirmedOfCoach = getDb()
      .select()
      .from(coachingSessions)
      .where(and(eq(coachingSessions.coachUserId, match.coach.id), eq(coachingSessions.status, "confirmed")))
      .all();
    expect(confirmedOfCoach.map((row) => iso(row.startsAt!.getTime())).sort()).toEqual(["2027-03-16T14:00:00.000Z", "2027-03-16T16:00:00.000Z"]);
  });

  it("a confirmed session written behind the model's back still makes the model refuse the time as doubleBooked", () => {
    const match = makeAcceptedMatch();
    const time = utc("2027-03-16T14:00");
    const id = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [time], format: "video", joinDetails: JOIN }, NOW));
    // Another confirmed session of the requester, 14:00–14:30, lands by raw SQL after the offer was made.
    const stranger = makeUser(["coach"]);
    const sneaky = crypto.randomUUID();
    insertRaw({ id: sneaky, matchId: match.matchId, coach: stranger.id, requester: match.requester.id, status: "confirmed", startsAt: time, endsAt: time + 30 * MINUTE });
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: time, joinDetails: "" }, NOW)).toEqual({ ok: false, refusal: "doubleBooked" });
    expect(sessionRow(id).status).toBe("proposed");
    expect(outboxKinds(id)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

type SessionPage = {
  session: { format: string; joinDetails: string | null; proposedFormat: string | null; proposedJoinDetails: string | null; startsAt: number | null };
  mayAnswer: boolean;
  needsJoinDetails: boolean;
  mayReschedule: boolean;
  mayEditJoinDetails: boolean;
  events: { kind: string; actorName: string | null }[];
};

async function sessionPage(id: string, cookie: string) {
  const { response } = await openSession(id, cookie);
  expect(response.status).toBe(200);
  return (await response.json()) as SessionPage;
}

function rescheduleBy(match: Match, who: Person, id: string, times: number[], format: "video" | "phone", joinDetails: string, now = NOW) {
  return proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: asViewer(who), times, format, joinDetails }, now);
}

describe("which times may be offered", () => {
  it("any free quarter hour, not only the list's half-hour steps: a time listed at 14:07 is still accepted at 14:16", async () => {
    const match = await acceptedMatchWithCookies();
    // At 14:07 the notice ends on Tuesday at 14:07 UTC, so the list's steps start at 14:15; at 14:16 they start at 14:30.
    const at1407 = new Date("2027-03-08T14:07:00Z");
    const at1416 = new Date("2027-03-08T14:16:00Z");
    expect(freeStarts(match.matchId, match.coach, at1407).slice(0, 4)).toEqual(["14:15", "14:45", "15:15", "15:45"].map((time) => `2027-03-09T${time}:00.000Z`));
    expect(freeStarts(match.matchId, match.coach, at1416).slice(0, 4)).toEqual(["14:30", "15:00", "15:30", "16:00"].map((time) => `2027-03-09T${time}:00.000Z`));

    // Through the page, as someone who opened it at 14:07 and sends at 14:16.
    vi.setSystemTime(at1407);
    try {
      const page = (await (await openNewSession(match.matchId, match.cookies.coach)).response.json()) as { slots: { startsAt: number }[] };
      expect(page.slots.map((slot) => slot.startsAt)).toContain(utc("2027-03-09T14:45"));
      vi.setSystemTime(at1416);
      // 14:15 was listed too, but has moved inside the notice.
      const tooSoon = await postNewSession(match.matchId, match.cookies.coach, [["intent", "propose"], ["times", String(utc("2027-03-09T14:15"))], ["format", "video"], ["joinDetails", JOIN]]);
      expect(tooSoon.response.status).toBe(409);
      expect(await body(tooSoon.response)).toMatchObject({ formError: "sessions.refusals.notAvailable" });
      const sent = await postNewSession(match.matchId, match.cookies.coach, [
        ["intent", "propose"],
        ["times", String(utc("2027-03-09T14:45"))],
        ["times", String(utc("2027-03-10T14:15"))],
        ["format", "video"],
        ["joinDetails", JOIN],
      ]);
      expect(sent.response.status).toBe(302);
      const id = sent.response.headers.get("Location")!.split("/").pop()!;
      // 10 March 14:15 was never listed (off the half-hour steps), yet it is as free as its neighbours.
      expect(sessionRow(id).proposedTimes?.map((time) => iso(time.startsAt))).toEqual(["2027-03-09T14:45:00.000Z", "2027-03-10T14:15:00.000Z"]);
      expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc("2027-03-09T14:45"), joinDetails: "" }, at1416).ok).toBe(true);
    } finally {
      vi.setSystemTime(NOW);
    }
  });
});

describe("reschedule offers", () => {
  it("keep the session's format and join details in force until confirmed; the team sees the new format, not the new details", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    const newTime = utc("2027-03-23T14:00");
    const offered = await postNewSession(
      match.matchId,
      match.cookies.coach,
      [["intent", "propose"], ["times", String(newTime)], ["format", "phone"], ["joinDetails", " 030 1234567 "]],
      `?session=${id}`,
    );
    expect(offered.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", sequence: 0, format: "video", joinDetails: JOIN, proposedFormat: "phone", proposedJoinDetails: "030 1234567" });
    expect(outboxKinds(id)).toHaveLength(4);

    expect(await sessionPage(id, match.cookies.requester)).toMatchObject({
      mayAnswer: true,
      needsJoinDetails: false,
      session: { format: "video", joinDetails: JOIN, proposedFormat: "phone", proposedJoinDetails: "030 1234567" },
    });
    expect(await sessionPage(id, match.cookies.team)).toMatchObject({
      mayAnswer: false,
      session: { format: "video", joinDetails: null, proposedFormat: "phone", proposedJoinDetails: null },
    });

    const confirmed = await actOnSession(id, match.cookies.requester, [["intent", "confirm"], ["time", String(newTime)]]);
    expect(confirmed.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ sequence: 1, format: "phone", joinDetails: "030 1234567", proposedFormat: null, proposedJoinDetails: null, proposedTimes: null });
    expect(sessionRow(id).startsAt?.getTime()).toBe(newTime);
  });

  it("clear the join details on confirm when the format changes without new ones (a phone number never stands as a video link)", () => {
    const match = makeAcceptedMatch();
    const phone = "030 1234567";
    // Booked by phone; the coach moves it to video and sends no link, or sends the old number unchanged.
    for (const [index, joinDetails] of ["", phone].entries()) {
      const id = sessionId(
        proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc(`2027-03-1${6 + index}T14:00`)], format: "phone", joinDetails: phone }, NOW),
      );
      expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc(`2027-03-1${6 + index}T14:00`), joinDetails: "" }, NOW).ok).toBe(true);
      const newTime = utc(`2027-03-2${3 + index}T14:00`);
      expect(rescheduleBy(match, match.coach, id, [newTime], "video", joinDetails)).toEqual({ ok: true, sessionId: id });
      expect(sessionRow(id)).toMatchObject({ format: "phone", joinDetails: phone, proposedFormat: "video", proposedJoinDetails: null });
      expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: newTime, joinDetails: "sneaky" }, NOW).ok).toBe(true);
      expect(sessionRow(id)).toMatchObject({ format: "video", joinDetails: "", sequence: 1 });
    }
  });

  it("from the requester carry no details: a new format makes the coach say how to join when confirming, the same one keeps the details", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    const newTime = utc("2027-03-23T14:00");
    const offered = await postNewSession(match.matchId, match.cookies.requester, [["intent", "propose"], ["times", String(newTime)], ["format", "phone"], ["joinDetails", "sneaky"]], `?session=${id}`);
    expect(offered.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ format: "video", joinDetails: JOIN, proposedFormat: "phone", proposedJoinDetails: null });
    expect(await sessionPage(id, match.cookies.coach)).toMatchObject({ mayAnswer: true, needsJoinDetails: true });
    const without = await actOnSession(id, match.cookies.coach, [["intent", "confirm"], ["time", String(newTime)]]);
    expect(without.response.status).toBe(400);
    expect(await body(without.response)).toMatchObject({ errors: { joinDetails: "sessions.errors.joinDetailsRequired" } });
    const confirmed = await actOnSession(id, match.cookies.coach, [["intent", "confirm"], ["time", String(newTime)], ["joinDetails", "0301234567"]]);
    expect(confirmed.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ format: "phone", joinDetails: "0301234567", sequence: 1 });

    // The same format again: the coach confirms without a word about joining, and the number stays.
    const later = utc("2027-03-30T13:00");
    expect(rescheduleBy(match, match.requester, id, [later], "phone", "")).toEqual({ ok: true, sessionId: id });
    expect(sessionRow(id)).toMatchObject({ proposedFormat: null, proposedJoinDetails: null });
    expect(await sessionPage(id, match.cookies.coach)).toMatchObject({ mayAnswer: true, needsJoinDetails: false });
    expect((await actOnSession(id, match.cookies.coach, [["intent", "confirm"], ["time", String(later)]])).response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ format: "phone", joinDetails: "0301234567", sequence: 2 });
  });

  it("keeping the time drops the offered format and details too", () => {
    const match = makeAcceptedMatch();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    expect(rescheduleBy(match, match.coach, id, [utc("2027-03-23T14:00")], "phone", "030 1234567").ok).toBe(true);
    expect(keepConfirmedTime(id, asViewer(match.requester), NOW)).toEqual({ ok: true, sessionId: id });
    expect(sessionRow(id)).toMatchObject({ format: "video", joinDetails: JOIN, proposedTimes: null, proposedFormat: null, proposedJoinDetails: null, sequence: 0 });
    expect(eventKinds(id).at(-1)).toBe("keptTime");
    expect(outboxKinds(id)).toHaveLength(4);
  });

  it("joinDetailsAfterConfirm: new details win; a changed format without them clears; otherwise the session's own stay", () => {
    const session = { format: "video" as const, joinDetails: JOIN };
    expect(joinDetailsAfterConfirm({ ...session, proposedFormat: null, proposedJoinDetails: null })).toBe(JOIN);
    expect(joinDetailsAfterConfirm({ ...session, proposedFormat: "video", proposedJoinDetails: null })).toBe(JOIN);
    expect(joinDetailsAfterConfirm({ ...session, proposedFormat: "phone", proposedJoinDetails: null })).toBe("");
    expect(joinDetailsAfterConfirm({ ...session, proposedFormat: "phone", proposedJoinDetails: "0301234567" })).toBe("0301234567");
    expect(joinDetailsAfterConfirm({ ...session, proposedFormat: null, proposedJoinDetails: "https://neu.example" })).toBe("https://neu.example");
  });

  it("are refused once the session has started: no new times, no page, and an offer made before can no longer be confirmed", async () => {
    const match = await acceptedMatchWithCookies();
    const startsAt = utc("2027-03-16T14:00");
    const id = confirmedSession(match, [startsAt]);
    const justBefore = new Date(startsAt - 1000);
    const atStart = new Date(startsAt);
    const next = utc("2027-03-17T14:00");
    expect(rescheduleBy(match, match.coach, id, [next], "video", JOIN, justBefore)).toEqual({ ok: true, sessionId: id });
    expect(rescheduleBy(match, match.coach, id, [next], "video", JOIN, atStart)).toEqual({ ok: false, refusal: "alreadyOver" });
    expect(rescheduleBy(match, match.team, id, [next], "video", "", atStart)).toEqual({ ok: false, refusal: "alreadyOver" });
    expect(getSchedulingOptions(match.matchId, asViewer(match.coach), id, justBefore)).not.toBeNull();
    expect(getSchedulingOptions(match.matchId, asViewer(match.coach), id, atStart)).toBeNull();
    // The offer from a second before the start still lies ahead, but would move a session already under way.
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: next, joinDetails: "" }, atStart)).toEqual({ ok: false, refusal: "alreadyOver" });
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", sequence: 0 });
    expect(sessionRow(id).startsAt?.getTime()).toBe(startsAt);

    vi.setSystemTime(atStart);
    try {
      const cookies = await Promise.all([match.coach, match.requester, match.team].map((who) => sessionFor(who.id)));
      for (const cookie of cookies) {
        expect((await openNewSession(match.matchId, cookie, `?session=${id}`)).response.status).toBe(404);
        expect((await postNewSession(match.matchId, cookie, [["intent", "propose"], ["times", String(next)], ["format", "video"], ["joinDetails", JOIN]], `?session=${id}`)).response.status).toBe(404);
        expect(await sessionPage(id, cookie)).toMatchObject({ mayReschedule: false });
      }
      // A new session for the tandem is still possible.
      expect((await openNewSession(match.matchId, cookies[0])).response.status).toBe(200);
    } finally {
      vi.setSystemTime(NOW);
    }
    expect(await sessionPage(id, match.cookies.coach)).toMatchObject({ mayReschedule: true });
  });
});

describe("how to join", () => {
  it("the coach changes it on a confirmed session: the sequence rises, HumHub is told, the requester notified; others get 403", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    expect(await sessionPage(id, match.cookies.coach)).toMatchObject({ mayEditJoinDetails: true });
    expect(await sessionPage(id, match.cookies.requester)).toMatchObject({ mayEditJoinDetails: false });
    expect(await sessionPage(id, match.cookies.team)).toMatchObject({ mayEditJoinDetails: false });

    for (const cookie of [match.cookies.requester, match.cookies.team]) {
      const refused = await actOnSession(id, cookie, [["intent", "joinDetails"], ["joinDetails", "https://evil.example"]]);
      expect(refused.response.status).toBe(403);
      expect(await body(refused.response)).toMatchObject({ intent: "joinDetails", formError: "sessions.refusals.notYourTurn" });
    }
    for (const joinDetails of ["", "  ", "x".repeat(301)]) {
      const invalid = await actOnSession(id, match.cookies.coach, [["intent", "joinDetails"], ["joinDetails", joinDetails]]);
      expect(invalid.response.status).toBe(400);
      expect(Object.keys((await body(invalid.response)).errors ?? {})).toEqual(["joinDetails"]);
    }
    expect(sessionRow(id)).toMatchObject({ joinDetails: JOIN, sequence: 0 });

    const saved = await actOnSession(id, match.cookies.coach, [["intent", "joinDetails"], ["joinDetails", "  https://neu.example/raum "]]);
    expect(saved.response.status).toBe(302);
    expect(saved.response.headers.get("Location")).toBe(`/sessions/${id}`);
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", joinDetails: "https://neu.example/raum", sequence: 1 });
    expect(sessionRow(id).startsAt?.getTime()).toBe(utc("2027-03-16T14:00"));
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester", "updateEntry"]);
    expect(eventKinds(id)).toEqual(["proposed", "confirmed", "joinDetailsChanged"]);
    expect(sessionNotices(match.requester.id)).toEqual([
      { kind: "sessionProposed", matchId: match.matchId },
      { kind: "sessionConfirmed", matchId: match.matchId },
    ]);
    // The coach only heard of the confirmation, not of their own change.
    expect(sessionNotices(match.coach.id)).toEqual([{ kind: "sessionConfirmed", matchId: match.matchId }]);
    expect(updateJoinDetails({ sessionId: id, viewer: asViewer(match.requester), joinDetails: "0301234567" }, NOW)).toEqual({ ok: false, refusal: "notYourTurn" });
    expect(sessionRow(id)).toMatchObject({ joinDetails: "https://neu.example/raum", sequence: 1 });
  });

  it("only for confirmed sessions that have not started", async () => {
    const match = await acceptedMatchWithCookies();
    const proposed = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-18T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    expect(await sessionPage(proposed, match.cookies.coach)).toMatchObject({ mayEditJoinDetails: false });
    const early = await actOnSession(proposed, match.cookies.coach, [["intent", "joinDetails"], ["joinDetails", "https://neu.example"]]);
    expect(early.response.status).toBe(409);
    expect(await body(early.response)).toMatchObject({ formError: "sessions.refusals.alreadyChanged" });

    const id = confirmedSession(makeAcceptedMatch({ coach: { coach: match.coach, offerId: match.offerId } }), [utc("2027-03-16T14:00")]);
    const change = (now: Date) => updateJoinDetails({ sessionId: id, viewer: asViewer(match.coach), joinDetails: "https://neu.example" }, now);
    expect(change(new Date("2027-03-16T14:00:00Z"))).toEqual({ ok: false, refusal: "alreadyOver" });
    expect(change(new Date("2027-03-16T13:59:59Z"))).toEqual({ ok: true, sessionId: id });
    expect(updateJoinDetails({ sessionId: id, viewer: asViewer(makeUser(["coach"])), joinDetails: "https://x.example" }, NOW)).toEqual({ ok: false, refusal: "notFound" });
    expect(cancelSession({ sessionId: id, viewer: asViewer(match.coach), reason: "Krank" }, NOW).ok).toBe(true);
    expect(change(NOW)).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(sessionRow(id)).toMatchObject({ joinDetails: "https://neu.example", sequence: 2 });
    expect(outboxKinds(proposed)).toEqual([]);
  });

  it("stays between the two people: the team's session page, reschedule form and calendar file leave it out", async () => {
    const match = await acceptedMatchWithCookies();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    expect(await sessionPage(id, match.cookies.coach)).toMatchObject({ session: { joinDetails: JOIN } });
    expect(await sessionPage(id, match.cookies.requester)).toMatchObject({ session: { joinDetails: JOIN } });
    const teamPage = await sessionPage(id, match.cookies.team);
    expect(teamPage.session.joinDetails).toBeNull();
    expect(JSON.stringify(teamPage)).not.toContain(JOIN);

    const ics = await call(icsRoute.loader, get(`/sessions/${id}/calendar.ics`, match.cookies.team), { sessionId: id });
    expect([ics.response.status, ics.thrown]).toEqual([404, true]);

    const form = await openNewSession(match.matchId, match.cookies.team, `?session=${id}`);
    expect(form.response.status).toBe(200);
    const formText = await form.response.text();
    expect(JSON.parse(formText)).toMatchObject({ side: "team", current: { format: "video", joinDetails: "" } });
    expect(formText).not.toContain(JOIN);

    // Moving it with the field left empty keeps the details; a new format without details clears them.
    const moved = await postNewSession(match.matchId, match.cookies.team, [["intent", "propose"], ["times", String(utc("2027-03-23T14:00"))], ["format", "video"], ["joinDetails", ""]], `?session=${id}`);
    expect(moved.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ joinDetails: JOIN, format: "video", sequence: 1 });
    expect(sessionRow(id).startsAt?.getTime()).toBe(utc("2027-03-23T14:00"));
    expect(eventKinds(id).at(-1)).toBe("rescheduled");
    const byPhone = await postNewSession(match.matchId, match.cookies.team, [["intent", "propose"], ["times", String(utc("2027-03-24T14:00"))], ["format", "phone"]], `?session=${id}`);
    expect(byPhone.response.status).toBe(302);
    expect(sessionRow(id)).toMatchObject({ joinDetails: "", format: "phone", sequence: 2 });
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester", "updateEntry", "updateEntry"]);
  });
});

describe("the new-session page's paging", () => {
  it("re-renders with what was ticked and typed, from the asked position (clamped), and saves nothing", async () => {
    const match = await acceptedMatchWithCookies();
    const ticked = [utc("2027-03-09T14:00"), utc("2027-03-30T13:00")];
    const fields = (intent: string): [string, string][] => [["intent", intent], ...ticked.map((time): [string, string] => ["times", String(time)]), ["format", "phone"], ["joinDetails", "0301234567"]];
    for (const [intent, from] of [["page:24", 24], ["page:48", 48], ["page:0", 0], ["page:-24", 0], ["page:9999", 74], ["page:abc", 0], ["page:", 0]] as const) {
      const paged = await postNewSession(match.matchId, match.cookies.coach, fields(intent));
      expect(paged.response.status, intent).toBe(200);
      expect(await paged.response.json()).toEqual({
        values: { intent, times: ticked.map(String), format: "phone", joinDetails: "0301234567" },
        from,
      });
    }
    // Nothing is checked while paging: no times, no details, four times are all fine for a moment.
    const loose = await postNewSession(match.matchId, match.cookies.coach, [["intent", "page:24"], ...[1, 2, 3, 4].map((day): [string, string] => ["times", String(utc(`2027-03-1${5 + day}T14:00`))])]);
    expect(loose.response.status).toBe(200);
    expect(await loose.response.json()).toMatchObject({ from: 24 });
    expect(getDb().select().from(coachingSessions).where(eq(coachingSessions.matchId, match.matchId)).all()).toEqual([]);

    // The main button proposes what is ticked.
    const sent = await postNewSession(match.matchId, match.cookies.coach, fields("propose"));
    expect(sent.response.status).toBe(302);
    const id = sent.response.headers.get("Location")!.split("/").pop()!;
    expect(sessionRow(id).proposedTimes?.map((time) => time.startsAt)).toEqual(ticked);
  });
});

describe("lapsing proposals", () => {
  it("drop a reschedule offer once the session has begun, even when the offered times lie later", () => {
    const match = makeAcceptedMatch();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    expect(rescheduleBy(match, match.requester, id, [utc("2027-03-30T13:00")], "video", "")).toEqual({ ok: true, sessionId: id });
    expect(getUpcomingSessionsForUser(match.coach.id, new Date("2027-03-16T13:59:00Z")).awaitingAnswer).toBe(1);
    // Once it is under way nothing can move it: the offer lapses and no longer waits for an answer.
    expect(getUpcomingSessionsForUser(match.coach.id, new Date("2027-03-16T14:00:00Z")).awaitingAnswer).toBe(0);
    expect(sessionRow(id)).toMatchObject({ status: "confirmed", proposedTimes: null, proposedByUserId: null, sequence: 0 });
    expect(eventKinds(id).at(-1)).toBe("lapsed");
  });

  it("are not inherited by the team's direct booking: a pending offer's details were meant for its own format", () => {
    const match = makeAcceptedMatch();
    const id = confirmedSession(match, [utc("2027-03-16T14:00")]);
    expect(
      proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: asViewer(match.coach), times: [utc("2027-03-23T14:00")], format: "phone", joinDetails: "030 1234567" }, NOW),
    ).toEqual({ ok: true, sessionId: id });
    expect(sessionRow(id)).toMatchObject({ proposedFormat: "phone", proposedJoinDetails: "030 1234567" });
    // The team books another time as video and says nothing about joining: the session keeps its own link.
    expect(
      proposeSessionTimes({ matchId: match.matchId, sessionId: id, viewer: asViewer(match.team), times: [utc("2027-03-24T14:00")], format: "video", joinDetails: "" }, NOW),
    ).toEqual({ ok: true, sessionId: id });
    expect(sessionRow(id)).toMatchObject({ format: "video", joinDetails: JOIN, proposedTimes: null, proposedJoinDetails: null });
  });

  it("cancel a new session's proposal once every offered time is within the notice, and only then", () => {
    const match = makeAcceptedMatch();
    const times = [utc("2027-03-16T14:00"), utc("2027-03-17T14:00")];
    const id = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times, format: "video", joinDetails: JOIN }, NOW));
    // 17 March 14:00 is still confirmable exactly 24 hours before.
    const lastChance = new Date(utc("2027-03-16T14:00"));
    lapseStaleProposals(lastChance);
    expect(sessionRow(id)).toMatchObject({ status: "proposed", proposedByUserId: match.coach.id });
    expect(eventKinds(id)).toEqual(["proposed"]);

    const tooLate = new Date(utc("2027-03-16T14:00") + 1);
    lapseStaleProposals(tooLate);
    expect(sessionRow(id)).toMatchObject({ status: "cancelled", proposedTimes: null, proposedByUserId: null, proposedFormat: null, proposedJoinDetails: null, startsAt: null, updatedAt: tooLate });
    const lapsed = getDb().select().from(sessionEvents).where(eq(sessionEvents.sessionId, id)).orderBy(asc(sessionEvents.id)).all();
    expect(lapsed.map((event) => [event.kind, event.actorUserId, event.at])).toEqual([
      ["proposed", match.coach.id, NOW],
      ["lapsed", null, tooLate],
    ]);
    expect(outboxKinds(id)).toEqual([]);
    // Once is enough.
    lapseStaleProposals(new Date(utc("2027-03-18T00:00")));
    expect(eventKinds(id)).toEqual(["proposed", "lapsed"]);
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: times[1]!, joinDetails: "" }, lastChance)).toEqual({ ok: false, refusal: "notFound" });
  });

  it("follow the notice setting", () => {
    const match = makeAcceptedMatch();
    const id = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    const twoDaysBefore = new Date(utc("2027-03-14T14:00") + 1);
    lapseStaleProposals(twoDaysBefore);
    expect(sessionRow(id).status).toBe("proposed");
    saveSchedulingSettings(match.team.id, { bufferMinutes: 15, noticeHours: 48 });
    try {
      lapseStaleProposals(twoDaysBefore);
    } finally {
      saveSchedulingSettings(match.team.id, defaultSchedulingSettings);
    }
    expect(sessionRow(id).status).toBe("cancelled");
  });

  it("stand while one offered time can still be confirmed", () => {
    const match = makeAcceptedMatch();
    const times = [utc("2027-03-16T14:00"), utc("2027-03-18T14:00")];
    const id = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times, format: "video", joinDetails: JOIN }, NOW));
    const later = new Date(utc("2027-03-16T15:00"));
    lapseStaleProposals(later);
    expect(sessionRow(id)).toMatchObject({ status: "proposed" });
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: times[0]!, joinDetails: "" }, later)).toEqual({ ok: false, refusal: "notAvailable" });
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: times[1]!, joinDetails: "" }, later)).toEqual({ ok: true, sessionId: id });
  });

  it("no longer block a new proposal nor wait on the dashboard; the model lapses them by itself", async () => {
    const match = await acceptedMatchWithCookies();
    const first = sessionId(
      proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    const later = new Date(utc("2027-03-15T15:00"));
    expect(getUpcomingSessionsForUser(match.requester.id, NOW).awaitingAnswer).toBe(1);
    expect(getUpcomingSessionsForUser(match.requester.id, later).awaitingAnswer).toBe(0);
    expect(sessionRow(first).status).toBe("cancelled");

    // Another stale proposal, this time found first by the scheduling page and then by a new proposal.
    const other = makeAcceptedMatch();
    const stale = sessionId(
      proposeSessionTimes({ matchId: other.matchId, sessionId: null, viewer: asViewer(other.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    expect(getSchedulingOptions(other.matchId, asViewer(other.requester), null, NOW)?.openProposal).toBe(stale);
    expect(getSchedulingOptions(other.matchId, asViewer(other.requester), null, later)?.openProposal).toBeNull();
    const third = makeAcceptedMatch();
    const thirdStale = sessionId(
      proposeSessionTimes({ matchId: third.matchId, sessionId: null, viewer: asViewer(third.coach), times: [utc("2027-03-16T14:00")], format: "video", joinDetails: JOIN }, NOW),
    );
    const fresh = proposeSessionTimes({ matchId: third.matchId, sessionId: null, viewer: asViewer(third.requester), times: [utc("2027-03-17T14:00")], format: "video", joinDetails: "" }, later);
    expect(fresh.ok).toBe(true);
    expect(sessionRow(thirdStale).status).toBe("cancelled");

    // The session page shows what happened, without anyone's name.
    vi.setSystemTime(later);
    try {
      const page = await sessionPage(first, await sessionFor(match.requester.id));
      expect(page.events.map((event) => [event.kind, event.actorName])).toEqual([
        ["proposed", match.coach.name],
        ["lapsed", null],
      ]);
      expect(page).toMatchObject({ mayAnswer: false });
    } finally {
      vi.setSystemTime(NOW);
    }
  });

  it("drop a stale reschedule offer and keep the confirmed time, format and details", () => {
    const match = makeAcceptedMatch();
    const confirmedAt = utc("2027-03-30T13:00");
    const id = confirmedSession(match, [confirmedAt]);
    expect(rescheduleBy(match, match.coach, id, [utc("2027-03-17T14:00")], "phone", "030 1234567").ok).toBe(true);
    const later = new Date(utc("2027-03-16T14:30"));
    expect(getUpcomingSessionsForUser(match.requester.id, NOW).awaitingAnswer).toBe(1);
    expect(getUpcomingSessionsForUser(match.requester.id, later).awaitingAnswer).toBe(0);
    const row = sessionRow(id);
    expect(row).toMatchObject({ status: "confirmed", sequence: 0, format: "video", joinDetails: JOIN, proposedTimes: null, proposedByUserId: null, proposedFormat: null, proposedJoinDetails: null });
    expect(row.startsAt?.getTime()).toBe(confirmedAt);
    expect(eventKinds(id)).toEqual(["proposed", "confirmed", "rescheduleProposed", "lapsed"]);
    expect(outboxKinds(id)).toEqual(["createEntry", "announceSession", "notifyCoach", "notifyRequester"]);
    expect(confirmSessionTime({ sessionId: id, viewer: asViewer(match.requester), startsAt: utc("2027-03-17T14:00"), joinDetails: "" }, later)).toEqual({ ok: false, refusal: "alreadyChanged" });
    expect(keepConfirmedTime(id, asViewer(match.requester), later)).toEqual({ ok: false, refusal: "alreadyChanged" });
    // It can be moved again.
    expect(rescheduleBy(match, match.coach, id, [utc("2027-03-23T14:00")], "video", JOIN, later).ok).toBe(true);
  });
});
