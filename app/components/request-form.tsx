import { Form } from "@remix-run/react";
import type { FormEvent } from "react";
import type { FieldValues, UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { AvailabilityEditor } from "~/components/availability-editor";
import {
  CheckboxGroup,
  EnterSubmits,
  ErrorSummary,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
} from "~/components/form-fields";
import { SessionPreferenceFields } from "~/components/session-preference-fields";
import { useValidatedForm } from "~/components/use-validated-form";
import {
  emptyWindowRow,
  isWindowRowIntent,
  reshapeWindowRows,
  windowRowsFromStored,
  windowRowsFromSubmission,
  type WindowRow,
} from "~/components/window-rows";
import { maxWindows } from "~/schemas/availability";
import { requestSchemaFor, type RequestInput } from "~/schemas/request";
import { formDataToObject, parseForm, type FieldErrors } from "~/utils/forms";
import { requestUrgencies, sessionLengths } from "~db/schema";

export type RequestFormValues = {
  organisationId: string;
  topics: string[];
  mainTopic: string;
  goal: string;
  urgency: string;
  deadline: string;
  languages: string[];
  formats: string[];
  inPersonRegion: string;
  accessNeeds: string[];
  windows: WindowRow[];
  sessionMinutes: string;
};

const text = (value: unknown) => (typeof value === "string" ? value : "");
const list = (value: unknown) =>
  ([] as unknown[]).concat(value ?? []).filter((item): item is string => typeof item === "string");

/** Reads a submission echoed by the server into the shape the request form renders. */
export function requestFormValuesFromSubmission(raw: unknown): RequestFormValues {
  const values = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    organisationId: text(values.organisationId),
    topics: list(values.topics),
    mainTopic: text(values.mainTopic),
    goal: text(values.goal),
    urgency: text(values.urgency) || "flexible",
    deadline: text(values.deadline),
    languages: list(values.languages),
    formats: list(values.formats),
    inPersonRegion: text(values.inPersonRegion),
    accessNeeds: list(values.accessNeeds),
    windows: windowRowsFromSubmission(values.windows),
    sessionMinutes: text(values.sessionMinutes) || "60",
  };
}

type StoredRequest = {
  organisationId: string;
  topics: { topicId: string; isMain: boolean }[];
  goal: string;
  urgency: string;
  deadline: string | null;
  languages: string[];
  formats: string[];
  inPersonRegion: string | null;
  accessNeeds: string[];
  windows: { weekday: number; startMinute: number; endMinute: number }[];
  sessionMinutes: number;
};

export function requestFormValuesFromRequest(request: StoredRequest | null, defaultOrganisationId: string): RequestFormValues {
  if (!request) {
    return {
      ...requestFormValuesFromSubmission({}),
      organisationId: defaultOrganisationId,
      languages: ["de"],
      formats: ["video"],
      windows: [emptyWindowRow],
    };
  }
  return {
    organisationId: request.organisationId,
    topics: request.topics.map((topic) => topic.topicId),
    mainTopic: request.topics.find((topic) => topic.isMain)?.topicId ?? "",
    goal: request.goal,
    urgency: request.urgency,
    deadline: request.deadline ?? "",
    languages: request.languages,
    formats: request.formats,
    inPersonRegion: request.inPersonRegion ?? "",
    accessNeeds: request.accessNeeds,
    windows: windowRowsFromStored(request.windows),
    sessionMinutes: String(request.sessionMinutes),
  };
}

export type RequestSubmission =
  | { ok: true; data: RequestInput; values: RequestFormValues }
  | { ok: false; status: 200 | 400; errors: FieldErrors; values: RequestFormValues };

/**
 * Reads a posted request form: "add/remove a time window" only reshapes the rows, "save"
 * validates, anything else is refused. Shared by the new and edit routes.
 */
export function readRequestSubmission(formData: FormData, timeZone: string): RequestSubmission {
  const intent = String(formData.get("intent") ?? "");
  if (isWindowRowIntent(intent)) {
    const values = requestFormValuesFromSubmission(formDataToObject(formData));
    return { ok: false, status: 200, errors: {}, values: { ...values, windows: reshapeWindowRows(intent, values.windows) } };
  }
  if (intent !== "save") {
    return { ok: false, status: 400, errors: { form: "errors.unknownIntent" }, values: requestFormValuesFromSubmission({}) };
  }
  const form = parseForm(requestSchemaFor(timeZone), formData);
  const values = requestFormValuesFromSubmission(form.values);
  return form.success ? { ok: true, data: form.data, values } : { ok: false, status: 400, errors: form.errors, values };
}

