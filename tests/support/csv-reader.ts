/**
 * A strict RFC 4180 reader for checking what Tandem writes: quoted fields, doubled quotes, CRLF after every record.
 * It throws on anything else, so a test cannot pass on a file a spreadsheet would misread.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let position = 0;
  while (position < text.length) {
    let field = "";
    if (text[position] === '"') {
      position += 1;
      for (;;) {
        const quote = text.indexOf('"', position);
        if (quote < 0) throw new Error("unterminated quote");
        field += text.slice(position, quote);
        if (text[quote + 1] === '"') {
          field += '"';
          position = quote + 2;
        } else {
          position = quote + 1;
          break;
        }
      }
    } else {
      const end = text.slice(position).search(/,|\r\n/);
      const stop = end < 0 ? text.length : position + end;
      field = text.slice(position, stop);
      if (/["\r\n]/.test(field)) throw new Error(`unquoted special character in ${JSON.stringify(field)}`);
      position = stop;
    }
    record.push(field);
    if (text[position] === ",") position += 1;
    else if (text.startsWith("\r\n", position)) {
      records.push(record);
      record = [];
      position += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[position])} at ${position}`);
  }
  if (record.length > 0) throw new Error("missing final CRLF");
  return records;
}
