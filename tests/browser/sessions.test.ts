/**
 * Coaching sessions of one tandem, booked, moved and cancelled in Chromium by a coach in Berlin (German) and a
 * requester in New York (English), across both daylight-saving changes of spring 2027.
 *
 * This file runs its own app server (fresh database, demo seed) whose clock starts at Friday 5 March 2027,
 * 09:00 in Berlin (see tests/support/shifted-clock.mjs). Its 4-week booking horizon then holds four Sundays:
 *   7 Mar  Berlin CET  (UTC+1), New York EST (UTC−5): 6 hours apart
 *  14 Mar  Berlin CET  (UTC+1), New York EDT (UTC−4): 5 hours apart (the US changed that night)
 *  21 Mar  the same as 14 Mar
 *  28 Mar  Berlin CEST (UTC+2), New York EDT (UTC−4): 6 hours apart again (the EU changed that night)
 * The coach has time on Sundays 15:00–19:00 Berlin time, the requester 09:00–12:00 New York time; sessions last
 * 60 minutes. No seeded coach has Sunday times, so the new coach is the only one whose time fits.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../support/app-server";
import { demoPassword, expectHeading, expectStatus, horizontalOverflow, logIn, nextClientIp } from "../support/browser-session";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";

const browser = useSharedChromium();

const clockStart = "2027-03-05T08:00:00.000Z";
const shiftedClock = path.join(path.dirname(fileURLToPath(import.meta.url)), "../support/shifted-clock.mjs");

const coach = { name: "Clara Berliner", email: `clara-${Date.now().toString(36)}@sessions.example`, organisation: "Nachbarschaftshilfe Kreuzberg e.V." };
const requester = { name: "Nathan Hudson", email: `nathan-${Date.now().toString(36)}@sessions.example`, organisation: "Hudson Valley Volunteers" };
const team = { email: "team@tandem.example", name: "Katrin Vogel" };
const password = "ein sicherer Satz 2026";
const joinLink = "https://video.example/tandem-clara-nathan";
const newJoinLink = "https://video.example/tandem-clara-nathan-neu";
const rescheduleReason = "Our board meets that Sunday.";
const cancelReason = "Der Vorstand hat das Projekt verschoben.";

/**
 * Every free start, written out by hand from the windows and offsets above (not by the app's formatter): the UTC
 * instant, the wall clock in Berlin and in New York. The shifted clock and 24 hours' notice leave 7 March whole.
 */
const slots = [
  ["2027-03-07T14:00Z", "15:00", "09:00"],
  ["2027-03-07T14:30Z", "15:30", "09:30"],
  ["2027-03-07T15:00Z", "16:00", "10:00"],
  ["2027-03-07T15:30Z", "16:30", "10:30"],
  ["2027-03-07T16:00Z", "17:00", "11:00"],
  ["2027-03-14T14:00Z", "15:00", "10:00"],
  ["2027-03-14T14:30Z", "15:30", "10:30"],
  ["2027-03-14T15:00Z", "16:00", "11:00"],
  ["2027-03-21T14:00Z", "15:00", "10:00"],
  ["2027-03-21T14:30Z", "15:30", "10:30"],
  ["2027-03-21T15:00Z", "16:00", "11:00"],
  ["2027-03-28T13:00Z", "15:00", "09:00"],
  ["2027-03-28T13:30Z", "15:30", "09:30"],
  ["2027-03-28T14:00Z", "16:00", "10:00"],
  ["2027-03-28T14:30Z", "16:30", "10:30"],
  ["2027-03-28T15:00Z", "17:00", "11:00"],
].map(([utc, berlin, newYork]) => ({ at: Date.parse(utc!), berlin: berlin!, newYork: newYork! }));
type Slot = (typeof slots)[number];

const dayNames: Record<string, { de: string; en: string }> = {
  "07": { de: "So., 7. März 2027", en: "Sun, 7 Mar 2027" },
  "14": { de: "So., 14. März 2027", en: "Sun, 14 Mar 2027" },
  "21": { de: "So., 21. März 2027", en: "Sun, 21 Mar 2027" },
  "28": { de: "So., 28. März 2027", en: "Sun, 28 Mar 2027" },
};
const plusHour = (time: string) => `${String(Number(time.slice(0, 2)) + 1).padStart(2, "0")}${time.slice(2)}`;
const day = (slot: Slot) => dayNames[new Date(slot.at).toISOString().slice(8, 10)]!;
const berlinRange = (slot: Slot) => `${day(slot).de}, ${slot.berlin}–${plusHour(slot.berlin)}`;
const newYorkRange = (slot: Slot) => `${day(slot).en}, ${slot.newYork}–${plusHour(slot.newYork)}`;
/** The slot picker's labels and the session page's, for each reader. */
const coachPickerLabel = (slot: Slot) => `${berlinRange(slot)} · bei der anderen Seite: ${slot.newYork}–${plusHour(slot.newYork)} (New York)`;
const requesterPickerLabel = (slot: Slot) => `${newYorkRange(slot)} · for the other side: ${slot.berlin}–${plusHour(slot.berlin)} (Berlin)`;
const coachSees = (slot: Slot) => `${berlinRange(slot)} (bei der anderen Seite: ${slot.newYork}–${plusHour(slot.newYork)} (New York))`;
const requesterSees = (slot: Slot) => `${newYorkRange(slot)} (for the other side: ${slot.berlin}–${plusHour(slot.berlin)} (Berlin))`;
const icsStamp = (slot: Slot) => `${new Date(slot.at).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;

// The times the journey uses: one before the US change, one between the changes, and one after the EU change.
const beforeUsChange = slots[0]!; // 7 Mar, 15:00 Berlin = 09:00 New York
const betweenChanges = slots[5]!; // 14 Mar, 15:00 Berlin = 10:00 New York
const afterEuChange = slots[11]!; // 28 Mar, 15:00 Berlin = 09:00 New York
const alsoFree = slots[8]!; // 21 Mar, a fourth time the coach may not add

/** The hand-written table agrees with the time zone database (so a typo there cannot make the app look wrong). */
function checkTable() {
  const wallClock = (instant: number, timeZone: string) =>
    new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
  for (const slot of slots) {
    expect(wallClock(slot.at, "Europe/Berlin"), new Date(slot.at).toISOString()).toBe(slot.berlin);
    expect(wallClock(slot.at, "America/New_York"), new Date(slot.at).toISOString()).toBe(slot.newYork);
  }
}

let app: RunningApp;
beforeAll(async () => {
  checkTable();
  app = await startApp({
    TANDEM_TEST_CLOCK: clockStart,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import ${JSON.stringify(shiftedClock)}`].filter(Boolean).join(" "),
  });
});
afterAll(async () => {
  await app?.stop();
});

