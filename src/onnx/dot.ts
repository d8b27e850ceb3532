/**
 * Dot in ONNX (opset 14), as keras-gru's `batch_dot`: each input optionally L2-normalized along its axis
 * (x · min(1 / sqrt(Σ x²), 1/ε)), x's summed axis moved last and y's to axis 1 (a rank-2 input gets a unit axis
 * first), both flattened to [B, m, k] and [B, k, n] for MatMul, and the product reshaped to x's other axes then
 * y's. The shapes are read from the tensors the graph is fed, so unfixed axes (time) work, the summed one too.
 * Dot ignores masks and outputs none, as Keras's.
 */
import { EPSILON, type Dot } from '../layers/dot.js';
import { int, type GraphBuilder } from './builder.js';
import { describeLayer, float32 } from './common.js';
import type { OnnxTensor } from './layers.js';

/** A Slice end past any axis. */
const TO_END = 2 ** 62;

/** Axes [start, end) of x's shape, as a 1-D int64 tensor. */
function shapeSlice(g: GraphBuilder, x: string, start: number, end: number): string {
  return g.op('Slice', [g.op('Shape', [x]), g.int64s([start]), g.int64s([end]), g.int64s([0])]);
}

function l2Normalize(g: GraphBuilder, x: string, axis: number): string {
  const norm = g.op('Sqrt', [g.op('ReduceSum', [g.op('Mul', [x, x]), g.int64s([axis])], { keepdims: int(1) })]);
  return g.op('Mul', [x, g.op('Min', [g.op('Reciprocal', [norm]), g.scalar(1 / EPSILON)])]);
}

/** The output of a Dot call on [x, y] (no mask). */
export function emitDot(g: GraphBuilder, layer: Dot, inputs: readonly OnnxTensor[]): OnnxTensor {
  const [xt, yt] = inputs as [OnnxTensor, OnnxTensor];
  const shape = layer.computeOutputShape([[...xt.shape], [...yt.shape]]);
  const xRank = xt.shape.length;
  const yRank = yt.shape.length;
  const [firstAxis, a1] = layer.axesFor(xRank, yRank, describeLayer(layer));
  let a0 = firstAxis;
  let x = layer.normalize ? l2Normalize(g, float32(g, xt), a0) : float32(g, xt);
  let y = layer.normalize ? l2Normalize(g, float32(g, yt), a1) : float32(g, yt);
  if (xRank === 2) {
    x = g.unsqueeze(x, [1]);
    a0 += 1;
  }
  if (yRank === 2) y = g.unsqueeze(y, [2]);
  const xr = Math.max(xRank, 3);
  const yr = Math.max(yRank, 3);
  // x's summed axis last, y's at 1.
  x = g.transpose(x, [...Array(xr).keys()].filter((d) => d !== a0).concat(a0));
  y = g.transpose(y, [0, a1, ...[...Array(yr).keys()].filter((d) => d !== 0 && d !== a1)]);
  const minusOne = g.int64s([-1]);
  const x3 = g.op('Reshape', [
    x,
    g.op('Concat', [shapeSlice(g, x, 0, 1), minusOne, shapeSlice(g, x, -1, TO_END)], { axis: int(0) }),
  ]);
  const y3 = g.op('Reshape', [y, g.op('Concat', [shapeSlice(g, y, 0, 2), minusOne], { axis: int(0) })]);
  const outShape = g.op('Concat', [shapeSlice(g, x, 0, -1), shapeSlice(g, y, 2, TO_END)], { axis: int(0) });
  let out = g.op('Reshape', [g.op('MatMul', [x3, y3]), outShape]);
  // The unit axes added to rank-2 inputs go again; the result keeps rank ≥ 2 ([B, 1] for two rank-2 inputs).
  if (xRank === 2) out = g.squeeze(out, [1]);
  else if (yRank === 2) out = g.squeeze(out, [-1]);
  return { name: out, dtype: 'float32', shape, mask: null };
}
