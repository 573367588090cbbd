/**
 * Scoring coach offers against coaching requests. Pure: the caller reads the database and passes
 * profiles in. Profiles are compiled once into typed arrays (bit masks, indices, UTC week intervals) so
 * that one pair costs a few dozen machine operations; the batch run scores millions of pairs.
 */
import { toUtcMinutesOfWeek, type AvailabilityWindow, type UtcWeekInterval } from "~/domain/availability";
import { calendarToday } from "~/domain/requests";
import {
  exclusionRules,
  fullCommonTimeMinutes,
  fullWaitingDays,
  mainTopicShare,
  softCriteria,
  topicLevelFactor,
  type ExclusionRule,
  type MatchingWeights,
  type SoftCriterion,
} from "~/domain/matching/criteria";
import { regionDistanceTable } from "~/domain/matching/regions";
import {
  accessOptions,
  languageCodes,
  organisationKinds,
  regionCodes,
  sessionFormats,
  type AccessOption,
  type LanguageCode,
  type OrganisationKind,
  type RegionCode,
  type SessionFormat,
} from "~db/schema";

export type CoachProfile = {
  offerId: string;
  userId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  languages: readonly LanguageCode[];
  formats: readonly SessionFormat[];
  inPersonRegion: RegionCode | null;
  travelKm: number | null;
  accessSupport: readonly AccessOption[];
  topics: readonly { topicId: string; level: number }[];
  windows: readonly AvailabilityWindow[];
  timeZone: string;
  /** Inclusive calendar date (YYYY-MM-DD) in the coach's zone, or null. */
  pausedUntil: string | null;
  capacityPerMonth: number;
  /** Matches the coach already holds this month (pending or accepted). */
  matchesThisMonth: number;
  /** Sessions in the last `fairnessWindowDays` days. */
  recentSessions: number;
};

export type RequestProfile = {
  requestId: string;
  userId: string;
  organisationId: string;
  organisationKind: OrganisationKind;
  languages: readonly LanguageCode[];
  formats: readonly SessionFormat[];
  inPersonRegion: RegionCode | null;
  accessNeeds: readonly AccessOption[];
  mainTopicId: string;
  otherTopicIds: readonly string[];
  windows: readonly AvailabilityWindow[];
  timeZone: string;
  sessionMinutes: number;
  createdAt: Date;
  /** Offers whose coach declined this request, or let a proposal for it expire. */
  declinedOfferIds: readonly string[];
};

const MINUTES_PER_WEEK = 10080;
const MS_PER_DAY = 86_400_000;
// Coarse availability: one bit per hour of the week that a window touches (168 bits in six words), so most
// pairs without common time are found with six ANDs instead of walking both interval lists.
const HOURS_PER_WEEK = 168;
const HOUR_WORDS = 6;
const IN_PERSON_BIT = 1 << sessionFormats.indexOf("inPerson");
const NO_INDEX = -1;

const ruleBit = Object.fromEntries(exclusionRules.map((rule, position) => [rule, 1 << position])) as Record<
  ExclusionRule,
  number
>;
// The scoring loop reads plain constants; property reads on the lookup object above cost a good
// share of a pair's time.
const OWN_OFFER = ruleBit.ownOffer;
const NO_SHARED_LANGUAGE = ruleBit.noSharedLanguage;
const NO_COMMON_FORMAT = ruleBit.noCommonFormat;
const ACCESS_NOT_SUPPORTED = ruleBit.accessNotSupported;
const SAME_ORGANISATION = ruleBit.sameOrganisation;
const COACH_DECLINED = ruleBit.coachDeclined;
const NO_SHARED_TOPIC = ruleBit.noSharedTopic;
const NO_COMMON_TIME = ruleBit.noCommonTime;
const EXCLUDED = Number.NaN;
const criterionSlot = Object.fromEntries(softCriteria.map((criterion, position) => [criterion, position])) as Record<
  SoftCriterion,
  number
>;

/** Per-pair working values, filled by `evaluatePair`: one fraction (0–1) per criterion, then facts. */
const detailSlots = {
  commonMinutes: softCriteria.length,
  longestCommonMinutes: softCriteria.length + 1,
  distanceKm: softCriteria.length + 2,
  mainTopicLevel: softCriteria.length + 3,
} as const;
const detailLength = softCriteria.length + 4;

