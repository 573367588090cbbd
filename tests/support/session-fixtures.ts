/**
 * Accepted matches for session tests, made through the real models (createUser, saveOffer, createRequest,
 * proposeMatch, actOnMatch) at an explicit `now`, between a coach in Berlin and a requester in New York.
 *
 * The default `now`, Monday 2027-03-08 12:00 UTC, puts both daylight-saving changes inside the 28-day horizon:
 * New York moves to EDT on Sunday 2027-03-14, Berlin to CEST on Sunday 2027-03-28. With the default windows
 * (coach Mon–Fri 15:00–19:00 Berlin, requester Mon–Fri 09:00–12:00 New York) the common time is
 *   until 2027-03-12:        14:00–17:00 UTC (CET, EST)
 *   2027-03-15 – 2027-03-26: 14:00–16:00 UTC (CET, EDT)
 *   from 2027-03-29:         13:00–16:00 UTC (CEST, EDT)
 */
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb } from "~/db.server";
import type { AvailabilityWindow } from "~/domain/availability";
import { actOnMatch, proposeMatch } from "~/models/match.server";
import { saveOffer } from "~/models/offer.server";
import { createOrganisation } from "~/models/organisation.server";
import { createRequest } from "~/models/request.server";
import type { SessionViewer } from "~/models/session.server";
import { createUser } from "~/models/user.server";
import type { OfferInput } from "~/schemas/offer";
import type { RequestInput } from "~/schemas/request";
import { coachOffers, type RoleName } from "~db/schema";
import { offerInput, requestInput } from "./matching-fixtures";
import { sessionFor } from "./route-calls";

export const NOW = new Date("2027-03-08T12:00:00Z");
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Epoch milliseconds of a UTC wall time, e.g. utc("2027-03-16T14:00"). */
export function utc(isoWithoutZone: string) {
  return Date.parse(`${isoWithoutZone}:00Z`);
}

const weekdays = [1, 2, 3, 4, 5];
export const coachWindows: AvailabilityWindow[] = weekdays.map((weekday) => ({ weekday, startMinute: 15 * 60, endMinute: 19 * 60 }));
export const requesterWindows: AvailabilityWindow[] = weekdays.map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 12 * 60 }));

export type Person = { id: string; email: string; name: string; roles: RoleName[]; timeZone: string };

export function asViewer(person: Person): SessionViewer {
  return { id: person.id, roles: person.roles };
}

export function sessionFixtures({ person, emailPrefix }: { person: string; emailPrefix: string }) {
  let counter = 0;
  let team: Person | null = null;

  function makeUser(roles: RoleName[], timeZone = "Europe/Berlin"): Person {
    counter += 1;
    const name = `${person} ${counter}`;
    const created = createUser({
      name,
      email: `${emailPrefix}-${counter}-${crypto.randomUUID().slice(0, 8)}@${emailPrefix}.example`,
      passwordHash: "not-a-real-hash",
      locale: "de",
      timeZone,
      roles,
    });
    if (!created) throw new Error("test user could not be created");
    return { ...created, name, roles, timeZone };
  }

  function makeOrganisation(userId: string) {
    return createOrganisation(userId, { name: `Verein ${counter}`, kind: "association", sizeBand: "upTo50", region: "DE-BE", website: null });
  }

  /** The team member who proposes every match of this file. */
  function teamMember() {
    team ??= makeUser(["team"]);
    return team;
  }

  /** A coach in `timeZone` with a saved offer (video and phone, 60 minutes a session fits). */
  function makeCoach({ timeZone = "Europe/Berlin", overrides = {} }: { timeZone?: string; overrides?: Partial<OfferInput> } = {}) {
    const coach = makeUser(["coach"], timeZone);
    const organisationId = makeOrganisation(coach.id);
    const saved = saveOffer(coach.id, offerInput(organisationId, { formats: ["video", "phone"], windows: coachWindows, capacityPerMonth: 60, ...overrides }), NOW);
    expect(saved).toEqual({ ok: true });
    const offerId = getDb().select({ id: coachOffers.id }).from(coachOffers).where(eq(coachOffers.userId, coach.id)).get()!.id;
    return { coach, offerId };
  }

  /**
   * A request, of a new requester in `timeZone` (New York unless said otherwise) or of `requester`, that the team
   * proposes to the coach (a new one unless given) and the coach accepts, all at `now`.
   */
  function makeAcceptedMatch({
    coach = makeCoach(),
    requester = undefined,
    timeZone = "America/New_York",
    request = {},
    now = NOW,
  }: { coach?: ReturnType<typeof makeCoach>; requester?: Person; timeZone?: string; request?: Partial<RequestInput>; now?: Date } = {}) {
    requester ??= makeUser(["requester"], timeZone);
    const organisationId = makeOrganisation(requester.id);
    const created = createRequest(requester.id, requestInput(organisationId, { formats: ["video", "phone"], windows: requesterWindows, sessionMinutes: 60, ...request }), now);
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    const proposed = proposeMatch({ requestId: created.requestId, offerId: coach.offerId, source: "team", actorUserId: teamMember().id }, now);
    if (!proposed.ok) throw new Error(`proposal refused: ${proposed.refusal}`);
    expect(proposed.status).toBe("awaitingCoach");
    const accepted = actOnMatch({ matchId: proposed.matchId, action: "accept", actorUserId: coach.coach.id, actorRole: "coach" }, now);
    expect(accepted).toEqual({ ok: true, status: "accepted" });
    return { coach: coach.coach, offerId: coach.offerId, requester, requestId: created.requestId, matchId: proposed.matchId, team: teamMember() };
  }

  /** Session cookies of the given people, as a browser sends them back. */
  async function cookiesFor<K extends string>(people: Record<K, Person>): Promise<Record<K, string>> {
    const entries = await Promise.all(Object.entries<Person>(people).map(async ([key, who]) => [key, await sessionFor(who.id)] as const));
    return Object.fromEntries(entries) as Record<K, string>;
  }

  /** `makeAcceptedMatch` with the session cookies of the coach, the requester and the team member. */
  async function acceptedMatchWithCookies(options: Parameters<typeof makeAcceptedMatch>[0] = {}) {
    const match = makeAcceptedMatch(options);
    const cookies = await cookiesFor({ coach: match.coach, requester: match.requester, team: match.team });
    return { ...match, cookies };
  }

  return { makeUser, makeCoach, makeAcceptedMatch, acceptedMatchWithCookies, teamMember, cookiesFor };
}
