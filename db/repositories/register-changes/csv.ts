/** CSV as RFC 4180 describes it, for the GDPR 20 export. */

/** UTF-8 byte order mark: without it spreadsheet programs read ä and ö as two characters each. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A field in double quotes when it holds a quote, comma or line break; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV: CRLF line breaks, UTF-8 with a byte order mark. */
export function toCsv(rows: readonly (readonly string[])[]): Buffer {
  const text = rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
  return Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
}
