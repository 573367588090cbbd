/**
 * The authorization matrix: every route of the app, each loader (GET) and each action intent (POST), against six
 * visitors with real sessions on the shared test server: nobody signed in, a requester, another requester, a coach,
 * another coach and a team member (see tests/support/authorization-fixtures.ts for what each one owns). The "other"
 * requester and coach open and act on the first ones' objects by id, so every such row is an IDOR attempt.
 *
 * The table says what a least-privilege Tandem answers, which is not always what one might guess from the code:
 * other people's requests, matches, sessions and organisations do not exist for a visitor (404); a role that never
 * uses a page is refused (403); the team arranges tandems but gets neither how to join a session nor its .ics
 * invitation; a calendar feed's secret address is its own key. Besides the status, `private` texts must appear in
 * exactly the listed visitors' pages.
 *
 * A POST row sends the intent and only the ids the route needs to find its object, so a visitor who may act is
 * refused for the missing fields ("invalid") or for the object's state ("conflict") and nothing changes. Rows marked
 * `changesState` do act; they run after all others, visitors expected to be refused first. The walk collects every
 * difference and reports them together. A route module, action or intent without a row fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { borrowSharedAppDatabase, personas, seedAuthorizationWorld, type AuthorizationWorld, type Persona } from "../support/authorization-fixtures";
import { baseUrl } from "../support/browser-session";
import { sessionFor } from "../support/route-calls";
import { listRouteModules } from "../support/route-inventory";

/** 2xx; a redirect to the login page; 403; 404; 400 or 422 (allowed, but the form is refused); 409 (allowed, but not
 * in this state); any other redirect (a signed-in visitor on /login, a done action). */
const ok = "ok";
const login = "login";
const forbidden = "forbidden";
const notFound = "notFound";
const invalid = "invalid";
const conflict = "conflict";
const redirect = "redirect";
type Outcome = typeof ok | typeof login | typeof forbidden | typeof notFound | typeof invalid | typeof conflict | typeof redirect;

/** In the order of `personas`: anonymous, requester, otherRequester, coach, otherCoach, team. */
type Expected = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

type Row = {
  route: string;
  method: "GET" | "POST";
  path: string;
  intent?: string;
  fields?: Record<string, string>;
  expected: Expected;
  changesState?: boolean;
  /** Walked with a new session per visitor, since the row ends it. */
  freshSession?: boolean;
  /** Texts an answer may carry only for these visitors, and must carry for them. */
  private?: { what: string; text: string; shownTo: Persona[] }[];
};

type RowOptions = Pick<Row, "fields" | "changesState" | "freshSession" | "private">;

const get = (route: string, path: string, expected: Expected, options: RowOptions = {}): Row => ({ route, method: "GET", path, expected, ...options });
const post = (route: string, path: string, intent: string | null, expected: Expected, options: RowOptions = {}): Row => ({
  route,
  method: "POST",
  path,
  ...(intent === null ? {} : { intent }),
  expected,
  ...options,
});

const everyone = (outcome: Outcome): Expected => [outcome, outcome, outcome, outcome, outcome, outcome];
const signedIn = (outcome: Outcome): Expected => [login, outcome, outcome, outcome, outcome, outcome];
const anonymousOnly = (outcome: Outcome): Expected => [outcome, redirect, redirect, redirect, redirect, redirect];
const requesters = (outcome: Outcome): Expected => [login, outcome, outcome, forbidden, forbidden, forbidden];
const coaches = (outcome: Outcome): Expected => [login, forbidden, forbidden, outcome, outcome, forbidden];
const teamOnly = (outcome: Outcome): Expected => [login, forbidden, forbidden, forbidden, forbidden, outcome];

