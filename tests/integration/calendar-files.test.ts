/**
 * Calendar files from the routes, read back with ical.js: a session's .ics download (an iTIP REQUEST while it
 * stands, a CANCEL once cancelled, with one UID and a rising SEQUENCE), and the private subscription feed whose
 * secret address is shown once, stored only as a SHA-256 hash, and stops working when renewed or revoked.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { cancelSession, confirmSessionTime, proposeSessionTimes, updateJoinDetails } from "~/models/session.server";
import * as feedRoute from "~/routes/calendar.$token.sessions[.]ics";
import * as icsRoute from "~/routes/sessions.$sessionId.calendar[.]ics";
import * as settingsRoute from "~/routes/settings";
import { calendarFeeds } from "~db/schema";
import { call, get, post, sessionFor } from "../support/route-calls";
import { asViewer, HOUR, NOW, sessionFixtures, utc } from "../support/session-fixtures";

const { makeAcceptedMatch, makeCoach, cookiesFor } = sessionFixtures({ person: "Calendar Person", emailPrefix: "calendar" });

const JOIN = "https://meet.example/kalender";

type Match = ReturnType<typeof makeAcceptedMatch>;

function propose(match: Match, time: number, sessionId: string | null = null) {
  const result = proposeSessionTimes({ matchId: match.matchId, sessionId, viewer: asViewer(match.coach), times: [time], format: "video", joinDetails: JOIN }, NOW);
  if (!result.ok) throw new Error(result.refusal);
  return result.sessionId;
}

function confirm(match: Match, sessionId: string, time: number) {
  expect(confirmSessionTime({ sessionId, viewer: asViewer(match.requester), startsAt: time, joinDetails: "" }, NOW)).toEqual({ ok: true, sessionId });
}

function confirmedSession(match: Match, time: number) {
  const id = propose(match, time);
  confirm(match, id, time);
  return id;
}

async function download(sessionId: string, cookie: string) {
  return call(icsRoute.loader, get(`/sessions/${sessionId}/calendar.ics`, cookie), { sessionId });
}

async function downloadEvent(sessionId: string, cookie: string) {
  const { response } = await download(sessionId, cookie);
  expect(response.status).toBe(200);
  const text = await response.text();
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent");
  expect(events).toHaveLength(1);
  return { response, text, calendar, event: new ICAL.Event(events[0]) };
}

const address = (property: ICAL.Property) => String(property.getFirstValue()).replace(/^mailto:/i, "mailto:");

function feedEvents(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, events: calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component)) };
}

async function createFeed(cookie: string) {
  const { response } = await call(settingsRoute.action, post("/settings", [["intent", "createFeed"]], cookie));
  expect(response.status).toBe(200);
  const data = (await response.json()) as { intent: string; feedUrl?: string };
  expect(data.intent).toBe("calendarFeed");
  const match = /^http:\/\/localhost\/calendar\/([A-Za-z0-9_-]{43})\/sessions\.ics$/.exec(data.feedUrl ?? "");
  expect(match, `feed URL ${data.feedUrl}`).not.toBeNull();
  return match![1]!;
}

function fetchFeed(token: string) {
  return call(feedRoute.loader, get(`/calendar/${token}/sessions.ics`), { token });
}

describe("a session's .ics download", () => {
  it("is an iTIP REQUEST with a stable UID, exact UTC times, the coach as organizer and both people as attendees", async () => {
    const match = makeAcceptedMatch();
    const cookies = await cookiesFor({ coach: match.coach, requester: match.requester, team: match.team });
    // Tuesday 30 March 2027, 15:00 in Berlin (CEST) and 09:00 in New York (EDT): 13:00 UTC.
    const id = confirmedSession(match, utc("2027-03-30T13:00"));

    const { response, text, calendar, event } = await downloadEvent(id, cookies.requester);
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8; method=REQUEST");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="tandem-${id.slice(0, 8)}.ics"`);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(event.uid).toBe(`${id}@localhost`);
    expect(event.sequence).toBe(0);
    expect(event.component.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(text).toContain("\r\nDTSTART:20270330T130000Z\r\n");
    expect(text).toContain("\r\nDTEND:20270330T140000Z\r\n");
    expect(text).not.toContain("TZID");
    expect(event.startDate.zone?.tzid).toBe("UTC");
    expect(event.startDate.toJSDate().getTime()).toBe(utc("2027-03-30T13:00"));
    expect(event.endDate.toJSDate().getTime()).toBe(utc("2027-03-30T14:00"));
    expect(event.location).toBe(JOIN);
    expect(event.component.getFirstPropertyValue("url")).toBe(`http://localhost/sessions/${id}`);
    expect(event.description).toContain("Wir möchten HumHub einführen.");

    const organizer = event.component.getFirstProperty("organizer")!;
    expect(address(organizer)).toBe(`mailto:${match.coach.email}`);
    expect(organizer.getParameter("cn")).toBe(match.coach.name);
    expect(event.attendees.map((attendee) => [address(attendee), attendee.getParameter("cn")])).toEqual([
      [`mailto:${match.coach.email}`, match.coach.name],
      [`mailto:${match.requester.email}`, match.requester.name],
    ]);

    // The same UID for both people and every later download.
    for (const cookie of [cookies.coach, cookies.requester]) {
      const again = await downloadEvent(id, cookie);
      expect(again.event.uid).toBe(event.uid);
      expect(again.event.sequence).toBe(0);
    }
    // The team arranges sessions but does not attend: no invitation with both addresses and the way to join.
    const forTeam = await download(id, cookies.team);
    expect([forTeam.response.status, forTeam.thrown]).toEqual([404, true]);
  });

  it("is not there for a session without a confirmed time, nor for anyone outside the tandem", async () => {
    const match = makeAcceptedMatch();
    const proposed = propose(match, utc("2027-03-16T14:00"));
    const { response, thrown } = await download(proposed, await sessionFor(match.coach.id));
    expect([response.status, thrown]).toEqual([404, true]);

    const confirmed = confirmedSession(makeAcceptedMatch(), utc("2027-03-16T14:00"));
    expect((await download(confirmed, await sessionFor(match.coach.id))).response.status).toBe(404);
    expect((await download("no-such-session", await sessionFor(match.coach.id))).response.status).toBe(404);
    expect((await download(confirmed, "")).response.status).toBe(302);
  });

  it("after a cancellation is an iTIP CANCEL with STATUS:CANCELLED, the same UID and a higher SEQUENCE", async () => {
    const match = makeAcceptedMatch();
    const cookie = await sessionFor(match.requester.id);
    const id = confirmedSession(match, utc("2027-03-12T14:00"));
    const before = await downloadEvent(id, cookie);
    // Friday 12 March, still CET and EST: 15:00 Berlin, 09:00 New York.
    expect(before.text).toContain("\r\nDTSTART:20270312T140000Z\r\n");

    expect(cancelSession({ sessionId: id, viewer: asViewer(match.coach), reason: "Krank" }, new Date(NOW.getTime() + HOUR)).ok).toBe(true);
    const after = await downloadEvent(id, cookie);
    expect(after.response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8; method=CANCEL");
    expect(after.calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(after.event.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(after.event.uid).toBe(before.event.uid);
    expect(after.event.sequence).toBe(1);
    expect(after.event.sequence).toBeGreaterThan(before.event.sequence);
    // The cancellation names the event it removes: same time, same people.
    expect(after.text).toContain("\r\nDTSTART:20270312T140000Z\r\n");
    expect(after.event.attendees).toHaveLength(2);
  });

  it("after a reschedule carries the new times and a higher SEQUENCE; while new times wait, the old one stands", async () => {
    const match = makeAcceptedMatch();
    const cookie = await sessionFor(match.coach.id);
    const id = confirmedSession(match, utc("2027-03-11T15:00"));
    const first = await downloadEvent(id, cookie);
    expect(first.text).toContain("\r\nDTSTART:20270311T150000Z\r\n");

    // New times offered, not yet confirmed: the file is unchanged.
    expect(propose(match, utc("2027-04-01T13:30"), id)).toBe(id);
    const pending = await downloadEvent(id, cookie);
    expect(pending.text).toContain("\r\nDTSTART:20270311T150000Z\r\n");
    expect(pending.event.sequence).toBe(0);

    confirm(match, id, utc("2027-04-01T13:30"));
    const moved = await downloadEvent(id, cookie);
    expect(moved.calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(moved.event.uid).toBe(first.event.uid);
    expect(moved.event.sequence).toBe(1);
    // Thursday 1 April: 15:30 in Berlin (CEST), 09:30 in New York (EDT).
    expect(moved.text).toContain("\r\nDTSTART:20270401T133000Z\r\n");
    expect(moved.text).toContain("\r\nDTEND:20270401T143000Z\r\n");
    expect(moved.event.startDate.toJSDate().getTime()).toBe(utc("2027-04-01T13:30"));

    // Moved once more, the sequence rises again.
    expect(propose(match, utc("2027-03-23T14:00"), id)).toBe(id);
    confirm(match, id, utc("2027-03-23T14:00"));
    const movedAgain = await downloadEvent(id, cookie);
    expect(movedAgain.event.sequence).toBe(2);
    expect(movedAgain.text).toContain("\r\nDTSTART:20270323T140000Z\r\n");
  });
});

describe("a session's join details in the .ics download", () => {
  it("are the LOCATION: new ones offered with new times wait for the confirmation; the coach's change raises the SEQUENCE", async () => {
    const match = makeAcceptedMatch();
    const cookie = await sessionFor(match.requester.id);
    const id = confirmedSession(match, utc("2027-03-16T14:00"));
    expect((await downloadEvent(id, cookie)).event.location).toBe(JOIN);

    // The coach offers a move to the phone; until it is confirmed, the file still says video and the old link.
    const offered = proposeSessionTimes(
      { matchId: match.matchId, sessionId: id, viewer: asViewer(match.coach), times: [utc("2027-03-23T14:00")], format: "phone", joinDetails: "030 1234567" },
      NOW,
    );
    expect(offered).toEqual({ ok: true, sessionId: id });
    const pending = await downloadEvent(id, cookie);
    expect(pending.event.location).toBe(JOIN);
    expect(pending.event.sequence).toBe(0);
    expect(pending.text).not.toContain("030 1234567");

    confirm(match, id, utc("2027-03-23T14:00"));
    const moved = await downloadEvent(id, cookie);
    expect(moved.event.location).toBe("030 1234567");
    expect(moved.event.sequence).toBe(1);

    // The coach changes only how to join: same UID and time, a higher SEQUENCE, so calendars take the update.
    expect(updateJoinDetails({ sessionId: id, viewer: asViewer(match.coach), joinDetails: "030 7654321" }, NOW)).toEqual({ ok: true, sessionId: id });
    const changed = await downloadEvent(id, cookie);
    expect(changed.event.uid).toBe(moved.event.uid);
    expect(changed.event.location).toBe("030 7654321");
    expect(changed.event.sequence).toBe(2);
    expect(changed.text).toContain("\r\nDTSTART:20270323T140000Z\r\n");
  });
});

describe("the private calendar feed", () => {
  /** A coach with a confirmed, a cancelled and an only proposed session, and someone else's session beside them. */
  function coachWithSessions() {
    const coach = makeCoach();
    const confirmedMatch = makeAcceptedMatch({ coach });
    const cancelledMatch = makeAcceptedMatch({ coach });
    const proposedMatch = makeAcceptedMatch({ coach });
    const confirmed = confirmedSession(confirmedMatch, utc("2027-03-16T14:00"));
    const cancelled = confirmedSession(cancelledMatch, utc("2027-03-18T14:00"));
    expect(cancelSession({ sessionId: cancelled, viewer: asViewer(cancelledMatch.requester), reason: "Vorstandssitzung" }, NOW).ok).toBe(true);
    const proposed = propose(proposedMatch, utc("2027-03-23T14:00"));
    const elsewhere = confirmedSession(makeAcceptedMatch(), utc("2027-03-16T14:00"));
    return { coach: coach.coach, confirmedMatch, confirmed, cancelled, proposed, elsewhere };
  }

  it("is created in the settings, shown once, and holds the user's sessions (cancelled ones as CANCELLED), not other people's", async () => {
    const world = coachWithSessions();
    const cookie = await sessionFor(world.coach.id);
    const token = await createFeed(cookie);

    // The settings page afterwards knows a feed exists, but not its address.
    const settings = await call(settingsRoute.loader, get("/settings", cookie));
    const settingsText = await settings.response.text();
    expect(JSON.parse(settingsText)).toMatchObject({ calendarFeed: { lastReadAt: null } });
    expect(settingsText).not.toContain(token);

    const { response } = await fetchFeed(token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    const text = await response.text();
    const { calendar, events } = feedEvents(text);
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    expect(events.map((event) => event.uid)).toEqual([`${world.confirmed}@localhost`, `${world.cancelled}@localhost`]);
    expect(events.map((event) => [event.component.getFirstPropertyValue("status"), event.sequence])).toEqual([
      ["CONFIRMED", 0],
      ["CANCELLED", 1],
    ]);
    expect(events[1]!.component.getFirstPropertyValue("transp")).toBe("TRANSPARENT");
    expect(events[0]!.startDate.toJSDate().getTime()).toBe(utc("2027-03-16T14:00"));
    expect(text).toContain("\r\nDTSTART:20270316T140000Z\r\n");
    expect(text).toContain("\r\nDTSTART:20270318T140000Z\r\n");
    expect(text).not.toContain(world.proposed);
    expect(text).not.toContain(world.elsewhere);
    // A published feed carries no attendees.
    expect(events.every((event) => event.attendees.length === 0)).toBe(true);
    expect(getDb().select().from(calendarFeeds).where(eq(calendarFeeds.userId, world.coach.id)).get()?.lastReadAt).toBeInstanceOf(Date);

    // The requester's own feed holds only their one session.
    const requesterToken = await createFeed(await sessionFor(world.confirmedMatch.requester.id));
    const requesterFeed = feedEvents(await (await fetchFeed(requesterToken)).response.text());
    expect(requesterFeed.events.map((event) => event.uid)).toEqual([`${world.confirmed}@localhost`]);
  });

  it("keeps only the SHA-256 of the secret: the raw token is nowhere in the database", async () => {
    const world = coachWithSessions();
    const token = await createFeed(await sessionFor(world.coach.id));
    const hash = createHash("sha256").update(token).digest("hex");
    const row = getDb().select().from(calendarFeeds).where(eq(calendarFeeds.userId, world.coach.id)).get()!;
    expect(row.tokenHash).toBe(hash);
    expect(JSON.stringify(row)).not.toContain(token);

    // Every byte of the database files (with the write-ahead log): the hash is found there, the token is not.
    getDb().$client.pragma("wal_checkpoint(PASSIVE)");
    const databasePath = process.env.DATABASE_PATH!;
    const files = [databasePath, `${databasePath}-wal`].filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file));
    expect(files.some((bytes) => bytes.includes(hash))).toBe(true);
    expect(files.some((bytes) => bytes.includes(token))).toBe(false);
  });

  it("answers 404 to an unknown, malformed, renewed or revoked token", async () => {
    const world = coachWithSessions();
    const cookie = await sessionFor(world.coach.id);
    for (const token of ["nope", "x".repeat(43), "../../etc/passwd", "a".repeat(200)]) {
      const { response, thrown } = await fetchFeed(token);
      expect([response.status, thrown]).toEqual([404, true]);
    }

    const first = await createFeed(cookie);
    expect((await fetchFeed(first)).response.status).toBe(200);
    // A near miss is no key.
    expect((await fetchFeed(`${first.slice(0, -1)}${first.endsWith("A") ? "B" : "A"}`)).response.status).toBe(404);

    const renewed = await createFeed(cookie);
    expect(renewed).not.toBe(first);
    expect((await fetchFeed(first)).response.status).toBe(404);
    expect((await fetchFeed(renewed)).response.status).toBe(200);
    expect(getDb().select().from(calendarFeeds).where(eq(calendarFeeds.userId, world.coach.id)).all()).toHaveLength(1);

    const revoked = await call(settingsRoute.action, post("/settings", [["intent", "revokeFeed"]], cookie));
    expect(revoked.response.status).toBe(302);
    expect((await fetchFeed(renewed)).response.status).toBe(404);
    expect(getDb().select().from(calendarFeeds).where(eq(calendarFeeds.userId, world.coach.id)).all()).toEqual([]);
    const settings = (await (await call(settingsRoute.loader, get("/settings", cookie))).response.json()) as { calendarFeed: unknown };
    expect(settings.calendarFeed).toBeNull();
  });
});