type Person = { context: BrowserContext; page: Page; problems: string[] };

/**
 * A context against this file's server. The browsers keep the machine's real date: every page must take "now"
 * from the server, and a page that read the browser's clock would show up as a hydration error in `problems`.
 */
async function openPerson(
  chromium: Browser,
  options: { locale: string; timezoneId: string; javaScript?: boolean; width?: number },
): Promise<Person> {
  const context = await chromium.newContext({
    baseURL: app.baseUrl,
    javaScriptEnabled: options.javaScript ?? true,
    locale: options.locale,
    timezoneId: options.timezoneId,
    viewport: { width: options.width ?? 1280, height: 900 },
    extraHTTPHeaders: { "X-Forwarded-For": nextClientIp() },
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    // A POST answered with 400 is part of the test; anything else logged as an error is not.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(`${page.url()}: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Waits until React has hydrated the page, so a click is handled by the app and not by the browser. */
async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    const heading = document.querySelector("h1");
    return heading !== null && Object.keys(heading).some((key) => key.startsWith("__reactFiber"));
  });
}

/** Counts the POST requests a page sends from now on. */
function countPosts(page: Page) {
  const counter = { posts: 0 };
  page.on("request", (request) => {
    if (request.method() === "POST") counter.posts += 1;
  });
  return counter;
}

/** Clicks a submit button and returns the status of the POST it sends (a full page load without JavaScript). */
async function submitForStatus(page: Page, button: Locator) {
  const [response] = await Promise.all([page.waitForResponse((response) => response.request().method() === "POST"), button.click()]);
  await page.waitForLoadState("load");
  return response.status();
}

/** Presses Tab until the element with `id` has the focus, and checks the focus ring is visible. */
async function tabTo(page: Page, id: string) {
  for (let presses = 0; presses < 80; presses += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return null;
      const style = getComputedStyle(element);
      return {
        id: element.id,
        visible: element.matches(":focus-visible") && style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (focused?.id === id) {
      expect(focused.visible, `focus ring on ${id}`).toBe(true);
      return;
    }
  }
  throw new Error(`${id} was not reached with Tab`);
}

/** One line of a page's first details list, found by its term. */
const detail = (page: Page, term: string) =>
  page.locator("main dl.meta-list").first().locator(":scope > div", { has: page.locator("dt", { hasText: new RegExp(`^${term}$`) }) }).locator("dd");
const choiceLabels = (page: Page, legend: string) =>
  page.getByRole("group", { name: legend, exact: true }).locator(".choice label").allTextContents();
const slotId = (form: string, field: string, slot: Slot) => `#${form}-${field}-${slot.at}`;

async function signUp(page: Page, person: { name: string; email: string }, fields: Record<string, string>) {
  await page.goto("/signup");
  await page.getByLabel(fields.name!).fill(person.name);
  await page.getByLabel(fields.email!).fill(person.email);
  await page.getByLabel(fields.password!, { exact: true }).fill(password);
  await page.getByLabel(fields.locale!).selectOption(fields.localeValue!);
  await page.getByLabel(fields.timeZone!, { exact: true }).selectOption(fields.timeZoneValue!);
  await page.getByLabel(fields.role!).check();
  await page.getByLabel(new RegExp(fields.consent!)).check();
  await page.getByRole("button", { name: fields.submit! }).click();
  await page.waitForURL("**/dashboard");
}

async function createOrganisation(page: Page, name: string, fields: Record<string, string>) {
  await page.goto("/organisations/new");
  await page.getByLabel(fields.name!).fill(name);
  await page.getByLabel(fields.kind!).selectOption("association");
  await page.getByLabel(new RegExp(fields.size!)).selectOption("upTo50");
  await page.getByLabel(fields.region!, { exact: true }).selectOption("DE-BE");
  await page.getByRole("button", { name: fields.submit! }).click();
  await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/);
}

async function fetchCalendar(page: Page, url: string) {
  const response = await page.request.get(url);
  return { status: response.status(), type: response.headers()["content-type"] ?? "", text: response.ok() ? await response.text() : "" };
}

async function expectInvitation(page: Page, sessionId: string, method: "REQUEST" | "CANCEL", slot: Slot) {
  const file = await fetchCalendar(page, `/sessions/${sessionId}/calendar.ics`);
  expect(file.status).toBe(200);
  expect(file.type).toBe(`text/calendar; charset=utf-8; method=${method}`);
  expect(file.text).toContain(`METHOD:${method}\r\n`);
  expect(file.text).toContain(`DTSTART:${icsStamp(slot)}\r\n`);
  expect(file.text).toContain(`STATUS:${method === "REQUEST" ? "CONFIRMED" : "CANCELLED"}\r\n`);
  return file.text;
}

type Tandem = {
  coach: { name: string; email: string; organisation: string };
  requester: { name: string; email: string; organisation: string };
  /** Sunday hours, Berlin time for the coach and New York time for the requester. */
  coachHours: [string, string];
  requesterHours: [string, string];
};

