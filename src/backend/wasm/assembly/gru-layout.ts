// The layout shared by the GRU kernels (gru-forward.ts, gru-backward.ts): the parameter block, the
// gate-padded buffers, and the packing of weights into it. Twin and definition of the kernels:
// src/backend/reference/gru.ts; the update equations are in GruSequenceArgs (src/backend/backend.ts).
//
// Gate-padded layout: each gate block z|r|h is widened from U to Up = roundUp(U, 8) columns, so a gate starts
// on a packed panel and on a vector boundary. G = 3·Up. Padding columns of the packed weights and biases are
// zero, so padding lanes of every buffer stay finite and never reach a result.
//   xProj    [B·T, G]    rows (b, t): x·W + bias
//   rec      [B, G]      h·U (+ recurrent bias) for the current step
//   h, prevOut, tmp      [B, Up]
//   cache    [T, B, Up]  per processing step s and row b: hPrev, z, r, ĥ, inner (h·Uh + b'h, or r ⊙ h)
// Every loop over the batch runs over a row range [b0, b1): rows are independent until the weight gradients,
// which `gruBackwardWeights` computes over all rows afterwards, for a range of gate columns. Threads sharing the
// memory each take a range (src/backend/wasm/split.ts).

import { packB } from './gemm';

// Parameter block: i32 slots, written by the host (src/backend/wasm/params.ts holds the same indices).
export const P_B = 0;
export const P_T = 1;
export const P_I = 2;
export const P_U = 3;
export const P_B0 = 4;
export const P_B1 = 5;
export const P_FLAGS = 6;
export const P_ACT = 7;
export const P_RACT = 8;
// forward
export const F_X = 9;
export const F_W = 10;
export const F_R = 11;
export const F_BIAS = 12;
export const F_RBIAS = 13;
export const F_H0 = 14;
export const F_MASK = 15;
export const F_XPROJ = 16;
export const F_REC = 17;
export const F_H = 18;
export const F_PREV = 19;
export const F_TMP = 20;
export const F_OUT = 21;
export const F_C_HPREV = 22;
export const F_C_Z = 23;
export const F_C_R = 24;
export const F_C_HH = 25;
export const F_C_INNER = 26;
export const F_APACK = 27;
// backward
export const K_X = 9;
export const K_WT = 10;
export const K_RT = 11;
export const K_MASK = 12;
export const K_DOUTPUTS = 13;
export const K_DLAST = 14;
export const K_DSTATE = 15;
export const K_C_HPREV = 16;
export const K_C_Z = 17;
export const K_C_R = 18;
export const K_C_HH = 19;
export const K_C_INNER = 20;
export const K_DH = 21;
export const K_DOUT = 22;
export const K_DREC = 23;
export const K_DINNER = 24;
export const K_DXPROJ = 25;
export const K_DRECALL = 26;
export const K_APACK = 27;
export const K_BPACK = 28;
export const K_DX = 29;
export const K_DKERNEL = 30;
export const K_DRK = 31;
export const K_DBIAS = 32;
export const K_DRBIAS = 33;
export const K_C0 = 34; // gruBackwardWeights: the panels [c0, c1) of 8 gate columns it computes
export const K_C1 = 35;

export const RESET_AFTER = 1;
export const GO_BACKWARDS = 2;
export const RETURN_SEQUENCES = 4;
export const ZERO_OUTPUT_FOR_MASK = 8;
export const SAVE = 16;

// @ts-ignore: decorator
@inline export function geti(p: usize, slot: i32): i32 {
  return load<i32>(p + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline export function getp(p: usize, slot: i32): usize {
  return <usize>load<u32>(p + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline export function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}
// @ts-ignore: decorator
@inline export function roundUp8(n: i32): i32 {
  return (n + 7) & ~7;
}

/** Packs the gate blocks of w [K, 3U] (row-major) as B panels, each gate widened to Up columns. */
export function packGated(w: usize, K: i32, U: i32, dst: usize): void {
  const Up = roundUp8(U);
  for (let g = 0; g < 3; g++) packB(at(w, g * U), 3 * U, false, K, U, dst + <usize>g * <usize>(Up >> 3) * (<usize>K << 5));
}

/**
 * Packs wᵀ for w [N, 3U] as B panels of a [G, N] matrix: row g·Up + j is column g·U + j of w (zero for j ≥ U).
 * Used to multiply gate-padded gradients by the transposed kernels.
 */
export function packGatedTransposed(w: usize, N: i32, U: i32, dst: usize): void {
  const Up = roundUp8(U);
  const panels = (N + 7) >> 3;
  let d = dst; // each panel: G = 3·Up rows of 8
  for (let p = 0; p < panels; p++) {
    const n0 = p << 3;
    for (let g = 0; g < 3; g++) {
      for (let j = 0; j < Up; j++) {
        for (let c = 0; c < 8; c++) {
          const n = n0 + c;
          const v: f32 = j < U && n < N ? load<f32>(at(w, n * 3 * U + g * U + j)) : 0;
          store<f32>(d + (<usize>c << 2), v);
        }
        d += 32;
      }
    }
  }
}

/** Copies a [3U] bias into gate-padded [G] with zeros in the padding. */
export function padGates(src: usize, U: i32, dst: usize): void {
  const Up = roundUp8(U);
  memory.fill(dst, 0, <usize>(3 * Up) << 2);
  for (let g = 0; g < 3; g++) memory.copy(at(dst, g * Up), at(src, g * U), <usize>U << 2);
}

// @ts-ignore: decorator
@inline export function copyPadded(dst: usize, src: usize, U: i32, Up: i32): void {
  memory.copy(dst, src, <usize>U << 2);
  if (Up > U) memory.fill(at(dst, U), 0, <usize>(Up - U) << 2);
}

