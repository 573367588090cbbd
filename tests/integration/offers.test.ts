/**
 * Coach offers: the model (saveOffer, setOfferPause) against a real database, and the /offer and
 * /offer/edit route modules driven with real Request objects, the way Remix calls them.
 */
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { saveOffer, setOfferPause } from "~/models/offer.server";
import { setTopicRetired } from "~/models/topic.server";
import * as offerIndexRoute from "~/routes/offer._index";
import * as offerEditRoute from "~/routes/offer.edit";
import type { OfferInput } from "~/schemas/offer";
import { coachOffers, offerAvailability, offerLanguages, offerTopics } from "~db/schema";
import { testPeople } from "../support/people";
import { call, get, post, sessionFor, type Handler } from "../support/route-calls";

const { makeUser, makeOrganisation, makeTopic } = testPeople({
  person: "Offer Tester",
  emailPrefix: "offer",
  topicLabel: { de: "Testthema", en: "Test topic" },
  defaultRoles: ["coach"],
});

function offerInput(organisationId: string, overrides: Partial<OfferInput> = {}): OfferInput {
  return {
    organisationId,
    topics: [
      { topicId: "topic-onboarding", level: 3, note: "Gern auch kleine Vereine" },
      { topicId: "topic-mobile", level: 1, note: "" },
    ],
    languages: ["de", "en"],
    formats: ["video", "inPerson"],
    inPersonRegion: "DE-BE",
    travelKm: 30,
    accessSupport: ["captions"],
    windows: [
      { weekday: 1, startMinute: 1080, endMinute: 1200 },
      { weekday: 3, startMinute: 570, endMinute: 660 },
    ],
    capacityPerMonth: 4,
    pausedUntil: null,
    bio: "Ich begleite Vereine beim Umstieg auf HumHub.",
    ...overrides,
  };
}

/** Everything stored for a user's offer, in a stable order, for before/after comparisons. */
function storedOffer(userId: string) {
  const db = getDb();
  const offer = db.select().from(coachOffers).where(eq(coachOffers.userId, userId)).get();
  if (!offer) return null;
  return {
    offer,
    topics: db
      .select({ topicId: offerTopics.topicId, level: offerTopics.level, note: offerTopics.note })
      .from(offerTopics)
      .where(eq(offerTopics.offerId, offer.id))
      .orderBy(asc(offerTopics.topicId))
      .all(),
    languages: db
      .select({ language: offerLanguages.language })
      .from(offerLanguages)
      .where(eq(offerLanguages.offerId, offer.id))
      .orderBy(asc(offerLanguages.language))
      .all()
      .map((row) => row.language),
    windows: db
      .select({ weekday: offerAvailability.weekday, startMinute: offerAvailability.startMinute, endMinute: offerAvailability.endMinute })
      .from(offerAvailability)
      .where(eq(offerAvailability.offerId, offer.id))
      .orderBy(asc(offerAvailability.weekday), asc(offerAvailability.startMinute))
      .all(),
  };
}

function countRows(offerId: string) {
  const db = getDb();
  return {
    topics: db.select().from(offerTopics).where(eq(offerTopics.offerId, offerId)).all().length,
    languages: db.select().from(offerLanguages).where(eq(offerLanguages.offerId, offerId)).all().length,
    windows: db.select().from(offerAvailability).where(eq(offerAvailability.offerId, offerId)).all().length,
  };
}

// ---------------------------------------------------------------------------------------------
// Route plumbing

/** The offer form as the browser posts it without JavaScript. */
function offerFields(organisationId: string, overrides: [string, string][] = [], drop: string[] = []): [string, string][] {
  const fields: [string, string][] = [
    ["organisationId", organisationId],
    ["topics.topic-onboarding.level", "2"],
    ["topics.topic-onboarding.note", "Räume und Mitglieder"],
    ["topics.topic-accessibility.level", "0"],
    ["topics.topic-accessibility.note", ""],
    ["topics.topic-mobile.level", "0"],
    ["topics.topic-mobile.note", ""],
    ["topics.topic-hosting.level", "3"],
    ["topics.topic-hosting.note", ""],
    ["languages", "de"],
    ["languages", "uk"],
    ["formats", "video"],
    ["formats", "inPerson"],
    ["inPersonRegion", "DE-BE"],
    ["travelKm", "30"],
    ["accessSupport", "plainLanguage"],
    ["windows.0.weekday", "2"],
    ["windows.0.start", "18:00"],
    ["windows.0.end", "20:00"],
    ["windows.1.weekday", "6"],
    ["windows.1.start", "10:00"],
    ["windows.1.end", "12:30"],
    ["capacityPerMonth", "3"],
    ["pausedUntil", ""],
    ["bio", "Ich helfe beim Einstieg."],
  ];
  const replaced = new Set([...overrides.map(([name]) => name), ...drop]);
  return [...fields.filter(([name]) => !replaced.has(name)), ...overrides];
}