/** A coach in Berlin (German) and a requester in New York (English) sign up, the team approves and the coach accepts. */
async function formTandem(chromium: () => Browser, people: Tandem): Promise<{ coachPerson: Person; requesterPerson: Person; matchPath: string }> {
  const coachPerson = await openPerson(chromium(), { locale: "de-DE", timezoneId: "Europe/Berlin" });
  const { page: coachPage } = coachPerson;
  await signUp(coachPage, people.coach, {
    name: "Ihr Name",
    email: "E-Mail-Adresse",
    password: "Passwort",
    locale: "Bevorzugte Sprache",
    localeValue: "de",
    timeZone: "Zeitzone",
    timeZoneValue: "Europe/Berlin",
    role: "Ich möchte anderen Organisationen Coaching anbieten",
    consent: "Datenschutzhinweis",
    submit: "Konto anlegen",
  });
  await createOrganisation(coachPage, people.coach.organisation, {
    name: "Name der Organisation",
    kind: "Art der Organisation",
    size: "Größe",
    region: "Region",
    submit: "Organisation anlegen",
  });
  await coachPage.goto("/offer/edit");
  await expectHeading(coachPage, "Coaching-Angebot anlegen");
  await coachPage.getByLabel("Erfahrung: Einstieg in HumHub").selectOption("3");
  await coachPage.locator("#offer-windows\\.0\\.weekday").selectOption("7");
  await coachPage.locator("#offer-windows\\.0\\.start").fill(people.coachHours[0]);
  await coachPage.locator("#offer-windows\\.0\\.end").fill(people.coachHours[1]);
  await coachPage.getByLabel("Kurz über Sie und Ihre Organisation").fill("Sonntags habe ich Zeit für HumHub-Fragen.");
  await coachPage.getByRole("button", { name: "Angebot speichern" }).click();
  await expectStatus(coachPage, "Ihr Angebot ist gespeichert.");

  const requesterPerson = await openPerson(chromium(), { locale: "en-US", timezoneId: "America/New_York" });
  const { page: requesterPage } = requesterPerson;
  await signUp(requesterPage, people.requester, {
    name: "Your name",
    email: "Email address",
    password: "Password",
    locale: "Preferred language",
    localeValue: "en",
    timeZone: "Time zone",
    timeZoneValue: "America/New_York",
    role: "I want coaching for my organisation",
    consent: "privacy notice",
    submit: "Create account",
  });
  await createOrganisation(requesterPage, people.requester.organisation, {
    name: "Name of the organisation",
    kind: "Kind of organisation",
    size: "Size",
    region: "Region",
    submit: "Create organisation",
  });
  await requesterPage.goto("/requests/new");
  await expectHeading(requesterPage, "New coaching request");
  await requesterPage.getByRole("group", { name: "Topics" }).getByLabel("Getting started with HumHub").check();
  await requesterPage.getByRole("group", { name: "Most important topic" }).getByLabel("Getting started with HumHub").check();
  await requesterPage.getByLabel("What do you want to achieve?").fill("Our volunteers should find their shifts in HumHub.");
  await requesterPage.locator("#request-windows\\.0\\.weekday").selectOption("7");
  await requesterPage.locator("#request-windows\\.0\\.start").fill(people.requesterHours[0]);
  await requesterPage.locator("#request-windows\\.0\\.end").fill(people.requesterHours[1]);
  await requesterPage.getByRole("button", { name: "Send request" }).click();
  await requesterPage.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  await expectHeading(requesterPage, "Coaching request");

  await requesterPage.goto(`${new URL(requesterPage.url()).pathname}/suggestions`);
  await expectHeading(requesterPage, "Matching coaches");
  const card = requesterPage.locator("ol.suggestions > li", {
    has: requesterPage.getByRole("heading", { level: 3, name: new RegExp(`^Rank \\d+: ${people.coach.organisation.replace(/\./g, "\\.")}$`) }),
  });
  await card.getByRole("button", { name: "Ask this coach" }).click();
  await requesterPage.waitForURL(/\/matches\/[0-9a-f-]{36}$/);
  await expectHeading(requesterPage, "Tandem proposal");
  const matchPath = new URL(requesterPage.url()).pathname;

  const reviewer = await openPerson(chromium(), { locale: "de-DE", timezoneId: "Europe/Berlin" });
  await logIn(reviewer.page, team.email, demoPassword);
  await reviewer.page.goto(matchPath);
  await reviewer.page.getByRole("button", { name: "Freigeben" }).click();
  await expectStatus(reviewer.page, "Der Vorschlag ist freigegeben und beim Coach.");
  await reviewer.context.close();
  expect(reviewer.problems).toEqual([]);

  await coachPage.goto(matchPath);
  await coachPage.getByRole("button", { name: "Annehmen" }).click();
  await expectStatus(coachPage, "Sie haben den Vorschlag angenommen. Jetzt sehen Sie die Kontaktdaten.");
  return { coachPerson, requesterPerson, matchPath };
}

