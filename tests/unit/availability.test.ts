import { describe, expect, it } from "vitest";
import {
  findWindowProblems,
  formatTimeOfDay,
  normaliseWindows,
  overlapMinutes,
  parseTimeOfDay,
  toUtcMinutesOfWeek,
  weeklyMinutes,
  type AvailabilityWindow,
} from "~/domain/availability";

const MONDAY = 1;
const TUESDAY = 2;
const SUNDAY = 7;
const SUNDAY_UTC_MIDNIGHT = 6 * 1440;

function window(weekday: number, start: string, end: string): AvailabilityWindow {
  const startMinute = parseTimeOfDay(start);
  const endMinute = parseTimeOfDay(end);
  if (startMinute === null || endMinute === null) throw new Error(`bad test time ${start}–${end}`);
  return { weekday, startMinute, endMinute };
}

// Reference dates are Wednesdays, well away from any week boundary.
const BERLIN_WINTER_WEEK = new Date("2026-01-14T12:00:00Z");
const BERLIN_SUMMER_WEEK = new Date("2026-07-15T12:00:00Z");
// Europe switches to summer time on Sunday 2026-03-29 (02:00 local jumps to 03:00) and back on 2026-10-25.
const EU_SPRING_FORWARD_WEEK = new Date("2026-03-25T12:00:00Z");
const EU_FALL_BACK_WEEK = new Date("2026-10-21T12:00:00Z");
// The USA switches on Sunday 2026-03-08, three weeks before Europe.
const US_SPRING_FORWARD_WEEK = new Date("2026-03-04T12:00:00Z");
const US_ONLY_SUMMER_TIME_WEEK = new Date("2026-03-18T12:00:00Z");

describe("parseTimeOfDay", () => {
  it.each([
    ["00:00", 0],
    ["09:05", 545],
    ["9:05", 545],
    ["12:30", 750],
    ["23:59", 1439],
    ["24:00", 1440],
    [" 12:30 ", 750],
  ])("parses %j as %i minutes", (text, minutes) => {
    expect(parseTimeOfDay(text)).toBe(minutes);
  });

  it.each([
    ...["", "   ", "25:00", "24:01", "24:30", "12:60", "12.30", "12:3"],
    ...["123:00", "012:00", "12:30:00", "-1:00", "1230", "12h30", "ab:cd", "١٢:٣٠"],
  ])("rejects %j", (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });
});

describe("formatTimeOfDay", () => {
  it.each([
    [0, "00:00"],
    [545, "09:05"],
    [750, "12:30"],
    [1439, "23:59"],
    [1440, "24:00"],
  ])("formats %i as %j", (minutes, text) => {
    expect(formatTimeOfDay(minutes)).toBe(text);
  });

  it("round-trips with parseTimeOfDay for every minute of the day", () => {
    for (let minutes = 0; minutes <= 1440; minutes++) {
      expect(parseTimeOfDay(formatTimeOfDay(minutes))).toBe(minutes);
    }
  });

  it.each([-1, 1441, 12.5, Number.NaN])("refuses %d, which is not a minute of the day", (minutes) => {
    expect(() => formatTimeOfDay(minutes)).toThrow(RangeError);
  });
});

