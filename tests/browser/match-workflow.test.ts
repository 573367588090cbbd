import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { baseUrl, demoPassword, expectHeading, expectStatus, horizontalOverflow, logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

/*
 * Every test here sends its own requests as requester@tandem.example: "Einstieg in HumHub" on Saturday
 * mornings, a topic and a time no other browser test asks for. Three seed coaches fit such a request;
 * requesters tell them apart by organisation only. Each coach is given few enough matches that none
 * reaches their monthly capacity (Fatima 8, Sabine 4, Michael 3), which would drop them from the list.
 */
const requester = { email: "requester@tandem.example", name: "Lukas Neumann", organisation: "Sportverein Musterhausen 1921 e.V." };
const team = { email: "team@tandem.example", name: "Katrin Vogel" };
const team2 = { email: "team2@tandem.example", name: "Mehmet Yilmaz" };
type Coach = { name: string; email: string; organisation: string; humhub: string | null };
const sabine: Coach = { name: "Sabine Hoffmann", email: "coach@tandem.example", organisation: "Diakonisches Werk Beispielkreis", humhub: "sabine.hoffmann" };
const fatima: Coach = {
  name: "Fatima Haddad",
  email: "fatima.haddad@brueckenbau-musterstadt.example",
  organisation: "Brückenbau – Migrantinnen in Musterstadt e.V.",
  humhub: null,
};
const michael: Coach = { name: "Michael Hartmann", email: "michael.hartmann@gemeinde-musterhausen.example", organisation: "Gemeinde Musterhausen", humhub: null };

const topic = { de: "Einstieg in HumHub", en: "Getting started with HumHub", id: "topic-onboarding" };
const state = {
  review: "Wird vom Team geprüft",
  coach: "Wartet auf Antwort des Coaches",
  accepted: "Angenommen",
  declined: "Abgelehnt",
  rejected: "Vom Team verworfen",
  overridden: "Durch anderen Coach ersetzt",
  closed: "Abgeschlossen",
};
const flash = {
  proposedForReview: "Ihr Vorschlag ist gespeichert. Das Community-Team prüft ihn, dann fragt Tandem den Coach.",
  proposedToCoach: "Der Coach ist gefragt und antwortet innerhalb weniger Tage.",
  approved: "Der Vorschlag ist freigegeben und beim Coach.",
  accepted: "Sie haben den Vorschlag angenommen. Jetzt sehen Sie die Kontaktdaten.",
  declined: "Sie haben den Vorschlag abgelehnt.",
  rejected: "Der Vorschlag ist verworfen.",
  overridden: "Der andere Coach ist vorgeschlagen.",
  closed: "Das Tandem ist abgeschlossen.",
  settingsSaved: "Die Einstellungen für Vorschläge sind gespeichert.",
};
const contactHidden = "Namen und Kontaktdaten sehen beide Seiten, sobald der Coach angenommen hat.";
const someoneElse = "Jemand anderes hat diesen Vorschlag gerade bearbeitet. Der aktuelle Stand wird angezeigt.";
const required = "Bitte füllen Sie dieses Feld aus.";
const defaultMatchSettings = { review: true, responseDays: "5", waitingFlagDays: "14" };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A time in the history, "04.12.2026, 20:52", in the reader's account time zone. */
const when = "\\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2}";
const createdEntry = (to: string, name: string) => new RegExp(`^${when}: ${escape(to)} \\(${escape(name)}\\)$`);
const changeEntry = (from: string, to: string, name: string, reason?: string) =>
  new RegExp(`^${when}: ${escape(from)} → ${escape(to)} \\(${escape(name)}\\)${reason ? `\\nGrund: ${escape(reason)}` : ""}$`);

/** Waits until React has hydrated the page, so a click is handled by the app and not by the browser. */
async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    const heading = document.querySelector("h1");
    return heading !== null && Object.keys(heading).some((key) => key.startsWith("__reactFiber"));
  });
}

/** Clicks a submit button and returns the status of the POST it sends (a full page load without JavaScript). */
async function submitForStatus(page: Page, button: Locator) {
  const [response] = await Promise.all([page.waitForResponse((response) => response.request().method() === "POST"), button.click()]);
  await page.waitForLoadState("load");
  return response.status();
}

/** Counts the POST requests a page sends from now on. */
function countPosts(page: Page) {
  const counter = { posts: 0 };
  page.on("request", (request) => {
    if (request.method() === "POST") counter.posts += 1;
  });
  return counter;
}

const mainNavigation = (page: Page) => page.getByRole("navigation", { name: "Hauptnavigation" });

/** The unread count the navigation announces; 0 when the link carries no count. */
async function unreadCount(page: Page) {
  const link = mainNavigation(page).getByRole("link", { name: /^Benachrichtigungen/ });
  const label = await link.getAttribute("aria-label");
  if (label === null) {
    await expect(link.textContent()).resolves.toBe("Benachrichtigungen");
    return 0;
  }
  const [, count] = /^Benachrichtigungen: (\d+) ungelesene Benachrichtigung(en)?$/.exec(label) ?? [];
  expect(count, label).toBeDefined();
  // The count is also visible beside the link text.
  await expect(link.locator(".nav-count").textContent()).resolves.toBe(` ${count}`);
  return Number(count);
}

/** A new request by the demo requester, for "Einstieg in HumHub" on Saturday 09:00–13:00. Returns its suggestions path. */
async function sendSaturdayRequest(page: Page, goal: string) {
  await page.goto("/requests/new");
  await page.getByRole("group", { name: "Themen" }).getByLabel(topic.de).check();
  await page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel(topic.de).check();
  await page.getByLabel("Was möchten Sie erreichen?").fill(goal);
  await page.locator("#request-windows\\.0\\.weekday").selectOption("6");
  await page.locator("#request-windows\\.0\\.start").fill("09:00");
  await page.locator("#request-windows\\.0\\.end").fill("13:00");
  await page.getByRole("button", { name: "Anfrage stellen" }).click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  await expectHeading(page, "Coaching-Anfrage");
  return `${new URL(page.url()).pathname}/suggestions`;
}

/** The requester asks the coach of `coach.organisation` from the suggestions; returns the match page's path. */
async function askCoach(page: Page, suggestionsPath: string, coach: Coach, expectedFlash = flash.proposedForReview) {
  await page.goto(suggestionsPath);
  await expectHeading(page, "Passende Coaches");
  const card = page.locator("ol.suggestions > li", {
    has: page.getByRole("heading", { level: 3, name: new RegExp(`^Platz \\d+: ${escape(coach.organisation)}$`) }),
  });
  await card.getByRole("button", { name: "Diesen Coach anfragen" }).click();
  await page.waitForURL(/\/matches\/[0-9a-f-]{36}$/);
  await expectStatus(page, expectedFlash);
  await expectHeading(page, "Tandem-Vorschlag");
  return new URL(page.url()).pathname;
}

