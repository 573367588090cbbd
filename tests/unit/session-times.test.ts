import { describe, expect, it } from "vitest";
import { describeForViewer, formatSessionRange } from "~/domain/session-times";
import type { TimeRange } from "~/domain/slots";

function range(startsAt: string, endsAt: string): TimeRange {
  return { startsAt: Date.parse(startsAt), endsAt: Date.parse(endsAt) };
}

// Monday after Europe's switch to summer time (UTC+2); New York is on UTC−4 since 2027-03-14.
const BOTH_SUMMER = range("2027-03-29T16:00:00Z", "2027-03-29T17:00:00Z");
// Monday between the two switches: Berlin still UTC+1, New York already UTC−4.
const ONLY_US_SUMMER = range("2027-03-22T17:00:00Z", "2027-03-22T18:00:00Z");
// Monday in January: Berlin UTC+1, New York UTC−5.
const BOTH_WINTER = range("2027-01-11T17:00:00Z", "2027-01-11T18:00:00Z");

describe("formatSessionRange", () => {
  it.each([
    ["de", "Europe/Berlin", BOTH_SUMMER, "Mo., 29. März 2027, 18:00–19:00"],
    ["en", "Europe/Berlin", BOTH_SUMMER, "Mon, 29 Mar 2027, 18:00–19:00"],
    ["de", "America/New_York", BOTH_SUMMER, "Mo., 29. März 2027, 12:00–13:00"],
    ["en", "America/New_York", BOTH_WINTER, "Mon, 11 Jan 2027, 12:00–13:00"],
    ["de", "Europe/Berlin", ONLY_US_SUMMER, "Mo., 22. März 2027, 18:00–19:00"],
    ["en", "Asia/Kolkata", BOTH_SUMMER, "Mon, 29 Mar 2027, 21:30–22:30"],
  ] as const)("in %s for %s", (locale, timeZone, session, expected) => {
    expect(formatSessionRange(session, timeZone, locale)).toBe(expected);
  });

  it.each([
    ["de", "Mo., 29. März 2027, 23:30 – Di., 30. März 2027, 01:30"],
    ["en", "Mon, 29 Mar 2027, 23:30 – Tue, 30 Mar 2027, 01:30"],
  ] as const)("names both dates for a range over midnight (%s)", (locale, expected) => {
    const overMidnight = range("2027-03-29T21:30:00Z", "2027-03-29T23:30:00Z");
    expect(formatSessionRange(overMidnight, "Europe/Berlin", locale)).toBe(expected);
  });

  it("keeps a range ending exactly at midnight on its day", () => {
    const untilMidnight = range("2027-03-29T21:00:00Z", "2027-03-29T22:00:00Z");
    expect(formatSessionRange(untilMidnight, "Europe/Berlin", "de")).toBe("Mo., 29. März 2027, 23:00–00:00");
  });

  it("shows the wall clock across the spring-forward jump", () => {
    const overTheJump = range("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z");
    expect(formatSessionRange(overTheJump, "Europe/Berlin", "en")).toBe("Sun, 28 Mar 2027, 01:30–03:30");
  });

  it("rejects an unknown time zone", () => {
    expect(() => formatSessionRange(BOTH_SUMMER, "Mars/Olympus_Mons", "de")).toThrow(RangeError);
  });
});

describe("describeForViewer", () => {
  it.each([
    ["de", BOTH_SUMMER, "Mo., 29. März 2027, 18:00–19:00", "12:00–13:00 (New York)"],
    ["en", BOTH_SUMMER, "Mon, 29 Mar 2027, 18:00–19:00", "12:00–13:00 (New York)"],
    ["de", ONLY_US_SUMMER, "Mo., 22. März 2027, 18:00–19:00", "13:00–14:00 (New York)"],
    ["en", BOTH_WINTER, "Mon, 11 Jan 2027, 18:00–19:00", "12:00–13:00 (New York)"],
  ] as const)("shows New York's clock to a viewer in Berlin (%s)", (locale, session, primary, other) => {
    expect(describeForViewer(session, "Europe/Berlin", "America/New_York", locale)).toEqual({ primary, other });
  });

  it("shows Berlin's clock to a viewer in New York", () => {
    expect(describeForViewer(BOTH_SUMMER, "America/New_York", "Europe/Berlin", "en")).toEqual({
      primary: "Mon, 29 Mar 2027, 12:00–13:00",
      other: "18:00–19:00 (Berlin)",
    });
  });

  it("repeats the date when the other side's date differs", () => {
    const earlyInBerlin = range("2027-03-29T01:00:00Z", "2027-03-29T02:00:00Z");
    expect(describeForViewer(earlyInBerlin, "Europe/Berlin", "America/New_York", "de")).toEqual({
      primary: "Mo., 29. März 2027, 03:00–04:00",
      other: "So., 28. März 2027, 21:00–22:00 (New York)",
    });
    const lateInBerlin = range("2027-03-29T21:30:00Z", "2027-03-29T22:30:00Z");
    expect(describeForViewer(lateInBerlin, "America/New_York", "Europe/Berlin", "en")).toEqual({
      primary: "Mon, 29 Mar 2027, 17:30–18:30",
      other: "Mon, 29 Mar 2027, 23:30 – Tue, 30 Mar 2027, 00:30 (Berlin)",
    });
  });

  it("leaves out the other clock when it reads the same, even in another zone", () => {
    expect(describeForViewer(BOTH_SUMMER, "Europe/Berlin", "Europe/Paris", "de").other).toBeNull();
    expect(describeForViewer(BOTH_SUMMER, "Europe/Berlin", "Europe/Berlin", "en").other).toBeNull();
    // Lagos keeps UTC+1 all year: the same clock as Berlin in winter, an hour behind in summer.
    expect(describeForViewer(BOTH_WINTER, "Europe/Berlin", "Africa/Lagos", "de").other).toBeNull();
    expect(describeForViewer(BOTH_SUMMER, "Europe/Berlin", "Africa/Lagos", "de").other).toBe("17:00–18:00 (Lagos)");
  });

  it("shows the other clock when the two part ways during the session", () => {
    // Berlin and Lagos both read 01:30 at the start; Berlin then jumps to summer time.
    const overTheJump = range("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z");
    expect(describeForViewer(overTheJump, "Europe/Berlin", "Africa/Lagos", "de")).toEqual({
      primary: "So., 28. März 2027, 01:30–03:30",
      other: "01:30–02:30 (Lagos)",
    });
  });

  it("uses the last segment of the zone id as the city", () => {
    const { other } = describeForViewer(BOTH_SUMMER, "Europe/Berlin", "America/Argentina/Buenos_Aires", "en");
    // Buenos Aires is on UTC−3 all year.
    expect(other).toBe("13:00–14:00 (Buenos Aires)");
  });
});
