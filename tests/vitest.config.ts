import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const alias = { "~": path.join(root, "app"), "~db": path.join(root, "db") };

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/support/integration-setup.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "browser",
          // System tests (authorization matrix, bad input, crash) drive the built app over HTTP like the browser tests do.
          include: ["tests/browser/**/*.test.ts", "tests/system/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/browser-global-setup.ts"],
          // One Chromium and one app server are shared; files run one after another.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
