import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyLogin } from "~/auth.server";
import { getDb } from "~/db.server";
import { actOnMatch, proposeMatch } from "~/models/match.server";
import { applyRetention, deleteAccount, deletedAccountName, exportUserData, getPrivacySettings, savePrivacySettings } from "~/models/privacy.server";
import { createOrganisation } from "~/models/organisation.server";
import { createRequest, withdrawRequest } from "~/models/request.server";
import { cancelSession, confirmSessionTime, proposeSessionTimes, recordSessionFeedback, type SessionResult } from "~/models/session.server";
import { getUserByEmail, updatePasswordHash, updateProfile } from "~/models/user.server";
import * as exportRoute from "~/routes/account.data[.]json";
import * as deleteRoute from "~/routes/account.delete";
import * as privacyRoute from "~/routes/privacy";
import {
  coachingRequests,
  coachingSessions,
  humhubOutbox,
  matchEvents,
  matches,
  memberships,
  notifications,
  sessionFeedback,
  sessions,
  userRoles,
  users,
} from "~db/schema";
import { requestInput } from "../support/matching-fixtures";
import { call, get, post, sessionFor } from "../support/route-calls";
import { asViewer, DAY, NOW, requesterWindows, sessionFixtures, utc, type Person } from "../support/session-fixtures";

const { makeAcceptedMatch, makeCoach, makeUser, teamMember } = sessionFixtures({ person: "Privatsphäre", emailPrefix: "privacy" });

function sessionId(result: SessionResult) {
  if (!result.ok) throw new Error(`refused: ${result.refusal}`);
  return result.sessionId;
}

