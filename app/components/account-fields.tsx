import type { FieldValues, UseFormRegister, UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { CheckboxGroup, SelectField, TextField } from "~/components/form-fields";
import { selfChosenRoles } from "~/schemas/account";
import type { FieldErrors } from "~/utils/forms";
import { localeCodes } from "~db/schema";

type SharedProps = { formId: string; register: UseFormRegister<FieldValues>; errors: FieldErrors };

/** Language and time zone, as chosen at sign-up and changed in the account settings. */
export function LocaleAndTimeZoneFields({
  formId,
  register,
  errors,
  locale,
  timeZone,
  timeZones,
}: SharedProps & { locale: string; timeZone: string; timeZones: string[] }) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        formId={formId}
        label={t("signup.locale")}
        error={errors.locale}
        registration={register("locale")}
        defaultValue={locale}
        options={localeCodes.map((code) => ({ value: code, label: t(`locales.${code}`) }))}
      />
      <SelectField
        formId={formId}
        label={t("signup.timeZone")}
        hint={t("signup.timeZoneHint")}
        error={errors.timeZone}
        registration={register("timeZone")}
        defaultValue={timeZone}
        options={timeZones.map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }))}
      />
    </>
  );
}

/** The roles people give themselves; the team role is only ever granted by the team. */
export function SelfChosenRolesField({
  formId,
  register,
  errors,
  legend,
  hint,
  checkedRoles,
}: SharedProps & { legend: string; hint?: string; checkedRoles: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <CheckboxGroup
      formId={formId}
      legend={legend}
      hint={hint}
      error={errors.roles}
      registration={register("roles")}
      checkedValues={checkedRoles}
      options={selfChosenRoles.map((role) => ({
        value: role,
        label: role === "coach" ? t("signup.roleCoach") : t("signup.roleRequester"),
      }))}
    />
  );
}

/** The password a signed-in person types to confirm a change only they may make. */
export function CurrentPasswordField({ formId, error, registration }: { formId: string; error?: string; registration: UseFormRegisterReturn }) {
  const { t } = useTranslation();
  return (
    <TextField
      formId={formId}
      label={t("settings.currentPassword")}
      type="password"
      autoComplete="current-password"
      required
      error={error}
      registration={registration}
    />
  );
}
