/**
 * Hostile input against every form and route parameter of the running app (issue 7, "Bad input").
 *
 * A world of people, requests, matches and sessions is made with the models on the shared server's database. Then
 * every form (each route module with an action, each intent) is posted, as the person allowed to use it, first with
 * hostile variants of each field (left out, wrong shape, 1 MB, control characters, bytes that are not UTF-8, markup
 * and SQL where they cannot be valid, impossible dates and times, unknown time zones, numbers out of range,
 * someone else's ids) and then with a valid submission that also carries unknown fields and stores markup and SQL in
 * every free-text field. Route parameters, query strings and bodies that are not forms follow.
 *
 * A refused variant must answer 4xx with a message the reader understands (beside the field it is about, or as
 * the form's error), and leave every table as it was. Nothing may answer 5xx. Finally Chromium opens every page that
 * shows the stored text, as the people who see it: no script runs and the text is shown as typed. The CSV export
 * keeps formulas as text, and the calendar file keeps injected lines inside its fields.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "~/auth.server";
import { getDb, type TandemDatabase } from "~/db.server";
import { softCriteria } from "~/domain/matching/criteria";
import { createCalendarFeed } from "~/models/calendar.server";
import { actOnMatch, getMatchSettings, proposeMatch } from "~/models/match.server";
import { getMatchingWeights } from "~/models/matching.server";
import { saveOffer } from "~/models/offer.server";
import { getPrivacySettings } from "~/models/privacy.server";
import { createOrganisation, inviteToOrganisation } from "~/models/organisation.server";
import { createRequest } from "~/models/request.server";
import { confirmSessionTime, getSchedulingOptions, getSchedulingSettings, proposeSessionTimes } from "~/models/session.server";
import { getSetting, setSetting } from "~/models/settings.server";
import { createTopic, setTopicRetired } from "~/models/topic.server";
import { createUser } from "~/models/user.server";
import { coachingRequests, coachingSessions, coachOffers, organisationInvites, type RoleName } from "~db/schema";
import { baseUrl, nextClientIp, openPage } from "../support/browser-session";
import { useSharedChromium } from "../support/chromium";
import {
  applyChange,
  encodeForm,
  formulaTexts,
  hostileParameters,
  hostileVariants,
  oneMegabyte,
  raw,
  storedPayload,
  type FieldKind,
  type FormField,
  type Variant,
} from "../support/hostile-input";
import { parseCsv } from "../support/csv-reader";
import { offerInput, requestInput, runBatchNow } from "../support/matching-fixtures";
import { sessionFor } from "../support/route-calls";
import { coachWindows, requesterWindows } from "../support/session-fixtures";

const browser = useSharedChromium();
const routesFolder = path.resolve(__dirname, "../../app/routes");
const concurrency = 6;
const day = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------------------------

type Person = { id: string; email: string; cookie: string };
type Persona = "anonymous" | "team" | "coach" | "otherCoach" | "requester" | "otherRequester" | "loginUser" | "leaver";

const password = "ein sicherer Satz 2026";
const run = Date.now().toString(36);

type World = {
  people: Record<Exclude<Persona, "anonymous">, Person>;
  coachOfferId: string;
  otherCoachOfferId: string;
  coachOrganisationId: string;
  otherCoachOrganisationId: string;
  requesterOrganisationId: string;
  otherRequesterOrganisationId: string;
  requests: { edit: string; extend: string; withdraw: string; wish: string; ask: string; propose: string; other: string };
  matches: { accept: string; decline: string; approve: string; reject: string; override: string; close: string; bulk: string; sessions: string; schedule: string; other: string };
  sessions: { past: string; confirmed: string; cancel: string; move: string; reschedule: string; proposed: string };
  proposedTime: number;
  inviteToRequester: string;
  inviteToSomeoneElse: string;
  topicId: string;
  runId: string;
  feedToken: string;
  /** Filled in by the valid submissions: ids the forms created. */
  created: { coachOrganisationId?: string; outgoingInviteId?: string };
};

let world: World;

async function makePerson(label: string, roles: RoleName[], timeZone = "Europe/Berlin"): Promise<Person> {
  const email = `bad-input-${label}-${run}@bad-input.example`;
  const created = createUser({ name: `Bad Input ${label}`, email, passwordHash: await hashPassword(password), locale: "de", timeZone, roles });
  if (!created) throw new Error(`${label} could not be created`);
  return { id: created.id, email, cookie: await sessionFor(created.id) };
}

function offerIdOf(userId: string) {
  return getDb().select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, userId)).get()!.id;
}

function openRequest(userId: string, organisationId: string, now = new Date()) {
  const created = createRequest(userId, requestInput(organisationId, { formats: ["video", "phone"], windows: requesterWindows, sessionMinutes: 60 }), now);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.requestId;
}

/** A match of a new request of `requester` with `offerId`, moved to `status`. */
function makeMatch(
  { requester, organisationId, offerId, coach, team }: { requester: Person; organisationId: string; offerId: string; coach: Person; team: Person },
  status: "awaitingReview" | "awaitingCoach" | "accepted",
  now = new Date(),
) {
  const requestId = openRequest(requester.id, organisationId, now);
  const proposed = proposeMatch({ requestId, offerId, source: status === "awaitingReview" ? "requester" : "team", actorUserId: status === "awaitingReview" ? requester.id : team.id }, now);
  if (!proposed.ok) throw new Error(`proposal refused: ${proposed.refusal}`);
  expect(proposed.status, "the match settings of the shared server have changed").toBe(status === "awaitingReview" ? "awaitingReview" : "awaitingCoach");
  if (status === "accepted") expect(actOnMatch({ matchId: proposed.matchId, action: "accept", actorUserId: coach.id, actorRole: "coach" }, now).ok).toBe(true);
  return proposed.matchId;
}

/** A session of the match at its first free time from `now`, proposed by the coach and, unless asked not to, confirmed. */
function makeSession(matchId: string, coach: Person, requester: Person, { now = new Date(), confirm = true } = {}) {
  const coachViewer = { id: coach.id, roles: ["coach"] };
  const slot = getSchedulingOptions(matchId, coachViewer, null, now)?.slots[0];
  if (!slot) throw new Error("no free time for a session");
  const proposed = proposeSessionTimes({ matchId, sessionId: null, viewer: coachViewer, times: [slot.startsAt], format: "video", joinDetails: "https://video.example/bad-input" }, now);
  if (!proposed.ok) throw new Error(proposed.refusal);
  if (confirm) {
    const confirmed = confirmSessionTime({ sessionId: proposed.sessionId, viewer: { id: requester.id, roles: ["requester"] }, startsAt: slot.startsAt, joinDetails: "" }, now);
    if (!confirmed.ok) throw new Error(confirmed.refusal);
  }
  return { sessionId: proposed.sessionId, startsAt: slot.startsAt };
}