const saveFields = (organisationId: string, overrides: [string, string][] = [], drop: string[] = []) =>
  offerFields(organisationId, [["intent", "save"], ...overrides], drop);

async function coachWithSession(timeZone = "Europe/Berlin") {
  const coach = makeUser(["coach"], timeZone);
  const organisationId = makeOrganisation(coach.id);
  return { coach, organisationId, cookie: await sessionFor(coach.id) };
}

// ---------------------------------------------------------------------------------------------

describe("saveOffer", () => {
  it("creates the offer with its topics, languages and windows, in the coach's time zone", () => {
    const coach = makeUser(["coach"], "America/Chicago");
    const organisationId = makeOrganisation(coach.id);
    const now = new Date("2026-01-15T10:00:00Z");

    expect(saveOffer(coach.id, offerInput(organisationId), now)).toEqual({ ok: true });

    const stored = storedOffer(coach.id);
    expect(stored?.offer).toMatchObject({
      userId: coach.id,
      organisationId,
      formats: ["video", "inPerson"],
      inPersonRegion: "DE-BE",
      travelKm: 30,
      accessSupport: ["captions"],
      capacityPerMonth: 4,
      pausedUntil: null,
      bio: "Ich begleite Vereine beim Umstieg auf HumHub.",
      timeZone: "America/Chicago",
      updatedAt: now,
    });
    expect(stored?.topics).toEqual([
      { topicId: "topic-mobile", level: 1, note: "" },
      { topicId: "topic-onboarding", level: 3, note: "Gern auch kleine Vereine" },
    ]);
    expect(stored?.languages).toEqual(["de", "en"]);
    expect(stored?.windows).toEqual([
      { weekday: 1, startMinute: 1080, endMinute: 1200 },
      { weekday: 3, startMinute: 570, endMinute: 660 },
    ]);
  });

  it("replaces the offer on a second save instead of adding rows", () => {
    const coach = makeUser();
    const organisationId = makeOrganisation(coach.id);
    const second = makeOrganisation(coach.id, "Zweiter Verein");
    saveOffer(coach.id, offerInput(organisationId));
    const first = storedOffer(coach.id)!;

    const result = saveOffer(
      coach.id,
      offerInput(second, {
        topics: [{ topicId: "topic-hosting", level: 2, note: "Updates" }],
        languages: ["ar"],
        formats: ["phone"],
        inPersonRegion: null,
        travelKm: null,
        windows: [{ weekday: 7, startMinute: 0, endMinute: 1440 }],
        capacityPerMonth: 10,
        bio: "Neu",
      }),
    );

    expect(result).toEqual({ ok: true });
    expect(getDb().select().from(coachOffers).where(eq(coachOffers.userId, coach.id)).all()).toHaveLength(1);
    const stored = storedOffer(coach.id)!;
    expect(stored.offer.id).toBe(first.offer.id);
    expect(stored.offer).toMatchObject({ organisationId: second, formats: ["phone"], inPersonRegion: null, travelKm: null, capacityPerMonth: 10, bio: "Neu" });
    expect(stored.topics).toEqual([{ topicId: "topic-hosting", level: 2, note: "Updates" }]);
    expect(stored.languages).toEqual(["ar"]);
    expect(stored.windows).toEqual([{ weekday: 7, startMinute: 0, endMinute: 1440 }]);
    expect(countRows(stored.offer.id)).toEqual({ topics: 1, languages: 1, windows: 1 });
  });

  it("refuses another person's organisation and stores nothing", () => {
    const coach = makeUser();
    makeOrganisation(coach.id);
    const stranger = makeUser(["requester"]);
    const strangersOrganisation = makeOrganisation(stranger.id, "Fremder Verein");

    expect(saveOffer(coach.id, offerInput(strangersOrganisation))).toEqual({
      ok: false,
      errors: { organisationId: "errors.organisationInvalid" },
    });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("refuses another person's organisation and leaves an existing offer unchanged", () => {
    const coach = makeUser();
    const organisationId = makeOrganisation(coach.id);
    saveOffer(coach.id, offerInput(organisationId));
    const before = storedOffer(coach.id);
    const stranger = makeUser(["coach"]);
    const strangersOrganisation = makeOrganisation(stranger.id, "Fremder Verein");

    const result = saveOffer(coach.id, offerInput(strangersOrganisation, { bio: "Übernommen", languages: ["fr"] }));

    expect(result).toEqual({ ok: false, errors: { organisationId: "errors.organisationInvalid" } });
    expect(storedOffer(coach.id)).toEqual(before);
  });

  it("refuses an organisation id that does not exist", () => {
    const coach = makeUser();
    makeOrganisation(coach.id);

    expect(saveOffer(coach.id, offerInput("no-such-organisation"))).toEqual({
      ok: false,
      errors: { organisationId: "errors.organisationInvalid" },
    });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("refuses an unknown topic id and stores nothing", () => {
    const coach = makeUser();
    const organisationId = makeOrganisation(coach.id);

    const result = saveOffer(
      coach.id,
      offerInput(organisationId, { topics: [{ topicId: "topic-does-not-exist", level: 2, note: "" }] }),
    );

    expect(result).toEqual({ ok: false, errors: { topics: "errors.topicUnknown" } });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("refuses a retired topic for a new offer", () => {
    const coach = makeUser();
    const organisationId = makeOrganisation(coach.id);
    const topicId = makeTopic(coach.id);
    expect(setTopicRetired(coach.id, topicId, true)).toBe(true);

    const result = saveOffer(
      coach.id,
      offerInput(organisationId, { topics: [{ topicId: "topic-onboarding", level: 1, note: "" }, { topicId, level: 2, note: "" }] }),
    );

    expect(result).toEqual({ ok: false, errors: { topics: "errors.topicUnknown" } });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("keeps a retired topic that is already on the offer, but does not let it be added to another", () => {
    const coach = makeUser();
    const organisationId = makeOrganisation(coach.id);
    const topicId = makeTopic(coach.id);
    expect(saveOffer(coach.id, offerInput(organisationId, { topics: [{ topicId, level: 2, note: "seit Jahren" }] }))).toEqual({ ok: true });
    expect(setTopicRetired(coach.id, topicId, true)).toBe(true);

    const kept = saveOffer(
      coach.id,
      offerInput(organisationId, { topics: [{ topicId, level: 3, note: "weiterhin" }], bio: "Aktualisiert" }),
    );

    expect(kept).toEqual({ ok: true });
    expect(storedOffer(coach.id)?.topics).toEqual([{ topicId, level: 3, note: "weiterhin" }]);
    expect(storedOffer(coach.id)?.offer.bio).toBe("Aktualisiert");

    const otherCoach = makeUser();
    const otherOrganisation = makeOrganisation(otherCoach.id);
    expect(saveOffer(otherCoach.id, offerInput(otherOrganisation, { topics: [{ topicId, level: 1, note: "" }] }))).toEqual({
      ok: false,
      errors: { topics: "errors.topicUnknown" },
    });
  });

  it("no longer keeps a retired topic once it was dropped from the offer", () => {
    const coach = makeUser();
    const organisationId = makeOrganisation(coach.id);
    const topicId = makeTopic(coach.id);
    saveOffer(coach.id, offerInput(organisationId, { topics: [{ topicId, level: 2, note: "" }] }));
    setTopicRetired(coach.id, topicId, true);
    expect(saveOffer(coach.id, offerInput(organisationId))).toEqual({ ok: true });
    const before = storedOffer(coach.id);

    const readded = saveOffer(coach.id, offerInput(organisationId, { topics: [{ topicId, level: 2, note: "" }] }));

    expect(readded).toEqual({ ok: false, errors: { topics: "errors.topicUnknown" } });
    expect(storedOffer(coach.id)).toEqual(before);
  });
});

describe("setOfferPause", () => {
  it("pauses until a date and resumes", () => {
    const coach = makeUser();
    saveOffer(coach.id, offerInput(makeOrganisation(coach.id)));
    const pausedAt = new Date("2026-02-01T08:00:00Z");

    expect(setOfferPause(coach.id, "2026-03-31", pausedAt)).toBe(true);
    expect(storedOffer(coach.id)?.offer).toMatchObject({ pausedUntil: "2026-03-31", updatedAt: pausedAt });

    expect(setOfferPause(coach.id, null)).toBe(true);
    expect(storedOffer(coach.id)?.offer.pausedUntil).toBeNull();
  });

  it("reports false for a coach without an offer, and touches no one else's", () => {
    const withOffer = makeUser();
    saveOffer(withOffer.id, offerInput(makeOrganisation(withOffer.id)));
    const withoutOffer = makeUser();

    expect(setOfferPause(withoutOffer.id, "2026-03-31")).toBe(false);
    expect(storedOffer(withoutOffer.id)).toBeNull();
    expect(storedOffer(withOffer.id)?.offer.pausedUntil).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe("offer routes: access", () => {
  it.each([
    ["/offer/edit", "loader", offerEditRoute.loader, "GET"],
    ["/offer/edit", "action", offerEditRoute.action, "POST"],
    ["/offer", "loader", offerIndexRoute.loader, "GET"],
    ["/offer", "action", offerIndexRoute.action, "POST"],
  ] as const)("forbids the %s %s to a requester", async (path, _kind, handler, method) => {
    const requester = makeUser(["requester"]);
    const organisationId = makeOrganisation(requester.id);
    const cookie = await sessionFor(requester.id);
    const fields: [string, string][] =
      path === "/offer" ? [["intent", "pause"], ["pausedUntil", "2026-03-31"]] : saveFields(organisationId);
    const request = method === "GET" ? get(path, cookie) : post(path, fields, cookie);

    const { response, thrown } = await call(handler as Handler, request);

    expect(thrown).toBe(true);
    expect(response.status).toBe(403);
    expect(storedOffer(requester.id)).toBeNull();
  });

  it.each([
    ["/offer/edit", "loader", offerEditRoute.loader, "GET"],
    ["/offer/edit", "action", offerEditRoute.action, "POST"],
    ["/offer", "loader", offerIndexRoute.loader, "GET"],
    ["/offer", "action", offerIndexRoute.action, "POST"],
  ] as const)("sends an anonymous visitor of the %s %s to the login page", async (path, _kind, handler, method) => {
    const request = method === "GET" ? get(path) : post(path, [["intent", "save"]]);

    const { response, thrown } = await call(handler as Handler, request);

    expect(thrown).toBe(true);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  });
});

describe("/offer/edit", () => {
  it("starts a coach without an offer from a new-offer form with their organisations", async () => {
    const { organisationId, cookie } = await coachWithSession("Asia/Tokyo");

    const { response, thrown } = await call(offerEditRoute.loader, get("/offer/edit", cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.isNew).toBe(true);
    expect(body.timeZone).toBe("Asia/Tokyo");
    expect(body.organisations).toEqual([{ id: organisationId, name: "Verein Beispiel" }]);
    expect(body.values).toMatchObject({ organisationId, languages: ["de"], formats: ["video"], windows: [{ weekday: "1", start: "", end: "" }] });
    expect(body.topics.map((topic: { id: string }) => topic.id)).toEqual(
      expect.arrayContaining(["topic-onboarding", "topic-accessibility", "topic-mobile", "topic-hosting"]),
    );
  });

  it("saves a valid offer and redirects to /offer", async () => {
    const { coach, organisationId, cookie } = await coachWithSession("Europe/Lisbon");

    const { response, thrown } = await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/offer");
    const stored = storedOffer(coach.id)!;
    expect(stored.offer).toMatchObject({
      organisationId,
      formats: ["video", "inPerson"],
      inPersonRegion: "DE-BE",
      travelKm: 30,
      accessSupport: ["plainLanguage"],
      capacityPerMonth: 3,
      pausedUntil: null,
      bio: "Ich helfe beim Einstieg.",
      timeZone: "Europe/Lisbon",
    });
    expect(stored.topics).toEqual([
      { topicId: "topic-hosting", level: 3, note: "" },
      { topicId: "topic-onboarding", level: 2, note: "Räume und Mitglieder" },
    ]);
    expect(stored.languages).toEqual(["de", "uk"]);
    expect(stored.windows).toEqual([
      { weekday: 2, startMinute: 1080, endMinute: 1200 },
      { weekday: 6, startMinute: 600, endMinute: 750 },
    ]);
  });

  it("loads the saved offer back into the form's shape", async () => {
    const { organisationId, cookie } = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));

    const body = await (await call(offerEditRoute.loader, get("/offer/edit", cookie))).response.json();

    expect(body.isNew).toBe(false);
    expect(body.values).toEqual({
      organisationId,
      topics: {
        "topic-hosting": { level: "3", note: "" },
        "topic-onboarding": { level: "2", note: "Räume und Mitglieder" },
      },
      languages: expect.arrayContaining(["de", "uk"]),
      formats: ["video", "inPerson"],
      inPersonRegion: "DE-BE",
      travelKm: "30",
      accessSupport: ["plainLanguage"],
      windows: [
        { weekday: "2", start: "18:00", end: "20:00" },
        { weekday: "6", start: "10:00", end: "12:30" },
      ],
      capacityPerMonth: "3",
      pausedUntil: "",
      bio: "Ich helfe beim Einstieg.",
    });
  });

  it("stores a bio containing markup verbatim", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();
    const bio = `<script>alert("x")</script> & <b>fett</b>`;

    const { response } = await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId, [["bio", bio]]), cookie));

    expect(response.status).toBe(302);
    expect(storedOffer(coach.id)?.offer.bio).toBe(bio);
  });

  it("answers a 10,000-character bio with 400 and leaves the saved offer unchanged", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));
    const before = storedOffer(coach.id);
    expect(before).not.toBeNull();

    const longBio = "x".repeat(10_000);
    const { response, thrown } = await call(
      offerEditRoute.action,
      post("/offer/edit", saveFields(organisationId, [["bio", longBio], ["languages", "fr"], ["capacityPerMonth", "9"]]), cookie),
    );

    expect(thrown).toBe(false);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ bio: "errors.tooLong:1000" });
    expect(body.values).toMatchObject({ bio: longBio, languages: ["fr"], capacityPerMonth: "9" });
    expect(storedOffer(coach.id)).toEqual(before);
  });

  it("answers another person's organisation with 400 and stores nothing", async () => {
    const { coach, cookie } = await coachWithSession();
    const stranger = makeUser(["coach"]);
    const strangersOrganisation = makeOrganisation(stranger.id, "Fremder Verein");

    const { response } = await call(offerEditRoute.action, post("/offer/edit", saveFields(strangersOrganisation), cookie));

    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ organisationId: "errors.organisationInvalid" });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("adds an empty window row without storing anything", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();

    const { response, thrown } = await call(
      offerEditRoute.action,
      post("/offer/edit", [["intent", "addWindow"], ...offerFields(organisationId)], cookie),
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
    expect(body.values).toMatchObject({ organisationId, bio: "Ich helfe beim Einstieg.", languages: ["de", "uk"] });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("adds a row without touching an existing offer, even with invalid input", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));
    const before = storedOffer(coach.id);

    const { response } = await call(
      offerEditRoute.action,
      post("/offer/edit", [["intent", "addWindow"], ...offerFields(organisationId, [["bio", ""], ["capacityPerMonth", "0"]])], cookie),
    );

    expect(response.status).toBe(200);
    expect((await response.json()).values.windows).toHaveLength(3);
    expect(storedOffer(coach.id)).toEqual(before);
  });

  it("removes the first window row", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();

    const { response } = await call(
      offerEditRoute.action,
      post("/offer/edit", [["intent", "removeWindow:0"], ...offerFields(organisationId)], cookie),
    );

    expect(response.status).toBe(200);
    expect((await response.json()).values.windows).toEqual([{ weekday: "6", start: "10:00", end: "12:30" }]);
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("keeps one empty row when the last row is removed", async () => {
    const { organisationId, cookie } = await coachWithSession();
    const fields = offerFields(organisationId).filter(([name]) => !name.startsWith("windows.1."));

    const { response } = await call(offerEditRoute.action, post("/offer/edit", [["intent", "removeWindow:0"], ...fields], cookie));

    expect(response.status).toBe(200);
    expect((await response.json()).values.windows).toEqual([{ weekday: "1", start: "", end: "" }]);
  });

  it("answers an unknown intent with 400 and stores nothing", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();

    const { response } = await call(
      offerEditRoute.action,
      post("/offer/edit", [["intent", "publish"], ...offerFields(organisationId)], cookie),
    );

    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ form: "errors.unknownIntent" });
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("answers a submission without intent with 400", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();

    const { response } = await call(offerEditRoute.action, post("/offer/edit", offerFields(organisationId), cookie));

    expect(response.status).toBe(400);
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("shows each coach only their own offer", async () => {
    const a = await coachWithSession();
    const b = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(a.organisationId, [["bio", "Offer of coach A"]]), a.cookie));
    await call(offerEditRoute.action, post("/offer/edit", saveFields(b.organisationId, [["bio", "Offer of coach B"]]), b.cookie));

    const editA = await (await call(offerEditRoute.loader, get("/offer/edit", a.cookie))).response.json();
    const editB = await (await call(offerEditRoute.loader, get("/offer/edit", b.cookie))).response.json();
    const indexA = await (await call(offerIndexRoute.loader, get("/offer", a.cookie))).response.json();
    const indexB = await (await call(offerIndexRoute.loader, get("/offer", b.cookie))).response.json();

    expect(editA.values).toMatchObject({ organisationId: a.organisationId, bio: "Offer of coach A" });
    expect(editB.values).toMatchObject({ organisationId: b.organisationId, bio: "Offer of coach B" });
    expect(editA.organisations).toEqual([{ id: a.organisationId, name: "Verein Beispiel" }]);
    expect(indexA.offer).toMatchObject({ userId: a.coach.id, bio: "Offer of coach A", organisation: { id: a.organisationId } });
    expect(indexB.offer).toMatchObject({ userId: b.coach.id, bio: "Offer of coach B", organisation: { id: b.organisationId } });
    expect(JSON.stringify(indexA)).not.toContain("Offer of coach B");
    expect(JSON.stringify(editA)).not.toContain("Offer of coach B");
  });
});

