/**
 * Weekly availability windows for coach offers and coaching requests.
 *
 * A window is stored in LOCAL wall-clock time of an IANA time zone kept next to the windows, so
 * "Mondays 18:00–20:00 Europe/Berlin" stays 18:00–20:00 across daylight-saving changes. Converting to
 * UTC therefore always needs a reference date (see `toUtcMinutesOfWeek`).
 */

/** weekday: ISO 1..7 (1 = Monday); startMinute 0..1439; endMinute 1..1440 (1440 = midnight ending the day). */
export type AvailabilityWindow = { weekday: number; startMinute: number; endMinute: number };

export type WindowProblem = {
  index: number;
  field: "weekday" | "start" | "end";
  message: "errors.weekdayInvalid" | "errors.timeInvalid" | "errors.endBeforeStart" | "errors.windowsOverlap";
};

/** Half-open interval [start, end) in minutes since Monday 00:00 UTC; 0 <= start < end <= 10080. */
export type UtcWeekInterval = { start: number; end: number };

const MINUTES_PER_HOUR = 60;
const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 10080;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
// 1970-01-05 was a Monday; counting from any Monday 00:00 UTC gives the same minute-of-week.
const A_MONDAY_MIDNIGHT_UTC_MS = Date.UTC(1970, 0, 5);

const TIME_OF_DAY_PATTERN = /^(\d{1,2}):(\d{2})$/;

export function parseTimeOfDay(text: string): number | null {
  const match = TIME_OF_DAY_PATTERN.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  if (hours > 23 || minutes > 59) return null;
  return hours * MINUTES_PER_HOUR + minutes;
}

export function formatTimeOfDay(minutes: number): string {
  if (!isIntegerBetween(minutes, 0, MINUTES_PER_DAY)) {
    throw new RangeError(`Not a minute of the day: ${minutes}`);
  }
  const hours = Math.floor(minutes / MINUTES_PER_HOUR);
  const minutesOfHour = minutes % MINUTES_PER_HOUR;
  return `${String(hours).padStart(2, "0")}:${String(minutesOfHour).padStart(2, "0")}`;
}

/**
 * At most one problem per window, checked in the order weekday, start, end, overlap. Overlaps are reported on
 * the later window only, so the user is pointed at the entry they most likely just added.
 */
export function findWindowProblems(windows: AvailabilityWindow[]): WindowProblem[] {
  const problems: WindowProblem[] = [];
  const wellFormedWindows: AvailabilityWindow[] = [];
  windows.forEach((window, index) => {
    const shapeProblem = findShapeProblem(window, index);
    if (shapeProblem) {
      problems.push(shapeProblem);
      return;
    }
    const overlapsEarlierWindow = wellFormedWindows.some(
      (earlier) => earlier.weekday === window.weekday && timeRangesOverlap(earlier, window),
    );
    if (overlapsEarlierWindow) problems.push({ index, field: "start", message: "errors.windowsOverlap" });
    wellFormedWindows.push(window);
  });
  return problems;
}

function findShapeProblem(window: AvailabilityWindow, index: number): WindowProblem | null {
  if (!isIntegerBetween(window.weekday, 1, 7)) {
    return { index, field: "weekday", message: "errors.weekdayInvalid" };
  }
  if (!isIntegerBetween(window.startMinute, 0, MINUTES_PER_DAY - 1)) {
    return { index, field: "start", message: "errors.timeInvalid" };
  }
  if (!isIntegerBetween(window.endMinute, 1, MINUTES_PER_DAY)) {
    return { index, field: "end", message: "errors.timeInvalid" };
  }
  if (window.endMinute <= window.startMinute) {
    return { index, field: "end", message: "errors.endBeforeStart" };
  }
  return null;
}

// Half-open ranges: 10:00–12:00 and 12:00–14:00 merely touch.
function timeRangesOverlap(first: AvailabilityWindow, second: AvailabilityWindow): boolean {
  return first.startMinute < second.endMinute && second.startMinute < first.endMinute;
}