/**
 * The request form's validation for "new" and "edit": the server's schema in the requester's zone,
 * window-row buttons posting unvalidated, and defaults for the groups react-hook-form cannot read.
 */
export function useRequestForm({ timeZone, values, serverErrors }: { timeZone: string; values: RequestFormValues; serverErrors?: FieldErrors }) {
  return useValidatedForm({
    schema: requestSchemaFor(timeZone),
    serverErrors,
    isUnvalidatedIntent: isWindowRowIntent,
    choiceGroups: {
      topics: values.topics,
      mainTopic: values.mainTopic,
      urgency: values.urgency,
      languages: values.languages,
      formats: values.formats,
      accessNeeds: values.accessNeeds,
    },
  });
}

type Topic = { id: string; labelDe: string; labelEn: string; descriptionDe: string; descriptionEn: string };

/** The request form, shared by "new request" and "edit request". */
export function RequestForm({
  onSubmit,
  register,
  errors,
  values,
  topics,
  organisations,
  timeZone,
  submitLabel,
}: {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  register: UseFormRegister<FieldValues>;
  errors: FieldErrors;
  values: RequestFormValues;
  topics: Topic[];
  organisations: { id: string; name: string }[];
  timeZone: string;
  submitLabel: string;
}) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === "en";
  const formId = "request";
  const topicOptions = topics.map((topic) => ({ value: topic.id, label: english ? topic.labelEn : topic.labelDe }));
  return (
    <>
      <ErrorSummary formId={formId} errors={errors} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <EnterSubmits intent="save" />
        <SelectField
          formId={formId}
          label={t("requests.organisation")}
          error={errors.organisationId}
          registration={register("organisationId")}
          defaultValue={values.organisationId}
          options={organisations.map((organisation) => ({ value: organisation.id, label: organisation.name }))}
        />
        <CheckboxGroup
          formId={formId}
          legend={t("requests.topicsLegend")}
          hint={t("requests.topicsHint")}
          error={errors.topics}
          registration={register("topics")}
          checkedValues={values.topics}
          options={topicOptions}
        />
        <RadioGroup
          formId={formId}
          legend={t("requests.mainTopicLegend")}
          error={errors.mainTopic}
          registration={register("mainTopic")}
          checkedValue={values.mainTopic}
          options={topicOptions}
        />
        <TextAreaField
          formId={formId}
          label={t("requests.goal")}
          hint={t("requests.goalHint")}
          rows={5}
          required
          error={errors.goal}
          registration={register("goal")}
          defaultValue={values.goal}
        />
        <RadioGroup
          formId={formId}
          legend={t("requests.urgencyLegend")}
          error={errors.urgency}
          registration={register("urgency")}
          checkedValue={values.urgency}
          options={requestUrgencies.map((urgency) => ({ value: urgency, label: t(`urgency.${urgency}`) }))}
        />
        <TextField
          formId={formId}
          label={t("requests.deadline")}
          hint={t("requests.deadlineHint")}
          type="date"
          error={errors.deadline}
          registration={register("deadline")}
          defaultValue={values.deadline}
        />
        <SessionPreferenceFields
          formId={formId}
          register={register}
          errors={errors}
          accessField="accessNeeds"
          values={{ ...values, access: values.accessNeeds }}
          labels={{
            languages: t("requests.languagesLegend"),
            formats: t("requests.formatsLegend"),
            region: t("requests.inPersonRegion"),
            regionHint: t("requests.inPersonHint"),
            access: t("requests.accessLegend"),
          }}
        />
        <AvailabilityEditor
          formId={formId}
          register={register}
          errors={errors}
          rows={values.windows}
          timeZone={timeZone}
          maxRows={maxWindows}
          legend={t("requests.windowsLegend")}
        />
        <SelectField
          formId={formId}
          label={t("requests.sessionMinutes")}
          error={errors.sessionMinutes}
          registration={register("sessionMinutes")}
          defaultValue={values.sessionMinutes}
          options={sessionLengths.map((minutes) => ({ value: String(minutes), label: t("requests.minutes", { count: minutes }) }))}
        />
        <button type="submit" name="intent" value="save" className="button">
          {submitLabel}
        </button>
      </Form>
    </>
  );
}