type WeekIntervals = { starts: Int32Array; ends: Int32Array; firstOf: Int32Array };

export type CoachPool = {
  count: number;
  offerIds: string[];
  offerIndexById: Map<string, number>;
  topicIndexById: Map<string, number>;
  organisationIndexById: Map<string, number>;
  userIndexById: Map<string, number>;
  userIndex: Int32Array;
  organisationIndex: Int32Array;
  organisationKind: Int8Array;
  languageMask: Int32Array;
  formatMask: Int32Array;
  accessMask: Int32Array;
  region: Int8Array;
  travelKm: Float64Array;
  /** The rules a coach fails whatever the request: paused, at capacity. */
  coachRules: Int32Array;
  remainingCapacity: Int32Array;
  recentSessions: Float64Array;
  /** count × topicCount levels (0 = topic not offered). */
  topicLevels: Uint8Array;
  topicCount: number;
  /** `HOUR_WORDS` words per owner: the hours of the week their windows touch. */
  hoursTouched: Int32Array;
  windows: WeekIntervals;
};

export type RequestPool = {
  count: number;
  requestIds: string[];
  userIndex: Int32Array;
  organisationIndex: Int32Array;
  organisationKind: Int8Array;
  languageMask: Int32Array;
  formatMask: Int32Array;
  accessMask: Int32Array;
  region: Int8Array;
  mainTopic: Int32Array;
  mainTopicIds: string[];
  /** Other topics the pool knows; `otherTopicIds` keeps every one the request names. */
  otherTopics: Int32Array;
  otherTopicsFirstOf: Int32Array;
  otherTopicIds: string[][];
  declinedCoaches: Int32Array;
  declinedFirstOf: Int32Array;
  sessionMinutes: Int32Array;
  waitingDays: Float64Array;
  /** `HOUR_WORDS` words per owner: the hours of the week their windows touch. */
  hoursTouched: Int32Array;
  windows: WeekIntervals;
};

function maskOf<T>(vocabulary: readonly T[], values: readonly T[]) {
  let mask = 0;
  for (const value of values) {
    const position = vocabulary.indexOf(value);
    if (position >= 0) mask |= 1 << position;
  }
  return mask;
}

function indexIn(map: Map<string, number>, key: string) {
  let index = map.get(key);
  if (index === undefined) {
    index = map.size;
    map.set(key, index);
  }
  return index;
}

/**
 * A person's windows as sorted, merged UTC intervals of the week containing `referenceDate`. Merging
 * touching intervals matters: 10:00–12:00 and 12:00–13:00 offer one 3-hour stretch for a session.
 */
// Converting through Intl is the slow part of compiling, and many people share a zone and typical
// times. A conversion depends on the reference date only through the owner's local week, which can
// only change on a quarter hour (zone offsets are multiples of 15 minutes), so results are kept per
// quarter hour of the reference date.
const QUARTER_HOUR_MS = 900_000;
const conversionCacheLimit = 200_000;
const conversions = new Map<string, UtcWeekInterval[]>();

function convertWindow(window: AvailabilityWindow, timeZone: string, referenceDate: Date) {
  const key = `${Math.floor(referenceDate.getTime() / QUARTER_HOUR_MS)} ${timeZone} ${window.weekday} ${window.startMinute} ${window.endMinute}`;
  let utc = conversions.get(key);
  if (!utc) {
    if (conversions.size >= conversionCacheLimit) conversions.clear();
    utc = toUtcMinutesOfWeek(window, timeZone, referenceDate);
    conversions.set(key, utc);
  }
  return utc;
}

