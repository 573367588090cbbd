import fs from "node:fs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "~/auth.server";
import { getDb } from "~/db.server";
import { updatePasswordHash, updateProfile } from "~/models/user.server";
import { coachingSessions, humhubOutbox, notifications, users } from "~db/schema";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { demoPassword, expectHeading, expectStatus, horizontalOverflow, logIn, openPage } from "../support/browser-session";
import { sessionFixtures } from "../support/session-fixtures";

const browser = useSharedChromium();
const fixtures = sessionFixtures({ person: "Datenschutz", emailPrefix: "privacy-journey" });

beforeAll(() => {
  // The models write into the shared app's database, as another process next to the server.
  process.env.DATABASE_PATH = inject("databasePath");
});

const HOUR = 3_600_000;

/** An accepted tandem with one confirmed session three days ahead, both people able to log in. */
async function tandemWithUpcomingSession() {
  const now = new Date();
  const match = fixtures.makeAcceptedMatch({ now });
  const passwordHash = await hashPassword(demoPassword);
  for (const person of [match.coach, match.requester]) updatePasswordHash(person.id, passwordHash);
  const startsAt = Math.ceil((now.getTime() + 72 * HOUR) / (15 * 60_000)) * 15 * 60_000;
  const sessionId = crypto.randomUUID();
  getDb()
    .insert(coachingSessions)
    .values({ id: sessionId, matchId: match.matchId, coachUserId: match.coach.id, requesterUserId: match.requester.id, status: "confirmed", durationMinutes: 60, format: "video", joinDetails: "https://meet.example/privat", startsAt: new Date(startsAt), endsAt: new Date(startsAt + HOUR), updatedAt: now })
    .run();
  return { ...match, sessionId };
}

describe("my data and deleting an account", () => {
  it("downloads my data, then deletes the account by keyboard: the session is cancelled and every device is signed out (German, JavaScript)", async () => {
    const tandem = await tandemWithUpcomingSession();
    const otherDevice = await openPage(browser());
    await logIn(otherDevice.page, tandem.requester.email);

    const { context, page } = await openPage(browser());
    await logIn(page, tandem.requester.email);
    await page.goto("/settings");
    await expectHeading(page, "Konto");
    const myData = page.getByRole("region", { name: "Meine Daten" });
    const [download] = await Promise.all([page.waitForEvent("download"), myData.getByRole("link", { name: "Meine Daten herunterladen (JSON)" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tandem-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
    expect(data.profile.email).toBe(tandem.requester.email);
    expect(data.sessions.map((session: { id: string }) => session.id)).toEqual([tandem.sessionId]);
    await expectNoAxeViolations(page);

    await myData.getByRole("link", { name: "Konto löschen …" }).click();
    await expectHeading(page, "Konto löschen");
    await page.getByText("1 anstehendes Treffen wird abgesagt; die andere Seite erfährt es, und der HumHub-Eintrag wird entfernt.").waitFor();
    await expectNoAxeViolations(page);
    // At a phone's width nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 800 });
    await expect(horizontalOverflow(page)).resolves.toBe(0);
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Checked as you type: nothing filled in gives both messages, and the form is not sent.
    await page.getByRole("button", { name: "Konto endgültig löschen" }).click();
    await page.locator("#delete-account-currentPassword-error").waitFor();
    await expect(page.locator("#delete-account-confirm-error").textContent()).resolves.toBe("Bitte bestätigen Sie, dass Ihr Konto endgültig gelöscht werden soll.");
    await expectNoAxeViolations(page);

    await page.getByLabel("Aktuelles Passwort").focus();
    await page.keyboard.type(demoPassword);
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("delete-account-confirm");
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expectStatus(page, "Ihr Konto ist gelöscht. Danke, dass Sie dabei waren.");

    const db = getDb();
    expect(db.select({ status: coachingSessions.status }).from(coachingSessions).where(eq(coachingSessions.id, tandem.sessionId)).get()).toEqual({ status: "cancelled" });
    expect(db.select({ kind: humhubOutbox.kind }).from(humhubOutbox).where(eq(humhubOutbox.sessionId, tandem.sessionId)).all().map((row) => row.kind)).toEqual(["deleteEntry", "announceCancellation"]);
    expect(db.select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, tandem.coach.id)).all().map((row) => row.kind)).toContain("sessionCancelled");
    expect(db.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, tandem.requester.id)).get()!.deletedAt).not.toBeNull();

    // The other device is signed out, and the old address cannot log in.
    await otherDevice.page.goto("/dashboard");
    await otherDevice.page.waitForURL(/\/login\?/);
    await logInFails(page, tandem.requester.email);

    // The coach sees the session as cancelled.
    await logIn(page, tandem.coach.email);
    await page.goto(`/sessions/${tandem.sessionId}`);
    await page.getByText("Abgesagt", { exact: true }).first().waitFor();
    await otherDevice.context.close();
    await context.close();
  });

  it("works without JavaScript, in English: a wrong password keeps the account", async () => {
    const person = fixtures.makeUser(["requester", "coach"]);
    updatePasswordHash(person.id, await hashPassword(demoPassword));
    updateProfile(person.id, { name: person.name, locale: "en", timeZone: "Europe/Berlin", humhubUsername: null, roles: ["requester", "coach"] });
    const { context, page } = await openPage(browser(), { javaScript: false, locale: "en-GB" });
    await logIn(page, person.email);
    await page.goto("/account/delete");
    await expectHeading(page, "Delete account");
    await page.getByText("0 upcoming sessions will be cancelled; the other side is told and the HumHub entries are removed.").waitFor();

    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("I understand that my account will be deleted for good.").check();
    await page.getByRole("button", { name: "Delete account for good" }).click();
    await page.locator("#delete-account-currentPassword-error").waitFor();
    await expect(page.locator("#delete-account-currentPassword-error").textContent()).resolves.toBe("The current password is not correct.");
    // The tick survives the refused attempt; the password does not.
    await expect(page.getByLabel("I understand that my account will be deleted for good.").isChecked()).resolves.toBe(true);
    await expect(page.getByLabel("Current password").inputValue()).resolves.toBe("");
    // axe needs JavaScript in the page: the same English page, scanned in a second window that has it.
    const scanned = await openPage(browser(), { locale: "en-GB" });
    await logIn(scanned.page, person.email);
    await scanned.page.goto("/account/delete");
    await expectHeading(scanned.page, "Delete account");
    await expectNoAxeViolations(scanned.page);
    await scanned.context.close();
    expect(getDb().select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, person.id)).get()!.deletedAt).toBeNull();

    await page.getByLabel("Current password").fill(demoPassword);
    await page.getByRole("button", { name: "Delete account for good" }).click();
    await expectStatus(page, "Your account has been deleted. Thank you for taking part.");
    await context.close();
  });
});

