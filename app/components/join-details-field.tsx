import type { UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { TextField } from "~/components/form-fields";

/** Where the coach says how to join a session: offering times, confirming a requester's pick, or later. */
export function JoinDetailsField({ formId, registration, error, defaultValue }: { formId: string; registration: UseFormRegisterReturn; error?: string; defaultValue?: string }) {
  const { t } = useTranslation();
  return (
    <TextField
      formId={formId}
      label={t("sessions.joinDetails")}
      hint={t("sessions.joinDetailsHint")}
      registration={registration}
      error={error}
      defaultValue={defaultValue}
      autoComplete="off"
    />
  );
}
