import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { baseUrl, expectHeading, expectStatus, horizontalOverflow, logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

const organisation = "Sportverein Musterhausen 1921 e.V.";
const criteria = ["Themen", "Gemeinsame Zeit", "Nähe", "Ähnliche Organisation", "Faire Verteilung", "Wartezeit"];
const weightFields = ["topicFit", "commonTime", "regionProximity", "organisationKind", "fairness", "waitingTime"] as const;
const defaultWeights = { topicFit: "40", commonTime: "20", regionProximity: "10", organisationKind: "10", fairness: "10", waitingTime: "10" };

/**
 * A request by requester@tandem.example that several coaches fit: mobile use on Tuesday evenings, when
 * the seed's "Tuesday and Thursday evenings" coaches have time. Returns its suggestions path.
 */
async function sendMatchableRequest(page: Page, goal: string) {
  await page.goto("/requests/new");
  await page.getByRole("group", { name: "Themen" }).getByLabel("Mobile Nutzung").check();
  await page.getByRole("group", { name: "Wichtigstes Thema" }).getByLabel("Mobile Nutzung").check();
  await page.getByLabel("Was möchten Sie erreichen?").fill(goal);
  await page.locator("#request-windows\\.0\\.weekday").selectOption("2");
  await page.locator("#request-windows\\.0\\.start").fill("17:00");
  await page.locator("#request-windows\\.0\\.end").fill("21:00");
  await page.getByRole("button", { name: "Anfrage stellen" }).click();
  await page.waitForURL(/\/requests\/[0-9a-f-]{36}$/);
  await expectHeading(page, "Coaching-Anfrage");
  return `${new URL(page.url()).pathname}/suggestions`;
}

/** Fills every weight field; `values` maps field names to what is typed. */
async function fillWeights(page: Page, values: Partial<Record<(typeof weightFields)[number], string>>) {
  for (const [field, value] of Object.entries(values)) await page.locator(`#weights-${field}`).fill(value);
}

/** Saves the seed's weights again through the form, so later test files score as before. */
async function restoreDefaultWeights() {
  const { context, page } = await openPage(browser(), { javaScript: false });
  await logIn(page, "team@tandem.example");
  await page.goto("/team/matching/weights");
  await fillWeights(page, defaultWeights);
  await page.getByRole("button", { name: "Gewichte speichern" }).click();
  await expectStatus(page, "Die Gewichte sind gespeichert");
  for (const field of weightFields) {
    await expect(page.locator(`#weights-${field}`).inputValue()).resolves.toBe(defaultWeights[field]);
  }
  await context.close();
}

describe.each([{ javaScript: true }, { javaScript: false }])("coach suggestions for a requester (JavaScript: $javaScript)", ({ javaScript }) => {
  const checkAccessibility = (page: Page) => (javaScript ? expectNoAxeViolations(page) : Promise.resolve());

  it("ranks coaches with reasons, explains the points and the exclusions, and asks one coach", async () => {
    const { context, page } = await openPage(browser(), { javaScript });
    await logIn(page, "requester@tandem.example");
    await sendMatchableRequest(page, `Vorstand aufs Handy bringen ${javaScript ? "A" : "B"}`);

    await page.getByRole("link", { name: "Passende Coaches ansehen" }).click();
    await expectHeading(page, "Passende Coaches");
    expect(new URL(page.url()).pathname).toMatch(/^\/requests\/[0-9a-f-]{36}\/suggestions$/);
    const suggestionsUrl = new URL(page.url()).pathname;
    await page.getByText(`Anfrage: Mobile Nutzung · ${organisation}`).waitFor();

    const ranked = page.locator("section[aria-labelledby=suggestions-title] ol.suggestions > li");
    expect(await ranked.count()).toBeGreaterThan(0);
    const headings = await ranked.locator("h3").allTextContents();
    headings.forEach((heading, index) => expect(heading).toMatch(new RegExp(`^Platz ${index + 1}: \\S`)));
    // Requesters see the organisation only; names wait for an accepted match.
    for (const heading of headings) expect(heading).not.toContain("Coach:");
    const scores = await ranked.locator(".suggestion__score").allTextContents();
    for (const score of scores) expect(score).toMatch(/^\d{1,3} von 100 Punkten$/);
    const points = scores.map((score) => Number.parseInt(score, 10));
    expect(points).toEqual([...points].sort((a, b) => b - a));
    const first = ranked.first();
    await expect(first.locator(".suggestion__summary").textContent()).resolves.toMatch(
      /^Spricht Deutsch · (Grundlagen|Erprobt|Expertise) in Mobile Nutzung · [\d,]+ Std\.\/Woche gemeinsame Zeit$/,
    );

    // The breakdown is a native disclosure: closed at first, opened from the keyboard.
    const details = first.locator("details");
    const breakdown = details.getByRole("table");
    expect(await breakdown.isVisible()).toBe(false);
    const summary = details.getByText("Wie sich die Punkte zusammensetzen", { exact: true });
    if (javaScript) {
      await summary.focus();
      await page.keyboard.press("Enter");
    } else {
      await summary.click();
    }
    await breakdown.waitFor();
    expect(await details.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    const columns = await breakdown.locator("thead th").allTextContents();
    expect(columns).toEqual(["Kriterium", "Punkte", "Begründung"]);
    const rows = await breakdown.locator("tbody th[scope=row]").allTextContents();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(criteria).toContain(row);
    expect(rows).toEqual(expect.arrayContaining(["Themen", "Gemeinsame Zeit"]));
    for (const cell of await breakdown.locator("tbody td:nth-of-type(1)").allTextContents()) {
      expect(cell).toMatch(/^\d{1,3} von \d{1,3}$/);
    }

    const whyNot = page.getByRole("region", { name: "Warum nicht andere Coaches?" });
    await whyNot.getByText("Diese Regeln schließen Coaches aus; ein Coach kann an mehreren scheitern.").waitFor();
    const ruleCounts = await whyNot.locator(":scope > ul.why-not > li").allTextContents();
    expect(ruleCounts.length).toBeGreaterThan(0);
    for (const line of ruleCounts) expect(line).toMatch(/^\d+ Coach(es)?: \S/);
    expect(ruleCounts.some((line) => line.includes("Keine gemeinsame Zeit"))).toBe(true);
    const nearMisses = whyNot.locator("ul.suggestions > li");
    if ((await nearMisses.count()) > 0) {
      await whyNot.getByRole("heading", { level: 3, name: "Knapp daneben" }).waitFor();
      // A near miss names the one rule it fails instead of a score.
      for (const card of await nearMisses.all()) {
        await expect(card.locator(".why-not li").count()).resolves.toBe(1);
        await expect(card.locator(".suggestion__score").count()).resolves.toBe(0);
      }
    }
    await checkAccessibility(page);

    const askedHeading = (await first.locator("h3").textContent()) ?? "";
    await first.getByRole("button", { name: "Diesen Coach anfragen" }).click();
    // Asking proposes the match, which waits for the team's review.
    await expectStatus(page, "Ihr Vorschlag ist gespeichert. Das Community-Team prüft ihn, dann fragt Tandem den Coach.");
    await expectHeading(page, "Tandem-Vorschlag");
    await page.getByText("Wird vom Team geprüft").first().waitFor();
    await checkAccessibility(page);

    await page.goto(suggestionsUrl);
    await expectHeading(page, "Passende Coaches");
    const askedCard = page.locator("article.suggestion", { has: page.getByRole("heading", { name: askedHeading, exact: true }) });
    await askedCard.getByText("Sie haben diesen Coach angefragt.").waitFor();
    await expect(page.getByRole("button", { name: "Diesen Coach anfragen" }).count()).resolves.toBe(0);
    await checkAccessibility(page);

    // The request itself now records the wish and shows the proposal.
    await page.getByRole("link", { name: "Zurück zur Anfrage" }).click();
    await expectHeading(page, "Coaching-Anfrage");
    await page.getByText("Aktueller Vorschlag: Wird vom Team geprüft").waitFor();
    await page.getByRole("listitem").filter({ hasText: "Geändert: Gewünschter Coach" }).waitFor();
    await context.close();
  });
});

describe("coach suggestions for other people, in English and on a phone", () => {
  let suggestionsPath = "";

  beforeAll(async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    suggestionsPath = await sendMatchableRequest(page, "Dienstpläne auf dem Handy");
    await context.close();
  });

  it("shows the suggestions in English", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    await page.goto(suggestionsPath);
    await expectHeading(page, "Passende Coaches");
    await page.getByRole("button", { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    try {
      await expectHeading(page, "Matching coaches");
      expect(new URL(page.url()).pathname).toBe(suggestionsPath);
      const first = page.locator("ol.suggestions > li").first();
      await expect(first.locator("h3").textContent()).resolves.toMatch(/^Rank 1: \S/);
      await expect(first.locator(".suggestion__score").textContent()).resolves.toMatch(/^\d{1,3} of 100 points$/);
      await expect(first.locator(".suggestion__summary").textContent()).resolves.toMatch(/^Speaks German · .+ in Mobile use/);
      await first.getByText("How the points add up").click();
      await expect(first.locator("thead th").allTextContents()).resolves.toEqual(["Criterion", "Points", "Reason"]);
      await page.getByRole("heading", { level: 2, name: "Why not other coaches?" }).waitFor();
      await page.getByText(/^\d+ coaches?: No common time/).first().waitFor();
      await first.getByRole("button", { name: "Ask this coach" }).waitFor();
      await expectNoAxeViolations(page);
    } finally {
      // The switch is saved on the account, which other tests expect to be German.
      await page.getByRole("button", { name: /Deutsch/ }).click();
      await page.waitForFunction(() => document.documentElement.lang === "de");
      await context.close();
    }
  });

  it("is hidden from other requesters and open to the team, with coach names", async () => {
    const other = await openPage(browser());
    await logIn(other.page, "both@tandem.example");
    expect((await other.page.goto(suggestionsPath))?.status()).toBe(404);
    const ask = await other.page.request.post(suggestionsPath, {
      form: { intent: "ask", offerId: "x" },
      headers: { Origin: new URL(baseUrl()).origin },
    });
    expect(ask.status()).toBe(404);
    await other.context.close();

    const coach = await openPage(browser());
    await logIn(coach.page, "coach@tandem.example");
    expect((await coach.page.goto(suggestionsPath))?.status()).toBe(404);
    await coach.context.close();

    const team = await openPage(browser());
    await logIn(team.page, "team@tandem.example");
    await team.page.getByRole("link", { name: "Team: Matching" }).click();
    await expectHeading(team.page, "Matching");
    // Oldest first, so the new request is on the last page of open requests.
    const link = team.page.locator(`a[href="${suggestionsPath}"]`);
    while ((await link.count()) === 0) {
      await team.page.getByRole("link", { name: "Nächste Seite" }).click();
      await team.page.waitForURL(/[?&]page=\d+/);
      await team.page.waitForLoadState("load");
    }
    await expect(link.getAttribute("aria-label")).resolves.toBe(`Vorschläge für Mobile Nutzung (${organisation})`);
    await link.click();
    await expectHeading(team.page, "Passende Coaches");
    expect(new URL(team.page.url()).pathname).toBe(suggestionsPath);
    await team.page.getByText("Alle Angebote, verglichen mit dieser Anfrage, mit den aktuellen Gewichten.").waitFor();
    const headings = await team.page.locator("ol.suggestions h3").allTextContents();
    expect(headings.length).toBeGreaterThan(0);
    for (const heading of headings) expect(heading).toMatch(/^Platz \d+: .+ – Coach: \S/);
    for (const heading of await team.page.locator("ul.suggestions h3").allTextContents()) expect(heading).toContain(" – Coach: ");
    // Asking is the author's choice; the team proposes matches elsewhere.
    await expect(team.page.getByRole("button", { name: "Diesen Coach anfragen" }).count()).resolves.toBe(0);
    await team.page.getByRole("link", { name: "Matching", exact: true }).first().waitFor();
    await expectNoAxeViolations(team.page);
    await team.context.close();
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const { context, page } = await openPage(browser(), { width: 360 });
    await page.setViewportSize({ width: 360, height: 740 });
    await logIn(page, "requester@tandem.example");
    await page.goto(suggestionsPath);
    await expectHeading(page, "Passende Coaches");
    await expect(horizontalOverflow(page)).resolves.toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page);
    const first = page.locator("ol.suggestions > li").first();
    await first.getByText("Wie sich die Punkte zusammensetzen").click();
    await first.getByRole("table").waitFor();
    await expect(horizontalOverflow(page)).resolves.toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page);
    await context.close();
  });
});