async function buildWorld(): Promise<World> {
  const [team, coach, otherCoach, requester, otherRequester, loginUser, leaver] = await Promise.all([
    makePerson("team", ["team"]),
    makePerson("coach", ["coach"]),
    makePerson("other-coach", ["coach"]),
    makePerson("requester", ["requester"], "America/New_York"),
    makePerson("other-requester", ["requester"], "America/New_York"),
    makePerson("login", ["requester"]),
    makePerson("leaver", ["requester"]),
  ]);
  // Organisation names that a spreadsheet would run as formulas: the CSV export must keep them as text.
  const requesterOrganisationId = createOrganisation(requester.id, { name: formulaTexts[0]!, kind: "association", sizeBand: "upTo50", region: "DE-BE", website: null });
  const otherRequesterOrganisationId = createOrganisation(otherRequester.id, { name: formulaTexts[1]!, kind: "association", sizeBand: "upTo50", region: "DE-BE", website: null });
  const coachOrganisationId = createOrganisation(coach.id, { name: `Coachverein ${run}`, kind: "association", sizeBand: "upTo50", region: "DE-BE", website: null });
  const otherCoachOrganisationId = createOrganisation(otherCoach.id, { name: formulaTexts[2]!, kind: "foundation", sizeBand: "upTo50", region: "DE-BE", website: null });
  const topic = createTopic(team.id, { labelDe: `Böse Eingaben ${run}`, labelEn: `Hostile input ${run}`, descriptionDe: "Test", descriptionEn: "Test" });
  if (!topic.ok) throw new Error("topic could not be created");
  const offer = { formats: ["video", "phone"] as ("video" | "phone")[], windows: coachWindows, capacityPerMonth: 60 };
  expect(saveOffer(coach.id, offerInput(coachOrganisationId, { ...offer, topics: [{ topicId: "topic-onboarding", level: 3, note: "" }, { topicId: topic.topicId, level: 2, note: "" }] }))).toEqual({ ok: true });
  expect(saveOffer(otherCoach.id, offerInput(otherCoachOrganisationId, offer))).toEqual({ ok: true });
  const coachOfferId = offerIdOf(coach.id);
  const otherCoachOfferId = offerIdOf(otherCoach.id);

  const pair = { requester, organisationId: requesterOrganisationId, offerId: coachOfferId, coach, team };
  const matches = {
    accept: makeMatch(pair, "awaitingCoach"),
    decline: makeMatch(pair, "awaitingCoach"),
    approve: makeMatch(pair, "awaitingReview"),
    reject: makeMatch(pair, "awaitingReview"),
    override: makeMatch(pair, "awaitingReview"),
    close: makeMatch(pair, "accepted"),
    bulk: makeMatch(pair, "awaitingReview"),
    sessions: makeMatch(pair, "accepted"),
    schedule: makeMatch(pair, "accepted"),
    other: makeMatch({ requester: otherRequester, organisationId: otherRequesterOrganisationId, offerId: otherCoachOfferId, coach: otherCoach, team }, "accepted"),
  };
  // A session that took place two weeks ago (made at that moment), for feedback.
  const past = makeSession(matches.sessions, coach, requester, { now: new Date(Date.now() - 14 * day) });
  const confirmed = makeSession(matches.sessions, coach, requester);
  const cancel = makeSession(matches.sessions, coach, requester);
  const move = makeSession(matches.sessions, coach, requester);
  const reschedule = makeSession(matches.sessions, coach, requester);
  const coachViewer = { id: coach.id, roles: ["coach"] };
  const newTime = getSchedulingOptions(matches.sessions, coachViewer, reschedule.sessionId)!.slots[0]!;
  const offered = proposeSessionTimes({ matchId: matches.sessions, sessionId: reschedule.sessionId, viewer: coachViewer, times: [newTime.startsAt], format: "video", joinDetails: "" });
  if (!offered.ok) throw new Error(offered.refusal);
  const proposed = makeSession(matches.sessions, coach, requester, { confirm: false });

  expect(inviteToOrganisation(otherCoachOrganisationId, otherCoach.id, requester.email)).toEqual({ ok: true });
  expect(inviteToOrganisation(otherCoachOrganisationId, otherCoach.id, `someone-${run}@bad-input.example`)).toEqual({ ok: true });
  const invites = getDb().select().from(organisationInvites).where(eq(organisationInvites.organisationId, otherCoachOrganisationId)).all();

  return {
    people: { team, coach, otherCoach, requester, otherRequester, loginUser, leaver },
    coachOfferId,
    otherCoachOfferId,
    coachOrganisationId,
    otherCoachOrganisationId,
    requesterOrganisationId,
    otherRequesterOrganisationId,
    requests: {
      edit: openRequest(requester.id, requesterOrganisationId),
      // Made a month ago, so extending gives it more time (a new request already has the longest).
      extend: openRequest(requester.id, requesterOrganisationId, new Date(Date.now() - 30 * day)),
      withdraw: openRequest(requester.id, requesterOrganisationId),
      wish: openRequest(requester.id, requesterOrganisationId),
      ask: openRequest(requester.id, requesterOrganisationId),
      propose: openRequest(requester.id, requesterOrganisationId),
      other: openRequest(otherRequester.id, otherRequesterOrganisationId),
    },
    matches,
    sessions: { past: past.sessionId, confirmed: confirmed.sessionId, cancel: cancel.sessionId, move: move.sessionId, reschedule: reschedule.sessionId, proposed: proposed.sessionId },
    proposedTime: proposed.startsAt,
    inviteToRequester: invites.find((invite) => invite.email === requester.email)!.id,
    inviteToSomeoneElse: invites.find((invite) => invite.email !== requester.email)!.id,
    topicId: topic.topicId,
    runId: runBatchNow("score", team.id),
    feedToken: createCalendarFeed(coach.id),
    created: {},
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------------

type Answer = { status: number; contentType: string; location: string | null; body: string };

function cookieOf(persona: Persona) {
  return persona === "anonymous" ? undefined : world.people[persona].cookie;
}

async function send(
  method: "GET" | "POST",
  target: string,
  persona: Persona,
  body?: { content: string; type: string | null },
): Promise<Answer> {
  // Uncompressed: megabytes of echoed input would otherwise cost the server more to gzip than to refuse.
  const headers: Record<string, string> = { Origin: baseUrl(), "X-Forwarded-For": nextClientIp(), "Accept-Encoding": "identity" };
  const cookie = cookieOf(persona);
  if (cookie) headers.Cookie = cookie;
  if (body?.type) headers["Content-Type"] = body.type;
  const response = await fetch(`${baseUrl()}${target}`, { method, headers, body: body?.content, redirect: "manual" });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", location: response.headers.get("location"), body: await response.text() };
}

const postForm = (target: string, persona: Persona, fields: readonly FormField[]) =>
  send("POST", target, persona, { content: encodeForm(fields), type: "application/x-www-form-urlencoded" });

/**
 * A GET, or a form POST, to an address that may be longer than Node reads (16 KB of headers): Node answers those
 * itself with 431 (or 414) and closes the connection, which a client still writing sees as a reset.
 */
async function sendAddress(target: string, persona: Persona, fields: readonly FormField[] | null): Promise<Answer | "too long"> {
  const tooLong = target.length > 16 * 1024;
  try {
    const answer = fields ? await postForm(target, persona, fields) : await send("GET", target, persona);
    return tooLong && (answer.status === 414 || answer.status === 431) ? "too long" : answer;
  } catch (error) {
    if (tooLong) return "too long";
    throw error;
  }
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>) {
  for (let start = 0; start < items.length; start += concurrency) {
    await Promise.all(items.slice(start, start + concurrency).map(work));
  }
}

/** Every table's content, but lucia's sessions and the rate-limit counters, which record attempts on purpose. */
function databaseFingerprint() {
  const client = getDb().$client;
  const tables = client
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
    .pluck()
    .all() as string[];
  const volatile = new Set(["sessions", "rate_limit_hits"]);
  return Object.fromEntries(
    tables
      .filter((table) => !volatile.has(table))
      .map((table) => {
        const rows = client.prepare(`select * from "${table}"`).raw().all();
        return [table, `${rows.length}:${createHash("sha1").update(JSON.stringify(rows, (_, value) => (typeof value === "bigint" ? String(value) : value))).digest("hex")}`];
      }),
  );
}

function changedTables(before: Record<string, string>, after: Record<string, string>) {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}

const stripTags = (html: string) => html.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim();

/**
 * The messages a page shows for a refusal: field errors, the error summary's links and form errors (role=alert),
 * or the error page's heading.
 */
function shownMessages(html: string) {
  const fieldErrors = [...html.matchAll(/<p id="([^"]*)-error" class="field__error">([\s\S]*?)<\/p>/g)].map((match) => ({ id: match[1]!, text: stripTags(match[2]!) }));
  const summaries = [...html.matchAll(/<div class="error-summary"[\s\S]*?<\/div>/g)].map((match) => match[0]).join("");
  const summaryLinks = [...summaries.matchAll(/<a href="#([^"]*)">([\s\S]*?)<\/a>/g)].map((match) => ({ id: match[1]!, text: stripTags(match[2]!) }));
  const alerts = [...html.matchAll(/<p class="notice notice--error" role="alert">([\s\S]*?)<\/p>/g)].map((match) => stripTags(match[1]!));
  const heading = stripTags(html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? "");
  return { fieldErrors, summaryLinks, alerts, heading };
}

const isCatalogueKey = (text: string) => /^[a-z][a-zA-Z]*(\.[a-zA-Z0-9]+)+(:\d+)?$/.test(text);
/** The error page's headings for 404 and 403, which say what happened. */
const errorPageHeadings = ["Seite nicht gefunden", "Kein Zugriff"];

/** Why an answer is not a clear refusal beside one of `fields` (or of the form, when none is named), or null when it is. */
function refusalProblem(answer: Answer, where: "field" | "form", fields: string[]): string | null {
  if (answer.status < 400 || answer.status >= 500) return `status ${answer.status}${answer.location ? ` → ${answer.location}` : ""}`;
  if (!answer.contentType.startsWith("text/html")) return answer.body.trim() ? null : "an empty answer";
  const { fieldErrors, summaryLinks, alerts, heading } = shownMessages(answer.body);
  const texts = [...fieldErrors.map((error) => error.text), ...summaryLinks.map((link) => link.text), ...alerts];
  const untranslated = texts.find(isCatalogueKey);
  if (untranslated) return `shows the untranslated key ${untranslated}`;
  if ((answer.status === 403 || answer.status === 404) && errorPageHeadings.includes(heading)) return null;
  // Express's own answer to a path it cannot decode (broken percent-encoding), before any route is reached.
  if (answer.status === 400 && answer.body.includes("<pre>Bad Request</pre>")) return null;
  if (texts.length === 0) return `status ${answer.status} without a message (heading "${heading}")`;
  if (where === "field" && fields.length > 0) {
    // A field's id is "<form>-<field path>" (its error's "<form>-<field path>-error"); a message on "topics" stands for
    // "topics.onboarding.level".
    const tops = fields.map((field) => field.split(".")[0]!);
    const beside = fieldErrors.some(({ id }) => tops.some((top) => id.includes(`-${top}.`) || id.endsWith(`-${top}`)));
    // A refusal of the whole submission (not connected to HumHub, no such invitation) is the form's error.
    if (!beside && alerts.length === 0) return `no message beside ${fields.join(" or ")} (shown: ${fieldErrors.map((error) => error.id).join(", ") || "none"})`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// The forms
// ---------------------------------------------------------------------------------------------------------------

/** Names a browser never sends, prototype names among them: a valid submission must go through as if they were not there. */
const unknownFields: FormField[] = [
  ["__proto__.polluted", "yes"],
  ["constructor.prototype.polluted", "yes"],
  ["toString", "x"],
  ["hasOwnProperty", "x"],
  ["unknownField", "<script>window.__xss=1</script>"],
];

/**
 * One field of a form: its kind decides the hostile values (none without a kind: only `extra`), `context` changes
 * other fields so the field matters (a deadline counts only with the urgency "by a date"), and `reportedOn` names
 * the fields whose message may stand for it (a topic that was not chosen is reported on the main topic).
 */
type FieldSpec = { name: string; type?: FieldKind; extra?: Variant[]; context?: FormField[]; reportedOn?: string[] };

type FormCase = {
  /** The route module, as its file in app/routes. */
  route: string;
  form: string;
  as: Persona;
  path: () => string;
  intent?: string;
  /** The form's only intent, taken when none is sent, so leaving it out is no refusal. */
  intentOptional?: boolean;
  fields: FieldSpec[];
  /** A valid submission (without the intent), which every variant changes in one field; posted last. */
  valid: () => FormField[];
  /** Why the valid submission is not posted here, if it is not. */
  skipValid?: string;
  /** What the valid submission answers: a redirect (the default) or the page again (previews, paging). */
  validAnswer?: "redirect" | "page";
  /** Where the form shows a refusal: beside the field (default) or as the form's error. */
  messages?: "field" | "form";
  /**
   * Submissions that must not fail but may succeed (paging, fall-back redirects); `unchanged` ones must not change
   * any table either (ids that are well-formed but name nothing to act on).
   */
  harmless?: { payload: string; fields: () => FormField[]; check?: (answer: Answer) => string | null; unchanged?: boolean }[];
  afterValid?: (answer: Answer) => void;
};

const text = (max: number, required = true): FieldKind => ({ kind: "text", max, required });
const choice = (required = true): FieldKind => ({ kind: "choice", required });
const checkboxes = (required = true): FieldKind => ({ kind: "checkboxes", required });
const reference = (others?: () => string[]): FieldKind => ({ kind: "reference", others });

/** Every free-text field's stored payload, by tag, to look for on the pages that show it. */
const stored = {
  organisationName: storedPayload("#org-name", 120),
  organisationWebsite: `https://evil.example/"><svg onload=window.__xss=1>#org-site`,
  bio: storedPayload("#offer-bio", 1000),
  topicNote: storedPayload("#topic-note", 300),
  goal: storedPayload("#request-goal", 2000),
  newGoal: storedPayload("#new-request-goal", 2000),
  topicLabelDe: storedPayload("#topic-de", 60),
  topicLabelEn: storedPayload("#topic-en", 60),
  topicDescription: storedPayload("#topic-description", 200),
  newTopicLabel: storedPayload("#new-topic", 60),
  declineNote: storedPayload("#decline-note", 500),
  rejectReason: storedPayload("#reject-reason", 500),
  overrideReason: storedPayload("#override-reason", 500),
  joinDetails: `${storedPayload("#join-details", 280)}\r\nX-INJECTED:1`,
  proposeJoinDetails: storedPayload("#propose-join", 300),
  cancelReason: storedPayload("#cancel-reason", 500),
  rescheduleReason: storedPayload("#reschedule-reason", 500),
  feedbackComment: storedPayload("#feedback", 300),
  profileName: storedPayload("#profile-name", 100),
  signupName: storedPayload("#signup-name", 100),
  imprint: storedPayload("#imprint", 5000),
};

const windowFields = (start: string, end: string): FormField[] => [
  ["windows.0.weekday", "1"],
  ["windows.0.start", start],
  ["windows.0.end", end],
];

const windowSpecs: FieldSpec[] = [
  { name: "windows.0.weekday", type: choice() },
  { name: "windows.0.start", type: { kind: "time" } },
  { name: "windows.0.end", type: { kind: "time" } },
];

const offerFields = (): FormField[] => [
  ["organisationId", world.created.coachOrganisationId ?? world.coachOrganisationId],
  ["topics.topic-onboarding.level", "3"],
  ["topics.topic-onboarding.note", stored.topicNote],
  [`topics.${world.topicId}.level`, "2"],
  ["languages", "de"],
  ["formats", "video"],
  ["formats", "phone"],
  ["inPersonRegion", ""],
  ["travelKm", ""],
  ["capacityPerMonth", "60"],
  ["pausedUntil", ""],
  ["bio", stored.bio],
  ...windowFields("15:00", "19:00"),
  ...[2, 3, 4, 5].flatMap((weekday, index): FormField[] => [
    [`windows.${index + 1}.weekday`, String(weekday)],
    [`windows.${index + 1}.start`, "15:00"],
    [`windows.${index + 1}.end`, "19:00"],
  ]),
];

const requestFields = (goal: string): FormField[] => [
  ["organisationId", world.requesterOrganisationId],
  ["topics", "topic-onboarding"],
  ["mainTopic", "topic-onboarding"],
  ["goal", goal],
  ["urgency", "flexible"],
  ["deadline", ""],
  ["languages", "de"],
  ["formats", "video"],
  ["formats", "phone"],
  ["inPersonRegion", ""],
  ["sessionMinutes", "60"],
  ...[1, 2, 3, 4, 5].flatMap((weekday, index): FormField[] => [
    [`windows.${index}.weekday`, String(weekday)],
    [`windows.${index}.start`, "09:00"],
    [`windows.${index}.end`, "12:00"],
  ]),
];

const requestSpecs = (): FieldSpec[] => [
  { name: "organisationId", type: reference(() => [world.otherRequesterOrganisationId, world.coachOrganisationId]) },
  {
    name: "topics",
    type: checkboxes(),
    extra: [{ payload: "eleven topics", change: { values: Array.from({ length: 11 }, (_, index) => `topic-${index}`) } }],
    reportedOn: ["topics", "mainTopic"],
  },
  { name: "mainTopic", type: reference(() => ["topic-accessibility"]) },
  { name: "goal", type: text(2000) },
  { name: "urgency", type: choice() },
  { name: "deadline", type: { kind: "date", required: true }, context: [["urgency", "deadline"]], extra: [{ payload: "a day in the past", change: { values: ["2020-01-01"] } }] },
  { name: "languages", type: checkboxes() },
  { name: "formats", type: checkboxes() },
  { name: "inPersonRegion", type: choice(), context: [["formats", "inPerson"]] },
  { name: "accessNeeds", type: checkboxes(false) },
  { name: "sessionMinutes", type: choice(), extra: [{ payload: "an unoffered length", change: { values: ["1440"] } }] },
  ...windowSpecs,
];

const softCriterionFields = (): FormField[] => Object.entries(getMatchingWeights()).map(([criterion, weight]) => [criterion, String(weight)]);

function onlyLocalRedirect(answer: Answer) {
  if (answer.status >= 400) return `status ${answer.status}`;
  if (answer.location === null) return null;
  const target = new URL(answer.location, baseUrl());
  return target.origin === baseUrl() ? null : `redirects away to ${answer.location}`;
}

const redirectTargets = ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:window.__xss=1", "/€uro", "/\u2028", "/a\u0000b", "/ok\r\nSet-Cookie: a=b", raw("/%C3%28")];

const formCases = (): FormCase[] => [
  {
    route: "organisations.new.tsx",
    form: "new organisation",
    as: "coach",
    path: () => "/organisations/new",
    fields: [
      { name: "name", type: text(120) },
      { name: "kind", type: choice() },
      { name: "sizeBand", type: choice() },
      { name: "region", type: choice() },
      { name: "website", type: { kind: "url", max: 200 } },
    ],
    valid: () => [["name", stored.organisationName], ["kind", "association"], ["sizeBand", "upTo10"], ["region", "DE-HH"], ["website", stored.organisationWebsite]],
    afterValid: (answer) => {
      world.created.coachOrganisationId = answer.location?.match(/\/organisations\/([^/?]+)/)?.[1];
    },
  },
  {
    route: "organisations.$organisationId.tsx",
    form: "organisation: invite",
    as: "requester",
    path: () => `/organisations/${world.requesterOrganisationId}`,
    intent: "invite",
    fields: [{ name: "email", type: { kind: "email" } }],
    valid: () => [["email", `invited-${run}@bad-input.example`]],
    afterValid: () => {
      world.created.outgoingInviteId = getDb()
        .select({ id: organisationInvites.id })
        .from(organisationInvites)
        .where(eq(organisationInvites.email, `invited-${run}@bad-input.example`))
        .get()?.id;
    },
  },
  {
    route: "organisations.$organisationId.tsx",
    form: "organisation: revoke",
    as: "requester",
    path: () => `/organisations/${world.requesterOrganisationId}`,
    intent: "revoke",
    messages: "form",
    fields: [{ name: "inviteId", type: reference(() => [world.inviteToSomeoneElse, world.inviteToRequester]) }],
    valid: () => [["inviteId", world.created.outgoingInviteId!]],
  },
  {
    route: "organisations._index.tsx",
    form: "invitation: answer",
    as: "requester",
    path: () => "/organisations",
    messages: "form",
    fields: [
      { name: "intent", type: choice() },
      { name: "inviteId", type: reference(() => [world.inviteToSomeoneElse]) },
    ],
    // Declined, not accepted: as a member of that coach's organisation the requester could no longer be matched with them.
    valid: () => [["intent", "decline"], ["inviteId", world.inviteToRequester]],
  },
  {
    route: "offer.edit.tsx",
    form: "offer: save",
    as: "coach",
    path: () => "/offer/edit",
    intent: "save",
    fields: [
      { name: "organisationId", type: reference(() => [world.requesterOrganisationId, world.otherCoachOrganisationId]) },
      // Level 0 (or none) leaves the topic out, which is valid while another topic is offered.
      { name: "topics.topic-onboarding.level", type: choice(false) },
      { name: "topics.topic-onboarding.note", type: text(300, false) },
      { name: "topics", type: checkboxes() },
      { name: "topics.unknown-topic.level", extra: [{ payload: "an unknown topic", change: { values: ["3"] } }], reportedOn: ["topics"] },
      { name: "topics.<script>.level", extra: [{ payload: "markup as a topic id", change: { values: ["3"] } }], reportedOn: ["topics"] },
      { name: "languages", type: checkboxes() },
      { name: "formats", type: checkboxes() },
      { name: "inPersonRegion", type: choice(), context: [["formats", "inPerson"], ["travelKm", "10"]] },
      { name: "travelKm", type: { kind: "integer", min: 0, max: 1000 }, context: [["formats", "inPerson"], ["inPersonRegion", "DE-BE"]] },
      { name: "accessSupport", type: checkboxes(false) },
      { name: "capacityPerMonth", type: { kind: "integer", min: 1, max: 60 } },
      { name: "pausedUntil", type: { kind: "date", required: false } },
      { name: "bio", type: text(1000) },
      ...windowSpecs,
    ],
    harmless: [
      { payload: "add a row to 999 sparse rows", fields: () => [["intent", "addWindow"], ["windows.999.start", "18:00"], ["windows.500.weekday", "9"]] },
      { payload: "remove row 1e308", fields: () => [["intent", "removeWindow:1e308"], ...windowFields("15:00", "19:00")] },
      { payload: "remove row -1", fields: () => [["intent", "removeWindow:-1"], ...windowFields("15:00", "19:00")] },
      { payload: "remove row NaN", fields: () => [["intent", "removeWindow:NaN"], ["windows.3.start", "x"]] },
    ],
    valid: offerFields,
  },
  {
    route: "offer._index.tsx",
    form: "offer: pause",
    as: "coach",
    path: () => "/offer",
    intent: "pause",
    fields: [{ name: "pausedUntil", type: { kind: "date", required: true } }],
    // Paused until yesterday: the offer is not paused today, so later proposals still reach the coach.
    valid: () => [["pausedUntil", new Date(Date.now() - day).toISOString().slice(0, 10)]],
  },
  {
    route: "offer._index.tsx",
    form: "offer: resume",
    as: "coach",
    path: () => "/offer",
    intent: "resume",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "requests.new.tsx",
    form: "new request",
    as: "requester",
    path: () => "/requests/new",
    intent: "save",
    fields: requestSpecs(),
    harmless: [{ payload: "add a row to 999 sparse rows", fields: () => [["intent", "addWindow"], ["windows.999.end", "18:00"]] }],
    valid: () => requestFields(stored.newGoal),
  },
  {
    route: "requests.$requestId.edit.tsx",
    form: "request: edit",
    as: "requester",
    path: () => `/requests/${world.requests.edit}/edit`,
    intent: "save",
    fields: requestSpecs(),
    harmless: [{ payload: "remove row 1e308", fields: () => [["intent", "removeWindow:1e308"], ["windows.0.start", "09:00"]] }],
    valid: () => requestFields(stored.goal),
  },
  {
    route: "requests.$requestId._index.tsx",
    form: "request: extend",
    as: "requester",
    path: () => `/requests/${world.requests.extend}`,
    intent: "extend",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "requests.$requestId._index.tsx",
    form: "request: withdraw",
    as: "requester",
    path: () => `/requests/${world.requests.withdraw}`,
    intent: "withdraw",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "coaches.tsx",
    form: "directory: ask a coach",
    as: "requester",
    path: () => "/coaches",
    messages: "form",
    fields: [
      { name: "offerId", type: reference() },
      { name: "requestId", type: reference(() => [world.requests.other, world.requests.withdraw]) },
    ],
    valid: () => [["offerId", world.coachOfferId], ["requestId", world.requests.wish]],
  },
  {
    route: "requests.$requestId.suggestions.tsx",
    form: "suggestions: ask",
    as: "requester",
    path: () => `/requests/${world.requests.ask}/suggestions`,
    messages: "form",
    fields: [
      { name: "intent", type: choice() },
      { name: "offerId", type: reference() },
    ],
    valid: () => [["intent", "ask"], ["offerId", world.coachOfferId]],
  },
  {
    route: "requests.$requestId.suggestions.tsx",
    form: "suggestions: team proposes",
    as: "team",
    path: () => `/requests/${world.requests.propose}/suggestions`,
    messages: "form",
    fields: [{ name: "offerId", type: reference() }],
    valid: () => [["intent", "propose"], ["offerId", world.coachOfferId]],
  },
  {
    route: "matches.$matchId.tsx",
    form: "match: accept",
    as: "coach",
    path: () => `/matches/${world.matches.accept}`,
    intent: "accept",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "matches.$matchId.tsx",
    form: "match: decline",
    as: "coach",
    path: () => `/matches/${world.matches.decline}`,
    intent: "decline",
    fields: [
      { name: "declineReason", type: choice() },
      { name: "note", type: text(500, false) },
    ],
    valid: () => [["declineReason", "other"], ["note", stored.declineNote]],
  },
  {
    route: "matches.$matchId.tsx",
    form: "match: approve",
    as: "team",
    path: () => `/matches/${world.matches.approve}`,
    intent: "approve",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "matches.$matchId.tsx",
    form: "match: reject",
    as: "team",
    path: () => `/matches/${world.matches.reject}`,
    intent: "reject",
    fields: [{ name: "reason", type: text(500) }],
    valid: () => [["reason", stored.rejectReason]],
  },
  {
    route: "matches.$matchId.tsx",
    form: "match: override",
    as: "team",
    path: () => `/matches/${world.matches.override}`,
    intent: "override",
    fields: [
      { name: "offerId", type: reference(() => [world.coachOfferId]) },
      { name: "reason", type: text(500) },
    ],
    valid: () => [["offerId", world.otherCoachOfferId], ["reason", stored.overrideReason]],
  },
  {
    route: "matches.$matchId.tsx",
    form: "match: close",
    as: "team",
    path: () => `/matches/${world.matches.close}`,
    intent: "close",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "matches.$matchId_.sessions.new.tsx",
    form: "session: propose times",
    as: "coach",
    path: () => `/matches/${world.matches.schedule}/sessions/new`,
    intent: "propose",
    intentOptional: true,
    fields: [
      { name: "times", type: { kind: "instant" }, extra: [{ payload: "four times", change: { values: ["1", "2", "3", "4"] } }] },
      { name: "format", type: choice() },
      { name: "joinDetails", type: text(300) },
    ],
    harmless: ["page:1e308", "page:-1", "page:NaN", "page:<script>"].map((intent) => ({ payload: `paging ${intent}`, fields: () => [["intent", intent], ["times", "1"]] as FormField[] })),
    valid: () => {
      const coach = { id: world.people.coach.id, roles: ["coach"] };
      return [["times", String(getSchedulingOptions(world.matches.schedule, coach, null)!.slots[0]!.startsAt)], ["format", "video"], ["joinDetails", stored.proposeJoinDetails]];
    },
  },
  {
    route: "matches.$matchId_.sessions.new.tsx",
    form: "session: offer new times",
    as: "coach",
    path: () => `/matches/${world.matches.sessions}/sessions/new?session=${world.sessions.move}`,
    intent: "propose",
    intentOptional: true,
    fields: [
      { name: "times", type: { kind: "instant" } },
      { name: "reason", type: text(500, false) },
    ],
    valid: () => {
      const coach = { id: world.people.coach.id, roles: ["coach"] };
      const slot = getSchedulingOptions(world.matches.sessions, coach, world.sessions.move)!.slots[0]!;
      return [["times", String(slot.startsAt)], ["format", "video"], ["joinDetails", "https://video.example/bad-input"], ["reason", stored.rescheduleReason]];
    },
  },
  {
    route: "sessions.$sessionId.tsx",
    form: "session: confirm",
    as: "requester",
    path: () => `/sessions/${world.sessions.proposed}`,
    intent: "confirm",
    fields: [{ name: "time", type: { kind: "instant" }, extra: [{ payload: "a time not offered", change: { values: [String(world.proposedTime + 30 * 60_000)] } }] }],
    valid: () => [["time", String(world.proposedTime)]],
  },
  {
    route: "sessions.$sessionId.tsx",
    form: "session: keep the time",
    as: "requester",
    path: () => `/sessions/${world.sessions.reschedule}`,
    intent: "keepTime",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "sessions.$sessionId.tsx",
    form: "session: join details",
    as: "coach",
    path: () => `/sessions/${world.sessions.confirmed}`,
    intent: "joinDetails",
    fields: [{ name: "joinDetails", type: text(300) }],
    valid: () => [["joinDetails", stored.joinDetails]],
  },
  {
    route: "sessions.$sessionId.tsx",
    form: "session: cancel",
    as: "coach",
    path: () => `/sessions/${world.sessions.cancel}`,
    intent: "cancel",
    fields: [{ name: "reason", type: text(500) }],
    valid: () => [["reason", stored.cancelReason]],
  },
  {
    route: "sessions.$sessionId.tsx",
    form: "session: feedback",
    as: "requester",
    path: () => `/sessions/${world.sessions.past}`,
    intent: "feedback",
    fields: [
      { name: "held", type: choice() },
      { name: "rating", type: choice(false) },
      { name: "comment", type: text(300, false) },
    ],
    valid: () => [["held", "yes"], ["rating", "4"], ["comment", stored.feedbackComment]],
  },
  {
    route: "notifications.tsx",
    form: "notifications: mark read",
    as: "requester",
    path: () => "/notifications",
    fields: [],
    valid: () => [],
  },
  {
    route: "settings.tsx",
    form: "settings: profile",
    as: "coach",
    path: () => "/settings",
    intent: "profile",
    fields: [
      { name: "name", type: text(100) },
      { name: "locale", type: choice() },
      { name: "timeZone", type: { kind: "timeZone" } },
      { name: "humhubUsername", type: text(50, false), extra: ["<script>", "a b", "' OR 1=1 --"].map((value) => ({ payload: `not a user name: ${value}`, change: { values: [value] } })) },
      { name: "roles", type: checkboxes(false) },
    ],
    valid: () => [["name", stored.profileName], ["locale", "de"], ["timeZone", "Europe/Berlin"], ["humhubUsername", ""], ["roles", "coach"]],
  },
  {
    route: "settings.tsx",
    form: "settings: password",
    as: "loginUser",
    path: () => "/settings",
    intent: "password",
    fields: [
      { name: "currentPassword", type: { kind: "secret", max: 200 } },
      { name: "newPassword", type: { kind: "secret", max: 200 }, extra: [{ payload: "too short", change: { values: ["kurz"] } }] },
      { name: "newPasswordConfirm", type: { kind: "secret", max: 200 } },
    ],
    valid: () => [["currentPassword", password], ["newPassword", "ein neues Passwort 2027"], ["newPasswordConfirm", "ein neues Passwort 2027"]],
    skipValid: "changing the password would end the other sessions of the person the log-in form is tried with",
  },
  {
    route: "settings.tsx",
    form: "settings: calendar feed",
    as: "otherCoach",
    path: () => "/settings",
    intent: "createFeed",
    messages: "form",
    fields: [],
    valid: () => [],
    validAnswer: "page",
  },
  {
    route: "settings.tsx",
    form: "settings: revoke calendar feed",
    as: "otherCoach",
    path: () => "/settings",
    intent: "revokeFeed",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "team.topics._index.tsx",
    form: "team: new topic",
    as: "team",
    path: () => "/team/topics",
    fields: [
      { name: "labelDe", type: text(60), extra: [{ payload: "a label taken", change: { values: ["Barrierefreiheit"] } }] },
      { name: "labelEn", type: text(60) },
      { name: "descriptionDe", type: text(200) },
      { name: "descriptionEn", type: text(200) },
    ],
    valid: () => [["labelDe", stored.newTopicLabel], ["labelEn", `New ${run}`], ["descriptionDe", stored.topicDescription], ["descriptionEn", stored.topicDescription]],
  },
  {
    route: "team.topics.$topicId.tsx",
    form: "team: rename topic",
    as: "team",
    path: () => `/team/topics/${world.topicId}`,
    intent: "rename",
    fields: [
      { name: "labelDe", type: text(60), extra: [{ payload: "a label taken", change: { values: ["Barrierefreiheit"] } }] },
      { name: "labelEn", type: text(60) },
      { name: "descriptionDe", type: text(200) },
      { name: "descriptionEn", type: text(200) },
    ],
    valid: () => [["labelDe", stored.topicLabelDe], ["labelEn", stored.topicLabelEn], ["descriptionDe", stored.topicDescription], ["descriptionEn", stored.topicDescription]],
  },
  {
    route: "team.topics.$topicId.tsx",
    form: "team: retire topic",
    as: "team",
    path: () => `/team/topics/${world.topicId}`,
    intent: "retire",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "team.topics.$topicId.tsx",
    form: "team: reactivate topic",
    as: "team",
    path: () => `/team/topics/${world.topicId}`,
    intent: "reactivate",
    messages: "form",
    fields: [],
    valid: () => [],
  },
  {
    route: "team.members.tsx",
    form: "team: grant and revoke the team role",
    as: "team",
    path: () => "/team/members",
    messages: "form",
    fields: [
      { name: "intent", type: choice() },
      { name: "userId", type: reference() },
    ],
    harmless: [{ payload: "grant the team role to a team member", fields: () => [["intent", "grant"], ["userId", world.people.team.id]] }],
    valid: () => [["intent", "grant"], ["userId", world.people.leaver.id]],
  },
  {
    route: "team.desk.tsx",
    form: "team: approve several",
    as: "team",
    path: () => "/team/desk",
    intent: "bulkApprove",
    messages: "form",
    fields: [
      {
        name: "matchIds",
        extra: [
          ...hostileVariants(reference()).filter((variant) => ["missing", "empty", "1 MB"].includes(variant.payload)),
          { payload: "201 ids", change: { values: Array.from({ length: 201 }, (_, index) => `id-${index}`) } },
        ],
      },
    ],
    // Any other text is an id that names no match waiting for review: nothing is approved, and the desk says so.
    harmless: [
      ...hostileVariants(reference(() => [world.matches.close, world.matches.other]))
        .filter((variant) => "values" in variant.change && !["missing", "empty", "1 MB"].includes(variant.payload))
        .map((variant) => ({ payload: variant.payload, fields: () => applyChange([["intent", "bulkApprove"], ["matchIds", ""]], "matchIds", variant.change), unchanged: true })),
    ],
    valid: () => [["matchIds", world.matches.bulk]],
  },
  {
    route: "team.humhub.tsx",
    form: "team: HumHub space",
    as: "team",
    path: () => "/team/humhub",
    intent: "space",
    fields: [
      { name: "spaceContainerId", type: { kind: "integer", min: 1, max: 999_999_999_999 } },
      { name: "visibility", type: choice() },
      { name: "language", type: choice() },
    ],
    valid: () => [["spaceContainerId", "1"], ["visibility", "0"], ["language", "de"]],
    skipValid: "the shared server has no HumHub connection, so even a valid space is refused",
  },
  ...(["test", "resolveNames"] as const).map(
    (intent): FormCase => ({
      route: "team.humhub.tsx",
      form: `team: HumHub ${intent}`,
      as: "team",
      path: () => "/team/humhub",
      intent,
      messages: "form",
      fields: [],
      valid: () => [],
      skipValid: "the shared server has no HumHub connection",
    }),
  ),
  ...(["retry", "skip"] as const).map(
    (intent): FormCase => ({
      route: "team.humhub.tsx",
      form: `team: HumHub ${intent}`,
      as: "team",
      path: () => "/team/humhub",
      intent,
      messages: "form",
      fields: [{ name: "ids", type: { kind: "integer", min: 1, max: Number.MAX_SAFE_INTEGER }, extra: [{ payload: "501 ids", change: { values: Array.from({ length: 501 }, (_, index) => String(index + 1)) } }] }],
      // No delivery failed on the shared server: an unknown id is answered "nothing to do".
      harmless: [{ payload: "an unknown delivery", fields: () => [["intent", intent], ["ids", "987654321"]], unchanged: true }],
      valid: () => [["ids", "1"]],
      skipValid: "no delivery has failed on the shared server",
    }),
  ),
  {
    route: "team.matching._index.tsx",
    form: "team: start a batch run",
    as: "team",
    path: () => "/team/matching",
    fields: [{ name: "mode", type: choice() }],
    valid: () => [["mode", "score"]],
    skipValid: "a run scores every request of the shared database in a worker; the hostile modes are what matters here",
  },
  {
    route: "team.matching.runs.$runId.tsx",
    form: "team: send a run's proposals",
    as: "team",
    path: () => `/team/matching/runs/${world.runId}`,
    intent: "sendAll",
    messages: "form",
    fields: [],
    valid: () => [],
    skipValid: "sending would propose a coach for every open request of the shared database",
  },
  ...(["preview", "save"] as const).map(
    (intent): FormCase => ({
      route: "team.matching.weights.tsx",
      form: `team: weights ${intent}`,
      as: "team",
      path: () => "/team/matching/weights",
      intent,
      // Both intents read the same schema: its fields are fed once, through the preview.
      fields:
        intent === "preview"
          ? [...softCriteria.map((criterion) => ({ name: criterion, type: { kind: "integer", min: 0, max: 100 } as FieldKind })), { name: "previewRequestId", type: text(64, false) }]
          : [],
      valid: () => [...softCriterionFields(), ["previewRequestId", world.requests.edit]],
      ...(intent === "save" ? { skipValid: "the weights are shared by every test file; the preview is the valid submission" } : { validAnswer: "page" as const }),
    }),
  ),
  {
    route: "team.settings.tsx",
    form: "team: imprint",
    as: "team",
    path: () => "/team/settings",
    intent: "imprint",
    fields: [{ name: "imprintText", type: text(5000, false) }],
    valid: () => [["imprintText", stored.imprint]],
  },
  {
    route: "team.settings.tsx",
    form: "team: match settings",
    as: "team",
    path: () => "/team/settings",
    intent: "matches",
    fields: [
      { name: "responseDays", type: { kind: "integer", min: 1, max: 60 } },
      { name: "waitingFlagDays", type: { kind: "integer", min: 1, max: 365 } },
    ],
    valid: () => {
      const settings = getMatchSettings();
      return [["reviewRequesterProposals", settings.reviewRequesterProposals ? "yes" : ""], ["responseDays", String(settings.responseDays)], ["waitingFlagDays", String(settings.waitingFlagDays)]];
    },
    skipValid: "the match settings are shared by every test file; the refusals are what matters here",
  },
  {
    route: "team.settings.tsx",
    form: "team: scheduling settings",
    as: "team",
    path: () => "/team/settings",
    intent: "scheduling",
    fields: [
      { name: "bufferMinutes", type: { kind: "integer", min: 0, max: 240 } },
      { name: "noticeHours", type: { kind: "integer", min: 0, max: 336 } },
    ],
    valid: () => {
      const settings = getSchedulingSettings();
      return [["bufferMinutes", String(settings.bufferMinutes)], ["noticeHours", String(settings.noticeHours)]];
    },
    skipValid: "the scheduling settings are shared by every test file; the refusals are what matters here",
  },
  {
    route: "team.settings.tsx",
    form: "team: retention",
    as: "team",
    path: () => "/team/settings",
    intent: "retention",
    fields: [{ name: "retentionMonths", type: { kind: "integer", min: 1, max: 120 } }],
    valid: () => [["retentionMonths", String(getPrivacySettings().retentionMonths)]],
    skipValid: "the retention period is shared by every test file; the refusals are what matters here",
  },
  {
    route: "language.tsx",
    form: "language switch",
    as: "anonymous",
    path: () => "/language",
    fields: [{ name: "locale", type: choice() }],
    harmless: redirectTargets.map((target) => ({
      payload: `redirect to ${typeof target === "string" ? JSON.stringify(target) : target.raw}`,
      fields: () => [["locale", "de"], ["redirectTo", target]],
      check: onlyLocalRedirect,
    })),
    valid: () => [["locale", "de"], ["redirectTo", "/imprint"]],
  },
  {
    route: "signup.tsx",
    form: "sign-up",
    as: "anonymous",
    path: () => "/signup",
    fields: [
      { name: "name", type: text(100) },
      { name: "email", type: { kind: "email" }, extra: [{ payload: "an address taken", change: { values: [world.people.requester.email] } }] },
      { name: "password", type: { kind: "secret", max: 200 }, extra: [{ payload: "too short", change: { values: ["kurz"] } }] },
      { name: "locale", type: choice() },
      { name: "timeZone", type: { kind: "timeZone" } },
      { name: "roles", type: checkboxes(), extra: [{ payload: "the team role", change: { values: ["team"] } }] },
      { name: "consent", type: { kind: "tick", required: true } },
    ],
    valid: () => [["name", stored.signupName], ["email", `signup-${run}@bad-input.example`], ["password", password], ["locale", "de"], ["timeZone", "Europe/Berlin"], ["roles", "requester"], ["consent", "yes"]],
  },
  {
    route: "login.tsx",
    form: "log-in",
    as: "anonymous",
    path: () => "/login",
    fields: [
      { name: "email", type: { kind: "email" } },
      { name: "password", type: { kind: "secret", max: 200 } },
    ],
    harmless: redirectTargets.map((target) => ({
      payload: `redirect to ${typeof target === "string" ? JSON.stringify(target) : target.raw}`,
      fields: () => [["email", world.people.loginUser.email], ["password", password], ["redirectTo", target]],
      check: onlyLocalRedirect,
    })),
    valid: () => [["email", world.people.loginUser.email], ["password", password], ["redirectTo", "/organisations"]],
  },
  {
    route: "logout.tsx",
    form: "log-out",
    as: "anonymous",
    path: () => "/logout",
    fields: [],
    valid: () => [],
  },
  {
    route: "account.delete.tsx",
    form: "delete one's account",
    as: "leaver",
    path: () => "/account/delete",
    intent: "delete",
    fields: [
      { name: "currentPassword", type: { kind: "secret", max: 200 } },
      { name: "confirm", type: { kind: "tick", required: true } },
    ],
    valid: () => [["currentPassword", password], ["confirm", "yes"]],
  },
];

type RefusedVariant = { field: string; payload: string; fields: FormField[]; reportedOn?: string[] };

/** The variants of one form that must be refused: each field's, and the intent's. */
function refusedVariants(form: FormCase): RefusedVariant[] {
  const valid = form.valid();
  const withIntent = (fields: FormField[]): FormField[] => (form.intent ? [["intent", form.intent], ...fields] : fields);
  const fieldVariants = form.fields.flatMap((spec) => {
    const context = spec.context ?? [];
    const base = [...valid.filter(([name]) => !context.some(([changed]) => changed === name)), ...context];
    return [...(spec.type ? hostileVariants(spec.type) : []), ...(spec.extra ?? [])].map((variant) => ({
      field: spec.name,
      payload: variant.payload,
      fields: withIntent(applyChange(base, spec.name, variant.change)),
      reportedOn: spec.reportedOn,
    }));
  });
  const intentVariants = form.intent
    ? [
        ...(form.intentOptional ? [] : [{ payload: "missing", value: null }]),
        { payload: "unknown", value: "nope" },
        { payload: "script", value: "<script>window.__xss=1</script>" },
        { payload: "NUL after the intent", value: `${form.intent}\u0000` },
        { payload: "1 MB", value: oneMegabyte },
      ].map(({ payload, value }) => ({ field: "intent", payload, fields: value === null ? valid : ([["intent", value], ...valid] as FormField[]) }))
    : [];
  return [...fieldVariants, ...intentVariants];
}

function requestIdWithGoal(goal: string) {
  return getDb().select({ id: coachingRequests.id }).from(coachingRequests).where(eq(coachingRequests.goal, goal)).get()?.id;
}

// ---------------------------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------------------------

const borrowedPath = process.env.DATABASE_PATH;
let imprintBefore: string | null = null;

/** Browser test files share one process; `getDb` keeps its connection on it. */
function closeProcessDatabase() {
  const processDb = globalThis as { tandemDb?: TandemDatabase };
  processDb.tandemDb?.$client.close();
  delete processDb.tandemDb;
}

beforeAll(async () => {
  closeProcessDatabase();
  process.env.DATABASE_PATH = inject("databasePath");
  world = await buildWorld();
  imprintBefore = getSetting("imprint_text");
});

afterAll(() => {
  if (world) {
    // Later test files share this server: they must not find this file's topic offered or its markup as the imprint.
    setTopicRetired(world.people.team.id, world.topicId, true);
    setSetting("imprint_text", imprintBefore ?? "");
  }
  closeProcessDatabase();
  if (borrowedPath === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = borrowedPath;
});

describe("bad input", () => {
  it("has a form entry for every route module with an action", () => {
    const withAction = fs
      .readdirSync(routesFolder)
      .filter((file) => /export (async )?function action\b|export const action\b/.test(fs.readFileSync(path.join(routesFolder, file), "utf8")));
    const covered = new Set(formCases().map((form) => form.route));
    expect(withAction.filter((file) => !covered.has(file))).toEqual([]);
    expect([...covered].filter((file) => !withAction.includes(file))).toEqual([]);
  });

  it("answers bodies that are not forms with a clear 4xx and stores nothing", async () => {
    const problems: string[] = [];
    const bodies = [
      { payload: "broken percent-encoding", content: "%zz=%%&=&intent=%E0%A4%A&&==", type: "application/x-www-form-urlencoded" },
      { payload: "JSON", content: JSON.stringify({ intent: "save", name: "x" }), type: "application/json" },
      { payload: "plain text", content: "intent=save", type: "text/plain" },
      { payload: "multipart with a broken body", content: "garbage", type: "multipart/form-data; boundary=tandem" },
      { payload: "multipart without a boundary", content: "garbage", type: "multipart/form-data" },
      { payload: "no content type", content: "intent=save", type: null },
      { payload: "4 MB", content: `huge=${"x".repeat(4 * 1024 * 1024)}`, type: "application/x-www-form-urlencoded" },
    ];
    // One target per route module, as the person who may use it.
    const targets = [...new Map(formCases().map((form) => [form.route, form])).values()];
    // Logging out and marking notifications read need nothing from the body: they go ahead without reading it, so
    // they are only asked not to fail (and spared 4 MB, which a server answering before reading may refuse to take).
    const readsNoBody = (form: FormCase) => form.fields.length === 0 && !form.intent;
    const post = (form: FormCase, body: (typeof bodies)[number]) => send("POST", form.path(), form.as, { content: body.content, type: body.type });
    const before = databaseFingerprint();
    await inBatches(
      targets.filter((form) => !readsNoBody(form)).flatMap((form) => bodies.map((body) => ({ form, body }))),
      async ({ form, body }) => {
        const problem = refusalProblem(await post(form, body), "form", []);
        if (problem) problems.push(`POST ${form.path()} as ${form.as} with ${body.payload}: ${problem}`);
      },
    );
    const changed = changedTables(before, databaseFingerprint());
    await inBatches(
      targets.filter(readsNoBody).flatMap((form) => bodies.filter((body) => body.payload !== "4 MB").map((body) => ({ form, body }))),
      async ({ form, body }) => {
        const answer = await post(form, body);
        if (answer.status >= 500) problems.push(`POST ${form.path()} as ${form.as} with ${body.payload}: status ${answer.status}`);
      },
    );
    expect(problems).toEqual([]);
    expect(changed).toEqual([]);
  }, 120_000);

  it("answers hostile route parameters and query strings without 5xx, refusing unknown and foreign ids", async () => {
    const problems: string[] = [];
    const routes: { route: string; as: Persona; path: (segment: string) => string; others: () => string[]; post?: () => FormField[] }[] = [
      { route: "requests.$requestId._index.tsx", as: "requester", path: (id) => `/requests/${id}`, others: () => [world.requests.other], post: () => [["intent", "extend"]] },
      { route: "requests.$requestId.edit.tsx", as: "requester", path: (id) => `/requests/${id}/edit`, others: () => [world.requests.other], post: () => [["intent", "save"], ...requestFields("Ziel")] },
      { route: "requests.$requestId.suggestions.tsx", as: "requester", path: (id) => `/requests/${id}/suggestions`, others: () => [world.requests.other], post: () => [["intent", "ask"], ["offerId", world.coachOfferId]] },
      { route: "matches.$matchId.tsx", as: "coach", path: (id) => `/matches/${id}`, others: () => [world.matches.other], post: () => [["intent", "close"]] },
      { route: "matches.$matchId_.sessions.new.tsx", as: "coach", path: (id) => `/matches/${id}/sessions/new`, others: () => [world.matches.other], post: () => [["intent", "propose"], ["times", "1"], ["format", "video"], ["joinDetails", "Telefon"]] },
      { route: "sessions.$sessionId.tsx", as: "otherRequester", path: (id) => `/sessions/${id}`, others: () => [world.sessions.confirmed, world.sessions.past], post: () => [["intent", "cancel"], ["reason", "Keine Zeit mehr"]] },
      { route: "sessions.$sessionId.calendar[.]ics.tsx", as: "otherRequester", path: (id) => `/sessions/${id}/calendar.ics`, others: () => [world.sessions.confirmed] },
      { route: "organisations.$organisationId.tsx", as: "requester", path: (id) => `/organisations/${id}`, others: () => [world.otherRequesterOrganisationId, world.coachOrganisationId], post: () => [["intent", "invite"], ["email", "x@bad-input.example"]] },
      { route: "team.topics.$topicId.tsx", as: "team", path: (id) => `/team/topics/${id}`, others: () => [], post: () => [["intent", "retire"]] },
      { route: "team.matching.runs.$runId.tsx", as: "team", path: (id) => `/team/matching/runs/${id}`, others: () => [], post: () => [["intent", "sendAll"]] },
      { route: "calendar.$token.sessions[.]ics.tsx", as: "anonymous", path: (token) => `/calendar/${token}/sessions.ics`, others: () => [world.feedToken.replace(/.$/, (last) => (last === "A" ? "B" : "A"))] },
    ];
    const parameterised = fs.readdirSync(routesFolder).filter((file) => file.includes("$"));
    expect(parameterised.filter((file) => !routes.some((route) => route.route === file))).toEqual([]);

    const requests = routes.flatMap((route) =>
      hostileParameters(route.others()).flatMap(({ payload, segment }) => [
        { label: `GET ${route.route} with ${payload}`, method: "GET" as const, target: route.path(segment), as: route.as, fields: null },
        ...(route.post ? [{ label: `POST ${route.route} with ${payload}`, method: "POST" as const, target: route.path(segment), as: route.as, fields: route.post() }] : []),
      ]),
    );
    const query = (name: string) => hostileParameters().map(({ payload, segment }) => ({ payload: `${name} = ${payload}`, value: segment }));
    const queries = [
      ...["topic", "language", "format", "region", "access", "page"].flatMap((name) => query(name).map((entry) => ({ ...entry, target: `/coaches?${name}=${entry.value}`, as: "requester" as Persona }))),
      ...["topic", "page"].flatMap((name) => query(name).map((entry) => ({ ...entry, target: `/team/desk?${name}=${entry.value}`, as: "team" as Persona }))),
      ...query("page").map((entry) => ({ ...entry, target: `/team/matching?page=${entry.value}`, as: "team" as Persona })),
      ...[...query("q"), { payload: "q = LIKE wildcards", value: "%25_%25" }].map((entry) => ({ ...entry, target: `/team/members?q=${entry.value}`, as: "team" as Persona })),
      ...query("period").map((entry) => ({ ...entry, target: `/team/reports?period=${entry.value}`, as: "team" as Persona })),
      ...query("redirectTo").map((entry) => ({ ...entry, target: `/login?redirectTo=${entry.value}`, as: "anonymous" as Persona })),
      ...query("session").map((entry) => ({ ...entry, target: `/matches/${world.matches.schedule}/sessions/new?session=${entry.value}`, as: "coach" as Persona })),
    ];
    const before = databaseFingerprint();
    await inBatches(requests, async (request) => {
      const answer = await sendAddress(request.target, request.as, request.fields);
      const problem = answer === "too long" ? null : refusalProblem(answer, "form", []);
      if (problem) problems.push(`${request.label}: ${problem}`);
    });
    await inBatches(queries, async (entry) => {
      const answer = await sendAddress(entry.target, entry.as, null);
      if (answer === "too long") return;
      // A filter the page does not know falls back to "all"; the session of a reschedule must exist.
      const problem = answer.status >= 500 || (entry.target.includes("?session=") && answer.status < 400) ? `status ${answer.status}` : null;
      if (problem) problems.push(`GET ${entry.target.slice(0, 80)} (${entry.payload}): ${problem}`);
    });
    expect(problems).toEqual([]);
    expect(changedTables(before, databaseFingerprint())).toEqual([]);
  }, 120_000);

  it("refuses every hostile field of every form with a clear 4xx, stores nothing, and takes the valid submission", async () => {
    const problems: string[] = [];
    for (const form of formCases()) {
      const label = `${form.form} (POST ${form.path()} as ${form.as})`;
      const variants = refusedVariants(form);
      const before = databaseFingerprint();
      await inBatches(variants, async (variant) => {
        const answer = await postForm(form.path(), form.as, variant.fields);
        const problem = refusalProblem(answer, form.messages ?? "field", variant.field === "intent" ? [] : (variant.reportedOn ?? [variant.field]));
        if (problem) problems.push(`${label}, ${variant.field} = ${variant.payload}: ${problem}`);
      });
      const changed = changedTables(before, databaseFingerprint());
      if (changed.length > 0) problems.push(`${label}: refused submissions changed ${changed.join(", ")}`);

      for (const harmless of form.harmless ?? []) {
        const before = harmless.unchanged ? databaseFingerprint() : null;
        const answer = await postForm(form.path(), form.as, harmless.fields());
        const problem = answer.status >= 500 ? `status ${answer.status}` : (harmless.check?.(answer) ?? null);
        if (problem) problems.push(`${label}, ${harmless.payload}: ${problem}`);
        const changed = before ? changedTables(before, databaseFingerprint()) : [];
        if (changed.length > 0) problems.push(`${label}, ${harmless.payload}: changed ${changed.join(", ")}`);
      }

      if (!form.skipValid) {
        const fields: FormField[] = [...(form.intent ? [["intent", form.intent] as const] : []), ...form.valid(), ...unknownFields];
        const answer = await postForm(form.path(), form.as, fields);
        const expected = form.validAnswer === "page" ? answer.status === 200 : answer.status === 302 || answer.status === 303;
        if (!expected) {
          const { fieldErrors, alerts } = answer.contentType.startsWith("text/html") ? shownMessages(answer.body) : { fieldErrors: [], alerts: [answer.body.slice(0, 200)] };
          problems.push(`${label}, valid submission: status ${answer.status} ${JSON.stringify([...fieldErrors, ...alerts])}`);
        } else form.afterValid?.(answer);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it("shows every stored payload as text in Chromium, to everyone who sees it, without running it", async () => {
    const created = {
      newRequest: requestIdWithGoal(stored.newGoal),
      proposedSession: getDb().select({ id: coachingSessions.id }).from(coachingSessions).where(eq(coachingSessions.matchId, world.matches.schedule)).get()?.id,
    };
    expect(created.newRequest, "the valid new request was stored").toBeDefined();
    expect(created.proposedSession, "the valid proposal was stored").toBeDefined();
    expect(world.created.coachOrganisationId, "the valid new organisation was stored").toBeDefined();
    const visits: { as: Persona; path: string; shows: (keyof typeof stored)[] }[] = [
      { as: "coach", path: "/offer", shows: ["bio", "topicNote", "organisationName", "topicLabelDe"] },
      { as: "coach", path: "/offer/edit", shows: ["bio", "topicNote", "organisationName", "topicLabelDe"] },
      { as: "coach", path: "/organisations", shows: ["organisationName"] },
      { as: "coach", path: `/organisations/${world.created.coachOrganisationId}`, shows: ["organisationName", "organisationWebsite", "profileName"] },
      { as: "coach", path: "/settings", shows: ["profileName"] },
      { as: "coach", path: "/dashboard", shows: [] },
      { as: "coach", path: "/matches", shows: [] },
      { as: "coach", path: `/matches/${world.matches.decline}`, shows: ["declineNote"] },
      { as: "coach", path: `/sessions/${world.sessions.confirmed}`, shows: ["joinDetails"] },
      { as: "coach", path: `/sessions/${world.sessions.cancel}`, shows: ["cancelReason"] },
      { as: "coach", path: `/sessions/${created.proposedSession}`, shows: ["proposeJoinDetails"] },
      { as: "requester", path: "/coaches", shows: ["bio", "topicNote", "organisationName", "topicLabelDe"] },
      { as: "requester", path: `/requests/${world.requests.edit}`, shows: ["goal"] },
      { as: "requester", path: `/requests/${world.requests.edit}/edit`, shows: ["goal"] },
      { as: "requester", path: `/requests/${created.newRequest}`, shows: ["newGoal"] },
      { as: "requester", path: "/requests", shows: [] },
      { as: "requester", path: `/requests/${world.requests.edit}/suggestions`, shows: ["organisationName"] },
      { as: "requester", path: `/matches/${world.matches.sessions}`, shows: ["organisationName"] },
      { as: "requester", path: `/matches/${world.matches.decline}`, shows: ["declineNote"] },
      { as: "requester", path: `/sessions/${world.sessions.confirmed}`, shows: ["joinDetails", "profileName"] },
      { as: "requester", path: `/sessions/${world.sessions.cancel}`, shows: ["cancelReason"] },
      { as: "requester", path: `/sessions/${world.sessions.move}`, shows: ["rescheduleReason"] },
      { as: "requester", path: `/sessions/${world.sessions.past}`, shows: ["feedbackComment"] },
      { as: "requester", path: "/notifications", shows: [] },
      { as: "team", path: "/team/desk", shows: [] },
      { as: "team", path: "/team/reports", shows: ["organisationName", "topicLabelDe"] },
      { as: "team", path: "/team/topics", shows: ["newTopicLabel", "topicLabelDe", "topicDescription"] },
      { as: "team", path: `/team/topics/${world.topicId}`, shows: ["topicLabelDe", "topicLabelEn", "topicDescription"] },
      { as: "team", path: `/team/members?q=${encodeURIComponent("#signup-name")}`, shows: ["signupName"] },
      { as: "team", path: `/matches/${world.matches.reject}`, shows: ["rejectReason"] },
      { as: "team", path: `/matches/${world.matches.override}`, shows: ["overrideReason"] },
      { as: "team", path: `/matches/${world.matches.decline}`, shows: ["declineNote", "profileName"] },
      { as: "team", path: `/sessions/${world.sessions.past}`, shows: ["feedbackComment"] },
      { as: "team", path: `/requests/${world.requests.edit}/suggestions`, shows: ["profileName"] },
      { as: "anonymous", path: "/imprint", shows: ["imprint"] },
    ];
    const problems: string[] = [];
    for (const persona of [...new Set(visits.map((visit) => visit.as))]) {
      const { context, page } = await openPage(browser());
      const cookie = cookieOf(persona);
      if (cookie) {
        const [name, value] = cookie.split("=") as [string, string];
        await context.addCookies([{ name, value, url: baseUrl() }]);
      }
      const blocked: string[] = [];
      page.on("dialog", (dialog) => {
        blocked.push(`a ${dialog.type()} dialog`);
        void dialog.dismiss();
      });
      page.on("console", (message) => {
        // Markup that reached the page as markup would at least be refused by the content security policy.
        if (/Content Security Policy|inline event handler/i.test(message.text())) blocked.push(message.text());
      });
      for (const visit of visits.filter((entry) => entry.as === persona)) {
        blocked.length = 0;
        const response = await page.goto(visit.path);
        // An image that fails to load fires its error before the load event.
        await page.waitForLoadState("load");
        const seen = await page.evaluate(() => ({
          xss: (window as { __xss?: unknown }).__xss,
          injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], script:not([nonce]):not([src])').length,
          text: [
            document.body.innerText,
            ...[...document.querySelectorAll("input, textarea, select")].map((field) => (field as HTMLInputElement).value),
            ...[...document.querySelectorAll("option, svg text, title")].map((element) => element.textContent ?? ""),
            ...[...document.querySelectorAll("a[href]")].map((link) => link.getAttribute("href") ?? ""),
          ].join("\n"),
        }));
        const where = `${visit.path} as ${persona}`;
        if ((response?.status() ?? 0) >= 400) problems.push(`${where}: status ${response?.status()}`);
        if (seen.xss !== undefined) problems.push(`${where}: a payload ran`);
        if (seen.injected > 0) problems.push(`${where}: ${seen.injected} injected elements`);
        problems.push(...blocked.map((entry) => `${where}: ${entry}`));
        const normalised = seen.text.replace(/\s+/g, " ");
        for (const key of visit.shows) {
          const expected = stored[key].split("\r\n")[0]!.replace(/\s+/g, " ");
          if (!normalised.includes(expected)) problems.push(`${where}: ${key} is not shown as typed`);
        }
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it("keeps formulas as text in the CSV export and injected lines inside their field in calendar files", async () => {
    const csv = await send("GET", "/team/reports/matches.csv", "team");
    expect(csv.status).toBe(200);
    const fields = parseCsv(csv.body.replace(/^\uFEFF/, "")).flat();
    for (const formula of formulaTexts) {
      expect(fields, formula).toContain(`'${formula}`);
      expect(fields, formula).not.toContain(formula);
    }
    expect(fields.filter((field) => /^[=+\-@\t\r]/.test(field))).toEqual([]);
    expect(fields).toContain(stored.organisationName);

    for (const [target, persona] of [[`/sessions/${world.sessions.confirmed}/calendar.ics`, "coach"], [`/calendar/${world.feedToken}/sessions.ics`, "anonymous"]] as const) {
      const calendar = await send("GET", target, persona);
      expect(calendar.status, target).toBe(200);
      const lines = calendar.body.replace(/\r\n[ \t]/g, "").split("\r\n");
      expect(lines.filter((line) => line.startsWith("X-INJECTED")), target).toEqual([]);
      expect(lines.some((line) => line.includes("X-INJECTED:1")), `${target} keeps the injected text inside a field`).toBe(true);
    }
  });
});
