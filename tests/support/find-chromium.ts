import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** Debian's Chromium (the `chromium` command) or CHROMIUM_PATH; never a downloaded browser. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "Browser tests need Chromium: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.",
    );
  }
}
