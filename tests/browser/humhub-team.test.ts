/**
 * Team: HumHub in Chromium. Without a connection (the shared server) the page explains how to connect; against its
 * own server wired to a fake HumHub started here, the team tests the connection, chooses the space, sees a refused
 * delivery with HumHub's message and retries it, by keyboard, skips another without JavaScript, in German and English, with and without JavaScript,
 * and sees on the settings page what HumHub said about a user name; axe finds nothing on the way. This file's own server keeps the shared one unconnected for every other test.
 *
 * The refused delivery is made by the model in this process, on the server's database (SQLite allows both).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TandemDatabase } from "~/db.server";
import { deliverDueOutbox } from "~/models/humhub-outbox.server";
import { actOnMatch, proposeMatch } from "~/models/match.server";
import { getSchedulingOptions, proposeSessionTimes } from "~/models/session.server";
import { startApp, type RunningApp } from "../support/app-server";
import { expectHeading, expectStatus, logIn, nextClientIp, openPage } from "../support/browser-session";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { startFakeHumhub, type FakeHumhub } from "../support/fake-humhub";
import { matchingFixtures } from "../support/matching-fixtures";

const browser = useSharedChromium();
const { makeUser, makeCoach, makeRequest } = matchingFixtures({ person: "HumHub Browser", emailPrefix: "humhub-browser" });

let fake: FakeHumhub;
let app: RunningApp;
const borrowedEnv = ["HUMHUB_BASE_URL", "HUMHUB_API_TOKEN", "DATABASE_PATH"] as const;
const previousEnv = Object.fromEntries(borrowedEnv.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  fake = await startFakeHumhub();
  const humhubEnv = { HUMHUB_BASE_URL: fake.url, HUMHUB_API_TOKEN: fake.token };
  app = await startApp(humhubEnv);
  // This process books the session whose delivery HumHub refuses: same database and HumHub as the server.
  Object.assign(process.env, humhubEnv, { DATABASE_PATH: app.databasePath });
});

afterAll(async () => {
  // Browser test files share one process: the next file must find neither this connection nor these variables.
  const processDb = globalThis as { tandemDb?: TandemDatabase };
  processDb.tandemDb?.$client.close();
  delete processDb.tandemDb;
  for (const name of borrowedEnv) {
    if (previousEnv[name] === undefined) delete process.env[name];
    else process.env[name] = previousEnv[name];
  }
  await app?.stop();
  await fake?.close();
});

/** A context against this file's server, logged in as the demo team member. */
async function openTeamPage(chromium: Browser, { javaScript = true, locale = "de-DE" }: { javaScript?: boolean; locale?: string } = {}) {
  const context = await chromium.newContext({
    baseURL: app.baseUrl,
    javaScriptEnabled: javaScript,
    locale,
    viewport: { width: 1280, height: 900 },
    extraHTTPHeaders: { "X-Forwarded-For": nextClientIp() },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    // A form answered with 400 is part of the test; any other error in the console is not.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(message.text());
  });
  await logIn(page, "team@tandem.example");
  return { context, page, problems };
}

/** Tabs from the top of the page and returns the accessible names of what got the focus, checking each focus ring. */
async function tabThrough(page: Page, until: string) {
  await page.locator("body").focus();
  const names: string[] = [];
  for (let presses = 0; presses < 120; presses += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      const style = getComputedStyle(element);
      const label = element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null;
      return {
        name: (element.getAttribute("aria-label") ?? label ?? element.textContent ?? "").replace(/\s+/g, " ").trim(),
        ring: style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
      };
    });
    expect(focused.ring, `focus ring on ${focused.name}`).toBe(true);
    names.push(focused.name);
    if (focused.name === until) return names;
  }
  throw new Error(`"${until}" was not reached with Tab; reached ${names.join(" | ")}`);
}

/** Books a session of a fresh accepted match; HumHub refuses its calendar entry with a validation error. */
async function refusedDelivery() {
  const team = makeUser(["team"]);
  const { coach, offerId } = makeCoach();
  const { requestId } = makeRequest();
  const proposed = proposeMatch({ requestId, offerId, source: "team", actorUserId: team.id });
  if (!proposed.ok) throw new Error(proposed.refusal);
  expect(actOnMatch({ matchId: proposed.matchId, action: "accept", actorUserId: coach.id, actorRole: "coach" }).ok).toBe(true);
  const viewer = { id: team.id, roles: ["team"] };
  const slot = getSchedulingOptions(proposed.matchId, viewer, null)?.slots[0];
  if (!slot) throw new Error("no free time");
  fake.failNext(/calendar\/container/, 422, { code: 422, message: "Validation failed", entryForm: [], calendarEntry: { title: ["Title cannot be blank."] } }, { method: "POST" });
  const booked = proposeSessionTimes({ matchId: proposed.matchId, sessionId: null, viewer, times: [slot.startsAt], format: "video", joinDetails: "https://meet.example/raum" });
  if (!booked.ok) throw new Error(booked.refusal);
  await deliverDueOutbox({ backoffBaseMs: 1 });
  return booked.sessionId;
}

