import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { FormError } from "~/components/form-fields";
import { formatPoints } from "~/components/match-explanation";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { softCriteria } from "~/domain/matching/criteria";
import { proposeMatch } from "~/models/match.server";
import { getMatchingRun, isInterrupted, listRunProposals } from "~/models/matching-runs.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  const run = params.runId ? getMatchingRun(params.runId) : null;
  if (!run) throw new Response("Not found", { status: 404 });
  return json({
    timeZone: user.timeZone,
    run: {
      ...run,
      interrupted: isInterrupted(run),
      createdAt: run.createdAt.toISOString(),
      finishedAt: run.finishedAt?.toISOString() ?? null,
    },
    proposals: run.status === "finished" ? listRunProposals(run.id) : [],
  });
}

/** "Send all": each proposal becomes a match waiting for its coach; pairs that changed since the run are skipped. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const run = params.runId ? getMatchingRun(params.runId) : null;
  if (!run) throw new Response("Not found", { status: 404 });
  const formData = await readFormData(request);
  if (formData.get("intent") !== "sendAll" || run.status !== "finished") return json({ formError: "errors.unknownIntent" }, { status: 400 });
  const results = listRunProposals(run.id).map(
    (proposal) => proposeMatch({ requestId: proposal.requestId, offerId: proposal.offerId, source: "batch", actorUserId: user.id }).ok,
  );
  const sent = results.filter(Boolean).length;
  const skipped = results.length - sent;
  return redirectWithFlash(request, "/team/desk", {
    key: skipped > 0 ? "matches.proposalsSentSkipped" : "matches.proposalsSent",
    values: { count: sent, skipped },
  });
}

const pollIntervalMs = 1000;

export default function MatchingRunPage() {
  const { t, i18n } = useTranslation();
  const { run, proposals, timeZone } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const revalidator = useRevalidator();
  const running = run.status === "running";
  // With JavaScript the page follows the run by itself; without, the refresh link does.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, pollIntervalMs);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const locale = i18n.language;
  const english = locale === "en";
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(run.createdAt));
  const unmatched = (run.requestCount ?? 0) - (run.matchedCount ?? 0);
  return (
    <div className="page">
      <p>
        <Link to="/team/matching">{t("matching.hubTitle")}</Link>
      </p>
      <h1>{t("matching.runTitle", { date })}</h1>
      <FormError message={actionData?.formError} />
      <p>
        <span className="badge">{t(`matching.runStatus.${run.status}`)}</span>{" "}
        {t("matching.runMode", { mode: t(`matching.modes.${run.mode}`) })}
      </p>
      <div role="status" aria-live="polite">
        {running ? (
          <>
            <p>{t("matching.runStarted")}</p>
            <label htmlFor="run-progress" className="field__label">
              {t("matching.runProgress")}: {t(`matching.runPhase.${run.phase}`)}
            </label>
            <progress id="run-progress" className="run-progress" max={100} value={run.progress}>
              {run.progress} %
            </progress>
          </>
        ) : null}
        {run.status === "failed" ? (
          <p className="notice notice--error">
            {run.interrupted ? t("matching.runInterrupted") : t("matching.runFailed", { reason: run.error ?? "" })}
          </p>
        ) : null}
        {run.status === "finished" ? (
          <>
            <p>
              {t("matching.runSummary", {
                matched: run.matchedCount ?? 0,
                requests: run.requestCount ?? 0,
                coaches: run.coachCount ?? 0,
                total: formatPoints(run.totalScore ?? 0, locale),
              })}
            </p>
            <p>{t("matching.runTimings", { scoreMs: run.scoreMs ?? 0, solveMs: run.solveMs ?? 0 })}</p>
          </>
        ) : null}
      </div>
      {running ? (
        <p>
          <Link to=".">{t("matching.refresh")}</Link>
        </p>
      ) : null}
      {run.status === "finished" ? (
        <section aria-labelledby="proposals-title">
          <h2 id="proposals-title">{t("matching.proposalsTitle")}</h2>
          {unmatched > 0 ? <p>{t("matching.unmatchedCount", { count: unmatched })}</p> : null}
          {proposals.length > 0 ? (
            <Form method="post">
              <button type="submit" name="intent" value="sendAll" className="button">
                {t("matches.approveAllProposals")}
              </button>
            </Form>
          ) : null}
          {proposals.length === 0 ? (
            <p>{t("matching.noProposals")}</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby="proposals-caption" tabIndex={0}>
              <table className="data-table">
                <caption id="proposals-caption">{t("matching.proposalsCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("matching.requestColumn")}</th>
                    <th scope="col">{t("matching.coachColumn")}</th>
                    <th scope="col">{t("matching.scoreColumn")}</th>
                    {softCriteria.map((criterion) => (
                      <th scope="col" key={criterion}>
                        {t(`matching.criteria.${criterion}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {proposals.map((proposal) => (
                    <tr key={proposal.requestId}>
                      <th scope="row">
                        <Link to={`/requests/${proposal.requestId}/suggestions`}>
                          {english ? proposal.topicEn : proposal.topicDe}
                        </Link>
                        <br />
                        {proposal.requestOrganisation}
                      </th>
                      <td>
                        {proposal.coachName}
                        <br />
                        {proposal.coachOrganisation}
                      </td>
                      <td>{formatPoints(proposal.score, locale)}</td>
                      {softCriteria.map((criterion) => (
                        <td key={criterion}>
                          {proposal.breakdown[criterion] === undefined ? "–" : formatPoints(proposal.breakdown[criterion], locale)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </div>
  );
}

export const meta = pageTitle("matching.hubTitle");
