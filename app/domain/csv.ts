/**
 * A minimal CSV writer after RFC 4180 (no CSV library is installed, and an export needs little):
 * fields are separated by commas and records end with CRLF; a field containing a quote, comma, CR or
 * LF is enclosed in quotes, with its quotes doubled. Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, TAB or CR) gets a leading apostrophe, so an organisation called
 * "=HYPERLINK(…)" stays text when the team opens the file ("CSV injection").
 */

export type CsvValue = string | number | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

/** One field: numbers as they are (finite only), null and undefined as empty, text neutralised and quoted as needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`A CSV number must be finite, got ${value}`);
    return String(value);
  }
  const text = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",");
}

/** A header record and one record per row, each ending with CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((values) => `${csvRecord(values)}\r\n`).join("");
}
