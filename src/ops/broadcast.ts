/** Broadcasting binary kernels over tensors, and the reduction that undoes broadcasting in gradients. */
import { allocate, isFloatDType, resultFloatDType, type DType, type TypedArray } from '../tensor/dtype.js';
import { broadcastShapes, shapesEqual, sizeOf, stridesOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** The dtype a binary arithmetic op returns. Integer and bool operands promote to float32. */
export function binaryResultDType(a: DType, b: DType): DType {
  if (a === 'int32' && b === 'int32') return 'int32';
  if (isFloatDType(a) && isFloatDType(b)) return resultFloatDType(a, b);
  if (a === 'float64' || b === 'float64') return 'float64';
  return 'float32';
}

/** out[i] = f(a[ia], b[ib]) with NumPy broadcasting. */
export function broadcastBinary(
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
  dtype: DType,
  context: string,
): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, context);
  const out = allocate(dtype, sizeOf(shape));
  const av = a.values;
  const bv = b.values;
  if (shapesEqual(a.shape, b.shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(av[i]!, bv[i]!);
  } else if (b.size === 1) {
    const y = bv[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(av[i % av.length]!, y);
  } else if (a.size === 1) {
    const x = av[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(x, bv[i % bv.length]!);
  } else {
    const sa = broadcastStrides(a.shape, shape);
    const sb = broadcastStrides(b.shape, shape);
    const rank = shape.length;
    const idx = new Array<number>(rank).fill(0);
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < out.length; i++) {
      out[i] = f(av[ia]!, bv[ib]!);
      for (let d = rank - 1; d >= 0; d--) {
        idx[d]!++;
        ia += sa[d]!;
        ib += sb[d]!;
        if (idx[d]! < shape[d]!) break;
        ia -= sa[d]! * shape[d]!;
        ib -= sb[d]! * shape[d]!;
        idx[d] = 0;
      }
    }
  }
  return new Tensor(out, shape, dtype);
}

/** Strides of `shape` inside the broadcast `outShape`, 0 along broadcast axes. */
function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, d) => {
    const k = d - offset;
    if (k < 0 || shape[k] === 1) return 0;
    return own[k]!;
  });
}

/** Sums `t` over the axes that broadcasting added or stretched, giving a tensor of `shape`. */
export function sumToShape(t: Tensor, shape: Shape): Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  const out: TypedArray = t.dtype === 'float64' ? new Float64Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
  const sIn = broadcastStrides(shape, t.shape);
  const rank = t.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let io = 0;
  const v = t.values;
  const acc = new Float64Array(out.length);
  for (let i = 0; i < t.size; i++) {
    acc[io]! += v[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      io += sIn[d]!;
      if (idx[d]! < t.shape[d]!) break;
      io -= sIn[d]! * t.shape[d]!;
      idx[d] = 0;
    }
  }
  out.set(acc);
  return new Tensor(out, shape, t.dtype === 'float64' ? 'float64' : 'float32');
}