describe("findWindowProblems", () => {
  it("accepts valid windows, including ones that only touch and the same times on different days", () => {
    expect(
      findWindowProblems([
        window(MONDAY, "10:00", "12:00"),
        window(MONDAY, "12:00", "14:00"),
        window(MONDAY, "08:00", "10:00"),
        window(TUESDAY, "11:00", "13:00"),
        window(SUNDAY, "00:00", "24:00"),
      ]),
    ).toEqual([]);
  });

  it("accepts an empty list", () => {
    expect(findWindowProblems([])).toEqual([]);
  });

  it.each([0, 8, -1, 1.5, Number.NaN])("reports weekday %d as invalid", (weekday) => {
    expect(findWindowProblems([{ weekday, startMinute: 600, endMinute: 720 }])).toEqual([
      { index: 0, field: "weekday", message: "errors.weekdayInvalid" },
    ]);
  });

  it.each([-1, 1440, 600.5, Number.NaN])("reports start minute %d as invalid", (startMinute) => {
    expect(findWindowProblems([{ weekday: MONDAY, startMinute, endMinute: 1440 }])).toEqual([
      { index: 0, field: "start", message: "errors.timeInvalid" },
    ]);
  });

  it.each([0, 1441, 720.5, Number.NaN])("reports end minute %d as invalid", (endMinute) => {
    expect(findWindowProblems([{ weekday: MONDAY, startMinute: 0, endMinute }])).toEqual([
      { index: 0, field: "end", message: "errors.timeInvalid" },
    ]);
  });

  it("reports an end before or equal to the start on the end field", () => {
    expect(findWindowProblems([window(MONDAY, "14:00", "12:00"), window(MONDAY, "12:00", "12:00")])).toEqual([
      { index: 0, field: "end", message: "errors.endBeforeStart" },
      { index: 1, field: "end", message: "errors.endBeforeStart" },
    ]);
  });

  it("reports an overlap on the later window's start only", () => {
    expect(findWindowProblems([window(MONDAY, "10:00", "12:00"), window(MONDAY, "11:00", "13:00")])).toEqual([
      { index: 1, field: "start", message: "errors.windowsOverlap" },
    ]);
  });

  it("reports the later window by original index even when it starts earlier", () => {
    expect(findWindowProblems([window(MONDAY, "11:00", "13:00"), window(MONDAY, "10:00", "12:00")])).toEqual([
      { index: 1, field: "start", message: "errors.windowsOverlap" },
    ]);
  });

  it("treats containment and exact duplicates as overlaps", () => {
    expect(
      findWindowProblems([
        window(MONDAY, "08:00", "18:00"),
        window(MONDAY, "09:00", "10:00"),
        window(TUESDAY, "09:00", "10:00"),
        window(TUESDAY, "09:00", "10:00"),
      ]),
    ).toEqual([
      { index: 1, field: "start", message: "errors.windowsOverlap" },
      { index: 3, field: "start", message: "errors.windowsOverlap" },
    ]);
  });

  it("reports every later window that overlaps, also when it overlaps only another reported window", () => {
    expect(
      findWindowProblems([
        window(MONDAY, "10:00", "12:00"),
        window(MONDAY, "11:00", "15:00"),
        window(MONDAY, "14:00", "16:00"),
      ]),
    ).toEqual([
      { index: 1, field: "start", message: "errors.windowsOverlap" },
      { index: 2, field: "start", message: "errors.windowsOverlap" },
    ]);
  });

  it("reports at most one problem per window, the first in the order weekday, start, end", () => {
    expect(
      findWindowProblems([
        { weekday: 9, startMinute: -5, endMinute: 2000 },
        { weekday: MONDAY, startMinute: -5, endMinute: 2000 },
        { weekday: MONDAY, startMinute: 600, endMinute: 2000 },
      ]),
    ).toEqual([
      { index: 0, field: "weekday", message: "errors.weekdayInvalid" },
      { index: 1, field: "start", message: "errors.timeInvalid" },
      { index: 2, field: "end", message: "errors.timeInvalid" },
    ]);
  });

  it("does not check a malformed window for overlaps, nor compare others with it", () => {
    expect(
      findWindowProblems([
        window(MONDAY, "10:00", "12:00"),
        { weekday: MONDAY, startMinute: 720, endMinute: 1441 },
        window(MONDAY, "11:30", "12:30"),
        window(MONDAY, "12:30", "13:00"),
      ]),
    ).toEqual([
      { index: 1, field: "end", message: "errors.timeInvalid" },
      { index: 2, field: "start", message: "errors.windowsOverlap" },
    ]);
  });
});

describe("normaliseWindows", () => {
  it("sorts by weekday, then start, and drops exact duplicates", () => {
    const input = [
      window(SUNDAY, "09:00", "10:00"),
      window(MONDAY, "14:00", "15:00"),
      window(MONDAY, "09:00", "10:00"),
      window(SUNDAY, "09:00", "10:00"),
      window(MONDAY, "14:00", "15:00"),
      window(TUESDAY, "00:00", "24:00"),
    ];
    expect(normaliseWindows(input)).toEqual([
      window(MONDAY, "09:00", "10:00"),
      window(MONDAY, "14:00", "15:00"),
      window(TUESDAY, "00:00", "24:00"),
      window(SUNDAY, "09:00", "10:00"),
    ]);
  });

  it("keeps windows that share a start but not an end, and does not merge overlaps", () => {
    expect(
      normaliseWindows([window(MONDAY, "09:00", "12:00"), window(MONDAY, "09:00", "10:00"), window(MONDAY, "08:00", "11:00")]),
    ).toEqual([window(MONDAY, "08:00", "11:00"), window(MONDAY, "09:00", "10:00"), window(MONDAY, "09:00", "12:00")]);
  });

  it("leaves the input array and its windows untouched", () => {
    const input = [window(TUESDAY, "09:00", "10:00"), window(MONDAY, "09:00", "10:00")];
    const snapshot = structuredClone(input);
    const result = normaliseWindows(input);
    expect(input).toEqual(snapshot);
    expect(result[1]).not.toBe(input[0]);
  });

  it("returns an empty list for no windows", () => {
    expect(normaliseWindows([])).toEqual([]);
  });
});

