import type { Browser, BrowserContext, Page } from "playwright-core";
import { inject } from "vitest";

export const demoPassword = "tandem-demo-2026";

export function baseUrl() {
  return inject("baseUrl");
}

/** A unique address per call, so tests can sign up without colliding on the shared server. */
export function uniqueEmail(label: string) {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}@test.example`;
}

let clientNumber = Math.floor(Math.random() * 200);

/**
 * Each browser context claims its own client address (the test server trusts the proxy header),
 * so per-IP rate limits see separate people instead of one machine running every test.
 */
export function nextClientIp() {
  clientNumber += 1;
  return `198.51.100.${(clientNumber % 254) + 1}`;
}

export async function openPage(
  browser: Browser,
  options: { javaScript?: boolean; locale?: string; width?: number; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    javaScriptEnabled: options.javaScript ?? true,
    locale: options.locale ?? "de-DE",
    // The browser's clock zone; by default the machine's, like the server's.
    timezoneId: options.timezoneId,
    viewport: { width: options.width ?? 1280, height: 900 },
    extraHTTPHeaders: { "X-Forwarded-For": nextClientIp() },
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => {
    throw error;
  });
  return { context, page };
}

/** Logs in through the real form; the page's language decides the button's name. */
export async function logIn(page: Page, email: string, password = demoPassword) {
  await page.goto("/login");
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill(password);
  await page.locator("main form button[type=submit]").click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Waits for a status message, since with JavaScript the old page stays until navigation ends. */
export async function expectStatus(page: Page, text: string) {
  await page.locator("[role=status]", { hasText: text }).first().waitFor();
  // Without JavaScript the page streams in; what follows the status may not have arrived yet.
  await page.waitForLoadState("load");
}

export async function expectHeading(page: Page, text: string) {
  await page.getByRole("heading", { level: 1, name: text, exact: true }).waitFor();
  await page.waitForLoadState("load");
}

const roleLabels = {
  coach: "Ich möchte anderen Organisationen Coaching anbieten",
  requester: "Ich möchte Coaching für meine Organisation bekommen",
} as const;

/** Signs up through the German form and waits for the dashboard. */
export async function signUp(
  page: Page,
  account: { name: string; email: string; password?: string; role: keyof typeof roleLabels },
) {
  await page.goto("/signup");
  await page.getByLabel("Ihr Name").fill(account.name);
  await page.getByLabel("E-Mail-Adresse").fill(account.email);
  await page.getByLabel("Passwort", { exact: true }).fill(account.password ?? "ein sicherer Satz 2026");
  await page.getByLabel(roleLabels[account.role]).check();
  await page.getByLabel(/Datenschutzhinweis/).check();
  await page.getByRole("button", { name: "Konto anlegen" }).click();
  await page.waitForURL("**/dashboard");
}

/** How many pixels the page is wider than the window: 0 when nothing makes a phone scroll sideways. */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
