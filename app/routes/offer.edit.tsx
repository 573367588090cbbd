import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRole } from "~/auth.server";
import { AvailabilityEditor } from "~/components/availability-editor";
import {
  EnterSubmits,
  ErrorSummary,
  FormError,
  SelectField,
  TextAreaField,
  TextField,
  fieldId,
  translateError,
} from "~/components/form-fields";
import { offerFormValuesFromOffer, offerFormValuesFromSubmission, type OfferFormValues } from "~/components/offer-form-values";
import { SessionPreferenceFields } from "~/components/session-preference-fields";
import { useSettledActionData } from "~/components/use-settled-action-data";
import { useValidatedForm } from "~/components/use-validated-form";
import { isWindowRowIntent, reshapeWindowRows } from "~/components/window-rows";
import { getOwnOffer, listOfferableTopics, saveOffer } from "~/models/offer.server";
import { listOrganisationsForUser } from "~/models/organisation.server";
import { maxWindows } from "~/schemas/availability";
import { offerSchema } from "~/schemas/offer";
import { redirectWithFlash } from "~/utils/flash.server";
import { formDataToObject, parseForm, readFormData, type FieldErrors } from "~/utils/forms";
import { pageTitle } from "~/utils/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "coach");
  const organisations = listOrganisationsForUser(user.id);
  const offer = getOwnOffer(user.id);
  return json({
    isNew: offer === null,
    values: offerFormValuesFromOffer(offer, organisations[0]?.id ?? ""),
    organisations: organisations.map(({ id, name }) => ({ id, name })),
    topics: listOfferableTopics(user.id),
    timeZone: offer?.timeZone ?? user.timeZone,
  });
}

type ActionResult = { errors: FieldErrors; values: OfferFormValues };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "coach");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  if (isWindowRowIntent(intent)) {
    const values = offerFormValuesFromSubmission(formDataToObject(formData));
    return json<ActionResult>({ errors: {}, values: { ...values, windows: reshapeWindowRows(intent, values.windows) } });
  }
  if (intent !== "save") {
    return json<ActionResult>({ errors: { form: "errors.unknownIntent" }, values: offerFormValuesFromSubmission({}) }, { status: 400 });
  }
  const form = parseForm(offerSchema, formData);
  const echo = offerFormValuesFromSubmission(form.values);
  if (!form.success) return json<ActionResult>({ errors: form.errors, values: echo }, { status: 400 });
  const saved = saveOffer(user.id, form.data);
  if (!saved.ok) return json<ActionResult>({ errors: saved.errors, values: echo }, { status: 400 });
  return redirectWithFlash(request, "/offer", { key: "offer.saved" });
}

