/**
 * Splitting a native call's batch rows between threads (native/pool.cc runs one range per thread). Each row's
 * arithmetic is the same whichever range holds it (native/gemm.cc), so every thread count gives the same
 * numbers, bit for bit.
 */
import { requestedThreads } from '../thread-count.js';

export const nativeSplitTuning = {
  /**
   * The least work (matmul FLOPs) worth a thread of its own: a worker wakes in a few µs when it was spinning,
   * tens when it slept. Tests set 0 to split even the smallest calls.
   */
  minFlopsPerThread: 2e6,
};

/** Boundaries 0 = b[0] < … < b[n] = B of the row ranges, at most `maxThreads` of them. */
export function rowBounds(B: number, flopsPerRow: number, maxThreads: number): Int32Array {
  const threads = Math.min(requestedThreads(), maxThreads);
  const minRows = Math.max(1, Math.ceil(nativeSplitTuning.minFlopsPerThread / flopsPerRow));
  const n = Math.max(1, Math.min(threads, Math.floor(B / minRows)));
  const bounds = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) bounds[i] = Math.floor((i * B) / n);
  return bounds;
}