describe("/offer", () => {
  it("returns no offer for a coach who has none", async () => {
    const { cookie } = await coachWithSession();

    const { response, thrown } = await call(offerIndexRoute.loader, get("/offer", cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.offer).toBeNull();
    expect(body.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("returns the coach's offer with topics, languages and windows", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));

    const body = await (await call(offerIndexRoute.loader, get("/offer", cookie))).response.json();

    expect(body.offer).toMatchObject({
      userId: coach.id,
      organisation: { id: organisationId, name: "Verein Beispiel" },
      languages: expect.arrayContaining(["de", "uk"]),
      windows: [
        { weekday: 2, startMinute: 1080, endMinute: 1200 },
        { weekday: 6, startMinute: 600, endMinute: 750 },
      ],
    });
    expect(body.offer.topics.map((topic: { topicId: string }) => topic.topicId).sort()).toEqual(["topic-hosting", "topic-onboarding"]);
  });

  it.each([["2026-13-45"], [""], ["not a date"]])("answers the pause date %j with 400 and stores nothing", async (date) => {
    const { coach, organisationId, cookie } = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));

    const { response, thrown } = await call(offerIndexRoute.action, post("/offer", [["intent", "pause"], ["pausedUntil", date]], cookie));

    expect(thrown).toBe(false);
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ pausedUntil: "errors.dateInvalid" });
    expect(storedOffer(coach.id)?.offer.pausedUntil).toBeNull();
  });

  it("pauses with a valid date, then resumes", async () => {
    const { coach, organisationId, cookie } = await coachWithSession();
    await call(offerEditRoute.action, post("/offer/edit", saveFields(organisationId), cookie));

    const paused = await call(offerIndexRoute.action, post("/offer", [["intent", "pause"], ["pausedUntil", "2026-04-30"]], cookie));

    expect(paused.thrown).toBe(false);
    expect(paused.response.status).toBe(302);
    expect(paused.response.headers.get("Location")).toBe("/offer");
    expect(storedOffer(coach.id)?.offer.pausedUntil).toBe("2026-04-30");

    const resumed = await call(offerIndexRoute.action, post("/offer", [["intent", "resume"]], cookie));

    expect(resumed.response.status).toBe(302);
    expect(storedOffer(coach.id)?.offer.pausedUntil).toBeNull();
  });

  it("answers pausing without an offer with 404", async () => {
    const { coach, cookie } = await coachWithSession();

    const { response, thrown } = await call(offerIndexRoute.action, post("/offer", [["intent", "pause"], ["pausedUntil", "2026-04-30"]], cookie));

    expect(thrown).toBe(true);
    expect(response.status).toBe(404);
    expect(storedOffer(coach.id)).toBeNull();
  });

  it("answers an unknown intent with 400", async () => {
    const { cookie } = await coachWithSession();

    const { response } = await call(offerIndexRoute.action, post("/offer", [["intent", "delete"]], cookie));

    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ form: "errors.unknownIntent" });
  });
});
