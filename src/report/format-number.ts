/**
 * Compact numbers for tick labels and progress lines: three significant digits, with k, M
 * and G suffixes from `kFrom` up (`1500` or `1.5k`, `2.5M`). Floating-point noise goes:
 * 0.30000000000000004 prints as `0.3`.
 */
export function compactNumber(v: number, kFrom = 1e4): string {
  const trim = (x: number): string => String(Number(x.toPrecision(3)));
  const a = Math.abs(v);
  if (a >= 1e9 && kFrom <= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6 && kFrom <= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= Math.max(1e3, kFrom)) return `${trim(v / 1e3)}k`;
  return trim(v);
}
