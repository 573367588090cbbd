import { describe, expect, it } from "vitest";
import { useSharedChromium } from "../support/chromium";
import { expectStatus, logIn, openPage, signUp, uniqueEmail } from "../support/browser-session";

const browser = useSharedChromium();

describe.each([{ javaScript: true }, { javaScript: false }])("organisations (JavaScript: $javaScript)", ({ javaScript }) => {
  it("creates an organisation, invites a colleague who then accepts", async () => {
    const founder = await openPage(browser(), { javaScript });
    await signUp(founder.page, { name: "Gründerin Beispiel", email: uniqueEmail("founder"), role: "coach" });
    await founder.page.getByRole("link", { name: "Organisation anlegen" }).click();
    await founder.page.getByRole("button", { name: "Organisation anlegen" }).click();
    await expect(founder.page.locator("#organisation-kind-error").textContent()).resolves.toMatch(/Eintrag aus der Liste/);
    const name = `Tauschring Fantasiedorf ${Date.now()}`;
    await founder.page.getByLabel("Name der Organisation").fill(name);
    await founder.page.getByLabel("Art der Organisation").selectOption({ label: "Initiative" });
    await founder.page.getByLabel(/Größe/).selectOption({ label: "bis 10" });
    await founder.page.getByLabel("Region").selectOption({ label: "Thüringen" });
    await founder.page.getByLabel(/Website/).fill("https://tauschring.example");
    await founder.page.getByRole("button", { name: "Organisation anlegen" }).click();
    await founder.page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
    await founder.page.getByRole("heading", { level: 1, name }).waitFor();
    await expectStatus(founder.page, "Die Organisation ist angelegt.");

    const colleagueEmail = uniqueEmail("colleague");
    await founder.page.getByLabel("E-Mail-Adresse der Person").fill(colleagueEmail);
    await founder.page.getByRole("button", { name: "Einladen", exact: true }).click();
    await expectStatus(founder.page, `${colleagueEmail} ist eingeladen.`);
    await expect(founder.page.getByLabel("E-Mail-Adresse der Person").inputValue()).resolves.toBe("");

    const colleague = await openPage(browser(), { javaScript });
    await signUp(colleague.page, { name: "Kollege Beispiel", email: colleagueEmail, role: "coach" });
    await colleague.page.getByText("Sie haben 1 offene Einladung.").waitFor();
    await colleague.page.getByRole("link", { name: "Einladungen ansehen" }).click();
    await colleague.page.getByRole("button", { name: "Einladung annehmen" }).click();
    await colleague.page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
    await expectStatus(colleague.page, `Sie sind jetzt Mitglied von ${name}.`);
    await expect(colleague.page.getByRole("listitem").filter({ hasText: "Gründerin Beispiel" }).count()).resolves.toBe(1);

    // The founder's organisation page stays closed to people outside it.
    const outsider = await openPage(browser(), { javaScript });
    await logIn(outsider.page, "requester@tandem.example");
    const response = await outsider.page.goto(new URL(colleague.page.url()).pathname);
    expect(response?.status()).toBe(404);
    for (const session of [founder, colleague, outsider]) await session.context.close();
  });
});

describe.each([{ javaScript: true }, { javaScript: false }])("team role (JavaScript: $javaScript)", ({ javaScript }) => {
  it("a team member grants the team role, which opens the team pages to that person", async () => {
    const newcomer = await openPage(browser(), { javaScript });
    const email = uniqueEmail("new-team");
    await signUp(newcomer.page, { name: `Neu im Team ${javaScript ? "A" : "B"}`, email, role: "coach" });
    expect((await newcomer.page.goto("/team/members"))?.status()).toBe(403);

    const team = await openPage(browser(), { javaScript });
    await logIn(team.page, "team@tandem.example");
    await team.page.getByRole("link", { name: "Team: Personen" }).click();
    await team.page.getByRole("searchbox").fill(email);
    await team.page.getByRole("button", { name: "Suchen" }).click();
    await expectStatus(team.page, "1 Person");
    const name = `Neu im Team ${javaScript ? "A" : "B"}`;
    await team.page.getByRole("button", { name: `${name} zum Team hinzufügen` }).click();
    await expectStatus(team.page, `${name} gehört jetzt zum Community-Team.`);
    await expect(team.page.getByRole("row", { name: new RegExp(name) }).textContent()).resolves.toContain("Community-Team");

    expect((await newcomer.page.goto("/team/members"))?.status()).toBe(200);
    await expect(newcomer.page.getByRole("link", { name: "Team: Personen" }).count()).resolves.toBe(1);

    await team.page.getByRole("button", { name: `${name} aus dem Team entfernen` }).click();
    await expectStatus(team.page, `${name} gehört nicht mehr zum Community-Team.`);
    expect((await newcomer.page.goto("/team/members"))?.status()).toBe(403);
    await newcomer.context.close();
    await team.context.close();
  });
});
