/**
 * `npm run db:backup -- FILE [--force]`: a consistent copy of the database at DATABASE_PATH while Tandem keeps
 * serving, through SQLite's online backup API, checked with `PRAGMA integrity_check` before it takes FILE's name.
 * Exit codes: 0 done, 1 the backup failed (nothing at FILE changed), 2 wrong arguments.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { openDatabase } from "~/db.server";
import { getEnv } from "~/env.server";

const usage = "Usage: npm run db:backup -- FILE [--force]   (--force replaces an existing FILE)";

/**
 * Pages per backup step: all of them. The backup API starts over whenever another process (the running app) writes
 * between two steps, so a copy made in small steps might never finish while people use Tandem. One step reads a
 * single snapshot, and in WAL mode the app's writes go on meanwhile.
 */
const allPages = 0x7fffffff;

class BackupError extends Error {}

function parseArguments(args: string[]) {
  const force = args.includes("--force");
  const rest = args.filter((arg) => arg !== "--force");
  const unknown = rest.filter((arg) => arg.startsWith("--"));
  if (rest.length !== 1 || unknown.length > 0) return null;
  // npm runs scripts in the project folder; a relative FILE means one relative to where the command was typed.
  return { target: path.resolve(process.env.INIT_CWD ?? process.cwd(), rest[0]!), force };
}

/** Same file, or one of SQLite's companions of it: a backup must never land on the live database. */
function isLiveFile(target: string, source: string) {
  return [source, `${source}-wal`, `${source}-shm`, `${source}-journal`].includes(target);
}

async function backUp(source: string, target: string, force: boolean) {
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source} (DATABASE_PATH).`);
  if (isLiveFile(target, source)) throw new BackupError(`${target} is the live database; choose another file.`);
  const folder = path.dirname(target);
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new BackupError(`${folder} is not an existing folder.`);
  if (fs.existsSync(target) && !force) throw new BackupError(`${target} exists already; pass --force to replace it.`);

  // Written beside the target and renamed at the end, so a failed run leaves an earlier backup at FILE as it was.
  const partial = path.join(folder, `.${path.basename(target)}.${process.pid}.partial`);
  const started = performance.now();
  const db = openDatabase(source);
  try {
    const { totalPages } = await db.$client.backup(partial, { progress: () => allPages });
    const copy = new Database(partial, { fileMustExist: true });
    // The copy starts in the live database's WAL mode; as one self-contained file it is easier to move and restore.
    copy.pragma("journal_mode = DELETE");
    const integrity = copy.pragma("integrity_check", { simple: true });
    copy.close();
    if (integrity !== "ok") throw new BackupError(`The copy failed SQLite's integrity check: ${String(integrity)}`);
    fs.renameSync(partial, target);
    return { totalPages, bytes: fs.statSync(target).size, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Cannot write the backup to ${target}: ${(error as Error).message}`);
  } finally {
    db.$client.close();
  }
}

async function main() {
  const parsed = parseArguments(process.argv.slice(2));
  if (!parsed) {
    console.error(usage);
    process.exit(2);
  }
  // The same .env as `npm start`, so the backup reads the database the app serves.
  if (fs.existsSync(".env")) process.loadEnvFile(".env");
  try {
    const source = path.resolve(getEnv().DATABASE_PATH);
    const { totalPages, bytes, seconds } = await backUp(source, parsed.target, parsed.force);
    console.log(`Backed up ${source}`);
    console.log(`       to ${parsed.target}: ${(bytes / 1_048_576).toFixed(1)} MB, ${totalPages} pages, ${seconds.toFixed(2)} s, integrity ok.`);
  } catch (error) {
    console.error(error instanceof BackupError ? error.message : `Backup failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

await main();
