import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { endSession, requireUser, verifyCurrentPassword } from "~/auth.server";
import { CurrentPasswordField } from "~/components/account-fields";
import { Checkbox, ErrorSummary, FormError } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { countWhatDeletionEnds, deleteAccount } from "~/models/privacy.server";
import { accountDeletionSchema } from "~/schemas/privacy";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData, withoutSecrets, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ ...countWhatDeletionEnds(user.id), isTeam: user.roles.includes("team") });
}

type ActionResult = { errors: FieldErrors; values: FormValues; formError?: { key: string; count?: number } };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "delete") {
    return json<ActionResult>({ errors: { form: "errors.unknownIntent" }, values: {} }, { status: 400 });
  }
  const form = parseForm(accountDeletionSchema, formData);
  if (!form.success) return json<ActionResult>({ errors: form.errors, values: withoutSecrets(form.values) }, { status: 400 });
  const password = await verifyCurrentPassword(user, form.data.currentPassword);
  if (!password.ok) {
    return password.reason === "rateLimited"
      ? json<ActionResult>({ errors: {}, values: {}, formError: { key: "errors.rateLimited", count: password.retryAfterMinutes } }, { status: 429 })
      : json<ActionResult>({ errors: { currentPassword: "errors.passwordWrong" }, values: { confirm: "on" } }, { status: 400 });
  }
  const result = deleteAccount(user.id);
  if (!result.ok) {
    const key = result.refusal === "lastTeamMember" ? "privacy.account.lastTeamMember" : "errorPage.notFound";
    return json<ActionResult>({ errors: {}, values: {}, formError: { key } }, { status: 409 });
  }
  // The session row is gone with the account; this clears the cookie in this browser.
  const clearSession = await endSession(request);
  return redirectWithFlash(request, "/", { key: "privacy.account.deleted" }, { "Set-Cookie": clearSession });
}

export default function DeleteAccountPage() {
  const { t } = useTranslation();
  const { upcomingSessions, openRequests, isTeam } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const { register, errors, onSubmit } = useValidatedForm({ schema: accountDeletionSchema, serverErrors: actionData?.errors });
  const formId = "delete-account";
  return (
    <div className="page page--narrow stack">
      <h1>{t("privacy.account.deleteTitle")}</h1>
      <p className="lead">{t("privacy.account.deleteIntro")}</p>
      <h2>{t("privacy.account.whatHappensTitle")}</h2>
      <ul>
        <li>{t("privacy.account.removed")}</li>
        <li>{t("privacy.account.kept")}</li>
        <li>{t("privacy.account.sessionsCancelled", { count: upcomingSessions })}</li>
        <li>{t("privacy.account.requestsWithdrawn", { count: openRequests })}</li>
        <li>{t("privacy.account.loggedOut")}</li>
        {isTeam ? <li>{t("privacy.account.teamNote")}</li> : null}
      </ul>
      <p>
        {t("privacy.account.exportFirst")}{" "}
        <a href="/account/data.json" download>
          {t("privacy.account.download")}
        </a>
      </p>
      <FormError message={actionData?.formError?.key} values={{ count: actionData?.formError?.count }} />
      <FormError message={actionData?.errors.form} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <CurrentPasswordField formId={formId} error={errors.currentPassword} registration={register("currentPassword")} />
        <Checkbox
          formId={formId}
          label={t("privacy.account.confirmLabel")}
          error={errors.confirm}
          registration={register("confirm")}
          defaultChecked={Boolean(actionData?.values.confirm)}
        />
        <div className="button-row">
          <button type="submit" name="intent" value="delete" className="button button--danger">
            {t("privacy.account.deleteButton")}
          </button>
          <Link to="/settings" className="button button--secondary">
            {t("privacy.account.keep")}
          </Link>
        </div>
      </Form>
    </div>
  );
}

export const meta = pageTitle("privacy.account.deleteTitle");
