/** The life of a coaching request: expiry on calendar days in the requester's zone, and change history. */
import { oncePer } from "~/utils/display";

export const requestLifetimeDays = 60;

export type StoredRequestStatus = "open" | "matched" | "withdrawn";
export type RequestStatusShown = StoredRequestStatus | "expired";

const calendarDateIn = oncePer((timeZone) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }));

/** Today's date (YYYY-MM-DD) on the calendar of a time zone. */
export function calendarToday(timeZone: string, now: Date) {
  return calendarDateIn(timeZone).format(now);
}

export function addCalendarDays(date: string, days: number) {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** An open request past its expiry date is expired; the stored status stays "open" until then. */
export function shownStatus(status: StoredRequestStatus, expiresOn: string, today: string): RequestStatusShown {
  return status === "open" && expiresOn < today ? "expired" : status;
}

/** Extending gives a full lifetime again from today, never less than the request already had. */
export function extendedExpiry(expiresOn: string, today: string) {
  const fromToday = addCalendarDays(today, requestLifetimeDays);
  return fromToday > expiresOn ? fromToday : expiresOn;
}

export type FieldChange = { before: unknown; after: unknown };

/** The fields whose values differ between two snapshots, for the request's history. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, FieldChange> = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changes[field] = { before: before[field] ?? null, after: after[field] ?? null };
    }
  }
  return changes;
}
