import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { ErrorSummary, FormError, SelectField, WholeNumberField } from "~/components/form-fields";
import { formatPoints } from "~/components/match-explanation";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { softCriteria, type MatchingWeights } from "~/domain/matching/criteria";
import {
  describeOffers,
  getMatchingWeights,
  listOpenRequestsForTeam,
  listWeightChanges,
  previewWeights,
  saveMatchingWeights,
} from "~/models/matching.server";
import { matchingWeightsSchema } from "~/schemas/matching";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const previewSize = 5;
const previewChoices = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  return json({
    timeZone: user.timeZone,
    weights: getMatchingWeights(),
    previewRequests: listOpenRequestsForTeam(1, previewChoices).requests,
    changes: listWeightChanges().map(({ at, ...change }) => ({ ...change, at: at.toISOString() })),
  });
}

type Preview = { current: PreviewEntry[]; proposed: PreviewEntry[] };
type PreviewEntry = { offerId: string; total: number; name: string };
type ActionResult = { errors: FieldErrors; values: FormValues; preview: Preview | null; formError?: string };

function namedPreview(requestId: string | null, proposed: MatchingWeights): Preview | null {
  if (!requestId) return null;
  const preview = previewWeights(requestId, getMatchingWeights(), proposed, previewSize);
  if (!preview) return null;
  const names = describeOffers([...preview.current, ...preview.proposed].map((entry) => entry.offerId));
  const withName = (entries: { offerId: string; total: number }[]) =>
    entries.map((entry) => ({ ...entry, name: `${names.get(entry.offerId)?.coachName ?? ""} (${names.get(entry.offerId)?.organisationName ?? ""})` }));
  return { current: withName(preview.current), proposed: withName(preview.proposed) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent !== "preview" && intent !== "save") {
    return json<ActionResult>({ errors: {}, values: {}, preview: null, formError: "errors.unknownIntent" }, { status: 400 });
  }
  const form = parseForm(matchingWeightsSchema, formData);
  if (!form.success) return json<ActionResult>({ errors: form.errors, values: form.values, preview: null }, { status: 400 });
  const { previewRequestId, ...weights } = form.data;
  if (intent === "preview") {
    return json<ActionResult>({ errors: {}, values: form.values, preview: namedPreview(previewRequestId, weights) });
  }
  saveMatchingWeights(user.id, weights);
  return redirectWithFlash(request, "/team/matching/weights", { key: "matching.weightsSaved" });
}

export default function MatchingWeightsPage() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({ schema: matchingWeightsSchema, serverErrors: actionData?.errors });
  const locale = i18n.language;
  const english = locale === "en";
  const values = (actionData?.values ?? {}) as Record<string, string>;
  const formId = "weights";
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: data.timeZone });
  const preview = actionData?.preview;
  return (
    <div className="page">
      <p>
        <Link to="/team/matching">{t("matching.hubTitle")}</Link>
      </p>
      <h1>{t("matching.weightsTitle")}</h1>
      <p>{t("matching.weightsIntro")}</p>
      <ErrorSummary formId={formId} errors={errors} />
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <fieldset className="field">
          <legend className="field__label">{t("matching.weightsLegend")}</legend>
          <div className="weights-grid">
            {softCriteria.map((criterion) => (
              <WholeNumberField
                key={criterion}
                formId={formId}
                label={t("matching.weightLabel", { criterion: t(`matching.criteria.${criterion}`) })}
                hint={t(`matching.criteriaHints.${criterion}`)}
                error={errors[criterion]}
                registration={register(criterion)}
                defaultValue={values[criterion] ?? String(data.weights[criterion])}
                autoComplete="off"
              />
            ))}
          </div>
        </fieldset>
        {data.previewRequests.length > 0 ? (
          <SelectField
            formId={formId}
            label={t("matching.previewRequest")}
            registration={register("previewRequestId")}
            error={errors.previewRequestId}
            defaultValue={values.previewRequestId ?? data.previewRequests[0]?.id}
            options={data.previewRequests.map((request) => ({
              value: request.id,
              label: `${english ? request.topicEn : request.topicDe} – ${request.organisationName}`,
            }))}
          />
        ) : (
          <p>{t("matching.noRequestForPreview")}</p>
        )}
        <div className="actions">
          {data.previewRequests.length > 0 ? (
            <button type="submit" name="intent" value="preview" className="button button--secondary">
              {t("matching.preview")}
            </button>
          ) : null}
          <button type="submit" name="intent" value="save" className="button">
            {t("matching.saveWeights")}
          </button>
        </div>
      </Form>
      {preview ? (
        <section aria-labelledby="preview-title" role="status">
          <h2 id="preview-title">{t("matching.previewTitle")}</h2>
          {preview.current.length === 0 && preview.proposed.length === 0 ? (
            <p>{t("matching.previewEmpty")}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table">
                <caption>{t("matching.previewCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t("matching.currentColumn")}</th>
                    <th scope="col">{t("matching.newColumn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {Array.from({ length: Math.max(preview.current.length, preview.proposed.length) }, (_, index) => (
                    <tr key={index}>
                      <th scope="row">{index + 1}</th>
                      {[preview.current[index], preview.proposed[index]].map((entry, column) => (
                        <td key={column}>
                          {entry ? t("matching.previewEntry", { name: entry.name, points: formatPoints(entry.total, locale) }) : "–"}
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
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{t("matching.weightsLogTitle")}</h2>
        {data.changes.length === 0 ? (
          <p>{t("matching.weightsLogEmpty")}</p>
        ) : (
          <ul className="history">
            {data.changes.map((change) => (
              <li key={change.id}>
                {t("matching.weightsLogEntry", {
                  date: dateTime.format(new Date(change.at)),
                  name: change.actorName ?? t("matching.someone"),
                  changes: Object.entries(change.changes)
                    .map(([criterion, { before, after }]) =>
                      t("matching.weightChange", {
                        criterion: t(`matching.criteria.${criterion as (typeof softCriteria)[number]}`),
                        before,
                        after,
                      }),
                    )
                    .join(", "),
                })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export const meta = pageTitle("matching.weightsTitle");
