import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "~/db.server";
import { getEnv } from "~/env.server";
import { recordAuditEvent } from "~/models/audit.server";
import { appSettings } from "~db/schema";

export function getSetting(key: string) {
  return getDb().select().from(appSettings).where(eq(appSettings.key, key)).get()?.value ?? null;
}

export function setSetting(key: string, value: string) {
  getDb()
    .insert(appSettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } })
    .run();
}

/**
 * A group of settings kept as one JSON value. Values missing from what is stored (an older version wrote it) or no
 * longer valid fall back to the defaults, so adding a setting needs no migration.
 */
export function readSettingsGroup<T extends Record<string, unknown>>(key: string, schema: z.ZodObject<z.ZodRawShape>, defaults: T): T {
  const stored = getSetting(key);
  if (!stored) return { ...defaults };
  const parsed = schema.partial().safeParse(JSON.parse(stored));
  return { ...defaults, ...(parsed.success ? (parsed.data as Partial<T>) : {}) };
}

/** Saves a settings group and audits it with its value before and after, in one transaction. */
export function saveSettingsGroup<T>(key: string, { actorUserId, action, before, after }: { actorUserId: string; action: string; before: T; after: T }, now = new Date()) {
  getDb().transaction((tx) => {
    const value = JSON.stringify(after);
    tx.insert(appSettings)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now } })
      .run();
    recordAuditEvent(tx, { actorUserId, subjectUserId: null, action, detail: { before, after } });
  });
}

let cachedSecret: string | undefined;

/** SESSION_SECRET from the environment, or one generated on first start and kept in the database. */
export function getSessionSecret() {
  if (cachedSecret) return cachedSecret;
  const fromEnv = getEnv().SESSION_SECRET;
  if (fromEnv) return (cachedSecret = fromEnv);
  const db = getDb();
  db.insert(appSettings)
    .values({ key: "session_secret", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing()
    .run();
  cachedSecret = getSetting("session_secret") ?? undefined;
  if (!cachedSecret) throw new Error("The session secret could not be stored.");
  return cachedSecret;
}

/** The environment's imprint wins, so an operator can pin it in deployment. */
export function getImprint() {
  return { text: getEnv().IMPRINT_TEXT ?? getSetting("imprint_text"), fromEnv: Boolean(getEnv().IMPRINT_TEXT) };
}
