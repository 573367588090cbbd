/**
 * `npm run db:backup -- FILE`: a copy made while another connection keeps committing sign-ups is consistent (SQLite's
 * integrity and foreign-key checks pass) and holds exactly the first n sign-ups, each whole, for an n between the
 * commits seen when the backup started and when it ended. And the command refuses to overwrite without --force,
 * refuses bad arguments and paths with a clear message, and never leaves a half-written file.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "~/cli/build-if-needed";

const backupFolder = fs.mkdtempSync(path.join(path.dirname(process.env.DATABASE_PATH!), "backups-"));

type CommandResult = { code: number | null; stdout: string; stderr: string };

/** Runs the command as `npm run db:backup -- …args` does, on this file's database. */
function runBackup(...args: string[]): Promise<CommandResult> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "app/cli/db-backup.ts"), ...args], {
    cwd: projectRoot,
    env: { ...process.env, INIT_CWD: backupFolder },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

/** What a copy holds of the writer's sign-ups: their numbers, and how many of them lack one of their two roles. */
function readCopy(file: string) {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const writers = copy
      .prepare(
        `select cast(substr(users.email, 8, instr(users.email, '@') - 8) as integer) as number, count(user_roles.role) as roles
           from users left join user_roles on user_roles.user_id = users.id
          where users.email like 'writer-%@backup.example' group by users.id order by number`,
      )
      .all() as { number: number; roles: number }[];
    return {
      integrity: copy.pragma("integrity_check", { simple: true }),
      foreignKeyProblems: copy.pragma("foreign_key_check"),
      journalMode: copy.pragma("journal_mode", { simple: true }),
      numbers: writers.map((writer) => writer.number),
      withoutBothRoles: writers.filter((writer) => writer.roles !== 2).length,
    };
  } finally {
    copy.close();
  }
}

afterAll(() => {
  fs.rmSync(backupFolder, { recursive: true, force: true });
});

describe("a backup while sign-ups are being committed", () => {
  const counter = new Int32Array(new SharedArrayBuffer(8));
  let writer: Worker;
  let writerDone: Promise<{ committed?: number; error?: string }>;

  beforeAll(async () => {
    writer = new Worker(path.resolve("tests/support/sign-up-writer-worker.mjs"), { workerData: { counter: counter.buffer } });
    await new Promise<void>((resolve, reject) => {
      writer.once("error", reject);
      writer.once("message", () => resolve());
    });
    writerDone = new Promise((resolve) => writer.on("message", resolve));
  });

  afterAll(async () => {
    Atomics.store(counter, 1, 1);
    await writer?.terminate();
  });

  it("holds exactly the first n sign-ups, each whole, and passes SQLite's checks", async () => {
    // Some sign-ups first, so the copy has something to be consistent about.
    while (Atomics.load(counter, 0) < 500) await new Promise((resolve) => setTimeout(resolve, 5));
    const committedAtStart = Atomics.load(counter, 0);
    const result = await runBackup("during-writes.db");
    const committedAtEnd = Atomics.load(counter, 0);
    Atomics.store(counter, 1, 1);
    const finished = await writerDone;

    expect(result, result.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/to .*during-writes\.db: \d+\.\d MB, \d+ pages, \d+\.\d\d s, integrity ok\./);
    expect(finished.error).toBeUndefined();
    const copy = readCopy(path.join(backupFolder, "during-writes.db"));
    expect(copy.integrity).toBe("ok");
    expect(copy.foreignKeyProblems).toEqual([]);
    // One self-contained file, whatever mode the live database is in.
    expect(copy.journalMode).toBe("delete");
    // A committed prefix: sign-ups 0 … n-1, none missing in between, none with a role missing.
    const n = copy.numbers.length;
    expect(copy.numbers).toEqual(Array.from({ length: n }, (_, index) => index));
    expect(copy.withoutBothRoles).toBe(0);
    // Taken while the writes went on: after the ones seen at the start, before the ones seen at the end.
    expect(n).toBeGreaterThanOrEqual(committedAtStart);
    expect(n).toBeLessThanOrEqual(committedAtEnd);
    expect(committedAtEnd).toBeGreaterThan(committedAtStart);
    expect(finished.committed).toBeGreaterThan(n);
    console.info("backup during writes:", JSON.stringify({ committedAtStart, inCopy: n, committedAtEnd, finalCommitted: finished.committed, output: result.stdout.trim().split("\n").at(-1) }));
  });

  it("refuses to overwrite a backup without --force, and replaces it with --force", async () => {
    const target = path.join(backupFolder, "existing.db");
    fs.writeFileSync(target, "an earlier backup");

    const refused = await runBackup("existing.db");
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toContain(`${target} exists already; pass --force to replace it.`);
    expect(fs.readFileSync(target, "utf8")).toBe("an earlier backup");

    const forced = await runBackup("existing.db", "--force");
    expect(forced, forced.stderr).toMatchObject({ code: 0, stderr: "" });
    expect(readCopy(target)).toMatchObject({ integrity: "ok", foreignKeyProblems: [] });
    // Only the backup is left in the folder: no partial file, no -wal or -shm beside it.
    expect(fs.readdirSync(backupFolder).filter((name) => name.includes("existing"))).toEqual(["existing.db"]);
  });

  it("explains a missing file name, a folder that is not there and the live database as target", async () => {
    const notAFolder = path.join(backupFolder, "plain-file");
    fs.writeFileSync(notAFolder, "");
    const [missing, noFolder, live, unknownOption] = await Promise.all([
      runBackup(),
      runBackup(path.join(notAFolder, "backup.db")),
      runBackup(process.env.DATABASE_PATH!),
      runBackup("backup.db", "--quick"),
    ]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain("Usage: npm run db:backup -- FILE [--force]");
    expect(unknownOption).toMatchObject({ code: 2, stdout: "" });
    expect(noFolder).toMatchObject({ code: 1, stdout: "" });
    expect(noFolder.stderr).toContain(`${notAFolder} is not an existing folder.`);
    expect(live).toMatchObject({ code: 1, stdout: "" });
    expect(live.stderr).toContain("is the live database; choose another file.");
    expect(fs.existsSync(path.join(backupFolder, "backup.db"))).toBe(false);
  });
});
