import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { redirectWithNewSession, requireAnonymous, verifyLogin } from "~/auth.server";
import { ErrorSummary, FormError, TextField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { clientIp } from "~/load-context";
import {
  checkRateLimit,
  clearRateLimit,
  failedLoginPerAccount,
  failedLoginPerIp,
  recordRateLimitHit,
} from "~/models/rate-limit.server";
import { getUserByEmail } from "~/models/user.server";
import { loginSchema } from "~/schemas/account";
import { parseForm, readFormData, withoutSecrets } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const formData = await readFormData(request);
  const redirectTo = formData.get("redirectTo");
  const form = parseForm(loginSchema, formData);
  if (!form.success) {
    return json({ errors: form.errors, values: withoutSecrets(form.values), formError: null }, { status: 400 });
  }
  const { email, password } = form.data;
  const ip = clientIp(context);
  // Limits are checked before the password, so a locked account cannot be probed further.
  const limit = [checkRateLimit(failedLoginPerAccount, email), checkRateLimit(failedLoginPerIp, ip)].find(
    (state) => state.limited,
  );
  if (limit?.limited) {
    return json(
      {
        errors: {},
        values: withoutSecrets(form.values),
        formError: { key: "errors.rateLimited", count: limit.retryAfterMinutes },
      },
      { status: 429, headers: { "Retry-After": String(limit.retryAfterMinutes * 60) } },
    );
  }
  const user = getUserByEmail(email);
  if (!(await verifyLogin(user, password)) || !user) {
    recordRateLimitHit(failedLoginPerAccount, email);
    recordRateLimitHit(failedLoginPerIp, ip);
    return json(
      { errors: {}, values: withoutSecrets(form.values), formError: { key: "errors.loginFailed", count: 0 } },
      { status: 400 },
    );
  }
  clearRateLimit(failedLoginPerAccount, email);
  return redirectWithNewSession(request, user.id, typeof redirectTo === "string" ? redirectTo : null);
}

export default function LoginPage() {
  const { t } = useTranslation();
  const actionData = useSettledActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { register, errors, onSubmit } = useValidatedForm({
    schema: loginSchema,
    serverErrors: actionData?.errors,
  });
  const formId = "login";
  return (
    <div className="page page--narrow">
      <h1>{t("login.title")}</h1>
      <FormError message={actionData?.formError?.key} values={{ count: actionData?.formError?.count }} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <TextField
          formId={formId}
          label={t("login.email")}
          type="email"
          autoComplete="email"
          required
          error={errors.email}
          registration={register("email")}
          defaultValue={actionData?.values.email as string | undefined}
        />
        <TextField
          formId={formId}
          label={t("login.password")}
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
          registration={register("password")}
        />
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
      <p>
        {t("login.noAccount")} <Link to="/signup">{t("login.signupLink")}</Link>
      </p>
    </div>
  );
}

export const meta = pageTitle("login.title");
