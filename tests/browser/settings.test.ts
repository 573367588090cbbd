import { describe, expect, it } from "vitest";
import { useSharedChromium } from "../support/chromium";
import { expectHeading, expectStatus, logIn, openPage, signUp, uniqueEmail } from "../support/browser-session";

const browser = useSharedChromium();

describe.each([{ javaScript: true }, { javaScript: false }])("account settings (JavaScript: $javaScript)", ({ javaScript }) => {
  it("edits name, language, time zone and roles, and changes the password", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    const email = uniqueEmail("settings");
    await signUp(page, { name: "Petra Profil", email, password: "das erste Passwort", role: "requester" });

    await page.getByRole("link", { name: "Konto" }).click();
    await expectHeading(page, "Konto");
    await page.getByLabel("Name", { exact: true }).fill("Petra Neuname");
    await page.getByLabel("Zeitzone").selectOption("Europe/Vienna");
    await page.getByLabel("Ich möchte anderen Organisationen Coaching anbieten").check();
    await page.getByLabel("Bevorzugte Sprache").selectOption("en");
    await page.getByRole("button", { name: "Profil speichern" }).click();
    await expectStatus(page, "Your profile is saved.");
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en");
    await expect(page.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("Petra Neuname");
    await expect(page.getByLabel("Time zone").inputValue()).resolves.toBe("Europe/Vienna");
    await expect(page.getByLabel("I want to offer coaching to other organisations").isChecked()).resolves.toBe(true);

    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password", { exact: true }).fill("das zweite Passwort");
    await page.getByLabel("Repeat new password").fill("das zweite Passwort");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.locator("#password-currentPassword-error").waitFor();
    await expect(page.locator("#password-currentPassword-error").textContent()).resolves.toBe(
      "The current password is not correct.",
    );

    await page.getByLabel("Current password").fill("das erste Passwort");
    await page.getByLabel("New password", { exact: true }).fill("das zweite Passwort");
    await page.getByLabel("Repeat new password").fill("das zweite Passwort");
    await page.getByRole("button", { name: "Change password" }).click();
    await expectStatus(page, "Your password is changed. Other devices were logged out.");

    await page.getByRole("button", { name: "Log out" }).click();
    await expectStatus(page, "You are logged out.");
    await logIn(page, email, "das zweite Passwort");
    await expectHeading(page, "Dashboard");
    await context.close();
  });

  it("lets the team fill in the imprint that everyone sees", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await logIn(page, "team2@tandem.example");
    await page.getByRole("link", { name: "Team: Einstellungen" }).click();
    const imprint = `Tandem e. V. (fiktiv), Musterweg ${javaScript ? 1 : 2}, 12345 Beispielstadt`;
    await page.getByLabel("Impressum").fill(imprint);
    await page.getByRole("button", { name: "Einstellungen speichern" }).click();
    await expectStatus(page, "Die Einstellungen sind gespeichert.");
    const visitor = await openPage(browser(), { javaScript });
    await visitor.page.goto("/imprint");
    await visitor.page.getByText(imprint).waitFor();
    await visitor.context.close();
    await context.close();
  });
});
