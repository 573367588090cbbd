import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { Checkbox, ErrorSummary, FormError, TextAreaField, WholeNumberField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { recordAuditEvent } from "~/models/audit.server";
import { getImprint, setSetting } from "~/models/settings.server";
import { checkbox, optionalText, wholeNumber } from "~/schemas/fields";
import { schedulingLimits } from "~/schemas/session";
import { getMatchSettings, saveMatchSettings } from "~/models/match.server";
import { getSchedulingSettings, saveSchedulingSettings } from "~/models/session.server";
import { getPrivacySettings, savePrivacySettings } from "~/models/privacy.server";
import { retentionFormSchema } from "~/schemas/privacy";
import { getDb } from "~/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const settingsSchema = z.object({ imprintText: optionalText(5000) });

/** The match settings counted in whole days, in the order the form shows them. */
const dayFields = ["responseDays", "waitingFlagDays"] as const;
const matchSettingsFormSchema = z.object({
  reviewRequesterProposals: checkbox,
  responseDays: wholeNumber(1, 60, "matches.responseDaysInvalid"),
  waitingFlagDays: wholeNumber(1, 365, "matches.waitingFlagDaysInvalid"),
});
/** The scheduling settings as form strings, within the same bounds as the stored settings. */
const schedulingFields = ["bufferMinutes", "noticeHours"] as const;
const schedulingFormSchema = z.object({
  bufferMinutes: wholeNumber(schedulingLimits.bufferMinutes.min, schedulingLimits.bufferMinutes.max, "team.bufferMinutesInvalid"),
  noticeHours: wholeNumber(schedulingLimits.noticeHours.min, schedulingLimits.noticeHours.max, "team.noticeHoursInvalid"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "team");
  return json({ imprint: getImprint(), matchSettings: getMatchSettings(), schedulingSettings: getSchedulingSettings(), privacySettings: getPrivacySettings() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "imprint": {
      const form = parseForm(settingsSchema, formData);
      if (!form.success) return json({ intent: "imprint", errors: form.errors, values: form.values }, { status: 400 });
      setSetting("imprint_text", form.data.imprintText ?? "");
      recordAuditEvent(getDb(), { actorUserId: user.id, subjectUserId: null, action: "settings.imprint_changed" });
      return redirectWithFlash(request, "/team/settings", { key: "team.settingsSaved" });
    }
    case "matches": {
      const form = parseForm(matchSettingsFormSchema, formData);
      if (!form.success) return json({ intent: "matches", errors: form.errors, values: form.values }, { status: 400 });
      saveMatchSettings(user.id, form.data);
      return redirectWithFlash(request, "/team/settings", { key: "matches.settingsSaved" });
    }
    case "scheduling": {
      const form = parseForm(schedulingFormSchema, formData);
      if (!form.success) return json({ intent: "scheduling", errors: form.errors, values: form.values }, { status: 400 });
      saveSchedulingSettings(user.id, form.data);
      return redirectWithFlash(request, "/team/settings", { key: "team.schedulingSaved" });
    }
    case "retention": {
      const form = parseForm(retentionFormSchema, formData);
      if (!form.success) return json({ intent: "retention", errors: form.errors, values: form.values }, { status: 400 });
      savePrivacySettings(user.id, form.data);
      return redirectWithFlash(request, "/team/settings", { key: "privacy.retentionSettings.saved" });
    }
    default:
      return json({ intent: null, errors: { form: "errors.unknownIntent" }, values: {} }, { status: 400 });
  }
}

export default function TeamSettingsPage() {
  const { t } = useTranslation();
  const { imprint, matchSettings, schedulingSettings, privacySettings } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const imprintAnswer = actionData?.intent === "imprint" ? actionData : undefined;
  const matchesAnswer = actionData?.intent === "matches" ? actionData : undefined;
  const schedulingAnswer = actionData?.intent === "scheduling" ? actionData : undefined;
  const initial = (imprintAnswer?.values.imprintText as string | undefined) ?? imprint.text ?? "";
  const { register, errors, onSubmit } = useValidatedForm({
    schema: settingsSchema,
    serverErrors: imprintAnswer?.errors,
  });
  const matchesForm = useValidatedForm({ schema: matchSettingsFormSchema, serverErrors: matchesAnswer?.errors });
  const matchValues = (matchesAnswer?.values ?? {}) as Record<string, string>;
  const schedulingForm = useValidatedForm({ schema: schedulingFormSchema, serverErrors: schedulingAnswer?.errors });
  const schedulingValues = (schedulingAnswer?.values ?? {}) as Record<string, string>;
  const retentionAnswer = actionData?.intent === "retention" ? actionData : undefined;
  const retentionForm = useValidatedForm({ schema: retentionFormSchema, serverErrors: retentionAnswer?.errors });
  const retentionValues = (retentionAnswer?.values ?? {}) as Record<string, string>;
  const formId = "settings";
  return (
    <div className="page page--narrow">
      <h1>{t("team.settingsTitle")}</h1>
      <FormError message={actionData?.intent === null ? actionData.errors.form : undefined} />
      {imprint.fromEnv ? <p className="notice">{t("team.imprintFromEnv")}</p> : null}
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <TextAreaField
          formId={formId}
          label={t("team.imprintText")}
          hint={t("team.imprintHint")}
          rows={8}
          error={errors.imprintText}
          registration={register("imprintText")}
          defaultValue={initial}
        />
        <button type="submit" name="intent" value="imprint" className="button">
          {t("team.saveSettings")}
        </button>
      </Form>
      <h2>{t("matches.settingsTitle")}</h2>
      <ErrorSummary formId="matches" errors={matchesForm.errors} />
      <Form method="post" noValidate onSubmit={matchesForm.onSubmit} className="stack">
        <Checkbox
          formId="matches"
          label={t("matches.reviewRequesterProposals")}
          registration={matchesForm.register("reviewRequesterProposals")}
          error={matchesForm.errors.reviewRequesterProposals}
          defaultChecked={matchesAnswer ? Boolean(matchValues.reviewRequesterProposals) : matchSettings.reviewRequesterProposals}
        />
        {dayFields.map((name) => (
          <WholeNumberField
            key={name}
            formId="matches"
            label={t(`matches.${name}`)}
            registration={matchesForm.register(name)}
            error={matchesForm.errors[name]}
            defaultValue={matchValues[name] ?? String(matchSettings[name])}
          />
        ))}
        <button type="submit" name="intent" value="matches" className="button">
          {t("matches.saveSettings")}
        </button>
      </Form>
      <h2>{t("team.schedulingTitle")}</h2>
      <p>{t("team.schedulingIntro")}</p>
      <ErrorSummary formId="scheduling" errors={schedulingForm.errors} />
      <Form method="post" noValidate onSubmit={schedulingForm.onSubmit} className="stack">
        {schedulingFields.map((name) => (
          <WholeNumberField
            key={name}
            formId="scheduling"
            label={t(`team.${name}`)}
            registration={schedulingForm.register(name)}
            error={schedulingForm.errors[name]}
            defaultValue={schedulingValues[name] ?? String(schedulingSettings[name])}
          />
        ))}
        <button type="submit" name="intent" value="scheduling" className="button">
          {t("team.saveScheduling")}
        </button>
      </Form>
      <h2>{t("privacy.retentionSettings.title")}</h2>
      <p>{t("privacy.retentionSettings.intro")}</p>
      <ErrorSummary formId="retention" errors={retentionForm.errors} />
      <Form method="post" noValidate onSubmit={retentionForm.onSubmit} className="stack">
        <WholeNumberField
          formId="retention"
          label={t("privacy.retentionSettings.months")}
          hint={t("privacy.retentionSettings.monthsHint")}
          registration={retentionForm.register("retentionMonths")}
          error={retentionForm.errors.retentionMonths}
          defaultValue={retentionValues.retentionMonths ?? String(privacySettings.retentionMonths)}
        />
        <button type="submit" name="intent" value="retention" className="button">
          {t("privacy.retentionSettings.save")}
        </button>
      </Form>
    </div>
  );
}

export const meta = pageTitle("team.settingsTitle");
