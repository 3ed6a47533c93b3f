/**
 * Shared helpers of the benchmark scripts: percentiles, a plain table, and the closing JSON
 * line every benchmark prints last.
 */

/** The p-th percentile (0-100) of `values`, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Rounds to `digits` significant decimals for display and JSON. */
export function round(x: number, digits = 3): number {
  return Number.isFinite(x) ? Number(x.toPrecision(digits + 2)) : x;
}

/** Prints rows as an aligned table on stdout. */
export function printTable(title: string, rows: (string | number)[][]): void {
  const text = rows.map((r) => r.map((c) => (typeof c === "number" ? String(round(c)) : c)));
  const widths = text[0].map((_, i) => Math.max(...text.map((r) => r[i].length)));
  console.log(`\n${title}`);
  for (const [n, r] of text.entries()) {
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "),
    );
    if (n === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

/** Prints the closing line: one JSON object with every figure. */
export function printJson(figures: Record<string, unknown>): void {
  console.log(JSON.stringify(figures));
}
