import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { createUserSession, hashPassword, requireAnonymous } from "~/auth.server";
import { LocaleAndTimeZoneFields, SelfChosenRolesField } from "~/components/account-fields";
import { Checkbox, ErrorSummary, FormError, TextField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { getLocale, localeCookie } from "~/i18n/locale.server";
import { clientIp } from "~/load-context";
import { checkRateLimit, recordRateLimitHit, signupPerAccount, signupPerIp } from "~/models/rate-limit.server";
import { createUser } from "~/models/user.server";
import { signupSchema } from "~/schemas/account";
import { echoedList, echoedText, parseForm, readFormData, withoutSecrets } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { listTimeZones } from "~/utils/time-zones";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return json({ timeZones: listTimeZones(), locale: await getLocale(request) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(signupSchema, await readFormData(request));
  if (!form.success) {
    return json({ errors: form.errors, values: withoutSecrets(form.values), formError: null }, { status: 400 });
  }
  const ip = clientIp(context);
  const { email } = form.data;
  const limit = [checkRateLimit(signupPerIp, ip), checkRateLimit(signupPerAccount, email)].find(
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
  recordRateLimitHit(signupPerIp, ip);
  recordRateLimitHit(signupPerAccount, email);
  const { password, consent: _consent, ...profile } = form.data;
  const created = createUser({ ...profile, passwordHash: await hashPassword(password) });
  if (!created) {
    return json(
      { errors: { email: "errors.emailTaken" }, values: withoutSecrets(form.values), formError: null },
      { status: 400 },
    );
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await createUserSession(request, created.id));
  headers.append("Set-Cookie", await localeCookie.serialize(profile.locale));
  return redirect("/dashboard", { headers });
}

export default function SignupPage() {
  const { t } = useTranslation();
  const { timeZones, locale } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const values = actionData?.values;
  const text = (name: string) => echoedText(values, name);
  const checkedRoles = echoedList(values, "roles");
  const { register, errors, onSubmit } = useValidatedForm({
    schema: signupSchema,
    serverErrors: actionData?.errors,
    choiceGroups: { roles: checkedRoles },
  });
  const formId = "signup";
  return (
    <div className="page page--narrow">
      <h1>{t("signup.title")}</h1>
      <p>{t("signup.intro")}</p>
      <FormError message={actionData?.formError?.key} values={{ count: actionData?.formError?.count }} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <TextField
          formId={formId}
          label={t("signup.name")}
          autoComplete="name"
          required
          error={errors.name}
          registration={register("name")}
          defaultValue={text("name")}
        />
        <TextField
          formId={formId}
          label={t("signup.email")}
          type="email"
          autoComplete="email"
          required
          error={errors.email}
          registration={register("email")}
          defaultValue={text("email")}
        />
        <TextField
          formId={formId}
          label={t("signup.password")}
          hint={t("signup.passwordHint")}
          type="password"
          autoComplete="new-password"
          required
          error={errors.password}
          registration={register("password")}
        />
        <LocaleAndTimeZoneFields
          formId={formId}
          register={register}
          errors={errors}
          locale={text("locale") ?? locale}
          timeZone={text("timeZone") ?? "Europe/Berlin"}
          timeZones={timeZones}
        />
        <SelfChosenRolesField
          formId={formId}
          register={register}
          errors={errors}
          legend={t("signup.rolesLegend")}
          hint={t("signup.rolesHint")}
          checkedRoles={checkedRoles}
        />
        <Checkbox
          formId={formId}
          label={
            <Trans i18nKey="signup.consent" components={[<Link key="privacy" to="/privacy" />]} />
          }
          error={errors.consent}
          registration={register("consent")}
          defaultChecked={Boolean(values?.consent)}
        />
        <button type="submit" className="button">
          {t("signup.submit")}
        </button>
      </Form>
      <p>
        {t("signup.haveAccount")} <Link to="/login">{t("signup.loginLink")}</Link>
      </p>
    </div>
  );
}

export const meta = pageTitle("signup.title");
