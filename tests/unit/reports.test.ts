import { describe, expect, it } from "vitest";
import { csvField, csvRecord, toCsv } from "~/domain/csv";
import { parseCsv } from "../support/csv-reader";
import {
  acceptanceRate,
  averageRating,
  barChartGeometry,
  daysBetween,
  demandAndSupply,
  layoutGroupedBars,
  median,
  percentile,
  periodStart,
  shortages,
  summariseDurations,
  wrapLabel,
  type ReportTopic,
  type SupplyCoach,
} from "~/domain/reports";

describe("percentiles", () => {
  it("interpolate between the closest ranks (type 7, as R, NumPy and PERCENTILE.INC)", () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 10);
    expect(percentile([15, 20, 35, 40, 50], 90)).toBeCloseTo(46, 10);
    expect(median([15, 20, 35, 40, 50])).toBe(35);
    expect(percentile([15, 20, 35, 40, 50], 0)).toBe(15);
    expect(percentile([15, 20, 35, 40, 50], 100)).toBe(50);
  });

  it("sort a copy, handle one value, and have none for no values", () => {
    const values = [9, 1, 5];
    expect(median(values)).toBe(5);
    expect(values).toEqual([9, 1, 5]);
    expect(percentile([7], 90)).toBe(7);
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
  });

  it("refuse percentiles outside 0–100 and values that are not finite", () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(RangeError);
    expect(() => median([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe("durations and rates", () => {
  it("count days as fractions and never below zero", () => {
    expect(daysBetween(0, 36 * 3_600_000)).toBe(1.5);
    expect(daysBetween(5_000, 1_000)).toBe(0);
  });

  it("summarise waiting times with their count", () => {
    expect(summariseDurations([])).toBeNull();
    expect(summariseDurations([2, 10, 4, 1])).toEqual({ count: 4, medianDays: 3, p90Days: expect.closeTo(8.2, 10) });
  });

  it("compute the acceptance rate over answered and expired proposals", () => {
    expect(acceptanceRate({ accepted: 0, declined: 0, expired: 0 })).toBeNull();
    expect(acceptanceRate({ accepted: 3, declined: 1, expired: 0 })).toBe(0.75);
    expect(acceptanceRate({ accepted: 1, declined: 1, expired: 1 })).toBeCloseTo(1 / 3, 12);
    expect(acceptanceRate({ accepted: 0, declined: 2, expired: 1 })).toBe(0);
  });

  it("average ratings with their count, and have none without ratings", () => {
    expect(averageRating([])).toBeNull();
    expect(averageRating([4])).toEqual({ count: 1, mean: 4 });
    expect(averageRating([5, 4, 4])).toEqual({ count: 3, mean: expect.closeTo(13 / 3, 12) });
  });
});

describe("report periods", () => {
  it("end now and reach back whole days, or cover all time", () => {
    const now = Date.UTC(2026, 2, 31, 12);
    expect(periodStart("30", now)).toBe(Date.UTC(2026, 2, 1, 12));
    expect(periodStart("90", now)).toBe(now - 90 * 86_400_000);
    expect(periodStart("365", now)).toBe(Date.UTC(2025, 2, 31, 12));
    expect(periodStart("all", now)).toBeNull();
  });
});

describe("demand and supply per topic", () => {
  const topics: ReportTopic[] = [
    { id: "a", labelDe: "Einstieg", labelEn: "Getting started", retired: false },
    { id: "b", labelDe: "Barrierefreiheit", labelEn: "Accessibility", retired: false },
    { id: "c", labelDe: "Hosting", labelEn: "Hosting", retired: false },
    { id: "old", labelDe: "Altes Thema", labelEn: "Old topic", retired: true },
    { id: "gone", labelDe: "Vergessen", labelEn: "Forgotten", retired: true },
  ];
  const coach = (overrides: Partial<SupplyCoach>): SupplyCoach => ({
    timeZone: "Europe/Berlin",
    pausedUntil: null,
    capacityPerMonth: 3,
    matchesThisMonth: 0,
    topics: [{ topicId: "a" }],
    ...overrides,
  });
  // 23:30 UTC on 31 March: already 1 April in Berlin, still 31 March in New York.
  const now = new Date("2026-03-31T23:30:00Z");

  it("counts requests by main topic and free places of coaches not paused on their own calendar", () => {
    const rows = demandAndSupply(
      topics,
      [{ mainTopicId: "a" }, { mainTopicId: "a" }, { mainTopicId: "b" }, { mainTopicId: "old" }, { mainTopicId: "" }],
      [
        coach({ capacityPerMonth: 3, matchesThisMonth: 1, topics: [{ topicId: "a" }, { topicId: "b" }] }),
        coach({ capacityPerMonth: 2, matchesThisMonth: 5, topics: [{ topicId: "a" }] }),
        coach({ pausedUntil: "2026-03-31", capacityPerMonth: 4, topics: [{ topicId: "c" }] }),
        coach({ pausedUntil: "2026-03-31", timeZone: "America/New_York", capacityPerMonth: 7, topics: [{ topicId: "c" }] }),
        coach({ pausedUntil: "2026-04-01", capacityPerMonth: 9, topics: [{ topicId: "b" }] }),
      ],
      now,
    );
    expect(rows.map(({ id, demand, supply }) => ({ id, demand, supply }))).toEqual([
      { id: "a", demand: 2, supply: 2 },
      { id: "b", demand: 1, supply: 2 },
      { id: "old", demand: 1, supply: 0 },
      { id: "c", demand: 0, supply: 4 },
    ]);
    expect(rows.find((row) => row.id === "a")).toMatchObject({ labelDe: "Einstieg", labelEn: "Getting started", retired: false });
  });

  it("keeps every active topic, orders ties by the German label, and finds shortages largest first", () => {
    const rows = demandAndSupply(topics, [], [], now);
    expect(rows.map((row) => row.id)).toEqual(["b", "a", "c"]);
    expect(shortages([
      { id: "x", demand: 3, supply: 2 },
      { id: "y", demand: 5, supply: 1 },
      { id: "z", demand: 1, supply: 1 },
    ]).map((row) => row.id)).toEqual(["y", "x"]);
  });
});

describe("the bar chart's layout", () => {
  it("wraps labels at spaces", () => {
    expect(wrapLabel("Getting started with HumHub", 30)).toEqual(["Getting started with HumHub"]);
    expect(wrapLabel("  Hosting und Betrieb für große Vereine  ", 12)).toEqual(["Hosting und", "Betrieb für", "große", "Vereine"]);
    expect(wrapLabel("Donaudampfschifffahrtsgesellschaft ja", 10)).toEqual(["Donaudampfschifffahrtsgesellschaft", "ja"]);
  });

  it("gives the largest value the longest bar and stacks groups without overlap", () => {
    const layout = layoutGroupedBars([
      { labelLines: 1, values: [4, 2] },
      { labelLines: 2, values: [0, 1] },
    ]);
    const [first, second] = layout.groups;
    expect(first!.bars.map((bar) => bar.widthPercent)).toEqual([barChartGeometry.maxBarPercent, barChartGeometry.maxBarPercent / 2]);
    expect(second!.bars.map((bar) => bar.widthPercent)).toEqual([0, barChartGeometry.maxBarPercent / 4]);
    expect(second!.labelBaselines).toHaveLength(2);
    const firstEnd = first!.bars[1]!.y + first!.bars[1]!.height;
    expect(second!.labelBaselines[0]!).toBeGreaterThan(firstEnd);
    expect(second!.bars[0]!.y).toBeGreaterThan(second!.labelBaselines[1]!);
    expect(layout.height).toBe(second!.bars[1]!.y + second!.bars[1]!.height + barChartGeometry.top);
  });

  it("draws no bars when every value is zero", () => {
    const layout = layoutGroupedBars([{ labelLines: 1, values: [0, 0] }]);
    expect(layout.groups[0]!.bars.map((bar) => bar.widthPercent)).toEqual([0, 0]);
    expect(layoutGroupedBars([]).height).toBeGreaterThan(0);
  });
});

describe("CSV writer", () => {
  it("leaves plain text alone and quotes fields with quotes, commas or line breaks", () => {
    expect(csvField("Verein Musterhausen e.V.")).toBe("Verein Musterhausen e.V.");
    expect(csvField("Müller, Schmidt & Co")).toBe('"Müller, Schmidt & Co"');
    expect(csvField('Der "gute" Verein')).toBe('"Der ""gute"" Verein"');
    expect(csvField("Zeile 1\nZeile 2")).toBe('"Zeile 1\nZeile 2"');
    expect(csvField("Zeile 1\r\nZeile 2")).toBe('"Zeile 1\r\nZeile 2"');
    expect(csvField("")).toBe("");
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+49 30 123")).toBe("'+49 30 123");
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe("\"'\r=1\"");
    expect(csvField("=1,2")).toBe("\"'=1,2\"");
    expect(csvField("a=1")).toBe("a=1");
  });

  it("writes numbers as they are, nothing for null, and refuses numbers that are not finite", () => {
    expect(csvField(67.5)).toBe("67.5");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(0)).toBe("0");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("ends every record, the last included, with CRLF", () => {
    expect(csvRecord(["a", null, 1])).toBe("a,,1");
    expect(toCsv(["id", "name"], [["1", "x,y"], ["2", null]])).toBe('id,name\r\n1,"x,y"\r\n2,\r\n');
    expect(toCsv(["only"], [])).toBe("only\r\n");
  });

  it("reads back as written through a strict RFC 4180 reader (formula prefixes aside)", () => {
    const alphabet = ['"', ",", "\r", "\n", "\r\n", "a", "Ä", " ", "=", "+", "-", "@", "\t", "'", "ß", "1"];
    let seed = 20260501;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const randomText = () =>
      Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    const rows = Array.from({ length: 300 }, () => Array.from({ length: 4 }, randomText));
    const parsed = parseCsv(toCsv(["a", "b", "c", "d"], rows));
    expect(parsed[0]).toEqual(["a", "b", "c", "d"]);
    const expected = rows.map((row) => row.map((value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)));
    expect(parsed.slice(1)).toEqual(expected);
  });
});
