/**
 * One layer call in ONNX: its outputs, and their masks as Keras's `compute_mask` gives them. Masks are bool
 * [B,T] values; layers that support masking pass theirs on, Embedding(maskZero) and Masking make one, the
 * recurrent layers consume it (see recurrent.ts).
 */
import { Bidirectional } from '../layers/bidirectional.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Embedding } from '../layers/embedding.js';
import { GaussianDropout, GaussianNoise } from '../layers/noise.js';
import { GRUCell } from '../layers/gru-cell.js';
import type { Layer, Shape } from '../layers/layer.js';
import { Masking } from '../layers/masking.js';
import { RNN } from '../layers/rnn.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import { requireActivation } from './activations.js';
import { describeLayer, float32, weightValues } from './common.js';
import { int, type GraphBuilder } from './builder.js';
import { UnsupportedLayerError } from './errors.js';
import type { OnnxDType } from './proto.js';
import { emitAttention, isAttentionLayer } from './attention.js';
import { emitWindowLayer, isWindowLayer } from './convolution.js';
import { emitMerge, isMergeLayer } from './merge.js';
import { emitNormalization, isNormalizationLayer } from './normalization.js';
import { emitReshaping, isReshapingLayer } from './reshaping.js';
import { canShareNode, emitGRUNode, type GRULayer, type GRURun } from './recurrent.js';

/** A value of the graph with what Keras knows of it: dtype, shape (batch first, null = any) and mask. */
export interface OnnxTensor {
  name: string;
  dtype: OnnxDType;
  shape: Shape;
  /** bool [B,T], or null. */
  mask: string | null;
}

export interface LayerCall {
  inputs: readonly OnnxTensor[];
  /** The mask the layer receives: the one passed explicitly, else the first input's. */
  mask: string | null;
  /** Initial states of a recurrent layer, one [B,U] each; null for zeros. */
  initialState: readonly OnnxTensor[] | null;
  /** Whether `mask` was passed explicitly rather than carried by the first input. */
  explicitMask: boolean;
  /** The layer's own call options the call recorded (Attention's useCausalMask, ...). */
  options: Readonly<Record<string, unknown>>;
}

function outputShapes(layer: Layer, inputs: readonly OnnxTensor[]): Shape[] {
  const out = layer.computeOutputShape(inputs.length === 1 ? [...inputs[0]!.shape] : inputs.map((t) => [...t.shape]));
  return out.length > 0 && Array.isArray(out[0]) ? (out as Shape[]) : [out as Shape];
}

function refuse(layer: Layer, reason: string): never {
  throw new UnsupportedLayerError({ layer: describeLayer(layer), reason });
}

/** The weights are float32 and the layer computes in float32 (the exported graph is float32). */
function checkFloat32(layer: Layer): void {
  if (layer.dtype !== 'float32') refuse(layer, `its dtype is ${layer.dtype}; the exported graph computes in float32`);
}

/** x·kernel + bias, then the activation: Keras's Dense on the last axis of x (any rank ≥ 2). */
function emitDense(g: GraphBuilder, layer: Dense, x: string, owner: string): string {
  checkFloat32(layer);
  const kernel = g.weight(layer.kernel!, `${layer.name}/kernel`, () => weightValues(layer.kernel!));
  let y = g.op('MatMul', [x, kernel]);
  if (layer.bias !== null)
    y = g.op('Add', [y, g.weight(layer.bias, `${layer.name}/bias`, () => weightValues(layer.bias!))]);
  return requireActivation(g, y, layer.activation, owner);
}

/** A GRU, or an RNN around a GRUCell: what the ONNX GRU operator computes. */
function checkRecurrent(layer: RNN, owner: string): GRULayer {
  const cell: unknown = layer.cell;
  if (!(cell instanceof GRUCell)) {
    throw new UnsupportedLayerError({
      layer: owner,
      reason: `${describeLayer(layer)} does not run a GRUCell; only GRU layers are exported`,
    });
  }
  checkFloat32(layer);
  checkFloat32(cell);
  if (layer.stateful) {
    throw new UnsupportedLayerError({
      layer: owner,
      reason:
        'a stateful GRU carries its state from one call to the next, which an ONNX graph cannot hold; export a copy with stateful: false',
    });
  }
  if (!layer.built || cell.kernel === null) refuse(layer, 'the layer is not built');
  return { layer, cell };
}

