import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "~/cli/build-if-needed";

async function findFreePort() {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

export type RunningApp = {
  baseUrl: string;
  port: number;
  databasePath: string;
  /** What the server printed so far (stdout and stderr). */
  output: () => string;
  /**
   * Sends the signal (SIGKILL unless told otherwise) to the server's own node process, started without npm or a shell
   * in between, and waits until it is gone; the database stays.
   */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
  /** Stops the server as an operator would (SIGTERM); a fresh database made by `startApp` is removed with it. */
  stop: () => Promise<void>;
};

export type StartOptions = {
  /** An existing database, e.g. to restart after a crash; the caller keeps it (`stop` does not remove it). */
  databasePath?: string;
  /** A fixed port, e.g. the crashed server's, so a restart keeps its address; unset, a free one. */
  port?: number;
};

/**
 * Starts the built app as `npm start` would, on 127.0.0.1 with a fresh database (or the one given), so migrations and
 * the demo seed run as they do for an operator.
 */
export async function startApp(extraEnv: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningApp> {
  const folder = options.databasePath ? null : fs.mkdtempSync(path.join(os.tmpdir(), "tandem-app-"));
  const databasePath = options.databasePath ?? path.join(folder!, "tandem.db");
  const port = options.port ?? (await findFreePort());
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(projectRoot, "app/cli/start.ts"), "--no-build"],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_PATH: databasePath,
        HOST: "127.0.0.1",
        PORT: String(port),
        // Tests stand in for many people behind one proxy; see nextClientIp().
        TRUST_PROXY: "true",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  // exitCode stays null for a process ended by a signal; signalCode says so.
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited()) throw new Error(`The app exited during start-up:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The app did not start within 60 s:\n${output}`);
    const healthy = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
    if (!hasExited()) child.kill(signal);
    await exited;
  };
  return {
    baseUrl,
    port,
    databasePath,
    output: () => output,
    kill,
    stop: async () => {
      await kill("SIGTERM");
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