describe.each([{ javaScript: true }, { javaScript: false }])("matching weights (JavaScript: $javaScript)", ({ javaScript }) => {
  afterAll(restoreDefaultWeights);

  it("rejects invalid weights, previews new ones, and saves them with a log entry", async () => {
    // The log's times follow the account's time zone, not the browser's, so the page hydrates cleanly.
    const { context, page } = await openPage(browser(), { javaScript, timezoneId: "America/New_York" });
    await logIn(page, "team@tandem.example");
    await page.getByRole("link", { name: "Team: Matching" }).click();
    await expectHeading(page, "Matching");
    await page.getByRole("link", { name: "Gewichte der Kriterien" }).click();
    await expectHeading(page, "Gewichte der Kriterien");
    for (const [index, field] of weightFields.entries()) {
      const input = page.getByLabel(`Gewicht: ${criteria[index]}`, { exact: true });
      await expect(input.inputValue()).resolves.toBe(defaultWeights[field]);
    }
    await page.getByLabel("Vorschau für Anfrage").waitFor();

    const log = page.getByRole("region", { name: "Änderungen" });
    const logEntries = log.locator("li");
    const entriesBefore = await logEntries.count();
    let posts = 0;
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/team/matching/weights") posts += 1;
    });
    const preview = page.getByRole("button", { name: "Vorschau", exact: true });
    const invalidNumber = "Bitte geben Sie eine ganze Zahl von 0 bis 100 an.";
    const allZero = "Mindestens ein Kriterium braucht ein Gewicht über 0.";

    /** Submits with the preview button; without JavaScript the server answers 400. */
    async function submitInvalid() {
      if (javaScript) {
        await preview.click();
      } else {
        const [response] = await Promise.all([
          page.waitForResponse((response) => response.request().method() === "POST"),
          preview.click(),
        ]);
        expect(response.status()).toBe(400);
        await page.waitForLoadState("load");
      }
    }

    await fillWeights(page, { topicFit: "abc", commonTime: "101" });
    if (javaScript) {
      // Validated as soon as the field is left, before anything is sent.
      await page.locator("#weights-commonTime").focus();
      await page.locator("#weights-topicFit-error").waitFor();
    }
    await submitInvalid();
    await expect(page.locator("#weights-topicFit-error").textContent()).resolves.toBe(invalidNumber);
    await expect(page.locator("#weights-commonTime-error").textContent()).resolves.toBe(invalidNumber);
    await expect(page.locator("#weights-topicFit").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator("#weights-topicFit").getAttribute("aria-describedby")).resolves.toContain("weights-topicFit-error");
    const errorSummary = page.getByRole("alert").filter({ hasText: "Bitte korrigieren Sie 2 Angaben:" });
    await errorSummary.waitFor();
    await expect(errorSummary.getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")))).resolves.toEqual([
      "#weights-topicFit",
      "#weights-commonTime",
    ]);
    // The typed values stay for correcting them.
    await expect(page.locator("#weights-topicFit").inputValue()).resolves.toBe("abc");
    await expect(page.locator("#weights-commonTime").inputValue()).resolves.toBe("101");
    await expect(page.getByRole("heading", { name: "Vorschau: die ersten 5 für diese Anfrage" }).count()).resolves.toBe(0);
    if (javaScript) {
      expect(posts).toBe(0);
      // Correcting a field clears its message while typing.
      await page.locator("#weights-commonTime").fill("20");
      await page.locator("#weights-commonTime-error").waitFor({ state: "detached" });
    }
    await checkAxe();

    await fillWeights(page, { topicFit: "0", commonTime: "0", regionProximity: "0", organisationKind: "0", fairness: "0", waitingTime: "000" });
    await submitInvalid();
    await expect(page.locator("#weights-topicFit-error").textContent()).resolves.toBe(allZero);
    await page.getByRole("alert").filter({ hasText: allZero }).waitFor();
    if (javaScript) expect(posts).toBe(0);

    await fillWeights(page, { ...defaultWeights, topicFit: "30" });
    await page.getByLabel("Vorschau für Anfrage").selectOption({ index: 0 });
    await preview.click();
    // The preview is announced as a status when it appears.
    const previewSection = page.getByRole("status").filter({
      has: page.getByRole("heading", { level: 2, name: "Vorschau: die ersten 5 für diese Anfrage" }),
    });
    await previewSection.waitFor();
    await page.waitForLoadState("load");
    await expect(page.locator(".field__error").count()).resolves.toBe(0);
    const table = previewSection.getByRole("table", { name: "Mit den aktuellen und mit den neuen Gewichten" });
    await expect(table.locator("thead th").allTextContents()).resolves.toEqual(["#", "Jetzt", "Mit neuen Gewichten"]);
    const previewRows = table.locator("tbody tr");
    expect(await previewRows.count()).toBeGreaterThan(0);
    expect(await previewRows.count()).toBeLessThanOrEqual(5);
    for (const cell of await table.locator("tbody td").allTextContents()) expect(cell).toMatch(/^(.+ \(.+\): \d{1,3} Punkte|–)$/);
    // A preview changes nothing yet: the form keeps the proposed weights, the log stays as it was.
    await expect(page.locator("#weights-topicFit").inputValue()).resolves.toBe("30");
    await expect(logEntries.count()).resolves.toBe(entriesBefore);
    await checkAxe();

    const savedAround = [new Date()];
    await page.getByRole("button", { name: "Gewichte speichern" }).click();
    await expectStatus(page, "Die Gewichte sind gespeichert und gelten ab sofort.");
    savedAround.push(new Date());
    await expect(page.locator("#weights-topicFit").inputValue()).resolves.toBe("30");
    await expect(logEntries.count()).resolves.toBe(entriesBefore + 1);
    // Katrin Vogel's account is in Europe/Berlin; the browser is not.
    const berlinTime = new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
    const expectedEntries = savedAround.map((time) => `${berlinTime.format(time)}, Katrin Vogel: Themen 40 → 30`);
    expect(expectedEntries).toContain(await logEntries.first().textContent());
    // Loaded afresh, the server's and the browser's rendering of the log agree (no hydration error).
    await page.reload();
    await expectHeading(page, "Gewichte der Kriterien");
    expect(expectedEntries).toContain(await logEntries.first().textContent());
    await context.close();

    async function checkAxe() {
      if (javaScript) await expectNoAxeViolations(page);
    }
  });
});

