/**
 * Hostile input for form fields and route parameters: what a careless or malicious client can send that a browser
 * filling in the form would not. Used by tests/system/bad-input.test.ts.
 *
 * A form is a list of [name, value] pairs, sent urlencoded as a browser sends it. A value is text (percent-encoded
 * here) or `{ raw }`, bytes already percent-encoded, the only way to send bytes that are not UTF-8.
 */

export type FieldValue = string | { raw: string };
export type FormField = readonly [name: string, value: FieldValue];

/** Bytes exactly as given: "%C3%28" is a broken two-byte sequence, not the text "%C3%28". */
export const raw = (encoded: string): FieldValue => ({ raw: encoded });

export function encodeForm(fields: readonly FormField[]) {
  const encode = (value: FieldValue) => (typeof value === "string" ? encodeURIComponent(value) : value.raw);
  return fields.map(([name, value]) => `${encodeURIComponent(name)}=${encode(value)}`).join("&");
}

export const oneMegabyte = "x".repeat(1024 * 1024);

/**
 * Text that runs script if a page ever puts it into HTML unescaped (each part sets `window.__xss`), with SQL that
 * breaks a query built by concatenation, ending in `tag` so a page can be checked for exactly this field's text.
 * Short fields get a shorter form that still carries an event handler and a quote.
 */
export function storedPayload(tag: string, max: number) {
  const full = `<script>window.__xss=1</script><img src=x onerror="window.__xss=1"><svg onload=window.__xss=1>'"; DROP TABLE users; -- ' OR 1=1 -- ${tag}`;
  const short = `<img src=x onerror=__xss=1>' OR 1=1 -- ${tag}`;
  const text = full.length <= max ? full : short;
  if (text.length > max) throw new Error(`no payload fits ${max} characters for ${tag}`);
  return text;
}