/** A team member proposes `coach` from a request's suggestions; returns the match page's path. */
async function proposeCoach(page: Page, suggestionsPath: string, coach: Coach) {
  await page.goto(suggestionsPath);
  await expectHeading(page, "Passende Coaches");
  const card = page.locator("ol.suggestions > li", {
    has: page.getByRole("heading", {
      level: 3,
      name: new RegExp(`^Platz \\d+: ${escape(coach.organisation)} – Coach: ${escape(coach.name)}$`),
    }),
  });
  await card.getByRole("button", { name: "Diesen Coach vorschlagen" }).click();
  await page.waitForURL(/\/matches\/[0-9a-f-]{36}$/);
  await expectStatus(page, flash.proposedToCoach);
  await expectHeading(page, "Tandem-Vorschlag");
  return new URL(page.url()).pathname;
}

/** One line of the match's details, found by its term ("Stand", "Coach", …). */
const detail = (page: Page, term: string) =>
  page.locator("main dl.meta-list").first().locator(":scope > div", { has: page.locator("dt", { hasText: new RegExp(`^${escape(term)}$`) }) }).locator("dd");
/** The state badge, in whichever language the page is. */
const stateOf = (page: Page) => page.locator("main dl.meta-list").first().locator(".badge").first().textContent();
const historyOf = (page: Page) => page.getByRole("region", { name: "Verlauf" }).locator("ol.history > li").allInnerTexts();

/** The other side's contact details as term → value, or the notice that they are still hidden. */
async function contactOf(page: Page) {
  const contact = page.getByRole("region", { name: "Kontakt" });
  if ((await contact.locator("dl").count()) === 0) return (await contact.locator("p").textContent()) ?? "";
  const terms = await contact.locator("dt").allTextContents();
  const values = await contact.locator("dd").allTextContents();
  return Object.fromEntries(terms.map((term, index) => [term, values[index]]));
}

const deskCard = (page: Page, matchPath: string) => page.locator("article.suggestion", { has: page.locator(`a[href="${matchPath}"]`) });

/** The desk, reached from the navigation and filtered to this file's topic with the form. */
async function openDesk(page: Page) {
  await mainNavigation(page).getByRole("link", { name: "Team: Prüfung" }).click();
  await expectHeading(page, "Prüfung");
  await page.getByLabel("Thema", { exact: true }).selectOption({ label: topic.de });
  await page.getByRole("button", { name: "Filtern" }).click();
  await page.waitForURL((url) => url.pathname === "/team/desk" && url.searchParams.get("topic") === topic.id);
  await expectHeading(page, "Prüfung");
}

/** Every open request on the desk is flagged "Wartet lange" exactly when it has waited more than `flagDays`. */
async function expectWaitingFlags(page: Page, flagDays: number) {
  const rows = page.getByRole("region", { name: "Offene Anfragen ohne Vorschlag" }).locator("tbody tr");
  const waiting = await rows.locator("td:nth-of-type(2)").allTextContents();
  expect(waiting.length).toBeGreaterThan(0);
  let flagged = 0;
  for (const cell of waiting) {
    const days = Number.parseInt(cell, 10);
    expect(cell).toMatch(/^\d+ Tag(en)?( Wartet lange)?$/);
    expect(cell.endsWith("Wartet lange"), cell).toBe(days > flagDays);
    if (days > flagDays) flagged += 1;
  }
  // The seed's open requests are up to 50 days old, so the flag shows up at all.
  expect(flagged).toBeGreaterThan(0);
}

/** Presses `key` until the focused element has `id` (or, for a button, `button:<text>`); checks its focus is visible. */
async function pressUntilFocused(page: Page, target: string, key = "Tab") {
  for (let presses = 0; presses < 150; presses += 1) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return null;
      const style = getComputedStyle(element);
      return {
        key: element.id ? element.id : `${element.tagName.toLowerCase()}:${element.textContent?.trim()}`,
        visible: element.matches(":focus-visible") && style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) >= 2,
      };
    });
    if (focused?.key === target) {
      expect(focused.visible, `focus ring on ${target}`).toBe(true);
      return;
    }
  }
  throw new Error(`${target} was not reached with ${key}`);
}

async function closeAll(...contexts: { context: { close: () => Promise<void> } }[]) {
  for (const { context } of contexts) await context.close();
}

