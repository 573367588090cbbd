import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  checkRateLimit,
  clearRateLimit,
  failedLoginPerAccount,
  recordRateLimitHit,
} from "~/models/rate-limit.server";

const minute = 60_000;
let counter = 0;

function uniqueKey() {
  counter += 1;
  return `limited-${counter}-${Date.now()}@rate.example`;
}

function hitCount() {
  return (getDb().$client.prepare("SELECT count(*) AS n FROM rate_limit_hits").get() as { n: number }).n;
}

describe("failed-login rate limit per account", () => {
  it("is not limited after 9 failures in the window", () => {
    const key = uniqueKey();
    const now = new Date();
    for (let i = 0; i < 9; i++) recordRateLimitHit(failedLoginPerAccount, key, new Date(now.getTime() - i * minute));

    expect(checkRateLimit(failedLoginPerAccount, key, now)).toEqual({ limited: false });
  });

  it("is limited after 10 failures within 15 minutes, with a retry time of 1 to 15 minutes", () => {
    const key = uniqueKey();
    const now = new Date();
    for (let i = 0; i < 10; i++) recordRateLimitHit(failedLoginPerAccount, key, new Date(now.getTime() - i * minute));

    const state = checkRateLimit(failedLoginPerAccount, key, now);
    expect(state.limited).toBe(true);
    if (!state.limited) return;
    expect(state.retryAfterMinutes).toBeGreaterThanOrEqual(1);
    expect(state.retryAfterMinutes).toBeLessThanOrEqual(15);
    // The oldest hit is 9 minutes old, so the window frees up in 6 minutes.
    expect(state.retryAfterMinutes).toBe(6);
  });

  it("does not count hits older than the window", () => {
    const key = uniqueKey();
    const now = new Date();
    for (let i = 0; i < 10; i++) recordRateLimitHit(failedLoginPerAccount, key, new Date(now.getTime() - 16 * minute));

    expect(checkRateLimit(failedLoginPerAccount, key, now)).toEqual({ limited: false });
    // Looked at from the time of the hits, the same rows do limit.
    expect(checkRateLimit(failedLoginPerAccount, key, new Date(now.getTime() - 16 * minute)).limited).toBe(true);
    // One more fresh failure is still far below the limit.
    recordRateLimitHit(failedLoginPerAccount, key, now);
    expect(checkRateLimit(failedLoginPerAccount, key, now)).toEqual({ limited: false });
  });

  it("keeps separate counts per key", () => {
    const limitedKey = uniqueKey();
    const otherKey = uniqueKey();
    for (let i = 0; i < 10; i++) recordRateLimitHit(failedLoginPerAccount, limitedKey);

    expect(checkRateLimit(failedLoginPerAccount, limitedKey).limited).toBe(true);
    expect(checkRateLimit(failedLoginPerAccount, otherKey)).toEqual({ limited: false });
  });

  it("clearRateLimit lifts the limit for that key only", () => {
    const key = uniqueKey();
    const otherKey = uniqueKey();
    for (let i = 0; i < 10; i++) {
      recordRateLimitHit(failedLoginPerAccount, key);
      recordRateLimitHit(failedLoginPerAccount, otherKey);
    }
    expect(checkRateLimit(failedLoginPerAccount, key).limited).toBe(true);

    clearRateLimit(failedLoginPerAccount, key);

    expect(checkRateLimit(failedLoginPerAccount, key)).toEqual({ limited: false });
    expect(checkRateLimit(failedLoginPerAccount, otherKey).limited).toBe(true);
  });

  it("stores keys only as hashes", () => {
    const key = uniqueKey();
    const before = hitCount();
    recordRateLimitHit(failedLoginPerAccount, key);
    expect(hitCount()).toBe(before + 1);

    const rows = getDb().$client.prepare("SELECT * FROM rate_limit_hits ORDER BY id").all() as Record<string, unknown>[];
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(key.split("@")[0]!);
    const latest = rows.at(-1)!;
    expect(latest.bucket).toBe(failedLoginPerAccount.bucket);
    expect(typeof latest.key_hash).toBe("string");
    expect(latest.key_hash).not.toBe(key);
    expect((latest.key_hash as string).length).toBeGreaterThanOrEqual(32);
  });
});
