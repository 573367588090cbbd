/**
 * The team's HumHub page and what hangs off it, as route modules against a fake HumHub started here: who may use
 * it, the connection test, choosing the space, HumHub user names (found, not found, a token without the right),
 * a refused delivery and its retry or skip, the set-up banner on the desk, the scheduling settings, and the session
 * figures of the reports page. The environment points Tandem at the fake per test (getEnv reads it on every call).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { getHumhubAccount, resolveHumhubAccount } from "~/models/humhub-accounts.server";
import { deliverDueOutbox } from "~/models/humhub-outbox.server";
import { getHumhubSettings, saveHumhubSettings } from "~/models/humhub-settings.server";
import { actOnMatch, proposeMatch } from "~/models/match.server";
import { getSessionFigures } from "~/models/reports.server";
import {
  defaultSchedulingSettings,
  getSchedulingOptions,
  getSchedulingSettings,
  proposeSessionTimes,
  recordSessionFeedback,
  saveSchedulingSettings,
} from "~/models/session.server";
import * as settingsRoute from "~/routes/settings";
import * as deskRoute from "~/routes/team.desk";
import * as humhubRoute from "~/routes/team.humhub";
import * as reportsRoute from "~/routes/team.reports";
import * as teamSettingsRoute from "~/routes/team.settings";
import { auditEvents, coachingSessions, humhubOutbox, users } from "~db/schema";
import { startFakeHumhub, type FakeHumhub } from "../support/fake-humhub";
import { matchingFixtures } from "../support/matching-fixtures";
import { call, get, post, sessionFor } from "../support/route-calls";

const { makeUser, makeCoach, makeRequest } = matchingFixtures({ person: "HumHub Person", emailPrefix: "humhub-team" });
const DAY = 86_400_000;

let fake: FakeHumhub;
let team: ReturnType<typeof makeUser>;
let teamCookie: string;

beforeAll(async () => {
  fake = await startFakeHumhub();
  team = makeUser(["team"]);
  teamCookie = await sessionFor(team.id);
});

afterAll(async () => {
  disconnect();
  // A delivery kicked off by the last action may still be talking to the fake.
  await deliverDueOutbox();
  await fake.close();
});

function connect(token = fake.token) {
  process.env.HUMHUB_BASE_URL = fake.url;
  process.env.HUMHUB_API_TOKEN = token;
}

function disconnect() {
  delete process.env.HUMHUB_BASE_URL;
  delete process.env.HUMHUB_API_TOKEN;
}

type PageData = {
  connection: { baseUrl: string; token: string } | null;
  missing: "connection" | "space" | null;
  spaces: { containerId: number; name: string }[] | null;
  spacesFailure: { kind: string } | null;
  outbox: { pending: number; delivered: number; failed: number };
  failed: { id: number; sessionId: string; kind: string; attempts: number; lastError: string | null; lastStatus: number | null }[];
  names: { withName: number; found: number; notFound: number; notAllowed: number; unchecked: number };
};

async function openPage(cookie = teamCookie) {
  const { response } = await call(humhubRoute.loader, get("/team/humhub", cookie));
  expect(response.status).toBe(200);
  return (await response.json()) as PageData;
}

async function act(fields: [string, string][], cookie = teamCookie) {
  const { response } = await call(humhubRoute.action, post("/team/humhub", fields, cookie));
  return { status: response.status, location: response.headers.get("Location"), body: response.status === 302 ? null : await response.json() };
}

const spaceFields = (spaceContainerId: string, visibility = "0", language = "de"): [string, string][] => [
  ["intent", "space"],
  ["spaceContainerId", spaceContainerId],
  ["visibility", visibility],
  ["language", language],
];

/** An accepted match between a fresh coach and requester; the team books its sessions directly. */
function acceptedMatch() {
  const { coach, offerId } = makeCoach();
  const { requester, requestId } = makeRequest();
  const proposed = proposeMatch({ requestId, offerId, source: "team", actorUserId: team.id });
  if (!proposed.ok) throw new Error(proposed.refusal);
  expect(actOnMatch({ matchId: proposed.matchId, action: "accept", actorUserId: coach.id, actorRole: "coach" }).ok).toBe(true);
  return { coach, requester, matchId: proposed.matchId };
}

