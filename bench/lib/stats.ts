/** Small statistics for timings: samples are milliseconds per call. */

export function min(samples: readonly number[]): number {
  return samples.length === 0 ? NaN : Math.min(...samples);
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Largest |a[i] − b[i]|; Infinity when the lengths differ or a value is not finite. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    if (!(e <= d)) d = Number.isNaN(e) ? Infinity : e;
  }
  return d;
}