describe("Team: HumHub without a connection", () => {
  it("explains the two variables and the local fake, here and on the desk, without axe violations", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "team@tandem.example");
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Team: HumHub" }).click();
    await expectHeading(page, "HumHub");
    await expect(page.title()).resolves.toBe("HumHub · Tandem");
    await page.getByText("Tandem ist noch nicht mit HumHub verbunden.", { exact: true }).waitFor();
    for (const code of ["HUMHUB_BASE_URL", "HUMHUB_API_TOKEN", "npm run humhub:fake"]) await page.locator("code", { hasText: code }).waitFor();
    const banner = page.getByRole("region", { name: "HumHub ist noch nicht eingerichtet" });
    await banner.getByText(/^Tandem ist nicht mit HumHub verbunden\./).waitFor();
    await expect(page.getByRole("button", { name: "Verbindung testen" }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    await page.goto("/team/desk");
    await page.getByRole("region", { name: "HumHub ist noch nicht eingerichtet" }).getByRole("link", { name: "HumHub einrichten" }).click();
    await expectHeading(page, "HumHub");
    await context.close();
  });
});

describe("Team: HumHub connected to a fake HumHub", () => {
  it("refuses a missing space beside the field without JavaScript", async () => {
    const { context, page } = await openTeamPage(browser(), { javaScript: false });
    await page.goto("/team/humhub");
    await expectHeading(page, "HumHub");
    await page.getByRole("region", { name: "HumHub ist noch nicht eingerichtet" }).getByText(/^Tandem ist mit HumHub verbunden, aber/).waitFor();
    await page.getByLabel("Space", { exact: true }).selectOption("");
    await page.getByRole("button", { name: "HumHub-Einstellungen speichern" }).click();
    await page.waitForLoadState("load");
    const field = page.locator(".field--invalid", { has: page.getByLabel("Space", { exact: true }) });
    await field.getByText("Bitte wählen Sie einen Space.", { exact: true }).waitFor();
    await expect(page.getByLabel("Space", { exact: true }).getAttribute("aria-invalid")).resolves.toBe("true");
    // axe needs JavaScript in the page; the same errors are scanned in the next test, shown by the browser.
    await context.close();
  });

  it("tests the connection, chooses the space and retries a refused call, by keyboard, in German", async () => {
    const { context, page, problems } = await openTeamPage(browser());
    await page.goto("/team/humhub");
    await expectHeading(page, "HumHub");
    await page.getByText(`…${fake.token.slice(-4)}`).waitFor();
    await expect(page.content()).resolves.not.toContain(fake.token);

    await page.getByRole("button", { name: "Verbindung testen" }).focus();
    await page.keyboard.press("Enter");
    await expectStatus(page, "Die Verbindung steht: Tandem spricht mit HumHub als Tandem (tandem).");
    await expectNoAxeViolations(page);

    // Validated as you go: leaving the placeholder says so before anything is sent.
    const space = page.getByLabel("Space", { exact: true });
    await space.focus();
    await page.keyboard.press("Tab");
    await page.getByRole("button", { name: "HumHub-Einstellungen speichern" }).click();
    await page.getByText("Bitte wählen Sie einen Space.").first().waitFor();
    await expectNoAxeViolations(page);
    await space.selectOption({ label: "Peer-Coaching" });
    await page.getByRole("group", { name: "Wer sieht die Beiträge?" }).getByLabel("Öffentlich").check();
    await page.getByRole("button", { name: "HumHub-Einstellungen speichern" }).click();
    await expectStatus(page, "Die HumHub-Einstellungen sind gespeichert.");
    await page.getByText("Gewählt: Peer-Coaching", { exact: true }).waitFor();
    await expect(page.getByRole("region", { name: "HumHub ist noch nicht eingerichtet" }).count()).resolves.toBe(0);

    const sessionId = await refusedDelivery();
    await page.reload();
    const table = page.getByRole("table", { name: "Von HumHub abgelehnte Aufrufe, die neuesten zuerst" });
    await expect(table.locator("thead th").allTextContents()).resolves.toEqual(["Aufruf", "Treffen", "Meldung von HumHub", "HTTP-Status", "Versuche", "Aktion"]);
    const row = table.locator("tbody tr");
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator("th").textContent()).resolves.toBe("Kalendereintrag anlegen");
    await expect(row.locator("td").allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Treffen am /),
      "Validation failed: title: Title cannot be blank.",
      "422",
      "1",
      "Erneut versuchenÜberspringen",
    ]);
    // Each button names its row for screen readers, starting with its visible text.
    await expect(row.getByRole("button", { name: /^Erneut versuchen: Kalendereintrag anlegen, Treffen am / }).count()).resolves.toBe(1);
    await expect(row.getByRole("button", { name: /^Überspringen: Kalendereintrag anlegen, Treffen am / }).count()).resolves.toBe(1);
    await expect(row.getByRole("link").getAttribute("href")).resolves.toBe(`/sessions/${sessionId}`);
    await expectNoAxeViolations(page);
    // At a phone's width the table scrolls inside its own box; the page itself does not widen.
    await page.setViewportSize({ width: 360, height: 800 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).resolves.toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });

    const reached = await tabThrough(page, "Alle erneut versuchen");
    for (const name of ["Team: HumHub", "Verbindung testen", "Space", "HumHub-Einstellungen speichern"]) expect(reached).toContain(name);
    expect(reached.some((name) => name.startsWith("Erneut versuchen: Kalendereintrag anlegen"))).toBe(true);
    expect(reached.some((name) => name.startsWith("Überspringen: Kalendereintrag anlegen"))).toBe(true);
    // The row's buttons come before "Alle erneut versuchen": skip, then retry.
    await page.keyboard.press("Shift+Tab");
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "")).resolves.toMatch(/^Überspringen: /);
    await page.keyboard.press("Shift+Tab");
    await expect(page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "")).resolves.toMatch(/^Erneut versuchen: /);
    await page.keyboard.press("Enter");
    await expectStatus(page, "1 Aufruf wird erneut übermittelt.");
    // The server delivers right after answering; the page shows it on the next visit.
    await expect
      .poll(async () => {
        await page.reload();
        return page.getByText("Keine abgelehnten Aufrufe.", { exact: true }).count();
      }, { timeout: 15_000 })
      .toBe(1);
    expect([...fake.calendarEntries.values()].some((entry) => entry.description.includes(`/sessions/${sessionId}#`))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("skips a refused call without JavaScript, having said what skipping means, and the session's later calls go out", async () => {
    const { context, page, problems } = await openTeamPage(browser(), { javaScript: false });
    const sessionId = await refusedDelivery();
    await page.goto("/team/humhub");
    await page.getByText(/^Überspringen gibt einen Aufruf auf: Tandem sendet ihn nicht mehr/).waitFor();
    const skip = page.getByRole("button", { name: /^Überspringen\b/ });
    await expect(skip.getAttribute("aria-label")).resolves.toMatch(/^Überspringen: Kalendereintrag anlegen, Treffen am /);
    await skip.click();
    await expectStatus(page, "1 Aufruf ist übersprungen; die späteren Aufrufe des Treffens werden übermittelt.");
    await page.getByText("Keine abgelehnten Aufrufe.", { exact: true }).waitFor();
    // The server delivers right after answering: the announcement goes out, with no entry to link.
    await expect
      .poll(() => [...fake.posts.values()].some((post) => post.message.includes(`/sessions/${sessionId}#announcement`)), { timeout: 15_000 })
      .toBe(true);
    expect([...fake.calendarEntries.values()].some((entry) => entry.description.includes(`/sessions/${sessionId}#`))).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("tells a person on their settings page what HumHub said about their user name", async () => {
    const { context, page, problems } = await openTeamPage(browser());
    await page.goto("/settings");
    const field = page.getByLabel("HumHub-Benutzername (optional)");
    await field.fill("anna.schmidt");
    await page.getByRole("button", { name: "Profil speichern" }).click();
    await expectStatus(page, "Ihr Profil ist gespeichert.");
    // Tandem's token here is not an admin's, so HumHub refuses the lookup; the hint says so, read with the field.
    const describedBy = (await page.getByLabel("HumHub-Benutzername (optional)").getAttribute("aria-describedby")) ?? "";
    await expect(page.locator(`[id="${describedBy.split(" ")[0]}"]`).textContent()).resolves.toContain(
      "Tandem kann den Namen nicht prüfen: Dem HumHub-Zugang von Tandem fehlt das Recht „Benutzer verwalten“.",
    );
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the page in English without axe violations", async () => {
    const { context, page, problems } = await openTeamPage(browser(), { locale: "en-GB" });
    await page.goto("/team/humhub");
    await page.getByRole("button", { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await expectHeading(page, "HumHub");
    for (const heading of ["Connection", "Space and posts", "Delivery", "HumHub user names"]) {
      await page.getByRole("heading", { level: 2, name: heading, exact: true }).waitFor();
    }
    await page.getByText("Chosen: Peer-Coaching", { exact: true }).waitFor();
    await expect(page.getByRole("group", { name: "Who sees the posts?" }).getByLabel("Public").isChecked()).resolves.toBe(true);
    await page.getByText("No refused calls.", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Test connection" }).click();
    await expectStatus(page, "The connection works: Tandem talks to HumHub as Tandem (tandem).");
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  });
});
