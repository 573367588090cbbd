import { formatTimeOfDay } from "~/domain/availability";
import { maxWindows } from "~/schemas/availability";

/** One row of the availability editor as the form holds it. */
export type WindowRow = { weekday: string; start: string; end: string };

export const emptyWindowRow: WindowRow = { weekday: "1", start: "", end: "" };

const text = (value: unknown) => (typeof value === "string" ? value : "");
const record = (value: unknown) =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function windowRowsFromSubmission(raw: unknown): WindowRow[] {
  return (Array.isArray(raw) ? raw : []).map((row) => {
    const fields = record(row);
    return { weekday: text(fields.weekday) || "1", start: text(fields.start), end: text(fields.end) };
  });
}

export function windowRowsFromStored(windows: { weekday: number; startMinute: number; endMinute: number }[]): WindowRow[] {
  return windows.map((window) => ({
    weekday: String(window.weekday),
    start: formatTimeOfDay(window.startMinute),
    end: formatTimeOfDay(window.endMinute),
  }));
}

/** The buttons that add or remove a row post these intents; nothing is saved for them. */
export const isWindowRowIntent = (intent: string) => intent === "addWindow" || intent.startsWith("removeWindow:");

export function reshapeWindowRows(intent: string, rows: WindowRow[]): WindowRow[] {
  const removeIndex = intent.startsWith("removeWindow:") ? Number(intent.slice("removeWindow:".length)) : -1;
  const reshaped =
    intent === "addWindow" ? [...rows, emptyWindowRow].slice(0, maxWindows) : rows.filter((_, index) => index !== removeIndex);
  return reshaped.length ? reshaped : [emptyWindowRow];
}
