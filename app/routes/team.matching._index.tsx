import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { RadioGroup } from "~/components/form-fields";
import { OpenRequestsTable } from "~/components/open-requests-table";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { getMatchingWeights, listOpenRequestsForTeam } from "~/models/matching.server";
import { listMatchingRuns, startMatchingRun } from "~/models/matching-runs.server";
import { matchingRunSchema } from "~/schemas/matching";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { assignmentModes } from "~db/schema";

const pageSize = 50;
const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  const page = pageSchema.parse(new URL(request.url).searchParams.get("page") ?? 1);
  const open = listOpenRequestsForTeam(page, pageSize);
  return json({
    timeZone: user.timeZone,
    page,
    pageCount: Math.max(1, Math.ceil(open.total / pageSize)),
    openTotal: open.total,
    requests: open.requests,
    runs: listMatchingRuns(5).map(({ id, status, mode, createdAt }) => ({ id, status, mode, createdAt: createdAt.toISOString() })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const form = parseForm(matchingRunSchema, await readFormData(request));
  if (!form.success) return json({ errors: form.errors }, { status: 400 });
  const { runId } = startMatchingRun(user.id, form.data.mode, getMatchingWeights());
  return redirect(`/team/matching/runs/${runId}`);
}

export default function MatchingHubPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({
    schema: matchingRunSchema,
    serverErrors: actionData?.errors,
    choiceGroups: { mode: "score" },
  });
  const locale = i18n.language;
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: data.timeZone });
  return (
    <div className="page">
      <h1>{t("matching.hubTitle")}</h1>
      <p>{t("matching.hubIntro")}</p>
      <p>
        <Link to="/team/matching/weights">{t("matching.weightsLink")}</Link>
      </p>
      <section aria-labelledby="batch-title">
        <h2 id="batch-title">{t("matching.batchTitle")}</h2>
        <p>{t("matching.batchIntro")}</p>
        <Form method="post" noValidate onSubmit={onSubmit} className="stack page--narrow">
          <RadioGroup
            formId="batch"
            legend={t("matching.modeLegend")}
            registration={register("mode")}
            error={errors.mode}
            checkedValue="score"
            options={assignmentModes.map((mode) => ({
              value: mode,
              label: (
                <>
                  {t(`matching.modes.${mode}`)}
                  <span className="field__hint"> – {t(`matching.modeHints.${mode}`)}</span>
                </>
              ),
            }))}
          />
          <button type="submit" className="button">
            {t("matching.startBatch")}
          </button>
        </Form>
        <h3>{t("matching.runsTitle")}</h3>
        {data.runs.length === 0 ? (
          <p>{t("matching.noRuns")}</p>
        ) : (
          <ul className="link-list">
            {data.runs.map((run) => (
              <li key={run.id}>
                <Link to={`/team/matching/runs/${run.id}`}>{t("matching.runLink", { date: dateTime.format(new Date(run.createdAt)) })}</Link>{" "}
                <span className="badge">{t(`matching.runStatus.${run.status}`)}</span> {t(`matching.modes.${run.mode}`)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="open-requests-title">
        <h2 id="open-requests-title">{t("matching.openRequestsTitle")}</h2>
        {data.openTotal === 0 ? (
          <p>{t("matching.noOpenRequests")}</p>
        ) : (
          <>
            <p id="open-requests-count">{t("matching.openRequestsCount", { count: data.openTotal })}</p>
            <OpenRequestsTable requests={data.requests} labelledBy="open-requests-count" />
            {data.pageCount > 1 ? (
              <nav className="pagination" aria-label={t("matching.openRequestsTitle")}>
                {data.page > 1 ? <Link to={`?page=${data.page - 1}`}>{t("matching.previousPage")}</Link> : null}
                <span>{t("matching.pageOf", { page: data.page, pages: data.pageCount })}</span>
                {data.page < data.pageCount ? <Link to={`?page=${data.page + 1}`}>{t("matching.nextPage")}</Link> : null}
              </nav>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}

export const meta = pageTitle("matching.hubTitle");