function authorizationTable(w: AuthorizationWorld): Row[] {
  const { requester, coach, otherCoach } = w.people;
  const request = `/requests/${w.requestId}`;
  const match = `/matches/${w.matchId}`;
  const pending = `/matches/${w.pendingMatchId}`;
  const review = `/matches/${w.reviewMatchId}`;
  const declined = `/matches/${w.declinedMatchId}`;
  const session = `/sessions/${w.sessionId}`;
  const organisation = `/organisations/${w.organisationId}`;
  const topic = `/team/topics/${w.topicId}`;
  const participants: Persona[] = ["requester", "coach"];
  const howToJoin = { what: "how to join", text: w.joinDetails, shownTo: participants };
  const howToJoinAtTheNewTime = { what: "how to join at the offered new time", text: w.movedJoinDetails, shownTo: participants };

  const namesAndEmailsWithheld = [
    { what: "the coach's name", text: coach.name, shownTo: ["coach", "team"] },
    { what: "the requester's name", text: requester.name, shownTo: ["requester", "team"] },
    { what: "the coach's email", text: coach.email, shownTo: [] },
    { what: "the requester's email", text: requester.email, shownTo: [] },
  ] satisfies Row["private"];

  return [
    get("_index", "/", everyone(ok)),
    get("healthz", "/healthz", everyone(ok)),
    get("imprint", "/imprint", everyone(ok)),
    get("privacy", "/privacy", everyone(ok)),
    get("language", "/language", everyone(redirect)),
    post("language", "/language", null, everyone(invalid)),
    get("login", "/login", anonymousOnly(ok)),
    post("login", "/login", null, anonymousOnly(invalid)),
    get("signup", "/signup", anonymousOnly(ok)),
    post("signup", "/signup", null, anonymousOnly(invalid)),
    get("logout", "/logout", everyone(redirect)),
    post("logout", "/logout", null, everyone(redirect), { changesState: true, freshSession: true }),

    // One's own account: nobody else's can be named.
    get("dashboard", "/dashboard", signedIn(ok), { private: [{ what: "the tandem's upcoming session", text: w.sessionId, shownTo: participants }] }),
    get("notifications", "/notifications", signedIn(ok)),
    post("notifications", "/notifications", null, signedIn(redirect), { changesState: true }),
    get("settings", "/settings", signedIn(ok)),
    post("settings", "/settings", "profile", signedIn(invalid)),
    post("settings", "/settings", "password", signedIn(invalid)),
    post("settings", "/settings", "createFeed", signedIn(ok), { changesState: true }),
    post("settings", "/settings", "revokeFeed", signedIn(redirect), { changesState: true }),
    get("account.data[.]json", "/account/data.json", signedIn(ok), {
      private: [
        { what: "the requester's email", text: requester.email, shownTo: ["requester"] },
        { what: "the coach's email", text: coach.email, shownTo: ["coach"] },
      ],
    }),
    get("account.delete", "/account/delete", signedIn(ok)),
    post("account.delete", "/account/delete", "delete", signedIn(invalid)),

    // Organisations exist only for their members; invites only for the address they were sent to.
    get("organisations._index", "/organisations", signedIn(ok)),
    post("organisations._index", "/organisations", "accept", [login, redirect, notFound, notFound, notFound, notFound], { fields: { inviteId: w.invitesToRequester.accept }, changesState: true }),
    post("organisations._index", "/organisations", "decline", [login, redirect, notFound, notFound, notFound, notFound], { fields: { inviteId: w.invitesToRequester.decline }, changesState: true }),
    get("organisations.new", "/organisations/new", signedIn(ok)),
    post("organisations.new", "/organisations/new", null, signedIn(invalid)),
    get("organisations.$organisationId", organisation, [login, ok, notFound, notFound, notFound, notFound]),
    post("organisations.$organisationId", organisation, "invite", [login, invalid, notFound, notFound, notFound, notFound]),
    // Another organisation's invite, through one's own organisation's page.
    post("organisations.$organisationId", organisation, "revoke", [login, notFound, notFound, notFound, notFound, notFound], { fields: { inviteId: w.foreignInviteId } }),
    post("organisations.$organisationId", organisation, "revoke", [login, redirect, notFound, notFound, notFound, notFound], { fields: { inviteId: w.ownInviteId }, changesState: true }),

    // Requests are their author's alone; the team reads them through suggestions and the desk.
    get("requests._index", "/requests", requesters(ok)),
    get("requests.new", "/requests/new", requesters(ok)),
    post("requests.new", "/requests/new", "save", requesters(invalid)),
    post("requests.new", "/requests/new", "addWindow", requesters(ok)),
    post("requests.new", "/requests/new", "removeWindow:0", requesters(ok)),
    get("requests.$requestId._index", request, [login, ok, notFound, forbidden, forbidden, forbidden]),
    // The request is matched: nothing left to withdraw or extend.
    post("requests.$requestId._index", request, "withdraw", [login, conflict, notFound, forbidden, forbidden, forbidden]),
    post("requests.$requestId._index", request, "extend", [login, conflict, notFound, forbidden, forbidden, forbidden]),
    get("requests.$requestId.edit", `${request}/edit`, [login, ok, notFound, forbidden, forbidden, forbidden]),
    post("requests.$requestId.edit", `${request}/edit`, "save", [login, invalid, notFound, forbidden, forbidden, forbidden]),
    post("requests.$requestId.edit", `${request}/edit`, "addWindow", [login, ok, notFound, forbidden, forbidden, forbidden]),
    post("requests.$requestId.edit", `${request}/edit`, "removeWindow:0", [login, ok, notFound, forbidden, forbidden, forbidden]),
    // An open request (its coach declined); requesters see the suggested coaches' organisations, the team their names.
    get("requests.$requestId.suggestions", `/requests/${w.openRequestId}/suggestions`, [login, ok, notFound, notFound, notFound, ok], {
      private: [
        { what: "the suggested coach's offer", text: w.otherOfferId, shownTo: ["requester", "team"] },
        { what: "the suggested coach's name", text: otherCoach.name, shownTo: ["team"] },
        { what: "the suggested coach's email", text: otherCoach.email, shownTo: [] },
      ],
    }),
    // The request is matched, so neither asking nor proposing gets further than the permission check.
    post("requests.$requestId.suggestions", `${request}/suggestions`, "ask", [login, conflict, notFound, notFound, notFound, forbidden], { fields: { offerId: w.otherOfferId } }),
    post("requests.$requestId.suggestions", `${request}/suggestions`, "propose", [login, forbidden, notFound, notFound, notFound, conflict], { fields: { offerId: w.otherOfferId } }),
    get("coaches", "/coaches", [login, ok, ok, forbidden, forbidden, ok]),
    // The directory shows offers, never who makes them.
    get("coaches", `/coaches?topic=${w.topicId}`, [login, ok, ok, forbidden, forbidden, ok], {
      private: [
        { what: "the coach's offer", text: w.offerId, shownTo: ["requester", "otherRequester", "team"] },
        { what: "the coach's name", text: coach.name, shownTo: [] },
        { what: "the coach's email", text: coach.email, shownTo: [] },
      ],
    }),
    post("coaches", "/coaches", null, requesters(invalid)),
    // The other requester asks a coach for the requester's request: refused like a request that is no longer open.
    post("coaches", "/coaches", null, requesters(conflict), { fields: { requestId: w.requestId, offerId: w.otherOfferId } }),

    // A coach's offer is their own; nobody else's can be named.
    get("offer._index", "/offer", coaches(ok)),
    post("offer._index", "/offer", "pause", coaches(invalid)),
    post("offer._index", "/offer", "resume", coaches(redirect), { changesState: true }),
    get("offer.edit", "/offer/edit", coaches(ok)),
    post("offer.edit", "/offer/edit", "save", coaches(invalid)),
    post("offer.edit", "/offer/edit", "addWindow", coaches(ok)),
    post("offer.edit", "/offer/edit", "removeWindow:0", coaches(ok)),

    // A match is its two people's and the team's; contact details only for the two.
    get("matches._index", "/matches", signedIn(ok), {
      private: [
        { what: "the tandem", text: w.matchId, shownTo: participants },
        { what: "the proposal waiting for the coach", text: w.pendingMatchId, shownTo: participants },
        { what: "the proposal waiting for review", text: w.reviewMatchId, shownTo: ["requester"] },
      ],
    }),
    get("matches.$matchId", match, [login, ok, notFound, ok, notFound, ok], {
      private: [
        { what: "the coach's email", text: coach.email, shownTo: ["requester"] },
        { what: "the requester's email", text: requester.email, shownTo: ["coach"] },
      ],
    }),
    post("matches.$matchId", match, "accept", [login, forbidden, notFound, conflict, notFound, forbidden]),
    post("matches.$matchId", match, "decline", [login, forbidden, notFound, invalid, notFound, forbidden]),
    post("matches.$matchId", match, "approve", [login, forbidden, notFound, forbidden, notFound, conflict]),
    post("matches.$matchId", match, "reject", [login, forbidden, notFound, forbidden, notFound, invalid]),
    post("matches.$matchId", match, "override", [login, forbidden, notFound, forbidden, notFound, invalid]),
    post("matches.$matchId", match, "close", [login, forbidden, notFound, forbidden, notFound, redirect], { changesState: true }),
    // Unless the coach accepts, each side sees the other's organisation only, in the log too (the header names the
    // visitor): the requester asked for this coach, the team approved, the coach has not answered.
    get("matches.$matchId", pending, [login, ok, notFound, ok, notFound, ok], { private: namesAndEmailsWithheld }),
    post("matches.$matchId", pending, "accept", [login, forbidden, notFound, redirect, notFound, forbidden], { changesState: true }),
    // The team proposed, the coach declined.
    get("matches.$matchId", declined, [login, ok, notFound, ok, notFound, ok], { private: namesAndEmailsWithheld }),
    // The coach hears of a requester's proposal only once the team has approved it.
    get("matches.$matchId", review, [login, ok, notFound, notFound, notFound, ok]),
    post("matches.$matchId", review, "approve", [login, forbidden, notFound, notFound, notFound, redirect], { changesState: true }),
    get("matches.$matchId_.sessions.new", `${match}/sessions/new`, [login, ok, notFound, ok, notFound, ok]),
    // Moving the session: the team's form does not start with how to join.
    get("matches.$matchId_.sessions.new", `${match}/sessions/new?session=${w.sessionId}`, [login, ok, notFound, ok, notFound, ok], { private: [howToJoin] }),
    // Another tandem's session, named on this tandem's page.
    get("matches.$matchId_.sessions.new", `${match}/sessions/new?session=${w.otherSessionId}`, [login, notFound, notFound, notFound, notFound, notFound]),
    post("matches.$matchId_.sessions.new", `${match}/sessions/new`, "propose", [login, invalid, notFound, invalid, notFound, invalid]),
    // A browser that does not send the pressed button's value proposes, too.
    post("matches.$matchId_.sessions.new", `${match}/sessions/new`, "", [login, invalid, notFound, invalid, notFound, invalid]),
    post("matches.$matchId_.sessions.new", `${match}/sessions/new`, "page:1", [login, ok, notFound, ok, notFound, ok]),
    post("matches.$matchId_.sessions.new", `${match}/sessions/new?session=${w.otherSessionId}`, "page:1", [login, notFound, notFound, notFound, notFound, notFound]),

    // The team arranges sessions but does not attend them: no join details, no invitation, no answer for a side.
    get("sessions.$sessionId", session, [login, ok, notFound, ok, notFound, ok], { private: [howToJoin, howToJoinAtTheNewTime] }),
    post("sessions.$sessionId", session, "confirm", [login, invalid, notFound, forbidden, notFound, forbidden]),
    post("sessions.$sessionId", session, "keepTime", [login, redirect, notFound, forbidden, notFound, forbidden], { changesState: true }),
    post("sessions.$sessionId", session, "joinDetails", [login, forbidden, notFound, invalid, notFound, forbidden]),
    post("sessions.$sessionId", session, "cancel", [login, invalid, notFound, invalid, notFound, invalid]),
    post("sessions.$sessionId", session, "feedback", [login, invalid, notFound, invalid, notFound, forbidden]),
    get("sessions.$sessionId.calendar[.]ics", `${session}/calendar.ics`, [login, ok, notFound, ok, notFound, notFound], { private: [howToJoin] }),
    // A calendar app cannot log in: the feed's secret address is the key, and the feed holds its owner's sessions only.
    get("calendar.$token.sessions[.]ics", `/calendar/${w.feedToken}/sessions.ics`, everyone(ok), {
      private: [
        { what: "the requester's session", text: w.sessionId, shownTo: [...personas] },
        { what: "another tandem's session", text: w.otherSessionId, shownTo: [] },
      ],
    }),
    get("calendar.$token.sessions[.]ics", `/calendar/${"x".repeat(43)}/sessions.ics`, everyone(notFound)),

    get("team.desk", "/team/desk", teamOnly(ok)),
    post("team.desk", "/team/desk", "bulkApprove", teamOnly(invalid)),
    // The shared test server has no HumHub connection, so each of these is refused after the role check.
    get("team.humhub", "/team/humhub", teamOnly(ok)),
    post("team.humhub", "/team/humhub", "test", teamOnly(invalid)),
    post("team.humhub", "/team/humhub", "space", teamOnly(invalid)),
    post("team.humhub", "/team/humhub", "retry", teamOnly(invalid)),
    post("team.humhub", "/team/humhub", "skip", teamOnly(invalid)),
    post("team.humhub", "/team/humhub", "resolveNames", teamOnly(invalid)),
    get("team.matching._index", "/team/matching", teamOnly(ok)),
    post("team.matching._index", "/team/matching", null, teamOnly(invalid)),
    get("team.matching.runs.$runId", `/team/matching/runs/${w.runId}`, teamOnly(ok)),
    // The run proposed nothing, so sending its proposals changes nothing.
    post("team.matching.runs.$runId", `/team/matching/runs/${w.runId}`, "sendAll", teamOnly(redirect)),
    get("team.matching.weights", "/team/matching/weights", teamOnly(ok)),
    post("team.matching.weights", "/team/matching/weights", "preview", teamOnly(invalid)),
    post("team.matching.weights", "/team/matching/weights", "save", teamOnly(invalid)),
    get("team.members", "/team/members", teamOnly(ok)),
    post("team.members", "/team/members", "grant", teamOnly(invalid)),
    post("team.members", "/team/members", "revoke", teamOnly(invalid)),
    get("team.reports", "/team/reports", teamOnly(ok)),
    get("team.reports.matches[.]csv", "/team/reports/matches.csv", teamOnly(ok), { private: [{ what: "an email", text: requester.email, shownTo: [] }] }),
    get("team.settings", "/team/settings", teamOnly(ok)),
    // Without a field the imprint would be emptied; one character too many is refused instead.
    post("team.settings", "/team/settings", "imprint", teamOnly(invalid), { fields: { imprintText: "x".repeat(5001) } }),
    post("team.settings", "/team/settings", "matches", teamOnly(invalid)),
    post("team.settings", "/team/settings", "scheduling", teamOnly(invalid)),
    post("team.settings", "/team/settings", "retention", teamOnly(invalid)),
    get("team.topics._index", "/team/topics", teamOnly(ok)),
    post("team.topics._index", "/team/topics", null, teamOnly(invalid)),
    get("team.topics.$topicId", topic, teamOnly(ok)),
    post("team.topics.$topicId", topic, "rename", teamOnly(invalid)),
    post("team.topics.$topicId", topic, "retire", teamOnly(redirect), { changesState: true }),
    post("team.topics.$topicId", topic, "reactivate", teamOnly(redirect), { changesState: true }),
  ];
}

