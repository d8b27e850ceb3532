/**
 * Host side of the WASM GRU kernels: checks that a call is one the kernels take (float32 buffers, native
 * activations), lays out the call's memory, copies inputs in and results out. Returns null for anything else,
 * and the backend delegates that call to the reference kernels. Semantics and layouts: `GruSequenceArgs`
 * (backend.ts); the reference twin is src/backend/reference/gru.ts.
 */
import type { GruBackwardArgs, GruCache, GruGradients, GruSequenceArgs, GruSequenceResult } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import { activationKind } from './activations.js';
import type { CacheBlock } from './cache.js';
import type { WasmState } from './state.js';
import * as params from './params.js';
import { Plan } from './memory.js';
import { rowBounds, runRows, share } from './split.js';
import type { Packing } from './weights.js';

// Module-local copies: the kernels' slot numbers are read on every call.
const { F, FLAG, K, P, roundUp8 } = params;

/** The cache of a WASM forward call: per step s and row b, at [(s·B + b)·Up], five [T, B, Up] arrays. */
export class WasmGruCache implements GruCache {
  readonly backend = 'wasm';
  /** Set right after construction (the block's lifetime is tied to this object). */
  block!: CacheBlock;
}

const isF32 = (a: FloatArray | null): boolean => a === null || a instanceof Float32Array;

function supported(args: GruSequenceArgs): { act: number; ract: number } | null {
  const { x, kernel, recurrentKernel, inputBias, recurrentBias, h0 } = args;
  if (
    !isF32(x) ||
    !isF32(kernel) ||
    !isF32(recurrentKernel) ||
    !isF32(inputBias) ||
    !isF32(recurrentBias) ||
    !isF32(h0)
  ) {
    return null;
  }
  if (args.batch <= 0 || args.steps <= 0 || args.inputDim <= 0 || args.units <= 0) return null;
  const act = activationKind(args.activation);
  const ract = activationKind(args.recurrentActivation);
  if (act < 0 || ract < 0) return null;
  return { act, ract };
}

interface Packed {
  W: number;
  R: number;
  bias: number;
  rbias: number;
}

/** w [K, 3U] → its gate blocks as B panels, each widened to Up columns. */
const GATED: Packing = {
  name: 'gru.gated',
  bytes: (K, U) => 4 * K * 3 * roundUp8(U),
  pack: (x, src, dst, K, U) => x.packGated(src, K, U, dst),
};
/** w [K, 3U] → wᵀ as B panels of a [G, K] matrix (gate-padded rows). */
const GATED_T: Packing = {
  name: 'gru.gatedT',
  bytes: (K, U) => 4 * roundUp8(K) * 3 * roundUp8(U),
  pack: (x, src, dst, K, U) => x.packGatedTransposed(src, K, U, dst),
};
/** bias [3U] → [G] with zeros in the padding. */
const BIAS: Packing = {
  name: 'gru.bias',
  bytes: (_K, U) => 4 * 3 * roundUp8(U),
  pack: (x, src, dst, _K, U) => x.padGates(src, U, dst),
};

function forwardWeights(s: WasmState, args: GruSequenceArgs): Packed {
  const { inputDim: I, units: U } = args;
  const w = s.weights;
  const bias = args.inputBias === null ? 0 : w.get(args.inputBias as Float32Array, BIAS, 1, U);
  const rbias =
    args.resetAfter && args.recurrentBias !== null ? w.get(args.recurrentBias as Float32Array, BIAS, 1, U) : 0;
  return {
    W: w.get(args.kernel as Float32Array, GATED, I, U),
    R: w.get(args.recurrentKernel as Float32Array, GATED, U, U),
    bias,
    rbias,
  };
}

/** Rows of a [rows, Up·gates] gate-padded region at ptr, unpadded to [rows, U·gates]. */
function unpad(f32: Float32Array, ptr: number, rows: number, U: number, gates: number): Float32Array {
  const Up = roundUp8(U);
  const base = ptr >> 2;
  if (Up === U) return f32.slice(base, base + rows * gates * U);
  const out = new Float32Array(rows * gates * U);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < gates; g++) {
      const from = base + (r * gates + g) * Up;
      const to = (r * gates + g) * U;
      for (let u = 0; u < U; u++) out[to + u] = f32[from + u]!;
    }
  }
  return out;
}

function flags(args: GruSequenceArgs): number {
  return (
    (args.resetAfter ? FLAG.RESET_AFTER : 0) |
    (args.goBackwards ? FLAG.GO_BACKWARDS : 0) |
    (args.returnSequences ? FLAG.RETURN_SEQUENCES : 0) |
    (args.zeroOutputForMask ? FLAG.ZERO_OUTPUT_FOR_MASK : 0) |
    (args.saveForBackward === true ? FLAG.SAVE : 0)
  );
}

