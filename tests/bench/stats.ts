/** The one percentile every benchmark here reports: nearest rank, rounded to 0.1 ms. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, index)] ?? NaN) * 10) / 10;
}

export interface Summary {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

export const summary = (values: readonly number[]): Summary => ({ runs: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: percentile(values, 100) });
