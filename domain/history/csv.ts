/**
 * CSV for people who open it in Excel: UTF-8 with a byte-order mark (so Chinese reads right), CRLF
 * rows, RFC 4180 quoting, and cells that would start a formula (= + - @, or a tab / carriage return
 * that Excel skips before one) prefixed with ' — so a report text like "=HYPERLINK(…)" stays text.
 */
export const CSV_BOM = '\uFEFF';

export function csvCell(value: unknown): string {
  let s =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** A whole document: BOM, header row, rows. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  let out = CSV_BOM + csvRow(header);
  for (const r of rows) out += csvRow(r);
  return out;
}