/** The team books the match's first free time as of `now`, which confirms it at once. */
function bookSession(matchId: string, now = new Date()) {
  const viewer = { id: team.id, roles: ["team"] };
  const options = getSchedulingOptions(matchId, viewer, null, now);
  const slot = options?.slots[0];
  if (!slot) throw new Error("no free time");
  const booked = proposeSessionTimes({ matchId, sessionId: null, viewer, times: [slot.startsAt], format: "video", joinDetails: "https://meet.example/raum" }, now);
  if (!booked.ok) throw new Error(booked.refusal);
  return booked.sessionId;
}

async function saveProfile(userId: string, humhubUsername: string) {
  const fields: [string, string][] = [
    ["intent", "profile"],
    ["name", "HumHub Person"],
    ["locale", "de"],
    ["timeZone", "Europe/Berlin"],
    ["humhubUsername", humhubUsername],
    ["roles", "coach"],
  ];
  const { response } = await call(settingsRoute.action, post("/settings", fields, await sessionFor(userId)));
  expect(response.status).toBe(302);
}

describe("the team's HumHub page", () => {
  it("is for the team only, in its loader and every action", async () => {
    disconnect();
    for (const roles of [["requester"], ["coach"], ["requester", "coach"]] as const) {
      const cookie = await sessionFor(makeUser([...roles]).id);
      expect((await call(humhubRoute.loader, get("/team/humhub", cookie))).response.status).toBe(403);
      for (const intent of ["test", "space", "retry", "skip", "resolveNames"]) {
        expect((await call(humhubRoute.action, post("/team/humhub", [["intent", intent]], cookie))).response.status).toBe(403);
      }
    }
    const anonymous = await call(humhubRoute.loader, get("/team/humhub"));
    expect(anonymous.response.status).toBe(302);
    expect((await act([["intent", "explode"]])).status).toBe(400);
  });

  it("explains a missing connection, here and on the desk, until a space is chosen", async () => {
    disconnect();
    const desk = async () => ((await (await call(deskRoute.loader, get("/team/desk", teamCookie))).response.json()) as { humhubMissing: string | null }).humhubMissing;
    const unconnected = await openPage();
    expect(unconnected).toMatchObject({ connection: null, missing: "connection", spaces: null, spacesFailure: null });
    expect(await desk()).toBe("connection");
    expect(await act([["intent", "test"]])).toMatchObject({ status: 400, body: { formError: "humhub.admin.notConnectedAction" } });
    expect(await act(spaceFields("11"))).toMatchObject({ status: 400, body: { formError: "humhub.admin.notConnectedAction" } });

    connect();
    const connected = await openPage();
    expect(connected.missing).toBe("space");
    // The token is a secret: the page shows its end, never the whole.
    expect(connected.connection).toEqual({ baseUrl: fake.url, token: `…${fake.token.slice(-4)}` });
    expect(JSON.stringify(connected)).not.toContain(fake.token);
    expect(await desk()).toBe("space");
  });

  it("tests the connection, naming HumHub's account or saying what went wrong", async () => {
    connect();
    expect(await act([["intent", "test"]])).toEqual({ status: 200, location: null, body: { intent: "test", account: { name: "Tandem", username: "tandem" } } });

    connect("not-the-right-token");
    const refused = await act([["intent", "test"]]);
    expect(refused.status).toBe(200);
    expect(refused.body.failure).toMatchObject({ kind: "unauthorized", status: 401, message: "Your request was made with invalid credentials." });
    // The spaces cannot be listed either, and the page says why instead of failing.
    expect((await openPage()).spacesFailure).toMatchObject({ kind: "unauthorized" });
  });

  it("lists the spaces the account sees and stores the chosen one with HumHub's name", async () => {
    connect();
    const page = await openPage();
    expect(page.spaces).toEqual([
      { containerId: 11, name: "Peer-Coaching" },
      { containerId: 12, name: "Allgemein" },
    ]);
    expect(await act(spaceFields("12", "1", "en"))).toMatchObject({ status: 302, location: "/team/humhub" });
    expect(getHumhubSettings()).toEqual({ spaceContainerId: 12, spaceName: "Allgemein", visibility: 1, language: "en" });
    expect((await openPage()).missing).toBeNull();

    // A space the account does not see (or a made-up id) is refused beside the field, and nothing changes.
    const unknown = await act(spaceFields("99"));
    expect(unknown).toMatchObject({ status: 400, body: { errors: { spaceContainerId: "humhub.admin.spaceUnknown" }, values: { spaceContainerId: "99" } } });
    const invalid = await act([["intent", "space"], ["spaceContainerId", ""], ["visibility", "2"], ["language", "fr"]]);
    expect(invalid).toMatchObject({
      status: 400,
      body: { errors: { spaceContainerId: "humhub.admin.spaceRequired", visibility: "humhub.admin.visibilityInvalid", language: "humhub.admin.languageInvalid" } },
    });
    expect(getHumhubSettings()).toEqual({ spaceContainerId: 12, spaceName: "Allgemein", visibility: 1, language: "en" });

    expect(await act(spaceFields("11"))).toMatchObject({ status: 302 });
    expect(getHumhubSettings()).toEqual({ spaceContainerId: 11, spaceName: "Peer-Coaching", visibility: 0, language: "de" });
  });
});

