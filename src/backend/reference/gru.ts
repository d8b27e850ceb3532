/**
 * Reference GRU sequence kernels, forward and backward through time: the definition every faster kernel is
 * tested against. Layouts are in `GruSequenceArgs` (backend.ts). Sums accumulate in float64 and are rounded
 * to the storage dtype (that of `x`) when stored, as TensorFlow's float32 kernels round once per op.
 */
import type { GruBackwardArgs, GruCache, GruGradients, GruSequenceArgs, GruSequenceResult } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import { matMul } from './matmul.js';

function like(a: FloatArray, size: number): FloatArray {
  return a instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
}

/** Per step s (processing order), per row b, per unit u, at [(s*B + b)*U + u]. */
interface ReferenceGruCache extends GruCache {
  /** The input projection x·W + b, [B*T, 3U]. */
  xProj: FloatArray;
  /** State before the step. */
  hPrev: Float64Array;
  /** Gates z, r and candidate ĥ, and their pre-activations. */
  z: Float64Array;
  r: Float64Array;
  hh: Float64Array;
  preZ: Float64Array;
  preR: Float64Array;
  preH: Float64Array;
  /** resetAfter: h·Uh + b'h (before the reset gate); otherwise r ⊙ h. */
  inner: Float64Array;
}

export function gruSequence(args: GruSequenceArgs): GruSequenceResult {
  const { batch: B, steps: T, inputDim: I, units: U, x, kernel, recurrentKernel: rk } = args;
  const { inputBias, recurrentBias, mask, resetAfter, goBackwards, returnSequences, zeroOutputForMask } = args;
  const act = args.activation.fn;
  const ract = args.recurrentActivation.fn;
  const G = 3 * U;

  // xProj [B*T, 3U] = x [B*T, I] · kernel [I, 3U] (+ input bias): one GEMM for all time steps.
  const xProj = like(x, B * T * G);
  matMul({ a: x, b: kernel, out: xProj, m: B * T, k: I, n: G, transposeA: false, transposeB: false });
  if (inputBias !== null) {
    for (let row = 0; row < B * T; row++) {
      const o = row * G;
      for (let j = 0; j < G; j++) xProj[o + j] = xProj[o + j]! + inputBias[j]!;
    }
  }

  const save = args.saveForBackward === true;
  const n = save ? T * B * U : 0;
  const cache: ReferenceGruCache | null = save
    ? {
        backend: 'reference',
        xProj,
        hPrev: new Float64Array(n),
        z: new Float64Array(n),
        r: new Float64Array(n),
        hh: new Float64Array(n),
        preZ: new Float64Array(n),
        preR: new Float64Array(n),
        preH: new Float64Array(n),
        inner: new Float64Array(n),
      }
    : null;

  const h = like(x, B * U);
  h.set(args.h0);
  const prevOut = like(x, B * U); // Keras: the output "before" step 0 is zeros
  const outputs = returnSequences ? like(x, B * T * U) : null;
  const rec = new Float64Array(G); // h·U (+ recurrent bias) for one row
  const rh = new Float64Array(U); // r ⊙ h (resetAfter=false)
  const hNew = new Float64Array(U);
  const zs = new Float64Array(U);

  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const hOff = b * U;
      const keep = mask === null || mask[b * T + t] !== 0;
      if (keep) {
        const xo = (b * T + t) * G;
        const co = (s * B + b) * U;
        // rec[0:2U] = h·U[:, z|r]; with resetAfter also rec[2U:3U] = h·U[:, h] + recurrent bias.
        const cols = resetAfter ? G : 2 * U;
        rec.fill(0);
        for (let p = 0; p < U; p++) {
          const hv = h[hOff + p]!;
          const ro = p * G;
          for (let j = 0; j < cols; j++) rec[j]! += hv * rk[ro + j]!;
        }
        if (resetAfter && recurrentBias !== null) for (let j = 0; j < G; j++) rec[j]! += recurrentBias[j]!;
        for (let u = 0; u < U; u++) {
          const pz = xProj[xo + u]! + rec[u]!;
          const pr = xProj[xo + U + u]! + rec[U + u]!;
          const z = ract(pz);
          const r = ract(pr);
          zs[u] = z;
          if (resetAfter) {
            const ph = xProj[xo + 2 * U + u]! + r * rec[2 * U + u]!;
            const hh = act(ph);
            hNew[u] = z * h[hOff + u]! + (1 - z) * hh;
            if (cache) {
              cache.inner[co + u] = rec[2 * U + u]!;
              cache.preH[co + u] = ph;
              cache.hh[co + u] = hh;
            }
          } else {
            rh[u] = r * h[hOff + u]!;
          }
          if (cache) {
            cache.preZ[co + u] = pz;
            cache.preR[co + u] = pr;
            cache.z[co + u] = z;
            cache.r[co + u] = r;
            cache.hPrev[co + u] = h[hOff + u]!;
          }
        }
        if (!resetAfter) {
          for (let u = 0; u < U; u++) {
            let acc = 0;
            for (let p = 0; p < U; p++) acc += rh[p]! * rk[p * G + 2 * U + u]!;
            const ph = xProj[xo + 2 * U + u]! + acc;
            const hh = act(ph);
            const z = zs[u]!;
            hNew[u] = z * h[hOff + u]! + (1 - z) * hh;
            if (cache) {
              cache.inner[co + u] = rh[u]!;
              cache.preH[co + u] = ph;
              cache.hh[co + u] = hh;
            }
          }
        }
        for (let u = 0; u < U; u++) {
          h[hOff + u] = hNew[u]!;
          prevOut[hOff + u] = h[hOff + u]!;
        }
      } else if (zeroOutputForMask) {
        prevOut.fill(0, hOff, hOff + U);
      }
      if (outputs !== null) {
        const oo = (b * T + s) * U;
        for (let u = 0; u < U; u++) outputs[oo + u] = prevOut[hOff + u]!;
      }
    }
  }
  return { outputs, lastOutput: prevOut, state: h, cache };
}

