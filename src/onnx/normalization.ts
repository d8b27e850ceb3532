/**
 * BatchNormalization and LayerNormalization in ONNX (opset 14), at inference, op for op as keras-gru computes
 * them (so the float32 rounding matches):
 * - BatchNormalization: (x − moving_mean) · (gamma / sqrt(moving_variance + epsilon)) + beta, the statistics
 *   reshaped to broadcast along the layer's features axis (any axis, not only ONNX's channel axis 1).
 * - LayerNormalization: ReduceMean over the layer's axes (opset 14 has no LayerNormalization operator), the
 *   population variance about the mean, then gamma and beta laid out on those axes as Keras reshapes them;
 *   rmsScaling is x / sqrt(variance + epsilon) · gamma.
 * Both pass their mask on; at inference neither reads it (BatchNormalization's masked moments are training's).
 */
import type { Layer, Shape } from '../layers/layer.js';
import { BatchNormalization, LayerNormalization } from '../layers/normalization.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Variable } from '../tensor/variable.js';
import { ints, int, type GraphBuilder } from './builder.js';
import { UnsupportedLayerError } from './errors.js';
import { describeLayer, float32 } from './common.js';
import type { OnnxTensor } from './layers.js';

export function isNormalizationLayer(layer: Layer): layer is BatchNormalization | LayerNormalization {
  return layer instanceof BatchNormalization || layer instanceof LayerNormalization;
}

/**
 * `v`'s values as an initializer of `dims` (a row-major reshape; leading 1s dropped, ONNX broadcasts from the
 * right), stored once per layout.
 */
function weightAs(g: GraphBuilder, v: Variable, key: string, dims: readonly number[]): string {
  const first = dims.findIndex((d) => d !== 1);
  const trimmed = first < 0 ? [] : dims.slice(first);
  const sameLayout = trimmed.length === v.shape.length && trimmed.every((d, i) => d === v.shape[i]);
  const name = sameLayout ? key : `${key}_${trimmed.join('x')}`;
  return g.weight(v, name, () => ({ dims: trimmed, values: v.read().dataSync() }));
}

/** The size of each of `axes` in `shape` on those axes, 1 elsewhere: how the layer's weights broadcast. */
function broadcastDims(shape: Shape, axes: readonly number[], layer: Layer): number[] {
  return shape.map((d, i) => {
    if (!axes.includes(i)) return 1;
    if (d === null)
      throw new UnsupportedLayerError({
        layer: describeLayer(layer),
        reason: `axis ${i} of its input has no fixed size`,
      });
    return d;
  });
}

/** 1 / sqrt(variance + epsilon), as the layers compute it. */
function inverseStd(g: GraphBuilder, variance: string, epsilon: number): string {
  return g.op('Div', [g.scalar(1), g.op('Sqrt', [g.op('Add', [variance, g.scalar(epsilon)])])]);
}

export function emitNormalization(
  g: GraphBuilder,
  layer: BatchNormalization | LayerNormalization,
  input: OnnxTensor,
  mask: string | null,
): OnnxTensor {
  if (!layer.built) throw new UnsupportedLayerError({ layer: describeLayer(layer), reason: 'the layer is not built' });
  const x = float32(g, input);
  const rank = input.shape.length;
  const out = (name: string): OnnxTensor => ({ name, dtype: 'float32', shape: [...input.shape], mask });
  const context = `exportOnnx: ${describeLayer(layer)}`;
  if (layer instanceof BatchNormalization) {
    const dims = broadcastDims(input.shape, [normalizeAxis(layer.axis, rank, context)], layer);
    const at = (v: Variable, key: string): string => weightAs(g, v, key, dims);
    let inv = inverseStd(g, at(layer.movingVariance!, 'moving_variance'), layer.epsilon);
    if (layer.gamma !== null) inv = g.op('Mul', [inv, at(layer.gamma, 'gamma')]);
    let y = g.op('Mul', [g.op('Sub', [x, at(layer.movingMean!, 'moving_mean')]), inv]);
    if (layer.beta !== null) y = g.op('Add', [y, at(layer.beta, 'beta')]);
    return out(y);
  }
  const list = typeof layer.axis === 'number' ? [layer.axis] : layer.axis;
  const axes = [...new Set(list.map((a) => normalizeAxis(a, rank, context)))].sort((a, b) => a - b);
  const dims = broadcastDims(input.shape, axes, layer);
  const reduceMean = (v: string): string => g.op('ReduceMean', [v], { axes: ints(axes), keepdims: int(1) });
  const centred = g.op('Sub', [x, reduceMean(x)]);
  const inv = inverseStd(g, reduceMean(g.op('Mul', [centred, centred])), layer.epsilon);
  const gamma = layer.gamma === null ? null : weightAs(g, layer.gamma, 'gamma', dims);
  if (layer.rmsScaling) return out(g.op('Mul', [g.op('Mul', [x, inv]), gamma!]));
  let y = g.op('Mul', [centred, inv]);
  if (gamma !== null) y = g.op('Mul', [y, gamma]);
  if (layer.beta !== null) y = g.op('Add', [y, weightAs(g, layer.beta, 'beta', dims)]);
  return out(y);
}