function marker(label: string) {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Every row of every table as text: what a copy of the database file would tell anyone who reads it. */
function wholeDatabaseText() {
  const client = getDb().$client;
  const tables = client.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as { name: string }[];
  return tables.map(({ name }) => JSON.stringify(client.prepare(`select * from "${name}"`).all())).join("\n");
}

/**
 * A requester with words of their own everywhere: a goal, a held session with feedback, an upcoming confirmed
 * session with join details they typed on the reschedule, a cancelled one with a reason, and a second request the
 * team rejected with an internal note.
 */
function requesterWithHistory() {
  const secrets = { name: marker("Zora Geheim"), goal: marker("Unser geheimes Ziel"), comment: marker("Mein Kommentar"), cancelReason: marker("Mein Absagegrund"), join: `https://meet.example/${marker("raum")}`, teamNote: marker("Interne Notiz") };
  const match = makeAcceptedMatch({ request: { goal: secrets.goal } });
  updateProfile(match.requester.id, { name: secrets.name, locale: "de", timeZone: match.requester.timeZone, humhubUsername: null, roles: ["requester"] });
  const requester: Person = { ...match.requester, name: secrets.name };

  // Held on Wednesday 10 March, with feedback from both sides.
  const held = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-10T14:00")], format: "video", joinDetails: secrets.join }, NOW));
  expect(confirmSessionTime({ sessionId: held, viewer: asViewer(requester), startsAt: utc("2027-03-10T14:00"), joinDetails: "" }, NOW).ok).toBe(true);
  const later = new Date(NOW.getTime() + 10 * DAY);
  expect(recordSessionFeedback({ sessionId: held, viewer: asViewer(requester), held: true, rating: 5, comment: secrets.comment }, later).ok).toBe(true);
  expect(recordSessionFeedback({ sessionId: held, viewer: asViewer(match.coach), held: true, rating: 4, comment: "Worte des Coachs" }, later).ok).toBe(true);

  // Upcoming on Monday 22 March; and one the requester cancelled with a reason.
  const upcoming = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-22T14:00")], format: "video", joinDetails: secrets.join }, later));
  expect(confirmSessionTime({ sessionId: upcoming, viewer: asViewer(requester), startsAt: utc("2027-03-22T14:00"), joinDetails: "" }, later).ok).toBe(true);
  const cancelled = sessionId(proposeSessionTimes({ matchId: match.matchId, sessionId: null, viewer: asViewer(match.coach), times: [utc("2027-03-24T14:00")], format: "video", joinDetails: secrets.join }, later));
  expect(cancelSession({ sessionId: cancelled, viewer: asViewer(requester), reason: secrets.cancelReason }, later).ok).toBe(true);

  // A second request the requester proposed a coach for; the team rejects it with a note of its own.
  const organisationId = getDb().select({ id: memberships.organisationId }).from(memberships).where(eq(memberships.userId, requester.id)).get()!.id;
  const second = createRequest(requester.id, requestInput(organisationId, { formats: ["video", "phone"], windows: requesterWindows, sessionMinutes: 60 }), later);
  if (!second.ok) throw new Error(JSON.stringify(second.errors));
  const otherCoach = makeCoach();
  const proposal = proposeMatch({ requestId: second.requestId, offerId: otherCoach.offerId, source: "requester", actorUserId: requester.id }, later);
  if (!proposal.ok) throw new Error(proposal.refusal);
  expect(proposal.status).toBe("awaitingReview");
  expect(actOnMatch({ matchId: proposal.matchId, action: "reject", actorUserId: match.team.id, actorRole: "team", reason: secrets.teamNote }, later).ok).toBe(true);

  return { ...match, requester, secrets, held, upcoming, cancelled, later, secondRequestId: second.requestId };
}

describe("my data (export)", () => {
  it("holds the person's profile, organisations, requests, matches, sessions and own feedback, and nothing private of others", () => {
    const world = requesterWithHistory();
    const data = exportUserData(world.requester.id, world.later)!;
    expect(data.profile).toMatchObject({ id: world.requester.id, name: world.secrets.name, email: world.requester.email, roles: [{ role: "requester" }] });
    expect(data.organisations).toHaveLength(1);
    expect(data.requests.map((request) => request.goal)).toContain(world.secrets.goal);
    expect(data.requests.find((request) => request.id === world.requestId)!.history[0]).toMatchObject({ action: "created" });
    const accepted = data.matches.find((match) => match.id === world.matchId)!;
    expect(accepted).toMatchObject({ yourRole: "requester", status: "accepted", otherSide: { name: world.coach.name } });
    expect(data.sessions.map((session) => session.status).sort()).toEqual(["cancelled", "confirmed", "confirmed"]);
    const held = data.sessions.find((session) => session.id === world.held)!;
    expect(held.yourFeedback).toMatchObject({ held: true, rating: 5, comment: world.secrets.comment });
    expect(held.joinDetails).toBe(world.secrets.join);
    expect(data.sessions.find((session) => session.id === world.cancelled)!.cancelReason).toBe(world.secrets.cancelReason);
    expect(data.notifications.length).toBeGreaterThan(0);

    const text = JSON.stringify(data);
    // The coach's words about the session, the team's internal note and every secret are not the requester's data.
    expect(text).not.toContain("Worte des Coachs");
    expect(text).not.toContain(world.secrets.teamNote);
    expect(text).not.toContain("not-a-real-hash");
    expect(text).not.toContain("passwordHash");
    // The rejected proposal is there, without the note; the coach it named never accepted, so stays unnamed.
    const rejected = data.matches.find((match) => match.requestId === world.secondRequestId)!;
    expect(rejected).toMatchObject({ status: "rejected", otherSide: { name: null } });
  });

  it("is a JSON download for the signed-in person only", async () => {
    const person = makeUser(["coach"]);
    const cookie = await sessionFor(person.id);
    const { response } = await call(exportRoute.loader, get("/account/data.json", cookie));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="tandem-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = JSON.parse(await response.text());
    expect(body.profile.email).toBe(person.email);

    const anonymous = await call(exportRoute.loader, get("/account/data.json"));
    expect(anonymous.response.status).toBe(302);
    expect(anonymous.response.headers.get("Location")).toMatch(/^\/login\?redirectTo=%2Faccount%2Fdata.json/);
  });
});

describe("deleting an account", () => {
  it("cancels upcoming sessions through the outbox, closes the match, signs out everywhere and leaves no personal trace", async () => {
    const world = requesterWithHistory();
    const oldEmail = world.requester.email;
    await sessionFor(world.requester.id);
    await sessionFor(world.requester.id);
    const outboxBefore = getDb().select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, world.upcoming)).all().map((row) => row.kind);
    expect(outboxBefore).toContain("createEntry");

    const result = deleteAccount(world.requester.id, world.later);
    expect(result).toEqual({ ok: true, cancelledSessions: 1, closedMatches: 1 });

    const db = getDb();
    const upcoming = db.select().from(coachingSessions).where(eq(coachingSessions.id, world.upcoming)).get()!;
    expect(upcoming).toMatchObject({ status: "cancelled", cancelReason: null, joinDetails: "" });
    const outboxAfter = db.select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, world.upcoming)).all().map((row) => row.kind);
    expect(outboxAfter.slice(outboxBefore.length)).toEqual(["deleteEntry", "announceCancellation"]);
    // The coach hears of it in Tandem.
    expect(db.select().from(notifications).where(eq(notifications.userId, world.coach.id)).all().map((row) => row.kind)).toContain("sessionCancelled");
    // What took place stays, without words: the held session, its rating, the closed match.
    expect(db.select().from(coachingSessions).where(eq(coachingSessions.id, world.held)).get()).toMatchObject({ status: "confirmed", joinDetails: "" });
    expect(db.select().from(sessionFeedback).where(eq(sessionFeedback.userId, world.requester.id)).get()).toMatchObject({ held: true, rating: 5, comment: null });
    expect(db.select().from(matches).where(eq(matches.id, world.matchId)).get()!.status).toBe("closed");
    expect(db.select().from(matchEvents).where(eq(matchEvents.matchId, world.matchId)).all().at(-1)).toMatchObject({ toStatus: "closed", reason: "accountDeleted" });
    expect(db.select().from(coachingRequests).where(eq(coachingRequests.userId, world.requester.id)).all().map((row) => [row.goal, row.status])).toEqual([
      ["", "matched"],
      ["", "withdrawn"],
    ]);

    expect(db.select().from(sessions).where(eq(sessions.userId, world.requester.id)).all()).toEqual([]);
    expect(db.select().from(userRoles).where(eq(userRoles.userId, world.requester.id)).all()).toEqual([]);
    expect(db.select().from(memberships).where(eq(memberships.userId, world.requester.id)).all()).toEqual([]);
    const tombstone = db.select().from(users).where(eq(users.id, world.requester.id)).get()!;
    expect(tombstone).toMatchObject({ name: deletedAccountName, humhubUsername: null, deletedAt: world.later });
    expect(getUserByEmail(oldEmail)).toBeNull();
    expect(await verifyLogin(tombstone, "")).toBe(false);
    expect(exportUserData(world.requester.id)).toBeNull();

    const everything = wholeDatabaseText();
    for (const secret of [world.secrets.name, oldEmail, world.secrets.goal, world.secrets.comment, world.secrets.cancelReason, world.secrets.join]) {
      expect(everything, secret).not.toContain(secret);
    }
    // The coach's own words stay theirs.
    expect(everything).toContain("Worte des Coachs");
    expect(deleteAccount(world.requester.id)).toEqual({ ok: false, refusal: "notFound" });
  });

  it("takes a deleted coach out of the directory and batch runs and keeps the match history", () => {
    const world = makeAcceptedMatch();
    expect(deleteAccount(world.coach.id, NOW)).toEqual({ ok: true, cancelledSessions: 0, closedMatches: 1 });
    const offer = getDb().$client.prepare("select bio, paused_until as pausedUntil from coach_offers where id = ?").get(world.offerId);
    expect(offer).toEqual({ bio: "", pausedUntil: "9999-12-31" });
    expect(getDb().select().from(matches).where(eq(matches.id, world.matchId)).get()!.status).toBe("closed");
  });

  it("refuses the last team member, so the community keeps a team", () => {
    const team = teamMember();
    expect(getDb().select({ userId: userRoles.userId }).from(userRoles).where(eq(userRoles.role, "team")).all()).toEqual([{ userId: team.id }]);
    expect(deleteAccount(team.id)).toEqual({ ok: false, refusal: "lastTeamMember" });
    const second = makeUser(["team"]);
    expect(deleteAccount(second.id).ok).toBe(true);
    expect(deleteAccount(team.id)).toEqual({ ok: false, refusal: "lastTeamMember" });
  });

  it("asks for the password and a tick, keeps everything on a wrong answer, then clears the cookie", async () => {
    const person = makeUser(["requester"]);
    updatePasswordHash(person.id, await hashPassword("ein sicherer Satz 2026"));
    const cookie = await sessionFor(person.id);
    const page = await call(deleteRoute.loader, get("/account/delete", cookie));
    expect(page.response.status).toBe(200);
    expect(await page.response.json()).toEqual({ upcomingSessions: 0, openRequests: 0, isTeam: false });

    const unticked = await call(deleteRoute.action, post("/account/delete", [["intent", "delete"], ["currentPassword", "ein sicherer Satz 2026"]], cookie));
    expect(unticked.response.status).toBe(400);
    expect((await unticked.response.json()).errors).toEqual({ confirm: "privacy.account.confirmRequired" });
    const wrong = await call(deleteRoute.action, post("/account/delete", [["intent", "delete"], ["currentPassword", "falsch"], ["confirm", "on"]], cookie));
    expect(wrong.response.status).toBe(400);
    expect((await wrong.response.json()).errors).toEqual({ currentPassword: "errors.passwordWrong" });
    expect(getUserByEmail(person.email)?.id).toBe(person.id);

    const done = await call(deleteRoute.action, post("/account/delete", [["intent", "delete"], ["currentPassword", "ein sicherer Satz 2026"], ["confirm", "on"]], cookie));
    expect(done.response.status).toBe(302);
    expect(done.response.headers.get("Location")).toBe("/");
    expect(done.response.headers.get("Set-Cookie")).toMatch(/tandem_session=;/);
    expect(getUserByEmail(person.email)).toBeNull();
    // The old cookie is worth nothing now.
    const after = await call(deleteRoute.loader, get("/account/delete", cookie));
    expect(after.response.status).toBe(302);
  });
});

