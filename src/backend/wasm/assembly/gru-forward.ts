// GRU sequence forward kernel (AssemblyScript, f32x4) over a row range [b0, b1). Twin and definition:
// src/backend/reference/gru.ts (gruSequence); layouts in gru-layout.ts.

import { activate } from './activations';
import { gemm } from './gemm';
import {
  F_APACK,
  F_BIAS,
  F_C_HH,
  F_C_HPREV,
  F_C_INNER,
  F_C_R,
  F_C_Z,
  F_H,
  F_H0,
  F_MASK,
  F_OUT,
  F_PREV,
  F_R,
  F_RBIAS,
  F_REC,
  F_TMP,
  F_W,
  F_X,
  F_XPROJ,
  GO_BACKWARDS,
  P_ACT,
  P_B,
  P_B0,
  P_B1,
  P_FLAGS,
  P_I,
  P_RACT,
  P_T,
  P_U,
  RESET_AFTER,
  RETURN_SEQUENCES,
  SAVE,
  ZERO_OUTPUT_FOR_MASK,
  at,
  copyPadded,
  geti,
  getp,
  roundUp8,
} from './gru-layout';

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

