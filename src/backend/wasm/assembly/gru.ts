// GRU sequence kernels, forward and backward through time (AssemblyScript, f32x4). Twin and definition:
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
// which `gruBackwardWeights` computes over all rows afterwards.

import { activate, derivative } from './activations';
import { gemm, packB } from './gemm';

// Parameter block: i32 slots, written by the host (src/backend/wasm/params.ts holds the same indices).
const P_B = 0;
const P_T = 1;
const P_I = 2;
const P_U = 3;
const P_B0 = 4;
const P_B1 = 5;
const P_FLAGS = 6;
const P_ACT = 7;
const P_RACT = 8;
// forward
const F_X = 9;
const F_W = 10;
const F_R = 11;
const F_BIAS = 12;
const F_RBIAS = 13;
const F_H0 = 14;
const F_MASK = 15;
const F_XPROJ = 16;
const F_REC = 17;
const F_H = 18;
const F_PREV = 19;
const F_TMP = 20;
const F_OUT = 21;
const F_C_HPREV = 22;
const F_C_Z = 23;
const F_C_R = 24;
const F_C_HH = 25;
const F_C_INNER = 26;
const F_APACK = 27;
// backward
const K_X = 9;
const K_WT = 10;
const K_RT = 11;
const K_MASK = 12;
const K_DOUTPUTS = 13;
const K_DLAST = 14;
const K_DSTATE = 15;
const K_C_HPREV = 16;
const K_C_Z = 17;
const K_C_R = 18;
const K_C_HH = 19;
const K_C_INNER = 20;
const K_DH = 21;
const K_DOUT = 22;
const K_DREC = 23;
const K_DINNER = 24;
const K_DXPROJ = 25;
const K_DRECALL = 26;
const K_APACK = 27;
const K_BPACK = 28;
const K_DX = 29;
const K_DKERNEL = 30;
const K_DRK = 31;
const K_DBIAS = 32;
const K_DRBIAS = 33;

const RESET_AFTER = 1;
const GO_BACKWARDS = 2;
const RETURN_SEQUENCES = 4;
const ZERO_OUTPUT_FOR_MASK = 8;
const SAVE = 16;

