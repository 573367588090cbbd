/**
 * How session times read for people: in the viewer's zone, and in the other participant's zone when their
 * clock shows something else. Runs on the server and in the browser, so it uses Intl and luxon only.
 */
import { IANAZone } from "luxon";
import type { TimeRange } from "~/domain/slots";
import type { LocaleCode } from "~db/schema";

type LocalReading = { weekday: string; day: string; month: string; year: string; hour: string; minute: string };

// German dates spell out the month ("29. März 2027"); English ones use the British day-month order with the
// short month ("29 Mar 2027"). Both use the 24-hour clock.
const intlLocales: Record<LocaleCode, { tag: string; month: "long" | "short" }> = {
  de: { tag: "de-DE", month: "long" },
  en: { tag: "en-GB", month: "short" },
};

const MS_PER_MINUTE = 60_000;

/**
 * "Mo., 29. März 2027, 18:00–19:00" / "Mon, 29 Mar 2027, 18:00–19:00" in `timeZone`. A range continuing on a
 * later date names both dates ("…, 23:30 – Di., 30. März 2027, 01:30"); one ending exactly at midnight
 * stays on its day as "23:00–00:00", which is how people say it.
 */
export function formatSessionRange(range: TimeRange, timeZone: string, locale: LocaleCode): string {
  const start = localReading(range.startsAt, timeZone, locale);
  const end = localReading(range.endsAt, timeZone, locale);
  if (endsOnStartDay(range, timeZone, locale)) {
    return `${formatDate(start, locale)}, ${formatTime(start)}–${formatTime(end)}`;
  }
  return `${formatDate(start, locale)}, ${formatTime(start)} – ${formatDate(end, locale)}, ${formatTime(end)}`;
}

/**
 * `primary` is the range in the viewer's zone; `other` shows the other participant's clock, "12:00–13:00
 * (New York)", and is null whenever both clocks read the same during the session, even in different zones.
 * `other` repeats the date when the other participant's date differs.
 */
export function describeForViewer(
  range: TimeRange,
  viewerZone: string,
  otherZone: string,
  locale: LocaleCode,
): { primary: string; other: string | null } {
  const primary = formatSessionRange(range, viewerZone, locale);
  const clocksAgree = [range.startsAt, range.endsAt].every(
    (instant) => offsetMinutes(instant, viewerZone) === offsetMinutes(instant, otherZone),
  );
  if (clocksAgree) return { primary, other: null };

  const viewerStart = localReading(range.startsAt, viewerZone, locale);
  const otherStart = localReading(range.startsAt, otherZone, locale);
  const sameDate = formatDate(viewerStart, locale) === formatDate(otherStart, locale);
  const otherRange =
    sameDate && endsOnStartDay(range, otherZone, locale)
      ? `${formatTime(otherStart)}–${formatTime(localReading(range.endsAt, otherZone, locale))}`
      : formatSessionRange(range, otherZone, locale);
  return { primary, other: `${otherRange} (${cityOfZone(otherZone)})` };
}

/** "America/New_York" → "New York", "America/Argentina/Buenos_Aires" → "Buenos Aires". */
function cityOfZone(timeZone: string): string {
  return (timeZone.split("/").at(-1) ?? timeZone).replaceAll("_", " ");
}

function offsetMinutes(instant: number, timeZone: string): number {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return zone.offset(instant);
}

function endsOnStartDay(range: TimeRange, timeZone: string, locale: LocaleCode): boolean {
  // The last minute of the session decides, so an end at midnight belongs to the day before.
  const lastMinute = localReading(Math.max(range.startsAt, range.endsAt - MS_PER_MINUTE), timeZone, locale);
  return formatDate(lastMinute, locale) === formatDate(localReading(range.startsAt, timeZone, locale), locale);
}

// Names come from Intl, punctuation from here: browsers and Node ship different ICU versions whose complete
// patterns differ in details (German "um" before the time, commas), and server and client must render the same.
function formatDate(reading: LocalReading, locale: LocaleCode): string {
  return locale === "de"
    ? `${reading.weekday}, ${reading.day}. ${reading.month} ${reading.year}`
    : `${reading.weekday}, ${reading.day} ${reading.month} ${reading.year}`;
}

function formatTime(reading: LocalReading): string {
  return `${reading.hour}:${reading.minute}`;
}

function localReading(instant: number, timeZone: string, locale: LocaleCode): LocalReading {
  const parts = readingFormatter(timeZone, locale).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  return {
    weekday: part("weekday"),
    day: part("day"),
    month: part("month"),
    year: part("year"),
    hour: part("hour"),
    minute: part("minute"),
  };
}

// Building an Intl.DateTimeFormat costs far more than using one, and a list of sessions formats many times.
const readingFormatters = new Map<string, Intl.DateTimeFormat>();

function readingFormatter(timeZone: string, locale: LocaleCode): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let formatter = readingFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlLocales[locale].tag, {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: intlLocales[locale].month,
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      numberingSystem: "latn",
    });
    readingFormatters.set(key, formatter);
  }
  return formatter;
}