describe("weeklyMinutes", () => {
  it("adds up the length of every window", () => {
    expect(
      weeklyMinutes([window(MONDAY, "18:00", "20:00"), window(TUESDAY, "09:15", "10:00"), window(SUNDAY, "00:00", "24:00")]),
    ).toBe(120 + 45 + 1440);
  });

  it("is zero without windows", () => {
    expect(weeklyMinutes([])).toBe(0);
  });
});

describe("toUtcMinutesOfWeek", () => {
  describe("Europe/Berlin", () => {
    it("shifts by one hour in winter (UTC+1)", () => {
      expect(toUtcMinutesOfWeek(window(MONDAY, "18:00", "20:00"), "Europe/Berlin", BERLIN_WINTER_WEEK)).toEqual([
        { start: 17 * 60, end: 19 * 60 },
      ]);
    });

    it("shifts by two hours in summer (UTC+2)", () => {
      expect(toUtcMinutesOfWeek(window(MONDAY, "18:00", "20:00"), "Europe/Berlin", BERLIN_SUMMER_WEEK)).toEqual([
        { start: 16 * 60, end: 18 * 60 },
      ]);
    });

    it("handles an end at midnight (24:00) on Sunday", () => {
      expect(toUtcMinutesOfWeek(window(SUNDAY, "22:00", "24:00"), "Europe/Berlin", BERLIN_WINTER_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT + 21 * 60, end: SUNDAY_UTC_MIDNIGHT + 23 * 60 },
      ]);
    });

    // Monday 00:30–02:00 Berlin is Sunday 23:30 – Monday 01:00 UTC. The part before Monday 00:00 UTC is
    // wrapped to the end of the same week (not moved to the previous week), giving two intervals sorted by start.
    it("wraps Monday 00:30 Berlin to the end of the UTC week as a second interval", () => {
      expect(toUtcMinutesOfWeek(window(MONDAY, "00:30", "02:00"), "Europe/Berlin", BERLIN_WINTER_WEEK)).toEqual([
        { start: 0, end: 60 },
        { start: 10050, end: 10080 },
      ]);
    });

    it("uses winter time before and summer time after the switch within the same week", () => {
      expect(toUtcMinutesOfWeek(window(MONDAY, "18:00", "20:00"), "Europe/Berlin", EU_SPRING_FORWARD_WEEK)).toEqual([
        { start: 17 * 60, end: 19 * 60 },
      ]);
      expect(toUtcMinutesOfWeek(window(SUNDAY, "18:00", "20:00"), "Europe/Berlin", EU_SPRING_FORWARD_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT + 16 * 60, end: SUNDAY_UTC_MIDNIGHT + 18 * 60 },
      ]);
    });

    it("shortens a window spanning the skipped hour on 2026-03-29 to its real length", () => {
      // 01:00 CET = 00:00 UTC; 04:00 CEST = 02:00 UTC — two real hours.
      expect(toUtcMinutesOfWeek(window(SUNDAY, "01:00", "04:00"), "Europe/Berlin", EU_SPRING_FORWARD_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT, end: SUNDAY_UTC_MIDNIGHT + 120 },
      ]);
    });

    it("starts a window whose start does not exist (02:30 on 2026-03-29) at the jump, 01:00 UTC", () => {
      expect(toUtcMinutesOfWeek(window(SUNDAY, "02:30", "04:00"), "Europe/Berlin", EU_SPRING_FORWARD_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT + 60, end: SUNDAY_UTC_MIDNIGHT + 120 },
      ]);
    });

    it("ends a window whose end does not exist (02:30 on 2026-03-29) at the jump", () => {
      expect(toUtcMinutesOfWeek(window(SUNDAY, "00:00", "02:30"), "Europe/Berlin", EU_SPRING_FORWARD_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT - 60, end: SUNDAY_UTC_MIDNIGHT + 60 },
      ]);
    });

    it("returns no interval for a window lying entirely inside the skipped hour", () => {
      expect(toUtcMinutesOfWeek(window(SUNDAY, "02:00", "03:00"), "Europe/Berlin", EU_SPRING_FORWARD_WEEK)).toEqual([]);
    });

    it("lengthens a window spanning the repeated hour on 2026-10-25", () => {
      // 01:00 CEST = Saturday 23:00 UTC; 04:00 CET = Sunday 03:00 UTC — four real hours.
      expect(toUtcMinutesOfWeek(window(SUNDAY, "01:00", "04:00"), "Europe/Berlin", EU_FALL_BACK_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT - 60, end: SUNDAY_UTC_MIDNIGHT + 180 },
      ]);
    });

    it("starts at the first occurrence of a repeated time (02:30 on 2026-10-25 is first 00:30 UTC)", () => {
      expect(toUtcMinutesOfWeek(window(SUNDAY, "02:30", "03:00"), "Europe/Berlin", EU_FALL_BACK_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT + 30, end: SUNDAY_UTC_MIDNIGHT + 120 },
      ]);
    });

    it("picks the ISO week from the Berlin calendar, not the UTC one", () => {
      // Sunday 2026-03-29 23:30 UTC is already Monday 2026-03-30 01:30 in Berlin: the summer-time week.
      expect(
        toUtcMinutesOfWeek(window(MONDAY, "18:00", "20:00"), "Europe/Berlin", new Date("2026-03-29T23:30:00Z")),
      ).toEqual([{ start: 16 * 60, end: 18 * 60 }]);
      // Earlier that Sunday (UTC and Berlin), the week is the one starting Monday 2026-03-23: winter time.
      expect(
        toUtcMinutesOfWeek(window(MONDAY, "18:00", "20:00"), "Europe/Berlin", new Date("2026-03-29T12:00:00Z")),
      ).toEqual([{ start: 17 * 60, end: 19 * 60 }]);
    });
  });

  describe("America/New_York", () => {
    it("shifts by five hours in winter (UTC-5)", () => {
      expect(toUtcMinutesOfWeek(window(MONDAY, "09:00", "17:00"), "America/New_York", BERLIN_WINTER_WEEK)).toEqual([
        { start: 14 * 60, end: 22 * 60 },
      ]);
    });

    it("moves a Sunday evening window entirely to Monday UTC", () => {
      expect(toUtcMinutesOfWeek(window(SUNDAY, "20:00", "23:00"), "America/New_York", BERLIN_WINTER_WEEK)).toEqual([
        { start: 60, end: 240 },
      ]);
    });

    it("wraps a Sunday evening window across the end of the UTC week in summer (UTC-4)", () => {
      // Sunday 18:00–22:00 EDT = Sunday 22:00 – Monday 02:00 UTC.
      expect(toUtcMinutesOfWeek(window(SUNDAY, "18:00", "22:00"), "America/New_York", BERLIN_SUMMER_WEEK)).toEqual([
        { start: 0, end: 120 },
        { start: 10080 - 120, end: 10080 },
      ]);
    });

    it("handles the US switch on 2026-03-08", () => {
      // 01:00 EST = 06:00 UTC; 04:00 EDT = 08:00 UTC.
      expect(toUtcMinutesOfWeek(window(SUNDAY, "01:00", "04:00"), "America/New_York", US_SPRING_FORWARD_WEEK)).toEqual([
        { start: SUNDAY_UTC_MIDNIGHT + 6 * 60, end: SUNDAY_UTC_MIDNIGHT + 8 * 60 },
      ]);
    });
  });

  describe("Asia/Kolkata (UTC+5:30, no daylight saving)", () => {
    it("shifts by five and a half hours all year", () => {
      for (const referenceDate of [BERLIN_WINTER_WEEK, BERLIN_SUMMER_WEEK]) {
        expect(toUtcMinutesOfWeek(window(MONDAY, "09:00", "17:30"), "Asia/Kolkata", referenceDate)).toEqual([
          { start: 3 * 60 + 30, end: 12 * 60 },
        ]);
      }
    });

    it("wraps an early Monday window to the end of the UTC week", () => {
      // Monday 02:00–06:00 IST = Sunday 20:30 – Monday 00:30 UTC.
      expect(toUtcMinutesOfWeek(window(MONDAY, "02:00", "06:00"), "Asia/Kolkata", BERLIN_WINTER_WEEK)).toEqual([
        { start: 0, end: 30 },
        { start: 10080 - 210, end: 10080 },
      ]);
    });
  });

  it("treats UTC as the identity", () => {
    expect(toUtcMinutesOfWeek(window(TUESDAY, "09:15", "10:45"), "UTC", BERLIN_SUMMER_WEEK)).toEqual([
      { start: 1440 + 9 * 60 + 15, end: 1440 + 10 * 60 + 45 },
    ]);
  });

  it("throws a RangeError for an unknown time zone", () => {
    expect(() => toUtcMinutesOfWeek(window(MONDAY, "09:00", "10:00"), "Mars/Olympus_Mons", BERLIN_WINTER_WEEK)).toThrow(
      RangeError,
    );
  });
});

