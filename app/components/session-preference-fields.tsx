import type { ReactNode } from "react";
import type { FieldValues, UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { CheckboxGroup, SelectField } from "~/components/form-fields";
import { organisationChoices } from "~/components/organisation-choices";
import { languageName } from "~/utils/display";
import type { FieldErrors } from "~/utils/forms";
import { accessOptions, languageCodes, sessionFormats } from "~db/schema";

/**
 * Languages, formats, in-person region and access: the same vocabulary for what a coach offers
 * and what a request needs, so the two can be matched. `afterRegion` holds the coach's distance.
 */
export function SessionPreferenceFields({
  formId,
  register,
  errors,
  accessField,
  values,
  labels,
  afterRegion,
}: {
  formId: string;
  register: UseFormRegister<FieldValues>;
  errors: FieldErrors;
  accessField: "accessSupport" | "accessNeeds";
  values: { languages: string[]; formats: string[]; inPersonRegion: string; access: string[] };
  labels: { languages: string; formats: string; region: string; regionHint: string; access: string };
  afterRegion?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <CheckboxGroup
        formId={formId}
        legend={labels.languages}
        error={errors.languages}
        registration={register("languages")}
        checkedValues={values.languages}
        options={languageCodes.map((code) => ({ value: code, label: languageName(code, i18n.language) }))}
      />
      <CheckboxGroup
        formId={formId}
        legend={labels.formats}
        error={errors.formats}
        registration={register("formats")}
        checkedValues={values.formats}
        options={sessionFormats.map((format) => ({ value: format, label: t(`formats.${format}`) }))}
      />
      <SelectField
        formId={formId}
        label={labels.region}
        hint={labels.regionHint}
        error={errors.inPersonRegion}
        registration={register("inPersonRegion")}
        defaultValue={values.inPersonRegion}
        placeholder={t("form.select")}
        options={organisationChoices(t).regions}
      />
      {afterRegion}
      <CheckboxGroup
        formId={formId}
        legend={labels.access}
        error={errors[accessField]}
        registration={register(accessField)}
        checkedValues={values.access}
        options={accessOptions.map((option) => ({ value: option, label: t(`access.${option}`) }))}
      />
    </>
  );
}
