import { describe, expect, it } from "vitest";
import { useSharedChromium } from "../support/chromium";
import { expectHeading, expectStatus, logIn, openPage, uniqueEmail } from "../support/browser-session";

const browser = useSharedChromium();

describe.each([
  { javaScript: true, label: "with JavaScript" },
  { javaScript: false, label: "without JavaScript" },
])("accounts $label", ({ javaScript }) => {
  it("signs up, lands on the dashboard, logs out and logs in again", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    const email = uniqueEmail(javaScript ? "signup-js" : "signup-nojs");
    await page.goto("/signup");
    await expect(page.title()).resolves.toBe("Konto anlegen · Tandem");
    await page.getByLabel("Ihr Name").fill("Erika Musterfrau");
    await page.getByLabel("E-Mail-Adresse").fill(email);
    await page.getByLabel("Passwort", { exact: true }).fill("ein sicherer Satz 2026");
    await page.getByLabel("Ich möchte Coaching für meine Organisation bekommen").check();
    await page.getByLabel(/Datenschutzhinweis/).check();
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    await page.waitForURL("**/dashboard");
    await expectHeading(page, "Übersicht");
    await page.getByText("Hallo Erika Musterfrau").waitFor();
    await page.getByText("Noch keine Organisation").waitFor();

    await page.getByRole("button", { name: "Abmelden" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expectStatus(page, "Sie sind abgemeldet.");
    await page.goto("/dashboard");
    expect(new URL(page.url()).pathname).toBe("/login");

    await logIn(page, email, "ein sicherer Satz 2026");
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    await context.close();
  });

  it("keeps what was typed and explains each problem beside its field", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await page.goto("/signup");
    await page.getByLabel("Ihr Name").fill("Erika");
    const emailInput = page.getByLabel("E-Mail-Adresse");
    await emailInput.fill("erika-at-example");
    // Leaving the field shows its error at once (with JavaScript), which moves the button down.
    await emailInput.blur();
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    await expect(emailInput.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator("#signup-email-error").textContent()).resolves.toMatch(/gültige E-Mail-Adresse/);
    await expect(page.locator("#signup-consent-error").textContent()).resolves.toMatch(/Datenschutzhinweis zu/);
    await expect(page.getByRole("alert").first().textContent()).resolves.toMatch(/Bitte korrigieren Sie \d Angaben/);
    await expect(page.getByLabel("Ihr Name").inputValue()).resolves.toBe("Erika");
    await expect(emailInput.inputValue()).resolves.toBe("erika-at-example");
    expect(new URL(page.url()).pathname).toBe("/signup");
    await context.close();
  });
});

describe("validation as you type", () => {
  it("shows an error when leaving a bad field and clears it once corrected, before any submit", async () => {
    const { context, page } = await openPage(browser());
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.goto("/signup");
    const email = page.getByLabel("E-Mail-Adresse");
    await email.fill("anna@");
    await email.blur();
    await page.locator("#signup-email-error").waitFor();
    await expect(email.getAttribute("aria-describedby")).resolves.toContain("signup-email-error");
    await email.fill("anna@verein.example");
    await page.locator("#signup-email-error").waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Konto anlegen" }).click();
    await page.locator("#signup-password-error").waitFor();
    expect(posts).toEqual([]);
    await context.close();
  });
});

describe("redirects and roles", () => {
  it("sends a logged-out visitor to log in and back to where they were", async () => {
    const { context, page } = await openPage(browser());
    await page.goto("/organisations/new");
    const url = new URL(page.url());
    expect(url.pathname).toBe("/login");
    expect(url.searchParams.get("redirectTo")).toBe("/organisations/new");
    await page.locator("#login-email").fill("requester@tandem.example");
    await page.locator("#login-password").fill("tandem-demo-2026");
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.waitForURL("**/organisations/new");
    await context.close();
  });

  it("refuses a team page to a requester with 403", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    const response = await page.goto("/team/members");
    expect(response?.status()).toBe(403);
    await expectHeading(page, "Kein Zugriff");
    await expect(page.getByRole("link", { name: "Team: Personen" }).count()).resolves.toBe(0);
    await context.close();
  });

  it("refuses the 11th failed log-in for one account within 15 minutes with a clear message", async () => {
    const { context, page } = await openPage(browser(), { javaScript: false });
    const email = uniqueEmail("locked");
    const attempt = async (password: string) => {
      await page.goto("/login");
      await page.locator("#login-email").fill(email);
      await page.locator("#login-password").fill(password);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Anmelden" }).click(),
      ]);
      return response.status();
    };
    for (let failure = 1; failure <= 10; failure++) {
      expect(await attempt(`wrong password ${failure}`)).toBe(400);
    }
    await expect(page.getByRole("alert").textContent()).resolves.toBe("E-Mail-Adresse oder Passwort stimmen nicht.");
    expect(await attempt("wrong password 11")).toBe(429);
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(
      /^Zu viele Versuche\. Bitte warten Sie \d+ Minuten? und versuchen Sie es dann erneut\.$/,
    );
    await context.close();
  });
});

describe("language", () => {
  it("is German by default, switches to English and remembers the choice", async () => {
    const { context, page } = await openPage(browser(), { locale: "de-DE" });
    await page.goto("/privacy");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("de");
    await page.getByRole("button", { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    expect(new URL(page.url()).pathname).toBe("/privacy");
    await expectHeading(page, "Privacy notice");
    await page.goto("/login");
    await expectHeading(page, "Log in");
    await page.getByRole("button", { name: /Deutsch/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "de");
    await expectHeading(page, "Anmelden");
    await context.close();
  });

  it("works without JavaScript and follows a logged-in user's account setting", async () => {
    const { context, page } = await openPage(browser(), { javaScript: false });
    const email = uniqueEmail("english");
    await page.goto("/signup");
    await page.getByRole("button", { name: /English/ }).click();
    await expectHeading(page, "Create an account");
    await page.getByLabel("Your name").fill("Robin Example");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("a long enough password");
    await expect(page.getByLabel("Preferred language").inputValue()).resolves.toBe("en");
    await page.getByLabel("I want to offer coaching to other organisations").check();
    await page.getByLabel(/privacy notice/).check();
    await page.getByRole("button", { name: "Create account" }).click();
    await expectHeading(page, "Dashboard");
    await page.getByText("Hello Robin Example").waitFor();
    await page.context().clearCookies({ name: "tandem_lang" });
    await page.goto("/settings");
    await expectHeading(page, "Account");
    await context.close();
  });
});
