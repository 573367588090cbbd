import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

const publicPages = ["/", "/login", "/signup", "/privacy", "/imprint", "/a-page-that-does-not-exist"];
const signedInPages = [
  "/dashboard",
  "/organisations",
  "/organisations/new",
  "/settings",
  "/team/members",
  "/team/settings",
  "/team/topics",
  "/team/topics/topic-accessibility",
  "/offer",
  "/offer/edit",
];

async function firstOrganisationPath(page: Page) {
  await page.goto("/organisations");
  const href = await page.locator("main .card a").first().getAttribute("href");
  expect(href).toMatch(/^\/organisations\//);
  return href as string;
}

describe.each([
  { locale: "de-DE", width: 1280 },
  { locale: "en-GB", width: 1280 },
  { locale: "de-DE", width: 375 },
])("axe on every page ($locale, $width px)", ({ locale, width }) => {
  it("finds no violations on the public pages", async () => {
    const { context, page } = await openPage(browser(), { locale, width });
    for (const path of publicPages) {
      await page.goto(path);
      await expectNoAxeViolations(page);
    }
    await context.close();
  });

  it("finds no violations on the pages behind log-in, including the team's", async () => {
    const { context, page } = await openPage(browser(), { locale, width });
    await logIn(page, "team@tandem.example");
    for (const path of [...signedInPages, await firstOrganisationPath(page)]) {
      await page.goto(path);
      await expectNoAxeViolations(page);
    }
    await context.close();
  });

  it("finds no violations on a requester's pages", async () => {
    const { context, page } = await openPage(browser(), { locale, width });
    await logIn(page, "requester@tandem.example");
    for (const path of ["/requests", "/requests/new", "/coaches?topic=topic-mobile"]) {
      await page.goto(path);
      await expectNoAxeViolations(page);
    }
    await context.close();
  });

  it("finds no violations on forms showing errors from the browser and from the server", async () => {
    const { context, page } = await openPage(browser(), { locale, width });
    for (const path of ["/signup", "/login", "/organisations/new"]) {
      await page.goto(path);
      await page.locator("main form button[type=submit]").click();
      await page.locator(".field__error").first().waitFor();
      await expectNoAxeViolations(page);
    }
    await page.goto("/login");
    await page.locator("#login-email").fill("nobody@test.example");
    await page.locator("#login-password").fill("not the password");
    await page.locator("main form button[type=submit]").click();
    await page.locator(".notice--error").waitFor();
    await expectNoAxeViolations(page);
    await context.close();
  });
});

describe("keyboard", () => {
  it("offers the skip link first and moves focus to the main content", async () => {
    const { context, page } = await openPage(browser());
    await page.goto("/login");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Zum Inhalt springen");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main");
    await context.close();
  });

  it("logs in with the keyboard alone", async () => {
    const { context, page } = await openPage(browser());
    await page.goto("/login");
    await page.locator("#login-email").focus();
    await page.keyboard.type("coach@tandem.example");
    await page.keyboard.press("Tab");
    await page.keyboard.type("tandem-demo-2026");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/dashboard");
    await context.close();
  });
});

describe("phone-sized screen", () => {
  it("has no horizontal scrolling at 360 px on the busiest page", async () => {
    const { context, page } = await openPage(browser(), { width: 360 });
    await logIn(page, "team@tandem.example");
    for (const path of ["/dashboard", "/signup", "/settings"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
