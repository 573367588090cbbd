import type { TestProject } from "vitest/node";
import { buildIfNeeded } from "~/cli/build-if-needed";
import { startApp } from "./app-server";
import { findChromium } from "./find-chromium";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databasePath: string;
  }
}

export default async function setup(project: TestProject) {
  findChromium();
  buildIfNeeded();
  const app = await startApp();
  project.provide("baseUrl", app.baseUrl);
  project.provide("databasePath", app.databasePath);
  return () => app.stop();
}
