import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectNoAxeViolations, useSharedChromium } from "../support/chromium";
import { expectHeading, horizontalOverflow, logIn, openPage } from "../support/browser-session";

const browser = useSharedChromium();

const csvHeader = "match_id,status,source,created_at,request_id,main_topic,requester_organisation,coach_organisation,score,decline_reason";
const seedTopics = {
  de: ["Einstieg in HumHub", "Barrierefreiheit", "Mobile Nutzung", "Hosting und Betrieb"],
  en: ["Getting started with HumHub", "Accessibility", "Mobile use", "Hosting and operations"],
};

/**
 * Checks the chart and the table beside it tell the same story: every topic row of the table has its
 * group in the chart, with the same numbers as the bars' direct labels.
 */
async function expectChartAndTable(page: Page, language: "de" | "en") {
  const chartName =
    language === "de"
      ? /^Balkendiagramm der offenen Anfragen und freien Plätze je Thema \(\d+ Themen\)\. /
      : /^Bar chart of open requests and free places per topic \(\d+ topics\)\. /;
  const chart = page.getByRole("img", { name: chartName });
  await expect(chart.count()).resolves.toBe(1);
  await expect(chart.evaluate((element) => element.tagName.toLowerCase())).resolves.toBe("svg");
  await expect(page.locator("canvas").count()).resolves.toBe(0);
  const legend = page.getByRole("list", { name: language === "de" ? "Legende" : "Legend" });
  const legendEntries = (await legend.getByRole("listitem").allTextContents()).map((entry) => entry.trim());
  expect(legendEntries).toEqual(
    language === "de"
      ? ["Offene Anfragen (volle Fläche, oberer Balken)", "Freie Plätze (schraffiert, unterer Balken)"]
      : ["Open requests (solid, upper bar)", "Free places (hatched, lower bar)"],
  );

  const tableName = language === "de" ? "Offene Anfragen und freie Plätze je Thema" : "Open requests and free places per topic";
  const table = page.getByRole("table", { name: tableName });
  await expect(table.locator("thead th[scope=col]").allTextContents()).resolves.toEqual(
    language === "de" ? ["Thema", "Offene Anfragen", "Freie Plätze"] : ["Topic", "Open requests", "Free places"],
  );
  const topics = await table.locator("tbody th[scope=row]").allTextContents();
  expect(topics).toEqual(expect.arrayContaining(seedTopics[language]));
  const demand = (await table.locator("tbody td:nth-of-type(1)").allTextContents()).map(Number);
  const supply = (await table.locator("tbody td:nth-of-type(2)").allTextContents()).map(Number);
  for (const value of [...demand, ...supply]) expect(Number.isInteger(value) && value >= 0).toBe(true);
  expect(demand).toEqual([...demand].sort((a, b) => b - a));
  // The demo seed has open requests and coaches with room, so the bars are not all empty.
  expect(demand.some((value) => value > 0)).toBe(true);
  expect(supply.some((value) => value > 0)).toBe(true);

  const chartText = await chart.evaluate((svg) => [...svg.querySelectorAll(":scope > g")].map((group) => group.textContent ?? ""));
  expect(chartText).toHaveLength(topics.length);
  topics.forEach((topic, index) => {
    const demandLabel =
      language === "de"
        ? `${demand[index]} ${demand[index] === 1 ? "Anfrage" : "Anfragen"}`
        : `${demand[index]} ${demand[index] === 1 ? "request" : "requests"}`;
    const supplyLabel = `${supply[index]} ${language === "de" ? "frei" : "free"}`;
    expect(chartText[index]!.replace(/\s/g, "")).toBe(`${topic}${demandLabel}${supplyLabel}`.replace(/\s/g, ""));
  });
}

/** Fetches the export with the page's cookies and checks it is the CSV file. */
async function expectCsvDownload(context: BrowserContext, page: Page, linkName: string) {
  const link = page.getByRole("link", { name: linkName });
  await expect(link.getAttribute("href")).resolves.toBe("/team/reports/matches.csv");
  const response = await context.request.get("/team/reports/matches.csv");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="tandem-matches-\d{4}-\d{2}-\d{2}\.csv"$/);
  const text = (await response.text()).replace(/^\uFEFF/, "");
  expect(text.split("\r\n")[0]).toBe(csvHeader);
  expect(text).not.toMatch(/@tandem\.example/);
}