describe("matching weights from the keyboard", () => {
  it("reaches every weight field and both buttons in order, with a visible focus ring", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "team@tandem.example");
    await page.goto("/team/matching/weights");
    await expectHeading(page, "Gewichte der Kriterien");
    await page.locator("h1").click();

    const expected = [
      ...weightFields.map((field) => `#weights-${field}`),
      "#weights-previewRequestId",
      "button:Vorschau",
      "button:Gewichte speichern",
    ];
    const reached: string[] = [];
    for (let presses = 0; presses < 40 && reached.at(-1) !== expected.at(-1); presses += 1) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element) return null;
        const style = getComputedStyle(element);
        return {
          key: element.id ? `#${element.id}` : `${element.tagName.toLowerCase()}:${element.textContent?.trim()}`,
          outlineStyle: style.outlineStyle,
          outlineWidth: Number.parseFloat(style.outlineWidth),
          focusVisible: element.matches(":focus-visible"),
        };
      });
      if (!focused) continue;
      reached.push(focused.key);
      if (expected.includes(focused.key)) {
        expect(focused.focusVisible, focused.key).toBe(true);
        expect(focused.outlineStyle, focused.key).not.toBe("none");
        expect(focused.outlineWidth, focused.key).toBeGreaterThanOrEqual(2);
      }
    }
    const start = reached.indexOf(expected[0] ?? "");
    expect(start).toBeGreaterThanOrEqual(0);
    expect(reached.slice(start)).toEqual(expected);

    // Enter on the focused save button submits the unchanged weights; nothing is logged for no change.
    await page.keyboard.press("Enter");
    await expectStatus(page, "Die Gewichte sind gespeichert und gelten ab sofort.");
    for (const field of weightFields) {
      await expect(page.locator(`#weights-${field}`).inputValue()).resolves.toBe(defaultWeights[field]);
    }
    await context.close();
  });
});