describe.each([
  { javaScript: true, coach: sabine },
  { javaScript: false, coach: fatima },
])("a requester's wish, reviewed by the team and accepted by the coach (JavaScript: $javaScript)", ({ javaScript, coach }) => {
  const checkAccessibility = (page: Page) => (javaScript ? expectNoAxeViolations(page) : Promise.resolve());

  it("goes from the suggestions over the desk and the coach's notification to shared contact details, every step in the history", async () => {
    const asker = await openPage(browser(), { javaScript });
    await logIn(asker.page, requester.email);
    const goal = `Vereinsräume in HumHub einrichten ${javaScript ? "A" : "B"}`;
    const suggestionsPath = await sendSaturdayRequest(asker.page, goal);
    const matchPath = await askCoach(asker.page, suggestionsPath, coach);
    await expect(stateOf(asker.page)).resolves.toBe(state.review);
    // Before the coach accepts, the requester sees the organisation only.
    await expect(detail(asker.page, "Coach").textContent()).resolves.toBe(coach.organisation);
    await expect(detail(asker.page, "Anfrage").textContent()).resolves.toContain(goal);
    await expect(detail(asker.page, "Vorgeschlagen").textContent()).resolves.toMatch(new RegExp(`^Von der anfragenden Person gewählt, ${when}$`));
    await expect(detail(asker.page, "Punkte beim Vorschlag").textContent()).resolves.toMatch(/^\d{1,3} von 100 PunktenThemen: \d+/);
    await expect(contactOf(asker.page)).resolves.toBe(contactHidden);
    await expect(historyOf(asker.page)).resolves.toEqual([expect.stringMatching(createdEntry(state.review, requester.name))]);
    await checkAccessibility(asker.page);

    // The proposal has not reached the coach yet: for them it does not exist, and there is no notification.
    const answerer = await openPage(browser(), { javaScript });
    await logIn(answerer.page, coach.email);
    const unreadBefore = await unreadCount(answerer.page);
    expect((await answerer.page.goto(matchPath))?.status()).toBe(404);

    // A browser far from the team member's Europe/Berlin: the history follows the account, and hydrates cleanly.
    const reviewer = await openPage(browser(), { javaScript, timezoneId: "America/New_York" });
    await logIn(reviewer.page, team.email);
    await openDesk(reviewer.page);
    const card = deskCard(reviewer.page, matchPath);
    await card.getByRole("heading", { level: 3, name: `${topic.de} · ${requester.organisation}` }).waitFor();
    await expect(card.textContent()).resolves.toMatch(
      new RegExp(`Coach: ${escape(coach.name)} \\(${escape(coach.organisation)}\\) · Auslastung: \\d+ von \\d+ diesen Monat`),
    );
    await expect(card.locator(".suggestion__score").textContent()).resolves.toMatch(/^\d{1,3} von 100 Punkten$/);
    await card.getByText(/^Themen \d+ · Gemeinsame Zeit \d+ · /).waitFor();
    await card.getByRole("heading", { level: 4, name: "Nächstbeste Alternativen" }).waitFor();
    const alternatives = await card.locator("h4 + ul > li").allTextContents();
    expect(alternatives.length).toBeGreaterThan(0);
    for (const alternative of alternatives) {
      expect(alternative).toMatch(/^.+ \(.+\): \d{1,3}$/);
      expect(alternative).not.toContain(coach.name);
    }
    await checkAccessibility(reviewer.page);
    await card.getByRole("link", { name: "Zum Vorschlag" }).click();
    await reviewer.page.waitForURL(`**${matchPath}`);
    await expectHeading(reviewer.page, "Tandem-Vorschlag");
    await expect(stateOf(reviewer.page)).resolves.toBe(state.review);
    // The team works with names, not contact details.
    await expect(detail(reviewer.page, "Coach").textContent()).resolves.toBe(`${coach.organisation} · ${coach.name}`);
    await expect(detail(reviewer.page, "Anfrage").textContent()).resolves.toContain(`${topic.de} · ${requester.organisation} · ${requester.name}`);
    await expect(reviewer.page.getByRole("region", { name: "Kontakt" }).count()).resolves.toBe(0);
    await checkAccessibility(reviewer.page);
    await reviewer.page.getByRole("button", { name: "Freigeben" }).click();
    await expectStatus(reviewer.page, flash.approved);
    await expect(stateOf(reviewer.page)).resolves.toBe(state.coach);
    await expect(detail(reviewer.page, "Stand").textContent()).resolves.toMatch(new RegExp(`^${state.coach} · Antwort bis ${when}$`));
    await expect(reviewer.page.getByRole("button", { name: "Freigeben" }).count()).resolves.toBe(0);
    await checkAccessibility(reviewer.page);

    // Now the coach is told, in the navigation and on the notifications page.
    await answerer.page.goto("/dashboard");
    await expect(unreadCount(answerer.page)).resolves.toBe(unreadBefore + 1);
    await mainNavigation(answerer.page).getByRole("link", { name: /^Benachrichtigungen/ }).click();
    await expectHeading(answerer.page, "Benachrichtigungen");
    const notification = answerer.page.locator("main li", { has: answerer.page.locator(`a[href="${matchPath}"]`) });
    await expect(notification.getByRole("link").textContent()).resolves.toBe("Ein neuer Tandem-Vorschlag wartet auf Ihre Antwort.");
    await expect(notification.locator(".badge").textContent()).resolves.toBe("ungelesen");
    await checkAccessibility(answerer.page);
    await notification.getByRole("link").click();
    await answerer.page.waitForURL(`**${matchPath}`);
    await expectHeading(answerer.page, "Tandem-Vorschlag");
    await expect(stateOf(answerer.page)).resolves.toBe(state.coach);
    await expect(detail(answerer.page, "Anfrage").textContent()).resolves.not.toContain(requester.name);
    await expect(contactOf(answerer.page)).resolves.toBe(contactHidden);
    await answerer.page.getByRole("combobox", { name: "Grund der Ablehnung" }).waitFor();
    await checkAccessibility(answerer.page);
    await answerer.page.getByRole("button", { name: "Annehmen" }).click();
    await expectStatus(answerer.page, flash.accepted);
    await expect(stateOf(answerer.page)).resolves.toBe(state.accepted);
    await expect(detail(answerer.page, "Anfrage").textContent()).resolves.toContain(requester.name);
    await expect(contactOf(answerer.page)).resolves.toEqual({ Name: requester.name, "E-Mail": requester.email, "HumHub-Name": "nicht angegeben" });
    await expect(answerer.page.getByRole("link", { name: requester.email }).getAttribute("href")).resolves.toBe(`mailto:${requester.email}`);
    await expect(answerer.page.getByRole("button", { name: "Annehmen" }).count()).resolves.toBe(0);
    await checkAccessibility(answerer.page);
    await mainNavigation(answerer.page).getByRole("link", { name: "Meine Tandems" }).click();
    await expectHeading(answerer.page, "Meine Tandems");
    const asCoach = answerer.page.getByRole("region", { name: "Als Coach" }).locator("li", { has: answerer.page.locator(`a[href="${matchPath}"]`) });
    await expect(asCoach.getByRole("link").textContent()).resolves.toBe(`${topic.de} · ${requester.organisation}`);
    await expect(asCoach.locator(".badge").textContent()).resolves.toBe(state.accepted);

    // The requester now sees the coach's name, email and HumHub name, and is told.
    await asker.page.goto("/dashboard");
    expect(await unreadCount(asker.page)).toBeGreaterThan(0);
    await mainNavigation(asker.page).getByRole("link", { name: /^Benachrichtigungen/ }).click();
    await expectHeading(asker.page, "Benachrichtigungen");
    const accepted = asker.page.locator("main li", { has: asker.page.locator(`a[href="${matchPath}"]`) });
    await expect(accepted.getByRole("link").textContent()).resolves.toBe("Ihr Tandem-Vorschlag wurde angenommen.");
    await accepted.getByRole("link").click();
    await asker.page.waitForURL(`**${matchPath}`);
    await expectHeading(asker.page, "Tandem-Vorschlag");
    await expect(stateOf(asker.page)).resolves.toBe(state.accepted);
    await expect(detail(asker.page, "Coach").textContent()).resolves.toBe(`${coach.organisation} · ${coach.name}`);
    await expect(contactOf(asker.page)).resolves.toEqual({ Name: coach.name, "E-Mail": coach.email, "HumHub-Name": coach.humhub ?? "nicht angegeben" });
    const history = await historyOf(asker.page);
    expect(history).toEqual([
      expect.stringMatching(createdEntry(state.review, requester.name)),
      expect.stringMatching(changeEntry(state.review, state.coach, team.name)),
      expect.stringMatching(changeEntry(state.coach, state.accepted, coach.name)),
    ]);
    await checkAccessibility(asker.page);
    await mainNavigation(asker.page).getByRole("link", { name: "Meine Tandems" }).click();
    await expectHeading(asker.page, "Meine Tandems");
    const mine = asker.page.getByRole("region", { name: "Für meine Anfragen" }).locator("li", { has: asker.page.locator(`a[href="${matchPath}"]`) });
    await expect(mine.getByRole("link").textContent()).resolves.toBe(`${topic.de} · ${coach.organisation}`);
    await expect(mine.locator(".badge").textContent()).resolves.toBe(state.accepted);
    await checkAccessibility(asker.page);
    // The request itself is matched now, so its suggestions are no longer offered.
    await asker.page.goto(suggestionsPath);
    await expectHeading(asker.page, "Passende Coaches");
    await expect(asker.page.getByRole("button", { name: "Diesen Coach anfragen" }).count()).resolves.toBe(0);

    // The team reads the same history (times in Katrin Vogel's zone, not the browser's) and closes the tandem.
    await reviewer.page.reload();
    await expectHeading(reviewer.page, "Tandem-Vorschlag");
    await expect(stateOf(reviewer.page)).resolves.toBe(state.accepted);
    await expect(historyOf(reviewer.page)).resolves.toEqual(history);
    await reviewer.page.getByRole("button", { name: "Tandem abschließen" }).click();
    await expectStatus(reviewer.page, flash.closed);
    await expect(stateOf(reviewer.page)).resolves.toBe(state.closed);
    await expect(historyOf(reviewer.page)).resolves.toEqual([...history, expect.stringMatching(changeEntry(state.accepted, state.closed, team.name))]);
    // Contact details stay visible after closing.
    await asker.page.goto(matchPath);
    await expectHeading(asker.page, "Tandem-Vorschlag");
    await expect(stateOf(asker.page)).resolves.toBe(state.closed);
    await expect(contactOf(asker.page)).resolves.toEqual({ Name: coach.name, "E-Mail": coach.email, "HumHub-Name": coach.humhub ?? "nicht angegeben" });
    await checkAccessibility(asker.page);
    await closeAll(asker, answerer, reviewer);
  }, 120_000);
});

