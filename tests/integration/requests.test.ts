/**
 * Coaching requests: the model (create, update, withdraw, extend, read) against a real database,
 * and the /requests route modules driven with real Request objects, the way Remix calls them.
 */
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  createRequest,
  extendRequest,
  getOwnRequest,
  listOwnRequests,
  updateRequest,
  withdrawRequest,
} from "~/models/request.server";
import { setTopicRetired } from "~/models/topic.server";
import * as requestDetailRoute from "~/routes/requests.$requestId._index";
import * as requestEditRoute from "~/routes/requests.$requestId.edit";
import * as requestsIndexRoute from "~/routes/requests._index";
import * as requestNewRoute from "~/routes/requests.new";
import type { RequestInput } from "~/schemas/request";
import {
  coachingRequests,
  requestAvailability,
  requestHistory,
  requestLanguages,
  requestTopics,
} from "~db/schema";
import { testPeople } from "../support/people";
import { call, get, post, sessionFor, type Handler } from "../support/route-calls";

const { makeUser, makeOrganisation, makeTopic } = testPeople({
  person: "Request Tester",
  emailPrefix: "request",
  topicLabel: { de: "Anfragethema", en: "Request topic" },
  defaultRoles: ["requester"],
});

function requestInput(organisationId: string, overrides: Partial<RequestInput> = {}): RequestInput {
  return {
    organisationId,
    topics: ["topic-onboarding", "topic-mobile"],
    mainTopic: "topic-mobile",
    goal: "Unsere Mitglieder sollen HumHub auf dem Handy nutzen.",
    urgency: "flexible",
    deadline: null,
    languages: ["de", "en"],
    formats: ["video", "inPerson"],
    inPersonRegion: "DE-BE",
    accessNeeds: ["captions"],
    windows: [
      { weekday: 1, startMinute: 1080, endMinute: 1200 },
      { weekday: 3, startMinute: 570, endMinute: 660 },
    ],
    sessionMinutes: 60,
    ...overrides,
  };
}

function mustCreate(userId: string, input: RequestInput, now?: Date) {
  const result = createRequest(userId, input, now);
  if (!result.ok) throw new Error(`request could not be created: ${JSON.stringify(result.errors)}`);
  return result.requestId;
}

/** Everything stored for one request, in a stable order, for before/after comparisons. */
function storedRequest(requestId: string) {
  const db = getDb();
  const request = db.select().from(coachingRequests).where(eq(coachingRequests.id, requestId)).get();
  if (!request) return null;
  return {
    request,
    topics: db
      .select({ topicId: requestTopics.topicId, isMain: requestTopics.isMain })
      .from(requestTopics)
      .where(eq(requestTopics.requestId, requestId))
      .orderBy(asc(requestTopics.topicId))
      .all(),
    languages: db
      .select({ language: requestLanguages.language })
      .from(requestLanguages)
      .where(eq(requestLanguages.requestId, requestId))
      .orderBy(asc(requestLanguages.language))
      .all()
      .map((row) => row.language),
    windows: db
      .select({ weekday: requestAvailability.weekday, startMinute: requestAvailability.startMinute, endMinute: requestAvailability.endMinute })
      .from(requestAvailability)
      .where(eq(requestAvailability.requestId, requestId))
      .orderBy(asc(requestAvailability.weekday), asc(requestAvailability.startMinute))
      .all(),
    history: history(requestId),
  };
}

function history(requestId: string) {
  return getDb()
    .select({ action: requestHistory.action, actorUserId: requestHistory.actorUserId, changes: requestHistory.changes, at: requestHistory.at })
    .from(requestHistory)
    .where(eq(requestHistory.requestId, requestId))
    .orderBy(asc(requestHistory.id))
    .all();
}

function requestsOf(userId: string) {
  return getDb().select().from(coachingRequests).where(eq(coachingRequests.userId, userId)).all();
}

// ---------------------------------------------------------------------------------------------
// Route plumbing

/** The request form as the browser posts it without JavaScript. */
function requestFields(organisationId: string, overrides: [string, string][] = [], drop: string[] = []): [string, string][] {
  const fields: [string, string][] = [
    ["organisationId", organisationId],
    ["topics", "topic-onboarding"],
    ["topics", "topic-hosting"],
    ["mainTopic", "topic-hosting"],
    ["goal", "Wir wollen HumHub selbst betreiben."],
    ["urgency", "withinMonth"],
    ["deadline", ""],
    ["languages", "de"],
    ["languages", "uk"],
    ["formats", "video"],
    ["formats", "phone"],
    ["inPersonRegion", ""],
    ["accessNeeds", "plainLanguage"],
    ["windows.0.weekday", "2"],
    ["windows.0.start", "18:00"],
    ["windows.0.end", "20:00"],
    ["windows.1.weekday", "6"],
    ["windows.1.start", "10:00"],
    ["windows.1.end", "12:30"],
    ["sessionMinutes", "90"],
  ];
  const replaced = new Set([...overrides.map(([name]) => name), ...drop]);
  return [...fields.filter(([name]) => !replaced.has(name)), ...overrides];
}

const saveFields = (organisationId: string, overrides: [string, string][] = [], drop: string[] = []) =>
  requestFields(organisationId, [["intent", "save"], ...overrides], drop);

