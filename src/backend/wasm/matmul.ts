/** Host side of the WASM GEMM (twin: src/backend/reference/matmul.ts). False = not taken (float64). */
import type { MatMulArgs } from '../backend.js';
import { Plan } from './memory.js';
import { roundUp8 } from './params.js';
import type { WasmState } from './state.js';

export function matMul(s: WasmState, { a, b, out, m, k: K, n, transposeA, transposeB }: MatMulArgs): boolean {
  if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) return false;
  if (m === 0 || n === 0) return true;
  if (K === 0) {
    out.fill(0, 0, m * n);
    return true;
  }
  const k = s.k;
  const plan = new Plan();
  const oA = plan.floats(m * K);
  const oB = plan.floats(K * n);
  const oBp = plan.floats(K * roundUp8(n));
  const oC = plan.floats(m * n);
  const oApack = plan.reserve(k.gemmScratchBytes);
  const base = s.ws.place(plan);
  const f32 = k.f32;
  f32.set(a.subarray(0, m * K), (base + oA) >> 2);
  f32.set(b.subarray(0, K * n), (base + oB) >> 2);
  const x = k.exports;
  x.packB(base + oB, transposeB ? K : n, transposeB ? 1 : 0, K, n, base + oBp);
  x.gemm(
    m,
    n,
    K,
    base + oA,
    transposeA ? m : K,
    transposeA ? 1 : 0,
    base + oBp,
    K,
    0,
    base + oC,
    n,
    0,
    base + oApack,
    0,
    0,
    0,
    0,
  );
  const c = (base + oC) >> 2;
  out.set(k.f32.subarray(c, c + m * n));
  return true;
}
