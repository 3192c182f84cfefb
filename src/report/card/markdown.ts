/** Markdown pieces of a model card: tables, percentages, sizes. */

/** A Markdown table; cells are escaped (a `|` inside a cell would end it). `right` marks right-aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (right[i] ? '---:' : '---')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** A rate as a percentage with two decimals; null (empty reference) as "-". */
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : `${(100 * x).toFixed(2)}%`);

/** Bytes in MB (10^6) with one decimal, or kB below 100 kB. */
export const size = (bytes: number): string => (bytes >= 1e5 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);

/** An integer with thousands separators: 2087453 -> 2,087,453. */
export const count = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Hours with two decimals. */
export const hours = (h: number): string => h.toFixed(2);

/** A list in words: a, b and c. */
export function inWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
