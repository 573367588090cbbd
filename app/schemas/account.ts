import { z } from "zod";
import {
  checkbox,
  checkboxGroup,
  currentPassword,
  email,
  locale,
  newPassword,
  optionalText,
  personName,
  timeZone,
  withCrossFieldChecks,
} from "~/schemas/fields";

export const selfChosenRoles = ["requester", "coach"] as const;

export const signupSchema = z.object({
  name: personName,
  email,
  password: newPassword,
  locale,
  timeZone,
  roles: checkboxGroup(selfChosenRoles).refine((roles) => roles.length > 0, "errors.rolesRequired"),
  consent: checkbox.pipe(z.literal(true, { errorMap: () => ({ message: "errors.consentRequired" }) })),
});

export const loginSchema = z.object({
  email,
  password: currentPassword,
});

export const profileSchema = z.object({
  name: personName,
  locale,
  timeZone,
  humhubUsername: optionalText(50).refine(
    (value) => value === null || /^[\p{L}\p{N}._-]+$/u.test(value),
    "errors.humhubUsernameInvalid",
  ),
  roles: checkboxGroup(selfChosenRoles),
});

export const passwordChangeSchema = withCrossFieldChecks(
  z.object({
    currentPassword,
    newPassword,
    newPasswordConfirm: z.string({ required_error: "errors.required", invalid_type_error: "errors.required" }),
  }),
  (raw) =>
    raw.newPassword === raw.newPasswordConfirm
      ? []
      : [{ path: ["newPasswordConfirm"], message: "errors.passwordMismatch" }],
);