export default function EditOfferPage() {
  const { t, i18n } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useSettledActionData<typeof action>();
  const values = actionData?.values ?? loaderData.values;
  const { register, errors, onSubmit } = useValidatedForm({
    schema: offerSchema,
    serverErrors: actionData?.errors,
    isUnvalidatedIntent: isWindowRowIntent,
    choiceGroups: { languages: values.languages, formats: values.formats, accessSupport: values.accessSupport },
  });
  const formId = "offer";
  const english = i18n.language === "en";
  const topicsGroupId = fieldId(formId, "topics");
  // A hand-made submission may name a topic the list does not show; its problem is the group's.
  const strayTopicError = Object.entries(errors).find(
    ([field]) => field.startsWith("topics.") && !loaderData.topics.some((topic) => field.startsWith(`topics.${topic.id}.`)),
  )?.[1];
  const topicsError = errors.topics ?? strayTopicError;
  if (loaderData.organisations.length === 0) {
    return (
      <div className="page page--narrow">
        <h1>{t("offer.createTitle")}</h1>
        <p>{t("offer.noOrganisation")}</p>
        <Link className="button" to="/organisations/new">
          {t("dashboard.createOrganisation")}
        </Link>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>{loaderData.isNew ? t("offer.createTitle") : t("offer.editTitle")}</h1>
      <FormError message={actionData?.errors.form} />
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <EnterSubmits intent="save" />
        <SelectField
          formId={formId}
          label={t("offer.organisation")}
          error={errors.organisationId}
          registration={register("organisationId")}
          defaultValue={values.organisationId}
          options={loaderData.organisations.map((organisation) => ({ value: organisation.id, label: organisation.name }))}
        />
        <fieldset
          id={topicsGroupId}
          className={topicsError ? "field field--invalid" : "field"}
          tabIndex={-1}
          aria-describedby={topicsError ? `${topicsGroupId}-hint ${topicsGroupId}-error` : `${topicsGroupId}-hint`}
        >
          <legend className="field__label">{t("offer.topicsLegend")}</legend>
          <p id={`${topicsGroupId}-hint`} className="field__hint">
            {t("offer.topicsHint")}
          </p>
          {topicsError ? (
            <p id={`${topicsGroupId}-error`} className="field__error">
              {translateError(t, topicsError)}
            </p>
          ) : null}
          {loaderData.topics.map((topic) => {
            const label = english ? topic.labelEn : topic.labelDe;
            const choice = values.topics[topic.id] ?? { level: "0", note: "" };
            return (
              <div key={topic.id} className="topic-choice">
                <SelectField
                  formId={formId}
                  label={t("offer.topicLevelLabel", { topic: label })}
                  hint={english ? topic.descriptionEn : topic.descriptionDe}
                  error={errors[`topics.${topic.id}.level`]}
                  registration={register(`topics.${topic.id}.level`)}
                  defaultValue={choice.level}
                  options={[
                    { value: "0", label: t("offer.notOffered") },
                    ...(["1", "2", "3"] as const).map((level) => ({ value: level, label: t(`levels.${level}`) })),
                  ]}
                />
                <TextField
                  formId={formId}
                  label={t("offer.topicNoteLabel", { topic: label })}
                  error={errors[`topics.${topic.id}.note`]}
                  registration={register(`topics.${topic.id}.note`)}
                  defaultValue={choice.note}
                />
              </div>
            );
          })}
        </fieldset>
        <SessionPreferenceFields
          formId={formId}
          register={register}
          errors={errors}
          accessField="accessSupport"
          values={{ ...values, access: values.accessSupport }}
          labels={{
            languages: t("offer.languagesLegend"),
            formats: t("offer.formatsLegend"),
            region: t("offer.inPersonRegion"),
            regionHint: t("offer.travelHint"),
            access: t("offer.accessLegend"),
          }}
          afterRegion={
            <TextField
              formId={formId}
              label={t("offer.travelKm")}
              hint={t("offer.travelHint")}
              type="number"
              inputMode="numeric"
              min={0}
              max={1000}
              error={errors.travelKm}
              registration={register("travelKm")}
              defaultValue={values.travelKm}
            />
          }
        />
        <AvailabilityEditor
          formId={formId}
          register={register}
          errors={errors}
          rows={values.windows}
          timeZone={loaderData.timeZone}
          maxRows={maxWindows}
          legend={t("offer.windowsLegend")}
        />
        <TextField
          formId={formId}
          label={t("offer.capacity")}
          hint={t("offer.capacityHint")}
          type="number"
          inputMode="numeric"
          min={1}
          max={60}
          required
          error={errors.capacityPerMonth}
          registration={register("capacityPerMonth")}
          defaultValue={values.capacityPerMonth}
        />
        <TextField
          formId={formId}
          label={t("offer.pausedUntil")}
          hint={t("offer.pausedUntilHint")}
          type="date"
          error={errors.pausedUntil}
          registration={register("pausedUntil")}
          defaultValue={values.pausedUntil}
        />
        <TextAreaField
          formId={formId}
          label={t("offer.bio")}
          hint={t("offer.bioHint")}
          rows={6}
          required
          error={errors.bio}
          registration={register("bio")}
          defaultValue={values.bio}
        />
        <button type="submit" name="intent" value="save" className="button">
          {t("offer.save")}
        </button>
      </Form>
    </div>
  );
}

export const meta = pageTitle("offer.editTitle");
