import type { FieldValues, UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { TextField } from "~/components/form-fields";
import type { FieldErrors } from "~/utils/forms";

type TopicValues = { labelDe?: string; labelEn?: string; descriptionDe?: string; descriptionEn?: string };

/** Both languages side by side; the English inputs carry lang="en" for screen readers. */
export function TopicFields({
  formId,
  register,
  errors,
  values,
}: {
  formId: string;
  register: UseFormRegister<FieldValues>;
  errors: FieldErrors;
  values: TopicValues;
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextField formId={formId} label={t("topics.labelDe")} required lang="de" error={errors.labelDe} registration={register("labelDe")} defaultValue={values.labelDe} />
      <TextField formId={formId} label={t("topics.labelEn")} required lang="en" error={errors.labelEn} registration={register("labelEn")} defaultValue={values.labelEn} />
      <TextField
        formId={formId}
        label={t("topics.descriptionDe")}
        hint={t("topics.descriptionHint")}
        required
        lang="de"
        error={errors.descriptionDe}
        registration={register("descriptionDe")}
        defaultValue={values.descriptionDe}
      />
      <TextField
        formId={formId}
        label={t("topics.descriptionEn")}
        hint={t("topics.descriptionHint")}
        required
        lang="en"
        error={errors.descriptionEn}
        registration={register("descriptionEn")}
        defaultValue={values.descriptionEn}
      />
    </>
  );
}
