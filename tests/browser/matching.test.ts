import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import { useSharedChromium } from "../support/chromium";
import { logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

async function sendQuickRequest(page: Page, goal: string) {
  await page.goto("/requests/new");
  await page.getByRole("group", { name: "Themen" }).getByLabel("Barrierefreiheit").check();
  await page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel("Barrierefreiheit").check();
  await page.getByLabel("Was möchten Sie erreichen?").fill(goal);
  await page.locator("#request-windows\\.0\\.start").fill("17:00");
  await page.locator("#request-windows\\.0\\.end").fill("19:00");
  await page.getByRole("button", { name: "Anfrage stellen" }).click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
}

describe("explore", () => {
  it("dumps", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    await sendQuickRequest(page, "Explore");
    await page.getByRole("link", { name: "Passende Coaches ansehen" }).click();
    await page.waitForURL(/suggestions$/);
    fs.writeFileSync("/tmp/explore/suggestions.txt", await page.locator("main").innerText());
    fs.writeFileSync("/tmp/explore/suggestions.html", await page.locator("main").innerHTML());
    const team = await openPage(browser());
    await logIn(team.page, "team@tandem.example");
    await team.page.goto("/team/matching");
    fs.writeFileSync("/tmp/explore/hub.txt", await team.page.locator("main").innerText());
    await team.page.goto("/team/matching/weights");
    fs.writeFileSync("/tmp/explore/weights.txt", await team.page.locator("main").innerText());
    await context.close();
    await team.context.close();
  });
});