describe("HumHub user names", () => {
  it("are looked up when a person saves them, and their state is shown on the settings page", async () => {
    const anna = makeUser(["coach"]);
    const stateOnSettings = async () =>
      ((await (await call(settingsRoute.loader, get("/settings", await sessionFor(anna.id)))).response.json()) as { humhubAccount: unknown }).humhubAccount;

    disconnect();
    await saveProfile(anna.id, "anna.schmidt");
    expect(getHumhubAccount(anna.id)).toMatchObject({ username: "anna.schmidt", problem: "notConnected", humhubUserId: null });

    // Tandem's own token may not look users up: HumHub answers 403.
    connect(fake.token);
    await saveProfile(anna.id, "anna.schmidt");
    expect(getHumhubAccount(anna.id)).toMatchObject({ problem: "notAllowed", humhubUserId: null });
    expect(await stateOnSettings()).toEqual({ problem: "notAllowed", displayName: null, profileUrl: null });

    connect(fake.adminToken);
    await saveProfile(anna.id, "anna.schmidt");
    const anna3 = fake.users.find((user) => user.username === "anna.schmidt")!;
    expect(getHumhubAccount(anna.id)).toMatchObject({ username: "anna.schmidt", humhubUserId: anna3.id, guid: anna3.guid, displayName: "Anna Schmidt", problem: null });
    expect(await stateOnSettings()).toEqual({ problem: null, displayName: "Anna Schmidt", profileUrl: expect.stringMatching(/\/u\/anna\.schmidt\/$/) });

    // While HumHub cannot be asked, an earlier resolution of the same name stays.
    fake.setFaults({ rate: 1, kinds: ["500"] });
    expect((await resolveHumhubAccount(anna.id, "anna.schmidt")).outcome).toBe("unreachable");
    fake.clearFaults();
    expect(getHumhubAccount(anna.id)).toMatchObject({ humhubUserId: anna3.id, problem: null });

    await saveProfile(anna.id, "anna.schmitt");
    expect(getHumhubAccount(anna.id)).toMatchObject({ username: "anna.schmitt", problem: "notFound", humhubUserId: null });

    await saveProfile(anna.id, "");
    expect(getHumhubAccount(anna.id)).toBeNull();
    expect(await stateOnSettings()).toBeNull();
  });

  it("are all looked up again by the team's button", async () => {
    connect(fake.token);
    const ben = makeUser(["requester"]);
    const nobody = makeUser(["coach"]);
    await saveProfile(ben.id, "ben.okafor");
    await saveProfile(nobody.id, "no.such.person");
    expect(getHumhubAccount(ben.id)?.problem).toBe("notAllowed");
    expect(getHumhubAccount(nobody.id)?.problem).toBe("notAllowed");
    expect((await openPage()).names).toMatchObject({ notAllowed: 2, found: 0 });

    connect(fake.adminToken);
    const resolved = await act([["intent", "resolveNames"]]);
    expect(resolved).toMatchObject({ status: 302, location: "/team/humhub" });
    expect(getHumhubAccount(ben.id)).toMatchObject({ displayName: "Ben Okafor", problem: null });
    expect(getHumhubAccount(nobody.id)).toMatchObject({ problem: "notFound" });
    expect((await openPage()).names).toEqual({ withName: 2, found: 1, notFound: 1, notAllowed: 0, unchecked: 0 });
    // A name changed outside the settings page has not been looked up yet.
    getDb().update(users).set({ humhubUsername: "ben.o" }).where(eq(users.id, ben.id)).run();
    expect((await openPage()).names).toMatchObject({ found: 0, unchecked: 1 });

    disconnect();
    expect(await act([["intent", "resolveNames"]])).toMatchObject({ status: 400, body: { formError: "humhub.admin.notConnectedAction" } });
  });
});