async function requesterWithSession(timeZone = "Europe/Berlin") {
  const requester = makeUser(["requester"], timeZone);
  const organisationId = makeOrganisation(requester.id);
  return { requester, organisationId, cookie: await sessionFor(requester.id) };
}

/** A requester with a session and one request created through the "new request" route. */
async function requesterWithRequest(timeZone = "Europe/Berlin") {
  const owner = await requesterWithSession(timeZone);
  const { response } = await call(requestNewRoute.action, post("/requests/new", saveFields(owner.organisationId), owner.cookie));
  expect(response.status).toBe(302);
  const [created] = requestsOf(owner.requester.id);
  if (!created) throw new Error("the request was not created");
  return { ...owner, requestId: created.id };
}

const detailPath = (requestId: string) => `/requests/${requestId}`;
const editPath = (requestId: string) => `/requests/${requestId}/edit`;

// ---------------------------------------------------------------------------------------------
// A fixed calendar: 05:00 UTC on 16 January 2026 is still the 15th in Los Angeles (21:00) but
// already the 16th in Berlin (06:00), so the expiry date shows whose calendar was used.

const createdAt = new Date("2026-01-16T05:00:00Z");
const losAngeles = "America/Los_Angeles";
const expiryFromCreation = "2026-03-16"; // 2026-01-15 + 60 days; Berlin's calendar would give 2026-03-17

describe("createRequest", () => {
  it("stores the request, its topics with one main topic, languages, windows and a 'created' entry", () => {
    const requester = makeUser(["requester"], losAngeles);
    const organisationId = makeOrganisation(requester.id);

    const result = createRequest(requester.id, requestInput(organisationId), createdAt);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = storedRequest(result.requestId)!;
    expect(stored.request).toMatchObject({
      id: result.requestId,
      userId: requester.id,
      organisationId,
      goal: "Unsere Mitglieder sollen HumHub auf dem Handy nutzen.",
      urgency: "flexible",
      deadline: null,
      formats: ["video", "inPerson"],
      inPersonRegion: "DE-BE",
      accessNeeds: ["captions"],
      sessionMinutes: 60,
      timeZone: losAngeles,
      status: "open",
      expiresOn: expiryFromCreation,
      wishedCoachOfferId: null,
      updatedAt: createdAt,
    });
    expect(stored.topics).toEqual([
      { topicId: "topic-mobile", isMain: true },
      { topicId: "topic-onboarding", isMain: false },
    ]);
    expect(stored.topics.filter((topic) => topic.isMain)).toHaveLength(1);
    expect(stored.languages).toEqual(["de", "en"]);
    expect(stored.windows).toEqual([
      { weekday: 1, startMinute: 1080, endMinute: 1200 },
      { weekday: 3, startMinute: 570, endMinute: 660 },
    ]);
    expect(stored.history).toEqual([{ action: "created", actorUserId: requester.id, changes: {}, at: createdAt }]);
  });

  it("counts the lifetime on the requester's calendar, not Berlin's", () => {
    const inBerlin = makeUser(["requester"], "Europe/Berlin");
    const inLosAngeles = makeUser(["requester"], losAngeles);

    const berlinId = mustCreate(inBerlin.id, requestInput(makeOrganisation(inBerlin.id)), createdAt);
    const losAngelesId = mustCreate(inLosAngeles.id, requestInput(makeOrganisation(inLosAngeles.id)), createdAt);

    expect(storedRequest(berlinId)?.request.expiresOn).toBe("2026-03-17");
    expect(storedRequest(losAngelesId)?.request.expiresOn).toBe(expiryFromCreation);
  });

  it("stores a deadline with the urgency 'deadline'", () => {
    const requester = makeUser();
    const requestId = mustCreate(
      requester.id,
      requestInput(makeOrganisation(requester.id), { urgency: "deadline", deadline: "2026-02-28", formats: ["phone"], inPersonRegion: null }),
    );

    expect(storedRequest(requestId)?.request).toMatchObject({ urgency: "deadline", deadline: "2026-02-28", formats: ["phone"], inPersonRegion: null });
  });

  it("refuses another person's organisation and stores nothing", () => {
    const requester = makeUser();
    makeOrganisation(requester.id);
    const stranger = makeUser();
    const strangersOrganisation = makeOrganisation(stranger.id, "Fremder Verein");

    expect(createRequest(requester.id, requestInput(strangersOrganisation))).toEqual({
      ok: false,
      errors: { organisationId: "errors.organisationInvalid" },
    });
    expect(requestsOf(requester.id)).toEqual([]);
  });

  it("refuses an organisation id that does not exist", () => {
    const requester = makeUser();

    expect(createRequest(requester.id, requestInput("no-such-organisation"))).toEqual({
      ok: false,
      errors: { organisationId: "errors.organisationInvalid" },
    });
    expect(requestsOf(requester.id)).toEqual([]);
  });

  it("refuses an unknown topic and stores nothing", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);

    const result = createRequest(
      requester.id,
      requestInput(organisationId, { topics: ["topic-onboarding", "topic-does-not-exist"], mainTopic: "topic-onboarding" }),
    );

    expect(result).toEqual({ ok: false, errors: { topics: "errors.topicUnknown" } });
    expect(requestsOf(requester.id)).toEqual([]);
  });

  it("refuses a retired topic for a new request", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const topicId = makeTopic(requester.id);
    expect(setTopicRetired(requester.id, topicId, true)).toBe(true);

    const result = createRequest(requester.id, requestInput(organisationId, { topics: ["topic-onboarding", topicId], mainTopic: topicId }));

    expect(result).toEqual({ ok: false, errors: { topics: "errors.topicUnknown" } });
    expect(requestsOf(requester.id)).toEqual([]);
  });

  it("keeps a retired topic the request already names when it is edited", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const topicId = makeTopic(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId, { topics: [topicId], mainTopic: topicId }));
    expect(setTopicRetired(requester.id, topicId, true)).toBe(true);

    const result = updateRequest(requester.id, requestId, requestInput(organisationId, { topics: [topicId], mainTopic: topicId, goal: "Neu" }));

    expect(result).toEqual({ ok: true, requestId });
    expect(storedRequest(requestId)?.topics).toEqual([{ topicId, isMain: true }]);
    expect(storedRequest(requestId)?.request.goal).toBe("Neu");
  });
});

