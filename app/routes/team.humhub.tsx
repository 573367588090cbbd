import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { ErrorSummary, FormError, RadioGroup, SelectField } from "~/components/form-fields";
import { HumhubSetupBanner } from "~/components/humhub-setup-banner";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { getCurrentUser, listSpaces, type HumhubConnection, type HumhubFailure } from "~/humhub.server";
import { countHumhubAccounts, resolveAllHumhubAccounts } from "~/models/humhub-accounts.server";
import { countOutbox, listFailedDeliveries, retryFailedDeliveries, skipFailedDeliveries } from "~/models/humhub-outbox.server";
import {
  getHumhubConnection,
  getHumhubReadiness,
  getHumhubSettings,
  maskedToken,
  saveHumhubSettings,
} from "~/models/humhub-settings.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { localeCodes } from "~db/schema";

/** The space by its contentcontainer_id (what posts and entries are addressed by); its name comes from HumHub. */
const spaceFormSchema = z.object({
  spaceContainerId: z
    .string({ required_error: "humhub.admin.spaceRequired", invalid_type_error: "humhub.admin.spaceRequired" })
    .trim()
    .regex(/^\d{1,12}$/, "humhub.admin.spaceRequired")
    .transform(Number),
  visibility: z
    .enum(["0", "1"], { errorMap: () => ({ message: "humhub.admin.visibilityInvalid" }) })
    .transform((value): 0 | 1 => (value === "1" ? 1 : 0)),
  language: z.enum(localeCodes, { errorMap: () => ({ message: "humhub.admin.languageInvalid" }) }),
});
/** The refused calls a retry or skip is about. */
const failedIdsSchema = z.object({ ids: z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(500) });

// The page asks HumHub for its spaces on every visit; a HumHub that hangs must not hold the page for long.
const pageTimeoutMs = 5_000;

type ActionResult =
  | { intent: "test"; account?: { name: string; username: string }; failure?: HumhubFailure; formError?: string }
  | { intent: "space"; errors: FieldErrors; values: FormValues; failure?: HumhubFailure; formError?: string }
  | { intent: "retry" | "skip" | "resolveNames" | null; formError: string };