function expectedFor(row: Row, persona: Persona) {
  return row.expected[personas.indexOf(persona)]!;
}

function rowLabel(row: Row) {
  return `${row.method} ${row.path}${row.intent ? ` intent=${row.intent}` : ""}`;
}

function outcomeOf(response: Response): string {
  const { status } = response;
  if (status >= 200 && status < 300) return ok;
  if (status >= 300 && status < 400) {
    return new URL(response.headers.get("location") ?? "/", baseUrl()).pathname === "/login" ? login : redirect;
  }
  const refusals: Record<number, Outcome> = { 400: invalid, 422: invalid, 403: forbidden, 404: notFound, 409: conflict };
  return refusals[status] ?? `status ${status}`;
}

let world: AuthorizationWorld;
let table: Row[];
let releaseDatabase: () => void;

beforeAll(async () => {
  releaseDatabase = borrowSharedAppDatabase();
  world = await seedAuthorizationWorld();
  table = authorizationTable(world);
});

afterAll(() => releaseDatabase?.());

/** One visitor's request for one row; the differences from the table, if any. */
async function visit(row: Row, persona: Persona): Promise<string[]> {
  const cookie = row.freshSession && persona !== "anonymous" ? await sessionFor(world.people[persona].id) : world.cookies[persona];
  const headers: Record<string, string> = { "X-Forwarded-For": world.clientIps[persona] };
  if (cookie) headers.Cookie = cookie;
  let body: URLSearchParams | undefined;
  if (row.method === "POST") {
    headers.Origin = baseUrl();
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ ...(row.intent ? { intent: row.intent } : {}), ...row.fields });
  }
  const response = await fetch(`${baseUrl()}${row.path}`, { method: row.method, headers, body, redirect: "manual" });
  const text = await response.text();
  const expected = expectedFor(row, persona);
  const actual = outcomeOf(response);
  if (actual !== expected) {
    const location = response.headers.get("location");
    return [`${rowLabel(row)}  ${persona}: expected ${expected}, got ${actual} (${response.status}${location ? ` → ${location}` : ""})`];
  }
  if (actual !== ok) return [];
  return (row.private ?? []).flatMap(({ what, text: secret, shownTo }) => {
    const shouldShow = shownTo.includes(persona);
    return text.includes(secret) === shouldShow ? [] : [`${rowLabel(row)}  ${persona}: ${shouldShow ? "misses" : "shows"} ${what}`];
  });
}

