/** Reference GEMM: plain loops, float64 accumulation, one rounding per output element. */
import type { MatMulArgs } from '../backend.js';

export function matMul({ a, b, out, m, k, n, transposeA, transposeB }: MatMulArgs): void {
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const av = transposeA ? a[p * m + i]! : a[i * k + p]!;
      if (transposeB) {
        for (let j = 0; j < n; j++) row[j]! += av * b[j * k + p]!;
      } else {
        const off = p * n;
        for (let j = 0; j < n; j++) row[j]! += av * b[off + j]!;
      }
    }
    const o = i * n;
    for (let j = 0; j < n; j++) out[o + j] = row[j]!;
  }
}