/** Keras's output of a recurrent layer from what its GRU computed: a sequence in processing order, or the last. */
function layerOutput(g: GraphBuilder, layer: RNN, run: GRURun): string {
  if (!layer.returnSequences) return run.last;
  return layer.goBackwards ? g.reverse(run.timeOrdered!, 1) : run.timeOrdered!;
}

function emitRecurrent(g: GraphBuilder, layer: RNN, call: LayerCall): string[] {
  const owner = describeLayer(layer);
  const gru = checkRecurrent(layer, owner);
  const x = float32(g, call.inputs[0]!);
  const states = call.initialState?.map((s) => float32(g, s)) ?? null;
  const [run] = emitGRUNode(g, [gru], { x, mask: call.mask }, states, owner);
  const output = layerOutput(g, layer, run!);
  return layer.returnState ? [output, run!.state] : [output];
}

function emitBidirectional(g: GraphBuilder, layer: Bidirectional, call: LayerCall): string[] {
  const owner = describeLayer(layer);
  checkFloat32(layer);
  const f = checkRecurrent(layer.forwardLayer, owner);
  const b = checkRecurrent(layer.backwardLayer, owner);
  const x = float32(g, call.inputs[0]!);
  const input = { x, mask: call.mask };
  const states = call.initialState?.map((s) => float32(g, s)) ?? null;
  const runs = canShareNode(f, b)
    ? emitGRUNode(g, [f, b], input, states, owner)
    : [
        emitGRUNode(g, [f], input, states === null ? null : [states[0]!], owner)[0]!,
        emitGRUNode(g, [b], input, states === null ? null : [states[1]!], owner)[0]!,
      ];
  const [rf, rb] = runs as [GRURun, GRURun];
  const yf = layerOutput(g, f.layer, rf);
  // The backward output is flipped back into time order (sequences only), as Keras does.
  const yb = !layer.returnSequences ? rb.last : b.layer.goBackwards ? rb.timeOrdered! : g.reverse(rb.timeOrdered!, 1);
  let merged: string[];
  switch (layer.mergeMode) {
    case 'concat':
      merged = [g.op('Concat', [yf, yb], { axis: int(-1) })];
      break;
    case 'sum':
      merged = [g.op('Add', [yf, yb])];
      break;
    case 'mul':
      merged = [g.op('Mul', [yf, yb])];
      break;
    case 'ave':
      merged = [g.op('Div', [g.op('Add', [yf, yb]), g.scalar(2)])];
      break;
    case null:
      merged = [yf, yb];
      break;
  }
  return layer.returnState ? [...merged, rf.state, rb.state] : merged;
}

function emitEmbedding(g: GraphBuilder, layer: Embedding, ids: OnnxTensor): { output: string; mask: string | null } {
  checkFloat32(layer);
  // Keras casts other dtypes to int32 (truncating); int32 and int64 ids index directly.
  const index = ids.dtype === 'int32' || ids.dtype === 'int64' ? ids.name : g.cast(ids.name, 'int32');
  const indexType = ids.dtype === 'int64' ? 'int64' : 'int32';
  const table = g.weight(layer.embeddings!, `${layer.name}/embeddings`, () => weightValues(layer.embeddings!));
  const output = g.op('Gather', [table, index], { axis: int(0) });
  const mask = layer.maskZero
    ? g.op('Not', [g.op('Equal', [index, g.constant(indexType, [], [0])])], {}, 'mask')
    : null;
  return { output, mask };
}