describe("reports for the community team", () => {
  it("shows the chart, the table and every figure in German, and downloads the matches", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "team@tandem.example");
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto("/team/reports");
    await expectHeading(page, "Berichte");
    await expect(page.title()).resolves.toBe("Berichte · Tandem");
    await page.getByText(/^Stand: /).waitFor();
    await expectChartAndTable(page, "de");

    for (const heading of ["Nachfrage und freie Plätze je Thema", "Zeit bis zum Tandem", "Annahmequote", "Tandems je Coach-Organisation", "Export"]) {
      await page.getByRole("heading", { level: 2, name: heading, exact: true }).waitFor();
    }
    // Other test files may have made matches on the shared server: either figures or "no data yet".
    const time = page.getByRole("region", { name: "Zeit bis zum Tandem" });
    await expect(time.getByText(/^(Noch keine Daten: .+|Grundlage: \d+ angenommene[r]? Vorschl(ag|äge)\.)$/).count()).resolves.toBe(1);
    const acceptance = page.getByRole("region", { name: "Annahmequote" });
    await expect(acceptance.getByText(/^(Noch keine Daten: .+|[\d,]+\s%\sangenommen)$/).count()).resolves.toBe(1);
    const organisations = page.getByRole("region", { name: "Tandems je Coach-Organisation" });
    const tandems = await organisations.getByRole("table").count();
    if (tandems === 0) await organisations.getByText("Noch keine Tandems.").waitFor();
    else await expect(organisations.locator("thead th").allTextContents()).resolves.toEqual(["Organisation", "Tandems"]);
    await expectNoAxeViolations(page);

    await expectCsvDownload(context, page, "Vorschläge und Tandems als CSV herunterladen");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Vorschläge und Tandems als CSV herunterladen" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tandem-matches-\d{4}-\d{2}-\d{2}\.csv$/);
    // Numbers, percentages and dates render alike on the server and in the browser: a clean hydration.
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("shows the report in English", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "team@tandem.example");
    await page.goto("/team/reports");
    await expectHeading(page, "Berichte");
    await page.getByRole("button", { name: /English/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    try {
      await expectHeading(page, "Reports");
      expect(new URL(page.url()).pathname).toBe("/team/reports");
      await expectChartAndTable(page, "en");
      for (const heading of ["Demand and free places per topic", "Time to a tandem", "Acceptance rate", "Tandems per coach organisation"]) {
        await page.getByRole("heading", { level: 2, name: heading, exact: true }).waitFor();
      }
      await expectNoAxeViolations(page);
      await expectCsvDownload(context, page, "Download matches as CSV");
    } finally {
      // The switch is saved on the account, which other tests expect to be German.
      await page.getByRole("button", { name: /Deutsch/ }).click();
      await page.waitForFunction(() => document.documentElement.lang === "de");
      await context.close();
    }
  });

  it("works without JavaScript", async () => {
    const { context, page } = await openPage(browser(), { javaScript: false });
    await logIn(page, "team@tandem.example");
    await page.goto("/team/reports");
    await expectHeading(page, "Berichte");
    await expectChartAndTable(page, "de");
    await expectCsvDownload(context, page, "Vorschläge und Tandems als CSV herunterladen");
    await context.close();
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const { context, page } = await openPage(browser(), { width: 360 });
    await logIn(page, "team@tandem.example");
    await page.goto("/team/reports");
    await expectHeading(page, "Berichte");
    await expect(horizontalOverflow(page)).resolves.toBeLessThanOrEqual(0);
    // The chart keeps to the page's width and its labels stay inside it.
    const overflowingText = await page.getByRole("img", { name: /^Balkendiagramm/ }).evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll("text")]
        .filter((text) => text.getBoundingClientRect().right > box.right + 0.5)
        .map((text) => text.textContent);
    });
    expect(overflowingText).toEqual([]);
    await expectNoAxeViolations(page);
    await context.close();
  });

  it("is closed to people outside the team", async () => {
    const { context, page } = await openPage(browser());
    await logIn(page, "requester@tandem.example");
    expect((await page.goto("/team/reports"))?.status()).toBe(403);
    const csv = await context.request.get("/team/reports/matches.csv");
    expect(csv.status()).toBe(403);
    expect(csv.headers()["content-type"] ?? "").not.toContain("text/csv");
    await context.close();

    const anonymous = await openPage(browser());
    const response = await anonymous.context.request.get("/team/reports/matches.csv", { maxRedirects: 0 });
    expect(response.status()).toBe(302);
    expect(response.headers().location).toBe(`/login?${new URLSearchParams({ redirectTo: "/team/reports/matches.csv" })}`);
    await anonymous.context.close();
  });
});
