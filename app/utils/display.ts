/** Names of languages and weekdays come from Intl, so they follow the reader's language for free. */
export function languageName(code: string, locale: string) {
  return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
}

/** ISO weekday (1 = Monday); 1 January 2024 was a Monday. */
export function weekdayName(weekday: number, locale: string) {
  return new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, 0, weekday)),
  );
}

/** A calendar date (YYYY-MM-DD) written out for the reader, without time-zone shifts. */
export function calendarDateText(date: string, locale: string) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}
