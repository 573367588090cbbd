/**
 * The team's reports on a real migrated database, with matches made and moved by the match workflow
 * itself: demand and free places per topic, time to acceptance, acceptance rate, tandems per coach
 * organisation, and the CSV export with its quoting, formula neutralising, privacy and guards.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { calendarToday } from "~/domain/requests";
import { actOnMatch, proposeMatch } from "~/models/match.server";
import {
  getAcceptanceCounts,
  getDemandAndSupply,
  getTandemsPerCoachOrganisation,
  getTimeToAcceptance,
  matchExportHeader,
} from "~/models/reports.server";
import * as csvRoute from "~/routes/team.reports.matches[.]csv";
import { parseCsv } from "../support/csv-reader";
import * as reportsRoute from "~/routes/team.reports";
import { matches, type MatchSource } from "~db/schema";
import { matchingFixtures } from "../support/matching-fixtures";
import { call, get, sessionFor } from "../support/route-calls";

const DAY = 86_400_000;
const now = new Date();
const { people, makeUser, ...fixtures } = matchingFixtures({
  person: "Erika Beispielperson",
  emailPrefix: "reports",
  passwordHash: "hash-that-must-not-leak",
  offer: { bio: "Biografie, die nicht im Export landen darf." },
  request: { goal: "Ein Ziel mit Details, die nicht im Export landen dürfen." },
});

/** A coach of `organisation` who fits the requests below (German, video, Mondays 18–20) on the given topics. */
function makeCoach(organisation: string, topicIds: string[], capacityPerMonth: number, pausedUntil: string | null = null) {
  const topics = topicIds.map((topicId) => ({ topicId, level: 3, note: "Private Notiz zum Thema" }));
  const { coach, offerId } = fixtures.makeCoach({ topics, capacityPerMonth, pausedUntil }, { organisation: { name: organisation } });
  return { userId: coach.id, offerId };
}

/** A request on `topicId` by a requester of its own organisation, created `daysAgo` days before `now`. */
function makeRequest(organisation: string, topicId: string, daysAgo: number) {
  const { requester, requestId } = fixtures.makeRequest(
    { topics: [topicId], mainTopic: topicId },
    { now: new Date(now.getTime() - daysAgo * DAY), organisation: { name: organisation } },
  );
  return { requesterId: requester.id, requestId };
}

function propose(requestId: string, offerId: string, actorUserId: string, source: MatchSource = "team") {
  const proposed = proposeMatch({ requestId, offerId, source, actorUserId }, now);
  if (!proposed.ok) throw new Error(`proposal refused: ${proposed.refusal}`);
  return proposed.matchId;
}