describe.each([
  { javaScript: true, note: "Bis März ausgebucht." },
  { javaScript: false, note: "Im Frühjahr gern wieder." },
])("a coach declining with a reason (JavaScript: $javaScript)", ({ javaScript, note }) => {
  it("asks for a reason, records it translated in the history and tells the requester", async () => {
    const asker = await openPage(browser(), { javaScript });
    await logIn(asker.page, requester.email);
    const suggestionsPath = await sendSaturdayRequest(asker.page, `Neue Mitglieder begrüßen ${javaScript ? "A" : "B"}`);

    // The team proposes the coach by hand: straight to the coach, no review.
    const proposer = await openPage(browser(), { javaScript });
    await logIn(proposer.page, team2.email);
    const matchPath = await proposeCoach(proposer.page, suggestionsPath, sabine);
    await expect(stateOf(proposer.page)).resolves.toBe(state.coach);
    await expect(detail(proposer.page, "Vorgeschlagen").textContent()).resolves.toMatch(new RegExp(`^Vom Team vorgeschlagen, ${when}$`));
    await expect(historyOf(proposer.page)).resolves.toEqual([expect.stringMatching(createdEntry(state.coach, team2.name))]);

    await asker.page.goto("/dashboard");
    const unreadBefore = await unreadCount(asker.page);

    const answerer = await openPage(browser(), { javaScript });
    await logIn(answerer.page, sabine.email);
    await answerer.page.goto(matchPath);
    await expectHeading(answerer.page, "Tandem-Vorschlag");
    const decline = answerer.page.getByRole("button", { name: "Ablehnen" });
    const reasonError = answerer.page.locator("#decline-declineReason-error");
    if (javaScript) {
      await waitForHydration(answerer.page);
      const counter = countPosts(answerer.page);
      await decline.click();
      await reasonError.waitFor();
      expect(counter.posts).toBe(0);
    } else {
      await expect(submitForStatus(answerer.page, decline)).resolves.toBe(400);
    }
    await expect(reasonError.textContent()).resolves.toBe("Bitte wählen Sie einen Eintrag aus der Liste.");
    const reasonSelect = answerer.page.getByRole("combobox", { name: "Grund der Ablehnung" });
    await expect(reasonSelect.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(reasonSelect.getAttribute("aria-describedby")).resolves.toContain("decline-declineReason-error");
    await expect(stateOf(answerer.page)).resolves.toBe(state.coach);
    if (javaScript) await expectNoAxeViolations(answerer.page);
    await expect(reasonSelect.locator("option").allTextContents()).resolves.toEqual([
      "–",
      "Keine Zeit",
      "Nicht mein Thema",
      "Schon ausgelastet",
      "Anderer Grund",
    ]);
    await reasonSelect.selectOption({ label: "Keine Zeit" });
    await answerer.page.getByLabel("Möchten Sie etwas dazu schreiben? (optional)").fill(note);
    await decline.click();
    await expectStatus(answerer.page, flash.declined);
    await expect(stateOf(answerer.page)).resolves.toBe(state.declined);
    const expectedHistory = [
      expect.stringMatching(createdEntry(state.coach, team2.name)),
      expect.stringMatching(changeEntry(state.coach, state.declined, sabine.name, `Keine Zeit: ${note}`)),
    ];
    await expect(historyOf(answerer.page)).resolves.toEqual(expectedHistory);
    await expect(contactOf(answerer.page)).resolves.toBe(contactHidden);
    if (javaScript) await expectNoAxeViolations(answerer.page);

    // The requester is told and sees why.
    await asker.page.goto("/dashboard");
    await expect(unreadCount(asker.page)).resolves.toBe(unreadBefore + 1);
    await mainNavigation(asker.page).getByRole("link", { name: /^Benachrichtigungen/ }).click();
    await expectHeading(asker.page, "Benachrichtigungen");
    const declined = asker.page.locator("main li", { has: asker.page.locator(`a[href="${matchPath}"]`) });
    await expect(declined.getByRole("link").textContent()).resolves.toBe("Ein Coach hat Ihren Vorschlag abgelehnt. Das Team sucht weiter.");
    await expect(declined.locator(".badge").textContent()).resolves.toBe("ungelesen");
    await declined.getByRole("link").click();
    await asker.page.waitForURL(`**${matchPath}`);
    await expectHeading(asker.page, "Tandem-Vorschlag");
    await expect(stateOf(asker.page)).resolves.toBe(state.declined);
    // Unless the coach accepts, the requester knows the coach by organisation only, in the log too.
    await expect(historyOf(asker.page)).resolves.toEqual([
      expectedHistory[0],
      expect.stringMatching(changeEntry(state.coach, state.declined, sabine.organisation, `Keine Zeit: ${note}`)),
    ]);
    await expect(contactOf(asker.page)).resolves.toBe(contactHidden);
    await expect(detail(asker.page, "Coach").textContent()).resolves.toBe(sabine.organisation);
    if (javaScript) await expectNoAxeViolations(asker.page);

    // Marking everything read clears the count in the navigation.
    await mainNavigation(asker.page).getByRole("link", { name: /^Benachrichtigungen/ }).click();
    await expectHeading(asker.page, "Benachrichtigungen");
    await asker.page.getByRole("button", { name: "Alle als gelesen markieren" }).click();
    await expectStatus(asker.page, "Alle Benachrichtigungen sind als gelesen markiert.");
    await expect(unreadCount(asker.page)).resolves.toBe(0);
    await expect(asker.page.locator("main .badge").count()).resolves.toBe(0);
    await expect(asker.page.getByRole("button", { name: "Alle als gelesen markieren" }).count()).resolves.toBe(0);
    if (javaScript) await expectNoAxeViolations(asker.page);

    // The request is back in the pool, without the coach who declined it.
    await proposer.page.goto(suggestionsPath);
    await expectHeading(proposer.page, "Passende Coaches");
    const ranked = await proposer.page.locator("ol.suggestions h3").allTextContents();
    expect(ranked.length).toBeGreaterThan(0);
    for (const heading of ranked) expect(heading).not.toContain(sabine.name);
    await proposer.page.getByText("Der Coach hat diese Anfrage schon abgelehnt.").first().waitFor();
    await closeAll(asker, proposer, answerer);
  }, 90_000);
});

describe.each([{ javaScript: true }, { javaScript: false }])("the team rejecting a proposal (JavaScript: $javaScript)", ({ javaScript }) => {
  it("requires a reason beside the field, then records it", async () => {
    const asker = await openPage(browser(), { javaScript });
    await logIn(asker.page, requester.email);
    const suggestionsPath = await sendSaturdayRequest(asker.page, `Abläufe übertragen ${javaScript ? "A" : "B"}`);
    const matchPath = await askCoach(asker.page, suggestionsPath, michael);

    const reviewer = await openPage(browser(), { javaScript });
    await logIn(reviewer.page, team.email);
    await reviewer.page.goto(matchPath);
    await expectHeading(reviewer.page, "Tandem-Vorschlag");
    const reject = reviewer.page.getByRole("button", { name: "Verwerfen" });
    const reason = reviewer.page.getByLabel("Grund für das Verwerfen");
    const reasonError = reviewer.page.locator("#reject-reason-error");
    if (javaScript) {
      await waitForHydration(reviewer.page);
      const counter = countPosts(reviewer.page);
      await reason.fill("   ");
      await reject.click();
      await reasonError.waitFor();
      // Checked in the browser: nothing was sent and the page stayed.
      expect(counter.posts).toBe(0);
      expect(new URL(reviewer.page.url()).pathname).toBe(matchPath);
    } else {
      // Blank is no reason: the server answers 400 with the message beside the field.
      await reason.fill("   ");
      expect([400, 409]).toContain(await submitForStatus(reviewer.page, reject));
    }
    await expect(reasonError.textContent()).resolves.toBe(required);
    await expect(reason.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(reason.getAttribute("aria-describedby")).resolves.toBe("reject-reason-error");
    await expect(stateOf(reviewer.page)).resolves.toBe(state.review);
    await expect(historyOf(reviewer.page)).resolves.toHaveLength(1);
    if (javaScript) {
      await expectNoAxeViolations(reviewer.page);
      // Typing a reason clears the message.
      await reason.fill("Der Coach ist im Urlaub.");
      await reasonError.waitFor({ state: "detached" });
    }

    const why = `Der Coach ist bis Ende des Monats im Urlaub ${javaScript ? "(A)" : "(B)"}.`;
    await reason.fill(why);
    await reject.click();
    await expectStatus(reviewer.page, flash.rejected);
    await expect(stateOf(reviewer.page)).resolves.toBe(state.rejected);
    await expect(reviewer.page.getByRole("button", { name: "Freigeben" }).count()).resolves.toBe(0);
    await expect(historyOf(reviewer.page)).resolves.toEqual([
      expect.stringMatching(createdEntry(state.review, requester.name)),
      expect.stringMatching(changeEntry(state.review, state.rejected, team.name, why)),
    ]);
    if (javaScript) await expectNoAxeViolations(reviewer.page);

    // The requester sees the outcome, and may ask again.
    await asker.page.goto(matchPath);
    await expectHeading(asker.page, "Tandem-Vorschlag");
    await expect(stateOf(asker.page)).resolves.toBe(state.rejected);
    if (javaScript) await expectNoAxeViolations(asker.page);
    await asker.page.goto(suggestionsPath);
    await expectHeading(asker.page, "Passende Coaches");
    expect(await asker.page.getByRole("button", { name: "Diesen Coach anfragen" }).count()).toBeGreaterThan(0);
    await closeAll(asker, reviewer);
  }, 90_000);
});

describe("the team proposing another coach instead", () => {
  it("replaces the proposal, records why, and sends the new one straight to the other coach", async () => {
    const asker = await openPage(browser());
    await logIn(asker.page, requester.email);
    const suggestionsPath = await sendSaturdayRequest(asker.page, "Räume für die Jugendabteilung");
    const matchPath = await askCoach(asker.page, suggestionsPath, michael);

    const reviewer = await openPage(browser());
    await logIn(reviewer.page, team.email);
    await reviewer.page.goto(matchPath);
    await expectHeading(reviewer.page, "Tandem-Vorschlag");
    await waitForHydration(reviewer.page);
    const other = reviewer.page.getByLabel("Anderer Coach");
    const options = await other.locator("option").allTextContents();
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) expect(option).toMatch(/^.+ \(.+\): \d{1,3} von 100 Punkten$/);
    expect(options.some((option) => option.includes(michael.name))).toBe(false);
    const fatimaOption = options.find((option) => option.startsWith(`${fatima.name} (${fatima.organisation})`));
    expect(fatimaOption).toBeDefined();
    await other.selectOption({ label: fatimaOption ?? "" });
    const propose = reviewer.page.getByRole("button", { name: "Anderen Coach vorschlagen" });
    await propose.click();
    await reviewer.page.locator("#override-reason-error", { hasText: required }).waitFor();
    const why = "Frau Haddad hat mehr Erfahrung mit Vereinen dieser Größe.";
    await reviewer.page.getByLabel("Grund für den Wechsel").fill(why);
    await propose.click();
    await expectStatus(reviewer.page, flash.overridden);
    await expect(stateOf(reviewer.page)).resolves.toBe(state.overridden);
    await expect(historyOf(reviewer.page)).resolves.toEqual([
      expect.stringMatching(createdEntry(state.review, requester.name)),
      expect.stringMatching(changeEntry(state.review, state.overridden, team.name, why)),
    ]);
    await expectNoAxeViolations(reviewer.page);

    // The request's suggestions list every proposal it has had; the new one waits for the other coach.
    await reviewer.page.goto(suggestionsPath);
    await expectHeading(reviewer.page, "Passende Coaches");
    const proposals = reviewer.page.getByRole("region", { name: "Alle Vorschläge zu dieser Anfrage" });
    const replacement = proposals.locator(":scope > ul > li", { hasText: `${fatima.name} (${fatima.organisation})` });
    await expect(replacement.locator(".badge").textContent()).resolves.toBe(state.coach);
    await replacement.getByRole("link").click();
    await reviewer.page.waitForURL(/\/matches\/[0-9a-f-]{36}$/);
    await expectHeading(reviewer.page, "Tandem-Vorschlag");
    const replacementPath = new URL(reviewer.page.url()).pathname;
    expect(replacementPath).not.toBe(matchPath);
    await expect(stateOf(reviewer.page)).resolves.toBe(state.coach);
    await expect(detail(reviewer.page, "Coach").textContent()).resolves.toBe(`${fatima.organisation} · ${fatima.name}`);
    await expect(detail(reviewer.page, "Vorgeschlagen").textContent()).resolves.toMatch(/^Vom Team vorgeschlagen, /);

    // The other coach declines too, so her monthly places stay free for the tests below.
    const answerer = await openPage(browser());
    await logIn(answerer.page, fatima.email);
    await answerer.page.goto(replacementPath);
    await expectHeading(answerer.page, "Tandem-Vorschlag");
    await answerer.page.getByRole("combobox", { name: "Grund der Ablehnung" }).selectOption({ label: "Schon ausgelastet" });
    await answerer.page.getByRole("button", { name: "Ablehnen" }).click();
    await expectStatus(answerer.page, flash.declined);
    await expect(historyOf(answerer.page)).resolves.toEqual([
      expect.stringMatching(createdEntry(state.coach, team.name)),
      expect.stringMatching(changeEntry(state.coach, state.declined, fatima.name, "Schon ausgelastet")),
    ]);
    await closeAll(asker, reviewer, answerer);
  }, 90_000);
});

describe.each([{ javaScript: true }, { javaScript: false }])("two team members approving at once (JavaScript: $javaScript)", ({ javaScript }) => {
  it("lets exactly one win; the other is told and sees the current state", async () => {
    const asker = await openPage(browser(), { javaScript });
    await logIn(asker.page, requester.email);
    const suggestionsPath = await sendSaturdayRequest(asker.page, `Mitglieder einladen ${javaScript ? "A" : "B"}`);
    const matchPath = await askCoach(asker.page, suggestionsPath, fatima);

    const members = [
      { ...(await openPage(browser(), { javaScript })), member: team },
      { ...(await openPage(browser(), { javaScript })), member: team2 },
    ];
    const postStatuses = members.map(() => [] as number[]);
    for (const [index, { page, member }] of members.entries()) {
      await logIn(page, member.email);
      await page.goto(matchPath);
      await expectHeading(page, "Tandem-Vorschlag");
      await expect(stateOf(page)).resolves.toBe(state.review);
      if (javaScript) await waitForHydration(page);
      page.on("response", (response) => {
        if (response.request().method() === "POST") postStatuses[index]!.push(response.status());
      });
    }
    // Both pages show "Freigeben"; both click it at the same moment.
    await Promise.all(members.map(({ page }) => page.getByRole("button", { name: "Freigeben" }).click()));
    const outcomes = await Promise.all(
      members.map(async ({ page }) => {
        const approved = page.locator("[role=status]", { hasText: flash.approved });
        const conflict = page.locator("[role=alert]", { hasText: someoneElse });
        await approved.or(conflict).first().waitFor();
        await page.waitForLoadState("load");
        return (await approved.count()) > 0 ? "approved" : "conflict";
      }),
    );
    expect([...outcomes].sort()).toEqual(["approved", "conflict"]);
    const winner = members[outcomes.indexOf("approved")]!;
    const loserIndex = outcomes.indexOf("conflict");
    const loser = members[loserIndex]!;
    expect(postStatuses[loserIndex]).toContain(409);

    // The loser sees what happened instead of the buttons.
    for (const { page } of [winner, loser]) {
      await expect(stateOf(page)).resolves.toBe(state.coach);
      await expect(page.getByRole("button", { name: "Freigeben" }).count()).resolves.toBe(0);
      await expect(page.getByRole("button", { name: "Verwerfen" }).count()).resolves.toBe(0);
    }
    await expect(historyOf(loser.page)).resolves.toEqual([
      expect.stringMatching(createdEntry(state.review, requester.name)),
      expect.stringMatching(changeEntry(state.review, state.coach, winner.member.name)),
    ]);
    if (javaScript) await expectNoAxeViolations(loser.page);
    await closeAll(asker, ...members);
  }, 90_000);
});

describe.each([{ javaScript: true }, { javaScript: false }])("the review desk (JavaScript: $javaScript)", ({ javaScript }) => {
  const checkAccessibility = (page: Page) => (javaScript ? expectNoAxeViolations(page) : Promise.resolve());
  /** Two proposals awaiting review, the first one's request older. */
  const proposals: string[] = [];

  beforeAll(async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, requester.email);
    for (const [index, coach] of [fatima, michael].entries()) {
      const suggestionsPath = await sendSaturdayRequest(page, `Sammelfreigabe ${javaScript ? "A" : "B"}${index + 1}`);
      proposals.push(await askCoach(page, suggestionsPath, coach));
    }
    await context.close();
  });

  it("lists proposals oldest first and fits tablet and phone screens without sideways scrolling, in German and English", async () => {
    const { context, page } = await openPage(browser(), { javaScript, width: 768 });
    await page.setViewportSize({ width: 768, height: 1024 });
    await logIn(page, team2.email);
    await openDesk(page);
    const cards = page.locator("article.suggestion");
    const paths = await cards.evaluateAll((articles) => articles.map((article) => article.querySelector("a[href^='/matches/']")?.getAttribute("href")));
    expect(paths.indexOf(proposals[0])).toBeGreaterThanOrEqual(0);
    expect(paths.indexOf(proposals[0])).toBeLessThan(paths.indexOf(proposals[1]));
    await page.getByText(/^\d+ Vorschl(ag|äge) warte(t|n)\.$/).waitFor();
    await expect(deskCard(page, proposals[0]!).getByLabel(`Für die Sammelfreigabe auswählen: ${topic.de} · ${requester.organisation}`).isChecked()).resolves.toBe(false);
    await expectWaitingFlags(page, Number(defaultMatchSettings.waitingFlagDays));
    await expect(horizontalOverflow(page)).resolves.toBeLessThanOrEqual(0);
    await checkAccessibility(page);

    await page.setViewportSize({ width: 360, height: 740 });
    await expectHeading(page, "Prüfung");
    await expect(horizontalOverflow(page)).resolves.toBeLessThanOrEqual(0);
    await checkAccessibility(page);
    await deskCard(page, proposals[1]!).getByRole("link", { name: "Zum Vorschlag" }).click();
    await page.waitForURL(`**${proposals[1]}`);
    await expectHeading(page, "Tandem-Vorschlag");
    await expect(horizontalOverflow(page)).resolves.toBeLessThanOrEqual(0);
    await checkAccessibility(page);

    // English, switched in the header; the choice is saved on the account, so it is switched back.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/team/desk?topic=${topic.id}`);
    await expectHeading(page, "Prüfung");
    await page.getByRole("button", { name: /English/ }).click();
    await page.locator("html[lang=en]").waitFor({ state: "attached" });
    try {
      await expectHeading(page, "Review");
      expect(new URL(page.url()).searchParams.get("topic")).toBe(topic.id);
      await page.getByRole("heading", { level: 2, name: "Proposals to review" }).waitFor();
      await page.getByText(/^\d+ proposals? (is|are) waiting\.$/).waitFor();
      const card = deskCard(page, proposals[0]!);
      await card.getByRole("heading", { level: 3, name: `${topic.en} · ${requester.organisation}` }).waitFor();
      await expect(card.textContent()).resolves.toMatch(
        new RegExp(`Coach: ${escape(fatima.name)} \\(${escape(fatima.organisation)}\\) · Load: \\d+ of 8 this month`),
      );
      await expect(card.locator(".suggestion__score").textContent()).resolves.toMatch(/^\d{1,3} of 100 points$/);
      await card.getByText(/^Topics \d+ · Common time \d+ · /).waitFor();
      await card.getByRole("heading", { level: 4, name: "Next-best alternatives" }).waitFor();
      await card.getByLabel(`Select for bulk approval: ${topic.en} · ${requester.organisation}`).waitFor();
      await page.getByRole("button", { name: "Approve selected" }).waitFor();
      await page.getByRole("heading", { level: 2, name: "Open requests without a proposal" }).waitFor();
      await checkAccessibility(page);

      await card.getByRole("link", { name: "To the proposal" }).click();
      await page.waitForURL(`**${proposals[0]}`);
      await expectHeading(page, "Tandem proposal");
      await expect(stateOf(page)).resolves.toBe("Being reviewed by the team");
      await expect(detail(page, "Coach").textContent()).resolves.toBe(`${fatima.organisation} · ${fatima.name}`);
      await expect(detail(page, "Proposed").textContent()).resolves.toMatch(/^Chosen by the requester, /);
      for (const button of ["Approve", "Reject", "Propose another coach"]) await page.getByRole("button", { name: button, exact: true }).waitFor();
      await page.getByLabel("Reason for rejecting").waitFor();
      await expect(page.getByRole("region", { name: "History" }).locator("li").allInnerTexts()).resolves.toEqual([
        // "Dec 4, 2026, 8:54 PM", with a narrow space before PM in current ICU.
        expect.stringMatching(new RegExp(`^[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2}\\s[AP]M: Being reviewed by the team \\(${requester.name}\\)$`)),
      ]);
      await checkAccessibility(page);
    } finally {
      await page.getByRole("button", { name: /Deutsch/ }).click();
      await page.locator("html[lang=de]").waitFor({ state: "attached" });
      await page.waitForLoadState("load");
      await context.close();
    }
  }, 90_000);

  it("approves the proposals chosen with Tab and Space", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await logIn(page, team.email);
    await mainNavigation(page).getByRole("link", { name: "Team: Prüfung" }).click();
    await expectHeading(page, "Prüfung");
    if (javaScript) await waitForHydration(page);

    // Filter by topic from the keyboard.
    await page.locator("h1").click();
    await pressUntilFocused(page, "desk-topic");
    await page.keyboard.type("Einstieg");
    await expect(page.locator("#desk-topic").inputValue()).resolves.toBe(topic.id);
    await pressUntilFocused(page, "button:Filtern");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.searchParams.get("topic") === topic.id);
    await expectHeading(page, "Prüfung");
    if (javaScript) await waitForHydration(page);
    for (const path of proposals) await deskCard(page, path).waitFor();

    // Nothing chosen yet: the desk says so and approves nothing.
    await pressUntilFocused(page, "button:Ausgewählte freigeben");
    await page.keyboard.press("Enter");
    await page.locator("[role=alert]", { hasText: "Bitte wählen Sie mindestens einen Vorschlag aus." }).waitFor();
    await page.waitForLoadState("load");
    for (const path of proposals) await deskCard(page, path).waitFor();

    for (const path of proposals) {
      const checkboxId = `select-${path.split("/").pop()}`;
      await pressUntilFocused(page, checkboxId);
      await page.keyboard.press("Space");
      await expect(page.locator(`#${checkboxId}`).isChecked()).resolves.toBe(true);
    }
    await pressUntilFocused(page, "button:Ausgewählte freigeben");
    await page.keyboard.press("Enter");
    await expectStatus(page, "2 Vorschläge freigegeben.");
    await expectHeading(page, "Prüfung");
    for (const path of proposals) await expect(deskCard(page, path).count()).resolves.toBe(0);
    await checkAccessibility(page);

    for (const [index, path] of proposals.entries()) {
      await page.goto(path);
      await expectHeading(page, "Tandem-Vorschlag");
      await expect(stateOf(page)).resolves.toBe(state.coach);
      await expect(detail(page, "Coach").textContent()).resolves.toBe(
        index === 0 ? `${fatima.organisation} · ${fatima.name}` : `${michael.organisation} · ${michael.name}`,
      );
      await expect(historyOf(page)).resolves.toEqual([
        expect.stringMatching(createdEntry(state.review, requester.name)),
        expect.stringMatching(changeEntry(state.review, state.coach, team.name)),
      ]);
    }
    await context.close();
  }, 90_000);
});