function isIntegerBetween(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Sorted by weekday, start, end; exact duplicates dropped. Overlaps are kept — validate first. */
export function normaliseWindows(windows: AvailabilityWindow[]): AvailabilityWindow[] {
  const sorted = windows
    .map((window) => ({ weekday: window.weekday, startMinute: window.startMinute, endMinute: window.endMinute }))
    .sort(
      (first, second) =>
        first.weekday - second.weekday ||
        first.startMinute - second.startMinute ||
        first.endMinute - second.endMinute,
    );
  return sorted.filter((window, position) => {
    const previous = sorted[position - 1];
    return !(
      previous &&
      previous.weekday === window.weekday &&
      previous.startMinute === window.startMinute &&
      previous.endMinute === window.endMinute
    );
  });
}

/** Assumes valid, non-overlapping windows (see `findWindowProblems`). */
export function weeklyMinutes(windows: AvailabilityWindow[]): number {
  return windows.reduce((total, window) => total + window.endMinute - window.startMinute, 0);
}

/**
 * Converts a local window to UTC minute-of-week intervals for the ISO week that contains `referenceDate`,
 * where that week is taken from the calendar in `timeZone` (the week the window's owner sees).
 *
 * The result is sorted by start. A window crossing the UTC week boundary is wrapped, not shifted into a
 * neighbouring week: Monday 00:30–02:00 Europe/Berlin in winter becomes [0, 60) and [10050, 10080). This
 * keeps every interval inside 0..10080 so recurring weekly windows from different zones can be intersected
 * directly with `overlapMinutes`.
 *
 * Daylight-saving transitions: each endpoint becomes the first instant at which the local clock shows it.
 * A time skipped by a forward jump therefore maps to the jump itself, and a time repeated when clocks go back
 * maps to its first occurrence. A window lying entirely inside a skipped hour yields no intervals.
 *
 * Throws a RangeError for an unknown time zone or an invalid reference date.
 */
export function toUtcMinutesOfWeek(
  window: AvailabilityWindow,
  timeZone: string,
  referenceDate: Date,
): UtcWeekInterval[] {
  const referenceWallClockMs = wallClockMs(referenceDate.getTime(), timeZone);
  const referenceLocalMidnightMs = referenceWallClockMs - modulo(referenceWallClockMs, MS_PER_DAY);
  const referenceIsoWeekday = modulo(new Date(referenceLocalMidnightMs).getUTCDay() - 1, 7) + 1;
  const windowLocalMidnightMs = referenceLocalMidnightMs + (window.weekday - referenceIsoWeekday) * MS_PER_DAY;

  const startInstantMs = instantOfWallClock(windowLocalMidnightMs + window.startMinute * MS_PER_MINUTE, timeZone);
  const endInstantMs = instantOfWallClock(windowLocalMidnightMs + window.endMinute * MS_PER_MINUTE, timeZone);
  const durationMinutes = Math.round((endInstantMs - startInstantMs) / MS_PER_MINUTE);
  if (durationMinutes <= 0) return [];

  const start = modulo(Math.floor((startInstantMs - A_MONDAY_MIDNIGHT_UTC_MS) / MS_PER_MINUTE), MINUTES_PER_WEEK);
  const end = start + durationMinutes;
  // A window lasts about a day at most, so it can cross the week boundary only once.
  if (end <= MINUTES_PER_WEEK) return [{ start, end }];
  return [
    { start: 0, end: end - MINUTES_PER_WEEK },
    { start, end: MINUTES_PER_WEEK },
  ];
}

/** Total overlap in minutes; intervals within one list must not overlap each other, order does not matter. */
export function overlapMinutes(first: UtcWeekInterval[], second: UtcWeekInterval[]): number {
  let total = 0;
  for (const a of first) {
    for (const b of second) {
      total += Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
    }
  }
  return total;
}

/**
 * The instant at which the clock in `timeZone` first shows `targetWallClockMs` (a wall-clock reading encoded
 * as if it were a UTC timestamp).
 */
function instantOfWallClock(targetWallClockMs: number, timeZone: string): number {
  // Offsets change at most once within a couple of days, so the offsets a day either side are the only candidates.
  const earlierOffsetMs = offsetMs(targetWallClockMs - MS_PER_DAY, timeZone);
  const laterOffsetMs = offsetMs(targetWallClockMs + MS_PER_DAY, timeZone);
  const matchingInstants = [targetWallClockMs - earlierOffsetMs, targetWallClockMs - laterOffsetMs].filter(
    (instant) => wallClockMs(instant, timeZone) === targetWallClockMs,
  );
  if (matchingInstants.length > 0) return Math.min(...matchingInstants);

  // The reading was skipped by a forward jump: find the jump, the first instant showing a later reading.
  let showsEarlierReadingMs = targetWallClockMs - laterOffsetMs;
  let showsLaterReadingMs = targetWallClockMs - earlierOffsetMs;
  while (showsLaterReadingMs - showsEarlierReadingMs > 1) {
    const middle = Math.floor((showsEarlierReadingMs + showsLaterReadingMs) / 2);
    if (wallClockMs(middle, timeZone) >= targetWallClockMs) showsLaterReadingMs = middle;
    else showsEarlierReadingMs = middle;
  }
  return showsLaterReadingMs;
}

function offsetMs(instantMs: number, timeZone: string): number {
  return wallClockMs(instantMs, timeZone) - instantMs;
}

/** The clock reading in `timeZone` at `instantMs` (to the second), encoded as if it were a UTC timestamp. */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts = wallClockFormatter(timeZone).formatToParts(new Date(instantMs));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
}

// Building an Intl.DateTimeFormat is far more expensive than using one, and matching converts many windows.
const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  const cached = wallClockFormatters.get(timeZone);
  if (cached) return cached;
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    numberingSystem: "latn",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  wallClockFormatters.set(timeZone, formatter);
  return formatter;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