// @ts-ignore: decorator
@inline function geti(p: usize, slot: i32): i32 {
  return load<i32>(p + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline function getp(p: usize, slot: i32): usize {
  return <usize>load<u32>(p + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}
// @ts-ignore: decorator
@inline function roundUp8(n: i32): i32 {
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
@inline function copyPadded(dst: usize, src: usize, U: i32, Up: i32): void {
  memory.copy(dst, src, <usize>U << 2);
  if (Up > U) memory.fill(at(dst, U), 0, <usize>(Up - U) << 2);
}

export function gruForward(p: usize): void {
  const B = geti(p, P_B);
  const T = geti(p, P_T);
  const I = geti(p, P_I);
  const U = geti(p, P_U);
  const b0 = geti(p, P_B0);
  const b1 = geti(p, P_B1);
  const flags = geti(p, P_FLAGS);
  const act = geti(p, P_ACT);
  const ract = geti(p, P_RACT);
  const resetAfter = (flags & RESET_AFTER) != 0;
  const goBackwards = (flags & GO_BACKWARDS) != 0;
  const returnSequences = (flags & RETURN_SEQUENCES) != 0;
  const zeroOutputForMask = (flags & ZERO_OUTPUT_FOR_MASK) != 0;
  const save = (flags & SAVE) != 0;
  const x = getp(p, F_X);
  const Wp = getp(p, F_W);
  const Rp = getp(p, F_R);
  const bias = getp(p, F_BIAS);
  const rbias = getp(p, F_RBIAS);
  const h0 = getp(p, F_H0);
  const mask = getp(p, F_MASK);
  const xProj = getp(p, F_XPROJ);
  const rec = getp(p, F_REC);
  const h = getp(p, F_H);
  const prevOut = getp(p, F_PREV);
  const tmp = getp(p, F_TMP);
  const out = getp(p, F_OUT);
  const cHPrev = getp(p, F_C_HPREV);
  const cZ = getp(p, F_C_Z);
  const cR = getp(p, F_C_R);
  const cHH = getp(p, F_C_HH);
  const cInner = getp(p, F_C_INNER);
  const apack = getp(p, F_APACK);
  const Up = roundUp8(U);
  const G = 3 * Up;
  const rows = b1 - b0;
  if (rows <= 0) return;

  // xProj rows (b, t) for b in [b0, b1) = x · W + bias: one GEMM for every time step.
  gemm(rows * T, G, I, at(x, b0 * T * I), I, false, Wp, I, 0, at(xProj, b0 * T * G), G, false, apack, bias, 0, 0, 0);
  for (let b = b0; b < b1; b++) {
    copyPadded(at(h, b * Up), at(h0, b * U), U, Up);
    memory.fill(at(prevOut, b * Up), 0, <usize>Up << 2); // Keras: the output "before" step 0 is zeros
  }

  const UpB = <usize>Up << 2;
  const RpH = Rp + <usize>(2 * (Up >> 3)) * (<usize>U << 5); // the h gate's panels
  const recCols = resetAfter ? G : 2 * Up;
  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    // rec[b, z|r] = h[b]·U[:, z|r] + xProj[b, t, z|r] (+ b'[z|r]): the gates' pre-activations; with resetAfter
    // also rec[b, h] = inner = h[b]·Uh + b'h. The GEMM epilogue adds the recurrent bias and this step's input
    // projection (rows b·T + t: leading dimension T·G) to the z|r columns.
    const xs = at(xProj, (b0 * T + t) * G);
    gemm(rows, recCols, U, at(h, b0 * Up), Up, false, Rp, U, 0, at(rec, b0 * G), G, false, apack, rbias, xs, T * G, 2 * Up);
    for (let b = b0; b < b1; b++) {
      const hb = at(h, b * Up);
      const co = (s * B + b) * Up;
      if (save) memory.copy(at(cHPrev, co), hb, UpB);
      const keep = mask == 0 || load<u8>(mask + <usize>(b * T + t)) != 0;
      if (!keep) {
        if (zeroOutputForMask) memory.fill(at(prevOut, b * Up), 0, UpB);
        if (save) memory.fill(at(cInner, co), 0, UpB);
        continue;
      }
      const ro = at(rec, b * G);
      activate(ract, ro, 2 * Up); // z|r
      const tb = at(tmp, b * Up);
      if (resetAfter) {
        // ĥ = act(x·Wh + bh + r ⊙ inner)
        const xo = at(xProj, (b * T + t) * G + 2 * Up);
        const inner = ro + 2 * UpB;
        for (let j = 0; j < Up; j += 4) {
          const o = <usize>j << 2;
          const r = v128.load(ro + UpB + o);
          v128.store(tb + o, f32x4.add(v128.load(xo + o), f32x4.mul(r, v128.load(inner + o))));
        }
        activate(act, tb, Up);
        update(ro, tb, hb, at(prevOut, b * Up), Up);
        if (save) {
          memory.copy(at(cZ, co), ro, UpB);
          memory.copy(at(cR, co), ro + UpB, UpB);
          memory.copy(at(cHH, co), tb, UpB);
          memory.copy(at(cInner, co), inner, UpB);
        }
      } else {
        // r ⊙ h, multiplied by Uh for the whole batch below.
        for (let j = 0; j < Up; j += 4) {
          const o = <usize>j << 2;
          v128.store(tb + o, f32x4.mul(v128.load(ro + UpB + o), v128.load(hb + o)));
        }
      }
    }
    if (!resetAfter) {
      // rec[b, h] = (r ⊙ h)[b]·Uh + xProj[b, t, h]: ĥ's pre-activation.
      gemm(rows, Up, U, at(tmp, b0 * Up), Up, false, RpH, U, 0, at(rec, b0 * G + 2 * Up), G, false, apack, 0, xs + 2 * UpB, T * G, Up);
      for (let b = b0; b < b1; b++) {
        if (mask != 0 && load<u8>(mask + <usize>(b * T + t)) == 0) continue;
        const ro = at(rec, b * G);
        const hh = ro + 2 * UpB;
        activate(act, hh, Up);
        update(ro, hh, at(h, b * Up), at(prevOut, b * Up), Up);
        if (save) {
          const co = (s * B + b) * Up;
          memory.copy(at(cZ, co), ro, UpB);
          memory.copy(at(cR, co), ro + UpB, UpB);
          memory.copy(at(cHH, co), hh, UpB);
          memory.copy(at(cInner, co), at(tmp, b * Up), UpB);
        }
      }
    }
    if (returnSequences) {
      for (let b = b0; b < b1; b++) memory.copy(at(out, (b * T + s) * U), at(prevOut, b * Up), <usize>U << 2);
    }
  }
}

/** h' = z ⊙ h + (1 − z) ⊙ ĥ into h (in place) and prevOut, for Up units. */
// @ts-ignore: decorator
@inline function update(z: usize, hh: usize, h: usize, prevOut: usize, Up: i32): void {
  for (let j = 0; j < Up; j += 4) {
    const o = <usize>j << 2;
    const zv = v128.load(z + o);
    const hn = f32x4.add(f32x4.mul(zv, v128.load(h + o)), f32x4.mul(f32x4.sub(f32x4.splat(1), zv), v128.load(hh + o)));
    v128.store(h + o, hn);
    v128.store(prevOut + o, hn);
  }
}

/**
 * BPTT over rows [b0, b1): walks the steps in reverse processing order carrying dh (gradient of the state) and
 * dOut (gradient of the previous output, which a masked step repeats). Fills dxProj (rows (b, t)) and dRecAll
 * (rows (s, b)), the gradients of the input projection and of the recurrent pre-activations, and dh (→ dh0).
 */
export function gruBackwardSteps(p: usize): void {
  const B = geti(p, P_B);
  const T = geti(p, P_T);
  const U = geti(p, P_U);
  const b0 = geti(p, P_B0);
  const b1 = geti(p, P_B1);
  const flags = geti(p, P_FLAGS);
  const act = geti(p, P_ACT);
  const ract = geti(p, P_RACT);
  const resetAfter = (flags & RESET_AFTER) != 0;
  const goBackwards = (flags & GO_BACKWARDS) != 0;
  const zeroOutputForMask = (flags & ZERO_OUTPUT_FOR_MASK) != 0;
  const RTp = getp(p, K_RT);
  const mask = getp(p, K_MASK);
  const dOutputs = getp(p, K_DOUTPUTS);
  const dLast = getp(p, K_DLAST);
  const dState = getp(p, K_DSTATE);
  const cHPrev = getp(p, K_C_HPREV);
  const cZ = getp(p, K_C_Z);
  const cR = getp(p, K_C_R);
  const cHH = getp(p, K_C_HH);
  const cInner = getp(p, K_C_INNER);
  const dh = getp(p, K_DH);
  const dOut = getp(p, K_DOUT);
  const dRec = getp(p, K_DREC);
  const dInner = getp(p, K_DINNER);
  const dxProj = getp(p, K_DXPROJ);
  const dRecAll = getp(p, K_DRECALL);
  const apack = getp(p, K_APACK);
  const Up = roundUp8(U);
  const G = 3 * Up;
  const rows = b1 - b0;
  if (rows <= 0) return;
  const one = f32x4.splat(1);

  for (let b = b0; b < b1; b++) {
    if (dState != 0) copyPadded(at(dh, b * Up), at(dState, b * U), U, Up);
    else memory.fill(at(dh, b * Up), 0, <usize>Up << 2);
    if (dLast != 0) copyPadded(at(dOut, b * Up), at(dLast, b * U), U, Up);
    else memory.fill(at(dOut, b * Up), 0, <usize>Up << 2);
    memory.fill(at(dInner, b * Up), 0, <usize>Up << 2);
  }
  const recCols = resetAfter ? G : 2 * Up;
  const UpB = <usize>Up << 2;
  for (let s = T - 1; s >= 0; s--) {
    const t = goBackwards ? T - 1 - s : s;
    for (let b = b0; b < b1; b++) {
      const ob = at(dOut, b * Up);
      if (dOutputs != 0) {
        const src = at(dOutputs, (b * T + s) * U);
        for (let u = 0; u < U; u++) {
          const q = ob + (<usize>u << 2);
          store<f32>(q, load<f32>(q) + load<f32>(src + (<usize>u << 2)));
        }
      }
      const rr = at(dRec, b * G);
      const dxo = at(dxProj, (b * T + t) * G);
      const dra = at(dRecAll, (s * B + b) * G);
      const keep = mask == 0 || load<u8>(mask + <usize>(b * T + t)) != 0;
      if (!keep) {
        // The state passes through unchanged; the output repeats the previous one (or is a constant zero).
        if (zeroOutputForMask) memory.fill(ob, 0, UpB);
        memory.fill(rr, 0, <usize>G << 2);
        memory.fill(dxo, 0, <usize>G << 2);
        memory.fill(dra, 0, <usize>G << 2);
        continue;
      }
      const co = (s * B + b) * Up;
      const hb = at(dh, b * Up);
      for (let j = 0; j < Up; j += 4) {
        const o = <usize>j << 2;
        const cz = at(cZ, co) + o;
        const g = f32x4.add(v128.load(hb + o), v128.load(ob + o));
        const z = v128.load(cz);
        const hh = v128.load(at(cHH, co) + o);
        const hp = v128.load(at(cHPrev, co) + o);
        const dAz = f32x4.mul(f32x4.mul(g, f32x4.sub(hp, hh)), derivative(ract, z));
        const dAh = f32x4.mul(f32x4.mul(g, f32x4.sub(one, z)), derivative(act, hh));
        v128.store(hb + o, f32x4.mul(g, z)); // direct path h → h'
        v128.store(ob + o, f32x4.splat(0));
        v128.store(dxo + o, dAz);
        v128.store(dxo + (UpB << 1) + o, dAh);
        v128.store(rr + o, dAz);
        if (resetAfter) {
          const r = v128.load(at(cR, co) + o);
          const dAr = f32x4.mul(f32x4.mul(dAh, v128.load(at(cInner, co) + o)), derivative(ract, r));
          v128.store(dxo + UpB + o, dAr);
          v128.store(rr + UpB + o, dAr);
          v128.store(rr + (UpB << 1) + o, f32x4.mul(dAh, r));
        } else {
          v128.store(rr + (UpB << 1) + o, dAh);
        }
      }
      if (resetAfter) memory.copy(dra, rr, <usize>G << 2);
    }
    if (!resetAfter) {
      // ĥ's pre-activation has (r ⊙ h)·Uh: d(r ⊙ h) = dAh·Uhᵀ.
      gemm(rows, Up, Up, at(dRec, b0 * G + 2 * Up), G, false, RTp, G, 2 * Up, at(dInner, b0 * Up), Up, false, apack, 0, 0, 0, 0);
      for (let b = b0; b < b1; b++) {
        if (mask != 0 && load<u8>(mask + <usize>(b * T + t)) == 0) continue;
        const co = (s * B + b) * Up;
        const rr = at(dRec, b * G);
        const dxo = at(dxProj, (b * T + t) * G);
        const hb = at(dh, b * Up);
        const di = at(dInner, b * Up);
        for (let j = 0; j < Up; j += 4) {
          const o = <usize>j << 2;
          const r = v128.load(at(cR, co) + o);
          const dIn = v128.load(di + o);
          const dAr = f32x4.mul(f32x4.mul(dIn, v128.load(at(cHPrev, co) + o)), derivative(ract, r));
          v128.store(dxo + UpB + o, dAr);
          v128.store(rr + UpB + o, dAr);
          v128.store(hb + o, f32x4.add(v128.load(hb + o), f32x4.mul(dIn, r)));
        }
        memory.copy(at(dRecAll, (s * B + b) * G), rr, <usize>G << 2);
      }
    }
    // rec = h·U[:, cols] (+ b'): dh += dRec[:, cols]·U[:, cols]ᵀ
    gemm(rows, Up, recCols, at(dRec, b0 * G), G, false, RTp, G, 0, at(dh, b0 * Up), Up, true, apack, 0, 0, 0, 0);
  }
}

// @ts-ignore: decorator
@inline function columnSums(src: usize, rows: i32, G: i32, dst: usize): void {
  memory.fill(dst, 0, <usize>G << 2);
  for (let row = 0; row < rows; row++) {
    const o = at(src, row * G);
    for (let j = 0; j < G; j += 4) {
      const q = dst + (<usize>j << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(o + (<usize>j << 2))));
    }
  }
}

/**
 * The weight and input gradients from dxProj and dRecAll (after `gruBackwardSteps` for every row):
 * dx = dxProj·Wᵀ, dKernel = xᵀ·dxProj, dRecurrentKernel = hPrevᵀ·dRec (the h block: innerᵀ·dAh without
 * resetAfter), bias gradients as column sums. dKernel, dRk and the bias gradients are gate-padded.
 */
export function gruBackwardWeights(p: usize): void {
  const B = geti(p, P_B);
  const T = geti(p, P_T);
  const I = geti(p, P_I);
  const U = geti(p, P_U);
  const flags = geti(p, P_FLAGS);
  const resetAfter = (flags & RESET_AFTER) != 0;
  const x = getp(p, K_X);
  const WTp = getp(p, K_WT);
  const cHPrev = getp(p, K_C_HPREV);
  const cInner = getp(p, K_C_INNER);
  const dxProj = getp(p, K_DXPROJ);
  const dRecAll = getp(p, K_DRECALL);
  const apack = getp(p, K_APACK);
  const bpack = getp(p, K_BPACK);
  const dx = getp(p, K_DX);
  const dKernel = getp(p, K_DKERNEL);
  const dRk = getp(p, K_DRK);
  const dBias = getp(p, K_DBIAS);
  const dRBias = getp(p, K_DRBIAS);
  const Up = roundUp8(U);
  const G = 3 * Up;
  const BT = B * T;

  gemm(BT, I, G, dxProj, G, false, WTp, G, 0, dx, I, false, apack, 0, 0, 0, 0);
  packB(dxProj, G, false, BT, G, bpack);
  gemm(I, G, BT, x, I, true, bpack, BT, 0, dKernel, G, false, apack, 0, 0, 0, 0);
  if (dBias != 0) columnSums(dxProj, BT, G, dBias);

  packB(dRecAll, G, false, BT, G, bpack);
  if (resetAfter) {
    gemm(U, G, BT, cHPrev, Up, true, bpack, BT, 0, dRk, G, false, apack, 0, 0, 0, 0);
  } else {
    gemm(U, 2 * Up, BT, cHPrev, Up, true, bpack, BT, 0, dRk, G, false, apack, 0, 0, 0, 0);
    const hPanels = bpack + <usize>(2 * (Up >> 3)) * (<usize>BT << 5);
    gemm(U, Up, BT, cInner, Up, true, hPanels, BT, 0, at(dRk, 2 * Up), G, false, apack, 0, 0, 0, 0);
  }
  if (dRBias != 0) columnSums(dRecAll, BT, G, dRBias);
}
