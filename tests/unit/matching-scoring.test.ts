import { describe, expect, it } from "vitest";
import { toUtcMinutesOfWeek, type AvailabilityWindow } from "~/domain/availability";
import {
  defaultMatchingWeights,
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
import { regionDistanceKm } from "~/domain/matching/regions";
import {
  compileCoaches,
  compileRequests,
  explainPair,
  prepareWeights,
  rankCoaches,
  scoreMatrix,
  type CoachProfile,
  type PairExplanation,
  type RequestProfile,
} from "~/domain/matching/scoring";
import { at, coach, daysBefore, MONDAY, REFERENCE, request, SUNDAY, TUESDAY, WEDNESDAY } from "../support/matching-builders";

const noWeights: MatchingWeights = {
  topicFit: 0,
  commonTime: 0,
  regionProximity: 0,
  organisationKind: 0,
  fairness: 0,
  waitingTime: 0,
};
/** Only one criterion counts, so the total is 100 × that criterion's fraction. */
const only = (criterion: SoftCriterion): MatchingWeights => ({ ...noWeights, [criterion]: 1 });

type Options = { weights?: MatchingWeights; referenceDate?: Date };

function pools(coaches: CoachProfile[], requests: RequestProfile[], { weights = defaultMatchingWeights, referenceDate = REFERENCE }: Options = {}) {
  const coachPool = compileCoaches(coaches, referenceDate);
  const requestPool = compileRequests(requests, coachPool, referenceDate);
  return { coachPool, requestPool, weights: prepareWeights(weights) };
}

/** One coach, one request: the explanation, the bulk score and the ranking's view of the pair. */
function pair(coachProfile: CoachProfile, requestProfile: RequestProfile, options: Options = {}) {
  const { coachPool, requestPool, weights } = pools([coachProfile], [requestProfile], options);
  return {
    explanation: explainPair(requestPool, 0, coachPool, 0, weights),
    score: scoreMatrix(requestPool, coachPool, weights)[0]!,
    ranking: rankCoaches(requestPool, 0, coachPool, weights, 10),
  };
}

const explain = (coachProfile: CoachProfile, requestProfile: RequestProfile, options: Options = {}) =>
  pair(coachProfile, requestProfile, options).explanation;

function criterion(explanation: PairExplanation, name: SoftCriterion) {
  const found = explanation.criteria.find((entry) => entry.criterion === name);
  if (!found) throw new Error(`criterion ${name} missing`);
  return found;
}

/** The total when only `name` counts: 100 × its fraction. */
const fractionPercent = (coachProfile: CoachProfile, requestProfile: RequestProfile, name: SoftCriterion) =>
  explain(coachProfile, requestProfile, { weights: only(name) }).total;

function expectAllowed(coachProfile: CoachProfile, requestProfile: RequestProfile, options: Options = {}) {
  const { explanation, score, ranking } = pair(coachProfile, requestProfile, options);
  expect(explanation.excludedBy).toEqual([]);
  expect(score).not.toBeNaN();
  expect(score).toBeCloseTo(explanation.total, 10);
  expect(ranking.excludedCoaches).toBe(0);
  expect(ranking.best).toEqual([{ coachIndex: 0, total: score }]);
  return explanation;
}

function expectExcluded(rules: ExclusionRule[], coachProfile: CoachProfile, requestProfile: RequestProfile, options: Options = {}) {
  const { explanation, score, ranking } = pair(coachProfile, requestProfile, options);
  expect(explanation.excludedBy).toEqual(rules);
  expect(explanation.total).toBe(0);
  expect(explanation.criteria).toEqual([]);
  expect(score).toBeNaN();
  expect(ranking.best).toEqual([]);
  expect(ranking.excludedCoaches).toBe(1);
  expect(ranking.excludedCounts).toEqual(
    Object.fromEntries(exclusionRules.map((rule) => [rule, rules.includes(rule) ? 1 : 0])),
  );
  return explanation;
}

// Default weights without the region (online-only requests): 40 + 20 + 10 + 10 + 10 = 90.
const BASELINE_FRACTIONS = { topicFit: 1, commonTime: 120 / 240, organisationKind: 1, fairness: 1, waitingTime: 10 / 30 };
const BASELINE_TOTAL = (100 * (40 * 1 + 20 * 0.5 + 10 * 1 + 10 * 1 + 10 * (10 / 30))) / 90;

describe("the matching baseline", () => {
  it("uses the documented constants", () => {
    expect(Array.from(topicLevelFactor)).toEqual([0, 0.6, 0.8, 1]);
    expect(mainTopicShare).toBe(0.7);
    expect(fullCommonTimeMinutes).toBe(240);
    expect(fullWaitingDays).toBe(30);
    expect(Object.values(defaultMatchingWeights).reduce((sum, weight) => sum + weight, 0)).toBe(100);
  });

  it("is an allowed pair with the expected total and breakdown", () => {
    const explanation = expectAllowed(coach(), request());
    expect(explanation.offerId).toBe("offer-1");
    expect(explanation.requestId).toBe("request-1");
    expect(explanation.total).toBeCloseTo(BASELINE_TOTAL, 10);
    expect(explanation.total).toBeCloseTo(81.4815, 4);
    expect(explanation.sharedLanguages).toEqual(["de"]);
    expect(explanation.sharedFormats).toEqual(["video"]);
    expect(explanation.missingAccess).toEqual([]);
    expect(explanation.criteria.map((entry) => entry.criterion)).toEqual([
      "topicFit",
      "commonTime",
      "organisationKind",
      "fairness",
      "waitingTime",
    ]);
    for (const [name, fraction] of Object.entries(BASELINE_FRACTIONS) as [SoftCriterion, number][]) {
      const entry = criterion(explanation, name);
      expect(entry.max, name).toBeCloseTo((100 * defaultMatchingWeights[name]) / 90, 10);
      expect(entry.points, name).toBeCloseTo(entry.max * fraction, 10);
    }
    expect(criterion(explanation, "topicFit").facts).toEqual({
      criterion: "topicFit",
      mainTopicId: "topic-accessibility",
      mainLevel: 3,
      coveredOtherTopicIds: [],
      missedOtherTopicIds: [],
    });
    expect(criterion(explanation, "commonTime").facts).toEqual({ criterion: "commonTime", commonMinutes: 120 });
    expect(criterion(explanation, "organisationKind").facts).toEqual({
      criterion: "organisationKind",
      sameKind: true,
      coachKind: "association",
    });
    expect(criterion(explanation, "fairness").facts).toEqual({ criterion: "fairness", recentSessions: 0 });
    expect(criterion(explanation, "waitingTime").facts).toEqual({ criterion: "waitingTime", waitingDays: 10 });
  });
});

describe("exclusion rules", () => {
  const oneFlip: Record<ExclusionRule, [string, Partial<CoachProfile>, Partial<RequestProfile>]> = {
    ownOffer: ["the request is the coach's own", {}, { userId: "user-coach" }],
    noSharedLanguage: ["the request only speaks English", {}, { languages: ["en"] }],
    noCommonFormat: ["the request only wants phone calls", {}, { formats: ["phone"] }],
    accessNotSupported: ["the request needs captions", {}, { accessNeeds: ["captions"] }],
    coachPaused: ["the coach pauses until today", { pausedUntil: "2026-12-02" }, {}],
    coachAtCapacity: ["the coach holds 4 of 4 matches", { matchesThisMonth: 4 }, {}],
    sameOrganisation: ["both are in the same organisation", {}, { organisationId: "org-coach" }],
    coachDeclined: ["the coach declined the request", {}, { declinedOfferIds: ["offer-1"] }],
    noSharedTopic: ["the request's topic is not offered", {}, { mainTopicId: "topic-mobile" }],
    noCommonTime: ["the request is only free on Tuesday", {}, { windows: [at(TUESDAY, "18:00", "20:00")] }],
  };

  it("has one single-flip case per rule", () => {
    expect(Object.keys(oneFlip).sort()).toEqual([...exclusionRules].sort());
  });

  it.each(exclusionRules.map((rule) => [rule, ...oneFlip[rule]] as const))(
    "%s: %s",
    (rule, _description, coachOverrides, requestOverrides) => {
      expectExcluded([rule], coach(coachOverrides), request(requestOverrides));
    },
  );

  it("lists every failed rule in rule order, also for bulk scoring and ranking", () => {
    expectExcluded(
      ["ownOffer", "noSharedLanguage", "coachPaused", "sameOrganisation", "noSharedTopic", "noCommonTime"],
      coach({ pausedUntil: "2026-12-31" }),
      request({
        windows: [at(TUESDAY, "18:00", "20:00")],
        mainTopicId: "topic-mobile",
        organisationId: "org-coach",
        languages: ["en"],
        userId: "user-coach",
      }),
    );
    expectExcluded(
      [...exclusionRules],
      coach({ pausedUntil: "2026-12-02", matchesThisMonth: 4 }),
      request({
        userId: "user-coach",
        languages: ["en"],
        formats: ["phone"],
        accessNeeds: ["captions"],
        organisationId: "org-coach",
        declinedOfferIds: ["offer-1"],
        mainTopicId: "topic-mobile",
        windows: [at(TUESDAY, "18:00", "20:00")],
      }),
    );
  });

  it("counts each rule across a pool in rankCoaches, a coach once per rule it fails", () => {
    const coaches = [
      coach({ offerId: "a", pausedUntil: "2027-01-01" }),
      coach({ offerId: "b", matchesThisMonth: 4, languages: ["fr"] }),
      coach({ offerId: "c", languages: ["fr"] }),
      coach({ offerId: "d" }),
      coach({ offerId: "e", userId: "user-requester" }),
    ];
    const { coachPool, requestPool, weights } = pools(coaches, [request()]);
    const ranking = rankCoaches(requestPool, 0, coachPool, weights, 10);
    expect(ranking.excludedCoaches).toBe(4);
    expect(ranking.excludedCounts).toEqual({
      ownOffer: 1,
      noSharedLanguage: 2,
      noCommonFormat: 0,
      accessNotSupported: 0,
      coachPaused: 1,
      coachAtCapacity: 1,
      sameOrganisation: 0,
      coachDeclined: 0,
      noSharedTopic: 0,
      noCommonTime: 0,
    });
    expect(ranking.best.map((entry) => entry.coachIndex)).toEqual([3]);
    const scores = scoreMatrix(requestPool, coachPool, weights);
    expect(Array.from(scores, (score) => Number.isNaN(score))).toEqual([true, true, true, false, true]);
  });

  describe("ownOffer", () => {
    it("compares people, not organisations or offers", () => {
      expectAllowed(coach({ userId: "someone" }), request({ userId: "someone else" }));
      expectExcluded(["ownOffer"], coach({ userId: "same" }), request({ userId: "same" }));
    });
  });

  describe("noSharedLanguage", () => {
    it("needs only one language in common", () => {
      const explanation = expectAllowed(coach({ languages: ["en", "de", "tr"] }), request({ languages: ["tr", "ar"] }));
      expect(explanation.sharedLanguages).toEqual(["tr"]);
      expectExcluded(["noSharedLanguage"], coach({ languages: ["en", "de"] }), request({ languages: ["tr", "ar"] }));
    });
  });

  describe("noCommonFormat", () => {
    const inPersonCoach = (overrides: Partial<CoachProfile> = {}) =>
      coach({ formats: ["inPerson"], inPersonRegion: "DE-BE", travelKm: 50, ...overrides });
    const inPersonRequest = (overrides: Partial<RequestProfile> = {}) =>
      request({ formats: ["inPerson"], inPersonRegion: "DE-SN", ...overrides });

    it("knows the distances used below", () => {
      expect(regionDistanceKm("DE-BE", "DE-SN")).toBe(163);
      expect(regionDistanceKm("DE-BE", "DE-BB")).toBe(32);
      expect(regionDistanceKm("DE-BE", "DE-BE")).toBe(0);
      expect(regionDistanceKm("DE-BE", "outside")).toBe(Number.POSITIVE_INFINITY);
      expect(regionDistanceKm("outside", "outside")).toBe(Number.POSITIVE_INFINITY);
    });

    it("excludes a pair whose only common format is in person beyond the coach's travel range", () => {
      const explanation = expectExcluded(["noCommonFormat"], inPersonCoach({ travelKm: 162 }), inPersonRequest());
      expect(explanation.sharedFormats).toEqual([]);
    });

    it("allows in person within the travel range, including exactly at it", () => {
      expect(expectAllowed(inPersonCoach({ travelKm: 200 }), inPersonRequest()).sharedFormats).toEqual(["inPerson"]);
      expect(expectAllowed(inPersonCoach({ travelKm: 163 }), inPersonRequest()).sharedFormats).toEqual(["inPerson"]);
    });

    it("allows the same state at 0 km, even with no travel range", () => {
      expectAllowed(inPersonCoach({ travelKm: null }), inPersonRequest({ inPersonRegion: "DE-BE" }));
      expectAllowed(inPersonCoach({ travelKm: 0 }), inPersonRequest({ inPersonRegion: "DE-BE" }));
    });

    it("never reaches the region outside Germany, whatever the range", () => {
      expectExcluded(["noCommonFormat"], inPersonCoach({ travelKm: 100_000 }), inPersonRequest({ inPersonRegion: "outside" }));
      expectExcluded(
        ["noCommonFormat"],
        inPersonCoach({ inPersonRegion: "outside", travelKm: 100_000 }),
        inPersonRequest({ inPersonRegion: "outside" }),
      );
      expectExcluded(["noCommonFormat"], inPersonCoach({ inPersonRegion: "outside", travelKm: 100_000 }), inPersonRequest());
    });

    it("cannot meet in person without a region on either side", () => {
      expectExcluded(["noCommonFormat"], inPersonCoach(), inPersonRequest({ inPersonRegion: null }));
      expectExcluded(["noCommonFormat"], inPersonCoach({ inPersonRegion: null }), inPersonRequest({ inPersonRegion: "DE-BE" }));
    });

    it("falls back to another common format when in person is out of range", () => {
      const explanation = expectAllowed(
        inPersonCoach({ formats: ["video", "inPerson"] }),
        inPersonRequest({ formats: ["inPerson", "video"] }),
      );
      expect(explanation.sharedFormats).toEqual(["video"]);
    });
  });

  describe("accessNotSupported", () => {
    it("is fine when the coach supports more than needed", () => {
      const explanation = expectAllowed(
        coach({ accessSupport: ["lowBandwidth", "captions", "signLanguage"] }),
        request({ accessNeeds: ["signLanguage", "captions"] }),
      );
      expect(explanation.missingAccess).toEqual([]);
    });

    it("excludes when any single need is missing and names only the missing ones", () => {
      const explanation = expectExcluded(
        ["accessNotSupported"],
        coach({ accessSupport: ["captions"] }),
        request({ accessNeeds: ["captions", "signLanguage", "plainLanguage"] }),
      );
      expect(explanation.missingAccess).toEqual(["signLanguage", "plainLanguage"]);
    });
  });

  describe("coachPaused", () => {
    it("is paused through the pausedUntil day in the coach's zone, not after", () => {
      expectExcluded(["coachPaused"], coach({ pausedUntil: "2026-12-02" }), request());
      expectExcluded(["coachPaused"], coach({ pausedUntil: "2027-01-15" }), request());
      expectAllowed(coach({ pausedUntil: "2026-12-01" }), request());
    });

    it("reads today on the coach's calendar", () => {
      // 12:00 UTC on 2 December is already 01:00 on 3 December in Auckland (UTC+13 in summer).
      // Tuesday 06:00–08:00 there is Monday 17:00–19:00 UTC, the request's time.
      const aucklandCoach = (pausedUntil: string) =>
        coach({ timeZone: "Pacific/Auckland", windows: [at(TUESDAY, "06:00", "08:00")], pausedUntil });
      expectAllowed(aucklandCoach("2026-12-02"), request());
      expectExcluded(["coachPaused"], aucklandCoach("2026-12-03"), request());
    });
  });

  describe("coachAtCapacity", () => {
    it("excludes when the matches this month reach the capacity", () => {
      expectAllowed(coach({ capacityPerMonth: 4, matchesThisMonth: 3 }), request());
      expectExcluded(["coachAtCapacity"], coach({ capacityPerMonth: 4, matchesThisMonth: 4 }), request());
      expectExcluded(["coachAtCapacity"], coach({ capacityPerMonth: 4, matchesThisMonth: 6 }), request());
      expectExcluded(["coachAtCapacity"], coach({ capacityPerMonth: 0, matchesThisMonth: 0 }), request());
    });
  });

  describe("sameOrganisation", () => {
    it("compares organisations, not their kinds", () => {
      expectAllowed(coach({ organisationKind: "parish" }), request({ organisationKind: "parish" }));
      expectExcluded(["sameOrganisation"], coach({ organisationId: "org-x" }), request({ organisationId: "org-x" }));
    });
  });

  describe("coachDeclined", () => {
    it("only excludes the offers that declined", () => {
      const coaches = [coach({ offerId: "offer-a" }), coach({ offerId: "offer-b" }), coach({ offerId: "offer-c" })];
      const { coachPool, requestPool, weights } = pools(coaches, [request({ declinedOfferIds: ["offer-b", "offer-gone"] })]);
      expect(coaches.map((_, index) => explainPair(requestPool, 0, coachPool, index, weights).excludedBy)).toEqual([
        [],
        ["coachDeclined"],
        [],
      ]);
      expect(rankCoaches(requestPool, 0, coachPool, weights, 10).excludedCounts.coachDeclined).toBe(1);
    });
  });

  describe("noSharedTopic", () => {
    it("excludes when neither the main topic nor any other topic is offered", () => {
      expectExcluded(
        ["noSharedTopic"],
        coach({ topics: [{ topicId: "topic-accessibility", level: 3 }, { topicId: "topic-hosting", level: 2 }] }),
        request({ mainTopicId: "topic-mobile", otherTopicIds: ["topic-onboarding", "topic-unknown"] }),
      );
    });

    it("allows a coach who only offers one of the other topics", () => {
      const explanation = expectAllowed(
        coach({ topics: [{ topicId: "topic-onboarding", level: 2 }] }),
        request({ mainTopicId: "topic-accessibility", otherTopicIds: ["topic-onboarding"] }),
      );
      expect(criterion(explanation, "topicFit").facts).toMatchObject({ mainLevel: 0, coveredOtherTopicIds: ["topic-onboarding"] });
    });
  });

  describe("noCommonTime", () => {
    it("excludes an overlap shorter than a session and allows one exactly as long", () => {
      const oneHourOverlap = request({ windows: [at(MONDAY, "19:00", "21:00")] });
      expectExcluded(["noCommonTime"], coach(), { ...oneHourOverlap, sessionMinutes: 90 });
      expectAllowed(coach(), { ...oneHourOverlap, sessionMinutes: 60 });
      expectAllowed(coach(), request({ sessionMinutes: 120 }));
      expectExcluded(["noCommonTime"], coach(), request({ sessionMinutes: 121 }));
    });

    it("needs one stretch long enough, not just enough minutes over the week", () => {
      const twoHalfHours = {
        windows: [at(MONDAY, "18:00", "18:45"), at(WEDNESDAY, "18:00", "18:45")],
      };
      const explanation = expectExcluded(
        ["noCommonTime"],
        coach({ windows: [at(MONDAY, "18:00", "20:00"), at(WEDNESDAY, "18:00", "20:00")] }),
        request({ ...twoHalfHours, sessionMinutes: 60 }),
      );
      expect(explanation.excludedBy).toEqual(["noCommonTime"]);
      expectAllowed(
        coach({ windows: [at(MONDAY, "18:00", "20:00"), at(WEDNESDAY, "18:00", "20:00")] }),
        request({ ...twoHalfHours, sessionMinutes: 45 }),
      );
    });

    it("merges touching windows into one stretch: 10:00–12:00 and 12:00–13:00 hold 3 hours", () => {
      const splitCoach = coach({ windows: [at(MONDAY, "10:00", "12:00"), at(MONDAY, "12:00", "13:00")] });
      const explanation = expectAllowed(splitCoach, request({ windows: [at(MONDAY, "10:00", "13:00")], sessionMinutes: 180 }));
      expect(criterion(explanation, "commonTime").facts).toEqual({ criterion: "commonTime", commonMinutes: 180 });
      // A 90-minute session fits only across the join: 11:30–12:00 on one side, 12:00–13:00 on the other.
      expectAllowed(
        splitCoach,
        request({ windows: [at(MONDAY, "11:30", "12:00"), at(MONDAY, "12:00", "13:00")], sessionMinutes: 90 }),
      );
      // With a one-minute gap there are two stretches (120 and 59 minutes) and neither holds 150 minutes.
      const gapCoach = coach({ windows: [at(MONDAY, "10:00", "12:00"), at(MONDAY, "12:01", "13:00")] });
      expectExcluded(["noCommonTime"], gapCoach, request({ windows: [at(MONDAY, "10:00", "13:00")], sessionMinutes: 150 }));
      expectAllowed(splitCoach, request({ windows: [at(MONDAY, "10:00", "13:00")], sessionMinutes: 150 }));
      expect(
        criterion(expectAllowed(gapCoach, request({ windows: [at(MONDAY, "10:00", "13:00")], sessionMinutes: 120 })), "commonTime")
          .facts,
      ).toEqual({ criterion: "commonTime", commonMinutes: 179 });
    });
  });
});

describe("soft criteria", () => {
  describe("topicFit", () => {
    it.each([
      [1, 60],
      [2, 80],
      [3, 100],
    ])("a main topic at level %i earns %i%% of the topic points", (level, percent) => {
      expect(fractionPercent(coach({ topics: [{ topicId: "topic-accessibility", level }] }), request(), "topicFit")).toBeCloseTo(
        percent,
        10,
      );
    });

    it("gives the main topic 70% and the other topics 30%, averaged over all named other topics", () => {
      const topics = [
        { topicId: "topic-accessibility", level: 3 },
        { topicId: "topic-onboarding", level: 1 },
      ];
      // 0.7 × 1 + 0.3 × (0.6 + 0) / 2 = 0.79: topic-mobile is named but not covered.
      const explanation = explain(coach({ topics }), request({ otherTopicIds: ["topic-onboarding", "topic-mobile"] }), {
        weights: only("topicFit"),
      });
      expect(explanation.total).toBeCloseTo(79, 10);
      expect(criterion(explanation, "topicFit").facts).toEqual({
        criterion: "topicFit",
        mainTopicId: "topic-accessibility",
        mainLevel: 3,
        coveredOtherTopicIds: ["topic-onboarding"],
        missedOtherTopicIds: ["topic-mobile"],
      });
      // 0.7 × 0.8 + 0.3 × (1 + 0.8) / 2 = 0.83
      expect(
        fractionPercent(
          coach({
            topics: [
              { topicId: "topic-accessibility", level: 2 },
              { topicId: "topic-onboarding", level: 3 },
              { topicId: "topic-mobile", level: 2 },
            ],
          }),
          request({ otherTopicIds: ["topic-onboarding", "topic-mobile"] }),
          "topicFit",
        ),
      ).toBeCloseTo(83, 10);
    });

    it("counts a missing other topic as not covered, whether another coach offers it or nobody does", () => {
      const coaches = [
        coach({ offerId: "plain" }),
        coach({
          offerId: "broad",
          topics: [
            { topicId: "topic-accessibility", level: 3 },
            { topicId: "topic-mobile", level: 2 },
          ],
        }),
      ];
      const totals = (otherTopicIds: string[]) => {
        const { coachPool, requestPool, weights } = pools(coaches, [request({ otherTopicIds })], { weights: only("topicFit") });
        return Array.from(scoreMatrix(requestPool, coachPool, weights));
      };
      expect(totals(["topic-mobile"])[0]).toBeCloseTo(70, 10);
      expect(totals(["topic-mobile"])[1]).toBeCloseTo(94, 10);
      expect(totals(["topic-nowhere"])[0]).toBeCloseTo(70, 10);
      expect(totals(["topic-nowhere"])[1]).toBeCloseTo(70, 10);
      expect(totals(["topic-nowhere", "topic-mobile"])[1]).toBeCloseTo(70 + (30 * 0.8) / 2, 10);
    });

    it("earns only the other-topic share when just another topic is covered", () => {
      // 0.7 × 0 + 0.3 × 0.8 / 1 = 0.24
      expect(
        fractionPercent(
          coach({ topics: [{ topicId: "topic-onboarding", level: 2 }] }),
          request({ otherTopicIds: ["topic-onboarding"] }),
          "topicFit",
        ),
      ).toBeCloseTo(24, 10);
    });
  });

  describe("commonTime", () => {
    it.each([
      ["1.5 h", [at(MONDAY, "18:30", "20:00")], 90, 37.5],
      ["2 h", [at(MONDAY, "18:00", "20:00")], 120, 50],
      ["3 h over two days", [at(MONDAY, "18:00", "20:00"), at(WEDNESDAY, "09:00", "10:00")], 180, 75],
      ["4 h", [at(MONDAY, "16:00", "20:00")], 240, 100],
      ["5 h, capped", [at(MONDAY, "15:00", "20:00")], 300, 100],
    ])("%s in common earns min(1, minutes/240)", (_label, windows, minutes, percent) => {
      const wideCoach = coach({ windows: [at(MONDAY, "08:00", "22:00"), at(WEDNESDAY, "08:00", "22:00")] });
      const explanation = explain(wideCoach, request({ windows }), { weights: only("commonTime") });
      expect(explanation.total).toBeCloseTo(percent, 10);
      expect(criterion(explanation, "commonTime").facts).toEqual({ criterion: "commonTime", commonMinutes: minutes });
    });

    it("earns half the default common-time points for the 2-hour baseline", () => {
      const entry = criterion(explain(coach(), request()), "commonTime");
      expect(entry.points).toBeCloseTo(entry.max / 2, 10);
    });
  });

  describe("regionProximity", () => {
    const hybridCoach = (overrides: Partial<CoachProfile> = {}) =>
      coach({ formats: ["video", "inPerson"], inPersonRegion: "DE-BE", travelKm: 200, ...overrides });
    const hybridRequest = (overrides: Partial<RequestProfile> = {}) =>
      request({ formats: ["video", "inPerson"], inPersonRegion: "DE-SN", ...overrides });

    it("gives full points for the same region", () => {
      const explanation = explain(hybridCoach(), hybridRequest({ inPersonRegion: "DE-BE" }), { weights: only("regionProximity") });
      expect(explanation.total).toBe(100);
      expect(criterion(explanation, "regionProximity").facts).toEqual({ criterion: "regionProximity", distanceKm: 0 });
    });

    it("gives 1 − d/(2·range) within the travel range", () => {
      // 163 km of 200 km: 1 − 163/400 = 0.5925
      const explanation = explain(hybridCoach(), hybridRequest(), { weights: only("regionProximity") });
      expect(explanation.total).toBeCloseTo(59.25, 10);
      expect(criterion(explanation, "regionProximity").facts).toEqual({ criterion: "regionProximity", distanceKm: 163 });
      // Exactly at the range still earns half.
      expect(fractionPercent(hybridCoach({ travelKm: 163 }), hybridRequest(), "regionProximity")).toBeCloseTo(50, 10);
      // 32 km of 50 km: 1 − 32/100
      expect(fractionPercent(hybridCoach({ travelKm: 50 }), hybridRequest({ inPersonRegion: "DE-BB" }), "regionProximity")).toBeCloseTo(
        68,
        10,
      );
    });

    it("gives nothing when the coach cannot reach the region or does not meet in person", () => {
      for (const unreachable of [
        hybridCoach({ travelKm: 100 }),
        hybridCoach({ formats: ["video"] }),
        hybridCoach({ inPersonRegion: null }),
        hybridCoach({ inPersonRegion: "outside", travelKm: 10_000 }),
      ]) {
        const explanation = explain(unreachable, hybridRequest(), { weights: only("regionProximity") });
        expect(explanation.excludedBy).toEqual([]);
        expect(explanation.total).toBe(0);
        expect(criterion(explanation, "regionProximity")).toMatchObject({
          points: 0,
          max: 100,
          facts: { criterion: "regionProximity", distanceKm: null },
        });
      }
    });

    it("only applies to requests that accept meeting in person and name a region", () => {
      for (const onlineOnly of [
        request(),
        request({ inPersonRegion: "DE-BE" }),
        request({ formats: ["video", "inPerson"], inPersonRegion: null }),
      ]) {
        const explanation = explain(hybridCoach(), onlineOnly);
        expect(explanation.criteria.map((entry) => entry.criterion)).not.toContain("regionProximity");
        expect(explanation.criteria.reduce((sum, entry) => sum + entry.max, 0)).toBeCloseTo(100, 10);
      }
      expect(explain(hybridCoach(), hybridRequest()).criteria.map((entry) => entry.criterion)).toContain("regionProximity");
    });

    it("normalises an online-only request over the other weights", () => {
      // Region weight 10 in the sum: 100 × (73.33… + 10 × 1) / 100; without it: 100 × 73.33… / 90.
      const inPerson = explain(hybridCoach(), hybridRequest({ inPersonRegion: "DE-BE" }));
      expect(inPerson.total).toBeCloseTo(40 + 10 + 10 + 10 + 10 / 3 + 10, 10);
      expect(criterion(inPerson, "topicFit").max).toBeCloseTo(40, 10);
      const online = explain(hybridCoach(), request());
      expect(online.total).toBeCloseTo(BASELINE_TOTAL, 10);
      expect(criterion(online, "topicFit").max).toBeCloseTo(400 / 9, 10);
      // With only the region weighted, an online request has nothing to be scored on.
      const nothing = explain(hybridCoach(), request(), { weights: only("regionProximity") });
      expect(nothing.total).toBe(0);
      expect(nothing.criteria.every((entry) => entry.points === 0 && entry.max === 0)).toBe(true);
    });
  });

  describe("organisationKind", () => {
    it("gives full points for the same kind and none for another", () => {
      expect(fractionPercent(coach({ organisationKind: "parish" }), request({ organisationKind: "parish" }), "organisationKind")).toBe(100);
      const explanation = explain(coach(), request({ organisationKind: "foundation" }), { weights: only("organisationKind") });
      expect(explanation.total).toBe(0);
      expect(criterion(explanation, "organisationKind").facts).toEqual({
        criterion: "organisationKind",
        sameKind: false,
        coachKind: "association",
      });
    });
  });

  describe("fairness", () => {
    it.each([
      [0, 100],
      [1, 200 / 3],
      [2, 50],
      [6, 25],
      [18, 10],
    ])("%i recent sessions earn 2/(2+n): %d%%", (recentSessions, percent) => {
      const explanation = explain(coach({ recentSessions }), request(), { weights: only("fairness") });
      expect(explanation.total).toBeCloseTo(percent, 10);
      expect(criterion(explanation, "fairness").facts).toEqual({ criterion: "fairness", recentSessions });
    });
  });

  describe("waitingTime", () => {
    it.each([
      [0, 0, 0],
      [0.9, 0, 0],
      [1, 1, 100 / 30],
      [10, 10, 100 / 3],
      [10.9, 10, 100 / 3],
      [15, 15, 50],
      [30, 30, 100],
      [45, 45, 100],
      [-3, 0, 0],
    ])("created %d days ago: %i full days waited, %d%%", (daysAgo, waitingDays, percent) => {
      const explanation = explain(coach(), request({ createdAt: daysBefore(REFERENCE, daysAgo) }), {
        weights: only("waitingTime"),
      });
      expect(explanation.total).toBeCloseTo(percent, 10);
      expect(criterion(explanation, "waitingTime").facts).toEqual({ criterion: "waitingTime", waitingDays });
    });
  });

  describe("totals", () => {
    const variety: [string, CoachProfile, RequestProfile][] = [
      ["baseline", coach(), request()],
      [
        "hybrid, far, other topics",
        coach({
          formats: ["video", "inPerson"],
          inPersonRegion: "DE-BE",
          travelKm: 200,
          recentSessions: 3,
          organisationKind: "foundation",
          topics: [
            { topicId: "topic-accessibility", level: 1 },
            { topicId: "topic-hosting", level: 2 },
          ],
          windows: [at(MONDAY, "09:00", "20:00")],
        }),
        request({
          formats: ["inPerson", "phone"],
          inPersonRegion: "DE-SN",
          otherTopicIds: ["topic-hosting", "topic-mobile"],
          windows: [at(MONDAY, "10:00", "11:30")],
          sessionMinutes: 90,
          createdAt: daysBefore(REFERENCE, 50),
        }),
      ],
      [
        "in person unreachable but video",
        coach({ formats: ["video", "inPerson"], inPersonRegion: "DE-BW", travelKm: 20 }),
        request({ formats: ["video", "inPerson"], inPersonRegion: "DE-SH", createdAt: REFERENCE }),
      ],
      [
        "everything at its best",
        coach({ formats: ["inPerson"], inPersonRegion: "DE-HH", windows: [at(MONDAY, "00:00", "24:00")] }),
        request({
          formats: ["inPerson"],
          inPersonRegion: "DE-HH",
          windows: [at(MONDAY, "08:00", "16:00")],
          createdAt: daysBefore(REFERENCE, 40),
        }),
      ],
    ];

    it.each(variety)("%s: points add up to the total, maxima to 100", (_label, coachProfile, requestProfile) => {
      for (const weights of [defaultMatchingWeights, { ...defaultMatchingWeights, fairness: 100, topicFit: 3 }]) {
        const explanation = expectAllowed(coachProfile, requestProfile, { weights });
        const points = explanation.criteria.reduce((sum, entry) => sum + entry.points, 0);
        const maxima = explanation.criteria.reduce((sum, entry) => sum + entry.max, 0);
        expect(points).toBeCloseTo(explanation.total, 10);
        expect(maxima).toBeCloseTo(100, 10);
        expect(explanation.total).toBeGreaterThanOrEqual(0);
        expect(explanation.total).toBeLessThanOrEqual(100 + 1e-9);
        for (const entry of explanation.criteria) {
          expect(entry.points).toBeGreaterThanOrEqual(0);
          expect(entry.points).toBeLessThanOrEqual(entry.max + 1e-9);
        }
      }
    });

    it("reaches exactly 100 when every criterion is at its best", () => {
      const [, coachProfile, requestProfile] = variety[3]!;
      expect(explain(coachProfile, requestProfile).total).toBeCloseTo(100, 10);
    });

    it("depends only on the weights' proportions", () => {
      const doubled = Object.fromEntries(
        Object.entries(defaultMatchingWeights).map(([name, weight]) => [name, weight * 2]),
      ) as MatchingWeights;
      for (const [, coachProfile, requestProfile] of variety) {
        expect(explain(coachProfile, requestProfile, { weights: doubled }).total).toBeCloseTo(
          explain(coachProfile, requestProfile).total,
          10,
        );
      }
    });

    it("follows the weights: topic fit alone gives 100 × the topic fraction", () => {
      const levelOne = coach({ topics: [{ topicId: "topic-accessibility", level: 1 }] });
      expect(explain(levelOne, request(), { weights: only("topicFit") }).total).toBeCloseTo(60, 10);
      expect(explain(levelOne, request(), { weights: { ...noWeights, topicFit: 100 } }).total).toBeCloseTo(60, 10);
      // topicFit 1 and commonTime 1: (0.6 + 0.5) / 2
      expect(explain(levelOne, request(), { weights: { ...noWeights, topicFit: 1, commonTime: 1 } }).total).toBeCloseTo(55, 10);
      // Raising the topic weight lowers a weak topic fit's total relative to the default.
      const heavierTopic = { ...defaultMatchingWeights, topicFit: 100 };
      expect(explain(levelOne, request(), { weights: heavierTopic }).total).toBeLessThan(explain(levelOne, request()).total);
      // 100 × (100 × 0.6 + 20 × 0.5 + 10 + 10 + 10/3) / 150
      expect(explain(levelOne, request(), { weights: heavierTopic }).total).toBeCloseTo((100 * (60 + 10 + 10 + 10 + 10 / 3)) / 150, 10);
    });

    it("gives 0 without NaN when every weight is 0, and still NaN for excluded pairs", () => {
      const coaches = [coach(), coach({ offerId: "offer-2", languages: ["fr"] })];
      const { coachPool, requestPool, weights } = pools(coaches, [request()], { weights: noWeights });
      const allowed = explainPair(requestPool, 0, coachPool, 0, weights);
      expect(allowed.total).toBe(0);
      expect(allowed.criteria.length).toBe(5);
      for (const entry of allowed.criteria) {
        expect(entry.points).toBe(0);
        expect(entry.max).toBe(0);
      }
      const scores = scoreMatrix(requestPool, coachPool, weights);
      expect(scores[0]).toBe(0);
      expect(scores[1]).toBeNaN();
      expect(rankCoaches(requestPool, 0, coachPool, weights, 5).best).toEqual([{ coachIndex: 0, total: 0 }]);
    });
  });
});

describe("time zones", () => {
  const newYorkCoach = coach({ timeZone: "America/New_York", windows: [at(MONDAY, "12:00", "14:00")] });
  const berlinRequest = (sessionMinutes: number) => request({ sessionMinutes });
  const commonMinutes = (explanation: PairExplanation) => criterion(explanation, "commonTime").facts;

  it("converts both to the same UTC hours in winter: 120 minutes in common", () => {
    const january = new Date("2027-01-13T12:00:00Z");
    expect(toUtcMinutesOfWeek(at(MONDAY, "12:00", "14:00"), "America/New_York", january)).toEqual([{ start: 1020, end: 1140 }]);
    expect(toUtcMinutesOfWeek(at(MONDAY, "18:00", "20:00"), "Europe/Berlin", january)).toEqual([{ start: 1020, end: 1140 }]);
    const explanation = expectAllowed(newYorkCoach, berlinRequest(120), { referenceDate: january });
    expect(commonMinutes(explanation)).toEqual({ criterion: "commonTime", commonMinutes: 120 });
  });

  it("has only 60 minutes in common while only New York is on summer time", () => {
    // New York springs forward on 14 March 2027, Berlin on 28 March 2027.
    const between = new Date("2027-03-17T12:00:00Z");
    expect(toUtcMinutesOfWeek(at(MONDAY, "12:00", "14:00"), "America/New_York", between)).toEqual([{ start: 960, end: 1080 }]);
    expect(toUtcMinutesOfWeek(at(MONDAY, "18:00", "20:00"), "Europe/Berlin", between)).toEqual([{ start: 1020, end: 1140 }]);
    expectExcluded(["noCommonTime"], newYorkCoach, berlinRequest(90), { referenceDate: between });
    const explanation = expectAllowed(newYorkCoach, berlinRequest(60), { referenceDate: between });
    expect(commonMinutes(explanation)).toEqual({ criterion: "commonTime", commonMinutes: 60 });
  });

  it("is back to 120 minutes once Berlin is on summer time too", () => {
    const after = new Date("2027-03-31T12:00:00Z");
    const explanation = expectAllowed(newYorkCoach, berlinRequest(120), { referenceDate: after });
    expect(commonMinutes(explanation)).toEqual({ criterion: "commonTime", commonMinutes: 120 });
  });

  describe("across the UTC week boundary", () => {
    // Monday 00:00–02:00 in Berlin (winter) is Sunday 23:00 to Monday 01:00 UTC, wrapped around the week.
    const midnightCoach = coach({ windows: [at(MONDAY, "00:00", "02:00")] });
    const utcRequest = (windows: AvailabilityWindow[], sessionMinutes: number) =>
      request({ timeZone: "UTC", windows, sessionMinutes });

    it("wraps the Berlin window and leaves the UTC windows where they are", () => {
      expect(toUtcMinutesOfWeek(at(MONDAY, "00:00", "02:00"), "Europe/Berlin", REFERENCE)).toEqual([
        { start: 0, end: 60 },
        { start: 10020, end: 10080 },
      ]);
      expect(toUtcMinutesOfWeek(at(SUNDAY, "23:00", "24:00"), "UTC", REFERENCE)).toEqual([{ start: 10020, end: 10080 }]);
      expect(toUtcMinutesOfWeek(at(MONDAY, "00:00", "01:00"), "UTC", REFERENCE)).toEqual([{ start: 0, end: 60 }]);
    });

    it("counts Sunday night into Monday as one stretch", () => {
      const windows = [at(SUNDAY, "23:00", "24:00"), at(MONDAY, "00:00", "01:00")];
      const explanation = expectAllowed(midnightCoach, utcRequest(windows, 90));
      expect(commonMinutes(explanation)).toEqual({ criterion: "commonTime", commonMinutes: 120 });
      expectAllowed(midnightCoach, utcRequest(windows, 120));
      expectExcluded(["noCommonTime"], midnightCoach, utcRequest(windows, 121));
    });

    it("does not join pieces that do not touch the boundary", () => {
      // 23:00–24:00 Sunday and 00:30–01:00 Monday: 90 minutes in common, but at most 60 in a row.
      const windows = [at(SUNDAY, "23:00", "24:00"), at(MONDAY, "00:30", "01:00")];
      expectExcluded(["noCommonTime"], midnightCoach, utcRequest(windows, 90));
      const explanation = expectAllowed(midnightCoach, utcRequest(windows, 60));
      expect(commonMinutes(explanation)).toEqual({ criterion: "commonTime", commonMinutes: 90 });
    });
  });
});

describe("rankCoaches and scoreMatrix", () => {
  // Fairness decides the order: 2/(2+n) for n recent sessions.
  const coaches = [
    coach({ offerId: "two-sessions", recentSessions: 2 }),
    coach({ offerId: "fresh-a", recentSessions: 0 }),
    coach({ offerId: "paused", pausedUntil: "2027-01-01" }),
    coach({ offerId: "fresh-b", recentSessions: 0 }),
    coach({ offerId: "six-sessions", recentSessions: 6 }),
    coach({ offerId: "two-sessions-b", recentSessions: 2 }),
  ];

  it("orders best first, ties in pool order, and counts the excluded coaches", () => {
    const { coachPool, requestPool, weights } = pools(coaches, [request()]);
    const ranking = rankCoaches(requestPool, 0, coachPool, weights, 10);
    expect(ranking.best.map((entry) => coachPool.offerIds[entry.coachIndex])).toEqual([
      "fresh-a",
      "fresh-b",
      "two-sessions",
      "two-sessions-b",
      "six-sessions",
    ]);
    expect(ranking.best[0]!.total).toBeCloseTo(BASELINE_TOTAL, 10);
    // Two sessions lose half of the fairness points: 100/9 × 0.5.
    expect(ranking.best[0]!.total - ranking.best[2]!.total).toBeCloseTo(100 / 18, 10);
    expect(ranking.excludedCoaches).toBe(1);
    expect(ranking.excludedCounts.coachPaused).toBe(1);
  });

  it("respects the limit and keeps the earlier coach of a tie at the cut", () => {
    const { coachPool, requestPool, weights } = pools(coaches, [request()]);
    const names = (limit: number) =>
      rankCoaches(requestPool, 0, coachPool, weights, limit).best.map((entry) => coachPool.offerIds[entry.coachIndex]);
    expect(names(1)).toEqual(["fresh-a"]);
    expect(names(3)).toEqual(["fresh-a", "fresh-b", "two-sessions"]);
    expect(names(4)).toEqual(["fresh-a", "fresh-b", "two-sessions", "two-sessions-b"]);
    expect(names(0)).toEqual([]);
    // The counts cover the whole pool whatever the limit.
    expect(rankCoaches(requestPool, 0, coachPool, weights, 1).excludedCoaches).toBe(1);
  });

  it("gives the same totals as scoreMatrix and explainPair", () => {
    const requests = [
      request(),
      request({ requestId: "request-2", declinedOfferIds: ["fresh-b"], otherTopicIds: ["topic-mobile"], createdAt: daysBefore(REFERENCE, 40) }),
      request({ requestId: "request-3", languages: ["en"] }),
    ];
    const { coachPool, requestPool, weights } = pools(coaches, requests);
    const scores = scoreMatrix(requestPool, coachPool, weights);
    expect(scores).toHaveLength(requests.length * coaches.length);
    for (let row = 0; row < requests.length; row++) {
      const ranking = rankCoaches(requestPool, row, coachPool, weights, coaches.length);
      for (let column = 0; column < coaches.length; column++) {
        const score = scores[row * coaches.length + column]!;
        const explanation = explainPair(requestPool, row, coachPool, column, weights);
        expect(explanation.requestId).toBe(requests[row]!.requestId);
        expect(explanation.offerId).toBe(coaches[column]!.offerId);
        const ranked = ranking.best.find((entry) => entry.coachIndex === column);
        if (explanation.excludedBy.length > 0) {
          expect(score).toBeNaN();
          expect(ranked).toBeUndefined();
        } else {
          expect(score).toBeCloseTo(explanation.total, 10);
          expect(ranked?.total).toBe(score);
        }
      }
      expect(ranking.best.length + ranking.excludedCoaches).toBe(coaches.length);
    }
    // Row-major: request 2 excludes only the declined coach and the paused one; request 3 excludes everyone.
    expect(Array.from(scores.slice(coaches.length, 2 * coaches.length), Number.isNaN)).toEqual([false, false, true, true, false, false]);
    expect(Array.from(scores.slice(2 * coaches.length), Number.isNaN)).toEqual(coaches.map(() => true));
  });

  it("handles empty pools", () => {
    const { coachPool, requestPool, weights } = pools([], [request()]);
    expect(scoreMatrix(requestPool, coachPool, weights)).toHaveLength(0);
    expect(rankCoaches(requestPool, 0, coachPool, weights, 5)).toMatchObject({
      best: [],
      excludedCoaches: 0,
      excludedCounts: Object.fromEntries(exclusionRules.map((rule) => [rule, 0])),
    });
    const noRequests = pools([coach()], []);
    expect(scoreMatrix(noRequests.requestPool, noRequests.coachPool, noRequests.weights)).toHaveLength(0);
  });
});

describe("compileRequests", () => {
  it("maps ids the coach pool does not know to nothing instead of failing", () => {
    const coachPool = compileCoaches([coach()], REFERENCE);
    const requestPool = compileRequests(
      [
        request({
          userId: "user-new",
          organisationId: "org-new",
          mainTopicId: "topic-new",
          otherTopicIds: ["topic-accessibility", "topic-other-new"],
          declinedOfferIds: ["offer-gone"],
        }),
      ],
      coachPool,
      REFERENCE,
    );
    expect(requestPool.count).toBe(1);
    expect(requestPool.requestIds).toEqual(["request-1"]);
    expect(requestPool.mainTopic[0]).toBe(-1);
    expect(requestPool.mainTopicIds).toEqual(["topic-new"]);
    expect(Array.from(requestPool.otherTopics)).toEqual([coachPool.topicIndexById.get("topic-accessibility")]);
    expect(requestPool.otherTopicIds).toEqual([["topic-accessibility", "topic-other-new"]]);
    expect(Array.from(requestPool.declinedCoaches)).toEqual([]);
    expect(requestPool.userIndex[0]).toBe(-1);
    expect(requestPool.organisationIndex[0]).toBe(-1);
  });

  it("excludes a main topic no coach offers by noSharedTopic, unless another topic is covered", () => {
    expectExcluded(["noSharedTopic"], coach(), request({ mainTopicId: "topic-new" }));
    expectExcluded(["noSharedTopic"], coach(), request({ mainTopicId: "topic-new", otherTopicIds: ["topic-other-new"] }));
    const explanation = expectAllowed(coach(), request({ mainTopicId: "topic-new", otherTopicIds: ["topic-accessibility", "topic-other-new"] }));
    // 0.7 × 0 + 0.3 × (1 + 0) / 2
    expect(criterion(explanation, "topicFit").points / criterion(explanation, "topicFit").max).toBeCloseTo(0.15, 10);
    expect(criterion(explanation, "topicFit").facts).toEqual({
      criterion: "topicFit",
      mainTopicId: "topic-new",
      mainLevel: 0,
      coveredOtherTopicIds: ["topic-accessibility"],
      missedOtherTopicIds: ["topic-other-new"],
    });
  });

  it("compiles every request against the same coach indices", () => {
    const coachPool = compileCoaches(
      [coach({ offerId: "a", userId: "u-a", organisationId: "o-a" }), coach({ offerId: "b", userId: "u-b", organisationId: "o-b" })],
      REFERENCE,
    );
    const requestPool = compileRequests(
      [request({ userId: "u-b", organisationId: "o-a", declinedOfferIds: ["b", "a"] }), request({ requestId: "r2" })],
      coachPool,
      REFERENCE,
    );
    expect(Array.from(requestPool.userIndex)).toEqual([1, -1]);
    expect(Array.from(requestPool.organisationIndex)).toEqual([0, -1]);
    expect(Array.from(requestPool.declinedCoaches)).toEqual([1, 0]);
    expect(Array.from(requestPool.declinedFirstOf)).toEqual([0, 2, 2]);
  });

  it("covers every soft criterion in criterion order for an in-person request", () => {
    const explanation = explain(
      coach({ formats: ["inPerson"], inPersonRegion: "DE-BE", travelKm: 10 }),
      request({ formats: ["inPerson"], inPersonRegion: "DE-BE" }),
    );
    expect(explanation.criteria.map((entry) => entry.criterion)).toEqual([...softCriteria]);
  });
});
