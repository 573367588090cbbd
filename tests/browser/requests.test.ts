import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { expectHeading, expectStatus, logIn, openPage, signUp, uniqueEmail } from "../support/browser-session";

const browser = useSharedChromium();

async function newRequesterWithOrganisation(page: Page, name: string, organisationName: string) {
  await signUp(page, { name, email: uniqueEmail("requester"), role: "requester" });
  await page.goto("/organisations/new");
  await page.getByLabel("Name der Organisation").fill(organisationName);
  await page.getByLabel("Art der Organisation").selectOption("parish");
  await page.getByLabel(/Größe/).selectOption("upTo10");
  await page.getByLabel("Region").selectOption("DE-SN");
  await page.getByRole("button", { name: "Organisation anlegen" }).click();
  await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
}

describe.each([{ javaScript: true }, { javaScript: false }])("coaching requests (JavaScript: $javaScript)", ({ javaScript }) => {
  const checkAccessibility = (page: Page) => (javaScript ? expectNoAxeViolations(page) : Promise.resolve());

  it("creates, edits, and withdraws a request, keeping its history", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await newRequesterWithOrganisation(page, javaScript ? "Rita A" : "Rita B", javaScript ? "Gemeinde Nord" : "Gemeinde Süd");
    await page.getByRole("link", { name: "Meine Anfragen" }).click();
    await expectHeading(page, "Meine Anfragen");
    await page.getByText("Sie haben noch keine Anfrage gestellt.").waitFor();
    await page.getByRole("link", { name: "Neue Anfrage" }).click();
    await expectHeading(page, "Neue Coaching-Anfrage");
    await checkAccessibility(page);

    const topics = page.getByRole("group", { name: "Themen" });
    await topics.getByLabel("Barrierefreiheit").check();
    await topics.getByLabel("Mobile Nutzung").check();
    await page.getByLabel("Bis zu einem Datum").check();
    await page.getByLabel("Was möchten Sie erreichen?").fill("Unser Kirchenvorstand soll HumHub auf dem Handy nutzen.");
    await page.getByLabel("Vor Ort", { exact: true }).check();
    await page.getByLabel("Leichte Sprache").check();
    await page.locator("#request-windows\\.0\\.start").fill("19:00");
    await page.locator("#request-windows\\.0\\.end").fill("20:30");
    await page.getByRole("button", { name: "Anfrage stellen" }).click();

    await page.locator("#request-mainTopic-error").waitFor();
    await expect(page.locator("#request-mainTopic-error").textContent()).resolves.toBe("Bitte markieren Sie das wichtigste Thema.");
    await expect(page.locator("#request-deadline-error").textContent()).resolves.toBe("Bitte geben Sie das Datum an.");
    await expect(page.locator("#request-inPersonRegion-error").textContent()).resolves.toBe(
      "Bitte wählen Sie die Region für Treffen vor Ort.",
    );
    await checkAccessibility(page);

    await page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel("Mobile Nutzung").check();
    await page.getByLabel("Bis wann? (Datum)").fill("2030-03-01");
    await page.getByLabel("Region für Treffen vor Ort").selectOption({ label: "Sachsen" });
    await page.getByRole("button", { name: "Anfrage stellen" }).click();
    await expectStatus(page, "Ihre Anfrage ist gestellt.");
    await expectHeading(page, "Coaching-Anfrage");
    const summary = page.locator(".meta-list");
    await expect(summary.textContent()).resolves.toContain("Mobile Nutzung (wichtigstes Thema)");
    await expect(summary.textContent()).resolves.toContain("Bis zu einem Datum: 1. März 2030");
    await expect(summary.textContent()).resolves.toContain("Vor Ort (Sachsen)");
    await expect(page.locator(".badge").first().textContent()).resolves.toBe("Offen");
    await checkAccessibility(page);

    await page.getByRole("link", { name: "Bearbeiten" }).click();
    await expectHeading(page, "Anfrage bearbeiten");
    await checkAccessibility(page);
    await page.getByLabel("Was möchten Sie erreichen?").fill("Der Kirchenvorstand soll HumHub mobil nutzen – auch mit Leichter Sprache.");
    await page.getByLabel("Englisch", { exact: true }).check();
    await page.getByRole("button", { name: "Anfrage speichern" }).click();
    await expectStatus(page, "Ihre Anfrage ist gespeichert.");
    await page.getByRole("listitem").filter({ hasText: "Bearbeitet von" }).filter({ hasText: "Geändert: Ziel, Sprachen" }).waitFor();

    await page.getByRole("button", { name: "Anfrage zurückziehen" }).click();
    await expectStatus(page, "Ihre Anfrage ist zurückgezogen.");
    await expect(page.locator(".badge").first().textContent()).resolves.toBe("Zurückgezogen");
    await expect(page.getByRole("link", { name: "Bearbeiten" }).count()).resolves.toBe(0);
    await expect(page.locator(".history li").count()).resolves.toBe(3);
    await context.close();
  });
});

describe("coaching requests for other people", () => {
  it("keeps a request closed to other requesters and to coaches", async () => {
    const author = await openPage(browser());
    await newRequesterWithOrganisation(author.page, "Rita C", "Gemeinde West");
    await author.page.goto("/requests/new");
    await author.page.getByRole("group", { name: "Themen" }).getByLabel("Hosting und Betrieb").check();
    await author.page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel("Hosting und Betrieb").check();
    await author.page.getByLabel("Was möchten Sie erreichen?").fill("Eigenen Server aufsetzen.");
    await author.page.locator("#request-windows\\.0\\.start").fill("10:00");
    await author.page.locator("#request-windows\\.0\\.end").fill("11:00");
    await author.page.getByRole("button", { name: "Anfrage stellen" }).click();
    await author.page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
    const path = new URL(author.page.url()).pathname;

    const other = await openPage(browser());
    await logIn(other.page, "requester@tandem.example");
    expect((await other.page.goto(path))?.status()).toBe(404);
    expect((await other.page.goto(`${path}/edit`))?.status()).toBe(404);

    const coach = await openPage(browser());
    await logIn(coach.page, "coach@tandem.example");
    expect((await coach.page.goto(path))?.status()).toBe(403);
    expect((await coach.page.goto("/requests"))?.status()).toBe(403);
    for (const session of [author, other, coach]) await session.context.close();
  });
});

describe("coaching requests in English and after expiry", () => {
  it("extends an expired request, in English", async () => {
    const { context, page } = await openPage(browser());
    // A seeded requester whose only request was created 78 days ago and has expired.
    await logIn(page, "jonas.klein@tafel-beispielstadt.example");
    await page.getByRole("button", { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.goto("/requests");
    await expectHeading(page, "My requests");
    await page.locator(".card", { hasText: "Expired" }).getByRole("link").click();
    await expectHeading(page, "Coaching request");
    await page.getByText(/Expired on \w/).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Extend by 60 days" }).click();
    await expectStatus(page, "Your request is extended.");
    await page.getByText(/Open until \w/).waitFor();
    await expect(page.getByRole("button", { name: "Extend by 60 days" }).count()).resolves.toBe(0);
    await page.getByRole("listitem").filter({ hasText: "Extended by" }).waitFor();
    await page.getByRole("button", { name: /Deutsch/ }).click();
    await context.close();
  });
});
