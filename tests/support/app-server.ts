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

export type RunningApp = { baseUrl: string; databasePath: string; stop: () => Promise<void> };

/** Starts the built app as `npm start` would, on a free 127.0.0.1 port with a fresh database. */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<RunningApp> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-app-"));
  const databasePath = path.join(folder, "tandem.db");
  const port = await findFreePort();
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
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited during start-up:\n${output}`);
    if (Date.now() > deadline) throw new Error(`The app did not start within 60 s:\n${output}`);
    const healthy = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    databasePath,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