/** Values a spreadsheet would run as a formula if an export wrote them as they are. */
export const formulaTexts = ['=HYPERLINK("https://evil.example","Tandem")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0"];

/** How one variant changes a form: leave the field out, send other values in its place, or send it as an object. */
export type Change = { omit: true } | { values: FieldValue[] } | { nested: true };

export type Variant = { payload: string; change: Change };

/** Applies a change to the field `name` of a form (its dot-path children count as the field, too). */
export function applyChange(fields: readonly FormField[], name: string, change: Change): FormField[] {
  const isField = ([field]: FormField) => field === name || field.startsWith(`${name}.`);
  const position = Math.max(0, fields.findIndex(isField));
  const others = fields.filter((field) => !isField(field));
  const replacement: FormField[] =
    "omit" in change ? [] : "nested" in change ? [[`${name}.x`, "1"]] : change.values.map((value) => [name, value] as const);
  return [...others.slice(0, position), ...replacement, ...others.slice(position)];
}

const one = (payload: string, value: FieldValue): Variant => ({ payload, change: { values: [value] } });
const missing: Variant[] = [{ payload: "missing", change: { omit: true } }];
const empty: Variant[] = [one("empty", ""), one("blank", " \t ")];
const wrongShape: Variant[] = [
  { payload: "array instead of text", change: { values: ["a", "b"] } },
  { payload: "object instead of text", change: { nested: true } },
];
const huge = [one("1 MB", oneMegabyte)];
/** Bytes no browser sends in a form (it sends valid UTF-8 and no control characters in text fields). */
const badCharacters: Variant[] = [
  one("NUL", "abc\u0000def"),
  one("control characters", "abc\u0007\u001b[2Jdef"),
  one("invalid UTF-8 (C3 28)", raw("abc%C3%28def")),
  one("invalid UTF-8 (FF FE)", raw("%FF%FEabc")),
  one("lone surrogate (ED A0 80)", raw("abc%ED%A0%80def")),
];
/** Free text takes every one of them; a field with a fixed format gets one of each sort. */
const badFormatCharacters = [badCharacters[0]!, badCharacters[2]!];
const injections: Variant[] = [
  one("script", "<script>window.__xss=1</script>"),
  one("SQL quote", "' OR 1=1 --"),
  one("[object Object]", "[object Object]"),
];

/**
 * What a field holds, as far as hostile input is concerned. Each kind yields only values the form must refuse; text
 * that is valid but dangerous (markup, SQL) is stored on purpose by the valid submission and checked where it shows.
 */
export type FieldKind =
  | { kind: "text"; max: number; required: boolean }
  | { kind: "secret"; max: number }
  | { kind: "email" }
  | { kind: "url"; max: number }
  | { kind: "choice"; required: boolean }
  | { kind: "checkboxes"; required: boolean }
  | { kind: "tick"; required: boolean }
  | { kind: "date"; required: boolean }
  | { kind: "time" }
  | { kind: "timeZone" }
  | { kind: "integer"; min: number; max: number }
  | { kind: "instant" }
  | { kind: "reference"; others?: () => string[] };

export function hostileVariants(field: FieldKind): Variant[] {
  // Numbers no form takes: below zero, not whole, beyond what a double or a safe integer holds, not a number.
  const numberAbuse = [
    one("negative", "-1"),
    one("fraction", "1.5"),
    one("1e308", "1e308"),
    one("beyond 2^53", "9007199254740993"),
    one("NaN", "NaN"),
  ];
  switch (field.kind) {
    case "text":
      return [
        ...(field.required ? [...missing, ...empty] : []),
        ...wrongShape,
        one(`${field.max + 1} characters`, "x".repeat(field.max + 1)),
        ...huge,
        ...badCharacters,
      ];
    case "secret":
      return [...missing, one("empty", ""), ...wrongShape, one(`${field.max + 1} characters`, "x".repeat(field.max + 1)), ...huge];
    case "email":
      return [
        ...missing,
        ...empty,
        ...wrongShape,
        ...huge,
        ...badCharacters,
        one("no address", "not-an-email"),
        one("script", "<script>alert(1)</script>@evil.example"),
        one("SQL quote", "a@b.example' OR 1=1 --"),
        one("header injection", "a@b.example\r\nBcc: c@d.example"),
      ];
    case "url":
      return [
        ...wrongShape,
        ...huge,
        ...badCharacters,
        one(`${field.max + 1} characters`, `https://evil.example/${"x".repeat(field.max)}`),
        one("javascript: URL", "javascript:window.__xss=1"),
        one("data: URL", "data:text/html,<script>window.__xss=1</script>"),
        one("not a URL", "<script>window.__xss=1</script>"),
      ];
    case "choice":
      return [
        ...(field.required ? [...missing, one("empty", "")] : []),
        one("unknown value", "nope"),
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        ...injections,
      ];
    case "checkboxes":
      return [
        ...(field.required ? [...missing, { payload: "object instead of list", change: { nested: true } } as Variant] : []),
        one("unknown value", "nope"),
        ...huge,
        ...badFormatCharacters,
        ...injections,
      ];
    case "tick":
      // A single checkbox is ticked by any value at all; only leaving it out (or empty) is "not ticked".
      return field.required ? [...missing, one("empty", "")] : [];
    case "date":
      return [
        ...(field.required ? [...missing, one("empty", "")] : []),
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        ...injections,
        ...["2027-02-29", "2027-13-01", "2027-04-31"].map((date) => one(`impossible date ${date}`, date)),
        // A local time in the gap of a daylight-saving change, a German date and a number are no calendar dates either.
        ...["2027-03-28T02:30", "08.03.2027", "1e308"].map((date) => one(`not a calendar date ${date}`, date)),
      ];
    case "time":
      return [
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        ...["24:01", "25:61", "-1:00", "6 pm"].map((time) => one(`impossible time ${time}`, time)),
      ];
    case "timeZone":
      return [
        ...missing,
        one("empty", ""),
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        ...injections,
        ...["Mars/Olympus", "UTC+25:00", "../../../etc/passwd"].map((zone) => one(`unknown time zone ${zone}`, zone)),
      ];
    case "integer":
      return [
        ...missing,
        ...empty,
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        one("below the range", String(field.min - 1)),
        one("above the range", String(field.max + 1)),
        ...numberAbuse,
        one("words", "zwölf"),
      ];
    case "instant":
      return [
        ...missing,
        one("empty", ""),
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        ...numberAbuse,
        one("a date, not an instant", "2027-03-28T02:30"),
        one("not offered (epoch)", "0"),
      ];
    case "reference":
      return [
        ...missing,
        one("empty", ""),
        ...wrongShape,
        ...huge,
        ...badFormatCharacters,
        ...injections,
        one("unknown id", "00000000-0000-0000-0000-000000000000"),
        one("path traversal", "../../etc/passwd"),
        ...(field.others?.() ?? []).map((id, index) => one(`someone else's id ${index + 1}`, id)),
      ];
  }
}

/**
 * Route parameters as they appear in a path (already percent-encoded where needed); `others` are ids that exist
 * but belong to someone else.
 */
export function hostileParameters(others: string[] = []): { payload: string; segment: string }[] {
  return [
    { payload: "unknown id", segment: "00000000-0000-0000-0000-000000000000" },
    { payload: "NUL", segment: "%00" },
    { payload: "path traversal", segment: "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd" },
    { payload: "SQL quote", segment: encodeURIComponent("' OR 1=1 --") },
    { payload: "script", segment: encodeURIComponent("<script>window.__xss=1</script>") },
    { payload: "invalid UTF-8", segment: "%C3%28" },
    { payload: "broken percent-encoding", segment: "%E0%A4%A" },
    { payload: "negative number", segment: "-1" },
    { payload: "huge number", segment: "1e308" },
    { payload: "8 KB", segment: "x".repeat(8 * 1024) },
    { payload: "1 MB", segment: oneMegabyte },
    ...others.map((segment, index) => ({ payload: `someone else's id ${index + 1}`, segment })),
  ];
}