describe("overlapMinutes", () => {
  it("sums overlaps across unsorted lists", () => {
    expect(
      overlapMinutes(
        [
          { start: 500, end: 600 },
          { start: 0, end: 100 },
        ],
        [
          { start: 50, end: 550 },
          { start: 590, end: 700 },
        ],
      ),
    ).toBe(50 + 50 + 10);
  });

  it("does not count intervals that only touch", () => {
    expect(overlapMinutes([{ start: 0, end: 100 }], [{ start: 100, end: 200 }])).toBe(0);
  });

  it("is zero when either list is empty", () => {
    expect(overlapMinutes([], [{ start: 0, end: 100 }])).toBe(0);
    expect(overlapMinutes([{ start: 0, end: 100 }], [])).toBe(0);
  });

  describe("between Berlin and London", () => {
    const berlinEvening = window(TUESDAY, "18:00", "21:00");
    const londonEvening = window(TUESDAY, "19:00", "22:00");

    it.each([
      ["winter", BERLIN_WINTER_WEEK],
      ["summer", BERLIN_SUMMER_WEEK],
      ["the week both switch", EU_SPRING_FORWARD_WEEK],
    ])("finds one shared hour in %s, because both zones switch together", (_season, referenceDate) => {
      expect(
        overlapMinutes(
          toUtcMinutesOfWeek(berlinEvening, "Europe/Berlin", referenceDate),
          toUtcMinutesOfWeek(londonEvening, "Europe/London", referenceDate),
        ),
      ).toBe(60);
    });

    it("finds the full window when the London times are the Berlin times minus one hour", () => {
      expect(
        overlapMinutes(
          toUtcMinutesOfWeek(window(TUESDAY, "09:00", "12:00"), "Europe/Berlin", BERLIN_WINTER_WEEK),
          toUtcMinutesOfWeek(window(TUESDAY, "08:00", "11:00"), "Europe/London", BERLIN_WINTER_WEEK),
        ),
      ).toBe(180);
    });

    it("counts overlap in both pieces of a window wrapped around the week boundary", () => {
      const berlinLateNight = toUtcMinutesOfWeek(window(MONDAY, "00:30", "02:00"), "Europe/Berlin", BERLIN_WINTER_WEEK);
      const londonAroundMidnight = [
        ...toUtcMinutesOfWeek(window(SUNDAY, "23:00", "24:00"), "Europe/London", BERLIN_WINTER_WEEK),
        ...toUtcMinutesOfWeek(window(MONDAY, "00:00", "00:45"), "Europe/London", BERLIN_WINTER_WEEK),
      ];
      expect(overlapMinutes(berlinLateNight, londonAroundMidnight)).toBe(30 + 45);
    });
  });

  it("reflects the weeks in which only the USA has switched to summer time", () => {
    const newYorkLunch = window(MONDAY, "12:00", "14:00");
    const berlinEvening = window(MONDAY, "18:00", "20:00");
    const overlapInWeekOf = (referenceDate: Date) =>
      overlapMinutes(
        toUtcMinutesOfWeek(newYorkLunch, "America/New_York", referenceDate),
        toUtcMinutesOfWeek(berlinEvening, "Europe/Berlin", referenceDate),
      );
    expect(overlapInWeekOf(BERLIN_WINTER_WEEK)).toBe(120);
    expect(overlapInWeekOf(US_ONLY_SUMMER_TIME_WEEK)).toBe(60);
    expect(overlapInWeekOf(BERLIN_SUMMER_WEEK)).toBe(120);
  });
});
