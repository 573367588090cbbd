import { z } from "zod";
import { localeCodes } from "~db/schema";

/**
 * Shared field rules. Messages are catalogue keys ("errors.x", or "errors.x:max" with a
 * parameter) so the same schema yields translated messages on the server and in the browser.
 */
/**
 * Characters nobody types into a form: control characters other than tab and line breaks, and U+FFFD, which is what
 * bytes that are not UTF-8 become when the form is read (lone surrogates cannot even arrive in UTF-8). Stored, they
 * would travel on into pages, calendar files, CSV exports and HumHub posts.
 */
const untypeableCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF]|\p{Cs}/u;

export const isTypedText = (value: string) => !untypeableCharacter.test(value);

export const requiredText = (max: number) =>
  z
    .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
    .trim()
    .min(1, "errors.required")
    .max(max, `errors.tooLong:${max}`)
    .refine(isTypedText, "errors.textInvalid");

export const optionalText = (max: number) =>
  z
    .string({ invalid_type_error: "errors.required" })
    .trim()
    .max(max, `errors.tooLong:${max}`)
    .refine(isTypedText, "errors.textInvalid")
    .optional()
    .transform((value) => (value ? value : null));

export const personName = requiredText(100).pipe(z.string().min(1, "errors.nameRequired"));

export const email = z
  .string({ required_error: "errors.emailInvalid", invalid_type_error: "errors.emailInvalid" })
  .trim()
  .toLowerCase()
  .max(254, "errors.emailInvalid")
  .email("errors.emailInvalid");

/** A password typed to prove who one is (log-in, changes that need it): checked against the hash, so only bounded. */
export const currentPassword = z
  .string({ required_error: "errors.required", invalid_type_error: "errors.required" })
  .min(1, "errors.required")
  .max(200, "errors.passwordTooLong");

export const newPassword = z
  .string({ required_error: "errors.passwordTooShort", invalid_type_error: "errors.passwordTooShort" })
  .min(10, "errors.passwordTooShort")
  .max(200, "errors.passwordTooLong");

export const locale = z.enum(localeCodes, { errorMap: () => ({ message: "errors.localeInvalid" }) });

export function isValidTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z
  .string({ required_error: "errors.timeZoneInvalid", invalid_type_error: "errors.timeZoneInvalid" })
  .refine((value) => value.length <= 64 && isValidTimeZone(value), "errors.timeZoneInvalid");

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: "errors.choiceInvalid" }) });

/**
 * A checkbox group arrives as a string, several strings, nothing, or (in react-hook-form) false.
 * An unknown value is reported on the group, where the person sees it.
 */
export const checkboxGroup = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (value) => (Array.isArray(value) ? value : typeof value === "string" ? [value] : []),
    z
      .array(z.string({ invalid_type_error: "errors.choiceInvalid" }))
      .refine((items) => items.every((item) => (values as readonly string[]).includes(item)), "errors.choiceInvalid")
      .transform((items) => [...new Set(items)] as T[number][]),
  );

/** A single checkbox: the browser sends its value when ticked, nothing otherwise. */
export const checkbox = z.preprocess(
  (value) => value === true || (typeof value === "string" && value.length > 0),
  z.boolean(),
);

/** A real calendar day as YYYY-MM-DD; 2026-02-30 is refused rather than rolled into March. */
export const calendarDate = optionalText(10).refine((value) => {
  if (value === null) return true;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}, "errors.dateInvalid");

export type CrossFieldIssue = { path: (string | number)[]; message: string };

/**
 * zod skips an object's refinements once any field failed, so a person would fix one batch of
 * errors only to meet the next. This runs cross-field checks on the raw input every time and
 * reports all problems together.
 */
export function withCrossFieldChecks<S extends z.ZodTypeAny>(base: S, check: (raw: Record<string, unknown>) => CrossFieldIssue[]) {
  return z.unknown().transform((raw, context): z.output<S> => {
    const result = base.safeParse(raw);
    const input = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
    const issues = [...(result.success ? [] : result.error.issues), ...check(input)];
    for (const issue of issues) context.addIssue({ code: "custom", path: issue.path, message: issue.message });
    return issues.length === 0 && result.success ? result.data : z.NEVER;
  });
}

/** A whole number of up to three digits within a range, typed into a form; an empty field is an error, not 0. */
export const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string({ required_error: message, invalid_type_error: message })
    .trim()
    .regex(/^\d{1,3}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
