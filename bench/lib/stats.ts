/** Nearest-rank percentile of a sample. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export interface Row {
  metric: string;
  variant: string;
  n?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  value?: number;
  unit?: string;
  /** For a figure measured at one offered rate (signaling CPU per signal). */
  rate_per_s?: number;
}

export function distribution(metric: string, variant: string, samples: number[]): Row {
  return {
    metric,
    variant,
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
  };
}

export function single(metric: string, variant: string, value: number): Row {
  return { metric, variant, value: round(value) };
}

export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
