/**
 * Turns a pair's explanation into sentences people read, in the reader's language: a one-line summary
 * ("Speaks German · expert in accessibility · 4 h/week common time"), one reason per criterion, and for
 * an excluded pair the rules it failed.
 */
import type { TFunction } from "i18next";
import type { CriterionFacts, PairExplanation } from "~/domain/matching/scoring";
import type { SoftCriterion } from "~/domain/matching/criteria";
import { fairnessWindowDays } from "~/domain/matching/criteria";
import { hoursText, languageName, oncePer } from "~/utils/display";
import type { LocaleCode } from "~db/schema";

export type DescribedCriterion = { criterion: SoftCriterion; points: number; max: number; reason: string };

export type DescribedPair = {
  offerId: string;
  total: number;
  summary: string;
  criteria: DescribedCriterion[];
  /** One sentence per failed rule; empty when the pair is allowed. */
  whyNot: string[];
};

type Reader = { t: TFunction; locale: LocaleCode; topicLabel: (topicId: string) => string };

const listFormats = {
  conjunction: oncePer((locale) => new Intl.ListFormat(locale, { style: "long", type: "conjunction" })),
  disjunction: oncePer((locale) => new Intl.ListFormat(locale, { style: "long", type: "disjunction" })),
};
const kilometreFormat = oncePer((locale) => new Intl.NumberFormat(locale));

function list(items: string[], locale: LocaleCode, type: "conjunction" | "disjunction" = "conjunction") {
  return listFormats[type](locale).format(items);
}

/** Reasons stand alone in the breakdown table; in the summary line they follow a separator. */
function capitalise(text: string, locale: LocaleCode) {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

function describeFacts(facts: CriterionFacts, { t, locale, topicLabel }: Reader): string {
  switch (facts.criterion) {
    case "topicFit": {
      const main =
        facts.mainLevel === 0
          ? t("matching.reasons.mainTopicMissing", { topic: topicLabel(facts.mainTopicId) })
          : t(`matching.reasons.level${facts.mainLevel as 1 | 2 | 3}`, { topic: topicLabel(facts.mainTopicId) });
      const also =
        facts.coveredOtherTopicIds.length > 0
          ? [t("matching.reasons.alsoTopics", { topics: list(facts.coveredOtherTopicIds.map(topicLabel), locale) })]
          : [];
      const missed =
        facts.missedOtherTopicIds.length > 0
          ? [t("matching.reasons.notTopics", { topics: list(facts.missedOtherTopicIds.map(topicLabel), locale, "disjunction") })]
          : [];
      return [main, ...also, ...missed].join("; ");
    }
    case "commonTime":
      return t("matching.reasons.commonTime", { hours: hoursText(facts.commonMinutes, locale) });
    case "regionProximity":
      if (facts.distanceKm === null) return t("matching.reasons.notInPerson");
      return facts.distanceKm === 0
        ? t("matching.reasons.sameRegion")
        : t("matching.reasons.distance", { km: kilometreFormat(locale).format(facts.distanceKm) });
    case "organisationKind":
      return facts.sameKind
        ? t("matching.reasons.sameKind", { kind: t(`organisationKinds.${facts.coachKind}`) })
        : t("matching.reasons.otherKind", { kind: t(`organisationKinds.${facts.coachKind}`) });
    case "fairness":
      return t("matching.reasons.recentSessions", { count: facts.recentSessions, days: fairnessWindowDays });
    case "waitingTime":
      return t("matching.reasons.waiting", { count: facts.waitingDays });
  }
}

export function describePair(explanation: PairExplanation, reader: Reader): DescribedPair {
  const { t, locale } = reader;
  const whyNot = explanation.excludedBy.map((rule) =>
    rule === "accessNotSupported"
      ? t("matching.rules.accessNotSupported", {
          needs: list(
            explanation.missingAccess.map((option) => t(`access.${option}`)),
            locale,
          ),
        })
      : t(`matching.rules.${rule}`),
  );
  const criteria = explanation.criteria.map(({ criterion, points, max, facts }) => ({
    criterion,
    points,
    max,
    reason: capitalise(describeFacts(facts, reader), locale),
  }));
  const speaks =
    explanation.sharedLanguages.length > 0
      ? [t("matching.reasons.speaks", { languages: list(explanation.sharedLanguages.map((code) => languageName(code, locale)), locale) })]
      : [];
  const topicFit = explanation.criteria.find((criterion) => criterion.criterion === "topicFit");
  const commonTime = explanation.criteria.find((criterion) => criterion.criterion === "commonTime");
  const summaryParts =
    whyNot.length > 0
      ? whyNot
      : [
          ...speaks,
          ...(topicFit && topicFit.facts.criterion === "topicFit" && topicFit.facts.mainLevel > 0
            ? [t(`matching.reasons.level${topicFit.facts.mainLevel as 1 | 2 | 3}`, { topic: reader.topicLabel(topicFit.facts.mainTopicId) })]
            : []),
          ...(commonTime ? [describeFacts(commonTime.facts, reader)] : []),
        ];
  return {
    offerId: explanation.offerId,
    total: explanation.total,
    summary: summaryParts.join(" · "),
    criteria,
    whyNot,
  };
}
