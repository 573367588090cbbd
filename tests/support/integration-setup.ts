/**
 * Every integration test file gets its own freshly migrated SQLite file, so files can run in
 * parallel workers without seeing each other's rows.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { getDb } from "~/db.server";
import { migrateDatabase } from "~db/migrate";

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-integration-"));
process.env.DATABASE_PATH = path.join(folder, "tandem.db");
process.env.NODE_ENV = "test";

migrateDatabase(getDb());

afterAll(() => {
  getDb().$client.close();
  fs.rmSync(folder, { recursive: true, force: true });
});
