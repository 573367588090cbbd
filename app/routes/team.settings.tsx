import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireRole } from "~/auth.server";
import { ErrorSummary, TextAreaField } from "~/components/form-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { recordAuditEvent } from "~/models/audit.server";
import { getImprint, setSetting } from "~/models/settings.server";
import { optionalText } from "~/schemas/fields";
import { getDb } from "~/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

const settingsSchema = z.object({ imprintText: optionalText(5000) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "team");
  return json({ imprint: getImprint() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "team");
  const form = parseForm(settingsSchema, await request.formData());
  if (!form.success) return json({ errors: form.errors, values: form.values }, { status: 400 });
  setSetting("imprint_text", form.data.imprintText ?? "");
  recordAuditEvent(getDb(), { actorUserId: user.id, subjectUserId: null, action: "settings.imprint_changed" });
  return redirectWithFlash(request, "/team/settings", { key: "team.settingsSaved" });
}

export default function TeamSettingsPage() {
  const { t } = useTranslation();
  const { imprint } = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const initial = (actionData?.values.imprintText as string | undefined) ?? imprint.text ?? "";
  const { register, errors, onSubmit } = useValidatedForm({
    schema: settingsSchema,
    serverErrors: actionData?.errors,
  });
  const formId = "settings";
  return (
    <div className="page page--narrow">
      <h1>{t("team.settingsTitle")}</h1>
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
        <button type="submit" className="button">
          {t("team.saveSettings")}
        </button>
      </Form>
    </div>
  );
}

export const meta = pageTitle("team.settingsTitle");
