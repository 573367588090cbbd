import fs from "node:fs";
import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import { useSharedChromium } from "../support/chromium";
import { logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

async function sendQuickRequest(page: Page, goal: string) {
  await page.goto("/requests/new");
  await page.getByRole("group", { name: "Themen" }).getByLabel("Mobile Nutzung").check();
  await page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel("Mobile Nutzung").check();
  await page.getByLabel("Was möchten Sie erreichen?").fill(goal);
  await page.locator("#request-windows\\.0\\.weekday").selectOption("2");
  await page.locator("#request-windows\\.0\\.start").fill("17:00");
  await page.locator("#request-windows\\.0\\.end").fill("21:00");
  await page.getByRole("button", { name: "Anfrage stellen" }).click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
}

describe("explore", () => {
  it("dumps", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    await sendQuickRequest(page, "Explore");
    await page.getByRole("link", { name: "Passende Coaches ansehen" }).click();
    await page.getByRole("heading", { level: 1, name: "Passende Coaches" }).waitFor();
    fs.writeFileSync("/tmp/explore/suggestions.txt", await page.locator("main").innerText());
    fs.writeFileSync("/tmp/explore/suggestions.html", await page.locator("main").innerHTML());
    const team = await openPage(browser(), { javaScript: false });
    await logIn(team.page, "team@tandem.example");
    await team.page.goto("/team/matching");
    await team.page.getByRole("button", { name: "Zuordnung berechnen" }).click();
    await team.page.waitForURL(/runs/);
    fs.writeFileSync("/tmp/explore/run1.txt", await team.page.locator("main").innerText());
    await new Promise((r) => setTimeout(r, 1500));
    await team.page.reload();
    fs.writeFileSync("/tmp/explore/run2.txt", await team.page.locator("main").innerText());
    await team.page.goto("/team/matching/weights");
    await team.page.getByLabel("Gewicht: Themen").fill("abc");
    await team.page.getByRole("button", { name: "Vorschau" }).click();
    await team.page.waitForLoadState("load");
    fs.writeFileSync("/tmp/explore/weights-err.txt", await team.page.locator("main").innerText());
    await team.page.getByLabel("Gewicht: Themen").fill("30");
    await team.page.getByRole("button", { name: "Vorschau" }).click();
    await team.page.waitForLoadState("load");
    fs.writeFileSync("/tmp/explore/weights-prev.txt", await team.page.locator("main").innerText());
    await context.close();
    await team.context.close();
  });
});
