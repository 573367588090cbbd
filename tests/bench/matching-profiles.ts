/**
 * Synthetic but realistic coach and request profiles for the matching benchmarks: most people speak
 * German, many English; video is the common format; windows cluster in evenings and office hours;
 * a few need access support. Deterministic for a given seed.
 */
import type { CoachProfile, RequestProfile } from "~/domain/matching/scoring";
import { accessOptions, languageCodes, organisationKinds, regionCodes, type SessionFormat } from "~db/schema";

export const benchTopicIds = ["topic-onboarding", "topic-accessibility", "topic-mobile", "topic-hosting"];

export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T,>(random: Random, items: readonly T[]) => items[Math.floor(random() * items.length)] as T;

function languages(random: Random) {
  const spoken = new Set<(typeof languageCodes)[number]>();
  if (random() < 0.92) spoken.add("de");
  if (random() < 0.45) spoken.add("en");
  if (random() < 0.2 || spoken.size === 0) spoken.add(pick(random, languageCodes));
  return [...spoken];
}

function formats(random: Random): SessionFormat[] {
  const chosen: SessionFormat[] = [];
  if (random() < 0.85) chosen.push("video");
  if (random() < 0.35) chosen.push("phone");
  if (random() < 0.3 || chosen.length === 0) chosen.push("inPerson");
  return chosen;
}

function windows(random: Random, count: number) {
  const result = [];
  const usedDays = new Set<number>();
  for (let n = 0; n < count; n++) {
    const weekday = 1 + Math.floor(random() * 7);
    if (usedDays.has(weekday)) continue;
    usedDays.add(weekday);
    const evening = random() < 0.5;
    const startHour = evening ? 17 + Math.floor(random() * 2) : 9 + Math.floor(random() * 6);
    const hours = 2 + Math.floor(random() * 3);
    result.push({ weekday, startMinute: startHour * 60 + (random() < 0.5 ? 0 : 30), endMinute: Math.min(1440, (startHour + hours) * 60) });
  }
  return result;
}

const zones = ["Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Vienna", "Europe/London", "America/New_York"];

export function benchCoaches(count: number, seed = 1): CoachProfile[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const chosenFormats = formats(random);
    const inPerson = chosenFormats.includes("inPerson");
    const topicCount = 1 + Math.floor(random() * 3);
    const topics = [...benchTopicIds].sort(() => random() - 0.5).slice(0, topicCount);
    return {
      offerId: `offer-${n}`,
      userId: `coach-${n}`,
      organisationId: `coach-org-${n % Math.max(1, Math.floor(count / 2))}`,
      organisationKind: pick(random, organisationKinds),
      languages: languages(random),
      formats: chosenFormats,
      inPersonRegion: inPerson ? pick(random, regionCodes.slice(0, 16)) : null,
      travelKm: inPerson ? pick(random, [20, 50, 100, 200, 400]) : null,
      accessSupport: accessOptions.filter(() => random() < 0.3),
      topics: topics.map((topicId) => ({ topicId, level: 1 + Math.floor(random() * 3) })),
      windows: windows(random, 3 + Math.floor(random() * 4)),
      timeZone: pick(random, zones),
      pausedUntil: random() < 0.05 ? "2099-01-01" : null,
      capacityPerMonth: 5,
      matchesThisMonth: 0,
      recentSessions: Math.floor(random() * 6),
    };
  });
}

export function benchRequests(count: number, referenceDate: Date, seed = 2): RequestProfile[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, n) => {
    const chosenFormats = formats(random);
    const topics = [...benchTopicIds].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 2));
    return {
      requestId: `request-${n}`,
      userId: `requester-${n}`,
      organisationId: `request-org-${n}`,
      organisationKind: pick(random, organisationKinds),
      languages: languages(random),
      formats: chosenFormats,
      inPersonRegion: chosenFormats.includes("inPerson") ? pick(random, regionCodes.slice(0, 16)) : null,
      accessNeeds: random() < 0.15 ? [pick(random, accessOptions)] : [],
      mainTopicId: topics[0]!,
      otherTopicIds: topics.slice(1),
      windows: windows(random, 3 + Math.floor(random() * 4)),
      timeZone: pick(random, zones),
      sessionMinutes: pick(random, [30, 45, 60, 90]),
      createdAt: new Date(referenceDate.getTime() - Math.floor(random() * 60) * 86_400_000),
      declinedOfferIds: [],
    };
  });
}
