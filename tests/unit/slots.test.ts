import { describe, expect, it } from "vitest";
import { parseTimeOfDay, type AvailabilityWindow } from "~/domain/availability";
import {
  conflictsWithBusy,
  defaultSlotRules,
  findFreeSlots,
  isFreeSlot,
  type SlotRules,
  type TimeRange,
  type WeeklyAvailability,
} from "~/domain/slots";

const MONDAY = 1;
const TUESDAY = 2;
const WEDNESDAY = 3;
const SUNDAY = 7;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

function window(weekday: number, start: string, end: string): AvailabilityWindow {
  const startMinute = parseTimeOfDay(start);
  const endMinute = parseTimeOfDay(end);
  if (startMinute === null || endMinute === null) throw new Error(`bad test time ${start}–${end}`);
  return { weekday, startMinute, endMinute };
}

function availability(timeZone: string, ...windows: AvailabilityWindow[]): WeeklyAvailability {
  return { timeZone, windows };
}

/** "2027-01-04T09:00" read as UTC. */
function utc(text: string): number {
  return Date.parse(`${text}:00Z`);
}

function range(startsAt: string, endsAt: string): TimeRange {
  return { startsAt: utc(startsAt), endsAt: utc(endsAt) };
}

/** Slot starts as "2027-01-04T09:00" in UTC, so expectations read like the hand computation. */
function starts(slots: TimeRange[]): string[] {
  return slots.map((slot) => new Date(slot.startsAt).toISOString().slice(0, 16));
}

// No notice, no buffer, one week; each test overrides what it is about.
const rules: SlotRules = { durationMinutes: 60, bufferMinutes: 0, noticeMinutes: 0, horizonDays: 7, stepMinutes: 30 };
// Monday 2027-01-04 00:00 in Berlin (UTC+1 in winter).
const MONDAY_MIDNIGHT_BERLIN_WINTER = utc("2027-01-03T23:00");