describe("updateRequest", () => {
  it("replaces the details and writes one 'edited' entry naming exactly the changed fields", () => {
    const requester = makeUser(["requester"], losAngeles);
    const organisationId = makeOrganisation(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId), createdAt);
    const editedAt = new Date("2026-01-20T09:00:00Z");

    const result = updateRequest(
      requester.id,
      requestId,
      requestInput(organisationId, { goal: "Ein neues Ziel", languages: ["fr", "de"] }),
      editedAt,
    );

    expect(result).toEqual({ ok: true, requestId });
    const stored = storedRequest(requestId)!;
    expect(stored.request).toMatchObject({ goal: "Ein neues Ziel", updatedAt: editedAt, expiresOn: expiryFromCreation, status: "open" });
    expect(stored.languages).toEqual(["de", "fr"]);
    expect(stored.history).toEqual([
      { action: "created", actorUserId: requester.id, changes: {}, at: createdAt },
      {
        action: "edited",
        actorUserId: requester.id,
        changes: {
          goal: { before: "Unsere Mitglieder sollen HumHub auf dem Handy nutzen.", after: "Ein neues Ziel" },
          languages: { before: ["de", "en"], after: ["de", "fr"] },
        },
        at: editedAt,
      },
    ]);
  });

  it("replaces topics, windows and formats without leaving old rows behind", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId));

    updateRequest(
      requester.id,
      requestId,
      requestInput(organisationId, {
        topics: ["topic-hosting"],
        mainTopic: "topic-hosting",
        formats: ["phone"],
        inPersonRegion: null,
        windows: [{ weekday: 7, startMinute: 0, endMinute: 1440 }],
        urgency: "deadline",
        deadline: "2026-12-24",
      }),
    );

    const stored = storedRequest(requestId)!;
    expect(stored.topics).toEqual([{ topicId: "topic-hosting", isMain: true }]);
    expect(stored.windows).toEqual([{ weekday: 7, startMinute: 0, endMinute: 1440 }]);
    expect(stored.request).toMatchObject({ formats: ["phone"], inPersonRegion: null, urgency: "deadline", deadline: "2026-12-24" });
    expect(stored.history.at(-1)).toMatchObject({
      action: "edited",
      changes: {
        topics: { before: ["topic-mobile", "topic-onboarding"], after: ["topic-hosting"] },
        mainTopic: { before: "topic-mobile", after: "topic-hosting" },
        formats: { before: ["video", "inPerson"], after: ["phone"] },
        inPersonRegion: { before: "DE-BE", after: null },
        urgency: { before: "flexible", after: "deadline" },
        deadline: { before: null, after: "2026-12-24" },
        windows: { before: ["1 18:00-20:00", "3 09:30-11:00"], after: ["7 00:00-24:00"] },
      },
    });
    expect(Object.keys(stored.history.at(-1)!.changes).sort()).toEqual(
      ["deadline", "formats", "inPersonRegion", "mainTopic", "topics", "urgency", "windows"].sort(),
    );
  });

  it("records only the main topic when the same topics get another main one", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId));

    updateRequest(requester.id, requestId, requestInput(organisationId, { mainTopic: "topic-onboarding" }));

    expect(storedRequest(requestId)?.topics).toEqual([
      { topicId: "topic-mobile", isMain: false },
      { topicId: "topic-onboarding", isMain: true },
    ]);
    expect(history(requestId).at(-1)?.changes).toEqual({ mainTopic: { before: "topic-mobile", after: "topic-onboarding" } });
  });

  it("writes no history entry when nothing changed", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId));

    const result = updateRequest(requester.id, requestId, requestInput(organisationId, { languages: ["en", "de"] }));

    expect(result).toEqual({ ok: true, requestId });
    expect(history(requestId).map((entry) => entry.action)).toEqual(["created"]);
  });

  it("returns null for a withdrawn request and changes nothing", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId));
    expect(withdrawRequest(requester.id, requestId)).toBe(true);
    const before = storedRequest(requestId);

    expect(updateRequest(requester.id, requestId, requestInput(organisationId, { goal: "Doch noch", languages: ["ar"] }))).toBeNull();
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("returns null for another person's request and changes nothing", () => {
    const owner = makeUser();
    const organisationId = makeOrganisation(owner.id);
    const requestId = mustCreate(owner.id, requestInput(organisationId));
    const before = storedRequest(requestId);
    const intruder = makeUser();
    const intrudersOrganisation = makeOrganisation(intruder.id);

    expect(updateRequest(intruder.id, requestId, requestInput(intrudersOrganisation, { goal: "Übernommen" }))).toBeNull();
    expect(updateRequest(intruder.id, requestId, requestInput(organisationId, { goal: "Übernommen" }))).toBeNull();
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("refuses moving the request to another person's organisation and changes nothing", () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const requestId = mustCreate(requester.id, requestInput(organisationId));
    const before = storedRequest(requestId);
    const strangersOrganisation = makeOrganisation(makeUser().id, "Fremder Verein");

    expect(updateRequest(requester.id, requestId, requestInput(strangersOrganisation, { goal: "Anders" }))).toEqual({
      ok: false,
      errors: { organisationId: "errors.organisationInvalid" },
    });
    expect(storedRequest(requestId)).toEqual(before);
  });
});

