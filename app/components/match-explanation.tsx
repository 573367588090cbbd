import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { describePair } from "~/domain/matching/explanation";
import type { ExclusionRule } from "~/domain/matching/criteria";
import type { PairExplanation } from "~/domain/matching/scoring";
import { oncePer } from "~/utils/display";
import type { LocaleCode } from "~db/schema";

export type TopicLabels = { id: string; labelDe: string; labelEn: string }[];

/** Describes explanations in the reader's current language; the loader only sends facts. */
export function useDescribePair(topics: TopicLabels) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as LocaleCode;
  const labels = new Map(topics.map((topic) => [topic.id, locale === "en" ? topic.labelEn : topic.labelDe]));
  return (explanation: PairExplanation) =>
    describePair(explanation, { t, locale, topicLabel: (topicId) => labels.get(topicId) ?? topicId });
}

const pointsFormat = oncePer((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }));

export function formatPoints(points: number, locale: string) {
  return pointsFormat(locale).format(points);
}

/** One coach's fit: total, the one-line reason, and a table of what each criterion contributed. */
export function MatchCard({
  explanation,
  topics,
  heading,
  headingId,
  children,
}: {
  explanation: PairExplanation;
  topics: TopicLabels;
  heading: ReactNode;
  headingId: string;
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const described = useDescribePair(topics)(explanation);
  const locale = i18n.language;
  return (
    <article className="card suggestion" aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      {described.whyNot.length > 0 ? (
        <ul className="why-not">
          {described.whyNot.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : (
        <>
          <p className="suggestion__score">{t("matching.score", { points: formatPoints(described.total, locale) })}</p>
          <p className="suggestion__summary">{described.summary}</p>
          <details>
            <summary id={`${headingId}-breakdown`}>{t("matching.breakdownCaption")}</summary>
            <div
              className="table-scroll"
              role="region"
              aria-labelledby={`${headingId}-breakdown ${headingId}`}
              tabIndex={0}
            >
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t("matching.criterionColumn")}</th>
                    <th scope="col">{t("matching.pointsColumn")}</th>
                    <th scope="col">{t("matching.reasonColumn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {described.criteria.map((criterion) => (
                    <tr key={criterion.criterion}>
                      <th scope="row">{t(`matching.criteria.${criterion.criterion}`)}</th>
                      <td>
                        {t("matching.pointsOf", {
                          points: formatPoints(criterion.points, locale),
                          max: formatPoints(criterion.max, locale),
                        })}
                      </td>
                      <td>{criterion.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
      {children}
    </article>
  );
}

/** How many coaches each rule excluded, most first. */
export function ExclusionCounts({ counts }: { counts: Record<ExclusionRule, number> }) {
  const { t } = useTranslation();
  const rules = (Object.entries(counts) as [ExclusionRule, number][])
    .filter(([, count]) => count > 0)
    .sort((first, second) => second[1] - first[1]);
  if (rules.length === 0) return <p>{t("matching.noneExcluded")}</p>;
  return (
    <ul className="why-not">
      {rules.map(([rule, count]) => (
        <li key={rule}>
          {t("matching.rulesCount", {
            count,
            rule: rule === "accessNotSupported" ? t("matching.accessNotSupportedAny") : t(`matching.rules.${rule}`),
          })}
        </li>
      ))}
    </ul>
  );
}
