import { describe, expect, it } from "vitest";
import { defaultMatchingWeights, exclusionRules, softCriteria, type ExclusionRule, type SoftCriterion } from "~/domain/matching/criteria";
import { describePair, type DescribedPair } from "~/domain/matching/explanation";
import {
  compileCoaches,
  compileRequests,
  explainPair,
  prepareWeights,
  type CoachProfile,
  type PairExplanation,
  type RequestProfile,
} from "~/domain/matching/scoring";
import { createI18n } from "~/i18n/i18n";
import type { LocaleCode } from "~db/schema";
import { at, coach, MONDAY, MS_PER_DAY, REFERENCE, request, TUESDAY } from "../support/matching-builders";

const topicLabels: Record<LocaleCode, Record<string, string>> = {
  en: {
    "topic-accessibility": "accessibility",
    "topic-onboarding": "onboarding",
    "topic-hosting": "hosting",
    "topic-mobile": "mobile apps",
  },
  de: {
    "topic-accessibility": "Barrierefreiheit",
    "topic-onboarding": "Onboarding",
    "topic-hosting": "Hosting",
    "topic-mobile": "mobile Apps",
  },
};

function explain(coachProfile: CoachProfile, requestProfile: RequestProfile) {
  const coachPool = compileCoaches([coachProfile], REFERENCE);
  const requestPool = compileRequests([requestProfile], coachPool, REFERENCE);
  return explainPair(requestPool, 0, coachPool, 0, prepareWeights(defaultMatchingWeights));
}

function describeIn(locale: LocaleCode, explanation: PairExplanation): DescribedPair {
  return describePair(explanation, {
    t: createI18n(locale).t,
    locale,
    topicLabel: (topicId) => topicLabels[locale][topicId] ?? topicId,
  });
}

const described = (locale: LocaleCode, coachProfile: CoachProfile, requestProfile: RequestProfile) =>
  describeIn(locale, explain(coachProfile, requestProfile));

function reason(pair: DescribedPair, criterion: SoftCriterion) {
  const found = pair.criteria.find((entry) => entry.criterion === criterion);
  if (!found) throw new Error(`criterion ${criterion} missing`);
  return found.reason;
}

type Localised = Record<LocaleCode, string>;
const locales: LocaleCode[] = ["de", "en"];

describe("describePair summary", () => {
  const summaries: [string, CoachProfile, RequestProfile, Localised][] = [
    [
      "the baseline",
      coach(),
      request(),
      {
        en: "Speaks German · expert in accessibility · 2 h/week common time",
        de: "Spricht Deutsch · Expertise in Barrierefreiheit · 2 Std./Woche gemeinsame Zeit",
      },
    ],
    [
      "two shared languages and 1.5 hours",
      coach({ languages: ["en", "de", "tr"], topics: [{ topicId: "topic-accessibility", level: 1 }] }),
      request({ languages: ["de", "en"], windows: [at(MONDAY, "18:30", "20:00")] }),
      {
        en: "Speaks German and English · basics in accessibility · 1.5 h/week common time",
        de: "Spricht Deutsch und Englisch · Grundlagen in Barrierefreiheit · 1,5 Std./Woche gemeinsame Zeit",
      },
    ],
    [
      "a main topic the coach does not offer",
      coach({ topics: [{ topicId: "topic-onboarding", level: 2 }] }),
      request({ otherTopicIds: ["topic-onboarding"] }),
      { en: "Speaks German · 2 h/week common time", de: "Spricht Deutsch · 2 Std./Woche gemeinsame Zeit" },
    ],
  ];

  describe.each(locales)("in %s", (locale) => {
    it.each(summaries)("for %s", (_label, coachProfile, requestProfile, expected) => {
      const pair = described(locale, coachProfile, requestProfile);
      expect(pair.summary).toBe(expected[locale]);
      expect(pair.whyNot).toEqual([]);
    });

    it("passes the offer, total, points and maxima through unchanged", () => {
      const explanation = explain(coach(), request());
      const pair = describeIn(locale, explanation);
      expect(pair.offerId).toBe("offer-1");
      expect(pair.total).toBe(explanation.total);
      expect(pair.criteria.map(({ criterion, points, max }) => ({ criterion, points, max }))).toEqual(
        explanation.criteria.map(({ criterion, points, max }) => ({ criterion, points, max })),
      );
    });
  });
});