describe("retention", () => {
  it("lets the team set the period, and the privacy notice states it", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "team@tandem.example");
    await page.goto("/team/settings");
    const months = page.getByLabel("Aufbewahrungsfrist in Monaten");
    await months.fill("0");
    await page.getByRole("button", { name: "Frist speichern" }).click();
    await page.locator("#retention-retentionMonths-error").waitFor();
    await expect(page.locator("#retention-retentionMonths-error").textContent()).resolves.toBe("Bitte geben Sie eine ganze Zahl von 1 bis 120 an.");
    await months.fill("18");
    await page.getByRole("button", { name: "Frist speichern" }).click();
    await expectStatus(page, "Die Aufbewahrungsfrist ist gespeichert.");
    await expect(page.getByLabel("Aufbewahrungsfrist in Monaten").inputValue()).resolves.toBe("18");
    await expectNoAxeViolations(page);

    const visitor = await openPage(browser(), { width: 360 });
    await visitor.page.goto("/privacy");
    await visitor.page.getByRole("heading", { name: "Wie lange wir speichern" }).waitFor();
    await visitor.page.getByText(/entfernt Tandem 18 Monate nach der letzten Aktivität alle Freitexte/).waitFor();
    await expect(horizontalOverflow(visitor.page)).resolves.toBe(0);
    await expectNoAxeViolations(visitor.page);
    await visitor.context.close();

    // Back to the default, for the other files on this server.
    await page.getByLabel("Aufbewahrungsfrist in Monaten").fill("24");
    await page.getByRole("button", { name: "Frist speichern" }).click();
    await expectStatus(page, "Die Aufbewahrungsfrist ist gespeichert.");
    await context.close();
  });
});

async function logInFails(page: import("playwright-core").Page, email: string) {
  await page.goto("/login");
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill(demoPassword);
  await page.locator("main form button[type=submit]").click();
  await page.getByRole("alert").first().waitFor();
  expect(new URL(page.url()).pathname).toBe("/login");
}