function utcWeekIntervals(windows: readonly AvailabilityWindow[], timeZone: string, referenceDate: Date) {
  const intervals = windows
    .flatMap((window) => convertWindow(window, timeZone, referenceDate))
    .sort((first, second) => first.start - second.start);
  const merged: { start: number; end: number }[] = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

function packIntervals(perOwner: { start: number; end: number }[][]): { windows: WeekIntervals; hours: Int32Array } {
  const total = perOwner.reduce((sum, intervals) => sum + intervals.length, 0);
  const windows = { starts: new Int32Array(total), ends: new Int32Array(total), firstOf: new Int32Array(perOwner.length + 1) };
  const hours = new Int32Array(perOwner.length * HOUR_WORDS);
  let position = 0;
  perOwner.forEach((intervals, owner) => {
    windows.firstOf[owner] = position;
    for (const { start, end } of intervals) {
      windows.starts[position] = start;
      windows.ends[position] = end;
      for (let hour = Math.floor(start / 60); hour <= Math.floor((end - 1) / 60) && hour < HOURS_PER_WEEK; hour++) {
        hours[owner * HOUR_WORDS + (hour >> 5)]! |= 1 << (hour & 31);
      }
      position++;
    }
  });
  windows.firstOf[perOwner.length] = position;
  return { windows, hours };
}

/** Compiles coach offers as of `referenceDate` (its week for time zones, its day for pauses). */
export function compileCoaches(coaches: readonly CoachProfile[], referenceDate: Date): CoachPool {
  const count = coaches.length;
  const topicIndexById = new Map<string, number>();
  for (const coach of coaches) for (const topic of coach.topics) indexIn(topicIndexById, topic.topicId);
  const topicCount = topicIndexById.size;
  const organisationIndexById = new Map<string, number>();
  const userIndexById = new Map<string, number>();
  const pool: CoachPool = {
    count,
    offerIds: coaches.map((coach) => coach.offerId),
    offerIndexById: new Map(coaches.map((coach, index) => [coach.offerId, index])),
    topicIndexById,
    organisationIndexById,
    userIndexById,
    userIndex: new Int32Array(count),
    organisationIndex: new Int32Array(count),
    organisationKind: new Int8Array(count),
    languageMask: new Int32Array(count),
    formatMask: new Int32Array(count),
    accessMask: new Int32Array(count),
    region: new Int8Array(count),
    travelKm: new Float64Array(count),
    coachRules: new Int32Array(count),
    remainingCapacity: new Int32Array(count),
    recentSessions: new Float64Array(count),
    topicLevels: new Uint8Array(count * topicCount),
    topicCount,
    hoursTouched: new Int32Array(0),
    windows: { starts: new Int32Array(0), ends: new Int32Array(0), firstOf: new Int32Array(1) },
  };
  const todayByZone = new Map<string, string>();
  coaches.forEach((coach, index) => {
    pool.userIndex[index] = indexIn(userIndexById, coach.userId);
    pool.organisationIndex[index] = indexIn(organisationIndexById, coach.organisationId);
    pool.organisationKind[index] = organisationKinds.indexOf(coach.organisationKind);
    pool.languageMask[index] = maskOf(languageCodes, coach.languages);
    pool.formatMask[index] = maskOf(sessionFormats, coach.formats);
    pool.accessMask[index] = maskOf(accessOptions, coach.accessSupport);
    pool.region[index] = coach.inPersonRegion ? regionCodes.indexOf(coach.inPersonRegion) : NO_INDEX;
    pool.travelKm[index] = coach.travelKm ?? 0;
    let coachToday = todayByZone.get(coach.timeZone);
    if (coachToday === undefined) {
      coachToday = calendarToday(coach.timeZone, referenceDate);
      todayByZone.set(coach.timeZone, coachToday);
    }
    const remaining = Math.max(0, coach.capacityPerMonth - coach.matchesThisMonth);
    pool.remainingCapacity[index] = remaining;
    pool.coachRules[index] =
      (coach.pausedUntil !== null && coach.pausedUntil >= coachToday ? ruleBit.coachPaused : 0) |
      (remaining === 0 ? ruleBit.coachAtCapacity : 0);
    pool.recentSessions[index] = coach.recentSessions;
    for (const topic of coach.topics) {
      pool.topicLevels[index * topicCount + topicIndexById.get(topic.topicId)!] = topic.level;
    }
  });
  const { windows, hours } = packIntervals(coaches.map((coach) => utcWeekIntervals(coach.windows, coach.timeZone, referenceDate)));
  pool.windows = windows;
  pool.hoursTouched = hours;
  return pool;
}

/** Compiles requests against a coach pool: topics, organisations and people become the pool's indices. */
export function compileRequests(requests: readonly RequestProfile[], coaches: CoachPool, referenceDate: Date): RequestPool {
  const count = requests.length;
  const lookup = (map: Map<string, number>, key: string) => map.get(key) ?? NO_INDEX;
  const otherTopics = requests.map((request) =>
    request.otherTopicIds.map((topicId) => lookup(coaches.topicIndexById, topicId)).filter((index) => index !== NO_INDEX),
  );
  const declined = requests.map((request) =>
    request.declinedOfferIds.map((offerId) => lookup(coaches.offerIndexById, offerId)).filter((index) => index !== NO_INDEX),
  );
  const flatten = (lists: number[][]) => {
    const firstOf = new Int32Array(lists.length + 1);
    lists.forEach((list, index) => {
      firstOf[index + 1] = firstOf[index]! + list.length;
    });
    return { values: Int32Array.from(lists.flat()), firstOf };
  };
  const flatOtherTopics = flatten(otherTopics);
  const flatDeclined = flatten(declined);
  const { windows, hours } = packIntervals(requests.map((request) => utcWeekIntervals(request.windows, request.timeZone, referenceDate)));
  return {
    count,
    requestIds: requests.map((request) => request.requestId),
    userIndex: Int32Array.from(requests, (request) => lookup(coaches.userIndexById, request.userId)),
    organisationIndex: Int32Array.from(requests, (request) => lookup(coaches.organisationIndexById, request.organisationId)),
    organisationKind: Int8Array.from(requests, (request) => organisationKinds.indexOf(request.organisationKind)),
    languageMask: Int32Array.from(requests, (request) => maskOf(languageCodes, request.languages)),
    formatMask: Int32Array.from(requests, (request) => maskOf(sessionFormats, request.formats)),
    accessMask: Int32Array.from(requests, (request) => maskOf(accessOptions, request.accessNeeds)),
    region: Int8Array.from(requests, (request) =>
      // "outside" has no location, so nobody can meet there in person and proximity cannot apply.
      request.inPersonRegion && request.inPersonRegion !== "outside" && request.formats.includes("inPerson")
        ? regionCodes.indexOf(request.inPersonRegion)
        : NO_INDEX,
    ),
    mainTopic: Int32Array.from(requests, (request) => lookup(coaches.topicIndexById, request.mainTopicId)),
    mainTopicIds: requests.map((request) => request.mainTopicId),
    otherTopics: flatOtherTopics.values,
    otherTopicsFirstOf: flatOtherTopics.firstOf,
    otherTopicIds: requests.map((request) => [...request.otherTopicIds]),
    declinedCoaches: flatDeclined.values,
    declinedFirstOf: flatDeclined.firstOf,
    sessionMinutes: Int32Array.from(requests, (request) => request.sessionMinutes),
    waitingDays: Float64Array.from(requests, (request) =>
      Math.max(0, Math.floor((referenceDate.getTime() - request.createdAt.getTime()) / MS_PER_DAY)),
    ),
    hoursTouched: hours,
    windows,
  };
}

/**
 * Weekly minutes in common and the longest stretch in common. Both lists are sorted and merged, so
 * overlap pieces never touch, except across the week boundary (Sunday night into Monday in UTC).
 */
function commonTime(coaches: WeekIntervals, coach: number, requests: WeekIntervals, request: number, details: Float64Array) {
  let coachAt = coaches.firstOf[coach]!;
  const coachEnd = coaches.firstOf[coach + 1]!;
  let requestAt = requests.firstOf[request]!;
  const requestEnd = requests.firstOf[request + 1]!;
  let total = 0;
  let longest = 0;
  let pieceFromWeekStart = 0;
  let pieceToWeekEnd = 0;
  while (coachAt < coachEnd && requestAt < requestEnd) {
    const coachFinishes = coaches.ends[coachAt]!;
    const requestFinishes = requests.ends[requestAt]!;
    const start = Math.max(coaches.starts[coachAt]!, requests.starts[requestAt]!);
    const end = Math.min(coachFinishes, requestFinishes);
    if (start < end) {
      const length = end - start;
      total += length;
      if (length > longest) longest = length;
      if (start === 0) pieceFromWeekStart = length;
      if (end === MINUTES_PER_WEEK) pieceToWeekEnd = length;
    }
    if (coachFinishes < requestFinishes) coachAt++;
    else requestAt++;
  }
  if (pieceFromWeekStart > 0 && pieceToWeekEnd > 0 && total < MINUTES_PER_WEEK) {
    longest = Math.max(longest, pieceFromWeekStart + pieceToWeekEnd);
  }
  details[detailSlots.commonMinutes] = total;
  details[detailSlots.longestCommonMinutes] = Math.min(longest, total);
}

function canMeetInPerson(coaches: CoachPool, coach: number, requestRegion: number) {
  const coachRegion = coaches.region[coach]!;
  if (coachRegion === NO_INDEX || requestRegion === NO_INDEX) return false;
  return regionDistanceTable[coachRegion * regionCodes.length + requestRegion]! <= coaches.travelKm[coach]!;
}

/** Weights as an array in criterion order, with the region weight apart: it only counts for in-person requests. */
export type PreparedWeights = { values: Float64Array; sumWithRegion: number; sumWithoutRegion: number };

export function prepareWeights(weights: MatchingWeights): PreparedWeights {
  const values = Float64Array.from(softCriteria, (criterion) => weights[criterion]);
  const sumWithRegion = values.reduce((sum, value) => sum + value, 0);
  return { values, sumWithRegion, sumWithoutRegion: sumWithRegion - weights.regionProximity };
}

/** The weight sum a request's totals are normalised by: the region criterion only counts for in-person requests. */
function weightSumFor(weights: PreparedWeights, requests: RequestPool, request: number) {
  return requests.region[request] === NO_INDEX ? weights.sumWithoutRegion : weights.sumWithRegion;
}

/**
 * Applies the rules and criteria to one request against the coaches `from`..`to`-1: the single place
 * where scoring is defined. For each coach it writes the failed rules as a bit mask (0 = allowed) to
 * `failedOut` and the total (0–100) to `totalsOut[totalsAt + coach - from]`; `details`
 * is left holding the last coach's fractions and facts, which is what `explainPair` reads. With
 * `stopAtFirstRule` a coach is left as soon as one rule fails (bulk scoring does not need the others).
 * Request fields are read once per call, not per coach; this loop runs for millions of pairs.
 */
function evaluateRow(
  coaches: CoachPool,
  requests: RequestPool,
  request: number,
  from: number,
  to: number,
  weights: PreparedWeights,
  stopAtFirstRule: boolean,
  failedOut: Int32Array | null,
  totalsOut: Float64Array,
  totalsAt: number,
  details: Float64Array,
) {
  const requestUser = requests.userIndex[request]!;
  const requestLanguages = requests.languageMask[request]!;
  const requestFormats = requests.formatMask[request]!;
  const requestAccess = requests.accessMask[request]!;
  const requestOrganisation = requests.organisationIndex[request]!;
  const requestKind = requests.organisationKind[request]!;
  const requestRegion = requests.region[request]!;
  const requestHours = request * HOUR_WORDS;
  const { hoursTouched } = requests;
  const sessionMinutes = requests.sessionMinutes[request]!;
  const declinedFirst = requests.declinedFirstOf[request]!;
  const declinedEnd = requests.declinedFirstOf[request + 1]!;
  const mainTopic = requests.mainTopic[request]!;
  const otherFirst = requests.otherTopicsFirstOf[request]!;
  const otherEnd = requests.otherTopicsFirstOf[request + 1]!;
  // Other topics no coach in the pool offers still count, as not covered.
  const namedOtherTopics = requests.otherTopicIds[request]!.length;
  const waitingFraction = Math.min(1, requests.waitingDays[request]! / fullWaitingDays);
  const weightSum = weightSumFor(weights, requests, request);
  const scale = weightSum === 0 ? 0 : 100 / weightSum;
  const regionWeight = requestRegion === NO_INDEX ? 0 : weights.values[criterionSlot.regionProximity]!;
  const topicWeight = weights.values[criterionSlot.topicFit]!;
  const timeWeight = weights.values[criterionSlot.commonTime]!;
  const kindWeight = weights.values[criterionSlot.organisationKind]!;
  const fairnessWeight = weights.values[criterionSlot.fairness]!;
  const waitingPoints = weights.values[criterionSlot.waitingTime]! * waitingFraction;
  // Locals, not property reads in the loop: the engine cannot prove the pools unchanged across calls.
  const { topicLevels, topicCount, userIndex, languageMask, formatMask, accessMask, coachRules, organisationIndex } = coaches;
  const { region: coachRegion, travelKm, organisationKind, recentSessions, hoursTouched: coachHoursTouched } = coaches;
  const { declinedCoaches, otherTopics } = requests;

  for (let coach = from; coach < to; coach++) {
    const slot = totalsAt + coach - from;
    let commonFormats = formatMask[coach]! & requestFormats;
    // In person only counts within the coach's travel range; checked only when it is the last hope.
    if (commonFormats === IN_PERSON_BIT && !canMeetInPerson(coaches, coach, requestRegion)) commonFormats = 0;
    let failed =
      (userIndex[coach] === requestUser ? OWN_OFFER : 0) |
      ((languageMask[coach]! & requestLanguages) === 0 ? NO_SHARED_LANGUAGE : 0) |
      (commonFormats === 0 ? NO_COMMON_FORMAT : 0) |
      ((requestAccess & ~accessMask[coach]!) !== 0 ? ACCESS_NOT_SUPPORTED : 0) |
      coachRules[coach]! |
      (organisationIndex[coach] === requestOrganisation ? SAME_ORGANISATION : 0);
    for (let at = declinedFirst; at < declinedEnd; at++) {
      if (declinedCoaches[at] === coach) failed |= COACH_DECLINED;
    }
    if (failed !== 0 && stopAtFirstRule) {
      if (failedOut) failedOut[coach - from] = failed;
      totalsOut[slot] = EXCLUDED;
      continue;
    }

    const topicBase = coach * topicCount;
    const mainLevel = mainTopic === NO_INDEX ? 0 : topicLevels[topicBase + mainTopic]!;
    let otherFactorSum = 0;
    for (let at = otherFirst; at < otherEnd; at++) otherFactorSum += topicLevelFactor[topicLevels[topicBase + otherTopics[at]!]!]!;
    if (mainLevel === 0 && otherFactorSum === 0) {
      failed |= NO_SHARED_TOPIC;
      if (stopAtFirstRule) {
        if (failedOut) failedOut[coach - from] = failed;
        totalsOut[slot] = EXCLUDED;
        continue;
      }
    }
    const topicFraction =
      namedOtherTopics === 0
        ? topicLevelFactor[mainLevel]!
        : mainTopicShare * topicLevelFactor[mainLevel]! + ((1 - mainTopicShare) * otherFactorSum) / namedOtherTopics;

    const coachHours = coach * HOUR_WORDS;
    if (
      ((coachHoursTouched[coachHours]! & hoursTouched[requestHours]!) |
        (coachHoursTouched[coachHours + 1]! & hoursTouched[requestHours + 1]!) |
        (coachHoursTouched[coachHours + 2]! & hoursTouched[requestHours + 2]!) |
        (coachHoursTouched[coachHours + 3]! & hoursTouched[requestHours + 3]!) |
        (coachHoursTouched[coachHours + 4]! & hoursTouched[requestHours + 4]!) |
        (coachHoursTouched[coachHours + 5]! & hoursTouched[requestHours + 5]!)) ===
      0
    ) {
      details[detailSlots.commonMinutes] = 0;
      details[detailSlots.longestCommonMinutes] = 0;
    } else {
      commonTime(coaches.windows, coach, requests.windows, request, details);
    }
    if (details[detailSlots.longestCommonMinutes]! < sessionMinutes) failed |= NO_COMMON_TIME;
    if (failedOut) failedOut[coach - from] = failed;
    if (failed !== 0 && stopAtFirstRule) {
      totalsOut[slot] = EXCLUDED;
      continue;
    }
    const timeFraction = Math.min(1, details[detailSlots.commonMinutes]! / fullCommonTimeMinutes);

    let distance = Number.POSITIVE_INFINITY;
    let regionFraction = 0;
    if (requestRegion !== NO_INDEX && (formatMask[coach]! & IN_PERSON_BIT) !== 0 && coachRegion[coach] !== NO_INDEX) {
      distance = regionDistanceTable[coachRegion[coach]! * regionCodes.length + requestRegion]!;
      const range = travelKm[coach]!;
      regionFraction = distance === 0 ? 1 : distance <= range ? 1 - distance / (2 * range) : 0;
    }
    const kindFraction = organisationKind[coach] === requestKind ? 1 : 0;
    const fairnessFraction = 2 / (2 + recentSessions[coach]!);

    // Without `stopAtFirstRule` an excluded coach still gets the total it would have had, so
    // callers can show near misses; `failedOut` says whether it was excluded.
    totalsOut[slot] =
      scale *
          (topicWeight * topicFraction +
            timeWeight * timeFraction +
            regionWeight * regionFraction +
            kindWeight * kindFraction +
            fairnessWeight * fairnessFraction +
            waitingPoints);
    details[criterionSlot.topicFit] = topicFraction;
    details[criterionSlot.commonTime] = timeFraction;
    details[criterionSlot.regionProximity] = regionFraction;
    details[criterionSlot.organisationKind] = kindFraction;
    details[criterionSlot.fairness] = fairnessFraction;
    details[criterionSlot.waitingTime] = waitingFraction;
    details[detailSlots.mainTopicLevel] = mainLevel;
    details[detailSlots.distanceKm] = distance;
  }
}

const progressEveryRows = 256;

/**
 * Every pair's total (0–100), row-major requests × coaches; NaN marks an excluded pair. `onProgress`
 * hears the number of requests scored now and then, and at the end.
 */
export function scoreMatrix(
  requests: RequestPool,
  coaches: CoachPool,
  weights: PreparedWeights,
  onProgress?: (scoredRequests: number) => void,
): Float64Array {
  const scores = new Float64Array(requests.count * coaches.count);
  const details = new Float64Array(detailLength);
  for (let request = 0; request < requests.count; request++) {
    evaluateRow(coaches, requests, request, 0, coaches.count, weights, true, null, scores, request * coaches.count, details);
    if (onProgress && (request + 1) % progressEveryRows === 0) onProgress(request + 1);
  }
  onProgress?.(requests.count);
  return scores;
}

export type RankedCoach = { coachIndex: number; total: number };

// A coach failing one of these is no near miss: nothing a person could change would make the pair work.
const permanentRules = ruleBit.ownOffer | ruleBit.sameOrganisation | ruleBit.noSharedTopic;

/** Keeps `ranked` sorted best first and at most `limit` long; ties keep the earlier coach first. */
function insertRanked(ranked: RankedCoach[], candidate: RankedCoach, limit: number) {
  if (limit === 0 || (ranked.length === limit && candidate.total <= ranked[ranked.length - 1]!.total)) return;
  let position = ranked.length;
  while (position > 0 && ranked[position - 1]!.total < candidate.total) position--;
  ranked.splice(position, 0, candidate);
  if (ranked.length > limit) ranked.pop();
}

/**
 * The best `limit` coaches for one request, best first (ties by pool order); how many coaches each
 * rule excluded (a coach can fail several rules); and the `nearMissLimit` excluded coaches that fail
 * exactly one rule and would otherwise score best, for "why not" explanations.
 */
export function rankCoaches(
  requests: RequestPool,
  request: number,
  coaches: CoachPool,
  weights: PreparedWeights,
  limit: number,
  nearMissLimit = 0,
) {
  const failedRules = new Int32Array(coaches.count);
  const totals = new Float64Array(coaches.count);
  evaluateRow(coaches, requests, request, 0, coaches.count, weights, false, failedRules, totals, 0, new Float64Array(detailLength));
  const excludedCounts = Object.fromEntries(exclusionRules.map((rule) => [rule, 0])) as Record<ExclusionRule, number>;
  let excludedCoaches = 0;
  const best: RankedCoach[] = [];
  const nearMisses: RankedCoach[] = [];
  for (let coach = 0; coach < coaches.count; coach++) {
    const failed = failedRules[coach]!;
    if (failed === 0) {
      insertRanked(best, { coachIndex: coach, total: totals[coach]! }, limit);
      continue;
    }
    excludedCoaches++;
    for (const rule of exclusionRules) if ((failed & ruleBit[rule]) !== 0) excludedCounts[rule]++;
    const failsOneRule = (failed & (failed - 1)) === 0;
    if (failsOneRule && (failed & permanentRules) === 0) insertRanked(nearMisses, { coachIndex: coach, total: totals[coach]! }, nearMissLimit);
  }
  return { best, excludedCoaches, excludedCounts, nearMisses };
}

export type CriterionScore = {
  criterion: SoftCriterion;
  points: number;
  max: number;
  /** What the points rest on, for `describeCriterion`. */
  facts: CriterionFacts;
};

export type CriterionFacts =
  | { criterion: "topicFit"; mainTopicId: string; mainLevel: number; coveredOtherTopicIds: string[]; missedOtherTopicIds: string[] }
  | { criterion: "commonTime"; commonMinutes: number }
  | { criterion: "regionProximity"; distanceKm: number | null }
  | { criterion: "organisationKind"; sameKind: boolean; coachKind: OrganisationKind }
  | { criterion: "fairness"; recentSessions: number }
  | { criterion: "waitingTime"; waitingDays: number };

export type PairExplanation = {
  offerId: string;
  requestId: string;
  /** 0–100; 0 for an excluded pair. */
  total: number;
  excludedBy: ExclusionRule[];
  /** Empty for an excluded pair; criteria that do not apply (region for online-only requests) are left out. */
  criteria: CriterionScore[];
  sharedLanguages: LanguageCode[];
  sharedFormats: SessionFormat[];
  missingAccess: AccessOption[];
};

function decodeMask<T>(vocabulary: readonly T[], mask: number) {
  return vocabulary.filter((_, position) => (mask & (1 << position)) !== 0);
}

/** Everything behind one pair's score, or behind its exclusion, for people to read. */
export function explainPair(
  requests: RequestPool,
  request: number,
  coaches: CoachPool,
  coach: number,
  weights: PreparedWeights,
): PairExplanation {
  const details = new Float64Array(detailLength);
  const failedRules = new Int32Array(1);
  const totals = new Float64Array(1);
  evaluateRow(coaches, requests, request, coach, coach + 1, weights, false, failedRules, totals, 0, details);
  const failed = failedRules[0]!;
  const base = {
    offerId: coaches.offerIds[coach]!,
    requestId: requests.requestIds[request]!,
    excludedBy: exclusionRules.filter((rule) => (failed & ruleBit[rule]) !== 0),
    sharedLanguages: decodeMask(languageCodes, coaches.languageMask[coach]! & requests.languageMask[request]!),
    sharedFormats: decodeMask(sessionFormats, coaches.formatMask[coach]! & requests.formatMask[request]!).filter(
      (format) => format !== "inPerson" || canMeetInPerson(coaches, coach, requests.region[request]!),
    ),
    missingAccess: decodeMask(accessOptions, requests.accessMask[request]! & ~coaches.accessMask[coach]!),
  };
  if (failed !== 0) return { ...base, total: 0, criteria: [] };

  const sum = weightSumFor(weights, requests, request);
  const topicBase = coach * coaches.topicCount;
  const levelOf = (topicId: string) => {
    const topic = coaches.topicIndexById.get(topicId);
    return topic === undefined ? 0 : coaches.topicLevels[topicBase + topic]!;
  };
  const otherTopicIds = requests.otherTopicIds[request]!;
  const factsOf = (criterion: SoftCriterion): CriterionFacts => {
    switch (criterion) {
      case "topicFit":
        return {
          criterion,
          mainTopicId: requests.mainTopicIds[request]!,
          mainLevel: details[detailSlots.mainTopicLevel]!,
          coveredOtherTopicIds: otherTopicIds.filter((topicId) => levelOf(topicId) > 0),
          missedOtherTopicIds: otherTopicIds.filter((topicId) => levelOf(topicId) === 0),
        };
      case "commonTime":
        return { criterion, commonMinutes: details[detailSlots.commonMinutes]! };
      case "regionProximity": {
        const distance = details[detailSlots.distanceKm]!;
        return { criterion, distanceKm: Number.isFinite(distance) && distance <= coaches.travelKm[coach]! ? distance : null };
      }
      case "organisationKind":
        return {
          criterion,
          sameKind: details[criterionSlot.organisationKind] === 1,
          coachKind: organisationKinds[coaches.organisationKind[coach]!]!,
        };
      case "fairness":
        return { criterion, recentSessions: coaches.recentSessions[coach]! };
      case "waitingTime":
        return { criterion, waitingDays: requests.waitingDays[request]! };
    }
  };
  const criteria = softCriteria
    .filter((criterion) => criterion !== "regionProximity" || requests.region[request] !== NO_INDEX)
    .map((criterion) => {
      const slot = criterionSlot[criterion];
      const max = sum === 0 ? 0 : (100 * weights.values[slot]!) / sum;
      return { criterion, points: max * details[slot]!, max, facts: factsOf(criterion) };
    });
  return { ...base, total: totals[0]!, criteria };
}
