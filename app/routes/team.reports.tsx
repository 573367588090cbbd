import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { acceptanceRate, layoutGroupedBars, reportPeriods, shortages, wrapLabel } from "~/domain/reports";
import {
  getAcceptanceCounts,
  getDemandAndSupply,
  getSessionFigures,
  getTandemsPerCoachOrganisation,
  getTimeToAcceptance,
} from "~/models/reports.server";
import { pageTitle } from "~/utils/meta";

const organisationLimit = 50;
// All time unless chosen, like every other figure on the page; an unknown value in the address falls back too.
const periodSchema = z.enum(reportPeriods).catch("all");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  const now = new Date();
  const acceptance = getAcceptanceCounts();
  const period = periodSchema.parse(new URL(request.url).searchParams.get("period"));
  return json({
    timeZone: user.timeZone,
    generatedAt: now.toISOString(),
    topics: getDemandAndSupply(now),
    time: getTimeToAcceptance(),
    acceptance: { ...acceptance, rate: acceptanceRate(acceptance) },
    organisations: getTandemsPerCoachOrganisation(organisationLimit),
    period,
    sessions: getSessionFigures(period, now),
  });
}

export default function TeamReportsPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const locale = i18n.language;
  const english = locale === "en";
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const rating = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: data.timeZone });
  // Plurals follow the number as shown: 1.04 days reads "1 day".
  const days = (value: number) => {
    const shown = Math.round(value * 10) / 10;
    return t("reports.days", { count: shown, value: oneDecimal.format(shown) });
  };
  const topics = data.topics.map((topic) => {
    const label = english ? topic.labelEn : topic.labelDe;
    return { ...topic, label: topic.retired ? t("reports.retiredTopic", { label }) : label };
  });
  const short = shortages(topics);
  const chartSummary = t("reports.chartSummary", {
    topics: t("reports.topicCount", { count: topics.length, value: integer.format(topics.length) }),
    shortage:
      short.length === 0
        ? t("reports.noShortage")
        : t("reports.shortage", {
            count: short.length,
            value: integer.format(short.length),
            topics: new Intl.ListFormat(locale, { type: "conjunction" }).format(short.map((topic) => topic.label)),
          }),
  });
  const { acceptance, organisations, sessions } = data;
  const answered = acceptance.accepted + acceptance.declined + acceptance.expired;
  return (
    <div className="page">
      <h1>{t("reports.title")}</h1>
      <p>{t("reports.intro")}</p>
      <p>{t("reports.generatedAt", { date: dateTime.format(new Date(data.generatedAt)) })}</p>

      <section aria-labelledby="demand-title">
        <h2 id="demand-title">{t("reports.demandTitle")}</h2>
        <p>{t("reports.demandIntro")}</p>
        {topics.length === 0 ? (
          <p>{t("reports.noTopics")}</p>
        ) : (
          <>
            <ul className="plain-list" aria-label={t("reports.legendLabel")}>
              <li>
                <BarSwatch series="demand" /> {t("reports.legendDemand")}
              </li>
              <li>
                <BarSwatch series="supply" /> {t("reports.legendSupply")}
              </li>
            </ul>
            <DemandSupplyChart
              summary={chartSummary}
              groups={topics.map((topic) => ({
                id: topic.id,
                label: topic.label,
                bars: [
                  t("reports.barDemand", { count: topic.demand, value: integer.format(topic.demand) }),
                  t("reports.barSupply", { value: integer.format(topic.supply) }),
                ],
                values: [topic.demand, topic.supply],
              }))}
            />
            <div className="table-scroll" role="region" aria-labelledby="demand-caption" tabIndex={0}>
              <table className="data-table">
                <caption id="demand-caption">{t("reports.tableCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("reports.topicColumn")}</th>
                    <th scope="col">{t("reports.demandColumn")}</th>
                    <th scope="col">{t("reports.supplyColumn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {topics.map((topic) => (
                    <tr key={topic.id}>
                      <th scope="row">{topic.label}</th>
                      <td>{integer.format(topic.demand)}</td>
                      <td>{integer.format(topic.supply)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="time-title">
        <h2 id="time-title">{t("reports.timeTitle")}</h2>
        <p>{t("reports.timeIntro")}</p>
        {data.time === null ? (
          <p>{t("reports.noTimeData")}</p>
        ) : (
          <>
            <dl className="meta-list">
              <div>
                <dt>{t("reports.medianLabel")}</dt>
                <dd>{days(data.time.medianDays)}</dd>
              </div>
              <div>
                <dt>{t("reports.p90Label")}</dt>
                <dd>{days(data.time.p90Days)}</dd>
              </div>
            </dl>
            <p>{t("reports.timeBasis", { count: data.time.count, value: integer.format(data.time.count) })}</p>
          </>
        )}
      </section>

      <section aria-labelledby="acceptance-title">
        <h2 id="acceptance-title">{t("reports.acceptanceTitle")}</h2>
        <p>{t("reports.acceptanceIntro")}</p>
        {acceptance.rate === null ? (
          <p>{t("reports.noAcceptanceData")}</p>
        ) : (
          <>
            <p className="lead">
              <strong>{t("reports.acceptanceRate", { rate: percent.format(acceptance.rate) })}</strong>
            </p>
            <dl className="meta-list">
              <div>
                <dt>{t("reports.acceptedLabel")}</dt>
                <dd>{integer.format(acceptance.accepted)}</dd>
              </div>
              <div>
                <dt>{t("reports.declinedLabel")}</dt>
                <dd>{integer.format(acceptance.declined)}</dd>
              </div>
              <div>
                <dt>{t("reports.expiredLabel")}</dt>
                <dd>{integer.format(acceptance.expired)}</dd>
              </div>
            </dl>
            <p>{t("reports.acceptanceBasis", { count: answered, value: integer.format(answered) })}</p>
          </>
        )}
      </section>

      <section aria-labelledby="organisations-title">
        <h2 id="organisations-title">{t("reports.organisationsTitle")}</h2>
        <p>{t("reports.organisationsIntro")}</p>
        {organisations.organisations.length === 0 ? (
          <p>{t("reports.noTandems")}</p>
        ) : (
          <>
            {organisations.total > organisations.organisations.length ? (
              <p>
                {t("reports.organisationsShown", {
                  count: organisations.total,
                  value: integer.format(organisations.total),
                  shown: integer.format(organisations.organisations.length),
                })}
              </p>
            ) : null}
            <div className="table-scroll" role="region" aria-labelledby="organisations-caption" tabIndex={0}>
              <table className="data-table">
                <caption id="organisations-caption">{t("reports.organisationsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("reports.organisationColumn")}</th>
                    <th scope="col">{t("reports.tandemsColumn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {organisations.organisations.map((organisation) => (
                    <tr key={organisation.id}>
                      <th scope="row">{organisation.name}</th>
                      <td>{integer.format(organisation.tandems)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("reports.sessionsTitle")}</h2>
        <p>{t("reports.sessionsIntro")}</p>
        <Form method="get" className="filters__form">
          <div className="field">
            <label htmlFor="report-period" className="field__label">
              {t("reports.period")}
            </label>
            <select id="report-period" name="period" className="field__input" defaultValue={data.period}>
              {reportPeriods.map((period) => (
                <option key={period} value={period}>
                  {t(`reports.periods.${period}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="actions">
            <button type="submit" className="button button--secondary">
              {t("reports.showPeriod")}
            </button>
          </div>
        </Form>
        <dl className="meta-list">
          <div>
            <dt>{t("reports.heldLabel")}</dt>
            <dd>{integer.format(sessions.held)}</dd>
          </div>
          <div>
            <dt>{t("reports.ratingLabel")}</dt>
            <dd>
              {sessions.rating === null ? (
                <>
                  <span aria-hidden="true">{t("reports.noRating")}</span>
                  <span className="visually-hidden">{t("reports.noRatingLabel")}</span>
                </>
              ) : (
                t("reports.ratingValue", { value: rating.format(sessions.rating.mean) })
              )}
            </dd>
          </div>
        </dl>
        {sessions.rating === null ? null : (
          <p>{t("reports.ratingBasis", { count: sessions.rating.count, value: integer.format(sessions.rating.count) })}</p>
        )}
      </section>

      <section aria-labelledby="export-title">
        <h2 id="export-title">{t("reports.exportTitle")}</h2>
        <p>{t("reports.exportIntro")}</p>
        {/* A plain link: the file is a download, not a page for client-side navigation. */}
        <a className="button" href="/team/reports/matches.csv" download>
          {t("reports.download")}
        </a>
      </section>
    </div>
  );
}

// Colours on the white page: demand 8.4:1 (the primary colour), supply stripes and outline 6.8:1.
// The series also differ by fill (solid / hatched), position (upper / lower) and their direct labels.
const seriesStyle = {
  demand: { fill: "#0b5566", stroke: "#0b5566" },
  supply: { fill: "url(#report-hatch)", stroke: "#8a4b00" },
} as const;
const series = ["demand", "supply"] as const;
const labelChars = 30;

function HatchPattern({ id }: { id: string }) {
  return (
    <pattern id={id} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="8" height="8" fill="#ffffff" />
      <rect width="4" height="8" fill={seriesStyle.supply.stroke} />
    </pattern>
  );
}

/** The legend's sample of a series; decorative, since the text beside it names the series. */
function BarSwatch({ series: name }: { series: (typeof series)[number] }) {
  const fill = name === "supply" ? "url(#report-hatch-legend)" : seriesStyle.demand.fill;
  return (
    <svg width="32" height="18" aria-hidden="true" focusable="false">
      {name === "supply" ? (
        <defs>
          <HatchPattern id="report-hatch-legend" />
        </defs>
      ) : null}
      <rect x="1" y="1" width="30" height="16" fill={fill} stroke={seriesStyle[name].stroke} strokeWidth="2" />
    </svg>
  );
}

/**
 * Grouped horizontal bars, rendered on the server: a topic's label, then its demand and supply bars
 * with their numbers. The width follows the page and the text keeps its size (no viewBox scaling),
 * so it stays legible on a phone; bar lengths are percentages of the width.
 */
function DemandSupplyChart({
  summary,
  groups,
}: {
  summary: string;
  groups: { id: string; label: string; bars: [string, string]; values: [number, number] }[];
}) {
  const lines = groups.map((group) => wrapLabel(group.label, labelChars));
  const layout = layoutGroupedBars(groups.map((group, index) => ({ labelLines: lines[index]!.length, values: group.values })));
  return (
    <svg role="img" aria-label={summary} width="100%" height={layout.height} focusable="false">
      <defs>
        <HatchPattern id="report-hatch" />
      </defs>
      {layout.groups.map((group, index) => {
        const first = group.bars[0]!;
        const last = group.bars[group.bars.length - 1]!;
        return (
          <g key={groups[index]!.id}>
            <text fontSize="16" fontWeight="700" fill="currentColor">
              {lines[index]!.map((line, lineIndex) => (
                <tspan key={lineIndex} x="0" y={group.labelBaselines[lineIndex]}>
                  {line}
                </tspan>
              ))}
            </text>
            {group.bars.map((bar, barIndex) => {
              const style = seriesStyle[series[barIndex]!];
              return (
                <g key={series[barIndex]}>
                  <rect x="0" y={bar.y} width={`${bar.widthPercent}%`} height={bar.height} fill={style.fill} stroke={style.stroke} strokeWidth="2" />
                  <text x={`${bar.widthPercent}%`} dx="8" y={bar.y + bar.height / 2} dominantBaseline="central" fontSize="15" fill="currentColor">
                    {groups[index]!.bars[barIndex]}
                  </text>
                </g>
              );
            })}
            <line x1="1" x2="1" y1={first.y - 3} y2={last.y + last.height + 3} stroke="#4a5561" strokeWidth="2" />
          </g>
        );
      })}
    </svg>
  );
}

export const meta = pageTitle("reports.title");
