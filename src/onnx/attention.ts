/**
 * Attention and AdditiveAttention in ONNX (opset 14), at inference (dropout is the identity), as keras-gru
 * computes them: scores [B, Tq, Tv] (MatMul for 'dot', Tanh and ReduceSum over [B, Tq, Tv, D] pairs for
 * 'concat' and additive), the masked value steps and, with useCausalMask, the steps j > i lowered by 1e9,
 * Softmax along Tv, MatMul with the value, times the query mask. The masks are the query's and the value's
 * own (Keras's [query_mask, value_mask]); the causal mask is built from the sequence lengths the graph is fed
 * (Range and LessOrEqual), so any Tq and Tv run. Refused with a typed error naming the layer: the
 * returnAttentionScores call option, and a mask passed explicitly (Keras's list of masks).
 */
import { AdditiveAttention, Attention } from '../layers/attention.js';
import type { Layer } from '../layers/layer.js';
import type { Variable } from '../tensor/variable.js';
import { int, type GraphBuilder } from './builder.js';
import { UnsupportedLayerError, UnsupportedMaskError } from './errors.js';
import { describeLayer, float32, weightValues } from './common.js';
import type { OnnxTensor } from './layers.js';

/** Keras subtracts this from the scores of masked value steps (float32). */
const MASKED_SCORE = 1e9;

export function isAttentionLayer(layer: Layer): layer is Attention | AdditiveAttention {
  return layer instanceof Attention || layer instanceof AdditiveAttention;
}

export interface AttentionCall {
  /** [query, value] or [query, value, key]. */
  inputs: readonly OnnxTensor[];
  /** Whether a mask was passed explicitly (refused: the inputs' own masks are used). */
  explicitMask: boolean;
  /** The call options the node recorded (useCausalMask, returnAttentionScores). */
  options: Readonly<Record<string, unknown>>;
}

const variable = (g: GraphBuilder, v: Variable, key: string): string => g.weight(v, key, () => weightValues(v));

/** Σ_d f(q[b, i, d] + k[b, j, d]) → [B, Tq, Tv], `f` applied to the pairs [B, Tq, Tv, D]. */
function pairwise(g: GraphBuilder, q: string, k: string, f: (pairs: string) => string): string {
  const pairs = g.op('Add', [g.unsqueeze(q, [2]), g.unsqueeze(k, [1])]);
  return g.op('ReduceSum', [f(pairs), g.int64s([-1])], { keepdims: int(0) });
}

function scores(g: GraphBuilder, layer: Attention | AdditiveAttention, q: string, k: string): string {
  const scale = layer.scale === null ? null : variable(g, layer.scale, 'scale');
  if (layer instanceof AdditiveAttention) {
    return pairwise(g, q, k, (p) => {
      const t = g.op('Tanh', [p]);
      return scale === null ? t : g.op('Mul', [t, scale]);
    });
  }
  if (layer.scoreMode === 'dot') {
    const s = g.op('MatMul', [q, g.transpose(k, [0, 2, 1])]);
    return scale === null ? s : g.op('Mul', [s, scale]);
  }
  const summed = pairwise(g, q, k, (p) => g.op('Tanh', [scale === null ? p : g.op('Mul', [p, scale])]));
  return g.op('Mul', [summed, variable(g, layer.concatScoreWeight!, 'concat_score_weight')]);
}

/** [1, Tq, Tv]: 1 where value step j ≤ query step i, from the fed lengths of q [B, Tq, ·] and k [B, Tv, ·]. */
function causalKeep(g: GraphBuilder, q: string, k: string): string {
  const steps = (x: string): string =>
    g.op('Range', [g.constant('int64', [], [0]), g.squeeze(g.dim(x, 1), [0]), g.constant('int64', [], [1])]);
  const i = g.unsqueeze(steps(q), [1]);
  const j = g.unsqueeze(steps(k), [0]);
  return g.unsqueeze(g.cast(g.op('LessOrEqual', [j, i]), 'float32'), [0]);
}

export function emitAttention(g: GraphBuilder, layer: Attention | AdditiveAttention, call: AttentionCall): OnnxTensor {
  const owner = describeLayer(layer);
  if (call.options.returnAttentionScores === true)
    throw new UnsupportedLayerError({
      layer: owner,
      reason: 'it is called with returnAttentionScores: true; not exported',
    });
  if (call.explicitMask)
    throw new UnsupportedMaskError({
      layer: owner,
      reason: 'it is given a mask explicitly; only the masks its inputs carry are exported',
    });
  if (layer.dtype !== 'float32')
    throw new UnsupportedLayerError({
      layer: owner,
      reason: `its dtype is ${layer.dtype}; the graph computes in float32`,
    });
  if (!layer.built) throw new UnsupportedLayerError({ layer: owner, reason: 'the layer is not built' });
  const [qt, vt, kt = vt] = call.inputs;
  const q = float32(g, qt!);
  const v = float32(g, vt!);
  const k = kt === vt ? v : float32(g, kt!);
  let s = scores(g, layer, q, k);
  let keep: string | null = vt!.mask === null ? null : g.unsqueeze(g.cast(vt!.mask, 'float32'), [1]);
  if (call.options.useCausalMask === true) {
    const lower = causalKeep(g, q, k);
    keep = keep === null ? lower : g.op('Mul', [keep, lower]);
  }
  if (keep !== null) s = g.op('Sub', [s, g.op('Mul', [g.op('Sub', [g.scalar(1), keep]), g.scalar(MASKED_SCORE)])]);
  const weights = g.op('Softmax', [s], { axis: int(-1) });
  let out = g.op('MatMul', [weights, v]);
  const queryMask = qt!.mask;
  if (queryMask !== null) out = g.op('Mul', [out, g.unsqueeze(g.cast(queryMask, 'float32'), [2])]);
  const shape = layer.computeOutputShape(call.inputs.map((t) => [...t.shape])) as OnnxTensor['shape'];
  return { name: out, dtype: 'float32', shape, mask: queryMask };
}