function expectDone(result: ReturnType<typeof actOnMatch>) {
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

const formulaOrganisation = '=HYPERLINK("http://evil.example","x")';
const quotedOrganisation = 'Verein "Miteinander", Köln';
const privateReason = "Privatnotiz: passt gerade gar nicht";

let teamId = "";
const ids: Record<string, string> = {};

beforeAll(() => {
  teamId = makeUser(["team"]).id;
  const c1 = makeCoach("Bürgerstiftung Nord", ["topic-onboarding", "topic-mobile"], 3);
  const c2 = makeCoach(formulaOrganisation, ["topic-onboarding"], 2);
  const c3 = makeCoach(quotedOrganisation, ["topic-accessibility"], 1);
  makeCoach("Pausierende Initiative", ["topic-hosting"], 5, "2099-12-31");

  // Accepted after 2, 4 and 10 days; the last one is closed since.
  const r1 = makeRequest("@Nachbarschaft Süd", "topic-onboarding", 2);
  ids.m1 = propose(r1.requestId, c1.offerId, teamId);
  expectDone(actOnMatch({ matchId: ids.m1, action: "accept", actorUserId: c1.userId, actorRole: "coach" }, now));
  const r2 = makeRequest("Tafel Ost", "topic-onboarding", 4);
  ids.m2 = propose(r2.requestId, c2.offerId, teamId);
  expectDone(actOnMatch({ matchId: ids.m2, action: "accept", actorUserId: c2.userId, actorRole: "coach" }, now));
  const r3 = makeRequest("Kirchengemeinde West", "topic-onboarding", 10);
  ids.m3 = propose(r3.requestId, c1.offerId, teamId);
  expectDone(actOnMatch({ matchId: ids.m3, action: "accept", actorUserId: c1.userId, actorRole: "coach" }, now));
  expectDone(actOnMatch({ matchId: ids.m3, action: "close", actorUserId: teamId, actorRole: "team" }, now));
  // Declined with a private note, and expired unanswered: both requests are open again.
  const r4 = makeRequest("+49 Verein", "topic-accessibility", 1);
  ids.m4 = propose(r4.requestId, c3.offerId, teamId);
  expectDone(
    actOnMatch(
      { matchId: ids.m4, action: "decline", actorUserId: c3.userId, actorRole: "coach", declineReason: "notMyTopic", reason: privateReason },
      now,
    ),
  );
  const r5 = makeRequest("Sportverein Mitte", "topic-mobile", 3);
  ids.m5 = propose(r5.requestId, c1.offerId, teamId);
  expectDone(actOnMatch({ matchId: ids.m5, action: "expire", actorUserId: null, actorRole: "system" }, now));
  // A requester's proposal waiting for review, and one waiting for the coach: neither request is open.
  const r6 = makeRequest("Jugendclub", "topic-onboarding", 0);
  ids.m6 = propose(r6.requestId, c1.offerId, r6.requesterId, "requester");
  const r9 = makeRequest("Seniorentreff", "topic-onboarding", 0);
  ids.m9 = propose(r9.requestId, c2.offerId, teamId);
  // Open without any proposal.
  makeRequest("Chor Nord", "topic-onboarding", 5);
  makeRequest("Chor Süd", "topic-onboarding", 6);
  makeRequest("Hospizverein", "topic-hosting", 7);
  ids.r1 = r1.requestId;
});

const expectedTopics = [
  { id: "topic-onboarding", labelDe: "Einstieg in HumHub", labelEn: "Getting started with HumHub", demand: 2, supply: 2 },
  { id: "topic-mobile", labelDe: "Mobile Nutzung", labelEn: "Mobile use", demand: 1, supply: 2 },
  { id: "topic-accessibility", labelDe: "Barrierefreiheit", labelEn: "Accessibility", demand: 1, supply: 1 },
  { id: "topic-hosting", labelDe: "Hosting und Betrieb", labelEn: "Hosting and operations", demand: 1, supply: 0 },
];

describe("report figures", () => {
  it("sets open requests per main topic against free places of coaches who are not paused", () => {
    // Onboarding: coach 1 has 3 places, one accepted this month (the closed and expired ones no longer
    // count); coach 2 is full with one accepted and one awaiting an answer. Hosting's only coach is paused.
    expect(getDemandAndSupply(now).map(({ id, labelDe, labelEn, demand, supply }) => ({ id, labelDe, labelEn, demand, supply }))).toEqual(
      expectedTopics,
    );
  });

  it("measures days from request to acceptance, closed tandems included", () => {
    const time = getTimeToAcceptance();
    expect(time).toEqual({ count: 3, medianDays: 4, p90Days: expect.closeTo(8.8, 9) });
  });

  it("counts how the proposals that reached a coach ended", () => {
    expect(getAcceptanceCounts()).toEqual({ accepted: 3, declined: 1, expired: 1 });
  });

  it("counts accepted and closed tandems per coach organisation, most first, up to the limit", () => {
    expect(getTandemsPerCoachOrganisation()).toEqual({
      organisations: [
        { id: expect.any(String), name: "Bürgerstiftung Nord", tandems: 2 },
        { id: expect.any(String), name: formulaOrganisation, tandems: 1 },
      ],
      total: 2,
    });
    const top = getTandemsPerCoachOrganisation(1);
    expect(top.organisations.map((organisation) => organisation.name)).toEqual(["Bürgerstiftung Nord"]);
    expect(top.total).toBe(2);
  });
});

describe("the reports page", () => {
  it("gives the team every section's figures", async () => {
    const { response } = await call(reportsRoute.loader, get("/team/reports", await sessionFor(teamId)));
    expect(response.status).toBe(200);
    const data = await response.json();
    expect(data.timeZone).toBe("Europe/Berlin");
    expect(data.topics.map(({ id, demand, supply }: { id: string; demand: number; supply: number }) => ({ id, demand, supply }))).toEqual(
      expectedTopics.map(({ id, demand, supply }) => ({ id, demand, supply })),
    );
    expect(data.time).toEqual({ count: 3, medianDays: 4, p90Days: expect.closeTo(8.8, 9) });
    expect(data.acceptance).toEqual({ accepted: 3, declined: 1, expired: 1, rate: 0.6 });
    expect(data.organisations.organisations.map(({ name, tandems }: { name: string; tandems: number }) => [name, tandems])).toEqual([
      ["Bürgerstiftung Nord", 2],
      [formulaOrganisation, 1],
    ]);
    const text = JSON.stringify(data);
    for (const person of people) {
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.email);
    }
  });

  it("is for the team only", async () => {
    const requester = makeUser(["requester", "coach"]);
    const forbidden = await call(reportsRoute.loader, get("/team/reports", await sessionFor(requester.id)));
    expect(forbidden.response.status).toBe(403);
    const anonymous = await call(reportsRoute.loader, get("/team/reports"));
    expect(anonymous.response.status).toBe(302);
    expect(anonymous.response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: "/team/reports" })}`);
  });
});

describe("the matches export", () => {
  it("downloads every match as CSV with organisations, codes and scores, and nothing personal", async () => {
    const { response, thrown } = await call(csvRoute.loader, get("/team/reports/matches.csv", await sessionFor(teamId)));
    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="tandem-matches-${calendarToday("Europe/Berlin", new Date())}.csv"`,
    );
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(body.startsWith("\uFEFF")).toBe(true);
    const text = body.slice(1);
    expect(text.split("\r\n")[0]).toBe(
      "match_id,status,source,created_at,request_id,main_topic,requester_organisation,coach_organisation,score,decline_reason",
    );
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...matchExportHeader]);
    expect(rows).toHaveLength(7);
    const byId = new Map(rows.map((row) => [row[0], row]));
    const score = (matchId: string) => getDb().select({ score: matches.score }).from(matches).where(eq(matches.id, matchId)).get()!.score;
    expect(byId.get(ids.m1!)).toEqual([
      ids.m1,
      "accepted",
      "team",
      now.toISOString(),
      ids.r1,
      "Einstieg in HumHub",
      "'@Nachbarschaft Süd",
      "Bürgerstiftung Nord",
      score(ids.m1!).toFixed(1),
      "",
    ]);
    expect(byId.get(ids.m1!)![8]).toMatch(/^\d{1,3}\.\d$/);
    expect(byId.get(ids.m3!)!.slice(1, 3)).toEqual(["closed", "team"]);
    expect(byId.get(ids.m4!)!.slice(5)).toEqual(["Barrierefreiheit", "'+49 Verein", quotedOrganisation, score(ids.m4!).toFixed(1), "notMyTopic"]);
    expect(byId.get(ids.m5!)![1]).toBe("expired");
    expect(byId.get(ids.m6!)!.slice(1, 3)).toEqual(["awaitingReview", "requester"]);
    expect(byId.get(ids.m9!)![1]).toBe("awaitingCoach");
    expect(byId.get(ids.m2!)![7]).toBe(`'${formulaOrganisation}`);

    // Quoting and formula neutralising as written in the file.
    expect(text).toContain(`"Verein ""Miteinander"", Köln"`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    for (const row of rows) for (const field of row) expect(field).not.toMatch(/^[=+\-@\t\r]/);

    // Privacy: no names, emails, password hashes, goals, bios, notes or free-text reasons.
    for (const person of people) {
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.email);
    }
    for (const secret of ["hash-that-must-not-leak", "Ein Ziel mit Details", "Biografie", "Private Notiz", privateReason, "Privatnotiz"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("answers 403 to a requester and sends an anonymous visitor to the login", async () => {
    const requester = makeUser(["requester"]);
    const forbidden = await call(csvRoute.loader, get("/team/reports/matches.csv", await sessionFor(requester.id)));
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.response.headers.get("Content-Type") ?? "").not.toContain("text/csv");
    const anonymous = await call(csvRoute.loader, get("/team/reports/matches.csv"));
    expect(anonymous.response.status).toBe(302);
    expect(anonymous.response.headers.get("Location")).toBe(
      `/login?${new URLSearchParams({ redirectTo: "/team/reports/matches.csv" })}`,
    );
  });
});