describe("a session between Berlin and New York, across both daylight-saving changes of spring 2027", () => {
  let coachPerson: Person;
  let requesterPerson: Person;
  let matchPath = "";
  let sessionPath = "";
  const sessionId = () => sessionPath.split("/").pop()!;

  afterAll(async () => {
    for (const person of [coachPerson, requesterPerson]) await person?.context.close();
  });

  it("forms the tandem: a coach in Berlin and a requester in New York sign up, the team approves and the coach accepts", async () => {
    ({ coachPerson, requesterPerson, matchPath } = await formTandem(browser, { coach, requester, coachHours: ["15:00", "19:00"], requesterHours: ["09:00", "12:00"] }));
  }, 60_000);

  it("lets the coach offer three times in Berlin time, each with the requester's New York time, by keyboard and at phone width", async () => {
    const { page } = coachPerson;
    const sessions = page.getByRole("region", { name: "Treffen" });
    await expect(sessions.locator("p").first().textContent()).resolves.toBe("Noch kein Treffen vereinbart.");
    await expectNoAxeViolations(page);
    await sessions.getByRole("link", { name: "Treffen vereinbaren" }).click();
    await page.waitForURL(`**${matchPath}/sessions/new`);
    await expectHeading(page, "Treffen vereinbaren");
    await waitForHydration(page);

    await page.getByText("Wählen Sie bis zu drei Zeiten, die Ihnen passen. Die andere Seite bestätigt eine davon.", { exact: true }).waitFor();
    await page
      .getByText(
        "Gezeigt werden Zeiten in den nächsten 4 Wochen, in denen beide Seiten laut ihren Zeitfenstern können, mit 15 Minuten Abstand zu anderen Treffen und mindestens 24 Stunden Vorlauf. Alle Zeiten in Ihrer Zeitzone (Europe/Berlin).",
        { exact: true },
      )
      .waitFor();
    // Every free time in the horizon, on one page: the New York reading moves by an hour on 14 and on 28 March.
    await expect(choiceLabels(page, "Mögliche Zeiten")).resolves.toEqual(slots.map(coachPickerLabel));
    // All of them fit on one page, so there are no paging buttons at all.
    await expect(page.getByRole("button", { name: /^(Spätere|Frühere) Zeiten$/ }).count()).resolves.toBe(0);
    await expect(page.getByLabel("Form des Treffens").inputValue()).resolves.toBe("video");
    await expectNoAxeViolations(page);

    // A phone's width: the long labels wrap instead of widening the page.
    await page.setViewportSize({ width: 360, height: 800 });
    await expect(horizontalOverflow(page)).resolves.toBe(0);
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Four times and no way to join are two mistakes, shown beside their fields before anything is sent.
    const posts = countPosts(page);
    await page.locator("h1").click();
    for (const slot of [beforeUsChange, betweenChanges, alsoFree, afterEuChange]) {
      await tabTo(page, slotId("propose", "times", slot).slice(1));
      await page.keyboard.press("Space");
      await expect(page.locator(slotId("propose", "times", slot)).isChecked()).resolves.toBe(true);
    }
    await page.getByRole("button", { name: "Zeiten vorschlagen" }).click();
    await expect(page.locator("#propose-times-error").textContent()).resolves.toBe("Bitte wählen Sie höchstens drei Zeiten.");
    await expect(page.locator("#propose-joinDetails-error").textContent()).resolves.toBe("Bitte geben Sie an, wie die andere Seite dazukommt.");
    await expect(page.getByLabel("Ort, Video-Link oder Telefonnummer").getAttribute("aria-invalid")).resolves.toBe("true");
    await page.getByRole("alert").filter({ hasText: "Bitte korrigieren Sie 2 Angaben:" }).waitFor();
    expect(posts.posts).toBe(0);
    await expectNoAxeViolations(page);

    // Space unticks the fourth again; the link goes in, and Enter on the button sends the offer.
    await page.locator(slotId("propose", "times", alsoFree)).focus();
    await page.keyboard.press("Space");
    await expect(page.locator(slotId("propose", "times", alsoFree)).isChecked()).resolves.toBe(false);
    await tabTo(page, "propose-joinDetails");
    await page.keyboard.type(joinLink);
    await page.getByRole("button", { name: "Zeiten vorschlagen" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    sessionPath = new URL(page.url()).pathname;
    await expectStatus(page, "Ihr Vorschlag ist verschickt.");
    await expectHeading(page, "Treffen");

    await expect(detail(page, "Stand").textContent()).resolves.toBe("Vorgeschlagen");
    await expect(detail(page, "Zeit").count()).resolves.toBe(0);
    await expect(detail(page, "So kommen Sie dazu").textContent()).resolves.toBe(joinLink);
    await expect(detail(page, "Beteiligte").textContent()).resolves.toBe(`${requester.name}, ${coach.name}`);
    const offer = page.getByRole("region", { name: "Vorgeschlagene Zeiten" });
    await expect(offer.locator("li").allTextContents()).resolves.toEqual([beforeUsChange, betweenChanges, afterEuChange].map(coachSees));
    await offer.getByText(`Vorgeschlagen von ${coach.name}`, { exact: true }).waitFor();
    await offer.getByText("Wartet auf die Bestätigung der anderen Seite.", { exact: true }).waitFor();
    await expect(offer.getByRole("button").count()).resolves.toBe(0);
    await expect(page.getByRole("region", { name: "In HumHub" }).locator("p").textContent()).resolves.toBe("Wird nach der Bestätigung in HumHub eingetragen.");
    // A proposal has no calendar file yet.
    await expect(page.getByRole("link", { name: "Kalenderdatei (.ics) herunterladen" }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    // The tandem lists the proposal by its first time, and offers no second proposal meanwhile.
    await page.getByRole("link", { name: "Zum Tandem" }).click();
    await page.waitForURL(`**${matchPath}`);
    // The URL changes before the new page has rendered: wait for its content, then read it.
    await page.getByText("Es gibt schon einen Terminvorschlag, der auf Antwort wartet.", { exact: true }).waitFor();
    const listed = page.getByRole("region", { name: "Treffen" }).locator("li");
    await expect(listed.allTextContents()).resolves.toEqual([`${berlinRange(beforeUsChange)} Vorgeschlagen`]);
    await expect(page.getByRole("link", { name: "Treffen vereinbaren" }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
  }, 60_000);

  it("lets the requester in New York confirm one of them in English, and both read the time on their own clock", async () => {
    const { page } = requesterPerson;
    await page.goto(matchPath);
    await expectHeading(page, "Tandem proposal");
    const listed = page.getByRole("region", { name: "Sessions" }).locator("li");
    await expect(listed.allTextContents()).resolves.toEqual([`${newYorkRange(beforeUsChange)} Proposed`]);
    await page.getByText("There is already a proposal waiting for an answer.", { exact: true }).waitFor();
    await listed.getByRole("link").click();
    await page.waitForURL(`**${sessionPath}`);
    await expectHeading(page, "Session");
    await waitForHydration(page);

    await expect(detail(page, "Status").textContent()).resolves.toBe("Proposed");
    await expect(detail(page, "How to join").textContent()).resolves.toBe(joinLink);
    const offer = page.getByRole("region", { name: "Proposed times" });
    await offer.getByText(`Proposed by ${coach.name}`, { exact: true }).waitFor();
    await expect(choiceLabels(page, "Which time suits you?")).resolves.toEqual([beforeUsChange, betweenChanges, afterEuChange].map(requesterSees));
    await expect(page.getByLabel("Place, video link or phone number").count()).resolves.toBe(0);
    await expectNoAxeViolations(page);

    // Confirming without a choice is caught beside the choices.
    await page.getByRole("button", { name: "Confirm time" }).click();
    await expect(page.locator("#confirm-time-error").textContent()).resolves.toBe("Please choose a time.");
    await expectNoAxeViolations(page);

    await page.getByLabel(requesterSees(betweenChanges)).check();
    await page.getByRole("button", { name: "Confirm time" }).click();
    await expectStatus(page, "The session is confirmed.");
    await expect(detail(page, "Status").textContent()).resolves.toBe("Confirmed");
    await expect(detail(page, "Time").textContent()).resolves.toBe(requesterSees(betweenChanges));
    await expect(page.getByRole("region", { name: "Proposed times" }).count()).resolves.toBe(0);
    await expect(page.getByRole("region", { name: "In HumHub" }).locator("p").textContent()).resolves.toBe("Waiting for the community team to connect HumHub.");
    await page.getByRole("link", { name: "Reschedule", exact: true }).waitFor();
    await expectNoAxeViolations(page);
    // The session page at a phone's width: the times, the forms and the history wrap.
    await page.setViewportSize({ width: 360, height: 800 });
    await expect(horizontalOverflow(page)).resolves.toBe(0);
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The calendar file, as the link downloads it: a REQUEST at the instant in UTC, whatever zone reads it.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download calendar file (.ics)" }).click()]);
    expect(download.suggestedFilename()).toBe(`tandem-${sessionId().slice(0, 8)}.ics`);
    const downloaded = fs.readFileSync((await download.path())!, "utf8");
    expect(downloaded).toContain("METHOD:REQUEST\r\n");
    expect(downloaded).toContain(`DTSTART:${icsStamp(betweenChanges)}\r\n`);
    const invitation = await expectInvitation(page, sessionId(), "REQUEST", betweenChanges);
    expect(invitation).toContain(`DTEND:${icsStamp({ ...betweenChanges, at: betweenChanges.at + 3_600_000 })}\r\n`);

    // The coach in Berlin: the same session at 15:00, five hours after New York in the weeks between the changes.
    const coachPage = coachPerson.page;
    await coachPage.goto(sessionPath);
    await expectHeading(coachPage, "Treffen");
    await expect(detail(coachPage, "Stand").textContent()).resolves.toBe("Bestätigt");
    await expect(detail(coachPage, "Zeit").textContent()).resolves.toBe(coachSees(betweenChanges));
    await coachPage.getByRole("link", { name: "Kalenderdatei (.ics) herunterladen" }).waitFor();
    await expect(coachPage.getByRole("region", { name: "In HumHub" }).locator("p").textContent()).resolves.toBe(
      "Wartet, bis das Community-Team HumHub verbunden hat.",
    );
    await expectNoAxeViolations(coachPage);

    // The team arranges but does not attend: it sees the session, not how to join, and gets no invitation file.
    const teamPerson = await openPerson(browser(), { locale: "de-DE", timezoneId: "Europe/Berlin" });
    await logIn(teamPerson.page, team.email, demoPassword);
    await teamPerson.page.goto(sessionPath);
    await expectHeading(teamPerson.page, "Treffen");
    await expect(detail(teamPerson.page, "Stand").textContent()).resolves.toBe("Bestätigt");
    await expect(detail(teamPerson.page, "Form").count()).resolves.toBe(1);
    await expect(detail(teamPerson.page, "So kommen Sie dazu").count()).resolves.toBe(0);
    await expect(teamPerson.page.content()).resolves.not.toContain(joinLink);
    await expect(teamPerson.page.getByRole("link", { name: "Kalenderdatei (.ics) herunterladen" }).count()).resolves.toBe(0);
    await expect(teamPerson.page.getByRole("region", { name: "Wie man dazukommt" }).count()).resolves.toBe(0);
    await expect(fetchCalendar(teamPerson.page, `/sessions/${sessionId()}/calendar.ics`)).resolves.toMatchObject({ status: 404 });
    await expectNoAxeViolations(teamPerson.page);
    await teamPerson.context.close();
    expect(teamPerson.problems).toEqual([]);
  }, 60_000);

  it("moves the session past the EU change: the requester proposes a new time, the old one stands until the coach confirms", async () => {
    const { page } = requesterPerson;
    await page.getByRole("link", { name: "Reschedule", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `${matchPath}/sessions/new` && url.searchParams.get("session") === sessionId());
    await expectHeading(page, "Reschedule the session");
    await waitForHydration(page);
    await page.getByText("Choose one time. The coach confirms it.", { exact: true }).waitFor();
    await page
      .getByText(
        "Shown are times in the next 4 weeks when both sides are available according to their time windows, 15 minutes apart from other sessions and at least 24 hours ahead. All times in your time zone (America/New York).",
        { exact: true },
      )
      .waitFor();
    // The session's own time stays free for itself; every other time is as before.
    await expect(choiceLabels(page, "Possible times")).resolves.toEqual(slots.map(requesterPickerLabel));
    await expect(page.getByLabel("Place, video link or phone number").count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 360, height: 800 });
    await expect(horizontalOverflow(page)).resolves.toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Radios by keyboard: Tab reaches the group, the arrow keys move the choice.
    await page.locator("h1").click();
    await tabTo(page, slotId("propose", "times", slots[0]!).slice(1));
    await page.keyboard.press("Space");
    await expect(page.locator(slotId("propose", "times", slots[0]!)).isChecked()).resolves.toBe(true);
    for (let step = 0; step < slots.indexOf(afterEuChange); step += 1) await page.keyboard.press("ArrowDown");
    await expect(page.locator(slotId("propose", "times", afterEuChange)).isChecked()).resolves.toBe(true);
    await page.getByLabel("Reason for rescheduling (optional)").fill(rescheduleReason);
    await page.getByRole("button", { name: "Propose this time" }).click();
    await page.waitForURL(`**${sessionPath}`);
    await expectStatus(page, "Your proposal has been sent.");

    await expect(detail(page, "Status").textContent()).resolves.toBe("Confirmed");
    await expect(detail(page, "Time").textContent()).resolves.toBe(requesterSees(betweenChanges));
    const proposal = page.getByRole("region", { name: "New time proposed" });
    await expect(proposal.locator("li").allTextContents()).resolves.toEqual([requesterSees(afterEuChange)]);
    await proposal.getByText("Waiting for the other side to confirm.", { exact: true }).waitFor();
    await expectNoAxeViolations(page);
    await expectInvitation(page, sessionId(), "REQUEST", betweenChanges);

    const coachPage = coachPerson.page;
    await coachPage.goto(sessionPath);
    await expectHeading(coachPage, "Treffen");
    await waitForHydration(coachPage);
    const asked = coachPage.getByRole("region", { name: "Neue Zeit vorgeschlagen" });
    await asked.getByText(`Vorgeschlagen von ${requester.name}`, { exact: true }).waitFor();
    await asked.getByText("Bis Sie bestätigen, gilt der bisherige Termin.", { exact: true }).waitFor();
    await expect(detail(coachPage, "Zeit").textContent()).resolves.toBe(coachSees(betweenChanges));
    await expect(choiceLabels(coachPage, "Welche Zeit passt Ihnen?")).resolves.toEqual([coachSees(afterEuChange)]);
    await asked.getByRole("button", { name: "Bisherigen Termin behalten" }).waitFor();
    await expectNoAxeViolations(coachPage);
    await coachPage.getByLabel(coachSees(afterEuChange)).check();
    await coachPage.getByRole("button", { name: "Zeit bestätigen" }).click();
    await expectStatus(coachPage, "Das Treffen ist bestätigt.");
    // 15:00 in Berlin again, and 09:00 in New York: six hours apart once both have changed.
    await expect(detail(coachPage, "Zeit").textContent()).resolves.toBe(coachSees(afterEuChange));
    await expect(coachPage.getByRole("region", { name: "Neue Zeit vorgeschlagen" }).count()).resolves.toBe(0);
    await expectNoAxeViolations(coachPage);
    const moved = await expectInvitation(coachPage, sessionId(), "REQUEST", afterEuChange);
    expect(moved).toContain("SEQUENCE:1\r\n");

    await page.reload();
    await expectHeading(page, "Session");
    await expect(detail(page, "Time").textContent()).resolves.toBe(requesterSees(afterEuChange));
    await expect(page.getByRole("region", { name: "New time proposed" }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
  }, 60_000);

  let feedUrl = "";

  it("gives the coach a private calendar feed with the session, shown once", async () => {
    const { page } = coachPerson;
    await page.goto("/settings");
    await expectHeading(page, "Konto");
    const feed = page.getByRole("region", { name: "Kalender-Abo" });
    await feed.getByText("Sie haben noch keine Abo-Adresse.", { exact: true }).waitFor();
    await expect(feed.getByRole("button", { name: "Abo beenden" }).count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
    await feed.getByRole("button", { name: "Abo-Adresse anlegen" }).click();
    await feed.getByText("Ihre neue Abo-Adresse – kopieren Sie sie jetzt; aus Datenschutzgründen zeigen wir sie nur dieses eine Mal:", { exact: true }).waitFor();
    feedUrl = await feed.getByLabel("Abo-Adresse").inputValue();
    expect(feedUrl).toMatch(new RegExp(`^${app.baseUrl}/calendar/[A-Za-z0-9_-]{43}/sessions\\.ics$`));
    await expectNoAxeViolations(page);

    const subscribed = await fetchCalendar(page, feedUrl);
    expect(subscribed.status).toBe(200);
    expect(subscribed.type).toBe("text/calendar; charset=utf-8");
    expect(subscribed.text).toContain("X-WR-CALNAME:Tandem-Treffen\r\n");
    expect(subscribed.text).toContain(`DTSTART:${icsStamp(afterEuChange)}\r\n`);
    expect(subscribed.text).toContain("STATUS:CONFIRMED\r\n");

    // Loaded again, the page only says the feed exists, created "today" by the server's clock.
    await page.goto("/settings");
    await feed.getByText("Ihre Abo-Adresse ist aktiv (angelegt am 05.03.2027).", { exact: true }).waitFor();
    await expect(feed.getByLabel("Abo-Adresse").count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(feedUrl.split("/")[4]);
    await feed.getByRole("button", { name: "Neue Adresse anlegen (die alte hört auf zu funktionieren)" }).waitFor();
    await expectNoAxeViolations(page);
  }, 60_000);

  it("lets the coach change how to join: the requester reads the new link, the calendar file a higher SEQUENCE", async () => {
    const { page } = coachPerson;
    await page.goto(sessionPath);
    await expectHeading(page, "Treffen");
    await waitForHydration(page);
    const join = page.getByRole("region", { name: "Wie man dazukommt" });
    const field = join.getByLabel("Ort, Video-Link oder Telefonnummer");
    await expect(field.inputValue()).resolves.toBe(joinLink);
    // Emptied, it is refused beside the field before anything is sent.
    const posts = countPosts(page);
    await field.fill("");
    await join.getByRole("button", { name: "Speichern" }).click();
    await expect(page.locator("#join-joinDetails-error").textContent()).resolves.toBe("Bitte geben Sie an, wie die andere Seite dazukommt.");
    expect(posts.posts).toBe(0);
    await field.fill(newJoinLink);
    await join.getByRole("button", { name: "Speichern" }).click();
    await expectStatus(page, "Gespeichert. Kalender und HumHub werden aktualisiert.");
    await expect(detail(page, "So kommen Sie dazu").textContent()).resolves.toBe(newJoinLink);
    await expect(detail(page, "Zeit").textContent()).resolves.toBe(coachSees(afterEuChange));
    await expectNoAxeViolations(page);
    const changed = await expectInvitation(page, sessionId(), "REQUEST", afterEuChange);
    expect(changed).toContain("SEQUENCE:2\r\n");
    expect(changed).toContain(`LOCATION:${newJoinLink.replace(/[,;]/g, "\\$&")}\r\n`);

    // The requester cannot change it and reads the new link.
    const requesterPage = requesterPerson.page;
    await requesterPage.goto(sessionPath);
    await expectHeading(requesterPage, "Session");
    await expect(detail(requesterPage, "How to join").textContent()).resolves.toBe(newJoinLink);
    await expect(requesterPage.getByRole("region", { name: "How to join" }).count()).resolves.toBe(0);
  }, 60_000);

  it("cancels with a reason: none is refused beside the field (with JavaScript and without), then both see it cancelled", async () => {
    // Without JavaScript, the requester's empty reason comes back from the server as a 400.
    const withoutJs = await openPerson(browser(), { locale: "en-US", timezoneId: "America/New_York", javaScript: false });
    await logIn(withoutJs.page, requester.email, password);
    await withoutJs.page.goto(sessionPath);
    await expectHeading(withoutJs.page, "Session");
    await expect(submitForStatus(withoutJs.page, withoutJs.page.getByRole("button", { name: "Cancel the session" }))).resolves.toBe(400);
    await expect(withoutJs.page.locator("#cancel-reason-error").textContent()).resolves.toBe("Please give a reason (at least 3 characters).");
    await expect(withoutJs.page.getByLabel("Reason for cancelling").getAttribute("aria-describedby")).resolves.toContain("cancel-reason-error");
    await expect(detail(withoutJs.page, "Status").textContent()).resolves.toBe("Confirmed");
    await withoutJs.context.close();
    expect(withoutJs.problems).toEqual([]);

    // With JavaScript, the coach's empty reason never leaves the page.
    const { page } = coachPerson;
    await page.goto(sessionPath);
    await expectHeading(page, "Treffen");
    await waitForHydration(page);
    const posts = countPosts(page);
    await page.getByRole("button", { name: "Treffen absagen" }).click();
    await expect(page.locator("#cancel-reason-error").textContent()).resolves.toBe("Bitte nennen Sie einen Grund (mindestens 3 Zeichen).");
    await expect(page.getByLabel("Grund der Absage").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.getByLabel("Grund der Absage").getAttribute("aria-describedby")).resolves.toContain("cancel-reason-error");
    expect(posts.posts).toBe(0);
    await expectNoAxeViolations(page);

    await page.getByLabel("Grund der Absage").fill(cancelReason);
    await page.getByRole("button", { name: "Treffen absagen" }).click();
    await expectStatus(page, "Das Treffen ist abgesagt.");
    await expect(detail(page, "Stand").textContent()).resolves.toBe(`Abgesagt · ${cancelReason}`);
    await expect(detail(page, "Zeit").textContent()).resolves.toBe(coachSees(afterEuChange));
    await expect(page.getByRole("region", { name: "Absagen" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Kalenderdatei (.ics) herunterladen" }).count()).resolves.toBe(0);
    const history = await page.getByRole("region", { name: "Verlauf" }).locator("li").allTextContents();
    // Written by the server's (shifted) clock, in Berlin time.
    const stamp = "05\\.03\\.2027, 09:\\d{2}";
    expect(history).toEqual([
      expect.stringMatching(new RegExp(`^${stamp}: ${coach.name} hat Zeiten vorgeschlagen\\.$`)),
      expect.stringMatching(new RegExp(`^${stamp}: ${requester.name} hat bestätigt\\.$`)),
      expect.stringMatching(new RegExp(`^${stamp}: ${requester.name} hat eine Verschiebung vorgeschlagen\\. ${rescheduleReason}$`)),
      expect.stringMatching(new RegExp(`^${stamp}: ${coach.name} hat die Zeit geändert\\.$`)),
      expect.stringMatching(new RegExp(`^${stamp}: ${coach.name} hat geändert, wie man dazukommt\\.$`)),
      expect.stringMatching(new RegExp(`^${stamp}: ${coach.name} hat abgesagt\\. ${cancelReason}$`)),
    ]);
    await expectNoAxeViolations(page);
    const cancelled = await expectInvitation(page, sessionId(), "CANCEL", afterEuChange);
    expect(cancelled).toContain("SEQUENCE:3\r\n");

    const requesterPage = requesterPerson.page;
    await requesterPage.reload();
    await expectHeading(requesterPage, "Session");
    await expect(detail(requesterPage, "Status").textContent()).resolves.toBe(`Cancelled · ${cancelReason}`);
    await expect(detail(requesterPage, "Time").textContent()).resolves.toBe(requesterSees(afterEuChange));
    await expect(requesterPage.getByRole("link", { name: "Reschedule", exact: true }).count()).resolves.toBe(0);
    await expectNoAxeViolations(requesterPage);
    await expectInvitation(requesterPage, sessionId(), "CANCEL", afterEuChange);

    // The tandem shows the cancelled session and offers a new one.
    await requesterPage.goto(matchPath);
    const listed = requesterPage.getByRole("region", { name: "Sessions" });
    await expect(listed.locator("li").allTextContents()).resolves.toEqual([`${newYorkRange(afterEuChange)} Cancelled`]);
    await listed.getByRole("link", { name: "Arrange a session" }).waitFor();
    await expectNoAxeViolations(requesterPage);
  }, 60_000);

  it("keeps the cancellation in the feed until the coach ends the subscription, then the address is gone", async () => {
    const { page } = coachPerson;
    const subscribed = await fetchCalendar(page, feedUrl);
    expect(subscribed.status).toBe(200);
    expect(subscribed.text).toContain(`DTSTART:${icsStamp(afterEuChange)}\r\n`);
    expect(subscribed.text).toContain("STATUS:CANCELLED\r\n");

    await page.goto("/settings");
    const feed = page.getByRole("region", { name: "Kalender-Abo" });
    await feed.getByRole("button", { name: "Abo beenden" }).click();
    await expectStatus(page, "Ihr Kalender-Abo ist beendet; die Adresse funktioniert nicht mehr.");
    await feed.getByText("Sie haben noch keine Abo-Adresse.", { exact: true }).waitFor();
    await expectNoAxeViolations(page);
    await expect(fetchCalendar(page, feedUrl)).resolves.toMatchObject({ status: 404 });

    expect(coachPerson.problems).toEqual([]);
    expect(requesterPerson.problems).toEqual([]);
  }, 60_000);
});

describe("paging through many free times keeps the times the coach ticked", () => {
  const stamp = Date.now().toString(36);
  const pagingCoach = { name: "Paula Seitz", email: `paula-${stamp}@sessions.example`, organisation: "Freiwilligenagentur Spree e.V." };
  const pagingRequester = { name: "Olivia Brooks", email: `olivia-${stamp}@sessions.example`, organisation: "Brooklyn Helpers" };
  const pagingLink = "https://video.example/tandem-paula-olivia";
  // Sundays 08:00–20:00 in Berlin and 02:00–14:00 in New York: 23 hourly sessions on the half hours on 7 and 28 March,
  // 21 on 14 and 21 March (New York is an hour ahead of its usual offset), 88 in all, 24 to a page.
  const firstOfAll = Date.parse("2027-03-07T07:00Z"); // 7 Mar, 08:00 Berlin, the 1st
  const firstOfPageTwo = Date.parse("2027-03-14T07:30Z"); // 14 Mar, 08:30 Berlin, the 25th
  const onPageTwo = Date.parse("2027-03-21T08:00Z"); // 21 Mar, 09:00 Berlin, the 47th
  let tandem: Awaited<ReturnType<typeof formTandem>> | undefined;

  const box = (page: Page, instant: number) => page.locator(`#propose-times-${instant}`);
  const listedTimes = (page: Page, legend = "Mögliche Zeiten") =>
    page
      .getByRole("group", { name: legend, exact: true })
      .locator("input")
      .evaluateAll((inputs) => inputs.map((input) => Number((input as HTMLInputElement).value)));

  afterAll(async () => {
    for (const person of [tandem?.coachPerson, tandem?.requesterPerson]) await person?.context.close();
  });

  it("forms a tandem with whole Sundays in common", async () => {
    tandem = await formTandem(browser, { coach: pagingCoach, requester: pagingRequester, coachHours: ["08:00", "20:00"], requesterHours: ["02:00", "14:00"] });
  }, 60_000);

  it("without JavaScript, 'Spätere Zeiten' sends the form back with the next times and the ticked one listed again, ticked", async () => {
    const noJs = await openPerson(browser(), { locale: "de-DE", timezoneId: "Europe/Berlin", javaScript: false });
    await logIn(noJs.page, pagingCoach.email, password);
    await noJs.page.goto(`${tandem!.matchPath}/sessions/new`);
    await expectHeading(noJs.page, "Treffen vereinbaren");
    const first = await listedTimes(noJs.page);
    expect(first).toHaveLength(24);
    expect(first[0]).toBe(firstOfAll);
    expect(first).not.toContain(firstOfPageTwo);
    await expect(noJs.page.getByRole("button", { name: "Frühere Zeiten" }).count()).resolves.toBe(0);

    await box(noJs.page, firstOfAll).check();
    await noJs.page.getByLabel("Ort, Video-Link oder Telefonnummer").fill(pagingLink);
    await expect(submitForStatus(noJs.page, noJs.page.getByRole("button", { name: "Spätere Zeiten" }))).resolves.toBe(200);
    const second = await listedTimes(noJs.page);
    expect(second).toHaveLength(25);
    expect(second.slice(0, 2)).toEqual([firstOfAll, firstOfPageTwo]);
    expect(second).toContain(onPageTwo);
    await expect(box(noJs.page, firstOfAll).isChecked()).resolves.toBe(true);
    await expect(box(noJs.page, firstOfPageTwo).isChecked()).resolves.toBe(false);
    await expect(noJs.page.getByLabel("Ort, Video-Link oder Telefonnummer").inputValue()).resolves.toBe(pagingLink);
    await noJs.page.getByRole("button", { name: "Frühere Zeiten" }).waitFor();
    await noJs.context.close();
    expect(noJs.problems).toEqual([]);
  }, 60_000);

  it("keeps the requester's one pick across pages too, and a crafted time value cannot break the page", async () => {
    const noJs = await openPerson(browser(), { locale: "en-US", timezoneId: "America/New_York", javaScript: false });
    await logIn(noJs.page, pagingRequester.email, password);
    const newSessionPath = `${tandem!.matchPath}/sessions/new`;
    await noJs.page.goto(newSessionPath);
    await expectHeading(noJs.page, "Arrange a session");
    await box(noJs.page, firstOfAll).check();
    await expect(submitForStatus(noJs.page, noJs.page.getByRole("button", { name: "Later times" }))).resolves.toBe(200);
    const listed = await listedTimes(noJs.page, "Possible times");
    expect(listed.slice(0, 2)).toEqual([firstOfAll, firstOfPageTwo]);
    await expect(box(noJs.page, firstOfAll).isChecked()).resolves.toBe(true);

    // Hand-made values (too large to be a date, not a number, a free-looking time that is not free) are left out.
    const crafted = await noJs.page.request.post(newSessionPath, {
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl },
      data: new URLSearchParams([["intent", "page:0"], ["times", "99999999999999999999"], ["times", "abc"], ["times", String(firstOfAll + 60_000)]]).toString(),
    });
    expect(crafted.status()).toBe(200);
    const html = await crafted.text();
    expect(html).toContain("Arrange a session");
    for (const value of ["99999999999999999999", "abc", String(firstOfAll + 60_000)]) expect(html).not.toContain(`value="${value}"`);
    await noJs.context.close();
    expect(noJs.problems).toEqual([]);
  }, 60_000);

  it("with JavaScript, a time ticked on one page and one on the next are offered together", async () => {
    const { page } = tandem!.coachPerson;
    // Paging saved nothing: the tandem still has no proposal.
    await page.goto(tandem!.matchPath);
    await page.getByRole("region", { name: "Treffen" }).getByRole("link", { name: "Treffen vereinbaren" }).click();
    await page.waitForURL(`**${tandem!.matchPath}/sessions/new`);
    await expectHeading(page, "Treffen vereinbaren");
    await waitForHydration(page);
    const posts = countPosts(page);

    await box(page, firstOfAll).check();
    await page.getByRole("button", { name: "Spätere Zeiten" }).click();
    await box(page, firstOfPageTwo).waitFor();
    await expect(listedTimes(page)).resolves.toHaveLength(25);
    await expect(box(page, firstOfAll).isChecked()).resolves.toBe(true);
    await box(page, onPageTwo).check();

    await page.getByRole("button", { name: "Frühere Zeiten" }).click();
    await page.getByRole("button", { name: "Frühere Zeiten" }).waitFor({ state: "detached" });
    const back = await listedTimes(page);
    // The time from page two comes first, then page one as before.
    expect(back.slice(0, 2)).toEqual([onPageTwo, firstOfAll]);
    expect(back).toHaveLength(25);
    await expect(box(page, onPageTwo).isChecked()).resolves.toBe(true);
    await expect(box(page, firstOfAll).isChecked()).resolves.toBe(true);
    expect(posts.posts).toBe(2);
    await expectNoAxeViolations(page);

    // Enter in the text field offers the times; it does not page, although the paging buttons come first.
    const field = page.getByLabel("Ort, Video-Link oder Telefonnummer");
    await field.fill(pagingLink);
    await field.press("Enter");
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    await expectStatus(page, "Ihr Vorschlag ist verschickt.");
    const offer = page.getByRole("region", { name: "Vorgeschlagene Zeiten" });
    await expect(offer.locator("li").allTextContents()).resolves.toEqual([
      "So., 7. März 2027, 08:00–09:00 (bei der anderen Seite: 02:00–03:00 (New York))",
      "So., 21. März 2027, 09:00–10:00 (bei der anderen Seite: 04:00–05:00 (New York))",
    ]);
    await expect(detail(page, "So kommen Sie dazu").textContent()).resolves.toBe(pagingLink);
    expect(tandem!.coachPerson.problems).toEqual([]);
    expect(tandem!.requesterPerson.problems).toEqual([]);
  }, 60_000);
});
