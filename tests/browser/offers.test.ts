import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { expectHeading, expectStatus, logIn, openPage, signUp, uniqueEmail } from "../support/browser-session";

const browser = useSharedChromium();

/** A new coach with an organisation of their own, ready to write an offer. */
async function newCoachWithOrganisation(page: Page, name: string, organisationName: string) {
  await signUp(page, { name, email: uniqueEmail("coach"), role: "coach" });
  await page.goto("/organisations/new");
  await page.getByLabel("Name der Organisation").fill(organisationName);
  await page.getByLabel("Art der Organisation").selectOption("association");
  await page.getByLabel(/Größe/).selectOption("upTo50");
  await page.getByLabel("Region").selectOption("DE-HH");
  await page.getByRole("button", { name: "Organisation anlegen" }).click();
  await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
}

describe.each([{ javaScript: true }, { javaScript: false }])("coach offer (JavaScript: $javaScript)", ({ javaScript }) => {
  // axe runs inside the page, so it can only check the pages with JavaScript on (same markup).
  const checkAccessibility = (page: Page) => (javaScript ? expectNoAxeViolations(page) : Promise.resolve());

  it("creates, previews, edits and pauses an offer", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await newCoachWithOrganisation(page, javaScript ? "Coach A" : "Coach B", javaScript ? "Mustertreff Nord" : "Mustertreff Süd");
    await page.getByRole("link", { name: "Mein Angebot" }).click();
    await expectHeading(page, "Mein Coaching-Angebot");
    await page.getByRole("link", { name: "Angebot anlegen" }).click();
    await expectHeading(page, "Coaching-Angebot anlegen");
    await checkAccessibility(page);

    await page.getByLabel("Erfahrung: Barrierefreiheit").selectOption({ label: "Expertise" });
    await page.getByLabel("Was haben Sie zu „Barrierefreiheit“ schon gemacht? (optional)").fill("Website nach BITV geprüft");
    await page.getByLabel("Englisch", { exact: true }).check();
    await page.getByLabel("Vor Ort", { exact: true }).check();
    await page.getByLabel("Leichte Sprache").check();
    await page.getByRole("button", { name: "Weiteres Zeitfenster" }).click();
    await page.locator("#offer-windows\\.1\\.start").waitFor();
    await page.locator("#offer-windows\\.0\\.start").fill("18:00");
    await page.locator("#offer-windows\\.0\\.end").fill("20:00");
    await page.getByLabel("Wochentag").nth(1).selectOption({ label: "Mittwoch" });
    await page.locator("#offer-windows\\.1\\.start").fill("12:00");
    await page.locator("#offer-windows\\.1\\.end").fill("11:00");
    await page.getByLabel("Kurz über Sie und Ihre Organisation").fill("Wir treffen uns <b>jeden</b> Montag.");
    await page.getByRole("button", { name: "Angebot speichern" }).click();

    // Every problem at once, each beside its field.
    await page.locator("#offer-windows\\.1\\.end-error").waitFor();
    await expect(page.locator("#offer-windows\\.1\\.end-error").textContent()).resolves.toBe("Das Ende muss nach dem Beginn liegen.");
    await expect(page.locator("#offer-inPersonRegion-error").textContent()).resolves.toBe("Bitte wählen Sie die Region für Treffen vor Ort.");
    await expect(page.locator("#offer-travelKm-error").textContent()).resolves.toMatch(/0 bis 1000 km/);
    await checkAccessibility(page);

    await page.locator("#offer-windows\\.1\\.end").fill("13:30");
    await page.getByLabel("Region für Treffen vor Ort").selectOption({ label: "Hamburg" });
    await page.getByLabel("Wie weit würden Sie fahren? (km)").fill("25");
    await page.getByRole("button", { name: "Angebot speichern" }).click();
    await expectStatus(page, "Ihr Angebot ist gespeichert.");
    await expectHeading(page, "Mein Coaching-Angebot");

    const card = page.locator(".offer-card");
    await expect(card.textContent()).resolves.toContain("Barrierefreiheit: Expertise – Website nach BITV geprüft");
    await expect(card.textContent()).resolves.toContain("Deutsch, Englisch");
    await expect(card.textContent()).resolves.toContain("vor Ort in Hamburg, bis 25 km");
    await expect(card.textContent()).resolves.toContain("Mittwoch 12:00–13:30");
    await expect(card.textContent()).resolves.toContain("3,5 Stunden pro Woche");
    await expect(card.locator("b").count()).resolves.toBe(0);
    await expect(card.textContent()).resolves.toContain("Wir treffen uns <b>jeden</b> Montag.");
    await expect(card.textContent()).resolves.not.toContain(javaScript ? "Coach A" : "Coach B");
    await checkAccessibility(page);

    await page.getByRole("link", { name: "Angebot bearbeiten" }).click();
    await page.getByLabel("Wie viele Sitzungen pro Monat?").fill("5");
    await page.getByRole("button", { name: "Zeitfenster 2 entfernen" }).click();
    await page.locator("#offer-windows\\.1\\.start").waitFor({ state: "detached" });
    // Removing a row keeps what was typed elsewhere in the form.
    await expect(page.getByLabel("Wie viele Sitzungen pro Monat?").inputValue()).resolves.toBe("5");
    // And what is typed right after the form came back is saved too.
    await page.getByLabel("Wie viele Sitzungen pro Monat?").fill("6");
    await page.getByRole("button", { name: "Angebot speichern" }).click();
    await expectStatus(page, "Ihr Angebot ist gespeichert.");
    await expect(page.locator(".offer-card").textContent()).resolves.toContain("6 Sitzungen pro Monat");
    await expect(page.locator(".offer-card").textContent()).resolves.not.toContain("Mittwoch");

    await page.getByLabel("Pausieren bis einschließlich").fill("2030-06-30");
    await page.getByRole("button", { name: "Angebot pausieren" }).click();
    await expectStatus(page, "Ihr Angebot ist pausiert.");
    await page.getByText("Ihr Angebot ist bis einschließlich 30. Juni 2030 pausiert.").waitFor();
    await page.getByRole("button", { name: "Pause beenden" }).click();
    await expectStatus(page, "Ihr Angebot ist wieder aktiv.");
    await context.close();
  });
});

describe("coach offer in English and for other roles", () => {
  it("shows the form in English to a coach who chose English", async () => {
    const { context, page } = await openPage(browser());
    await newCoachWithOrganisation(page, "Coach C", "Mustertreff West");
    await page.getByRole("button", { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.goto("/offer/edit");
    await expectHeading(page, "Create a coaching offer");
    await page.getByLabel("Experience: Accessibility").waitFor();
    await page.getByRole("group", { name: "When do you have time? (every week)" }).waitFor();
    await expectNoAxeViolations(page);
    await context.close();
  });

  it("keeps the offer pages closed to requesters", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    expect((await page.goto("/offer"))?.status()).toBe(403);
    expect((await page.goto("/offer/edit"))?.status()).toBe(403);
    await context.close();
  });
});
