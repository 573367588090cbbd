/**
 * Coach directory: searchCoachOffers / isOfferAvailable against a real database (filters, pauses,
 * sort by topic fit, paging, no personal data on cards, query plans), and the /coaches route module
 * driven with real Request objects, the way Remix calls them.
 */
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { addCalendarDays, calendarToday } from "~/domain/requests";
import { directoryPageSize, isOfferAvailable, searchCoachOffers, type DirectoryFilters } from "~/models/directory.server";
import { saveOffer } from "~/models/offer.server";
import { createOrganisation } from "~/models/organisation.server";
import { createRequest, withdrawRequest } from "~/models/request.server";
import { createTopic } from "~/models/topic.server";
import { createUser } from "~/models/user.server";
import * as coachesRoute from "~/routes/coaches";
import type { OfferInput } from "~/schemas/offer";
import {
  coachOffers,
  coachingRequests,
  matches,
  offerLanguages,
  offerTopics,
  organisations,
  requestHistory,
  users,
  type AccessOption,
  type LanguageCode,
  type RegionCode,
  type RoleName,
  type SessionFormat,
} from "~db/schema";
import { requestInput } from "../support/matching-fixtures";
import { call, get, post, sessionFor } from "../support/route-calls";

const timeZone = "Europe/Berlin";
let counter = 0;

const today = () => calendarToday(timeZone, new Date());

/** Every seeded person's identifying strings, to prove none of them reaches a card. */
const seededSecrets: string[] = [];
const seededUserIds: string[] = [];

function makeUser(roles: RoleName[], label = "Person") {
  counter += 1;
  const name = `Zelinda ${label} Quastenberg ${counter}`;
  const email = `dir-${label.toLowerCase()}-${counter}-${Date.now()}@directory.example`;
  const created = createUser({ name, email, passwordHash: "not-a-real-hash", locale: "de", timeZone, roles });
  if (!created) throw new Error("test user could not be created");
  const humhubUsername = `hh_quasten_${counter}`;
  getDb().update(users).set({ humhubUsername }).where(eq(users.id, created.id)).run();
  seededSecrets.push(name, created.email, humhubUsername, created.id);
  seededUserIds.push(created.id);
  return { ...created, name, humhubUsername };
}

function makeOrganisation(userId: string, region: RegionCode, name = `Verein ${region} ${counter}`) {
  return createOrganisation(userId, { name, kind: "association", sizeBand: "upTo50", region, website: null });
}

function makeTopic(actorUserId: string) {
  counter += 1;
  const result = createTopic(actorUserId, {
    labelDe: `Verzeichnisthema ${counter}`,
    labelEn: `Directory topic ${counter}`,
    descriptionDe: "Beschreibung",
    descriptionEn: "Description",
  });
  if (!result.ok) throw new Error("test topic could not be created");
  return result.topicId;
}

type CoachSpec = {
  region: RegionCode;
  topics: [string, number][];
  languages: LanguageCode[];
  formats: SessionFormat[];
  inPersonRegion?: RegionCode;
  access: AccessOption[];
  pausedUntil?: string | null;
};

/** A coach with an organisation and a saved offer; returns the offer id. */
function makeCoach(spec: CoachSpec, now = new Date()) {
  const coach = makeUser(["coach"], "Coach");
  const organisationId = makeOrganisation(coach.id, spec.region);
  const inPerson = spec.formats.includes("inPerson");
  const input: OfferInput = {
    organisationId,
    topics: spec.topics.map(([topicId, level]) => ({ topicId, level, note: "" })),
    languages: spec.languages,
    formats: spec.formats,
    inPersonRegion: inPerson ? (spec.inPersonRegion ?? spec.region) : null,
    travelKm: inPerson ? 25 : null,
    accessSupport: spec.access,
    windows: [{ weekday: 2, startMinute: 1080, endMinute: 1200 }],
    capacityPerMonth: 3,
    pausedUntil: spec.pausedUntil ?? null,
    bio: "Ich begleite Vereine bei HumHub.",
  };
  expect(saveOffer(coach.id, input, now)).toEqual({ ok: true });
  const offer = getDb().select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, coach.id)).get();
  if (!offer) throw new Error("offer was not stored");
  return offer.id;
}