describe("withdrawRequest", () => {
  it("withdraws the request with a history entry, then answers false the second time", () => {
    const requester = makeUser();
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)));
    const withdrawnAt = new Date("2026-02-01T10:00:00Z");

    expect(withdrawRequest(requester.id, requestId, withdrawnAt)).toBe(true);

    const stored = storedRequest(requestId)!;
    expect(stored.request).toMatchObject({ status: "withdrawn", updatedAt: withdrawnAt });
    expect(stored.history.at(-1)).toEqual({
      action: "withdrawn",
      actorUserId: requester.id,
      changes: { status: { before: "open", after: "withdrawn" } },
      at: withdrawnAt,
    });

    expect(withdrawRequest(requester.id, requestId)).toBe(false);
    expect(storedRequest(requestId)).toEqual(stored);
  });

  it("answers false for another person's request and leaves it open", () => {
    const owner = makeUser();
    const requestId = mustCreate(owner.id, requestInput(makeOrganisation(owner.id)));
    const before = storedRequest(requestId);

    expect(withdrawRequest(makeUser().id, requestId)).toBe(false);
    expect(storedRequest(requestId)).toEqual(before);
    expect(before?.request.status).toBe("open");
  });
});

describe("extendRequest", () => {
  it("gives a request near its expiry a full lifetime from today, with an 'extended' entry", () => {
    const requester = makeUser(["requester"], losAngeles);
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);
    // 50 days later: still 2026-03-06 in Los Angeles.
    const extendedAt = new Date("2026-03-07T05:00:00Z");

    expect(extendRequest(requester.id, requestId, extendedAt)).toBe("2026-05-05");

    const stored = storedRequest(requestId)!;
    expect(stored.request).toMatchObject({ expiresOn: "2026-05-05", updatedAt: extendedAt, status: "open" });
    expect(stored.history.at(-1)).toEqual({
      action: "extended",
      actorUserId: requester.id,
      changes: { expiresOn: { before: expiryFromCreation, after: "2026-05-05" } },
      at: extendedAt,
    });
  });

  it("extends a request created 50 days ago to today + 60 days", () => {
    const requester = makeUser();
    const now = new Date();
    const fiftyDaysAgo = new Date(now.getTime() - 50 * 24 * 60 * 60 * 1000);
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), fiftyDaysAgo);
    const berlinToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
    const [year, month, day] = berlinToday.split("-").map(Number);
    const expected = new Date(Date.UTC(year!, month! - 1, day! + 60)).toISOString().slice(0, 10);

    expect(extendRequest(requester.id, requestId, now)).toBe(expected);
    expect(storedRequest(requestId)?.request.expiresOn).toBe(expected);
    expect(history(requestId).map((entry) => entry.action)).toEqual(["created", "extended"]);
  });

  it("extends an already expired request", () => {
    const requester = makeUser(["requester"], losAngeles);
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);

    expect(extendRequest(requester.id, requestId, new Date("2026-04-01T20:00:00Z"))).toBe("2026-05-31");
    expect(storedRequest(requestId)?.request.expiresOn).toBe("2026-05-31");
  });

  it("changes nothing for a request that still has its full lifetime", () => {
    const requester = makeUser(["requester"], losAngeles);
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);
    const before = storedRequest(requestId);

    expect(extendRequest(requester.id, requestId, createdAt)).toBeNull();
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("returns null for a withdrawn request and for another person's request", () => {
    const requester = makeUser(["requester"], losAngeles);
    const withdrawnId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);
    withdrawRequest(requester.id, withdrawnId);
    const withdrawnBefore = storedRequest(withdrawnId);
    const openId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);
    const openBefore = storedRequest(openId);
    const later = new Date("2026-03-07T05:00:00Z");

    expect(extendRequest(requester.id, withdrawnId, later)).toBeNull();
    expect(extendRequest(makeUser().id, openId, later)).toBeNull();
    expect(storedRequest(withdrawnId)).toEqual(withdrawnBefore);
    expect(storedRequest(openId)).toEqual(openBefore);
  });
});

