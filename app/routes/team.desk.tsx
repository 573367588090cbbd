import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { HumhubSetupBanner } from "~/components/humhub-setup-banner";
import { formatPoints } from "~/components/match-explanation";
import { OpenRequestsTable, WaitingLongBadge } from "~/components/open-requests-table";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { softCriteria } from "~/domain/matching/criteria";
import {
  actOnMatch,
  countProposalsForReview,
  expireOverdueMatches,
  getMatchSettings,
  listProposalsForReview,
} from "~/models/match.server";
import { getHumhubReadiness } from "~/models/humhub-settings.server";
import { describeOffers, getMatchingWeights, listOpenRequestsForTeam, rankAlternatives } from "~/models/matching.server";
import { listTopics } from "~/models/topic.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const deskSize = 20;
const alternativeCount = 3;
const MS_PER_DAY = 86_400_000;
const filterSchema = z.object({ topic: z.string().max(64).nullable().catch(null), page: z.coerce.number().int().min(1).max(100_000).catch(1) });
const bulkSchema = z.object({ matchIds: z.array(z.string().min(1).max(64)).min(1).max(200) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "team");
  expireOverdueMatches();
  const url = new URL(request.url);
  const filters = filterSchema.parse({ topic: url.searchParams.get("topic") || null, page: url.searchParams.get("page") ?? 1 });
  const now = new Date();
  const settings = getMatchSettings();
  const weights = getMatchingWeights();
  const proposals = listProposalsForReview(filters.topic, deskSize, now);
  // The next-best coaches for each proposal, so the team can compare before deciding.
  const alternatives = rankAlternatives(proposals, weights, alternativeCount, now);
  const names = describeOffers([...alternatives.values()].flat().map((alternative) => alternative.offerId));
  const open = listOpenRequestsForTeam(filters.page, deskSize, now, filters.topic);
  const age = (createdAt: number) => Math.max(0, Math.floor((now.getTime() - createdAt) / MS_PER_DAY));
  const humhub = getHumhubReadiness();
  return json({
    humhubMissing: humhub.ready ? null : humhub.missing,
    filters,
    flagDays: settings.waitingFlagDays,
    topics: listTopics({ includeRetired: false }).map(({ id, labelDe, labelEn }) => ({ id, labelDe, labelEn })),
    proposalCount: countProposalsForReview(),
    proposals: proposals.map((proposal) => ({
      ...proposal,
      waitingDays: age(proposal.requestCreatedAt),
      alternatives: (alternatives.get(proposal.requestId) ?? []).map((alternative) => ({
        offerId: alternative.offerId,
        total: alternative.total,
        name: names.get(alternative.offerId)?.coachName ?? "",
        organisation: names.get(alternative.offerId)?.organisationName ?? "",
      })),
    })),
    openTotal: open.total,
    pageCount: Math.max(1, Math.ceil(open.total / deskSize)),
    openRequests: open.requests,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const formData = await readFormData(request);
  if (formData.get("intent") !== "bulkApprove") return json({ formError: "errors.unknownIntent" }, { status: 400 });
  const form = bulkSchema.safeParse({ matchIds: formData.getAll("matchIds") });
  if (!form.success) return json({ formError: "matches.nothingSelected" }, { status: 400 });
  const approved = form.data.matchIds.filter(
    (matchId) => actOnMatch({ matchId, action: "approve", actorUserId: user.id, actorRole: "team" }).ok,
  ).length;
  return redirectWithFlash(request, "/team/desk", { key: "matches.bulkApproved", values: { count: approved } });
}

export default function ReviewDeskPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const locale = i18n.language;
  const english = locale === "en";
  const topicLabel = (row: { topicDe: string | null; topicEn: string | null }) => (english ? row.topicEn : row.topicDe) ?? "";
  const pageLink = (page: number) => `?${new URLSearchParams({ ...(data.filters.topic ? { topic: data.filters.topic } : {}), page: String(page) })}`;
  return (
    <div className="page">
      <h1>{t("matches.deskTitle")}</h1>
      <HumhubSetupBanner missing={data.humhubMissing} />
      <p>{t("matches.deskIntro")}</p>
      <Form method="get" className="filters__form">
        <div className="field">
          <label htmlFor="desk-topic" className="field__label">
            {t("matches.deskFilterTopic")}
          </label>
          <select id="desk-topic" name="topic" className="field__input" defaultValue={data.filters.topic ?? ""}>
            <option value="">{t("matches.deskFilterAll")}</option>
            {data.topics.map((topic) => (
              <option key={topic.id} value={topic.id}>
                {english ? topic.labelEn : topic.labelDe}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="button button--secondary">
            {t("matches.deskFilter")}
          </button>
        </div>
      </Form>

      <section aria-labelledby="proposals-title">
        <h2 id="proposals-title">{t("matches.deskProposals")}</h2>
        <p>{t("matches.deskProposalsCount", { count: data.proposalCount })}</p>
        <FormError message={actionData?.formError} />
        {data.proposals.length > 0 ? (
          <Form method="post" className="stack">
            <ol className="suggestions">
              {data.proposals.map((proposal) => (
                <li key={proposal.id}>
                  <article className="card suggestion" aria-labelledby={`proposal-${proposal.id}`}>
                    <h3 id={`proposal-${proposal.id}`}>
                      {topicLabel(proposal)} · {proposal.requestOrganisation}
                    </h3>
                    <p>
                      {t("matches.waitingSince", { count: proposal.waitingDays })}
                      <WaitingLongBadge waitingDays={proposal.waitingDays} flagDays={data.flagDays} />
                    </p>
                    <p>
                      {t("matches.coachLabel")}: {proposal.coachName} ({proposal.coachOrganisation}) ·{" "}
                      {t("matches.coachLoad", { load: proposal.load, capacity: proposal.capacity })}
                    </p>
                    <p className="suggestion__score">{t("matching.score", { points: formatPoints(proposal.score, locale) })}</p>
                    <p>
                      {softCriteria
                        .filter((criterion) => proposal.breakdown[criterion] !== undefined)
                        .map((criterion) => `${t(`matching.criteria.${criterion}`)} ${formatPoints(proposal.breakdown[criterion] ?? 0, locale)}`)
                        .join(" · ")}
                    </p>
                    <h4>{t("matches.alternatives")}</h4>
                    {proposal.alternatives.length === 0 ? (
                      <p>{t("matches.noAlternatives")}</p>
                    ) : (
                      <ul>
                        {proposal.alternatives.map((alternative) => (
                          <li key={alternative.offerId}>
                            {alternative.name} ({alternative.organisation}): {formatPoints(alternative.total, locale)}
                          </li>
                        ))}
                      </ul>
                    )}
                    <div className="actions">
                      <div className="choice">
                        <input type="checkbox" id={`select-${proposal.id}`} name="matchIds" value={proposal.id} />
                        <label htmlFor={`select-${proposal.id}`}>{t("matches.selectForBulk", { topic: `${topicLabel(proposal)} · ${proposal.requestOrganisation} · ${proposal.coachName}` })}</label>
                      </div>
                      <Link to={`/matches/${proposal.id}`} className="button button--secondary">
                        {t("matches.toMatch")}
                      </Link>
                    </div>
                  </article>
                </li>
              ))}
            </ol>
            <button type="submit" name="intent" value="bulkApprove" className="button">
              {t("matches.bulkApprove")}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="open-title">
        <h2 id="open-title">{t("matches.deskOpen")}</h2>
        <p id="open-count">{t("matching.openRequestsCount", { count: data.openTotal })}</p>
        {data.openRequests.length > 0 ? (
          <OpenRequestsTable requests={data.openRequests} labelledBy="open-count" flagDays={data.flagDays} />
        ) : null}
        {data.pageCount > 1 ? (
          <nav className="pagination" aria-label={t("matches.deskOpen")}>
            {data.filters.page > 1 ? <Link to={pageLink(data.filters.page - 1)}>{t("matching.previousPage")}</Link> : null}
            <span>{t("matching.pageOf", { page: data.filters.page, pages: data.pageCount })}</span>
            {data.filters.page < data.pageCount ? <Link to={pageLink(data.filters.page + 1)}>{t("matching.nextPage")}</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

export const meta = pageTitle("matches.deskTitle");
