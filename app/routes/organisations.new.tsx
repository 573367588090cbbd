import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth.server";
import { ErrorSummary, SelectField, TextField } from "~/components/form-fields";
import { organisationChoices } from "~/components/organisation-choices";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { createOrganisation } from "~/models/organisation.server";
import { organisationSchema } from "~/schemas/organisation";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, readFormData } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(organisationSchema, await readFormData(request));
  if (!form.success) return json({ errors: form.errors, values: form.values }, { status: 400 });
  const organisationId = createOrganisation(user.id, form.data);
  return redirectWithFlash(request, `/organisations/${organisationId}`, { key: "organisations.created" });
}

export default function NewOrganisationPage() {
  const { t } = useTranslation();
  const actionData = useSettledActionData<typeof action>();
  const values = (actionData?.values ?? {}) as Record<string, string | undefined>;
  const { register, errors, onSubmit } = useValidatedForm({
    schema: organisationSchema,
    serverErrors: actionData?.errors,
  });
  const choices = organisationChoices(t);
  const formId = "organisation";
  return (
    <div className="page page--narrow">
      <h1>{t("organisations.createTitle")}</h1>
      <p>{t("organisations.createIntro")}</p>
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <TextField
          formId={formId}
          label={t("organisations.name")}
          autoComplete="organization"
          required
          error={errors.name}
          registration={register("name")}
          defaultValue={values.name}
        />
        <SelectField
          formId={formId}
          label={t("organisations.kind")}
          required
          error={errors.kind}
          registration={register("kind")}
          defaultValue={values.kind ?? ""}
          placeholder={t("form.select")}
          options={choices.kinds}
        />
        <SelectField
          formId={formId}
          label={t("organisations.sizeBand")}
          required
          error={errors.sizeBand}
          registration={register("sizeBand")}
          defaultValue={values.sizeBand ?? ""}
          placeholder={t("form.select")}
          options={choices.sizeBands}
        />
        <SelectField
          formId={formId}
          label={t("organisations.region")}
          required
          error={errors.region}
          registration={register("region")}
          defaultValue={values.region ?? ""}
          placeholder={t("form.select")}
          options={choices.regions}
        />
        <TextField
          formId={formId}
          label={t("organisations.website")}
          hint={t("organisations.websiteHint")}
          type="url"
          autoComplete="url"
          error={errors.website}
          registration={register("website")}
          defaultValue={values.website}
        />
        <button type="submit" className="button">
          {t("organisations.submitCreate")}
        </button>
      </Form>
    </div>
  );
}

export const meta = pageTitle("organisations.createTitle");
