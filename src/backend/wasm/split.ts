/**
 * Splitting a kernel call's batch rows between threads. The GRU kernels run over a row range [b0, b1) (slots
 * B0, B1 of the parameter block) and keep per-row state in per-row places, so contiguous ranges can run at once,
 * one per thread, each with its own parameter block and GEMM packing scratch. Which thread computes a row
 * changes nothing in its arithmetic, so every thread count gives the same numbers, bit for bit.
 */
import { requestedThreads } from '../thread-count.js';
import { P } from './params.js';
import type { WasmState } from './state.js';
import type { Entry } from './threads.js';

/**
 * The GEMM (assembly/gemm.ts, its `M < 4` branch) multiplies fewer rows than this one by one as vector
 * products, whose sums round differently from its 4×8 tiles: a thread's rows must take the same branch as the
 * whole batch's. (test/backend/threads.test.ts fails if the two disagree.)
 */
const GEMV_ROWS = 4;

export const splitTuning = {
  /**
   * The least work (matmul FLOPs) worth a thread of its own, some 40 µs of it: waking a worker costs 10-30 µs.
   * On 2 Zen 3 cores a forward call of 3 MFLOP takes 2/3 of its 1-thread time on 2 threads; one of 1.5 MFLOP
   * gains nothing. Tests set 0 to split even the smallest calls.
   */
  minFlopsPerThread: 1e6,
};

/**
 * Boundaries 0 = b[0] < b[1] < … < b[n] = B of the row ranges a call over B rows of T steps runs as, one per
 * thread (n = 1: the calling thread alone). `flopsPerRow`: the call's work per batch row. Asks the pool for
 * the workers it wants, which start now if they have not and join later calls.
 */
export function rowBounds(s: WasmState, B: number, T: number, flopsPerRow: number): number[] {
  const threads = requestedThreads();
  if (threads <= 1 || B <= 1 || !s.k.shared) return [0, B];
  // The kernels multiply `rows` and `rows·T` rows at a time (the recurrence; the input projection): each
  // share must be on the same side of GEMV_ROWS as the whole batch, for both.
  const sameBranch = B >= GEMV_ROWS ? GEMV_ROWS : B * T >= GEMV_ROWS ? Math.ceil(GEMV_ROWS / T) : 1;
  const minRows = Math.max(sameBranch, Math.ceil(splitTuning.minFlopsPerThread / flopsPerRow));
  const want = Math.min(threads, Math.floor(B / minRows));
  if (want <= 1) return [0, B];
  const n = s.pool.available(want);
  if (n <= 1) return [0, B];
  s.ws.paramsBlock(n - 1); // allocated now, before the call's memory is laid out
  const bounds = [0];
  for (let i = 1; i <= n; i++) bounds.push(share(B, i, n)); // every share ≥ ⌊B/n⌋ ≥ minRows rows
  return bounds;
}

/** The share `i` of `n` of [0, total): [⌊i·total/n⌋, ⌊(i+1)·total/n⌋). */
export const share = (total: number, i: number, n: number): number => Math.floor((i * total) / n);

/**
 * Runs `entry` over the row ranges of `bounds` on the call's parameter block (`s.ws.params`, fully written):
 * each range gets a copy with its B0, B1 and its own `scratchBytes` of scratch at `scratch + i·scratchBytes`
 * in slot `scratchSlot`; `also` writes further slots of range i's block (at i32 index q).
 */
export function runRows(
  s: WasmState,
  entry: Entry,
  bounds: readonly number[],
  scratchSlot: number,
  scratch: number,
  scratchBytes: number,
  also?: (i32: Int32Array, q: number, i: number, n: number) => void,
): void {
  const n = bounds.length - 1;
  const p = s.ws.params;
  if (n === 1) {
    s.k.exports[entry](p);
    return;
  }
  const blocks: number[] = [];
  for (let i = 0; i < n; i++) blocks.push(s.ws.paramsBlock(i));
  const i32 = s.k.i32;
  for (let i = 0; i < n; i++) {
    const q = blocks[i]! >> 2;
    if (i > 0) i32.copyWithin(q, p >> 2, (p >> 2) + 64);
    i32[q + P.B0] = bounds[i]!;
    i32[q + P.B1] = bounds[i + 1]!;
    i32[q + scratchSlot] = scratch + i * scratchBytes;
    also?.(i32, q, i, n);
  }
  s.pool.run(entry, blocks);
}
