/**
 * CSV for spreadsheets (RFC 4180): a field with a comma, quote, CR or LF is
 * quoted with its quotes doubled; lines end in CRLF. A field a spreadsheet
 * would read as a formula (starting with =, +, -, @, tab or CR) gets a
 * leading apostrophe, so a user-chosen name like `=HYPERLINK(…)` in an
 * exported log stays text (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  // Numbers are data, not formulas: -3 stays a number.
  if (typeof value !== "number" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
