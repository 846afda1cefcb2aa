/**
 * CSV for Excel in Japan: UTF-8 with a byte-order mark (without it Excel reads Shift_JIS and
 * garbles Japanese), CRLF line ends and RFC 4180 quoting. Text that Excel would run as a formula
 * (=, +, -, @, tab, CR at the start) gets a leading apostrophe: an exported note is data, never code.
 */
export const BOM = '\uFEFF';

export type Cell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return BOM + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
