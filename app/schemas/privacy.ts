import { z } from "zod";
import { checkbox, currentPassword, wholeNumber } from "~/schemas/fields";

/** How long closed requests keep their free text, in months; shared by the stored setting and the team's form. */
export const retentionLimits = { minMonths: 1, maxMonths: 120, defaultMonths: 24 } as const;

export const retentionFormSchema = z.object({
  retentionMonths: wholeNumber(retentionLimits.minMonths, retentionLimits.maxMonths, "privacy.retentionSettings.monthsInvalid"),
});

/** Deleting an account asks for the password (a borrowed, unlocked device cannot do it) and an explicit tick. */
export const accountDeletionSchema = z.object({
  currentPassword,
  confirm: checkbox.pipe(z.literal(true, { errorMap: () => ({ message: "privacy.account.confirmRequired" }) })),
});
