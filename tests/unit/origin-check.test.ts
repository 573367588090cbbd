import { describe, expect, it } from "vitest";
import { isAllowedOrigin } from "~/utils/origin-check";

const expectedOrigin = "https://tandem.example";

describe("isAllowedOrigin", () => {
  it("lets reads through whatever their origin", () => {
    expect(isAllowedOrigin({ method: "GET", origin: "https://evil.example", referer: undefined, expectedOrigin })).toBe(true);
  });

  it("accepts a POST from our own origin", () => {
    expect(isAllowedOrigin({ method: "POST", origin: expectedOrigin, referer: undefined, expectedOrigin })).toBe(true);
  });

  it("refuses a POST from another origin, even with our Referer", () => {
    expect(
      isAllowedOrigin({ method: "POST", origin: "https://evil.example", referer: `${expectedOrigin}/x`, expectedOrigin }),
    ).toBe(false);
  });

  it("falls back to the Referer when there is no Origin", () => {
    expect(isAllowedOrigin({ method: "POST", origin: undefined, referer: `${expectedOrigin}/login`, expectedOrigin })).toBe(true);
    expect(isAllowedOrigin({ method: "DELETE", origin: "null", referer: "https://evil.example/", expectedOrigin })).toBe(false);
  });

  it("refuses a write that names no origin at all", () => {
    expect(isAllowedOrigin({ method: "POST", origin: undefined, referer: undefined, expectedOrigin })).toBe(false);
  });

  it("does not accept a look-alike origin", () => {
    expect(
      isAllowedOrigin({ method: "POST", origin: "https://tandem.example.evil.example", referer: undefined, expectedOrigin }),
    ).toBe(false);
  });
});