describe("retention", () => {
  const MONTH = 30 * DAY;

  /** A request of a new requester, made `ageMonths` ago and then withdrawn (or left open) at that time. */
  function requestAged(ageMonths: number, { withdraw = true } = {}) {
    const at = new Date(NOW.getTime() - ageMonths * MONTH);
    const requester = makeUser(["requester"]);
    const organisationId = createOrganisation(requester.id, { name: "Alt e.V.", kind: "association", sizeBand: "upTo10", region: "DE-BE", website: null });
    const created = createRequest(requester.id, requestInput(organisationId, { goal: marker("Altes Ziel") }), at);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    if (withdraw) withdrawRequest(requester.id, created.requestId, at);
    return created.requestId;
  }

  function goalsOf(requestIds: string[]) {
    return Object.fromEntries(getDb().select({ id: coachingRequests.id, goal: coachingRequests.goal, redactedAt: coachingRequests.redactedAt }).from(coachingRequests).where(inArray(coachingRequests.id, requestIds)).all().map((row) => [row.id, row]));
  }

  it("empties the free text of requests closed longer than the period, with their matches and sessions, once", () => {
    savePrivacySettings(teamMember().id, { retentionMonths: 24 });
    // A tandem whose held session (with words everywhere) lies 25 months back.
    const longAgo = new Date(NOW.getTime() - 25 * MONTH);
    const oldTandem = makeAcceptedMatch({ now: longAgo, request: { goal: marker("Ziel von damals") } });
    const sessionStart = longAgo.getTime() + 2 * DAY;
    const slot = Math.ceil(sessionStart / (15 * 60_000)) * 15 * 60_000;
    const held = getDb()
      .insert(coachingSessions)
      .values({ id: crypto.randomUUID(), matchId: oldTandem.matchId, coachUserId: oldTandem.coach.id, requesterUserId: oldTandem.requester.id, status: "confirmed", durationMinutes: 60, format: "video", joinDetails: "https://meet.example/damals", startsAt: new Date(slot), endsAt: new Date(slot + 60 * 60_000), cancelReason: null, createdAt: longAgo, updatedAt: longAgo })
      .returning({ id: coachingSessions.id })
      .get().id;
    getDb().insert(sessionFeedback).values({ sessionId: held, userId: oldTandem.requester.id, held: true, rating: 4, comment: "Damals war es gut", createdAt: longAgo, updatedAt: longAgo }).run();
    getDb().update(matches).set({ status: "closed", updatedAt: longAgo }).where(eq(matches.id, oldTandem.matchId)).run();

    const withdrawnLongAgo = requestAged(25);
    const withdrawnRecently = requestAged(23);
    const stillOpen = requestAged(30, { withdraw: false });

    // The open one expired long ago, too, so it counts as closed; the recent one is inside the period.
    const redacted = applyRetention(NOW);
    expect(redacted).toBe(3);
    const goals = goalsOf([oldTandem.requestId, withdrawnLongAgo, withdrawnRecently, stillOpen]);
    expect(goals[oldTandem.requestId]).toMatchObject({ goal: "", redactedAt: NOW });
    expect(goals[withdrawnLongAgo]).toMatchObject({ goal: "", redactedAt: NOW });
    expect(goals[stillOpen]).toMatchObject({ goal: "", redactedAt: NOW });
    expect(goals[withdrawnRecently]!.goal).toMatch(/^Altes Ziel/);
    expect(goals[withdrawnRecently]!.redactedAt).toBeNull();
    expect(getDb().select().from(coachingSessions).where(eq(coachingSessions.id, held)).get()).toMatchObject({ joinDetails: "", status: "confirmed" });
    expect(getDb().select().from(sessionFeedback).where(eq(sessionFeedback.sessionId, held)).get()).toMatchObject({ comment: null, rating: 4, held: true });
    expect(applyRetention(NOW)).toBe(0);

    // A shorter period reaches the recent one on the next run.
    savePrivacySettings(teamMember().id, { retentionMonths: 12 });
    expect(applyRetention(NOW)).toBe(1);
    expect(goalsOf([withdrawnRecently])[withdrawnRecently]!.goal).toBe("");
  });

  it("leaves a tandem that is still running alone, however old", () => {
    savePrivacySettings(teamMember().id, { retentionMonths: 1 });
    const running = makeAcceptedMatch({ now: new Date(NOW.getTime() - 30 * MONTH) });
    applyRetention(NOW);
    expect(goalsOf([running.requestId])[running.requestId]!.redactedAt).toBeNull();
  });

  it("states the period on the privacy page", async () => {
    savePrivacySettings(teamMember().id, { retentionMonths: 18 });
    expect(getPrivacySettings()).toEqual({ retentionMonths: 18 });
    const { response } = await call(privacyRoute.loader as never, get("/privacy"));
    expect(await response.json()).toEqual({ retentionMonths: 18 });
  });
});
