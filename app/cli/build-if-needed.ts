import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const buildEntry = path.join(projectRoot, "build/index.js");

function newestModification(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...fs.readdirSync(target).map((entry) => newestModification(path.join(target, entry))),
  );
}

/** Runs `remix build` unless build/ is newer than every source file it is made from. */
export function buildIfNeeded() {
  const sources = ["app", "db", "public/favicon.svg", "remix.config.js", "package.json"]
    .map((entry) => path.join(projectRoot, entry))
    .filter((entry) => fs.existsSync(entry));
  const upToDate =
    fs.existsSync(buildEntry) &&
    fs.statSync(buildEntry).mtimeMs >= Math.max(...sources.map(newestModification));
  if (upToDate) return;
  console.log("Building Tandem…");
  // Always a production build: test runners set NODE_ENV=test, which would make a dev build.
  const result = spawnSync("npx", ["remix", "build"], {
    cwd: projectRoot,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" },
  });
  if (result.status !== 0) throw new Error("The build failed; see the output above.");
}