/** A requester with an organisation and one open request. */
function makeRequester(roles: RoleName[] = ["requester"]) {
  const user = makeUser(roles, "Requester");
  const organisationId = makeOrganisation(user.id, "DE-BE");
  // Tuesday evenings, like every coach made above, so asking a fitting coach can become a proposal.
  const result = createRequest(
    user.id,
    requestInput(organisationId, { goal: "Wir suchen Hilfe beim Einstieg in HumHub.", windows: [{ weekday: 2, startMinute: 1080, endMinute: 1200 }] }),
  );
  if (!result.ok) throw new Error(`request could not be created: ${JSON.stringify(result.errors)}`);
  return { user, organisationId, requestId: result.requestId };
}

const noFilters: DirectoryFilters = { topicId: null, language: null, format: null, access: [], region: null };

type Card = ReturnType<typeof searchCoachOffers>["offers"][number];

/** Every page of a search, so assertions do not depend on how many offers other tests added. */
function searchAll(filters: Partial<DirectoryFilters>) {
  const all: Card[] = [];
  let total = -1;
  for (let page = 1; page <= 50; page += 1) {
    const result = searchCoachOffers({ ...noFilters, ...filters }, page, today());
    if (page === 1) total = result.total;
    expect(result.offers.length).toBeLessThanOrEqual(directoryPageSize);
    if (result.offers.length === 0) break;
    all.push(...result.offers);
  }
  expect(all.length).toBe(total);
  expect(new Set(all.map((card) => card.id)).size).toBe(all.length);
  return all;
}

