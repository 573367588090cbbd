/**
 * `npm start`: build when the sources are newer than the build, migrate, seed an empty
 * database with demo data, then serve.
 */
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { buildEntry, buildIfNeeded } from "~/cli/build-if-needed";
import { createHttpApp } from "~/cli/http-server";
import { getDb } from "~/db.server";
import { getEnv } from "~/env.server";
import { deliverDueOutbox } from "~/models/humhub-outbox.server";
import { expireOverdueMatches } from "~/models/match.server";
import { applyRetention } from "~/models/privacy.server";
import { getSessionSecret } from "~/models/settings.server";
import { migrateDatabase } from "~db/migrate";
import { demoLogins, demoPassword, seedDemoData } from "~db/seed";

const expiryCheckIntervalMs = 5 * 60_000;
// Actions ask for delivery right after their commit; this picks up retries that came due and rows left by a restart.
const outboxCheckIntervalMs = 10_000;
// The retention rule counts in months; once a day (and at every start) is precise enough.
const retentionIntervalMs = 24 * 60 * 60_000;

async function main() {
  // An optional .env beside package.json, for operators without a process manager.
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  let env;
  try {
    env = getEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (!process.argv.includes("--no-build")) buildIfNeeded();

  const db = getDb();
  migrateDatabase(db);
  getSessionSecret();
  const seeded = await seedDemoData(db);
  if (seeded.seeded) {
    console.log(
      `Seeded demo data: ${seeded.users} people in ${seeded.organisations} organisations, ${seeded.requests} coaching requests.`,
    );
    console.log(`Demo logins (password for all: ${demoPassword}):`);
    for (const { email, role } of demoLogins) console.log(`  ${email.padEnd(28)} ${role}`);
  }

  const build = (await import(pathToFileURL(buildEntry).href)) as ServerBuild;
  const app = createHttpApp({
    build,
    mode: env.NODE_ENV,
    publicOrigin: env.PUBLIC_URL,
    trustProxy: env.TRUST_PROXY,
  });
  const server = app.listen(env.PORT, env.HOST, () => {
    const shownHost = env.HOST === "127.0.0.1" || env.HOST === "0.0.0.0" ? "localhost" : env.HOST;
    console.log(`Tandem is ready at http://${shownHost}:${env.PORT}`);
  });
  // Pages expire overdue proposals when they are read; this catches those nobody looks at.
  const expiryTimer = setInterval(() => expireOverdueMatches(), expiryCheckIntervalMs);
  expiryTimer.unref();
  const deliverOutbox = () => deliverDueOutbox().catch((error: unknown) => console.error("HumHub delivery failed:", error));
  void deliverOutbox();
  const outboxTimer = setInterval(deliverOutbox, outboxCheckIntervalMs);
  outboxTimer.unref();
  const runRetention = () => {
    try {
      const redacted = applyRetention();
      if (redacted > 0) console.log(`Retention: removed the free text of ${redacted} closed requests.`);
    } catch (error) {
      console.error("The retention job failed:", error);
    }
  };
  runRetention();
  const retentionTimer = setInterval(runRetention, retentionIntervalMs);
  retentionTimer.unref();
  const shutDown = () => {
    server.close(() => {
      db.$client.close();
      process.exit(0);
    });
  };
  process.on("SIGTERM", shutDown);
  process.on("SIGINT", shutDown);
}

await main();
