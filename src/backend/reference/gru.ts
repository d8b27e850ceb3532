/**
 * Reference GRU sequence kernel: the definition every faster kernel is tested against.
 * Layouts are in `GruSequenceArgs` (backend.ts). Sums are accumulated in float64 and rounded to the storage
 * dtype (that of `x`) when stored, as TensorFlow's float32 kernels round once per op.
 */
import type { GruSequenceArgs, GruSequenceResult } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import { matMul } from './matmul.js';

function like(a: FloatArray, size: number): FloatArray {
  return a instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
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

  const h = like(x, B * U);
  h.set(args.h0);
  const prevOut = like(x, B * U); // Keras: the output "before" step 0 is zeros
  const outputs = returnSequences ? like(x, B * T * U) : null;
  const rec = new Float64Array(G); // h·U (+ recurrent bias) for one row
  const rh = new Float64Array(U); // r ⊙ h (resetAfter=false)
  const hNew = new Float64Array(U);

  for (let s = 0; s < T; s++) {
    const t = goBackwards ? T - 1 - s : s;
    for (let b = 0; b < B; b++) {
      const hOff = b * U;
      const keep = mask === null || mask[b * T + t] !== 0;
      if (keep) {
        const xo = (b * T + t) * G;
        // rec[0:2U] = h·U[:, z|r]; with resetAfter also rec[2U:3U] = h·U[:, h] + recurrent bias.
        const cols = resetAfter ? G : 2 * U;
        rec.fill(0);
        for (let p = 0; p < U; p++) {
          const hv = h[hOff + p]!;
          const ro = p * G;
          for (let j = 0; j < cols; j++) rec[j]! += hv * rk[ro + j]!;
        }
        if (resetAfter && recurrentBias !== null) for (let j = 0; j < G; j++) rec[j]! += recurrentBias[j]!;
        if (resetAfter) {
          for (let u = 0; u < U; u++) {
            const z = ract(xProj[xo + u]! + rec[u]!);
            const r = ract(xProj[xo + U + u]! + rec[U + u]!);
            const hh = act(xProj[xo + 2 * U + u]! + r * rec[2 * U + u]!);
            hNew[u] = z * h[hOff + u]! + (1 - z) * hh;
          }
        } else {
          const zs = hNew; // reuse as storage for z until ĥ is known
          for (let u = 0; u < U; u++) {
            zs[u] = ract(xProj[xo + u]! + rec[u]!);
            rh[u] = ract(xProj[xo + U + u]! + rec[U + u]!) * h[hOff + u]!;
          }
          for (let u = 0; u < U; u++) {
            let acc = 0;
            for (let p = 0; p < U; p++) acc += rh[p]! * rk[p * G + 2 * U + u]!;
            const hh = act(xProj[xo + 2 * U + u]! + acc);
            const z = zs[u]!;
            hNew[u] = z * h[hOff + u]! + (1 - z) * hh;
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
  return { outputs, lastOutput: prevOut, state: h };
}