function setCommon(i32: Int32Array, p: number, args: GruSequenceArgs, act: number, ract: number): void {
  i32[p + P.B] = args.batch;
  i32[p + P.T] = args.steps;
  i32[p + P.I] = args.inputDim;
  i32[p + P.U] = args.units;
  i32[p + P.B0] = 0;
  i32[p + P.B1] = args.batch;
  i32[p + P.FLAGS] = flags(args);
  i32[p + P.ACT] = act;
  i32[p + P.RACT] = ract;
}

export function gruSequence(s: WasmState, args: GruSequenceArgs): GruSequenceResult | null {
  const kinds = supported(args);
  if (kinds === null) return null;
  const { batch: B, steps: T, inputDim: I, units: U, returnSequences } = args;
  const Up = roundUp8(U);
  const G = 3 * Up;
  const save = args.saveForBackward === true;
  const k = s.k;

  s.weights.beginCall();
  const w = forwardWeights(s, args);
  // Batch rows split between threads: each range runs its whole sequence (input projection, recurrence).
  const bounds = rowBounds(s, B, T, 2 * T * G * (I + U));
  const threads = bounds.length - 1;
  let cache: WasmGruCache | null = null;
  let cachePtr = 0;
  const cacheFloats = T * B * Up;
  if (save) {
    cache = new WasmGruCache();
    cache.block = s.caches.create(cache, 5 * 4 * cacheFloats);
    cachePtr = cache.block.ptr;
  }
  const plan = new Plan();
  const oX = plan.floats(B * T * I);
  const oH0 = plan.floats(B * U);
  const oMask = plan.reserve(args.mask === null ? 0 : B * T);
  const oXProj = plan.floats(B * T * G);
  const oRec = plan.floats(B * G);
  const oH = plan.floats(B * Up);
  const oPrev = plan.floats(B * Up);
  const oTmp = plan.floats(B * Up);
  const oOut = plan.floats(returnSequences ? B * T * U : 0);
  const oApack = plan.reserve(k.gemmScratchBytes * threads);
  const base = s.ws.place(plan);

  const f32 = k.f32;
  f32.set(args.x, (base + oX) >> 2);
  f32.set(args.h0, (base + oH0) >> 2);
  if (args.mask !== null) k.u8.set(args.mask, base + oMask);
  const i32 = k.i32;
  const p = s.ws.params >> 2;
  setCommon(i32, p, args, kinds.act, kinds.ract);
  i32[p + F.X] = base + oX;
  i32[p + F.W] = w.W;
  i32[p + F.R] = w.R;
  i32[p + F.BIAS] = w.bias;
  i32[p + F.RBIAS] = w.rbias;
  i32[p + F.H0] = base + oH0;
  i32[p + F.MASK] = args.mask === null ? 0 : base + oMask;
  i32[p + F.XPROJ] = base + oXProj;
  i32[p + F.REC] = base + oRec;
  i32[p + F.H] = base + oH;
  i32[p + F.PREV] = base + oPrev;
  i32[p + F.TMP] = base + oTmp;
  i32[p + F.OUT] = returnSequences ? base + oOut : 0;
  for (let j = 0; j < 5; j++) i32[p + F.C_HPREV + j] = save ? cachePtr + 4 * j * cacheFloats : 0;
  i32[p + F.APACK] = base + oApack;
  runRows(s, 'gruForward', bounds, F.APACK, base + oApack, k.gemmScratchBytes);

  const view = k.f32;
  const outputs = returnSequences ? view.slice((base + oOut) >> 2, ((base + oOut) >> 2) + B * T * U) : null;
  return {
    outputs,
    lastOutput: unpad(view, base + oPrev, B, U, 1),
    state: unpad(view, base + oH, B, U, 1),
    cache,
  };
}

const asF32 = (a: FloatArray | null): Float32Array | null =>
  a === null ? null : a instanceof Float32Array ? a : Float32Array.from(a);

