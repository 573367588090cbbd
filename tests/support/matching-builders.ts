/** Profile builders shared by the matching unit tests: a coach and a request that match on every rule. */
import type { AvailabilityWindow } from "~/domain/availability";
import type { CoachProfile, RequestProfile } from "~/domain/matching/scoring";

// A Wednesday in winter: Europe/Berlin is UTC+1, so Monday 18:00–20:00 Berlin is 17:00–19:00 UTC.
export const REFERENCE = new Date("2026-12-02T12:00:00Z");
export const MS_PER_DAY = 86_400_000;
export const MONDAY = 1;
export const TUESDAY = 2;
export const WEDNESDAY = 3;
export const SUNDAY = 7;

export function at(weekday: number, start: string, end: string): AvailabilityWindow {
  const minute = (text: string) => {
    const [hours = 0, minutes = 0] = text.split(":").map(Number);
    return hours * 60 + minutes;
  };
  return { weekday, startMinute: minute(start), endMinute: minute(end) };
}

export function daysBefore(date: Date, days: number) {
  return new Date(date.getTime() - days * MS_PER_DAY);
}

/** A coach who matches `request()` on every rule. */
export function coach(overrides: Partial<CoachProfile> = {}): CoachProfile {
  return {
    offerId: "offer-1",
    userId: "user-coach",
    organisationId: "org-coach",
    organisationKind: "association",
    languages: ["de"],
    formats: ["video"],
    inPersonRegion: null,
    travelKm: null,
    accessSupport: [],
    topics: [{ topicId: "topic-accessibility", level: 3 }],
    windows: [at(MONDAY, "18:00", "20:00")],
    timeZone: "Europe/Berlin",
    pausedUntil: null,
    capacityPerMonth: 4,
    matchesThisMonth: 0,
    recentSessions: 0,
    ...overrides,
  };
}

/** A request that matches `coach()` on every rule, waiting 10 days at `REFERENCE`. */
export function request(overrides: Partial<RequestProfile> = {}): RequestProfile {
  return {
    requestId: "request-1",
    userId: "user-requester",
    organisationId: "org-request",
    organisationKind: "association",
    languages: ["de"],
    formats: ["video"],
    inPersonRegion: null,
    accessNeeds: [],
    mainTopicId: "topic-accessibility",
    otherTopicIds: [],
    windows: [at(MONDAY, "18:00", "20:00")],
    timeZone: "Europe/Berlin",
    sessionMinutes: 60,
    createdAt: daysBefore(REFERENCE, 10),
    declinedOfferIds: [],
    ...overrides,
  };
}