describe.each([
  { javaScript: true, mode: "Beste Gesamtpunktzahl" },
  { javaScript: false, mode: "So viele Anfragen wie möglich, dann beste Punktzahl" },
])("matching all open requests at once (JavaScript: $javaScript)", ({ javaScript, mode }) => {
  it("runs in the background, shows its progress and then the proposed pairs", async () => {
    // A browser far from the team member's Europe/Berlin: times follow the account, and hydrate cleanly.
    const { context, page } = await openPage(browser(), { javaScript, timezoneId: "America/New_York" });
    await logIn(page, "team@tandem.example");
    await page.goto("/team/matching");
    await expectHeading(page, "Matching");
    const modes = page.getByRole("group", { name: "Ziel der Zuordnung" });
    await expect(modes.getByLabel("Beste Gesamtpunktzahl").isChecked()).resolves.toBe(true);
    await modes.getByLabel(mode).check();
    if (javaScript) await expectNoAxeViolations(page);
    const startedAround = [new Date()];
    await page.getByRole("button", { name: "Zuordnung berechnen" }).click();
    await page.waitForURL(/\/team\/matching\/runs\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: /^Zuordnung vom / }).waitFor();
    await page.waitForLoadState("load");
    startedAround.push(new Date());
    // Katrin Vogel's account is in Europe/Berlin; the browser is not.
    const berlinTime = new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
    const startTimes = startedAround.map((time) => berlinTime.format(time));
    expect(startTimes.map((time) => `Zuordnung vom ${time}`)).toContain(await page.locator("h1").textContent());
    await page.getByText(`Ziel: ${mode}`).waitFor();

    // The small demo data is done within a second, so the run may be finished already. Read the badge
    // and the progress bar in one go: with JavaScript the page may update itself in between.
    const firstLook = await page.evaluate(() => ({
      status: document.querySelector("main .badge")?.textContent,
      progress: [...document.querySelectorAll("progress")].map((bar) => bar.labels?.[0]?.textContent ?? ""),
    }));
    if (firstLook.status === "Läuft") {
      expect(firstLook.progress).toEqual([expect.stringMatching(/^Fortschritt: /)]);
    } else {
      expect(firstLook).toEqual({ status: "Fertig", progress: [] });
    }
    if (!javaScript) {
      // Without JavaScript a link looks again; the page does not change by itself.
      const status = page.locator("main .badge").first();
      for (let attempt = 0; attempt < 60 && (await status.textContent()) === "Läuft"; attempt += 1) {
        await expect(page.getByRole("progressbar", { name: /^Fortschritt: / }).count()).resolves.toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 250));
        await page.getByRole("link", { name: "Stand aktualisieren" }).click();
        await page.waitForLoadState("load");
      }
    }
    // With JavaScript the page polls by itself.
    await page.locator(".badge", { hasText: "Fertig" }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole("progressbar").count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Stand aktualisieren" }).count()).resolves.toBe(0);
    const summary = page.getByRole("status").getByText(/^\d+ von \d+ Anfragen zugeordnet, \d+ Coaches verfügbar, Gesamtpunktzahl [\d.]+\.$/);
    const [, matched, requests] = /^(\d+) von (\d+)/.exec((await summary.textContent()) ?? "") ?? [];
    expect(Number(matched)).toBeGreaterThan(0);
    expect(Number(matched)).toBeLessThanOrEqual(Number(requests));

    const table = page.getByRole("table", { name: "Vorgeschlagene Paare, nach Punktzahl" });
    await expect(table.locator("thead th").allTextContents()).resolves.toEqual(["Anfrage", "Coach", "Punkte", ...criteria]);
    const rows = table.locator("tbody tr");
    await expect(rows.count()).resolves.toBe(Number(matched));
    const scores = (await table.locator("tbody td:nth-of-type(2)").allTextContents()).map(Number);
    for (const score of scores) expect(score).toBeGreaterThan(0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const unmatched = Number(requests) - Number(matched);
    if (unmatched > 0) await page.getByText(new RegExp(`^${unmatched} Anfragen? ha(t|ben) keinen Vorschlag bekommen\\.$`)).waitFor();
    if (javaScript) await expectNoAxeViolations(page);

    // Each proposal leads to that request's suggestions; the run is listed on the hub.
    const runPath = new URL(page.url()).pathname;
    await rows.first().getByRole("link").click();
    await expectHeading(page, "Passende Coaches");
    await page.getByRole("link", { name: "Matching", exact: true }).first().click();
    await expectHeading(page, "Matching");
    const listed = page.locator(`a[href="${runPath}"]`);
    await expect(page.locator("li", { has: listed }).locator(".badge").textContent()).resolves.toBe("Fertig");
    // Loaded afresh, the server's and the browser's rendering of the times agree (no hydration error).
    await page.reload();
    await expectHeading(page, "Matching");
    expect(startTimes.map((time) => `Berechnung vom ${time}`)).toContain(await listed.textContent());
    await context.close();
  });
});