export function gruSequenceBackward(s: WasmState, args: GruBackwardArgs): GruGradients | null {
  const f = args.forward;
  const kinds = supported(f);
  if (kinds === null) return null;
  const cache = args.cache as WasmGruCache;
  const { batch: B, steps: T, inputDim: I, units: U, resetAfter } = f;
  const Up = roundUp8(U);
  const G = 3 * Up;
  const BT = B * T;
  const k = s.k;

  // The forward block, or (released after an earlier backward call, or to bound memory) a recomputed one.
  let block = cache.block;
  if (block.ptr === 0) {
    const again = gruSequence(s, { ...f, saveForBackward: true });
    if (again === null || again.cache === null) return null;
    block = (again.cache as WasmGruCache).block;
  }
  const cachePtr = block.ptr;
  s.weights.beginCall();
  const bounds = rowBounds(s, B, T, 2 * T * G * Up);
  const threads = bounds.length - 1;
  const WT = s.weights.get(f.kernel as Float32Array, GATED_T, I, U);
  const RT = s.weights.get(f.recurrentKernel as Float32Array, GATED_T, U, U);
  const cacheFloats = T * B * Up;
  const hasBias = f.inputBias !== null;
  const hasRBias = resetAfter && f.recurrentBias !== null;
  const dOutputs = asF32(args.dOutputs);
  const dLast = asF32(args.dLastOutput);
  const dState = asF32(args.dState);

  const plan = new Plan();
  const oX = plan.floats(BT * I);
  const oMask = plan.reserve(f.mask === null ? 0 : BT);
  const oDOutputs = plan.floats(dOutputs === null ? 0 : BT * U);
  const oDLast = plan.floats(dLast === null ? 0 : B * U);
  const oDState = plan.floats(dState === null ? 0 : B * U);
  const oDh = plan.floats(B * Up);
  const oDOut = plan.floats(B * Up);
  const oDInner = plan.floats(B * Up);
  const oDRec = plan.floats(B * G);
  const oDxProj = plan.floats(BT * G);
  const oDRecAll = plan.floats(BT * G);
  const oApack = plan.reserve(k.gemmScratchBytes * threads);
  const oBpack = plan.floats(BT * G);
  const oDx = plan.floats(BT * I);
  const oDKernel = plan.floats(I * G);
  const oDRk = plan.floats(U * G);
  const oDBias = plan.floats(G);
  const oDRBias = plan.floats(G);
  const base = s.ws.place(plan);

  const f32 = k.f32;
  f32.set(f.x, (base + oX) >> 2);
  if (f.mask !== null) k.u8.set(f.mask, base + oMask);
  if (dOutputs !== null) f32.set(dOutputs, (base + oDOutputs) >> 2);
  if (dLast !== null) f32.set(dLast, (base + oDLast) >> 2);
  if (dState !== null) f32.set(dState, (base + oDState) >> 2);
  const i32 = k.i32;
  const p = s.ws.params >> 2;
  setCommon(i32, p, f, kinds.act, kinds.ract);
  i32[p + K.X] = base + oX;
  i32[p + K.WT] = WT;
  i32[p + K.RT] = RT;
  i32[p + K.MASK] = f.mask === null ? 0 : base + oMask;
  i32[p + K.DOUTPUTS] = dOutputs === null ? 0 : base + oDOutputs;
  i32[p + K.DLAST] = dLast === null ? 0 : base + oDLast;
  i32[p + K.DSTATE] = dState === null ? 0 : base + oDState;
  for (let j = 0; j < 5; j++) i32[p + K.C_HPREV + j] = cachePtr + 4 * j * cacheFloats;
  i32[p + K.DH] = base + oDh;
  i32[p + K.DOUT] = base + oDOut;
  i32[p + K.DREC] = base + oDRec;
  i32[p + K.DINNER] = base + oDInner;
  i32[p + K.DXPROJ] = base + oDxProj;
  i32[p + K.DRECALL] = base + oDRecAll;
  i32[p + K.APACK] = base + oApack;
  i32[p + K.BPACK] = base + oBpack;
  i32[p + K.DX] = base + oDx;
  i32[p + K.DKERNEL] = base + oDKernel;
  i32[p + K.DRK] = base + oDRk;
  i32[p + K.DBIAS] = hasBias ? base + oDBias : 0;
  i32[p + K.DRBIAS] = hasRBias ? base + oDRBias : 0;
  const panels = G >> 3;
  i32[p + K.C0] = 0;
  i32[p + K.C1] = panels;
  // BPTT for each thread's rows; then, once every row is done, dx for the same rows and the weight gradients
  // for a range of gate columns each.
  runRows(s, 'gruBackwardSteps', bounds, K.APACK, base + oApack, k.gemmScratchBytes);
  runRows(s, 'gruBackwardWeights', bounds, K.APACK, base + oApack, k.gemmScratchBytes, (i32, q, i, n) => {
    i32[q + K.C0] = share(panels, i, n);
    i32[q + K.C1] = share(panels, i + 1, n);
  });
  s.caches.release(block); // a second backward call over this cache recomputes it

  const view = k.f32;
  return {
    dx: view.slice((base + oDx) >> 2, ((base + oDx) >> 2) + BT * I),
    dKernel: unpad(view, base + oDKernel, I, U, 3),
    dRecurrentKernel: unpad(view, base + oDRk, U, U, 3),
    dInputBias: hasBias ? unpad(view, base + oDBias, 1, U, 3) : null,
    dRecurrentBias: hasRBias ? unpad(view, base + oDRBias, 1, U, 3) : null,
    dh0: unpad(view, base + oDh, B, U, 1),
  };
}
