/** What a match score is made of: the rules that exclude a pair and the criteria that add points. */

/** Checked in this order; the bulk scorer stops at the first that fails, so the cheap ones come first. */
export const exclusionRules = [
  "ownOffer",
  "noSharedLanguage",
  "noCommonFormat",
  "accessNotSupported",
  "coachPaused",
  "coachAtCapacity",
  "sameOrganisation",
  "coachDeclined",
  "noSharedTopic",
  "noCommonTime",
] as const;
export type ExclusionRule = (typeof exclusionRules)[number];

export const softCriteria = [
  "topicFit",
  "commonTime",
  "regionProximity",
  "organisationKind",
  "fairness",
  "waitingTime",
] as const;
export type SoftCriterion = (typeof softCriteria)[number];

/** Relative weights, integers 0–100; a pair's total is normalised to 0–100 whatever they add up to. */
export type MatchingWeights = Record<SoftCriterion, number>;

export const maxCriterionWeight = 100;

export const defaultMatchingWeights: MatchingWeights = {
  topicFit: 40,
  commonTime: 20,
  regionProximity: 10,
  organisationKind: 10,
  fairness: 10,
  waitingTime: 10,
};

/** How much of the topic-fit criterion a coach's level earns: basics still help, expertise helps most. */
export const topicLevelFactor = Float64Array.of(0, 0.6, 0.8, 1);
/** With further topics, the main topic still decides most of the fit. */
export const mainTopicShare = 0.7;
/** Four hours a week in common leave room to find a date for any session length. */
export const fullCommonTimeMinutes = 240;
/** Recent sessions count over this many days for fairness. */
export const fairnessWindowDays = 90;
/** Waiting this long earns the full waiting-time points; requests expire after 60 days. */
export const fullWaitingDays = 30;
