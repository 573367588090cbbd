import { createHmac } from "node:crypto";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { getDb } from "~/db.server";
import { getSessionSecret } from "~/models/settings.server";
import { rateLimitHits } from "~db/schema";

export type RateLimitPolicy = { bucket: string; limit: number; windowMs: number };

const minute = 60_000;

/** After 10 failures for one account in 15 minutes, the 11th attempt is refused. */
export const failedLoginPerAccount: RateLimitPolicy = { bucket: "login:account", limit: 10, windowMs: 15 * minute };
export const failedLoginPerIp: RateLimitPolicy = { bucket: "login:ip", limit: 50, windowMs: 15 * minute };
export const signupPerIp: RateLimitPolicy = { bucket: "signup:ip", limit: 10, windowMs: 60 * minute };
/** Repeated sign-ups for one address would probe whether it has an account. */
export const signupPerAccount: RateLimitPolicy = { bucket: "signup:account", limit: 5, windowMs: 60 * minute };

const retentionMs = 24 * 60 * minute;

function hashKey(bucket: string, key: string) {
  return createHmac("sha256", getSessionSecret()).update(`${bucket}\n${key}`).digest("base64url");
}

export type RateLimitState = { limited: false } | { limited: true; retryAfterMinutes: number };

export function checkRateLimit(policy: RateLimitPolicy, key: string, now = new Date()): RateLimitState {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  const hits = getDb()
    .select({ at: rateLimitHits.at })
    .from(rateLimitHits)
    .where(
      and(
        eq(rateLimitHits.bucket, policy.bucket),
        eq(rateLimitHits.keyHash, hashKey(policy.bucket, key)),
        gte(rateLimitHits.at, windowStart),
      ),
    )
    .orderBy(asc(rateLimitHits.at))
    .all();
  if (hits.length < policy.limit) return { limited: false };
  // The window frees up when enough of the oldest hits have aged out.
  const freeingHit = hits[hits.length - policy.limit];
  const retryAfterMs = (freeingHit?.at.getTime() ?? now.getTime()) + policy.windowMs - now.getTime();
  return { limited: true, retryAfterMinutes: Math.max(1, Math.ceil(retryAfterMs / minute)) };
}

export function recordRateLimitHit(policy: RateLimitPolicy, key: string, now = new Date()) {
  const db = getDb();
  db.insert(rateLimitHits).values({ bucket: policy.bucket, keyHash: hashKey(policy.bucket, key), at: now }).run();
  db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - retentionMs))).run();
}

export function clearRateLimit(policy: RateLimitPolicy, key: string) {
  getDb()
    .delete(rateLimitHits)
    .where(and(eq(rateLimitHits.bucket, policy.bucket), eq(rateLimitHits.keyHash, hashKey(policy.bucket, key))))
    .run();
}
