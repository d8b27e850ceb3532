/**
 * Activation, RepeatVector, Flatten, Reshape and Permute in ONNX (opset 14): the activation's nodes, Unsqueeze +
 * Tile, Reshape with a 0 for the batch axis (ONNX copies it from the input), and Transpose. Activation passes
 * its mask on; the others output none, as in Keras. Flatten with channels_first transposes first.
 */
import { Activation } from '../layers/activation.js';
import type { Layer } from '../layers/layer.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../layers/reshaping.js';
import { requireActivation } from './activations.js';
import type { GraphBuilder } from './builder.js';
import type { OnnxTensor } from './layers.js';

export function isReshapingLayer(layer: Layer): boolean {
  return (
    layer instanceof Activation ||
    layer instanceof RepeatVector ||
    layer instanceof Flatten ||
    layer instanceof Reshape ||
    layer instanceof Permute
  );
}

/** The one output of a call of one of the layers `isReshapingLayer` accepts. */
export function emitReshaping(g: GraphBuilder, layer: Layer, input: OnnxTensor, mask: string | null): OnnxTensor {
  const x = input.dtype === 'float32' ? input.name : g.cast(input.name, 'float32');
  const shape = layer.computeOutputShape([...input.shape]) as OnnxTensor['shape'];
  const out = (name: string, keepMask = false): OnnxTensor => ({
    name,
    dtype: 'float32',
    shape,
    mask: keepMask ? mask : null,
  });
  const reshapeTo = (from: string, dims: readonly number[]): string =>
    g.op('Reshape', [from, g.constant('int64', [dims.length], [0, ...dims.slice(1)])]);
  if (layer instanceof Activation) {
    return out(requireActivation(g, x, layer.activation, `Activation '${layer.name}'`), true);
  }
  if (layer instanceof RepeatVector)
    return out(g.op('Tile', [g.unsqueeze(x, [1]), g.constant('int64', [3], [1, layer.n, 1])]));
  if (layer instanceof Flatten) {
    const rank = input.shape.length;
    const moved =
      layer.dataFormat === 'channels_first' && rank > 2
        ? g.transpose(x, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1])
        : x;
    return out(reshapeTo(moved, [0, -1]));
  }
  if (layer instanceof Reshape) return out(reshapeTo(x, [0, ...layer.targetShape]));
  const permute = layer as Permute;
  return out(g.transpose(x, [0, ...permute.dims]));
}
