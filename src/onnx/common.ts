/** What every layer translation shares: how a layer is named in errors, float32 values, a weight as stored. */
import type { Layer } from '../layers/layer.js';
import type { GraphBuilder } from './builder.js';
import type { OnnxTensor } from './layers.js';

export const describeLayer = (layer: Layer): string => `${layer.className} '${layer.name}'`;

/** `t` as float32 (the exported graph computes in float32): as is, or cast. */
export function float32(g: GraphBuilder, t: OnnxTensor): string {
  return t.dtype === 'float32' ? t.name : g.cast(t.name, 'float32');
}

/** A weight's initializer contents as the layer holds it. */
export function weightValues(v: { read(): { dataSync(): ArrayLike<number> }; shape: readonly number[] }): {
  dims: number[];
  values: ArrayLike<number>;
} {
  return { dims: [...v.shape], values: v.read().dataSync() };
}
