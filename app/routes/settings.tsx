import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getAuthentication, hashPassword, logoutOtherSessions, requireUser, verifyCurrentPassword } from "~/auth.server";
import { CurrentPasswordField, LocaleAndTimeZoneFields, SelfChosenRolesField } from "~/components/account-fields";
import { ErrorSummary, FormError, TextField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { localeCookie } from "~/i18n/locale.server";
import { createCalendarFeed, getCalendarFeed, revokeCalendarFeed } from "~/models/calendar.server";
import { getHumhubAccount, resolveHumhubAccount } from "~/models/humhub-accounts.server";
import { updatePasswordHash, updateProfile } from "~/models/user.server";
import { passwordChangeSchema, profileSchema } from "~/schemas/account";
import { redirectWithFlash } from "~/utils/flash.server";
import { echoedList, parseForm, readFormData, withoutSecrets, type FieldErrors, type FormValues } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";
import { publicOrigin } from "~/utils/public-origin.server";
import { listTimeZones } from "~/utils/time-zones";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const account = getHumhubAccount(user.id);
  return json({
    profile: {
      name: user.name,
      email: user.email,
      locale: user.locale,
      timeZone: user.timeZone,
      humhubUsername: user.humhubUsername ?? "",
      roles: user.roles.filter((role) => role !== "team"),
    },
    timeZones: listTimeZones(),
    // Only the state of the name as saved; a row left from an earlier name says nothing about this one.
    humhubAccount:
      account && account.username === user.humhubUsername
        ? { problem: account.problem, displayName: account.displayName, profileUrl: account.profileUrl }
        : null,
    calendarFeed: getCalendarFeed(user.id),
    timeZone: user.timeZone,
  });
}

type ActionResult = {
  intent: "profile" | "password" | "calendarFeed";
  errors: FieldErrors;
  values: FormValues;
  formError?: { key: string; count: number };
  /** A new feed address, shown this once. */
  feedUrl?: string;
};

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "profile": {
      const form = parseForm(profileSchema, formData);
      if (!form.success) {
        return json<ActionResult>({ intent: "profile", errors: form.errors, values: form.values }, { status: 400 });
      }
      updateProfile(user.id, form.data);
      // A lookup is a round trip to HumHub (seconds when it is slow), so only a new name or one not found yet is
      // looked up; the team re-checks every name on Team: HumHub.
      const account = getHumhubAccount(user.id);
      if (form.data.humhubUsername !== (account?.username ?? null) || account?.problem) {
        await resolveHumhubAccount(user.id, form.data.humhubUsername);
      }
      return redirectWithFlash(
        request,
        "/settings",
        { key: "settings.profileSaved" },
        { "Set-Cookie": await localeCookie.serialize(form.data.locale) },
      );
    }
    case "password": {
      const form = parseForm(passwordChangeSchema, formData);
      if (!form.success) {
        return json<ActionResult>(
          { intent: "password", errors: form.errors, values: withoutSecrets(form.values) },
          { status: 400 },
        );
      }
      const password = await verifyCurrentPassword(user, form.data.currentPassword);
      if (!password.ok) {
        return password.reason === "rateLimited"
          ? json<ActionResult>(
              { intent: "password", errors: {}, values: {}, formError: { key: "errors.rateLimited", count: password.retryAfterMinutes } },
              { status: 429 },
            )
          : json<ActionResult>({ intent: "password", errors: { currentPassword: "errors.passwordWrong" }, values: {} }, { status: 400 });
      }
      updatePasswordHash(user.id, await hashPassword(form.data.newPassword));
      const authentication = await getAuthentication(request);
      if (authentication) await logoutOtherSessions(user.id, authentication.session.id);
      return redirectWithFlash(request, "/settings", { key: "settings.passwordChanged" });
    }
    case "createFeed": {
      const token = createCalendarFeed(user.id);
      return json<ActionResult>({ intent: "calendarFeed", errors: {}, values: {}, feedUrl: `${publicOrigin(request)}/calendar/${token}/sessions.ics` });
    }
    case "revokeFeed":
      revokeCalendarFeed(user.id);
      return redirectWithFlash(request, "/settings", { key: "sessions.feed.revoked" });
    default:
      return json<ActionResult>(
        { intent: "profile", errors: { form: "errors.unknownIntent" }, values: {} },
        { status: 400 },
      );
  }
}

export default function SettingsPage() {
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <h1>{t("settings.title")}</h1>
      <ProfileForm />
      <CalendarFeedSection />
      <PasswordForm />
      <MyDataSection />
    </div>
  );
}