/** Spaces as the token's account sees them now, or why HumHub could not say. */
function fetchSpaces(connection: HumhubConnection) {
  return listSpaces({ ...connection, timeoutMs: pageTimeoutMs });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "team");
  const connection = getHumhubConnection();
  const readiness = getHumhubReadiness();
  const spaces = connection ? await fetchSpaces(connection) : null;
  return json({
    timeZone: user.timeZone,
    connection: connection ? { baseUrl: connection.baseUrl, token: maskedToken(connection.token) } : null,
    missing: readiness.ready ? null : readiness.missing,
    settings: getHumhubSettings(),
    spaces: spaces?.ok ? spaces.value.map(({ containerId, name }) => ({ containerId, name })) : null,
    spacesFailure: spaces && !spaces.ok ? spaces.failure : null,
    outbox: countOutbox(),
    failed: listFailedDeliveries(),
    names: countHumhubAccounts(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const formData = await readFormData(request);
  const connection = getHumhubConnection();
  switch (formData.get("intent")) {
    case "test": {
      if (!connection) return json<ActionResult>({ intent: "test", formError: "humhub.admin.notConnectedAction" }, { status: 400 });
      const answer = await getCurrentUser(connection);
      return json<ActionResult>(
        answer.ok
          ? { intent: "test", account: { name: answer.value.displayName, username: answer.value.username } }
          : { intent: "test", failure: answer.failure },
      );
    }
    case "space": {
      // Without a connection the page shows no space form, so its field messages would go unseen.
      if (!connection) return json<ActionResult>({ intent: "space", errors: {}, values: {}, formError: "humhub.admin.notConnectedAction" }, { status: 400 });
      const form = parseForm(spaceFormSchema, formData);
      if (!form.success) return json<ActionResult>({ intent: "space", errors: form.errors, values: form.values }, { status: 400 });
      // The name is taken from HumHub, never from the form, and only a space the account sees can be chosen.
      const spaces = await fetchSpaces(connection);
      if (!spaces.ok) return json<ActionResult>({ intent: "space", errors: {}, values: form.values, failure: spaces.failure }, { status: 502 });
      const space = spaces.value.find((candidate) => candidate.containerId === form.data.spaceContainerId);
      if (!space) {
        return json<ActionResult>(
          { intent: "space", errors: { spaceContainerId: "humhub.admin.spaceUnknown" }, values: form.values },
          { status: 400 },
        );
      }
      saveHumhubSettings(user.id, {
        spaceContainerId: space.containerId,
        spaceName: space.name,
        visibility: form.data.visibility,
        language: form.data.language,
      });
      return redirectWithFlash(request, "/team/humhub", { key: "humhub.admin.spaceSaved" });
    }
    case "retry": {
      const form = failedIdsSchema.safeParse({ ids: formData.getAll("ids") });
      if (!form.success) return json<ActionResult>({ intent: "retry", formError: "humhub.admin.idsInvalid" }, { status: 400 });
      const retried = retryFailedDeliveries(form.data.ids);
      return redirectWithFlash(
        request,
        "/team/humhub",
        retried > 0 ? { key: "humhub.admin.retried", values: { count: retried } } : { key: "humhub.admin.retryNothing" },
      );
    }
    case "skip": {
      const form = failedIdsSchema.safeParse({ ids: formData.getAll("ids") });
      if (!form.success) return json<ActionResult>({ intent: "skip", formError: "humhub.admin.idsInvalid" }, { status: 400 });
      const skipped = skipFailedDeliveries(form.data.ids, user.id);
      return redirectWithFlash(
        request,
        "/team/humhub",
        skipped > 0 ? { key: "humhub.admin.skipped", values: { count: skipped } } : { key: "humhub.admin.skipNothing" },
      );
    }
    case "resolveNames": {
      if (!connection) return json<ActionResult>({ intent: "resolveNames", formError: "humhub.admin.notConnectedAction" }, { status: 400 });
      const report = await resolveAllHumhubAccounts();
      return redirectWithFlash(request, "/team/humhub", { key: "humhub.admin.namesResolved", values: report });
    }
    default:
      return json<ActionResult>({ intent: null, formError: "errors.unknownIntent" }, { status: 400 });
  }
}

/** A failure in the reader's language, with HumHub's own words and status, which the team may need to search for. */
function describeFailure(t: TFunction, failure: HumhubFailure) {
  return [
    t(`humhub.admin.failureKinds.${failure.kind}`),
    t("humhub.admin.humhubSays", { message: failure.message }),
    failure.status === undefined ? null : t("humhub.admin.httpStatus", { status: failure.status }),
  ]
    .filter(Boolean)
    .join(" ");
}

export default function TeamHumhubPage() {
  const { t } = useTranslation();
  const { missing } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t("humhub.admin.title")}</h1>
      <FormError message={actionData?.intent === null ? actionData.formError : undefined} />
      <p>{t("humhub.admin.intro")}</p>
      <HumhubSetupBanner missing={missing} linkToSetup={false} />
      <ConnectionSection />
      <SpaceSection />
      <DeliverySection />
      <NamesSection />
    </div>
  );
}

