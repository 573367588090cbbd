import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/utils/safe-redirect";

describe("safeRedirect", () => {
  it.each(["/dashboard", "/organisations/abc?tab=members", "/"])("keeps the local path %s", (path) => {
    expect(safeRedirect(path)).toBe(path);
  });

  it.each([
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "dashboard",
    "/foo\nSet-Cookie: x=1",
    "",
    null,
    undefined,
  ])("falls back for %s", (target) => {
    expect(safeRedirect(target, "/home")).toBe("/home");
  });
});