describe("getOwnRequest", () => {
  it("returns the request with organisation, topics (main first), languages, windows and history", () => {
    const requester = makeUser(["requester"], losAngeles);
    const organisationId = makeOrganisation(requester.id, "Kleingartenverein");
    const requestId = mustCreate(requester.id, requestInput(organisationId), createdAt);

    const own = getOwnRequest(requester.id, requestId, createdAt);

    expect(own).toMatchObject({
      id: requestId,
      goal: "Unsere Mitglieder sollen HumHub auf dem Handy nutzen.",
      organisation: { id: organisationId, name: "Kleingartenverein" },
      shownStatus: "open",
      canExtend: false,
      expiresOn: expiryFromCreation,
      languages: expect.arrayContaining(["de", "en"]),
      windows: [
        { weekday: 1, startMinute: 1080, endMinute: 1200 },
        { weekday: 3, startMinute: 570, endMinute: 660 },
      ],
    });
    expect(own?.topics).toEqual([
      { topicId: "topic-mobile", isMain: true, labelDe: "Mobile Nutzung", labelEn: "Mobile use" },
      { topicId: "topic-onboarding", isMain: false, labelDe: "Einstieg in HumHub", labelEn: "Getting started with HumHub" },
    ]);
    expect(own?.history).toEqual([{ id: expect.any(Number), action: "created", changes: {}, at: createdAt, actorName: expect.stringMatching(/^Request Tester/) }]);
  });

  it("returns null for another person's request id and for an unknown id", () => {
    const owner = makeUser();
    const requestId = mustCreate(owner.id, requestInput(makeOrganisation(owner.id)));

    expect(getOwnRequest(makeUser().id, requestId)).toBeNull();
    expect(getOwnRequest(owner.id, "no-such-request")).toBeNull();
    expect(getOwnRequest(owner.id, requestId)?.id).toBe(requestId);
  });

  it("shows an open request as expired once its expiry date has passed on the requester's calendar", () => {
    const requester = makeUser(["requester"], losAngeles);
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);

    // 2026-03-17T06:00Z is still 2026-03-16, the expiry day, in Los Angeles (and already the 17th in Berlin).
    const lastDay = getOwnRequest(requester.id, requestId, new Date("2026-03-17T06:00:00Z"));
    const dayAfter = getOwnRequest(requester.id, requestId, new Date("2026-03-17T09:00:00Z"));

    expect(lastDay).toMatchObject({ status: "open", shownStatus: "open" });
    expect(dayAfter).toMatchObject({ status: "open", shownStatus: "expired", canExtend: true });
  });

  it("offers extending only to open requests that would gain days", () => {
    const requester = makeUser(["requester"], losAngeles);
    const requestId = mustCreate(requester.id, requestInput(makeOrganisation(requester.id)), createdAt);

    expect(getOwnRequest(requester.id, requestId, createdAt)?.canExtend).toBe(false);
    expect(getOwnRequest(requester.id, requestId, new Date("2026-01-17T09:00:00Z"))?.canExtend).toBe(true);
    expect(getOwnRequest(requester.id, requestId, new Date("2026-03-07T05:00:00Z"))?.canExtend).toBe(true);

    withdrawRequest(requester.id, requestId);
    expect(getOwnRequest(requester.id, requestId, new Date("2026-03-07T05:00:00Z"))).toMatchObject({
      shownStatus: "withdrawn",
      canExtend: false,
    });
  });
});

