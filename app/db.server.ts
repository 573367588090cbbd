import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import * as schema from "~db/schema";
import { getEnv } from "~/env.server";

export type TandemDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export function openDatabase(filePath: string): TandemDatabase {
  fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const sqlite = new Database(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // SQLite's lower() folds ASCII only; searches must also match "Özdemir" when typed "özdemir".
  sqlite.function("unicode_lower", { deterministic: true }, (value: unknown) =>
    typeof value === "string" ? value.toLocaleLowerCase("de") : value,
  );
  return drizzle(sqlite, { schema });
}

// One connection per process; kept on globalThis so dev-mode rebuilds do not leak handles.
const globalForDb = globalThis as unknown as { tandemDb?: TandemDatabase };

export function getDb(): TandemDatabase {
  globalForDb.tandemDb ??= openDatabase(getEnv().DATABASE_PATH);
  return globalForDb.tandemDb;
}