describe("describePair reasons", () => {
  const hybridCoach = (overrides: Partial<CoachProfile> = {}) =>
    coach({ formats: ["video", "inPerson"], inPersonRegion: "DE-BE", travelKm: 200, ...overrides });
  const hybridRequest = (overrides: Partial<RequestProfile> = {}) =>
    request({ formats: ["video", "inPerson"], inPersonRegion: "DE-SN", ...overrides });
  const daysAgo = (days: number) => new Date(REFERENCE.getTime() - days * MS_PER_DAY);

  const reasons: [string, SoftCriterion, CoachProfile, RequestProfile, Localised][] = [
    [
      "level 1",
      "topicFit",
      coach({ topics: [{ topicId: "topic-accessibility", level: 1 }] }),
      request(),
      { en: "Basics in accessibility", de: "Grundlagen in Barrierefreiheit" },
    ],
    [
      "level 2",
      "topicFit",
      coach({ topics: [{ topicId: "topic-accessibility", level: 2 }] }),
      request(),
      { en: "Experienced in accessibility", de: "Erprobt in Barrierefreiheit" },
    ],
    ["level 3", "topicFit", coach(), request(), { en: "Expert in accessibility", de: "Expertise in Barrierefreiheit" }],
    [
      "covered and missed other topics",
      "topicFit",
      coach({
        topics: [
          { topicId: "topic-accessibility", level: 3 },
          { topicId: "topic-onboarding", level: 2 },
          { topicId: "topic-hosting", level: 1 },
        ],
      }),
      request({ otherTopicIds: ["topic-onboarding", "topic-hosting", "topic-mobile"] }),
      {
        en: "Expert in accessibility; also onboarding and hosting; not mobile apps",
        de: "Expertise in Barrierefreiheit; auch Onboarding und Hosting; nicht mobile Apps",
      },
    ],
    [
      "three covered other topics",
      "topicFit",
      coach({
        topics: [
          { topicId: "topic-accessibility", level: 2 },
          { topicId: "topic-onboarding", level: 1 },
          { topicId: "topic-hosting", level: 1 },
          { topicId: "topic-mobile", level: 1 },
        ],
      }),
      request({ otherTopicIds: ["topic-onboarding", "topic-hosting", "topic-mobile"] }),
      {
        en: "Experienced in accessibility; also onboarding, hosting, and mobile apps",
        de: "Erprobt in Barrierefreiheit; auch Onboarding, Hosting und mobile Apps",
      },
    ],
    [
      "two missed other topics",
      "topicFit",
      coach(),
      request({ otherTopicIds: ["topic-onboarding", "topic-mobile"] }),
      {
        en: "Expert in accessibility; not onboarding or mobile apps",
        de: "Expertise in Barrierefreiheit; nicht Onboarding oder mobile Apps",
      },
    ],
    [
      "a missing main topic",
      "topicFit",
      coach({ topics: [{ topicId: "topic-onboarding", level: 3 }] }),
      request({ otherTopicIds: ["topic-onboarding"] }),
      { en: "Accessibility not offered; also onboarding", de: "Barrierefreiheit nicht im Angebot; auch Onboarding" },
    ],
    ["2 hours", "commonTime", coach(), request(), { en: "2 h/week common time", de: "2 Std./Woche gemeinsame Zeit" }],
    [
      "1.5 hours",
      "commonTime",
      coach(),
      request({ windows: [at(MONDAY, "18:30", "20:00")] }),
      { en: "1.5 h/week common time", de: "1,5 Std./Woche gemeinsame Zeit" },
    ],
    [
      "100 minutes, rounded to one decimal",
      "commonTime",
      coach(),
      request({ windows: [at(MONDAY, "18:20", "20:00")] }),
      { en: "1.7 h/week common time", de: "1,7 Std./Woche gemeinsame Zeit" },
    ],
    [
      "5 hours over two days",
      "commonTime",
      coach({ windows: [at(MONDAY, "17:00", "20:00"), at(TUESDAY, "09:00", "11:00")] }),
      request({ windows: [at(MONDAY, "17:00", "20:00"), at(TUESDAY, "09:00", "11:00")] }),
      { en: "5 h/week common time", de: "5 Std./Woche gemeinsame Zeit" },
    ],
    [
      "the same region",
      "regionProximity",
      hybridCoach(),
      hybridRequest({ inPersonRegion: "DE-BE" }),
      { en: "Same region", de: "Gleiche Region" },
    ],
    [
      "163 km within range",
      "regionProximity",
      hybridCoach(),
      hybridRequest(),
      { en: "About 163 km away", de: "Etwa 163 km entfernt" },
    ],
    [
      "a region out of range",
      "regionProximity",
      hybridCoach({ travelKm: 100 }),
      hybridRequest(),
      { en: "No meeting in person in your region", de: "Kein Treffen vor Ort in Ihrer Region" },
    ],
    [
      "a video-only coach",
      "regionProximity",
      coach(),
      hybridRequest(),
      { en: "No meeting in person in your region", de: "Kein Treffen vor Ort in Ihrer Region" },
    ],
    [
      "the same kind of organisation",
      "organisationKind",
      coach({ organisationKind: "parish" }),
      request({ organisationKind: "parish" }),
      { en: "Also: Parish", de: "Ebenfalls: Kirchengemeinde" },
    ],
    [
      "another kind of organisation, naming the coach's",
      "organisationKind",
      coach(),
      request({ organisationKind: "foundation" }),
      { en: "Different kind of organisation (Association)", de: "Andere Art von Organisation (Verein)" },
    ],
    [
      "no recent sessions",
      "fairness",
      coach(),
      request(),
      { en: "0 tandems in the last 90 days", de: "0 Tandems in den letzten 90 Tagen" },
    ],
    [
      "one recent session",
      "fairness",
      coach({ recentSessions: 1 }),
      request(),
      { en: "1 tandem in the last 90 days", de: "1 Tandem in den letzten 90 Tagen" },
    ],
    [
      "three recent sessions",
      "fairness",
      coach({ recentSessions: 3 }),
      request(),
      { en: "3 tandems in the last 90 days", de: "3 Tandems in den letzten 90 Tagen" },
    ],
    [
      "no day of waiting",
      "waitingTime",
      coach(),
      request({ createdAt: daysAgo(0.5) }),
      { en: "Request waiting for 0 days", de: "Anfrage wartet seit 0 Tagen" },
    ],
    [
      "1 day of waiting",
      "waitingTime",
      coach(),
      request({ createdAt: daysAgo(1) }),
      { en: "Request waiting for 1 day", de: "Anfrage wartet seit 1 Tag" },
    ],
    [
      "12 days of waiting",
      "waitingTime",
      coach(),
      request({ createdAt: daysAgo(12) }),
      { en: "Request waiting for 12 days", de: "Anfrage wartet seit 12 Tagen" },
    ],
  ];

  describe.each(locales)("in %s", (locale) => {
    it.each(reasons)("for %s (%s)", (_label, criterion, coachProfile, requestProfile, expected) => {
      const pair = described(locale, coachProfile, requestProfile);
      expect(pair.whyNot).toEqual([]);
      expect(reason(pair, criterion)).toBe(expected[locale]);
    });
  });

  it("formats distances with the reader's grouping", () => {
    const explanation = explain(hybridCoach(), hybridRequest());
    const far: PairExplanation = {
      ...explanation,
      criteria: explanation.criteria.map((entry) =>
        entry.criterion === "regionProximity" ? { ...entry, facts: { criterion: "regionProximity", distanceKm: 1234 } } : entry,
      ),
    };
    expect(reason(describeIn("en", far), "regionProximity")).toBe("About 1,234 km away");
    expect(reason(describeIn("de", far), "regionProximity")).toBe("Etwa 1.234 km entfernt");
  });
});

