import { describe, expect, it } from "vitest";
import { signupSchema, passwordChangeSchema, profileSchema } from "~/schemas/account";
import { organisationSchema } from "~/schemas/organisation";
import { formDataToObject, parseForm, withoutSecrets } from "~/utils/forms";

function formData(entries: [string, string][]) {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

const validSignup: [string, string][] = [
  ["name", "  Anna Beispiel "],
  ["email", " Anna@Verein.Example "],
  ["password", "ein langes Passwort"],
  ["locale", "de"],
  ["timeZone", "Europe/Berlin"],
  ["roles", "coach"],
  ["roles", "requester"],
  ["consent", "yes"],
];

describe("formDataToObject", () => {
  it("turns repeated keys into arrays and keeps single values as strings", () => {
    expect(formDataToObject(formData([["a", "1"], ["b", "2"], ["b", "3"]]))).toEqual({ a: "1", b: ["2", "3"] });
  });

  it("builds arrays and objects from react-hook-form's dot paths", () => {
    const parsed = formDataToObject(
      formData([
        ["windows.0.weekday", "1"],
        ["windows.0.start", "18:00"],
        ["windows.1.weekday", "3"],
        ["topics.topic-mobile.level", "2"],
        ["topics.topic-mobile.note", "App eingeführt"],
      ]),
    );
    expect(parsed).toEqual({
      windows: [{ weekday: "1", start: "18:00" }, { weekday: "3" }],
      topics: { "topic-mobile": { level: "2", note: "App eingeführt" } },
    });
  });

  it("ignores prototype keys, empty segments and over-deep paths", () => {
    const parsed = formDataToObject(
      formData([
        ["__proto__.polluted", "yes"],
        ["a..b", "1"],
        ["a.b.c.d.e", "1"],
        ["constructor.prototype.x", "1"],
        ["ok", "1"],
      ]),
    );
    expect(parsed).toEqual({ ok: "1" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("signup schema", () => {
  it("accepts a complete sign-up and normalises name and email", () => {
    const result = parseForm(signupSchema, formData(validSignup));
    expect(result.success && result.data).toMatchObject({
      name: "Anna Beispiel",
      email: "anna@verein.example",
      roles: ["coach", "requester"],
      consent: true,
    });
  });

  it("explains each problem with a catalogue key beside its field", () => {
    const result = parseForm(
      signupSchema,
      formData([["name", " "], ["email", "not-an-email"], ["password", "short"], ["locale", "fr"], ["timeZone", "Mars/Olympus"]]),
    );
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.errors).toEqual({
      name: "errors.required",
      email: "errors.emailInvalid",
      password: "errors.passwordTooShort",
      locale: "errors.localeInvalid",
      timeZone: "errors.timeZoneInvalid",
      roles: "errors.rolesRequired",
      consent: "errors.consentRequired",
    });
  });

  it("refuses roles a user may not choose for themselves", () => {
    const entries = validSignup.filter(([key]) => key !== "roles").concat([["roles", "team"]]);
    const result = parseForm(signupSchema, formData(entries));
    expect(result.success).toBe(false);
  });

  it("limits long input with the limit in the message", () => {
    const entries = validSignup.map(([key, value]): [string, string] => [key, key === "name" ? "x".repeat(101) : value]);
    const result = parseForm(signupSchema, formData(entries));
    expect(!result.success && result.errors.name).toBe("errors.tooLong:100");
  });

  it("accepts the values react-hook-form produces in the browser", () => {
    const result = signupSchema.safeParse({
      name: "Anna",
      email: "anna@verein.example",
      password: "ein langes Passwort",
      locale: "en",
      timeZone: "Europe/Vienna",
      roles: ["coach"],
      consent: true,
    });
    expect(result.success).toBe(true);
    expect(signupSchema.safeParse({ ...result.data, consent: false, roles: false }).success).toBe(false);
  });
});

describe("other account schemas", () => {
  it("requires the repeated new password to match", () => {
    const result = passwordChangeSchema.safeParse({
      currentPassword: "old",
      newPassword: "a new long password",
      newPasswordConfirm: "a different one!",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["newPasswordConfirm"], message: "errors.passwordMismatch" });
  });

  it("reports a mismatch together with other problems, not only once they are fixed", () => {
    const result = passwordChangeSchema.safeParse({ currentPassword: "", newPassword: "short", newPasswordConfirm: "other" });
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["currentPassword", "errors.required"],
      ["newPassword", "errors.passwordTooShort"],
      ["newPasswordConfirm", "errors.passwordMismatch"],
    ]);
  });

  it("treats an empty HumHub user name as none and refuses spaces in it", () => {
    const base = { name: "Anna", locale: "de", timeZone: "Europe/Berlin" };
    expect(profileSchema.parse({ ...base, humhubUsername: "" }).humhubUsername).toBeNull();
    expect(profileSchema.parse({ ...base, humhubUsername: "anna.beispiel" }).roles).toEqual([]);
    expect(profileSchema.safeParse({ ...base, humhubUsername: "anna beispiel" }).success).toBe(false);
  });
});

describe("organisation schema", () => {
  const organisation = { name: "Sportverein Musterhausen", kind: "association", sizeBand: "upTo50", region: "DE-NW" };

  it("accepts an organisation without a website", () => {
    expect(organisationSchema.parse({ ...organisation, website: "" }).website).toBeNull();
  });

  it.each(["javascript:alert(1)", "verein.example", "https://localhost"])("refuses the website %s", (website) => {
    const result = organisationSchema.safeParse({ ...organisation, website });
    expect(result.error?.issues[0]?.message).toBe("errors.urlInvalid");
  });

  it("refuses kinds and regions outside the lists", () => {
    const result = organisationSchema.safeParse({ ...organisation, kind: "company", region: "DE-XX" });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["errors.choiceInvalid", "errors.choiceInvalid"]);
  });
});

describe("withoutSecrets", () => {
  it("never echoes passwords back into a form", () => {
    expect(withoutSecrets({ email: "a@b.example", password: "x", newPasswordConfirm: "y" })).toEqual({ email: "a@b.example" });
  });
});