function ProfileForm() {
  const { t } = useTranslation();
  const { profile, timeZones, humhubAccount } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const result = actionData?.intent === "profile" ? actionData : undefined;
  const values = { ...profile, ...result?.values };
  // An unticked checkbox is absent from a submission, so after one the echo decides alone.
  const checkedRoles = result ? echoedList(result.values, "roles") : profile.roles;
  const { register, errors, onSubmit } = useValidatedForm({
    schema: profileSchema,
    serverErrors: result?.errors,
    choiceGroups: { roles: checkedRoles },
  });
  const formId = "profile";
  return (
    <section aria-labelledby="profile-title" className="stack">
      <h2 id="profile-title">{t("settings.profileTitle")}</h2>
      <p>
        {t("settings.email")}: <strong>{profile.email}</strong>
      </p>
      <FormError message={result?.errors.form} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <TextField
          formId={formId}
          label={t("settings.name")}
          autoComplete="name"
          required
          error={errors.name}
          registration={register("name")}
          defaultValue={values.name as string}
        />
        <LocaleAndTimeZoneFields
          formId={formId}
          register={register}
          errors={errors}
          locale={values.locale as string}
          timeZone={values.timeZone as string}
          timeZones={timeZones}
        />
        <TextField
          formId={formId}
          label={t("settings.humhubUsername")}
          hint={
            <>
              {t("settings.humhubUsernameHint")} <HumhubAccountState account={humhubAccount} />
            </>
          }
          autoComplete="off"
          error={errors.humhubUsername}
          registration={register("humhubUsername")}
          defaultValue={values.humhubUsername as string}
        />
        <SelfChosenRolesField
          formId={formId}
          register={register}
          errors={errors}
          legend={t("settings.rolesLegend")}
          checkedRoles={checkedRoles}
        />
        <button type="submit" name="intent" value="profile" className="button">
          {t("settings.saveProfile")}
        </button>
      </Form>
    </section>
  );
}

const accountProblemKeys = {
  notFound: "settings.humhubNotFound",
  notAllowed: "settings.humhubNotAllowed",
  notConnected: "settings.humhubNotConnected",
  unreachable: "settings.humhubUnreachable",
} as const;

/** What HumHub said about the saved user name, inside the field's hint so it is read with the field. */
function HumhubAccountState({ account }: { account: { problem: string | null; displayName: string | null; profileUrl: string | null } | null }) {
  const { t } = useTranslation();
  if (!account) return null;
  if (account.problem === null) {
    // The address comes from HumHub; only a web address becomes a link.
    const link = account.profileUrl && /^https?:\/\//.test(account.profileUrl) ? account.profileUrl : null;
    return (
      <strong>
        {t("settings.humhubFound")} {link ? <a href={link}>{account.displayName}</a> : account.displayName}
      </strong>
    );
  }
  const key = accountProblemKeys[account.problem as keyof typeof accountProblemKeys];
  return key ? <strong>{t(key)}</strong> : null;
}

function CalendarFeedSection() {
  const { t, i18n } = useTranslation();
  const { calendarFeed, timeZone } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const feedUrl = actionData?.intent === "calendarFeed" ? actionData.feedUrl : undefined;
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone });
  return (
    <section aria-labelledby="feed-title" className="stack">
      <h2 id="feed-title">{t("sessions.feed.title")}</h2>
      <p>{t("sessions.feed.intro")}</p>
      {feedUrl ? (
        <div role="status" className="stack">
          <p>{t("sessions.feed.shownOnce")}</p>
          <label htmlFor="feed-url" className="field__label">
            {t("sessions.feed.address")}
          </label>
          <input id="feed-url" className="field__input" readOnly value={feedUrl} onFocus={(event) => event.currentTarget.select()} />
        </div>
      ) : (
        <p>{calendarFeed ? t("sessions.feed.active", { date: date.format(new Date(calendarFeed.createdAt)) }) : t("sessions.feed.none")}</p>
      )}
      <Form method="post" className="button-row">
        <button type="submit" name="intent" value="createFeed" className="button button--secondary">
          {calendarFeed ? t("sessions.feed.renew") : t("sessions.feed.create")}
        </button>
        {calendarFeed ? (
          <button type="submit" name="intent" value="revokeFeed" className="button button--secondary">
            {t("sessions.feed.revoke")}
          </button>
        ) : null}
      </Form>
    </section>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const actionData = useSettledActionData<typeof action>();
  const result = actionData?.intent === "password" ? actionData : undefined;
  const { register, errors, onSubmit } = useValidatedForm({
    schema: passwordChangeSchema,
    serverErrors: result?.errors,
  });
  const formId = "password";
  return (
    <section aria-labelledby="password-title" className="stack">
      <h2 id="password-title">{t("settings.passwordTitle")}</h2>
      <FormError message={result?.formError?.key} values={{ count: result?.formError?.count }} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <CurrentPasswordField formId={formId} error={errors.currentPassword} registration={register("currentPassword")} />
        <TextField
          formId={formId}
          label={t("settings.newPassword")}
          hint={t("signup.passwordHint")}
          type="password"
          autoComplete="new-password"
          required
          error={errors.newPassword}
          registration={register("newPassword")}
        />
        <TextField
          formId={formId}
          label={t("settings.newPasswordConfirm")}
          type="password"
          autoComplete="new-password"
          required
          error={errors.newPasswordConfirm}
          registration={register("newPasswordConfirm")}
        />
        <button type="submit" name="intent" value="password" className="button">
          {t("settings.changePassword")}
        </button>
      </Form>
    </section>
  );
}

/** The person's own rights: a copy of their data, and leaving. Both are plain links: the download is a file, not a page. */
function MyDataSection() {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="my-data-title" className="stack">
      <h2 id="my-data-title">{t("privacy.account.myDataTitle")}</h2>
      <p>{t("privacy.account.myDataIntro")}</p>
      <p>
        <a href="/account/data.json" download className="button button--secondary">
          {t("privacy.account.download")}
        </a>
      </p>
      <p>
        <Link to="/account/delete">{t("privacy.account.deleteLink")}</Link>
      </p>
    </section>
  );
}

export const meta = pageTitle("settings.title");
