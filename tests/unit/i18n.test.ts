import { describe, expect, it } from "vitest";
import de from "~/i18n/de";
import en from "~/i18n/en";
import { createI18n } from "~/i18n/i18n";

function keysOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

describe("message catalogues", () => {
  it("have the same keys in German and English", () => {
    expect(keysOf(en).sort()).toEqual(keysOf(de).sort());
  });

  it("have no empty message", () => {
    for (const catalogue of [de, en]) {
      for (const key of keysOf(catalogue)) {
        const message = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue);
        expect(message, key).not.toBe("");
      }
    }
  });

  it("use the library's plural rules", () => {
    expect(createI18n("de").t("errors.rateLimited", { count: 1 })).toContain("1 Minute ");
    expect(createI18n("de").t("errors.rateLimited", { count: 15 })).toContain("15 Minuten");
    expect(createI18n("en").t("organisations.members", { count: 1 })).toBe("1 member");
    expect(createI18n("en").t("organisations.members", { count: 0 })).toBe("0 members");
  });
});