describe("refused deliveries", () => {
  it("list HumHub's message and status, and go out again after the retry button", async () => {
    connect();
    saveHumhubSettings(team.id, { spaceContainerId: 11, spaceName: "Peer-Coaching", visibility: 0, language: "de" });
    const { matchId } = acceptedMatch();
    fake.failNext(
      /calendar\/container/,
      422,
      { code: 422, message: "Validation failed", entryForm: [], calendarEntry: { title: ["Title cannot be blank."] } },
      { method: "POST" },
    );
    const sessionId = bookSession(matchId);
    await deliverDueOutbox({ backoffBaseMs: 1 });

    const refusedPage = await openPage();
    const refused = refusedPage.failed.filter((row) => row.sessionId === sessionId);
    expect(refused).toEqual([
      expect.objectContaining({ kind: "createEntry", attempts: 1, lastStatus: 422, lastError: "Validation failed: title: Title cannot be blank." }),
    ]);
    const rows = () => getDb().select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, sessionId)).all();
    // Later calls of the same session wait behind the refused one.
    expect(rows().map((row) => [row.kind, row.status])).toEqual([
      ["createEntry", "failed"],
      ["announceSession", "pending"],
      ["notifyCoach", "pending"],
      ["notifyRequester", "pending"],
    ]);
    expect(refusedPage.outbox.failed).toBeGreaterThanOrEqual(1);

    expect(await act([["intent", "retry"], ["ids", "abc"]])).toMatchObject({ status: 400, body: { formError: "humhub.admin.idsInvalid" } });
    expect(await act([["intent", "retry"]])).toMatchObject({ status: 400 });
    expect(await act([["intent", "retry"], ["ids", String(refused[0]!.id)]])).toMatchObject({ status: 302, location: "/team/humhub" });
    await deliverDueOutbox({ backoffBaseMs: 1 });

    expect(rows().map((row) => [row.kind, row.status])).toEqual([
      ["createEntry", "delivered"],
      ["announceSession", "delivered"],
      ["notifyCoach", "delivered"],
      ["notifyRequester", "delivered"],
    ]);
    expect((await openPage()).failed.filter((row) => row.sessionId === sessionId)).toEqual([]);
    const session = getDb().select().from(coachingSessions).where(eq(coachingSessions.id, sessionId)).get()!;
    expect(fake.calendarEntries.get(session.humhubEntryId!)?.containerId).toBe(11);
    // Retrying a row that is no longer refused changes nothing.
    expect(await act([["intent", "retry"], ["ids", String(refused[0]!.id)]])).toMatchObject({ status: 302 });
    expect(getDb().select().from(humhubOutbox).where(and(eq(humhubOutbox.sessionId, sessionId), eq(humhubOutbox.status, "pending"))).all()).toEqual([]);
  });
});