function pausedUntilOf(offerIds: string[]) {
  if (offerIds.length === 0) return [];
  return getDb()
    .select({ id: coachOffers.id, pausedUntil: coachOffers.pausedUntil })
    .from(coachOffers)
    .where(inArray(coachOffers.id, offerIds))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Route plumbing

function storedRequest(requestId: string) {
  const db = getDb();
  return {
    request: db.select().from(coachingRequests).where(eq(coachingRequests.id, requestId)).get(),
    history: db
      .select({ action: requestHistory.action, actorUserId: requestHistory.actorUserId, changes: requestHistory.changes })
      .from(requestHistory)
      .where(eq(requestHistory.requestId, requestId))
      .orderBy(asc(requestHistory.id))
      .all(),
  };
}

// ---------------------------------------------------------------------------------------------
// Seeded directory

const offers: Record<"A" | "B" | "C" | "D" | "E" | "F" | "G" | "H", string> = {} as never;
let seededIds: string[] = [];
const seeded = (cards: Card[]) => cards.map((card) => card.id).filter((id) => seededIds.includes(id));
const names = (ids: string[]) => ids.map((id) => Object.entries(offers).find(([, offerId]) => offerId === id)?.[0] ?? id);

beforeAll(() => {
  const now = Date.now();
  const at = (minutes: number) => new Date(now - minutes * 60_000);
  offers.A = makeCoach(
    { region: "DE-BE", topics: [["topic-onboarding", 3], ["topic-mobile", 1]], languages: ["de", "en"], formats: ["video"], access: ["captions", "plainLanguage"] },
    at(80),
  );
  offers.B = makeCoach(
    {
      region: "DE-BY",
      topics: [["topic-onboarding", 1], ["topic-hosting", 2]],
      languages: ["de"],
      formats: ["video", "inPerson"],
      inPersonRegion: "DE-BE",
      access: ["captions"],
    },
    at(70),
  );
  offers.C = makeCoach(
    { region: "DE-HH", topics: [["topic-onboarding", 2]], languages: ["en", "tr"], formats: ["phone"], access: ["signLanguage", "captions", "screenReader"] },
    at(60),
  );
  offers.D = makeCoach(
    {
      region: "DE-NW",
      topics: [["topic-accessibility", 3], ["topic-onboarding", 2]],
      languages: ["uk", "de"],
      formats: ["inPerson"],
      inPersonRegion: "DE-NW",
      access: [],
    },
    at(50),
  );
  offers.E = makeCoach(
    { region: "DE-BE", topics: [["topic-hosting", 3]], languages: ["ar"], formats: ["phone", "video"], access: ["lowBandwidth", "plainLanguage"] },
    at(40),
  );
  // Paused well into the future: invisible, whatever else matches.
  offers.F = makeCoach(
    {
      region: "DE-BE",
      topics: [["topic-onboarding", 3]],
      languages: ["de", "tr"],
      formats: ["video"],
      access: ["captions", "plainLanguage"],
      pausedUntil: addCalendarDays(today(), 10),
    },
    at(30),
  );
  // The pause ended yesterday: visible again.
  offers.G = makeCoach(
    {
      region: "DE-SN",
      topics: [["topic-onboarding", 1], ["topic-mobile", 3]],
      languages: ["de", "fa"],
      formats: ["video", "phone"],
      access: ["captions"],
      pausedUntil: addCalendarDays(today(), -1),
    },
    at(20),
  );
  // Paused up to and including today: still invisible today.
  offers.H = makeCoach(
    { region: "DE-BE", topics: [["topic-onboarding", 2]], languages: ["de"], formats: ["video"], access: ["captions"], pausedUntil: today() },
    at(10),
  );
  seededIds = Object.values(offers);
});

// ---------------------------------------------------------------------------------------------

describe("searchCoachOffers: filters", () => {
  it("without filters lists every offer that is not paused", () => {
    const cards = searchAll({});
    expect(new Set(seeded(cards))).toEqual(new Set([offers.A, offers.B, offers.C, offers.D, offers.E, offers.G]));
    for (const row of pausedUntilOf(cards.map((card) => card.id))) {
      expect(row.pausedUntil === null || row.pausedUntil < today(), `offer ${row.id} paused until ${row.pausedUntil}`).toBe(true);
    }
  });

  it("filters by topic: only offers with that topic, paused ones left out", () => {
    const cards = searchAll({ topicId: "topic-onboarding" });
    for (const card of cards) expect(card.topics.map((topic) => topic.topicId)).toContain("topic-onboarding");
    expect(new Set(names(seeded(cards)))).toEqual(new Set(["A", "B", "C", "D", "G"]));

    expect(new Set(names(seeded(searchAll({ topicId: "topic-hosting" }))))).toEqual(new Set(["B", "E"]));
    expect(new Set(names(seeded(searchAll({ topicId: "topic-accessibility" }))))).toEqual(new Set(["D"]));
    expect(new Set(names(seeded(searchAll({ topicId: "topic-mobile" }))))).toEqual(new Set(["A", "G"]));
  });

  it("with a topic sorts by the coach's level in it: 3, then 2, then 1", () => {
    const cards = searchAll({ topicId: "topic-onboarding" });
    const levels = cards.map((card) => card.topics.find((topic) => topic.topicId === "topic-onboarding")!.level);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    const order = names(seeded(cards));
    expect(order[0]).toBe("A");
    expect(new Set(order.slice(1, 3))).toEqual(new Set(["C", "D"]));
    expect(new Set(order.slice(3))).toEqual(new Set(["B", "G"]));

    expect(names(seeded(searchAll({ topicId: "topic-hosting" })))).toEqual(["E", "B"]);
    expect(names(seeded(searchAll({ topicId: "topic-mobile" })))).toEqual(["G", "A"]);
  });

  it.each([
    ["de", ["A", "B", "D", "G"]],
    ["tr", ["C"]],
    ["fa", ["G"]],
    ["uk", ["D"]],
    ["ar", ["E"]],
    ["ro", []],
  ] as [LanguageCode, string[]][])("filters by language %s", (language, expected) => {
    const cards = searchAll({ language });
    for (const card of cards) expect(card.languages).toContain(language);
    expect(new Set(names(seeded(cards)))).toEqual(new Set(expected));
  });

  it.each([
    ["phone", ["C", "E", "G"]],
    ["inPerson", ["B", "D"]],
  ] as [SessionFormat, string[]][])("filters by format %s", (format, expected) => {
    const cards = searchAll({ format });
    for (const card of cards) expect(card.formats).toContain(format);
    expect(new Set(names(seeded(cards)))).toEqual(new Set(expected));
  });

  it.each([
    [["captions"], ["A", "B", "C", "G"]],
    [["signLanguage"], ["C"]],
    [["plainLanguage"], ["A", "E"]],
    [["screenReader"], ["C"]],
    [["lowBandwidth"], ["E"]],
    [["captions", "plainLanguage"], ["A"]],
    [["captions", "signLanguage", "screenReader"], ["C"]],
    [["lowBandwidth", "captions"], []],
  ] as [AccessOption[], string[]][])("filters by access support %j, all of them at once", (access, expected) => {
    const cards = searchAll({ access });
    for (const card of cards) for (const option of access) expect(card.accessSupport).toContain(option);
    expect(new Set(names(seeded(cards)))).toEqual(new Set(expected));
  });

  it.each([
    ["DE-BE", ["A", "B", "E"]],
    ["DE-NW", ["D"]],
    ["DE-SN", ["G"]],
    ["DE-BY", ["B"]],
    ["DE-TH", []],
  ] as [RegionCode, string[]][])("filters by region %s: the organisation's region or the in-person region", (region, expected) => {
    const cards = searchAll({ region });
    for (const card of cards) expect([card.organisation.region, card.inPersonRegion]).toContain(region);
    expect(new Set(names(seeded(cards)))).toEqual(new Set(expected));
  });

  it("combines filters with AND and keeps the topic order", () => {
    const cards = searchAll({ topicId: "topic-onboarding", language: "de", format: "video", access: ["captions"] });
    const order = names(seeded(cards));
    expect(order[0]).toBe("A");
    expect(new Set(order)).toEqual(new Set(["A", "B", "G"]));

    expect(names(seeded(searchAll({ topicId: "topic-onboarding", region: "DE-BE" })))).toEqual(["A", "B"]);
    expect(names(seeded(searchAll({ language: "tr", access: ["captions"] })))).toEqual(["C"]);
    expect(seeded(searchAll({ language: "fa", format: "inPerson" }))).toEqual([]);
  });

  it("returns nothing, with total 0, when nothing matches", () => {
    const topicId = makeTopic(makeUser(["team"], "Team").id);
    expect(searchCoachOffers({ ...noFilters, topicId }, 1, today())).toEqual({ total: 0, offers: [] });
  });
});

describe("searchCoachOffers: cards", () => {
  const forbiddenKeys = ["userId", "email", "humhubUsername", "passwordHash", "user", "coach", "coachName"];

  function keyPaths(value: unknown, path = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${path}[]`));
    if (value !== null && typeof value === "object") {
      return Object.entries(value).flatMap(([key, inner]) => [`${path}.${key}`, ...keyPaths(inner, `${path}.${key}`)]);
    }
    return [];
  }

  it("never carry the coach's name, email, user id or HumHub user name", () => {
    const results = [
      searchCoachOffers(noFilters, 1, today()),
      searchCoachOffers({ ...noFilters, topicId: "topic-onboarding" }, 1, today()),
      searchCoachOffers({ ...noFilters, region: "DE-BE", access: ["captions"] }, 1, today()),
    ];
    for (const result of results) {
      expect(result.offers.length).toBeGreaterThan(0);
      const paths = keyPaths(result);
      for (const path of paths) {
        const key = path.split(".").at(-1)!;
        expect(forbiddenKeys, path).not.toContain(key);
        // Only the organisation has a name.
        if (key === "name") expect(path).toBe(".offers[].organisation.name");
      }
      for (const card of result.offers) {
        expect(Object.keys(card).sort()).toEqual(
          ["accessSupport", "bio", "capacityPerMonth", "formats", "id", "inPersonRegion", "languages", "organisation", "timeZone", "topics", "travelKm", "windows"].sort(),
        );
        expect(Object.keys(card.organisation).sort()).toEqual(["kind", "name", "region"]);
      }
      const text = JSON.stringify(result);
      for (const secret of seededSecrets) expect(text).not.toContain(secret);
    }
  });

  it("carry what the card shows: topics with levels, languages, windows, organisation", () => {
    const card = searchAll({ topicId: "topic-onboarding" }).find((candidate) => candidate.id === offers.A)!;
    expect(card).toMatchObject({
      formats: ["video"],
      accessSupport: ["captions", "plainLanguage"],
      inPersonRegion: null,
      travelKm: null,
      capacityPerMonth: 3,
      organisation: { kind: "association", region: "DE-BE" },
      windows: [{ weekday: 2, startMinute: 1080, endMinute: 1200 }],
    });
    expect([...card.languages].sort()).toEqual(["de", "en"]);
    expect(card.topics.map((topic) => [topic.topicId, topic.level])).toEqual([
      ["topic-onboarding", 3],
      ["topic-mobile", 1],
    ]);
  });
});

describe("isOfferAvailable", () => {
  it("is true for offers that are not paused or whose pause ended", () => {
    expect(isOfferAvailable(offers.A, today())).toBe(true);
    expect(isOfferAvailable(offers.G, today())).toBe(true);
  });

  it("is false for paused offers (the pause date included) and unknown ids", () => {
    expect(isOfferAvailable(offers.F, today())).toBe(false);
    expect(isOfferAvailable(offers.H, today())).toBe(false);
    expect(isOfferAvailable(offers.H, addCalendarDays(today(), 1))).toBe(true);
    expect(isOfferAvailable("no-such-offer", today())).toBe(false);
  });
});

describe("query plans", () => {
  const plan = (query: string, ...params: unknown[]) =>
    (getDb().$client.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[]).map((row) => row.detail);

  it("the topic query reads the (topic, level) index in order, without scanning or sorting", () => {
    const details = plan(
      "SELECT o.id FROM offer_topics t JOIN coach_offers o ON o.id = t.offer_id WHERE t.topic_id = ? ORDER BY t.level DESC",
      "topic-onboarding",
    );
    const text = details.join("\n");
    expect(text).toMatch(/SEARCH t USING (COVERING )?INDEX offer_topics_topic_level_idx \(topic_id=\?\)/);
    expect(text).toMatch(/SEARCH o USING (COVERING )?INDEX sqlite_autoindex_coach_offers_1 \(id=\?\)|SEARCH o USING (INTEGER )?PRIMARY KEY/);
    expect(text).not.toContain("SCAN offer_topics");
    expect(text).not.toMatch(/SCAN t\b/);
    expect(text).not.toContain("USE TEMP B-TREE FOR ORDER BY");
  });

  it("the topic query as searchCoachOffers builds it starts from the (topic, level) index", () => {
    // The same drizzle builder chain as searchCoachOffers with a topic and a language filter.
    const now = today();
    const query = getDb()
      .select({ id: coachOffers.id, total: sql<number>`count(*) over ()` })
      .from(offerTopics)
      .innerJoin(coachOffers, eq(coachOffers.id, offerTopics.offerId))
      .innerJoin(organisations, eq(organisations.id, coachOffers.organisationId))
      .where(
        and(
          eq(offerTopics.topicId, "topic-onboarding"),
          or(isNull(coachOffers.pausedUntil), lt(coachOffers.pausedUntil, now)),
          sql`exists (select 1 from ${offerLanguages} where ${offerLanguages.offerId} = ${coachOffers.id} and ${offerLanguages.language} = ${"de"})`,
        ),
      )
      .orderBy(desc(offerTopics.level), desc(coachOffers.updatedAt))
      .limit(directoryPageSize)
      .offset(0)
      .toSQL();
    const text = plan(query.sql, ...query.params).join("\n");
    expect(text).toMatch(/SEARCH offer_topics USING (COVERING )?INDEX offer_topics_topic_level_idx \(topic_id=\?\)/);
    expect(text).toMatch(/SEARCH offer_languages (EXISTS )?USING (COVERING )?INDEX sqlite_autoindex_offer_languages_1 \(offer_id=\? AND language=\?\)/);
    expect(text).toMatch(/SEARCH coach_offers USING (COVERING )?INDEX sqlite_autoindex_coach_offers_1 \(id=\?\)/);
    expect(text).not.toContain("SCAN offer_topics");
    expect(text).not.toContain("SCAN coach_offers");
    expect(text).not.toContain("SCAN offer_languages");
    // Not asserted: `count(*) over ()` makes SQLite materialise every match (CO-ROUTINE) and sort
    // it in a temp B-tree ("USE TEMP B-TREE FOR ORDER BY"), so this query is not "already in
    // order" as the docstring of searchCoachOffers claims. It still reads only the matching rows.
  });

  it("the language filter is one primary-key lookup", () => {
    const text = plan("SELECT 1 FROM offer_languages WHERE offer_id = ? AND language = ?", "x", "de").join("\n");
    expect(text).toMatch(/SEARCH offer_languages USING (COVERING )?INDEX (sqlite_autoindex_offer_languages_1|offer_languages_language_idx)/);
    expect(text).not.toContain("SCAN offer_languages");
  });
});

describe("searchCoachOffers: paging", () => {
  it("counts every match in total and returns at most one page of offers; page 2 holds the rest", () => {
    const topicId = makeTopic(makeUser(["team"], "Team").id);
    const count = directoryPageSize + 3;
    const created: string[] = [];
    const base = Date.now();
    for (let i = 0; i < count; i += 1) {
      created.push(
        makeCoach(
          { region: "DE-SL", topics: [[topicId, (i % 3) + 1]], languages: ["it"], formats: ["video"], access: [] },
          new Date(base - i * 1000),
        ),
      );
    }

    const first = searchCoachOffers({ ...noFilters, topicId }, 1, today());
    const second = searchCoachOffers({ ...noFilters, topicId }, 2, today());
    const third = searchCoachOffers({ ...noFilters, topicId }, 3, today());

    expect(first.total).toBe(count);
    expect(first.offers).toHaveLength(directoryPageSize);
    expect(second.total).toBe(count);
    expect(second.offers).toHaveLength(count - directoryPageSize);
    expect(third.offers).toEqual([]);
    // Past the last page the total still tells how many match, so the page can link back.
    expect(third.total).toBe(count);
    const ids = [...first.offers, ...second.offers].map((card) => card.id);
    expect(new Set(ids)).toEqual(new Set(created));
    const levels = [...first.offers, ...second.offers].map((card) => card.topics.find((topic) => topic.topicId === topicId)!.level);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));

    // Same without a topic, narrowed by a language only these coaches speak.
    const byLanguage = searchCoachOffers({ ...noFilters, language: "it" }, 1, today());
    expect(byLanguage.total).toBe(count);
    expect(byLanguage.offers).toHaveLength(directoryPageSize);
    expect(searchCoachOffers({ ...noFilters, language: "it" }, 2, today()).offers).toHaveLength(count - directoryPageSize);
  });
});

// ---------------------------------------------------------------------------------------------

describe("/coaches loader", () => {
  it("sends anonymous visitors to the login page", async () => {
    const { response, thrown } = await call(coachesRoute.loader, get("/coaches?topic=topic-onboarding"));
    expect(thrown).toBe(true);
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location.startsWith("/login?")).toBe(true);
    expect(new URL(location, "http://localhost/").searchParams.get("redirectTo")).toBe("/coaches?topic=topic-onboarding");
  });

  it("answers a coach without requester or team role with 403", async () => {
    const coach = makeUser(["coach"], "Coach");
    const { response, thrown } = await call(coachesRoute.loader, get("/coaches", await sessionFor(coach.id)));
    expect(thrown).toBe(true);
    expect(response.status).toBe(403);
  });

  it("gives a requester filtered offers and their open requests", async () => {
    const { user, requestId } = makeRequester();
    const cookie = await sessionFor(user.id);

    const { response, thrown } = await call(
      coachesRoute.loader,
      get("/coaches?topic=topic-onboarding&language=de&access=captions&format=&region=", cookie),
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.invalidFilter).toBe(false);
    expect(body.filters).toEqual({ topic: "topic-onboarding", language: "de", format: null, region: null, access: ["captions"], page: 1 });
    expect(body.isRequester).toBe(true);
    expect(body.openRequests.map((open: { id: string }) => open.id)).toEqual([requestId]);
    const ids: string[] = body.offers.map((card: { id: string }) => card.id);
    expect(body.total).toBe(ids.length);
    expect(ids.filter((id) => seededIds.includes(id))[0]).toBe(offers.A);
    expect(new Set(names(ids.filter((id) => seededIds.includes(id))))).toEqual(new Set(["A", "B", "G"]));
    expect(body.topics.map((topic: { id: string }) => topic.id)).toEqual(
      expect.arrayContaining(["topic-onboarding", "topic-accessibility", "topic-mobile", "topic-hosting"]),
    );
    const text = JSON.stringify(body.offers);
    for (const secret of seededSecrets) expect(text).not.toContain(secret);
  });

  it("gives a team member the directory without the wish form data", async () => {
    const member = makeUser(["team"], "Team");
    const { response, thrown } = await call(coachesRoute.loader, get("/coaches?region=DE-NW", await sessionFor(member.id)));

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.isRequester).toBe(false);
    expect(body.openRequests).toEqual([]);
    expect(body.invalidFilter).toBe(false);
    expect(names(body.offers.map((card: { id: string }) => card.id).filter((id: string) => seededIds.includes(id)))).toEqual(["D"]);
  });

  it.each([
    ["language=xx"],
    ["topic=nope"],
    ["page=-3"],
    ["page=abc"],
    ["access=teleport"],
    ["format=carrierPigeon&region=Mars"],
  ])("does not crash on %s: 200, invalidFilter and unfiltered results", async (query) => {
    const { user } = makeRequester();
    const cookie = await sessionFor(user.id);

    const { response, thrown } = await call(coachesRoute.loader, get(`/coaches?${query}`, cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.invalidFilter).toBe(true);
    expect(body.filters).toEqual({ topic: null, language: null, format: null, region: null, access: [], page: 1 });
    const unfiltered = searchCoachOffers(noFilters, 1, today());
    expect(body.total).toBe(unfiltered.total);
    expect(body.offers.map((card: { id: string }) => card.id)).toEqual(unfiltered.offers.map((card) => card.id));
  });
});

describe("/coaches action", () => {
  it("proposes the asked coach for the requester's own open request, notes the wish, and redirects to the proposal", async () => {
    const { user, requestId } = makeRequester();
    const cookie = await sessionFor(user.id);
    const before = storedRequest(requestId);

    const { response, thrown } = await call(coachesRoute.action, post("/coaches", [["offerId", offers.A], ["requestId", requestId]], cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(302);
    const proposal = getDb().select().from(matches).where(eq(matches.requestId, requestId)).all();
    expect(proposal).toEqual([expect.objectContaining({ offerId: offers.A, status: "awaitingReview", source: "requester", proposedByUserId: user.id })]);
    expect(response.headers.get("Location")).toBe(`/matches/${proposal[0]!.id}`);
    const after = storedRequest(requestId);
    expect(before.request?.wishedCoachOfferId).toBeNull();
    expect(after.request?.wishedCoachOfferId).toBe(offers.A);
    expect(after.history).toHaveLength(before.history.length + 1);
    expect(after.history.at(-1)).toEqual({
      action: "edited",
      actorUserId: user.id,
      changes: { wishedCoach: { before: null, after: offers.A } },
    });

    // One proposal at a time: asking another coach now is refused and changes nothing.
    const again = await call(coachesRoute.action, post("/coaches", [["offerId", offers.G], ["requestId", requestId]], cookie));
    expect(again.response.status).toBe(409);
    expect((await again.response.json()).formError).toBe("matches.refusals.requestHasActiveMatch");
    expect(storedRequest(requestId)).toEqual(after);
  });

  it("refuses a coach the matching rules exclude, saying why, and changes nothing", async () => {
    const { user, requestId } = makeRequester();
    const before = storedRequest(requestId);
    // C speaks English and Turkish only; the request asks for German.
    const { response } = await call(coachesRoute.action, post("/coaches", [["offerId", offers.C], ["requestId", requestId]], await sessionFor(user.id)));
    expect(response.status).toBe(409);
    expect((await response.json()).formError).toBe("matches.refusals.excluded");
    expect(storedRequest(requestId)).toEqual(before);
    expect(getDb().select().from(matches).where(eq(matches.requestId, requestId)).all()).toEqual([]);
  });

  it("answers a wish for another user's request with 409 and changes nothing", async () => {
    const owner = makeRequester();
    const other = makeRequester();
    const before = storedRequest(owner.requestId);

    const { response, thrown } = await call(
      coachesRoute.action,
      post("/coaches", [["offerId", offers.A], ["requestId", owner.requestId]], await sessionFor(other.user.id)),
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(409);
    expect((await response.json()).formError).toBe("directory.wishFailed");
    expect(storedRequest(owner.requestId)).toEqual(before);
    expect(storedRequest(other.requestId).request?.wishedCoachOfferId).toBeNull();
  });

  it.each([["F (paused)"], ["H (paused until today)"], ["unknown"]])("answers a wish for coach %s with 409 and changes nothing", async (which) => {
    const offerId = which.startsWith("F") ? offers.F : which.startsWith("H") ? offers.H : "no-such-offer";
    const { user, requestId } = makeRequester();
    const before = storedRequest(requestId);

    const { response } = await call(coachesRoute.action, post("/coaches", [["offerId", offerId], ["requestId", requestId]], await sessionFor(user.id)));

    expect(response.status).toBe(409);
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("answers a wish for a withdrawn request with 409", async () => {
    const { user, requestId } = makeRequester();
    expect(withdrawRequest(user.id, requestId)).toBe(true);
    const before = storedRequest(requestId);

    const { response } = await call(coachesRoute.action, post("/coaches", [["offerId", offers.A], ["requestId", requestId]], await sessionFor(user.id)));

    expect(response.status).toBe(409);
    expect(storedRequest(requestId)).toEqual(before);
  });

  it("answers a team member without the requester role with 403", async () => {
    const owner = makeRequester();
    const member = makeUser(["team"], "Team");
    const before = storedRequest(owner.requestId);

    const { response, thrown } = await call(
      coachesRoute.action,
      post("/coaches", [["offerId", offers.A], ["requestId", owner.requestId]], await sessionFor(member.id)),
    );

    expect(thrown).toBe(true);
    expect(response.status).toBe(403);
    expect(storedRequest(owner.requestId)).toEqual(before);
  });

  it("answers a coach-only user with 403 and anonymous visitors with a login redirect", async () => {
    const coach = makeUser(["coach"], "Coach");
    const denied = await call(coachesRoute.action, post("/coaches", [["offerId", offers.A], ["requestId", "x"]], await sessionFor(coach.id)));
    expect(denied.thrown).toBe(true);
    expect(denied.response.status).toBe(403);

    const anonymous = await call(coachesRoute.action, post("/coaches", [["offerId", offers.A], ["requestId", "x"]]));
    expect(anonymous.response.status).toBe(302);
    expect(anonymous.response.headers.get("Location")?.startsWith("/login?")).toBe(true);
  });

  it.each([
    [[["offerId", "x"]]],
    [[["requestId", "x"]]],
    [[]],
    [[["offerId", ""], ["requestId", ""]]],
    [[["offerId", "o".repeat(65)], ["requestId", "r"]]],
  ] as [[string, string][]][])("answers the body %j with 400", async (fields) => {
    const { user, requestId } = makeRequester();
    const before = storedRequest(requestId);

    const { response, thrown } = await call(coachesRoute.action, post("/coaches", fields, await sessionFor(user.id)));

    expect(thrown).toBe(false);
    expect(response.status).toBe(400);
    expect((await response.json()).formError).toBe("errors.unknownIntent");
    expect(storedRequest(requestId)).toEqual(before);
  });
});
