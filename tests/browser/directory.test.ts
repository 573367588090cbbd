import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { expectHeading, expectStatus, logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

async function sendQuickRequest(page: Page, goal: string) {
  await page.goto("/requests/new");
  await page.getByRole("group", { name: "Themen" }).getByLabel("Barrierefreiheit").check();
  await page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel("Barrierefreiheit").check();
  await page.getByLabel("Was möchten Sie erreichen?").fill(goal);
  // Saturday mornings, when the demo's accessibility experts who speak English have time.
  await page.locator("#request-windows\\.0\\.weekday").selectOption("6");
  await page.locator("#request-windows\\.0\\.start").fill("09:00");
  await page.locator("#request-windows\\.0\\.end").fill("13:00");
  await page.getByRole("button", { name: "Anfrage stellen" }).click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
}

describe.each([{ javaScript: true }, { javaScript: false }])("coach directory (JavaScript: $javaScript)", ({ javaScript }) => {
  it("filters coaches, sorts them by topic fit and asks one for a request", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await logIn(page, "requester@tandem.example");
    const goal = `Barrierefreie Vereinsseite ${javaScript ? "A" : "B"}`;
    await sendQuickRequest(page, goal);
    // The best suggestion for this request is a coach the matching rules allow, whatever other tests did to the others.
    await page.getByRole("link", { name: "Passende Coaches ansehen" }).click();
    await expectHeading(page, "Passende Coaches");
    const fittingOfferId = await page.locator("ol.suggestions input[name=offerId]").first().getAttribute("value");
    expect(fittingOfferId).toBeTruthy();

    await page.getByRole("link", { name: "Coaches finden" }).click();
    await expectHeading(page, "Coaches finden");
    await page.getByLabel("Thema", { exact: true }).selectOption({ label: "Barrierefreiheit" });
    await page.getByLabel("Sprache", { exact: true }).selectOption({ label: "Englisch" });
    await page.getByRole("button", { name: "Filtern" }).click();
    await page.locator("[role=status]", { hasText: "Sortiert nach Erfahrung im gewählten Thema." }).waitFor();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).searchParams.get("language")).toBe("en");

    const cards = page.locator(".offer-card");
    const count = await cards.count();
    expect(count).toBeGreaterThan(0);
    const levels = await cards.evaluateAll((elements) =>
      elements.map((card) => {
        const item = [...card.querySelectorAll("li")].find((li) => li.textContent?.startsWith("Barrierefreiheit:"));
        return item?.textContent?.includes("Expertise") ? 3 : item?.textContent?.includes("Erprobt") ? 2 : 1;
      }),
    );
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    for (const text of await cards.allTextContents()) {
      expect(text).toContain("Englisch");
      expect(text).not.toMatch(/@|tandem\.example/);
    }
    if (javaScript) await expectNoAxeViolations(page);

    // Every coach of the topic fits on one page without the language filter.
    await page.goto("/coaches?topic=topic-accessibility");
    await expectHeading(page, "Coaches finden");
    const entry = page.locator("main li", { has: page.locator(`.wish-form input[name=offerId][value="${fittingOfferId}"]`) });
    const firstOrganisation = (await entry.locator(".offer-card h2").textContent()) ?? "";
    const askForm = entry.locator(".wish-form");
    await askForm.getByLabel("Für welche Anfrage?").selectOption({ label: `Barrierefreiheit: ${goal}` });
    await askForm.getByRole("button", { name: `Diesen Coach anfragen (${firstOrganisation})` }).click();
    // Asking proposes the match; it waits for the team's review, with the coach's organisation only.
    await expectStatus(page, "Ihr Vorschlag ist gespeichert. Das Community-Team prüft ihn, dann fragt Tandem den Coach.");
    await expectHeading(page, "Tandem-Vorschlag");
    await page.getByText("Wird vom Team geprüft").first().waitFor();
    await page.getByText(firstOrganisation, { exact: true }).first().waitFor();
    if (javaScript) await expectNoAxeViolations(page);
    await context.close();
  });
});

describe("coach directory access", () => {
  it("is open to the team and closed to coaches who do not ask for coaching", async () => {
    const team = await openPage(browser(), { locale: "en-GB" });
    await logIn(team.page, "team2@tandem.example");
    expect((await team.page.goto("/coaches"))?.status()).toBe(200);
    await expect(team.page.locator(".wish-form").count()).resolves.toBe(0);
    await expectNoAxeViolations(team.page);
    await team.context.close();

    const coach = await openPage(browser());
    await logIn(coach.page, "coach@tandem.example");
    expect((await coach.page.goto("/coaches"))?.status()).toBe(403);
    await coach.context.close();
  });
});