describe("listOwnRequests", () => {
  it("lists only the user's own requests, newest first, with the main topic's labels", async () => {
    const requester = makeUser();
    const organisationId = makeOrganisation(requester.id);
    const other = makeUser();
    mustCreate(other.id, requestInput(makeOrganisation(other.id), { goal: "Fremde Anfrage" }));
    const older = mustCreate(requester.id, requestInput(organisationId, { goal: "Ältere Anfrage" }));
    // created_at is set by the database clock in milliseconds; keep the two apart.
    await new Promise((resolve) => setTimeout(resolve, 15));
    const newer = mustCreate(
      requester.id,
      requestInput(organisationId, { goal: "Neuere Anfrage", topics: ["topic-hosting", "topic-accessibility"], mainTopic: "topic-accessibility" }),
    );

    const list = listOwnRequests(requester.id);

    expect(list).toEqual([
      expect.objectContaining({ id: newer, goal: "Neuere Anfrage", mainTopicDe: "Barrierefreiheit", mainTopicEn: "Accessibility", shownStatus: "open" }),
      expect.objectContaining({ id: older, goal: "Ältere Anfrage", mainTopicDe: "Mobile Nutzung", mainTopicEn: "Mobile use", shownStatus: "open" }),
    ]);
    expect(JSON.stringify(list)).not.toContain("Fremde Anfrage");
  });

  it("shows withdrawn and expired requests with their shown status", () => {
    const requester = makeUser(["requester"], losAngeles);
    const organisationId = makeOrganisation(requester.id);
    const withdrawn = mustCreate(requester.id, requestInput(organisationId), createdAt);
    withdrawRequest(requester.id, withdrawn);
    const expired = mustCreate(requester.id, requestInput(organisationId), createdAt);

    const statuses = Object.fromEntries(
      listOwnRequests(requester.id, new Date("2026-04-01T12:00:00Z")).map((row) => [row.id, row.shownStatus]),
    );

    expect(statuses).toEqual({ [withdrawn]: "withdrawn", [expired]: "expired" });
  });

  it("returns an empty list for a requester without requests", () => {
    expect(listOwnRequests(makeUser().id)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("request routes: access", () => {
  const handlers = [
    ["/requests", "loader", requestsIndexRoute.loader, "GET", false],
    ["/requests/new", "loader", requestNewRoute.loader, "GET", false],
    ["/requests/new", "action", requestNewRoute.action, "POST", false],
    ["/requests/:id", "loader", requestDetailRoute.loader, "GET", true],
    ["/requests/:id", "action", requestDetailRoute.action, "POST", true],
    ["/requests/:id/edit", "loader", requestEditRoute.loader, "GET", true],
    ["/requests/:id/edit", "action", requestEditRoute.action, "POST", true],
  ] as const;

  it.each(handlers)("forbids the %s %s to a coach who is not a requester", async (pattern, _kind, handler, method, withId) => {
    const { requestId } = await requesterWithRequest();
    const before = storedRequest(requestId);
    const coach = makeUser(["coach"]);
    const coachesOrganisation = makeOrganisation(coach.id);
    const cookie = await sessionFor(coach.id);
    const path = pattern.replace(":id", requestId);
    const fields: [string, string][] = pattern === "/requests/:id" ? [["intent", "withdraw"]] : saveFields(coachesOrganisation);
    const request = method === "GET" ? get(path, cookie) : post(path, fields, cookie);

    const { response, thrown } = await call(handler as Handler, request, withId ? { requestId } : {});

    expect(thrown).toBe(true);
    expect(response.status).toBe(403);
    expect(requestsOf(coach.id)).toEqual([]);
    expect(storedRequest(requestId)).toEqual(before);
  });

  it.each(handlers)("sends an anonymous visitor of the %s %s to the login page", async (pattern, _kind, handler, method, withId) => {
    const { requestId } = await requesterWithRequest();
    const before = storedRequest(requestId);
    const path = pattern.replace(":id", requestId);
    const request = method === "GET" ? get(path) : post(path, [["intent", pattern === "/requests/:id" ? "withdraw" : "save"]]);

    const { response, thrown } = await call(handler as Handler, request, withId ? { requestId } : {});

    expect(thrown).toBe(true);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("answers another requester's request id with 404 on the detail page, and withdrawing it leaves it open", async () => {
    const a = await requesterWithRequest();
    const before = storedRequest(a.requestId);
    const b = await requesterWithSession();

    const loaded = await call(requestDetailRoute.loader, get(detailPath(a.requestId), b.cookie), { requestId: a.requestId });
    const withdrawn = await call(requestDetailRoute.action, post(detailPath(a.requestId), [["intent", "withdraw"]], b.cookie), {
      requestId: a.requestId,
    });
    const extended = await call(requestDetailRoute.action, post(detailPath(a.requestId), [["intent", "extend"]], b.cookie), {
      requestId: a.requestId,
    });

    for (const { response, thrown } of [loaded, withdrawn, extended]) {
      expect(thrown).toBe(true);
      expect(response.status).toBe(404);
    }
    expect(storedRequest(a.requestId)).toEqual(before);
    expect(before?.request.status).toBe("open");
  });

  it("answers another requester's request id with 404 on the edit page, and saving it changes nothing", async () => {
    const a = await requesterWithRequest();
    const before = storedRequest(a.requestId);
    const b = await requesterWithSession();

    const loaded = await call(requestEditRoute.loader, get(editPath(a.requestId), b.cookie), { requestId: a.requestId });
    const saved = await call(
      requestEditRoute.action,
      post(editPath(a.requestId), saveFields(b.organisationId, [["goal", "Übernommen von B"]]), b.cookie),
      { requestId: a.requestId },
    );

    for (const { response, thrown } of [loaded, saved]) {
      expect(thrown).toBe(true);
      expect(response.status).toBe(404);
    }
    expect(storedRequest(a.requestId)).toEqual(before);
    expect(requestsOf(b.requester.id)).toEqual([]);
  });

  it("answers an unknown request id with 404", async () => {
    const { cookie } = await requesterWithSession();

    const { response, thrown } = await call(requestDetailRoute.loader, get(detailPath("no-such-request"), cookie), {
      requestId: "no-such-request",
    });

    expect(thrown).toBe(true);
    expect(response.status).toBe(404);
  });
});

describe("/requests and /requests/new", () => {
  it("lists only the requester's own requests", async () => {
    const a = await requesterWithRequest();
    const b = await requesterWithRequest();

    const { response, thrown } = await call(requestsIndexRoute.loader, get("/requests", a.cookie));

    expect(thrown).toBe(false);
    const body = await response.json();
    expect(body.requests.map((row: { id: string }) => row.id)).toEqual([a.requestId]);
    expect(body.requests[0]).toMatchObject({ mainTopicDe: "Hosting und Betrieb", mainTopicEn: "Hosting and operations", shownStatus: "open" });
    expect(JSON.stringify(body)).not.toContain(b.requestId);
  });

  it("starts the new-request form with the requester's organisations and the active topics", async () => {
    const { organisationId, cookie } = await requesterWithSession("Asia/Tokyo");

    const { response, thrown } = await call(requestNewRoute.loader, get("/requests/new", cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.timeZone).toBe("Asia/Tokyo");
    expect(body.organisations).toEqual([{ id: organisationId, name: "Verein Beispiel" }]);
    expect(body.values).toMatchObject({ organisationId, topics: [], mainTopic: "", languages: ["de"], formats: ["video"] });
    expect(body.topics.map((topic: { id: string }) => topic.id)).toEqual(
      expect.arrayContaining(["topic-onboarding", "topic-accessibility", "topic-mobile", "topic-hosting"]),
    );
  });

  it("creates a valid request and redirects to its page", async () => {
    const { requester, organisationId, cookie } = await requesterWithSession("Europe/Lisbon");

    const { response, thrown } = await call(requestNewRoute.action, post("/requests/new", saveFields(organisationId), cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(302);
    const rows = requestsOf(requester.id);
    expect(rows).toHaveLength(1);
    const requestId = rows[0]!.id;
    expect(response.headers.get("Location")).toBe(`/requests/${requestId}`);
    const stored = storedRequest(requestId)!;
    expect(stored.request).toMatchObject({
      organisationId,
      goal: "Wir wollen HumHub selbst betreiben.",
      urgency: "withinMonth",
      deadline: null,
      formats: ["video", "phone"],
      inPersonRegion: null,
      accessNeeds: ["plainLanguage"],
      sessionMinutes: 90,
      timeZone: "Europe/Lisbon",
      status: "open",
    });
    expect(stored.topics).toEqual([
      { topicId: "topic-hosting", isMain: true },
      { topicId: "topic-onboarding", isMain: false },
    ]);
    expect(stored.languages).toEqual(["de", "uk"]);
    expect(stored.windows).toEqual([
      { weekday: 2, startMinute: 1080, endMinute: 1200 },
      { weekday: 6, startMinute: 600, endMinute: 750 },
    ]);
    expect(stored.history.map((entry) => entry.action)).toEqual(["created"]);
  });

  it("answers an invalid request with 400, field errors and the echoed values, and stores nothing", async () => {
    const { requester, organisationId, cookie } = await requesterWithSession();

    const { response, thrown } = await call(
      requestNewRoute.action,
      post("/requests/new", saveFields(organisationId, [["goal", ""], ["mainTopic", "topic-mobile"], ["sessionMinutes", "50"]], ["languages"]), cookie),
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({
      goal: "errors.required",
      mainTopic: "errors.mainTopicNotChosen",
      languages: "errors.languagesRequired",
      sessionMinutes: "errors.choiceInvalid",
    });
    expect(body.values).toMatchObject({ organisationId, topics: ["topic-onboarding", "topic-hosting"], mainTopic: "topic-mobile", languages: [] });
    expect(requestsOf(requester.id)).toEqual([]);
  });

  it("answers another person's organisation with 400 and stores nothing", async () => {
    const { requester, cookie } = await requesterWithSession();
    const strangersOrganisation = makeOrganisation(makeUser().id, "Fremder Verein");

    const { response } = await call(requestNewRoute.action, post("/requests/new", saveFields(strangersOrganisation), cookie));

    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ organisationId: "errors.organisationInvalid" });
    expect(requestsOf(requester.id)).toEqual([]);
  });

  it("adds an empty window row without storing anything", async () => {
    const { requester, organisationId, cookie } = await requesterWithSession();

    const { response, thrown } = await call(
      requestNewRoute.action,
      post("/requests/new", [["intent", "addWindow"], ...requestFields(organisationId)], cookie),
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toEqual({});
    expect(body.values.windows).toEqual([
      { weekday: "2", start: "18:00", end: "20:00" },
      { weekday: "6", start: "10:00", end: "12:30" },
      { weekday: "1", start: "", end: "" },
    ]);
    expect(body.values).toMatchObject({ organisationId, goal: "Wir wollen HumHub selbst betreiben.", mainTopic: "topic-hosting" });
    expect(requestsOf(requester.id)).toEqual([]);
  });
});

describe("/requests/:requestId", () => {
  it("shows the owner their request", async () => {
    const { requestId, organisationId, cookie } = await requesterWithRequest();

    const { response, thrown } = await call(requestDetailRoute.loader, get(detailPath(requestId), cookie), { requestId });

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.request).toMatchObject({
      id: requestId,
      organisation: { id: organisationId, name: "Verein Beispiel" },
      shownStatus: "open",
      canExtend: false,
      goal: "Wir wollen HumHub selbst betreiben.",
    });
    expect(body.request.history.map((entry: { action: string }) => entry.action)).toEqual(["created"]);
  });

  it("withdraws the request and redirects back to it", async () => {
    const { requester, requestId, cookie } = await requesterWithRequest();

    const { response, thrown } = await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", "withdraw"]], cookie), {
      requestId,
    });

    expect(thrown).toBe(false);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(detailPath(requestId));
    const stored = storedRequest(requestId)!;
    expect(stored.request.status).toBe("withdrawn");
    expect(stored.history.at(-1)).toMatchObject({ action: "withdrawn", actorUserId: requester.id });
  });

  it("answers withdrawing twice with 409 and no second history entry", async () => {
    const { requestId, cookie } = await requesterWithRequest();
    await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", "withdraw"]], cookie), { requestId });
    const before = storedRequest(requestId);

    const { response, thrown } = await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", "withdraw"]], cookie), {
      requestId,
    });

    expect(thrown).toBe(false);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ formError: "requests.notEditable" });
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("answers extending a withdrawn request with 409", async () => {
    const { requestId, cookie } = await requesterWithRequest();
    await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", "withdraw"]], cookie), { requestId });
    const before = storedRequest(requestId);

    const { response } = await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", "extend"]], cookie), { requestId });

    expect(response.status).toBe(409);
    expect(storedRequest(requestId)).toEqual(before);
  });

  it.each([["publish"], [""]])("answers the intent %j with 400 and changes nothing", async (intent) => {
    const { requestId, cookie } = await requesterWithRequest();
    const before = storedRequest(requestId);

    const { response, thrown } = await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", intent]], cookie), {
      requestId,
    });

    expect(thrown).toBe(false);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ formError: "errors.unknownIntent" });
    expect(storedRequest(requestId)).toEqual(before);
  });
});

describe("/requests/:requestId/edit", () => {
  it("loads the stored request into the form's shape", async () => {
    const { requestId, organisationId, cookie } = await requesterWithRequest();

    const { response, thrown } = await call(requestEditRoute.loader, get(editPath(requestId), cookie), { requestId });

    expect(thrown).toBe(false);
    const body = await response.json();
    expect(body.editable).toBe(true);
    expect(body.requestId).toBe(requestId);
    expect(body.values).toEqual({
      organisationId,
      topics: expect.arrayContaining(["topic-onboarding", "topic-hosting"]),
      mainTopic: "topic-hosting",
      goal: "Wir wollen HumHub selbst betreiben.",
      urgency: "withinMonth",
      deadline: "",
      languages: expect.arrayContaining(["de", "uk"]),
      formats: ["video", "phone"],
      inPersonRegion: "",
      accessNeeds: ["plainLanguage"],
      windows: [
        { weekday: "2", start: "18:00", end: "20:00" },
        { weekday: "6", start: "10:00", end: "12:30" },
      ],
      sessionMinutes: "90",
    });
  });

  it("saves changes, redirects to the request and records them once", async () => {
    const { requester, requestId, organisationId, cookie } = await requesterWithRequest();

    const { response, thrown } = await call(
      requestEditRoute.action,
      post(editPath(requestId), saveFields(organisationId, [["goal", "Ein anderes Ziel"], ["sessionMinutes", "30"]]), cookie),
      { requestId },
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(detailPath(requestId));
    const stored = storedRequest(requestId)!;
    expect(stored.request).toMatchObject({ goal: "Ein anderes Ziel", sessionMinutes: 30 });
    expect(stored.history.map((entry) => entry.action)).toEqual(["created", "edited"]);
    expect(stored.history[1]).toMatchObject({
      actorUserId: requester.id,
      changes: {
        goal: { before: "Wir wollen HumHub selbst betreiben.", after: "Ein anderes Ziel" },
        sessionMinutes: { before: 90, after: 30 },
      },
    });
    expect(Object.keys(stored.history[1]!.changes).sort()).toEqual(["goal", "sessionMinutes"]);
  });

  it("answers a 10,000-character goal with 400 and leaves the stored request unchanged", async () => {
    const { requestId, organisationId, cookie } = await requesterWithRequest();
    const before = storedRequest(requestId);
    const longGoal = "x".repeat(10_000);

    const { response, thrown } = await call(
      requestEditRoute.action,
      post(editPath(requestId), saveFields(organisationId, [["goal", longGoal], ["languages", "fr"], ["sessionMinutes", "30"]]), cookie),
      { requestId },
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ goal: "errors.tooLong:2000" });
    expect(body.values).toMatchObject({ goal: longGoal, languages: ["fr"], sessionMinutes: "30" });
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("adds an empty window row without touching the stored request, even with invalid input", async () => {
    const { requestId, organisationId, cookie } = await requesterWithRequest();
    const before = storedRequest(requestId);

    const { response, thrown } = await call(
      requestEditRoute.action,
      post(editPath(requestId), [["intent", "addWindow"], ...requestFields(organisationId, [["goal", ""]])], cookie),
      { requestId },
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toEqual({});
    expect(body.values.windows).toHaveLength(3);
    expect(body.values.windows[2]).toEqual({ weekday: "1", start: "", end: "" });
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("removes a window row without storing anything", async () => {
    const { requestId, organisationId, cookie } = await requesterWithRequest();
    const before = storedRequest(requestId);

    const { response } = await call(
      requestEditRoute.action,
      post(editPath(requestId), [["intent", "removeWindow:0"], ...requestFields(organisationId)], cookie),
      { requestId },
    );

    expect(response.status).toBe(200);
    expect((await response.json()).values.windows).toEqual([{ weekday: "6", start: "10:00", end: "12:30" }]);
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("after withdrawal, loads as not editable and answers saving with 409 without changing anything", async () => {
    const { requestId, organisationId, cookie } = await requesterWithRequest();
    await call(requestDetailRoute.action, post(detailPath(requestId), [["intent", "withdraw"]], cookie), { requestId });
    const before = storedRequest(requestId);
    expect(before?.request.status).toBe("withdrawn");

    const loaded = await call(requestEditRoute.loader, get(editPath(requestId), cookie), { requestId });
    expect(loaded.thrown).toBe(false);
    expect((await loaded.response.json()).editable).toBe(false);

    const { response, thrown } = await call(
      requestEditRoute.action,
      post(editPath(requestId), saveFields(organisationId, [["goal", "Wieder aufgenommen"]]), cookie),
      { requestId },
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(409);
    expect((await response.json()).errors).toEqual({ form: "requests.notEditable" });
    expect(storedRequest(requestId)).toEqual(before);
  });
});
