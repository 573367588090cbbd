import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env.server";

describe("parseEnv", () => {
  it("fills in the documented defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ DATABASE_PATH: "./data/tandem.db", PORT: 3000, HOST: "127.0.0.1", TRUST_PROXY: false });
    expect(env.COOKIE_SECURE).toBeUndefined();
  });

  it("reads flags and normalises PUBLIC_URL to its origin", () => {
    const env = parseEnv({ COOKIE_SECURE: "true", TRUST_PROXY: "1", PUBLIC_URL: "https://tandem.example/some/path" });
    expect(env.COOKIE_SECURE).toBe(true);
    expect(env.TRUST_PROXY).toBe(true);
    expect(env.PUBLIC_URL).toBe("https://tandem.example");
  });

  it("names every bad variable in one message", () => {
    expect(() => parseEnv({ PORT: "seventy", SESSION_SECRET: "short", COOKIE_SECURE: "yes" })).toThrowError(
      /PORT[\s\S]*SESSION_SECRET: must be at least 32 characters[\s\S]*COOKIE_SECURE: must be true or false/,
    );
  });
});