/** Runs the visits a few at a time; the server takes them in parallel like it would from several browsers. */
async function inParallel<T>(tasks: (() => Promise<T[]>)[], concurrency: number) {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      results.push(...(await task()));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

describe("authorization matrix", () => {
  it("has a row for every route module, for each action and for each of its intents", () => {
    const routes = listRouteModules();
    const problems: string[] = [];
    for (const route of routes) {
      const rows = table.filter((row) => row.route === route.id);
      const posts = rows.filter((row) => row.method === "POST");
      if (!rows.some((row) => row.method === "GET")) problems.push(`${route.id}: no GET row`);
      if (route.hasAction && posts.length === 0) problems.push(`${route.id}: has an action but no POST row`);
      for (const intent of route.intents) {
        if (!posts.some((row) => row.intent === intent)) problems.push(`${route.id}: no POST row for intent "${intent}"`);
      }
      for (const prefix of route.intentPrefixes) {
        if (!posts.some((row) => row.intent?.startsWith(prefix))) problems.push(`${route.id}: no POST row for an intent "${prefix}…"`);
      }
    }
    for (const row of table) {
      const route = routes.find((candidate) => candidate.id === row.route);
      if (!route) {
        problems.push(`${rowLabel(row)}: no route module ${row.route}`);
        continue;
      }
      if (!route.path.test(new URL(row.path, baseUrl()).pathname)) problems.push(`${rowLabel(row)}: not a path of ${route.id}`);
      if (row.method === "POST" && !route.hasAction) problems.push(`${rowLabel(row)}: ${route.id} has no action`);
      const known = row.intent === undefined || route.intents.includes(row.intent) || route.intentPrefixes.some((prefix) => row.intent!.startsWith(prefix));
      if (!known) problems.push(`${rowLabel(row)}: ${route.id} knows no intent "${row.intent}"`);
    }
    expect(problems).toEqual([]);
  });

  it("answers every visitor as the table says, and shows private details to the listed visitors only", async () => {
    const visits = (rows: Row[]) => rows.flatMap((row) => personas.map((persona) => () => visit(row, persona)));
    const differences = await inParallel(visits(table.filter((row) => !row.changesState)), 6);
    // Rows that act: in table order, visitors expected to be refused before those who may act.
    const acts = (outcome: Outcome) => outcome === ok || outcome === redirect;
    for (const row of table.filter((candidate) => candidate.changesState)) {
      const order = [...personas].sort((a, b) => Number(acts(expectedFor(row, a))) - Number(acts(expectedFor(row, b))));
      for (const persona of order) differences.push(...(await visit(row, persona)));
    }
    expect(differences).toEqual([]);
  });
});