/**
 * Backpropagation through time. Walks the steps in reverse processing order carrying dh (the gradient of the
 * state) and dOut (the gradient of the previous output, which a masked step repeats), collects the gradient
 * of the input projection for every step, and finishes with two GEMMs for dx and dKernel.
 */
export function gruSequenceBackward(args: GruBackwardArgs): GruGradients {
  const f = args.forward;
  const cache = args.cache as ReferenceGruCache;
  if (cache.backend !== 'reference' || !(cache.hPrev instanceof Float64Array)) {
    throw new Error('gruSequenceBackward: the cache was not made by the reference backend with saveForBackward');
  }
  const {
    batch: B,
    steps: T,
    inputDim: I,
    units: U,
    x,
    kernel,
    recurrentKernel: rk,
    mask,
    resetAfter,
    goBackwards,
  } = f;
  const G = 3 * U;
  const dact = f.activation.df;
  const dract = f.recurrentActivation.df;

  const dxProj = new Float64Array(B * T * G);
  const dRk = new Float64Array(U * G);
  const dRecBias = resetAfter && f.recurrentBias !== null ? new Float64Array(G) : null;
  const dh = new Float64Array(B * U);
  const dOut = new Float64Array(B * U);
  if (args.dState) for (let i = 0; i < B * U; i++) dh[i] = args.dState[i]!;
  if (args.dLastOutput) for (let i = 0; i < B * U; i++) dOut[i] = args.dLastOutput[i]!;
  const dRec = new Float64Array(G);
  const dInner = new Float64Array(U);

  for (let s = T - 1; s >= 0; s--) {
    const t = goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const hOff = b * U;
      if (args.dOutputs) {
        const oo = (b * T + s) * U;
        for (let u = 0; u < U; u++) dOut[hOff + u]! += args.dOutputs[oo + u]!;
      }
      const keep = mask === null || mask[b * T + t] !== 0;
      if (!keep) {
        // The state passes through unchanged; the output repeats the previous one (or is a constant zero).
        if (f.zeroOutputForMask) dOut.fill(0, hOff, hOff + U);
        continue;
      }
      const co = (s * B + b) * U;
      const xo = (b * T + t) * G;
      // This step's output is its new state: both gradients meet here.
      dRec.fill(0);
      for (let u = 0; u < U; u++) {
        const g = dh[hOff + u]! + dOut[hOff + u]!;
        const z = cache.z[co + u]!;
        const hh = cache.hh[co + u]!;
        const hp = cache.hPrev[co + u]!;
        const dAz = g * (hp - hh) * dract(cache.preZ[co + u]!, z);
        const dAh = g * (1 - z) * dact(cache.preH[co + u]!, hh);
        dh[hOff + u] = g * z; // direct path h → h'
        dOut[hOff + u] = 0;
        dxProj[xo + u] = dAz;
        dxProj[xo + 2 * U + u] = dAh;
        dRec[u] = dAz;
        if (resetAfter) {
          const r = cache.r[co + u]!;
          const dr = dAh * cache.inner[co + u]!;
          const dAr = dr * dract(cache.preR[co + u]!, r);
          dxProj[xo + U + u] = dAr;
          dRec[U + u] = dAr;
          dRec[2 * U + u] = dAh * r;
        } else {
          dInner[u] = 0;
        }
      }
      if (!resetAfter) {
        // ĥ's pre-activation has (r ⊙ h)·Uh: d(r ⊙ h) = dAh·Uhᵀ, dUh += (r ⊙ h)ᵀ·dAh.
        for (let p = 0; p < U; p++) {
          let acc = 0;
          const ro = p * G + 2 * U;
          for (let u = 0; u < U; u++) acc += dxProj[xo + 2 * U + u]! * rk[ro + u]!;
          dInner[p] = acc;
          const rhp = cache.inner[co + p]!;
          for (let u = 0; u < U; u++) dRk[ro + u]! += rhp * dxProj[xo + 2 * U + u]!;
        }
        for (let u = 0; u < U; u++) {
          const r = cache.r[co + u]!;
          const hp = cache.hPrev[co + u]!;
          const dAr = dInner[u]! * hp * dract(cache.preR[co + u]!, r);
          dxProj[xo + U + u] = dAr;
          dRec[U + u] = dAr;
          dh[hOff + u]! += dInner[u]! * r;
        }
      }
      // rec = h·U[:, cols] (+ b'): dh += dRec·U[:, cols]ᵀ, dU[:, cols] += hᵀ·dRec.
      const cols = resetAfter ? G : 2 * U;
      for (let p = 0; p < U; p++) {
        const ro = p * G;
        const hp = cache.hPrev[co + p]!;
        let acc = 0;
        for (let j = 0; j < cols; j++) {
          acc += dRec[j]! * rk[ro + j]!;
          dRk[ro + j]! += hp * dRec[j]!;
        }
        dh[hOff + p]! += acc;
      }
      if (dRecBias !== null) for (let j = 0; j < G; j++) dRecBias[j]! += dRec[j]!;
    }
  }

  // dx = dxProj · Wᵀ, dW = xᵀ · dxProj, dInputBias = column sums of dxProj.
  const dxProjTyped = like(x, B * T * G);
  dxProjTyped.set(dxProj);
  const dx = like(x, B * T * I);
  matMul({ a: dxProjTyped, b: kernel, out: dx, m: B * T, k: G, n: I, transposeA: false, transposeB: true });
  const dKernel = like(x, I * G);
  matMul({ a: x, b: dxProjTyped, out: dKernel, m: I, k: B * T, n: G, transposeA: true, transposeB: false });
  let dInputBias: FloatArray | null = null;
  if (f.inputBias !== null) {
    const acc = new Float64Array(G);
    for (let row = 0; row < B * T; row++) for (let j = 0; j < G; j++) acc[j]! += dxProj[row * G + j]!;
    dInputBias = like(x, G);
    dInputBias.set(acc);
  }
  const dRecurrentKernel = like(x, U * G);
  dRecurrentKernel.set(dRk);
  let dRecurrentBias: FloatArray | null = null;
  if (dRecBias !== null) {
    dRecurrentBias = like(x, G);
    dRecurrentBias.set(dRecBias);
  }
  const dh0 = like(x, B * U);
  dh0.set(dh);
  return { dx, dKernel, dRecurrentKernel, dInputBias, dRecurrentBias, dh0 };
}
