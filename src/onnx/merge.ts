/**
 * The merge layers in ONNX: Concatenate → Concat; Add, Subtract, Multiply, Average, Maximum, Minimum → the
 * elementwise operators (ONNX broadcasts from the right, which is Keras's rule for inputs of equal rank);
 * Dot → MatMul (dot.ts). Refused with a typed error naming the layer: inputs of different ranks (Keras inserts
 * axes at 1), and masked inputs but Dot's (Keras's masked merges change values and masks in ways not
 * translated here; Dot ignores masks).
 */
import { Concatenate } from '../layers/concatenate.js';
import { Dot } from '../layers/dot.js';
import type { Layer } from '../layers/layer.js';
import { Add, Average, Maximum, Merge, Minimum, Multiply, Subtract } from '../layers/merge.js';
import { int, type GraphBuilder } from './builder.js';
import { emitDot } from './dot.js';
import { UnsupportedLayerError, UnsupportedMaskError } from './errors.js';
import { describeLayer } from './common.js';
import type { OnnxTensor } from './layers.js';

export function isMergeLayer(layer: Layer): layer is Merge {
  return layer instanceof Merge;
}

/** The one output of a merge layer's call (no mask: masked inputs are refused). */
export function emitMerge(g: GraphBuilder, layer: Merge, inputs: readonly OnnxTensor[]): OnnxTensor {
  // Dot ignores its inputs' masks, as Keras's.
  if (layer instanceof Dot) return emitDot(g, layer, inputs);
  const shape = layer.computeOutputShape(inputs.map((t) => [...t.shape]));
  if (inputs.some((t) => t.mask !== null)) {
    throw new UnsupportedMaskError({
      layer: describeLayer(layer),
      reason: 'its inputs carry masks; masked merges are not exported',
    });
  }
  const xs = inputs.map((t) => (t.dtype === 'float32' ? t.name : g.cast(t.name, 'float32')));
  const done = (name: string): OnnxTensor => ({ name, dtype: 'float32', shape, mask: null });
  if (layer instanceof Concatenate) return done(g.op('Concat', xs, { axis: int(layer.axis) }));
  if (new Set(inputs.map((t) => t.shape.length)).size !== 1) {
    throw new UnsupportedLayerError({
      layer: describeLayer(layer),
      reason: 'its inputs have different ranks (Keras inserts axes at 1 for them); not exported',
    });
  }
  const fold = (op: string): string => xs.slice(1).reduce((acc, x) => g.op(op, [acc, x]), xs[0]!);
  if (layer instanceof Add) return done(fold('Add'));
  if (layer instanceof Subtract) return done(g.op('Sub', [xs[0]!, xs[1]!]));
  if (layer instanceof Multiply) return done(fold('Mul'));
  if (layer instanceof Average) return done(g.op('Div', [fold('Add'), g.scalar(xs.length)]));
  if (layer instanceof Maximum) return done(g.op('Max', xs));
  if (layer instanceof Minimum) return done(g.op('Min', xs));
  throw new UnsupportedLayerError({
    layer: describeLayer(layer),
    reason:
      'this merge layer has no ONNX translation here (exported: Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum, Dot)',
  });
}