describe("describePair whyNot", () => {
  const singleRule: Record<ExclusionRule, [CoachProfile, RequestProfile, Localised]> = {
    ownOffer: [coach(), request({ userId: "user-coach" }), { en: "This is your own offer.", de: "Das ist Ihr eigenes Angebot." }],
    noSharedLanguage: [coach(), request({ languages: ["en"] }), { en: "No language in common.", de: "Keine gemeinsame Sprache." }],
    noCommonFormat: [
      coach(),
      request({ formats: ["phone"] }),
      {
        en: "No format in common (in person only within the coach's travel range).",
        de: "Kein gemeinsames Format (vor Ort nur innerhalb der Reichweite des Coaches).",
      },
    ],
    accessNotSupported: [
      coach(),
      request({ accessNeeds: ["captions"] }),
      {
        en: "Support needed but not offered: Captions / live transcript.",
        de: "Benötigte Unterstützung fehlt: Untertitel / Live-Mitschrift.",
      },
    ],
    coachPaused: [
      coach({ pausedUntil: "2026-12-02" }),
      request(),
      { en: "The coach is taking a break.", de: "Der Coach pausiert gerade." },
    ],
    coachAtCapacity: [
      coach({ matchesThisMonth: 4 }),
      request(),
      { en: "The coach is fully booked this month.", de: "Der Coach ist in diesem Monat ausgebucht." },
    ],
    sameOrganisation: [
      coach(),
      request({ organisationId: "org-coach" }),
      {
        en: "Coach and request belong to the same organisation.",
        de: "Coach und Anfrage gehören zur selben Organisation.",
      },
    ],
    coachDeclined: [
      coach(),
      request({ declinedOfferIds: ["offer-1"] }),
      { en: "The coach has already declined this request.", de: "Der Coach hat diese Anfrage schon abgelehnt." },
    ],
    noSharedTopic: [
      coach(),
      request({ mainTopicId: "topic-mobile" }),
      { en: "The coach offers none of the topics.", de: "Der Coach bietet keines der Themen an." },
    ],
    noCommonTime: [
      coach(),
      request({ windows: [at(TUESDAY, "18:00", "20:00")] }),
      {
        en: "No common time long enough for a whole session.",
        de: "Keine gemeinsame Zeit, die für eine ganze Sitzung reicht.",
      },
    ],
  };

  describe.each(locales)("in %s", (locale) => {
    it.each([...exclusionRules])("explains %s in one sentence, which is also the summary", (rule) => {
      const [coachProfile, requestProfile, expected] = singleRule[rule];
      const pair = described(locale, coachProfile, requestProfile);
      expect(pair.whyNot).toEqual([expected[locale]]);
      expect(pair.summary).toBe(expected[locale]);
      expect(pair.criteria).toEqual([]);
      expect(pair.total).toBe(0);
    });

    it("lists several failed rules in rule order, joined in the summary", () => {
      const pair = described(locale, coach({ matchesThisMonth: 4 }), request({ userId: "user-coach", languages: ["en"] }));
      const expected = [singleRule.ownOffer[2][locale], singleRule.noSharedLanguage[2][locale], singleRule.coachAtCapacity[2][locale]];
      expect(pair.whyNot).toEqual(expected);
      expect(pair.summary).toBe(expected.join(" · "));
    });
  });

  it.each([
    [
      ["captions", "signLanguage"] as const,
      {
        en: "Support needed but not offered: Captions / live transcript and Sign language.",
        de: "Benötigte Unterstützung fehlt: Untertitel / Live-Mitschrift und Gebärdensprache.",
      },
    ],
    [
      ["plainLanguage", "signLanguage", "captions"] as const,
      {
        en: "Support needed but not offered: Captions / live transcript, Sign language, and Plain language (Leichte Sprache).",
        de: "Benötigte Unterstützung fehlt: Untertitel / Live-Mitschrift, Gebärdensprache und Leichte Sprache.",
      },
    ],
  ])("lists the missing support %j in the reader's language", (needs, expected) => {
    // The coach supports screen readers, which is needed too but not missing.
    const explanation = explain(coach({ accessSupport: ["screenReader"] }), request({ accessNeeds: [...needs, "screenReader"] }));
    for (const locale of locales) expect(describeIn(locale, explanation).whyNot).toEqual([expected[locale]]);
  });
});

