import { describe, expect, it } from "vitest";
import { useSharedChromium } from "../support/chromium";
import { expectHeading, expectStatus, logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

describe.each([{ javaScript: true }, { javaScript: false }])("topic catalogue (JavaScript: $javaScript)", ({ javaScript }) => {
  it("the team adds, renames, retires and reactivates a topic", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await logIn(page, "team@tandem.example");
    await page.getByRole("link", { name: "Team: Themen" }).click();
    await expectHeading(page, "Themen");
    await page.getByRole("link", { name: "Barrierefreiheit bearbeiten" }).waitFor();

    await page.getByLabel("Bezeichnung auf Deutsch").fill("Barrierefreiheit");
    await page.getByRole("button", { name: "Thema hinzufügen" }).click();
    await page.locator("#topic-labelEn-error").waitFor();

    const suffix = javaScript ? "A" : "B";
    await page.getByLabel("Bezeichnung auf Englisch").fill(`Club finances ${suffix}`);
    await page.getByLabel("Beschreibung auf Deutsch").fill("Beiträge und Spenden mit HumHub organisieren.");
    await page.getByLabel("Beschreibung auf Englisch").fill("Organising fees and donations with HumHub.");
    await page.getByRole("button", { name: "Thema hinzufügen" }).click();
    await page.locator("#topic-labelDe-error", { hasText: "Ein Thema mit dieser Bezeichnung gibt es schon." }).waitFor();

    await page.getByLabel("Bezeichnung auf Deutsch").fill(`Vereinsfinanzen ${suffix}`);
    await page.getByLabel("Bezeichnung auf Englisch").fill(`Club finances ${suffix}`);
    await page.getByLabel("Beschreibung auf Deutsch").fill("Beiträge und Spenden mit HumHub organisieren.");
    await page.getByLabel("Beschreibung auf Englisch").fill("Organising fees and donations with HumHub.");
    await page.getByRole("button", { name: "Thema hinzufügen" }).click();
    await expectStatus(page, `Das Thema „Vereinsfinanzen ${suffix}“ ist hinzugefügt.`);

    await page.getByRole("link", { name: `Vereinsfinanzen ${suffix} bearbeiten` }).click();
    await expectHeading(page, "Thema bearbeiten");
    await page.getByLabel("Bezeichnung auf Deutsch").fill(`Finanzen im Verein ${suffix}`);
    await page.getByRole("button", { name: "Änderungen speichern" }).click();
    await expectStatus(page, "Das Thema ist gespeichert.");
    await expect(page.getByLabel("Bezeichnung auf Deutsch").inputValue()).resolves.toBe(`Finanzen im Verein ${suffix}`);

    await page.getByRole("button", { name: "Thema ausmustern" }).click();
    await expectStatus(page, "Das Thema ist ausgemustert.");
    await page.getByRole("link", { name: "Zurück zu allen Themen" }).click();
    const row = page.getByRole("row", { name: new RegExp(`Finanzen im Verein ${suffix}`) });
    await expect(row.textContent()).resolves.toContain("Ausgemustert");

    await row.getByRole("link").click();
    await page.getByRole("button", { name: "Thema wieder anbieten" }).click();
    await expectStatus(page, "Das Thema wird wieder angeboten.");
    await context.close();
  });
});

describe("topic catalogue access and language", () => {
  it("shows English labels after switching language and is closed to requesters", async () => {
    const team = await openPage(browser());
    await logIn(team.page, "team2@tandem.example");
    await team.page.goto("/team/topics");
    await team.page.getByRole("button", { name: /English/ }).click();
    await team.page.getByRole("link", { name: "Edit Getting started with HumHub" }).waitFor();
    // The switch is saved on the account, which other tests expect to be German.
    await team.page.getByRole("button", { name: /Deutsch/ }).click();
    await team.page.getByRole("link", { name: "Einstieg in HumHub bearbeiten" }).waitFor();
    await team.context.close();

    const requester = await openPage(browser());
    await logIn(requester.page, "requester@tandem.example");
    expect((await requester.page.goto("/team/topics"))?.status()).toBe(403);
    expect((await requester.page.goto("/team/topics/topic-onboarding"))?.status()).toBe(403);
    await requester.context.close();
  });
});