describe.each([{ javaScript: true }, { javaScript: false }])("the team's settings for proposals (JavaScript: $javaScript)", ({ javaScript }) => {
  /** The match settings form, found by its fields; its button is the one inside it, whatever its label. */
  const matchForm = (page: Page) => page.locator("form", { has: page.getByLabel("Tage, die ein Coach zum Antworten hat") });

  async function saveMatchSettings(page: Page, settings: { review: boolean; responseDays: string; waitingFlagDays: string }) {
    await page.goto("/team/settings");
    await expectHeading(page, "Einstellungen");
    await page.getByLabel("Vorschläge von Anfragenden zuerst vom Team prüfen lassen").setChecked(settings.review);
    await page.getByLabel("Tage, die ein Coach zum Antworten hat").fill(settings.responseDays);
    await page.getByLabel("Anfragen markieren, die länger warten als (Tage)").fill(settings.waitingFlagDays);
    await matchForm(page).getByRole("button").click();
    await expectStatus(page, flash.settingsSaved);
  }

  async function expectMatchSettings(page: Page, settings: { review: boolean; responseDays: string; waitingFlagDays: string }) {
    await expect(page.getByLabel("Vorschläge von Anfragenden zuerst vom Team prüfen lassen").isChecked()).resolves.toBe(settings.review);
    await expect(page.getByLabel("Tage, die ein Coach zum Antworten hat").inputValue()).resolves.toBe(settings.responseDays);
    await expect(page.getByLabel("Anfragen markieren, die länger warten als (Tage)").inputValue()).resolves.toBe(settings.waitingFlagDays);
  }

  /** Puts the defaults back through the form, so the other test files see review on, 5 and 14 days. */
  afterAll(async () => {
    const { context, page } = await openPage(browser(), { javaScript: false });
    await logIn(page, team.email);
    await saveMatchSettings(page, defaultMatchSettings);
    await expectMatchSettings(page, defaultMatchSettings);
    await context.close();
  });

  it("refuses days out of range and, without review, sends a requester's wish straight to the coach", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await logIn(page, team.email);
    await mainNavigation(page).getByRole("link", { name: "Team: Einstellungen" }).click();
    await expectHeading(page, "Einstellungen");
    await page.getByRole("heading", { level: 2, name: "Ablauf der Vorschläge" }).waitFor();
    await expectMatchSettings(page, defaultMatchSettings);
    if (javaScript) {
      await expectNoAxeViolations(page);
      await waitForHydration(page);
    }
    const counter = countPosts(page);
    const responseDays = page.getByLabel("Tage, die ein Coach zum Antworten hat");
    const waitingFlagDays = page.getByLabel("Anfragen markieren, die länger warten als (Tage)");
    const save = matchForm(page).getByRole("button");
    const invalid = [
      ["0", "abc"],
      ["abc", "0"],
      ["61", "366"],
    ] as const;
    for (const [days, flagDays] of invalid) {
      await responseDays.fill(days);
      await waitingFlagDays.fill(flagDays);
      if (javaScript) {
        await save.click();
      } else {
        await expect(submitForStatus(page, save)).resolves.toBe(400);
      }
      await expect(page.locator("#matches-responseDays-error").textContent()).resolves.toBe("Bitte geben Sie eine ganze Zahl von 1 bis 60 an.");
      await expect(page.locator("#matches-waitingFlagDays-error").textContent()).resolves.toBe("Bitte geben Sie eine ganze Zahl von 1 bis 365 an.");
      await expect(responseDays.getAttribute("aria-invalid")).resolves.toBe("true");
      await expect(responseDays.getAttribute("aria-describedby")).resolves.toContain("matches-responseDays-error");
      const summary = page.getByRole("alert").filter({ hasText: "Bitte korrigieren Sie 2 Angaben:" });
      await summary.waitFor();
      await expect(summary.getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).resolves.toEqual([
        "#matches-responseDays",
        "#matches-waitingFlagDays",
      ]);
      // What was typed stays for correcting it.
      await expect(responseDays.inputValue()).resolves.toBe(days);
      await expect(waitingFlagDays.inputValue()).resolves.toBe(flagDays);
    }
    if (javaScript) {
      expect(counter.posts).toBe(0);
      await expectNoAxeViolations(page);
    }
    // Nothing was saved.
    await page.goto("/team/settings");
    await expectHeading(page, "Einstellungen");
    await expectMatchSettings(page, defaultMatchSettings);

    const changed = { review: false, responseDays: "7", waitingFlagDays: "30" };
    await saveMatchSettings(page, changed);
    await expectMatchSettings(page, changed);
    // The desk flags requests by the new threshold.
    await page.goto(`/team/desk?topic=${topic.id}`);
    await expectHeading(page, "Prüfung");
    await expectWaitingFlags(page, 30);

    // A requester's wish now skips the review and gives the coach seven days.
    const asker = await openPage(browser(), { javaScript });
    await logIn(asker.page, requester.email);
    const suggestionsPath = await sendSaturdayRequest(asker.page, `Ohne Prüfung ${javaScript ? "A" : "B"}`);
    const earliest = new Date(Date.now() + 7 * 86_400_000);
    const matchPath = await askCoach(asker.page, suggestionsPath, sabine, flash.proposedToCoach);
    const latest = new Date(Date.now() + 7 * 86_400_000);
    await expect(stateOf(asker.page)).resolves.toBe(state.coach);
    const berlin = new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
    expect([earliest, latest].map((time) => `${state.coach} · Antwort bis ${berlin.format(time)}`)).toContain(
      await detail(asker.page, "Stand").textContent(),
    );
    await expect(historyOf(asker.page)).resolves.toEqual([expect.stringMatching(createdEntry(state.coach, requester.name))]);
    const answerer = await openPage(browser(), { javaScript });
    await logIn(answerer.page, sabine.email);
    await answerer.page.goto(matchPath);
    await expectHeading(answerer.page, "Tandem-Vorschlag");
    await answerer.page.getByRole("button", { name: "Annehmen" }).waitFor();

    await saveMatchSettings(page, defaultMatchSettings);
    await expectMatchSettings(page, defaultMatchSettings);
    await closeAll({ context }, asker, answerer);
  }, 90_000);
});

