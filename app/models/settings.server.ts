import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "~/db.server";
import { getEnv } from "~/env.server";
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