function ConnectionSection() {
  const { t } = useTranslation();
  const { connection } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const answer = actionData?.intent === "test" ? actionData : undefined;
  return (
    <section aria-labelledby="connection-title" className="stack">
      <h2 id="connection-title">{t("humhub.admin.connectionTitle")}</h2>
      {connection ? (
        <>
          <dl className="meta-list">
            <div>
              <dt>{t("humhub.admin.address")}</dt>
              <dd>{connection.baseUrl}</dd>
            </div>
            <div>
              <dt>{t("humhub.admin.token")}</dt>
              <dd>
                {connection.token} <span className="field__hint">({t("humhub.admin.tokenHint")})</span>
              </dd>
            </div>
          </dl>
          {answer?.account ? (
            <p className="notice notice--success" role="status">
              {t("humhub.admin.testOk", answer.account)}
            </p>
          ) : null}
          <FormError message={answer?.failure ? "humhub.admin.testFailed" : undefined} values={{ reason: answer?.failure ? describeFailure(t, answer.failure) : "" }} />
          <FormError message={answer?.formError} />
          <Form method="post">
            <button type="submit" name="intent" value="test" className="button button--secondary">
              {t("humhub.admin.testConnection")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p>
            <strong>{t("humhub.admin.notConfigured")}</strong>
          </p>
          <p>{t("humhub.admin.configureHow")}</p>
          <dl className="meta-list">
            <div>
              <dt>
                <code>HUMHUB_BASE_URL</code>
              </dt>
              <dd>{t("humhub.admin.baseUrlVariable")}</dd>
            </div>
            <div>
              <dt>
                <code>HUMHUB_API_TOKEN</code>
              </dt>
              <dd>{t("humhub.admin.tokenVariable")}</dd>
            </div>
          </dl>
          <p>{t("humhub.admin.tryLocally")}</p>
          <p>
            <code>npm run humhub:fake</code>
          </p>
        </>
      )}
    </section>
  );
}

function SpaceSection() {
  const { t } = useTranslation();
  const { connection, settings, spaces, spacesFailure } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const answer = actionData?.intent === "space" ? actionData : undefined;
  const echoed = (answer?.values ?? {}) as Record<string, string>;
  const visibility = echoed.visibility ?? String(settings.visibility);
  const language = echoed.language ?? settings.language;
  const { register, errors, onSubmit } = useValidatedForm({
    schema: spaceFormSchema,
    serverErrors: answer?.errors,
    choiceGroups: { visibility, language },
  });
  const storedSpaceMissing = spaces !== null && settings.spaceContainerId !== null && !spaces.some((space) => space.containerId === settings.spaceContainerId);
  const formId = "humhub-space";
  return (
    <section aria-labelledby="space-title" className="stack">
      <h2 id="space-title">{t("humhub.admin.spaceTitle")}</h2>
      <p>{t("humhub.admin.spaceIntro")}</p>
      <p>{settings.spaceName ? t("humhub.admin.currentSpace", { name: settings.spaceName }) : t("humhub.admin.noSpaceYet")}</p>
      {!connection ? <p>{t("humhub.admin.spaceNeedsConnection")}</p> : null}
      {spacesFailure ? <p className="notice notice--error">{t("humhub.admin.spacesFailed", { reason: describeFailure(t, spacesFailure) })}</p> : null}
      {spaces?.length === 0 ? <p>{t("humhub.admin.noSpaces")}</p> : null}
      {storedSpaceMissing ? <p className="notice">{t("humhub.admin.storedSpaceMissing", { name: settings.spaceName ?? "" })}</p> : null}
      <FormError message={answer?.formError} />
      <FormError
        message={answer?.failure ? "humhub.admin.spacesUnavailable" : undefined}
        values={{ reason: answer?.failure ? describeFailure(t, answer.failure) : "" }}
      />
      {spaces && spaces.length > 0 ? (
        <>
          <ErrorSummary formId={formId} errors={errors} />
          <Form method="post" noValidate onSubmit={onSubmit} className="stack">
            <SelectField
              formId={formId}
              label={t("humhub.admin.space")}
              registration={register("spaceContainerId")}
              error={errors.spaceContainerId}
              options={spaces.map((space) => ({ value: String(space.containerId), label: space.name }))}
              placeholder={t("humhub.admin.spacePlaceholder")}
              defaultValue={echoed.spaceContainerId ?? (storedSpaceMissing ? "" : String(settings.spaceContainerId ?? ""))}
            />
            <RadioGroup
              formId={formId}
              legend={t("humhub.admin.visibility")}
              registration={register("visibility")}
              error={errors.visibility}
              options={[
                { value: "0", label: t("humhub.admin.visibilityMembers") },
                { value: "1", label: t("humhub.admin.visibilityPublic") },
              ]}
              checkedValue={visibility}
            />
            <RadioGroup
              formId={formId}
              legend={t("humhub.admin.language")}
              registration={register("language")}
              error={errors.language}
              options={localeCodes.map((code) => ({ value: code, label: t(`locales.${code}`) }))}
              checkedValue={language}
            />
            <button type="submit" name="intent" value="space" className="button">
              {t("humhub.admin.saveSpace")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}

function DeliverySection() {
  const { t, i18n } = useTranslation();
  const { outbox, failed, missing, timeZone } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const integer = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short", timeZone });
  const sessionText = (startsAt: string | null) =>
    startsAt ? t("humhub.admin.sessionOn", { date: dateTime.format(new Date(startsAt)) }) : t("humhub.admin.sessionWithoutTime");
  return (
    <section aria-labelledby="delivery-title" className="stack">
      <h2 id="delivery-title">{t("humhub.admin.deliveryTitle")}</h2>
      <p>{t("humhub.admin.deliveryIntro")}</p>
      <dl className="meta-list">
        <div>
          <dt>{t("humhub.admin.pendingLabel")}</dt>
          <dd>{integer.format(outbox.pending)}</dd>
        </div>
        <div>
          <dt>{t("humhub.admin.deliveredLabel")}</dt>
          <dd>{integer.format(outbox.delivered)}</dd>
        </div>
        <div>
          <dt>{t("humhub.admin.failedLabel")}</dt>
          <dd>{integer.format(outbox.failed)}</dd>
        </div>
      </dl>
      {missing && outbox.pending > 0 ? <p>{t("humhub.admin.waitingForSetup")}</p> : null}
      <FormError message={actionData?.intent === "retry" || actionData?.intent === "skip" ? actionData.formError : undefined} />
      {failed.length === 0 ? (
        <p>{t("humhub.admin.noFailures")}</p>
      ) : (
        <>
          <p>{t("humhub.admin.skipExplained")}</p>
          <div className="table-scroll" role="region" aria-labelledby="failures-caption" tabIndex={0}>
            <table className="data-table">
              <caption id="failures-caption">{t("humhub.admin.failuresCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("humhub.admin.kindColumn")}</th>
                  <th scope="col">{t("humhub.admin.sessionColumn")}</th>
                  <th scope="col">{t("humhub.admin.messageColumn")}</th>
                  <th scope="col">{t("humhub.admin.statusColumn")}</th>
                  <th scope="col">{t("humhub.admin.attemptsColumn")}</th>
                  <th scope="col">{t("humhub.admin.actionColumn")}</th>
                </tr>
              </thead>
              <tbody>
                {failed.map((row) => {
                  const kind = t(`humhub.admin.kinds.${row.kind}`);
                  const session = sessionText(row.startsAt);
                  return (
                    <tr key={row.id}>
                      <th scope="row">{kind}</th>
                      <td>
                        <Link to={`/sessions/${row.sessionId}`}>{session}</Link>
                      </td>
                      <td>{row.lastError ?? t("humhub.admin.noMessage")}</td>
                      <td>{row.lastStatus ?? t("humhub.admin.noStatus")}</td>
                      <td>{integer.format(row.attempts)}</td>
                      <td>
                        <Form method="post" className="actions">
                          <input type="hidden" name="ids" value={row.id} />
                          {(["retry", "skip"] as const).map((intent) => (
                            // The name starts with the visible text (WCAG 2.5.3) and says which row it acts on.
                            <button
                              key={intent}
                              type="submit"
                              name="intent"
                              value={intent}
                              className="button button--secondary"
                              aria-label={`${t(`humhub.admin.${intent}`)}: ${kind}, ${session}`}
                            >
                              {t(`humhub.admin.${intent}`)}
                            </button>
                          ))}
                        </Form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Form method="post">
            <input type="hidden" name="intent" value="retry" />
            {failed.map((row) => (
              <input key={row.id} type="hidden" name="ids" value={row.id} />
            ))}
            <button type="submit" className="button">
              {t("humhub.admin.retryAll")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}

function NamesSection() {
  const { t, i18n } = useTranslation();
  const { names, connection } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const integer = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 });
  const rows = [
    ["namesWithName", names.withName],
    ["namesFound", names.found],
    ["namesNotFound", names.notFound],
    ["namesNotAllowed", names.notAllowed],
    ["namesUnchecked", names.unchecked],
  ] as const;
  return (
    <section aria-labelledby="names-title" className="stack">
      <h2 id="names-title">{t("humhub.admin.namesTitle")}</h2>
      <p>{t("humhub.admin.namesIntro")}</p>
      <dl className="meta-list">
        {rows.map(([key, value]) => (
          <div key={key}>
            <dt>{t(`humhub.admin.${key}`)}</dt>
            <dd>{integer.format(value)}</dd>
          </div>
        ))}
      </dl>
      <FormError message={actionData?.intent === "resolveNames" ? actionData.formError : undefined} />
      {connection ? (
        <Form method="post">
          <button type="submit" name="intent" value="resolveNames" className="button button--secondary">
            {t("humhub.admin.resolveNames")}
          </button>
        </Form>
      ) : (
        <p>{t("humhub.admin.notConnectedAction")}</p>
      )}
    </section>
  );
}

export const meta = pageTitle("humhub.admin.title");
