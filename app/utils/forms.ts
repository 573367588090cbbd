import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormValues = { [key: string]: string | string[] | FormValues | FormValues[] };

const unsafeKeys = new Set(["__proto__", "prototype", "constructor"]);

/**
 * Field names use react-hook-form's dot paths ("windows.0.start", "topics.t1.level"), which
 * become nested objects and arrays here; repeated keys (checkbox groups) become string arrays.
 * Row numbers a hand-made request skips are no rows: arrays come back without holes, so no
 * reader meets `undefined` in the middle of a list.
 */
export function formDataToObject(formData: FormData): FormValues {
  const result: FormValues = {};
  const lists: unknown[][] = [];
  for (const [name, value] of formData) {
    if (typeof value !== "string") continue;
    const path = name.split(".");
    if (path.some((part) => part === "" || unsafeKeys.has(part)) || path.length > 4) continue;
    let node: Record<string, unknown> = result;
    path.forEach((part, depth) => {
      const isLast = depth === path.length - 1;
      if (isLast) {
        const existing = node[part];
        if (existing === undefined) node[part] = value;
        else if (typeof existing === "string") node[part] = [existing, value];
        else if (Array.isArray(existing) && existing.every((item) => typeof item === "string")) existing.push(value);
        return;
      }
      const nextIsIndex = /^\d{1,3}$/.test(path[depth + 1] ?? "");
      const child = node[part];
      if (typeof child !== "object" || child === null) {
        node[part] = nextIsIndex ? [] : {};
        if (nextIsIndex) lists.push(node[part] as unknown[]);
      }
      node = node[part] as Record<string, unknown>;
    });
  }
  for (const list of lists) list.splice(0, list.length, ...list.filter(() => true));
  return result;
}

/**
 * The submitted form. A body that is not a form (JSON, plain text, a broken multipart body) reads
 * as an empty one, so the action answers as it does any incomplete submission: 400 with the
 * messages of the fields it needs, never a 500.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    return new FormData();
  }
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
  | { success: true; data: T; values: FormValues }
  | { success: false; errors: FieldErrors; values: FormValues };

/** Parses a submission with the form's zod schema; `values` echo the input so nothing typed is lost. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, formData: FormData): ParsedForm<z.output<S>> {
  const values = formDataToObject(formData);
  const result = schema.safeParse(values);
  if (result.success) return { success: true, data: result.data, values };
  return { success: false, errors: firstErrorPerField(result.error), values };
}

/** Echoed values without secrets, for re-filling a form after a failed submission. */
export function withoutSecrets(values: FormValues) {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !/password/i.test(key)));
}

type EchoedValues = { [key: string]: unknown } | undefined;

/** Reads one echoed text value back out of a failed submission, for a field's default. */
export function echoedText(values: EchoedValues, name: string) {
  const value = values?.[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads an echoed checkbox group: nothing ticked arrives as no value at all. */
export function echoedList(values: EchoedValues, name: string) {
  const value = values?.[name];
  return ([] as unknown[]).concat(value ?? []).filter((item): item is string => typeof item === "string");
}