describe("skipping a refused delivery", () => {
  it("gives the call up with the team member's name on it, audited, and the session's later calls go out", async () => {
    connect();
    saveHumhubSettings(team.id, { spaceContainerId: 11, spaceName: "Peer-Coaching", visibility: 0, language: "de" });
    const { matchId } = acceptedMatch();
    // HumHub will never take this entry, however often it is retried.
    fake.failNext(/calendar\/container/, 422, { code: 422, message: "Validation failed", entryForm: [], calendarEntry: { title: ["Title is invalid."] } }, { method: "POST" });
    const sessionId = bookSession(matchId);
    await deliverDueOutbox({ backoffBaseMs: 1 });
    const rows = () => getDb().select().from(humhubOutbox).where(eq(humhubOutbox.sessionId, sessionId)).orderBy(humhubOutbox.id).all();
    const [refused] = rows();
    expect(refused).toMatchObject({ kind: "createEntry", status: "failed", lastStatus: 422 });

    // Not for anyone else, and only with a refused call named.
    const coachCookie = await sessionFor(makeUser(["coach"]).id);
    const asCoach = await call(humhubRoute.action, post("/team/humhub", [["intent", "skip"], ["ids", String(refused!.id)]], coachCookie));
    expect(asCoach.response.status).toBe(403);
    expect(rows()[0]!.status).toBe("failed");
    expect(await act([["intent", "skip"]])).toMatchObject({ status: 400, body: { intent: "skip", formError: "humhub.admin.idsInvalid" } });

    const auditCount = () => getDb().select().from(auditEvents).where(eq(auditEvents.action, "humhub.deliveriesSkipped")).all().length;
    const auditedBefore = auditCount();
    expect(await act([["intent", "skip"], ["ids", String(refused!.id)]])).toMatchObject({ status: 302, location: "/team/humhub" });
    await deliverDueOutbox({ backoffBaseMs: 1 });

    expect(rows().map((row) => [row.kind, row.status, row.resultNote])).toEqual([
      ["createEntry", "delivered", `skippedByTeam:${team.id}`],
      ["announceSession", "delivered", null],
      ["notifyCoach", "delivered", "noHumhubAccount"],
      ["notifyRequester", "delivered", "noHumhubAccount"],
    ]);
    expect(rows()[0]!.lastError).toBe("Validation failed: title: Title is invalid.");
    const audit = getDb().select().from(auditEvents).where(eq(auditEvents.action, "humhub.deliveriesSkipped")).orderBy(auditEvents.id).all().at(-1)!;
    expect(auditCount()).toBe(auditedBefore + 1);
    expect(audit).toMatchObject({ actorUserId: team.id, detail: { rows: [{ id: refused!.id, sessionId, kind: "createEntry", lastError: "Validation failed: title: Title is invalid." }] } });
    // The announcement went out, without an entry to link.
    expect([...fake.posts.values()].filter((post) => post.message.includes(`/sessions/${sessionId}#announcement`))).toHaveLength(1);
    expect((await openPage()).failed.filter((row) => row.sessionId === sessionId)).toEqual([]);

    // Skipping what is no longer refused changes nothing and audits nothing.
    expect(await act([["intent", "skip"], ["ids", String(refused!.id)]])).toMatchObject({ status: 302 });
    expect(auditCount()).toBe(auditedBefore + 1);
  });
});

