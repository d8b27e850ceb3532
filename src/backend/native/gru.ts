/**
 * Host side of the native GRU kernels (native/gru_forward.cc, native/gru_backward.cc): checks that a call is
 * one they take (float32 buffers, activations they implement, sizes they index), allocates the results and
 * hands every buffer to the addon in place. Returns null for anything else, and the backend delegates that
 * call. Semantics and layouts: `GruSequenceArgs` (backend.ts); the twin that defines them:
 * src/backend/reference/gru.ts.
 */
import type { GruBackwardArgs, GruCache, GruGradients, GruSequenceArgs, GruSequenceResult } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import { activationKind } from '../wasm/activations.js';
import type { NativeAddon } from './addon.js';
import { rowBounds } from './split.js';
import { INPUT_KERNEL, INPUT_KERNEL_T, RECURRENT_H, RECURRENT_T, RECURRENT_ZR, type PackedWeights } from './weights.js';

const RESET_AFTER = 1;
const GO_BACKWARDS = 2;
const RETURN_SEQUENCES = 4;
const ZERO_OUTPUT_FOR_MASK = 8;
const SAVE = 16;
/** The kernels index with 32-bit ints (native/napi.cc refuses larger calls). */
const LIMIT = 2 ** 31;

/** What a native forward call keeps for backward: five [T, B, U] arrays (hPrev, z, r, ĥ, inner). */
export class NativeGruCache implements GruCache {
  readonly backend = 'native';
  constructor(readonly data: Float32Array) {}
}

export interface NativeState {
  readonly addon: NativeAddon;
  readonly weights: PackedWeights;
  readonly maxThreads: number;
}

const isF32 = (a: FloatArray | null): boolean => a === null || a instanceof Float32Array;

function ints(args: GruSequenceArgs): Int32Array | null {
  const { x, kernel, recurrentKernel, inputBias, recurrentBias, h0, batch: B, steps: T, inputDim: I, units: U } = args;
  if (![x, kernel, recurrentKernel, inputBias, recurrentBias, h0].every(isF32)) return null;
  if (B <= 0 || T <= 0 || I <= 0 || U <= 0) return null;
  if (B * T * Math.max(I, 3 * U) >= LIMIT || 5 * B * T * U >= LIMIT || 3 * U * U >= LIMIT) return null;
  const act = activationKind(args.activation);
  const ract = activationKind(args.recurrentActivation);
  if (act < 0 || ract < 0) return null;
  const flags =
    (args.resetAfter ? RESET_AFTER : 0) |
    (args.goBackwards ? GO_BACKWARDS : 0) |
    (args.returnSequences ? RETURN_SEQUENCES : 0) |
    (args.zeroOutputForMask ? ZERO_OUTPUT_FOR_MASK : 0) |
    (args.saveForBackward === true ? SAVE : 0);
  return Int32Array.of(B, T, I, U, flags, act, ract);
}

export function gruSequence(s: NativeState, args: GruSequenceArgs): GruSequenceResult | null {
  const dims = ints(args);
  if (dims === null) return null;
  const { batch: B, steps: T, inputDim: I, units: U } = args;
  const kernel = args.kernel as Float32Array;
  const rk = args.recurrentKernel as Float32Array;
  const save = args.saveForBackward === true;
  const outputs = args.returnSequences ? new Float32Array(B * T * U) : null;
  const lastOutput = new Float32Array(B * U);
  const state = new Float32Array(B * U);
  const cache = save ? new NativeGruCache(new Float32Array(5 * T * B * U)) : null;
  s.addon.gruForward(
    dims,
    rowBounds(B, 6 * T * U * (I + U), s.maxThreads),
    args.x as Float32Array,
    s.weights.get(kernel, INPUT_KERNEL, U, I),
    s.weights.get(rk, RECURRENT_ZR, U, U),
    s.weights.get(rk, RECURRENT_H, U, U),
    args.inputBias as Float32Array | null,
    args.resetAfter ? (args.recurrentBias as Float32Array | null) : null,
    args.h0 as Float32Array,
    args.mask,
    outputs,
    lastOutput,
    state,
    cache === null ? null : cache.data,
  );
  return { outputs, lastOutput, state, cache };
}

const asF32 = (a: FloatArray | null): Float32Array | null =>
  a === null ? null : a instanceof Float32Array ? a : Float32Array.from(a);

export function gruSequenceBackward(s: NativeState, args: GruBackwardArgs): GruGradients | null {
  const f = args.forward;
  const dims = ints(f);
  if (dims === null || !(args.cache instanceof NativeGruCache)) return null;
  const { batch: B, steps: T, inputDim: I, units: U, resetAfter } = f;
  const G = 3 * U;
  const hasBias = f.inputBias !== null;
  const hasRBias = resetAfter && f.recurrentBias !== null;
  const grads: GruGradients = {
    dx: new Float32Array(B * T * I),
    dKernel: new Float32Array(I * G),
    dRecurrentKernel: new Float32Array(U * G),
    dInputBias: hasBias ? new Float32Array(G) : null,
    dRecurrentBias: hasRBias ? new Float32Array(G) : null,
    dh0: new Float32Array(B * U),
  };
  s.addon.gruBackward(
    dims,
    rowBounds(B, 10 * T * U * (I + U), s.maxThreads),
    f.x as Float32Array,
    args.cache.data,
    s.weights.get(f.recurrentKernel as Float32Array, RECURRENT_T, U, U),
    s.weights.get(f.kernel as Float32Array, INPUT_KERNEL_T, U, I),
    f.mask,
    asF32(args.dOutputs),
    asF32(args.dLastOutput),
    asF32(args.dState),
    grads.dh0 as Float32Array,
    new Float32Array(B * T * G), // dxProj and dRecAll: zero where a step is masked
    new Float32Array(B * T * G),
    grads.dx as Float32Array,
    grads.dKernel as Float32Array,
    grads.dRecurrentKernel as Float32Array,
    grads.dInputBias as Float32Array | null,
    grads.dRecurrentBias as Float32Array | null,
  );
  return grads;
}
