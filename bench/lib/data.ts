/**
 * Seeded workload data in Keras layout, shared by every contender so that all of them compute the same thing.
 * The generator is the bench's own (mulberry32), so the numbers do not depend on the library under test.
 */
import type { Workload } from './workloads.js';

export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GruData {
  resetAfter: boolean;
  /** x [B,T,I] (for a streaming step T = 1). */
  x: Float32Array;
  /** h0 [B,U]: the initial state (zeros unless the workload uses one; a streaming step starts from it). */
  h0: Float32Array;
  /** [I,3U], columns z|r|h. */
  kernel: Float32Array;
  /** [U,3U], columns z|r|h. */
  recurrentKernel: Float32Array;
  /** [2,3U] (input bias row, recurrent bias row) with resetAfter, else [3U]. */
  bias: Float32Array;
  /** Dense(1) of the train step: kernel [U,1], bias [1]; target y [B,1]. */
  denseKernel: Float32Array;
  denseBias: Float32Array;
  y: Float32Array;
}

/** Non-symmetric, seeded weights (a z/r swap changes every number). */
export function makeData(w: Workload, resetAfter: boolean): GruData {
  const rand = seededUniform(w.seed * 7919 + (resetAfter ? 1 : 2));
  const fill = (n: number, scale: number, shift = 0): Float32Array =>
    Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale + shift);
  const { batch: B, seq: T, inputDim: I, units: U } = w;
  const G = 3 * U;
  const kernel = fill(I * G, Math.sqrt(6 / (I + G)));
  const recurrentKernel = fill(U * G, Math.sqrt(3 / U));
  const bias = fill(resetAfter ? 2 * G : G, 0.2, 0.05);
  const x = fill(B * T * I, 1);
  const h0 = w.useInitialState || w.mode === 'step' ? fill(B * U, 0.8) : new Float32Array(B * U);
  const denseKernel = fill(U, Math.sqrt(6 / (U + 1)));
  const denseBias = fill(1, 0.1);
  const y = fill(B, 1);
  return { resetAfter, x, h0, kernel, recurrentKernel, bias, denseKernel, denseBias, y };
}
