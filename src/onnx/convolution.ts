/**
 * Conv1D and the 1-D pooling layers in ONNX (opset 14). ONNX's Conv, MaxPool and AveragePool take [B, C, T],
 * so a channels_last input is transposed in and out. Keras's padding modes map onto the operators' own:
 * 'valid' pads nothing, 'same' gives ⌈T / stride⌉ outputs with the odd padded step after (fixed pads at
 * stride 1, auto_pad SAME_UPPER when strided: right for any T the graph is fed), 'causal' pads (kernelSize − 1)·dilation steps before. AveragePool does not count
 * padded steps (count_include_pad 0), as Keras's. Conv1D's kernel [k, C / groups, F] becomes ONNX's
 * [F, C / groups, k]; groups is Conv's `group`. The activation runs on [B, T, F], where Keras applies it (a
 * softmax is over the filters). GlobalAveragePooling1D with a mask is Σ(mask·x) / Σ mask, as Keras's;
 * GlobalMaxPooling1D ignores the mask, as Keras's. None of them outputs a mask.
 */
import { Conv1D } from '../layers/convolution.js';
import type { Layer } from '../layers/layer.js';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from '../layers/pooling.js';
import type { Padding } from '../layers/windows.js';
import { requireActivation } from './activations.js';
import { describeLayer, float32, weightValues } from './common.js';
import { int, ints, str, type Attributes, type GraphBuilder } from './builder.js';
import { UnsupportedLayerError } from './errors.js';
import type { OnnxTensor } from './layers.js';

type WindowLayer = Conv1D | MaxPooling1D | AveragePooling1D | GlobalAveragePooling1D | GlobalMaxPooling1D;

export function isWindowLayer(layer: Layer): layer is WindowLayer {
  return (
    layer instanceof Conv1D ||
    layer instanceof MaxPooling1D ||
    layer instanceof AveragePooling1D ||
    layer instanceof GlobalAveragePooling1D ||
    layer instanceof GlobalMaxPooling1D
  );
}

/**
 * The padding attributes of a window of `size` taps `dilation` apart, moved by `stride`. With stride 1, 'same'
 * pads span − 1 steps whatever the length (onnxruntime refuses auto_pad with dilation; Keras refuses stride
 * and dilation both above 1, so auto_pad is only needed without dilation).
 */
function paddingAttributes(padding: Padding, size: number, stride: number, dilation: number): Attributes {
  const span = (size - 1) * dilation + 1;
  if (padding === 'same' && stride === 1)
    return { pads: ints([Math.floor((span - 1) / 2), Math.ceil((span - 1) / 2)]) };
  if (padding === 'same') return { auto_pad: str('SAME_UPPER') };
  if (padding === 'causal') return { pads: ints([(size - 1) * dilation, 0]) };
  return { pads: ints([0, 0]) };
}

/** [B, T, C] ↔ [B, C, T]. */
const swapLast = (g: GraphBuilder, x: string): string => g.transpose(x, [0, 2, 1]);

function emitConv(g: GraphBuilder, layer: Conv1D, x: string): string {
  const kernel = layer.kernel;
  if (kernel === null)
    throw new UnsupportedLayerError({ layer: describeLayer(layer), reason: 'the layer is not built' });
  // kernel [k, C / groups, F] → W [F, C / groups, k]
  const w = g.weight(kernel, 'kernel', () => {
    const [k, c, f] = kernel.shape as [number, number, number];
    const src = kernel.read().dataSync();
    const values = new Float32Array(k * c * f);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < c; j++) for (let o = 0; o < f; o++) values[(o * c + j) * k + i] = src[(i * c + j) * f + o]!;
    return { dims: [f, c, k], values };
  });
  const bias = layer.bias;
  const inputs = [layer.dataFormat === 'channels_last' ? swapLast(g, x) : x, w];
  if (bias !== null) inputs.push(g.weight(bias, 'bias', () => weightValues(bias)));
  const conv = g.op('Conv', inputs, {
    kernel_shape: ints([layer.kernelSize]),
    strides: ints([layer.strides]),
    dilations: ints([layer.dilationRate]),
    group: int(layer.groups),
    ...paddingAttributes(layer.padding, layer.kernelSize, layer.strides, layer.dilationRate),
  });
  // Keras applies the activation on [B, T, F].
  const y = requireActivation(g, swapLast(g, conv), layer.activation, describeLayer(layer));
  return layer.dataFormat === 'channels_last' ? y : swapLast(g, y);
}

function emitPool(g: GraphBuilder, layer: MaxPooling1D | AveragePooling1D, x: string): string {
  const channelsLast = layer.dataFormat === 'channels_last';
  const attributes: Attributes = {
    kernel_shape: ints([layer.poolSize]),
    strides: ints([layer.strides]),
    ...paddingAttributes(layer.padding, layer.poolSize, layer.strides, 1),
    ...(layer instanceof AveragePooling1D ? { count_include_pad: int(0) } : {}),
  };
  const pooled = g.op(
    layer instanceof MaxPooling1D ? 'MaxPool' : 'AveragePool',
    [channelsLast ? swapLast(g, x) : x],
    attributes,
  );
  return channelsLast ? swapLast(g, pooled) : pooled;
}

function emitGlobalPool(
  g: GraphBuilder,
  layer: GlobalAveragePooling1D | GlobalMaxPooling1D,
  x: string,
  mask: string | null,
): string {
  const stepsAxis = layer.dataFormat === 'channels_last' ? 1 : 2;
  const keepdims = int(layer.keepdims ? 1 : 0);
  if (layer instanceof GlobalMaxPooling1D) return g.op('ReduceMax', [x], { axes: ints([stepsAxis]), keepdims });
  if (mask === null) return g.op('ReduceMean', [x], { axes: ints([stepsAxis]), keepdims });
  // w [B, T, 1] (or [B, 1, T]); Σ_t w·x / Σ_t w
  const w = g.unsqueeze(g.cast(mask, 'float32'), [stepsAxis === 1 ? 2 : 1]);
  const sum = (v: string): string => g.op('ReduceSum', [v, g.int64s([stepsAxis])], { keepdims });
  return g.op('Div', [sum(g.op('Mul', [x, w])), sum(w)]);
}

/** The one output of a call of a layer `isWindowLayer` accepts (no mask, as in Keras). */
export function emitWindowLayer(
  g: GraphBuilder,
  layer: WindowLayer,
  input: OnnxTensor,
  mask: string | null,
): OnnxTensor {
  const x = float32(g, input);
  const shape = layer.computeOutputShape([...input.shape]) as OnnxTensor['shape'];
  let y: string;
  if (layer instanceof Conv1D) y = emitConv(g, layer, x);
  else if (layer instanceof MaxPooling1D || layer instanceof AveragePooling1D) y = emitPool(g, layer, x);
  else y = emitGlobalPool(g, layer, x, mask);
  return { name: y, dtype: 'float32', shape, mask: null };
}