describe("every text is translated", () => {
  const allowedPairs: [CoachProfile, RequestProfile][] = [
    [
      coach({
        formats: ["video", "inPerson"],
        inPersonRegion: "DE-BE",
        travelKm: 200,
        recentSessions: 1,
        topics: [
          { topicId: "topic-accessibility", level: 2 },
          { topicId: "topic-onboarding", level: 1 },
        ],
      }),
      request({
        formats: ["inPerson"],
        inPersonRegion: "DE-SN",
        otherTopicIds: ["topic-onboarding", "topic-mobile"],
        organisationKind: "municipality",
      }),
    ],
    [coach({ formats: ["video", "inPerson"], inPersonRegion: "DE-BE" }), request({ formats: ["video", "inPerson"], inPersonRegion: "DE-BE" })],
    [coach({ topics: [{ topicId: "topic-mobile", level: 1 }] }), request({ formats: ["video", "inPerson"], inPersonRegion: "DE-BY", otherTopicIds: ["topic-mobile"] })],
  ];
  const everyRule = explain(
    coach({ pausedUntil: "2026-12-02", matchesThisMonth: 4 }),
    request({
      userId: "user-coach",
      languages: ["en"],
      formats: ["phone"],
      accessNeeds: ["captions", "signLanguage", "plainLanguage", "screenReader", "lowBandwidth"],
      organisationId: "org-coach",
      declinedOfferIds: ["offer-1"],
      mainTopicId: "topic-mobile",
      windows: [at(TUESDAY, "18:00", "20:00")],
    }),
  );

  it("covers every rule and every criterion", () => {
    expect(everyRule.excludedBy).toEqual([...exclusionRules]);
    const seen = new Set(allowedPairs.flatMap(([c, r]) => explain(c, r).criteria.map((entry) => entry.criterion)));
    expect([...seen].sort()).toEqual([...softCriteria].sort());
  });

  it.each(locales)("in %s: no placeholder or raw key is left", (locale) => {
    const pairs = [describeIn(locale, everyRule), ...allowedPairs.map(([c, r]) => described(locale, c, r))];
    const texts = pairs.flatMap((pair) => [pair.summary, ...pair.whyNot, ...pair.criteria.map((entry) => entry.reason)]);
    expect(texts.length).toBeGreaterThan(20);
    for (const text of texts) {
      expect(text).not.toBe("");
      expect(text).not.toContain("{{");
      expect(text).not.toContain("}}");
      expect(text).not.toMatch(/\b(matching|access|organisationKinds)\.[a-zA-Z]/);
      expect(text).not.toContain("undefined");
      expect(text).not.toContain("NaN");
    }
  });
});