describe("who may see a match", () => {
  it("hides it from other requesters and coaches, and sends visitors to the login first", async () => {
    const asker = await openPage(browser());
    await logIn(asker.page, requester.email);
    const suggestionsPath = await sendSaturdayRequest(asker.page, "Nur für uns beide");
    const matchPath = await askCoach(asker.page, suggestionsPath, fatima);
    const origin = { Origin: new URL(baseUrl()).origin };

    // Another requester, and a coach who is not this match's coach: it does not exist for them.
    for (const email of ["both@tandem.example", sabine.email]) {
      const outsider = await openPage(browser());
      await logIn(outsider.page, email);
      expect((await outsider.page.goto(matchPath))?.status(), email).toBe(404);
      for (const intent of ["approve", "accept"]) {
        const posted = await outsider.page.request.post(matchPath, { form: { intent }, headers: origin });
        expect(posted.status(), `${email} ${intent}`).toBe(404);
      }
      await outsider.page.goto("/matches");
      await expectHeading(outsider.page, "Meine Tandems");
      await expect(outsider.page.locator(`a[href="${matchPath}"]`).count()).resolves.toBe(0);
      await outsider.context.close();
    }

    // The match's own coach does not see it while the team reviews it, nor can they decide for the team.
    const ownCoach = await openPage(browser());
    await logIn(ownCoach.page, fatima.email);
    expect((await ownCoach.page.goto(matchPath))?.status()).toBe(404);
    const approved = await ownCoach.page.request.post(matchPath, { form: { intent: "approve" }, headers: origin });
    expect(approved.status()).toBe(404);
    await ownCoach.context.close();

    // Without an account: to the login, and back to the match after it.
    const visitor = await openPage(browser());
    const posted = await visitor.page.request.post(matchPath, { form: { intent: "approve" }, headers: origin, maxRedirects: 0 });
    expect(posted.status()).toBe(302);
    expect(posted.headers().location).toBe(`/login?${new URLSearchParams({ redirectTo: matchPath })}`);
    await visitor.page.goto(matchPath);
    await visitor.page.waitForURL((url) => url.pathname === "/login");
    expect(new URL(visitor.page.url()).searchParams.get("redirectTo")).toBe(matchPath);
    await visitor.page.locator("#login-email").fill(requester.email);
    await visitor.page.locator("#login-password").fill(demoPassword);
    await visitor.page.locator("main form button[type=submit]").click();
    await visitor.page.waitForURL(`**${matchPath}`);
    await expectHeading(visitor.page, "Tandem-Vorschlag");
    await expect(stateOf(visitor.page)).resolves.toBe(state.review);
    await visitor.context.close();

    // The team clears the proposal away again.
    const reviewer = await openPage(browser(), { javaScript: false });
    await logIn(reviewer.page, team2.email);
    await reviewer.page.goto(matchPath);
    await reviewer.page.getByLabel("Grund für das Verwerfen").fill("Nur für den Test, wer den Vorschlag sehen darf.");
    await reviewer.page.getByRole("button", { name: "Verwerfen" }).click();
    await expectStatus(reviewer.page, flash.rejected);
    await closeAll(asker, reviewer);
  }, 90_000);
});
