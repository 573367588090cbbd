/**
 * Fixtures for integration tests on a real migrated database: people, their organisations, coach
 * offers and requests that fit each other (German, video, Mondays 18–20 Berlin, onboarding).
 */
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "~/db.server";
import { saveOffer } from "~/models/offer.server";
import { createOrganisation, type NewOrganisation } from "~/models/organisation.server";
import { createRequest } from "~/models/request.server";
import { createUser } from "~/models/user.server";
import type { OfferInput } from "~/schemas/offer";
import type { RequestInput } from "~/schemas/request";
import { defaultMatchingWeights } from "~/domain/matching/criteria";
import { executeMatchingRun } from "~/models/matching-runs.server";
import { coachOffers, matchingRuns, type AssignmentModeName, type RoleName } from "~db/schema";

/** An offer that fits `requestInput()`, for a coach of `organisationId`. */
export function offerInput(organisationId: string, overrides: Partial<OfferInput> = {}): OfferInput {
  return {
    organisationId,
    topics: [{ topicId: "topic-onboarding", level: 3, note: "" }],
    languages: ["de"],
    formats: ["video"],
    inPersonRegion: null,
    travelKm: null,
    accessSupport: [],
    windows: [{ weekday: 1, startMinute: 18 * 60, endMinute: 20 * 60 }],
    capacityPerMonth: 2,
    pausedUntil: null,
    bio: "Ich begleite Vereine.",
    ...overrides,
  };
}

/** A request that fits `offerInput()`, on behalf of `organisationId`. */
export function requestInput(organisationId: string, overrides: Partial<RequestInput> = {}): RequestInput {
  return {
    organisationId,
    topics: ["topic-onboarding"],
    mainTopic: "topic-onboarding",
    goal: "Wir möchten HumHub einführen.",
    urgency: "flexible",
    deadline: null,
    languages: ["de"],
    formats: ["video"],
    inPersonRegion: null,
    accessNeeds: [],
    windows: [{ weekday: 1, startMinute: 18 * 60, endMinute: 20 * 60 }],
    sessionMinutes: 60,
    ...overrides,
  };
}

export type FixtureOptions = {
  /** People are called `${person} ${n}`. */
  person: string;
  /** Emails are `${emailPrefix}-${n}-${Date.now()}@${emailPrefix}.example`. */
  emailPrefix: string;
  passwordHash?: string;
  /** What every offer saved by `makeCoach` has, unless the call says otherwise. */
  offer?: Partial<OfferInput>;
  /** What every request created by `makeRequest` has, unless the call says otherwise. */
  request?: Partial<RequestInput>;
};

/** One test file's fixtures: its own numbering, names and defaults. */
export function matchingFixtures({ person, emailPrefix, passwordHash = "not-a-real-hash", offer = {}, request = {} }: FixtureOptions) {
  let counter = 0;
  /** Every person made, to prove that none of them reaches a page or an export. */
  const people: { name: string; email: string }[] = [];

  function makeUser(roles: RoleName[]) {
    counter += 1;
    const name = `${person} ${counter}`;
    const email = `${emailPrefix}-${counter}-${Date.now()}@${emailPrefix}.example`;
    const user = createUser({ name, email, passwordHash, locale: "de", timeZone: "Europe/Berlin", roles });
    if (!user) throw new Error("user could not be created");
    people.push({ name, email });
    return { ...user, name };
  }

  /** An association in Berlin named after the latest person, unless `overrides` say otherwise. */
  function makeOrganisation(userId: string, overrides: Partial<NewOrganisation> = {}) {
    return createOrganisation(userId, {
      name: `Verein ${counter}`,
      kind: "association",
      sizeBand: "upTo50",
      region: "DE-BE",
      website: null,
      ...overrides,
    });
  }

  /** A new coach with an organisation and a saved offer that fits `makeRequest()`. */
  function makeCoach(overrides: Partial<OfferInput> = {}, { organisation = {} }: { organisation?: Partial<NewOrganisation> } = {}) {
    const coach = makeUser(["coach"]);
    const organisationId = makeOrganisation(coach.id, organisation);
    expect(saveOffer(coach.id, offerInput(organisationId, { ...offer, ...overrides }))).toEqual({ ok: true });
    const saved = getDb().select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, coach.id)).get()!;
    return { coach, offerId: saved.id };
  }

  /** A new requester with an organisation and an open request, created at `now`, that fits `makeCoach()`. */
  function makeRequest(
    overrides: Partial<RequestInput> = {},
    { now = new Date(), organisation = {} }: { now?: Date; organisation?: Partial<NewOrganisation> } = {},
  ) {
    const requester = makeUser(["requester"]);
    const organisationId = makeOrganisation(requester.id, organisation);
    const result = createRequest(requester.id, requestInput(organisationId, { ...request, ...overrides }), now);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return { requester, requestId: result.requestId };
  }

  return { people, makeUser, makeOrganisation, makeCoach, makeRequest };
}

/** A batch run computed right here, without a worker thread; returns its id. */
export function runBatchNow(mode: AssignmentModeName, startedByUserId: string) {
  const runId = crypto.randomUUID();
  getDb()
    .insert(matchingRuns)
    .values({ id: runId, mode, status: "running", phase: "loading", weights: defaultMatchingWeights, startedByUserId })
    .run();
  executeMatchingRun(runId);
  return runId;
}