function emitMasking(g: GraphBuilder, layer: Masking, input: OnnxTensor): { output: string; mask: string } {
  const x = float32(g, input);
  // keep[b,t] = any_f(x[b,t,f] ≠ maskValue); output = x ⊙ keep
  const differs = g.op('Not', [g.op('Equal', [x, g.scalar(layer.maskValue)])]);
  const keep = g.op(
    'ReduceMax',
    [g.cast(differs, 'float32')],
    { axes: { kind: 'ints', value: [-1] }, keepdims: int(1) },
    'keep',
  );
  const output = g.op('Mul', [x, keep]);
  const mask = g.cast(g.squeeze(keep, [-1]), 'bool');
  return { output, mask };
}

/** Layers applied row by row on the last axis, which TimeDistributed may wrap: Dense and Dropout. */
function emitTimeDistributed(g: GraphBuilder, layer: TimeDistributed, input: OnnxTensor): string {
  const inner = layer.layer;
  if (inner instanceof Dense) return emitDense(g, inner, float32(g, input), describeLayer(layer));
  if (inner instanceof Dropout) return input.name;
  return refuse(layer, `it wraps ${describeLayer(inner)}; TimeDistributed is exported around Dense and Dropout only`);
}

/**
 * Translates one call of `layer` (not a model: see export.ts). Returns its outputs with their masks.
 */
export function emitLayer(g: GraphBuilder, layer: Layer, call: LayerCall): OnnxTensor[] {
  const input = call.inputs[0]!;
  if (isMergeLayer(layer)) return g.inScope(layer.name, () => [emitMerge(g, layer, call.inputs)]);
  if (isAttentionLayer(layer)) return g.inScope(layer.name, () => [emitAttention(g, layer, call)]);
  if (call.inputs.length !== 1)
    refuse(layer, `it is called on ${call.inputs.length} tensors; the exported layers take one`);
  const shapes = outputShapes(layer, call.inputs);
  const make = (names: readonly string[], masks: readonly (string | null)[]): OnnxTensor[] =>
    names.map((name, i) => ({ name, dtype: 'float32', shape: shapes[i]!, mask: masks[i] ?? null }));
  return g.inScope(layer.name, () => {
    if (layer instanceof RNN) {
      const names = emitRecurrent(g, layer, call);
      return make(names, [layer.returnSequences ? call.mask : null]);
    }
    if (layer instanceof Bidirectional) {
      const names = emitBidirectional(g, layer, call);
      const outMask = layer.returnSequences ? call.mask : null;
      return make(names, layer.mergeMode === null ? [outMask, outMask] : [outMask]);
    }
    if (layer instanceof Dense)
      return make([emitDense(g, layer, float32(g, input), describeLayer(layer))], [call.mask]);
    // Dropout (SpatialDropout1D is one) and the Gaussian noise layers are the identity at inference.
    if (layer instanceof Dropout || layer instanceof GaussianNoise || layer instanceof GaussianDropout)
      return [{ ...input, shape: shapes[0]!, mask: call.mask }];
    if (layer instanceof Embedding) {
      const { output, mask } = emitEmbedding(g, layer, input);
      return make([output], [mask]);
    }
    if (layer instanceof Masking) {
      const { output, mask } = emitMasking(g, layer, input);
      return make([output], [mask]);
    }
    if (layer instanceof TimeDistributed) return make([emitTimeDistributed(g, layer, input)], [call.mask]);
    if (isReshapingLayer(layer)) return [emitReshaping(g, layer, input, call.mask)];
    if (isNormalizationLayer(layer)) {
      checkFloat32(layer);
      return [emitNormalization(g, layer, input, call.mask)];
    }
    if (isWindowLayer(layer)) {
      checkFloat32(layer);
      return [emitWindowLayer(g, layer, input, call.mask)];
    }
    return refuse(
      layer,
      'this layer class has no ONNX translation (exported: InputLayer, Embedding, Masking, Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout, Dense, GRU, Bidirectional(GRU), TimeDistributed(Dense), the merge layers, Activation, RepeatVector, Flatten, Reshape, Permute, BatchNormalization, LayerNormalization, Conv1D, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, Attention, AdditiveAttention, and Sequential or functional models of them)',
    );
  });
}