describe("scheduling settings", () => {
  const save = (bufferMinutes: string, noticeHours: string) =>
    call(teamSettingsRoute.action, post("/team/settings", [["intent", "scheduling"], ["bufferMinutes", bufferMinutes], ["noticeHours", noticeHours]], teamCookie));

  it("refuse values outside their limits beside the field, keeping the stored ones", async () => {
    saveSchedulingSettings(team.id, { bufferMinutes: 30, noticeHours: 48 });
    for (const [buffer, notice, errors] of [
      ["241", "337", { bufferMinutes: "team.bufferMinutesInvalid", noticeHours: "team.noticeHoursInvalid" }],
      ["", "-1", { bufferMinutes: "team.bufferMinutesInvalid", noticeHours: "team.noticeHoursInvalid" }],
      ["15.5", "24", { bufferMinutes: "team.bufferMinutesInvalid" }],
    ] as const) {
      const { response } = await save(buffer, notice);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { intent: string; errors: Record<string, string>; values: Record<string, string> };
      expect(body).toMatchObject({ intent: "scheduling", values: { bufferMinutes: buffer, noticeHours: notice } });
      expect(body.errors).toEqual(errors);
      expect(getSchedulingSettings()).toEqual({ bufferMinutes: 30, noticeHours: 48 });
    }
    // The limits are those of the model's schema.
    expect((await save("240", "336")).response.status).toBe(302);
    expect(getSchedulingSettings()).toEqual({ bufferMinutes: 240, noticeHours: 336 });
    expect((await save("0", "0")).response.status).toBe(302);
    expect(getSchedulingSettings()).toEqual({ bufferMinutes: 0, noticeHours: 0 });
    const { response } = await call(teamSettingsRoute.loader, get("/team/settings", teamCookie));
    expect(((await response.json()) as { schedulingSettings: unknown }).schedulingSettings).toEqual({ bufferMinutes: 0, noticeHours: 0 });
    saveSchedulingSettings(team.id, defaultSchedulingSettings);
  });
});

describe("session figures on the reports page", () => {
  it("count held sessions of the period and average their ratings, with none before the first", async () => {
    disconnect();
    const empty = await call(reportsRoute.loader, get("/team/reports?period=30", teamCookie));
    const before = (await empty.response.json()) as { period: string; sessions: { held: number; rating: unknown } };
    expect(before.period).toBe("30");
    expect(before.sessions).toEqual({ held: 0, rating: null });

    const now = new Date();
    const { coach, requester, matchId } = acceptedMatch();
    const asPerson = (id: string) => ({ id, roles: ["coach", "requester"] });
    const feedback = (sessionId: string, userId: string, held: boolean, rating: number | null) =>
      expect(recordSessionFeedback({ sessionId, viewer: asPerson(userId), held, rating, comment: null }, now).ok).toBe(true);

    // Booked as if 60 days ago, so it ended about 50 days ago; both sides rate it.
    const older = bookSession(matchId, new Date(now.getTime() - 60 * DAY));
    feedback(older, coach.id, true, 4);
    feedback(older, requester.id, true, 5);
    // Ended about 10 days ago: one side says it took place, the other that it did not.
    const recent = bookSession(matchId, new Date(now.getTime() - 20 * DAY));
    feedback(recent, coach.id, true, 2);
    feedback(recent, requester.id, false, null);
    // Ended, but nobody says it took place.
    const missed = bookSession(matchId, new Date(now.getTime() - 19 * DAY));
    feedback(missed, coach.id, false, null);
    // Still to come: counts in no period yet.
    bookSession(matchId, now);

    expect(getSessionFigures("30", now)).toEqual({ held: 1, rating: { count: 1, mean: 2 } });
    expect(getSessionFigures("90", now)).toEqual({ held: 2, rating: { count: 3, mean: expect.closeTo(11 / 3, 12) } });
    expect(getSessionFigures("all", now)).toEqual(getSessionFigures("90", now));

    const { response } = await call(reportsRoute.loader, get("/team/reports?period=nonsense", teamCookie));
    expect(((await response.json()) as { period: string }).period).toBe("all");
  });
});