describe("findFreeSlots", () => {
  it("offers the overlap of two windows in the same zone, for the whole slot only", () => {
    const slots = findFreeSlots({
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      coach: availability("Europe/Berlin", window(MONDAY, "09:00", "12:00")),
      requester: availability("Europe/Berlin", window(MONDAY, "10:00", "13:00")),
      busy: [],
      rules,
    });
    // Common time Monday 10:00–12:00 CET = 09:00–11:00 UTC. Next Monday lies beyond the 7-day horizon.
    expect(slots).toEqual([
      range("2027-01-04T09:00", "2027-01-04T10:00"),
      range("2027-01-04T09:30", "2027-01-04T10:30"),
      range("2027-01-04T10:00", "2027-01-04T11:00"),
    ]);
  });

  it("follows both zones' daylight-saving changes: Berlin coach, New York requester, March 2027", () => {
    const slots = findFreeSlots({
      now: utc("2027-03-02T00:00"),
      coach: availability("Europe/Berlin", window(MONDAY, "17:00", "21:00")),
      requester: availability("America/New_York", window(MONDAY, "11:00", "14:00")),
      busy: [],
      rules: { ...rules, horizonDays: 28, stepMinutes: 60 },
    });
    expect(starts(slots)).toEqual([
      // Both on standard time: coach 16:00–20:00 UTC (UTC+1), requester 16:00–19:00 UTC (UTC−5).
      ...["2027-03-08T16:00", "2027-03-08T17:00", "2027-03-08T18:00"],
      // The USA switched on 2027-03-14, Europe not yet: requester 15:00–18:00 UTC (UTC−4), common 16:00–18:00.
      ...["2027-03-15T16:00", "2027-03-15T17:00"],
      ...["2027-03-22T16:00", "2027-03-22T17:00"],
      // Europe switched on 2027-03-28: coach 15:00–19:00 UTC (UTC+2), common 15:00–18:00.
      ...["2027-03-29T15:00", "2027-03-29T16:00", "2027-03-29T17:00"],
    ]);
  });

  it("measures a window over the spring-forward night in real time", () => {
    const slots = findFreeSlots({
      now: utc("2027-03-22T00:00"),
      // Sunday 2027-03-28 in Berlin: 02:00 CET jumps to 03:00 CEST, so 01:00–04:00 is 00:00–02:00 UTC.
      coach: availability("Europe/Berlin", window(SUNDAY, "01:00", "04:00")),
      // London jumps at 01:00 GMT the same night: 00:00–06:00 local is 00:00–05:00 UTC.
      requester: availability("Europe/London", window(SUNDAY, "00:00", "06:00")),
      busy: [],
      rules,
    });
    expect(slots).toEqual([
      range("2027-03-28T00:00", "2027-03-28T01:00"),
      // 01:30 CET to 03:30 CEST: one hour across the jump.
      range("2027-03-28T00:30", "2027-03-28T01:30"),
      range("2027-03-28T01:00", "2027-03-28T02:00"),
    ]);
  });

  it("moves a wall time skipped by the spring-forward jump to the jump", () => {
    const slots = findFreeSlots({
      now: utc("2027-03-22T00:00"),
      // 02:30 does not exist in Berlin on 2027-03-28; the window starts at the jump, 01:00 UTC (03:00 CEST).
      coach: availability("Europe/Berlin", window(SUNDAY, "02:30", "04:00")),
      requester: availability("UTC", window(SUNDAY, "00:00", "24:00")),
      busy: [],
      rules: { ...rules, stepMinutes: 15 },
    });
    expect(slots).toEqual([range("2027-03-28T01:00", "2027-03-28T02:00")]);
  });

  it("takes the first occurrence of a wall time repeated when clocks go back", () => {
    const slots = findFreeSlots({
      now: utc("2027-10-25T00:00"),
      // Sunday 2027-10-31 in Berlin: 03:00 CEST falls back to 02:00 CET. 02:00 is first reached at 00:00 UTC,
      // 03:00 only once at 02:00 UTC, so the window lasts two real hours.
      coach: availability("Europe/Berlin", window(SUNDAY, "02:00", "03:00")),
      requester: availability("UTC", window(SUNDAY, "00:00", "24:00")),
      busy: [],
      rules: { ...rules, stepMinutes: 60 },
    });
    expect(slots).toEqual([
      range("2027-10-31T00:00", "2027-10-31T01:00"),
      range("2027-10-31T01:00", "2027-10-31T02:00"),
    ]);
  });

  it("starts nothing before now plus the notice, rounding the first start up to a quarter hour", () => {
    const slots = findFreeSlots({
      now: utc("2027-01-04T09:10"),
      // Every day 10:00–12:00 CET = 09:00–11:00 UTC.
      coach: availability("Europe/Berlin", ...EVERY_DAY.map((day) => window(day, "10:00", "12:00"))),
      requester: availability("Europe/Berlin", ...EVERY_DAY.map((day) => window(day, "08:00", "18:00"))),
      busy: [],
      rules: { ...rules, noticeMinutes: 24 * 60, horizonDays: 3 },
    });
    expect(starts(slots)).toEqual([
      // Earliest start 2027-01-05 09:10, rounded up to 09:15; 10:15 would end after 11:00.
      ...["2027-01-05T09:15", "2027-01-05T09:45"],
      ...["2027-01-06T09:00", "2027-01-06T09:30", "2027-01-06T10:00"],
      // The horizon ends 2027-01-07 09:10: 09:00 still starts before it.
      "2027-01-07T09:00",
    ]);
  });

  it("keeps slots starting before the horizon end even when they end after it", () => {
    const slots = findFreeSlots({
      now: utc("2027-01-04T09:30"),
      coach: availability("Europe/Berlin", window(MONDAY, "10:00", "12:00")),
      requester: availability("Europe/Berlin", window(MONDAY, "10:00", "12:00")),
      busy: [],
      rules,
    });
    // The horizon ends 2027-01-11 09:30 UTC (exclusive).
    expect(starts(slots)).toEqual(["2027-01-04T09:30", "2027-01-04T10:00", "2027-01-11T09:00"]);
  });

  describe("keeps the buffer around busy sessions", () => {
    // Monday 09:00–17:00 CET = 08:00–16:00 UTC for both.
    const day = availability("Europe/Berlin", window(MONDAY, "09:00", "17:00"));
    const slotsAround = (busy: TimeRange) =>
      findFreeSlots({
        now: MONDAY_MIDNIGHT_BERLIN_WINTER,
        coach: day,
        requester: day,
        busy: [busy],
        rules: { ...rules, bufferMinutes: 15 },
      });

    it("allows a slot ending exactly the buffer before a busy start and starts again the buffer after its end", () => {
      expect(starts(slotsAround(range("2027-01-04T12:15", "2027-01-04T13:00")))).toEqual([
        ...["2027-01-04T08:00", "2027-01-04T08:30", "2027-01-04T09:00", "2027-01-04T09:30"],
        // 11:00–12:00 ends exactly 15 minutes before the busy session.
        ...["2027-01-04T10:00", "2027-01-04T10:30", "2027-01-04T11:00"],
        // The free stretch restarts at 13:15; 15:15 would end after 16:00.
        ...["2027-01-04T13:15", "2027-01-04T13:45", "2027-01-04T14:15", "2027-01-04T14:45"],
      ]);
    });

    it("refuses a slot ending 14 minutes before a busy start", () => {
      const slots = starts(slotsAround(range("2027-01-04T12:14", "2027-01-04T13:00")));
      expect(slots).not.toContain("2027-01-04T11:00");
      expect(slots.filter((start) => start < "2027-01-04T12:00").at(-1)).toBe("2027-01-04T10:30");
    });
  });

  it("joins windows touching at midnight into one stretch", () => {
    const slots = findFreeSlots({
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      // Monday 22:00 to Tuesday 02:00 CET = 21:00–01:00 UTC.
      coach: availability("Europe/Berlin", window(MONDAY, "22:00", "24:00"), window(TUESDAY, "00:00", "02:00")),
      // London is on UTC in winter: Monday 21:00 to Tuesday 23:00 UTC.
      requester: availability("Europe/London", window(MONDAY, "21:00", "24:00"), window(TUESDAY, "00:00", "23:00")),
      busy: [],
      rules: { ...rules, durationMinutes: 120, stepMinutes: 60 },
    });
    expect(slots).toEqual([
      range("2027-01-04T21:00", "2027-01-04T23:00"),
      // 23:00–01:00 in Berlin: across both windows.
      range("2027-01-04T22:00", "2027-01-05T00:00"),
      range("2027-01-04T23:00", "2027-01-05T01:00"),
    ]);
  });

  it.each([
    [30, ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30"]],
    [60, ["08:00", "09:00", "10:00"]],
  ])("advances by a step of %i minutes while a 90-minute slot fits", (stepMinutes, expectedTimes) => {
    const slots = findFreeSlots({
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      // Wednesday 09:00–13:00 CET = 08:00–12:00 UTC.
      coach: availability("Europe/Berlin", window(WEDNESDAY, "09:00", "13:00")),
      requester: availability("Europe/Berlin", window(WEDNESDAY, "08:00", "18:00")),
      busy: [],
      rules: { ...rules, durationMinutes: 90, stepMinutes },
    });
    expect(starts(slots)).toEqual(expectedTimes.map((time) => `2027-01-06T${time}`));
    expect(slots.every((slot) => slot.endsAt - slot.startsAt === 90 * 60_000)).toBe(true);
  });

  it("starts an unaligned stretch at the next quarter hour", () => {
    const slots = findFreeSlots({
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      // 09:10–11:00 CET = 08:10–10:00 UTC.
      coach: availability("Europe/Berlin", window(WEDNESDAY, "09:10", "11:00")),
      requester: availability("Europe/Berlin", window(WEDNESDAY, "08:00", "18:00")),
      busy: [],
      rules: { ...rules, durationMinutes: 45 },
    });
    expect(starts(slots)).toEqual(["2027-01-06T08:15", "2027-01-06T08:45", "2027-01-06T09:15"]);
  });

  it.each([
    ["windows only touch", window(MONDAY, "12:00", "15:00")],
    ["windows are on different days", window(TUESDAY, "09:00", "12:00")],
    ["the overlap is shorter than the session", window(MONDAY, "11:15", "15:00")],
  ])("is empty when the %s", (_case, requesterWindow) => {
    const slots = findFreeSlots({
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      coach: availability("Europe/Berlin", window(MONDAY, "09:00", "12:00")),
      requester: availability("Europe/Berlin", requesterWindow),
      busy: [],
      rules,
    });
    expect(slots).toEqual([]);
  });

  it("is empty when either side has no windows", () => {
    const slots = findFreeSlots({
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      coach: availability("Europe/Berlin", window(MONDAY, "09:00", "12:00")),
      requester: availability("America/New_York"),
      busy: [],
      rules,
    });
    expect(slots).toEqual([]);
  });

  describe("with the default rules over four weeks across both spring-forward dates", () => {
    const coach = availability(
      "Europe/Berlin",
      ...EVERY_DAY.flatMap((day) => [window(day, "07:00", "12:00"), window(day, "16:00", "23:30")]),
    );
    const requester = availability(
      "America/New_York",
      ...EVERY_DAY.flatMap((day) => [window(day, "00:00", "09:45"), window(day, "10:15", "24:00")]),
    );
    const busy = [range("2027-03-10T17:00", "2027-03-10T18:00"), range("2027-03-16T07:10", "2027-03-16T08:05")];
    const input = {
      now: utc("2027-03-05T10:07"),
      coach,
      requester,
      busy,
      rules: { ...defaultSlotRules, durationMinutes: 60 },
    };
    const slots = findFreeSlots(input);

    it("returns sorted, distinct, quarter-hour slots inside notice and horizon that respect the buffer", () => {
      expect(slots.length).toBeGreaterThan(500);
      slots.forEach((slot, index) => {
        if (index > 0) expect(slot.startsAt).toBeGreaterThan(slots[index - 1]!.startsAt);
        expect(slot.startsAt % (15 * 60_000)).toBe(0);
        expect(slot.endsAt - slot.startsAt).toBe(60 * 60_000);
        expect(slot.startsAt).toBeGreaterThanOrEqual(input.now + 24 * 3_600_000);
        expect(slot.startsAt).toBeLessThan(input.now + 28 * 86_400_000);
        expect(conflictsWithBusy(slot, busy, defaultSlotRules.bufferMinutes)).toBe(false);
      });
    });
  });

  it("rejects an unknown time zone and rules that would never advance", () => {
    const base = {
      now: MONDAY_MIDNIGHT_BERLIN_WINTER,
      coach: availability("Europe/Berlin", window(MONDAY, "09:00", "12:00")),
      requester: availability("Europe/Berlin", window(MONDAY, "09:00", "12:00")),
      busy: [],
      rules,
    };
    expect(() => findFreeSlots({ ...base, requester: availability("Mars/Olympus_Mons") })).toThrow(RangeError);
    expect(() => findFreeSlots({ ...base, rules: { ...rules, stepMinutes: 0 } })).toThrow(RangeError);
    expect(() => findFreeSlots({ ...base, rules: { ...rules, durationMinutes: -60 } })).toThrow(RangeError);
  });
});

describe("isFreeSlot", () => {
  // Every day 09:00–18:00 UTC for both (London keeps UTC in January).
  const everyDay = availability("Europe/London", ...EVERY_DAY.map((day) => window(day, "09:00", "18:00")));
  const search = (now: string, extra: Partial<Parameters<typeof findFreeSlots>[0]> = {}) => ({
    now: utc(now),
    coach: everyDay,
    requester: everyDay,
    busy: [],
    rules: { ...rules, noticeMinutes: 24 * 60, horizonDays: 3 },
    ...extra,
  });

  it("keeps a time listed a few minutes ago bookable after the list's grid has moved on with the clock", () => {
    const at1007 = search("2027-01-04T10:07");
    const at1016 = search("2027-01-04T10:16");
    // The notice ends at 10:07 and then at 10:16 the next day: the half-hour grid starts at 10:15, then at 10:30.
    expect(starts(findFreeSlots(at1007)).slice(0, 3)).toEqual(["2027-01-05T10:15", "2027-01-05T10:45", "2027-01-05T11:15"]);
    expect(starts(findFreeSlots(at1016)).slice(0, 3)).toEqual(["2027-01-05T10:30", "2027-01-05T11:00", "2027-01-05T11:30"]);
    // 10:45 was on the page at 10:07 and is no longer in the list at 10:16, but is just as free.
    expect(isFreeSlot(at1016, utc("2027-01-05T10:45"))).toBe(true);
    // 10:15 was listed too, but now lies inside the notice.
    expect(isFreeSlot(at1007, utc("2027-01-05T10:15"))).toBe(true);
    expect(isFreeSlot(at1016, utc("2027-01-05T10:15"))).toBe(false);
  });

  it.each([
    ["a quarter hour off the half-hour grid", "2027-01-05T12:15", true],
    ["the last start that ends with the free time", "2027-01-05T17:00", true],
    ["a start that would end after the free time", "2027-01-05T17:15", false],
    ["a start before the free time", "2027-01-05T08:45", false],
    ["a start off the quarter hours", "2027-01-05T12:10", false],
    ["a start one minute before the notice ends", "2027-01-05T10:15", false],
    ["the first quarter hour after the notice", "2027-01-05T10:30", true],
    ["the last quarter hour before the horizon", "2027-01-07T10:15", true],
    ["the first quarter hour after the horizon", "2027-01-07T10:30", false],
  ])("with the notice ending 10:16 and the horizon 10:16 three days on: %s (%s) is %s", (_case, start, expected) => {
    expect(isFreeSlot(search("2027-01-04T10:16"), utc(start))).toBe(expected);
  });

  it("needs both people free, the whole session long", () => {
    // The requester only has 09:00–11:00 UTC on Tuesday 5 January.
    const requester = availability("UTC", window(TUESDAY, "09:00", "11:00"));
    const input = search("2027-01-04T00:00", { requester });
    expect(isFreeSlot(input, utc("2027-01-05T10:00"))).toBe(true);
    expect(isFreeSlot(input, utc("2027-01-05T10:15"))).toBe(false);
    expect(isFreeSlot(input, utc("2027-01-05T11:00"))).toBe(false); // the coach alone is free
    expect(isFreeSlot(input, utc("2027-01-06T10:00"))).toBe(false);
    expect(isFreeSlot({ ...input, requester: availability("UTC") }, utc("2027-01-05T10:00"))).toBe(false);
  });

  it("keeps the buffer around busy sessions, as the list does", () => {
    const input = search("2027-01-04T00:00", { busy: [range("2027-01-05T13:15", "2027-01-05T14:00")], rules: { ...rules, bufferMinutes: 15, horizonDays: 3 } });
    expect(isFreeSlot(input, utc("2027-01-05T12:00"))).toBe(true); // ends exactly the buffer before
    expect(isFreeSlot(input, utc("2027-01-05T12:15"))).toBe(false);
    expect(isFreeSlot(input, utc("2027-01-05T13:45"))).toBe(false);
    expect(isFreeSlot(input, utc("2027-01-05T14:00"))).toBe(false); // starts right at the end, inside the buffer
    expect(isFreeSlot(input, utc("2027-01-05T14:15"))).toBe(true);
  });

  it("measures free time in real time over the spring-forward night", () => {
    // Berlin 01:00–04:00 on Sunday 2027-03-28 is 00:00–02:00 UTC; 01:45–02:45 UTC would run past it.
    const input = {
      now: utc("2027-03-22T00:00"),
      coach: availability("Europe/Berlin", window(SUNDAY, "01:00", "04:00")),
      requester: availability("UTC", window(SUNDAY, "00:00", "24:00")),
      busy: [],
      rules,
    };
    expect(isFreeSlot(input, utc("2027-03-28T01:00"))).toBe(true);
    expect(isFreeSlot(input, utc("2027-03-28T01:15"))).toBe(false);
  });

  // One week, not four: each call works out the free time afresh (as the server does for each of at most three times),
  // and this checks every quarter hour.
  it("holds for every time the list offers, and for no quarter hour the list's rules would refuse (default rules, one week)", () => {
    const coach = availability("Europe/Berlin", ...EVERY_DAY.flatMap((day) => [window(day, "07:00", "12:00"), window(day, "16:00", "23:30")]));
    const requester = availability("America/New_York", ...EVERY_DAY.flatMap((day) => [window(day, "00:00", "09:45"), window(day, "10:15", "24:00")]));
    const busy = [range("2027-03-10T17:00", "2027-03-10T18:00"), range("2027-03-16T07:10", "2027-03-16T08:05")];
    const input = { now: utc("2027-03-05T10:07"), coach, requester, busy, rules: { ...defaultSlotRules, horizonDays: 7, durationMinutes: 60 } };
    const listed = findFreeSlots(input);
    expect(listed.every((slot) => isFreeSlot(input, slot.startsAt))).toBe(true);

    const quarter = 15 * 60_000;
    const free: number[] = [];
    for (let start = utc("2027-03-05T00:00"); start < utc("2027-03-13T00:00"); start += quarter) if (isFreeSlot(input, start)) free.push(start);
    // Wider than the list: the quarter hours between its half-hour steps are free too.
    expect(free.length).toBeGreaterThan(listed.length * 1.5);
    for (const start of free) {
      expect(start).toBeGreaterThanOrEqual(input.now + 24 * 3_600_000);
      expect(start).toBeLessThan(input.now + 7 * 86_400_000);
      expect(conflictsWithBusy({ startsAt: start, endsAt: start + 3_600_000 }, busy, defaultSlotRules.bufferMinutes)).toBe(false);
    }
    // Each free start lies in a run of the list's stretch: the list has a slot at most 15 minutes before or after it.
    const listedStarts = new Set(listed.map((slot) => slot.startsAt));
    for (const start of free) expect(listedStarts.has(start) || listedStarts.has(start - quarter) || listedStarts.has(start + quarter)).toBe(true);
  });

  it("rejects an unknown time zone and rules that would never advance", () => {
    const base = search("2027-01-04T00:00");
    expect(() => isFreeSlot({ ...base, coach: availability("Mars/Olympus_Mons", window(MONDAY, "09:00", "12:00")) }, utc("2027-01-05T10:00"))).toThrow(RangeError);
    expect(() => isFreeSlot({ ...base, rules: { ...base.rules, durationMinutes: 0 } }, utc("2027-01-05T10:00"))).toThrow(RangeError);
  });
});

describe("conflictsWithBusy", () => {
  const busy = [range("2027-01-04T12:00", "2027-01-04T13:00")];

  it.each([
    ["ends exactly 15 minutes before", "10:45", "11:45", false],
    ["ends 14 minutes before", "10:46", "11:46", true],
    ["starts exactly 15 minutes after", "13:15", "14:15", false],
    ["starts 14 minutes after", "13:14", "14:14", true],
    ["overlaps", "12:30", "13:30", true],
    ["surrounds", "11:00", "14:00", true],
  ])("a slot that %s a busy session with a 15-minute buffer conflicts: %s", (_case, start, end, expected) => {
    expect(conflictsWithBusy(range(`2027-01-04T${start}`, `2027-01-04T${end}`), busy, 15)).toBe(expected);
  });

  it("lets slots touch busy ranges without a buffer", () => {
    expect(conflictsWithBusy(range("2027-01-04T11:00", "2027-01-04T12:00"), busy, 0)).toBe(false);
    expect(conflictsWithBusy(range("2027-01-04T13:00", "2027-01-04T14:00"), busy, 0)).toBe(false);
  });

  it("finds no conflict without busy ranges", () => {
    expect(conflictsWithBusy(range("2027-01-04T12:00", "2027-01-04T13:00"), [], 15)).toBe(false);
  });
});
