import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** Repeated keys (checkbox groups) become arrays; files are ignored. */
export function formDataToObject(formData: FormData) {
  const result: Record<string, string | string[]> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    const existing = result[key];
    if (existing === undefined) result[key] = value;
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

export function firstErrorPerField(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "form";
    errors[field] ??= issue.message;
  }
  return errors;
}

export type ParsedForm<T> =
  | { success: true; data: T; values: Record<string, string | string[]> }
  | { success: false; errors: FieldErrors; values: Record<string, string | string[]> };

/** Parses a submission with the form's zod schema; `values` echo the input so nothing typed is lost. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): ParsedForm<z.output<S>> {
  const values = formDataToObject(formData);
  const result = schema.safeParse(values);
  if (result.success) return { success: true, data: result.data, values };
  return { success: false, errors: firstErrorPerField(result.error), values };
}

/** Echoed values without secrets, for re-filling a form after a failed submission. */
export function withoutSecrets(values: Record<string, string | string[]>) {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !/password/i.test(key)));
}
