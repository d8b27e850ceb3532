// GRU backpropagation through time (AssemblyScript, f32x4). Twin and definition: src/backend/reference/gru.ts
// (gruSequenceBackward); layouts in gru-layout.ts.

import { derivative } from './activations';
import { gemm, packB } from './gemm';
import {
  GO_BACKWARDS,
  K_APACK,
  K_BPACK,
  K_C0,
  K_C1,
  K_C_HH,
  K_C_HPREV,
  K_C_INNER,
  K_C_R,
  K_C_Z,
  K_DBIAS,
  K_DH,
  K_DINNER,
  K_DKERNEL,
  K_DLAST,
  K_DOUT,
  K_DOUTPUTS,
  K_DRBIAS,
  K_DREC,
  K_DRECALL,
  K_DRK,
  K_DSTATE,
  K_DX,
  K_DXPROJ,
  K_MASK,
  K_RT,
  K_WT,
  K_X,
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
  ZERO_OUTPUT_FOR_MASK,
  at,
  copyPadded,
  geti,
  getp,
  roundUp8,
} from './gru-layout';

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

/** dst[0, n) = column sums of rows × n floats at src (leading dimension ld); n a multiple of 4. */
// @ts-ignore: decorator
@inline function columnSums(src: usize, rows: i32, ld: i32, n: i32, dst: usize): void {
  memory.fill(dst, 0, <usize>n << 2);
  for (let row = 0; row < rows; row++) {
    const o = at(src, row * ld);
    for (let j = 0; j < n; j += 4) {
      const q = dst + (<usize>j << 2);
      v128.store(q, f32x4.add(v128.load(q), v128.load(o + (<usize>j << 2))));
    }
  }
}

/**
 * The weight and input gradients from dxProj and dRecAll (after `gruBackwardSteps` for every row), in two
 * independent parts so that threads can share them: dx = dxProj·Wᵀ for rows [b0, b1); and for the gate columns
 * of panels [c0, c1) (8 columns each, G/8 in all), dKernel = xᵀ·dxProj, dRecurrentKernel = hPrevᵀ·dRec (the h
 * block: innerᵀ·dAh without resetAfter) and the bias gradients as column sums, from those columns' panels of
 * dxProj and dRecAll, which it packs into the same panels of bpack. dKernel, dRk and the bias gradients are
 * gate-padded.
 */
export function gruBackwardWeights(p: usize): void {
  const B = geti(p, P_B);
  const T = geti(p, P_T);
  const I = geti(p, P_I);
  const U = geti(p, P_U);
  const b0 = geti(p, P_B0);
  const b1 = geti(p, P_B1);
  const c0 = geti(p, K_C0);
  const c1 = geti(p, K_C1);
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

  if (b1 > b0) gemm((b1 - b0) * T, I, G, at(dxProj, b0 * T * G), G, false, WTp, G, 0, at(dx, b0 * T * I), I, false, apack, 0, 0, 0, 0);
  if (c1 <= c0) return;
  const n0 = c0 << 3; // the columns [n0, n1)
  const n1 = c1 << 3;
  const nc = n1 - n0;
  const panel = <usize>BT << 5; // bytes of a packed panel
  const bp = bpack + <usize>c0 * panel;

  packB(at(dxProj, n0), G, false, BT, nc, bp);
  gemm(I, nc, BT, x, I, true, bp, BT, 0, at(dKernel, n0), G, false, apack, 0, 0, 0, 0);
  if (dBias != 0) columnSums(at(dxProj, n0), BT, G, nc, at(dBias, n0));

  packB(at(dRecAll, n0), G, false, BT, nc, bp);
  if (resetAfter) {
    gemm(U, nc, BT, cHPrev, Up, true, bp, BT, 0, at(dRk, n0), G, false, apack, 0, 0, 0, 0);
  } else {
    // z|r columns (< 2·Up) from hPrev, h columns from inner = r ⊙ hPrev.
    const zr = min(n1, 2 * Up);
    if (zr > n0) gemm(U, zr - n0, BT, cHPrev, Up, true, bp, BT, 0, at(dRk, n0), G, false, apack, 0, 0, 0, 0);
    const h0 = max(n0, 2 * Up);
    if (n1 > h0) {
      const hPanels = bp + <usize>((h0 - n0) >> 3) * panel;
      gemm(U, n1 - h0, BT, cInner, Up, true, hPanels, BT, 0, at(dRk, h0), G, false, apack, 0, 0, 0, 0);
    }
  }
  if (dRBias != 0) columnSums(at(dRecAll, n0), BT, G, nc, at(dRBias, n0));
}
