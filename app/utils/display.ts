/**
 * One formatter per locale (or time zone), built on first use. Building an Intl formatter costs 10–100 µs (a date
 * format about 100), and a page of offer cards or match explanations asks for about a hundred names and numbers.
 */
export function oncePer<Formatter>(build: (key: string) => Formatter) {
  const built = new Map<string, Formatter>();
  return (key: string) => {
    let formatter = built.get(key);
    if (!formatter) built.set(key, (formatter = build(key)));
    return formatter;
  };
}

const languageNames = oncePer((locale) => new Intl.DisplayNames([locale], { type: "language" }));
const weekdayFormat = oncePer((locale) => new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }));
const calendarDateFormat = oncePer((locale) => new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }));
const hoursFormat = oncePer((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }));

/** Names of languages and weekdays come from Intl, so they follow the reader's language for free. */
export function languageName(code: string, locale: string) {
  return languageNames(locale).of(code) ?? code;
}

/** ISO weekday (1 = Monday); 1 January 2024 was a Monday. */
export function weekdayName(weekday: number, locale: string) {
  return weekdayFormat(locale).format(new Date(Date.UTC(2024, 0, weekday)));
}

/** A calendar date (YYYY-MM-DD) written out for the reader, without time-zone shifts. */
export function calendarDateText(date: string, locale: string) {
  return calendarDateFormat(locale).format(new Date(`${date}T00:00:00Z`));
}

/** Minutes as hours with at most one decimal, in the reader's way of writing numbers. */
export function hoursText(minutes: number, locale: string) {
  return hoursFormat(locale).format(minutes / 60);
}
