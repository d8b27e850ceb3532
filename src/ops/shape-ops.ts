/** Ops that move data without arithmetic: reshape, broadcast, transpose, slice, concat, stack, gather, cast. */
import { record } from '../autodiff/tape.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { allocate, type DType } from '../tensor/dtype.js';
import { broadcastShapes, formatShape, normalizeAxis, shapesEqual, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sumToShape } from './broadcast.js';

/** The same values with another shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1);
  const inferred = shape.length - known.length;
  let target = [...shape];
  if (inferred > 1 || known.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError({
      argument: 'shape',
      expected: 'non-negative integers and at most one -1',
      received: shape,
      context: 'reshape',
    });
  }
  if (inferred === 1) {
    const rest = sizeOf(known);
    target = shape.map((d) => (d === -1 ? (rest === 0 ? 0 : x.size / rest) : d));
  }
  if (sizeOf(target) !== x.size || !target.every(Number.isInteger)) {
    throw new ShapeError({
      argument: 'shape',
      expected: `a shape with ${x.size} elements (input shape ${formatShape(x.shape)})`,
      received: formatShape(shape),
      context: 'reshape',
    });
  }
  const out = new Tensor(x.values, target, x.dtype); // values are immutable: sharing is safe
  return record(out, [x], (dy) => [reshape(dy, x.shape)]);
}

/**
 * The flat offsets `start + Σ_d idx[d]·strides[d]` of every index `idx` over `counts`, in row-major order: the
 * positions of a strided view (a broadcast, a permutation, a window) inside a dense buffer.
 */
function stridedOffsets(counts: readonly number[], strides: readonly number[], start: number): Float64Array {
  const offsets = new Float64Array(sizeOf(counts));
  const rank = counts.length;
  const idx = new Array<number>(rank).fill(0);
  let offset = start;
  for (let i = 0; i < offsets.length; i++) {
    offsets[i] = offset;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      offset += strides[d]!;
      if (idx[d]! < counts[d]!) break;
      offset -= strides[d]! * counts[d]!;
      idx[d] = 0;
    }
  }
  return offsets;
}

/**
 * The flat offset of the window (begin, counts) of a dense `shape` when the window is one contiguous run of the
 * buffer (the axes after its first partial axis are whole, those before it have one index), else −1: such a
 * window is copied in one piece (a GRU's packed results are sliced this way on every call).
 */
function contiguousStart(shape: readonly number[], begin: readonly number[], counts: readonly number[]): number {
  let d = shape.length - 1;
  while (d >= 0 && counts[d] === shape[d]) d--;
  for (let e = d - 1; e >= 0; e--) if (counts[e] !== 1) return -1;
  const strides = stridesOf(shape);
  return begin.reduce((acc, b, i) => acc + b * strides[i]!, 0);
}

/** Broadcasts `x` to `shape` (NumPy rules). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const full = broadcastShapes(x.shape, shape, 'broadcastTo');
  if (!shapesEqual(full, shape)) {
    throw new ShapeError({
      argument: 'shape',
      expected: `a shape that ${formatShape(x.shape)} broadcasts to`,
      received: formatShape(shape),
      context: 'broadcastTo',
    });
  }
  const out = allocate(x.dtype, sizeOf(shape));
  const own = stridesOf(x.shape);
  const offset = shape.length - x.rank;
  const strides = shape.map((_, d) => (d < offset || x.shape[d - offset] === 1 ? 0 : own[d - offset]!));
  const src = stridedOffsets(shape, strides, 0);
  for (let i = 0; i < out.length; i++) out[i] = x.values[src[i]!]!;
  const y = new Tensor(out, shape, x.dtype);
  return record(y, [x], (dy) => [sumToShape(dy, x.shape)]);
}

/** Permutes axes (default: reverses them). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.rank;
  const p = perm ?? [...Array(rank).keys()].reverse();
  if (p.length !== rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new InvalidArgumentError({
      argument: 'perm',
      expected: `a permutation of 0..${rank - 1}`,
      received: perm,
      context: 'transpose',
    });
  }
  const shape = p.map((a) => x.shape[a]!);
  const inStrides = stridesOf(x.shape);
  const strides = p.map((a) => inStrides[a]!);
  const out = allocate(x.dtype, x.size);
  const src = stridedOffsets(shape, strides, 0);
  for (let i = 0; i < out.length; i++) out[i] = x.values[src[i]!]!;
  const inverse = new Array<number>(rank);
  p.forEach((a, i) => (inverse[a] = i));
  const y = new Tensor(out, shape, x.dtype);
  return record(y, [x], (dy) => [transpose(dy, inverse)]);
}

/** x[begin : begin+size] along every axis; a size of -1 means "to the end". */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  const rank = x.rank;
  if (begin.length !== rank || (size !== undefined && size.length !== rank)) {
    const argument = begin.length !== rank ? 'begin' : 'size';
    throw new ShapeError({
      argument,
      expected: `${rank} entries (one per axis of ${formatShape(x.shape)})`,
      received: argument === 'begin' ? begin : size,
      context: 'slice',
    });
  }
  const sz = x.shape.map((d, i) => {
    const s = size?.[i] ?? -1;
    return s === -1 ? d - begin[i]! : s;
  });
  sz.forEach((s, i) => {
    if (begin[i]! < 0 || s < 0 || begin[i]! + s > x.shape[i]!) {
      throw new ShapeError({
        argument: 'begin/size',
        expected: `a window inside ${formatShape(x.shape)}`,
        received: `begin ${formatShape(begin)}, size ${formatShape(sz)}`,
        context: 'slice',
      });
    }
  });
  const out = allocate(x.dtype, sizeOf(sz));
  const start = contiguousStart(x.shape, begin, sz);
  if (start >= 0) {
    out.set(x.values.subarray(start, start + out.length));
  } else {
    const strides = stridesOf(x.shape);
    const src = stridedOffsets(
      sz,
      strides,
      begin.reduce((acc, b, i) => acc + b * strides[i]!, 0),
    );
    for (let i = 0; i < out.length; i++) out[i] = x.values[src[i]!]!;
  }
  const y = new Tensor(out, sz, x.dtype);
  return record(y, [x], (dy) => [pad(dy, x.shape, begin)]);
}

/** Places `x` into zeros of `shape` at offset `begin` (the gradient of slice). */
function pad(x: Tensor, shape: readonly number[], begin: readonly number[]): Tensor {
  const out = allocate(x.dtype, sizeOf(shape));
  const start = contiguousStart(shape, begin, x.shape);
  if (start >= 0) {
    out.set(x.values, start);
  } else {
    const strides = stridesOf(shape);
    const dst = stridedOffsets(
      x.shape,
      strides,
      begin.reduce((acc, b, i) => acc + b * strides[i]!, 0),
    );
    for (let i = 0; i < x.size; i++) out[dst[i]!] = x.values[i]!;
  }
  const y = new Tensor(out, shape, x.dtype);
  return record(y, [x], (dy) => [slice(dy, begin, x.shape)]);
}

/** Joins tensors along `axis`; all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) {
    throw new InvalidArgumentError({
      argument: 'tensors',
      expected: 'at least one tensor',
      received: tensors,
      context: 'concat',
    });
  }
  const first = tensors[0]!;
  const ax = normalizeAxis(axis, first.rank, 'concat');
  tensors.forEach((t, i) => {
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== ax && d !== first.shape[k])) {
      throw new ShapeError({
        argument: `tensors[${i}]`,
        expected: `shape ${formatShape(first.shape.map((d, k) => (k === ax ? null : d)))} (any size along axis ${ax})`,
        received: formatShape(t.shape),
        context: 'concat',
      });
    }
  });
  const shape = [...first.shape];
  shape[ax] = tensors.reduce((acc, t) => acc + t.shape[ax]!, 0);
  const dtype: DType = tensors.every((t) => t.dtype === first.dtype) ? first.dtype : 'float32';
  const out = allocate(dtype, sizeOf(shape));
  const outer = sizeOf(shape.slice(0, ax));
  const innerOut = sizeOf(shape.slice(ax));
  let offset = 0;
  for (const t of tensors) {
    const inner = sizeOf(t.shape.slice(ax));
    for (let o = 0; o < outer; o++) {
      out.set(t.values.subarray(o * inner, (o + 1) * inner), o * innerOut + offset);
    }
    offset += inner;
  }
  const y = new Tensor(out, shape, dtype);
  return record(y, tensors, (dy) => {
    let start = 0;
    return tensors.map((t) => {
      const begin = shape.map((_, k) => (k === ax ? start : 0));
      start += t.shape[ax]!;
      return slice(dy, begin, t.shape);
    });
  });
}

/** Stacks same-shaped tensors along a new `axis`. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) {
    throw new InvalidArgumentError({
      argument: 'tensors',
      expected: 'at least one tensor',
      received: tensors,
      context: 'stack',
    });
  }
  const rank = tensors[0]!.rank;
  const ax = normalizeAxis(axis, rank + 1, 'stack');
  const expanded = tensors.map((t) => {
    const shape = [...t.shape];
    shape.splice(ax, 0, 1);
    return reshape(t, shape);
  });
  return concat(expanded, ax);
}

/** Splits `x` along `axis` into pieces of the given sizes (or `n` equal pieces). */
export function split(x: Tensor, sizes: number | readonly number[], axis = 0): Tensor[] {
  const ax = normalizeAxis(axis, x.rank, 'split');
  const d = x.shape[ax]!;
  if (typeof sizes === 'number' && !(Number.isInteger(sizes) && sizes > 0 && d % sizes === 0)) {
    throw new ShapeError({
      argument: 'sizes',
      expected: `a positive number of pieces dividing ${d}`,
      received: sizes,
      context: 'split',
    });
  }
  const list = typeof sizes === 'number' ? Array<number>(sizes).fill(d / sizes) : [...sizes];
  if (list.reduce((a, b) => a + b, 0) !== d || !list.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new ShapeError({
      argument: 'sizes',
      expected: `non-negative integer sizes summing to ${d}`,
      received: sizes,
      context: 'split',
    });
  }
  let start = 0;
  return list.map((n) => {
    const begin = x.shape.map((_, k) => (k === ax ? start : 0));
    const size = x.shape.map((s, k) => (k === ax ? n : s));
    start += n;
    return slice(x, begin, size);
  });
}

/** Rows of `params` [N, ...] picked by integer `indices` (any shape): result [...indices.shape, ...]. */
export function gather(params: Tensor, indices: Tensor): Tensor {
  if (params.rank < 1) {
    throw new ShapeError({
      argument: 'params',
      expected: 'rank ≥ 1',
      received: formatShape(params.shape),
      context: 'gather',
    });
  }
  const n = params.shape[0]!;
  const inner = sizeOf(params.shape.slice(1));
  const out = allocate(params.dtype, indices.size * inner);
  for (let i = 0; i < indices.size; i++) {
    const row = indices.values[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= n) {
      throw new InvalidArgumentError({
        argument: 'indices',
        expected: `integers in [0, ${n - 1}]`,
        received: row,
        context: 'gather',
      });
    }
    out.set(params.values.subarray(row * inner, (row + 1) * inner), i * inner);
  }
  const y = new Tensor(out, [...indices.shape, ...params.shape.slice(1)], params.dtype);
  return record(y, [params], (dy) => {
    const g = allocate(dy.dtype, params.size);
    for (let i = 0; i < indices.size; i++) {
      const row = indices.values[i]!;
      for (let j = 0; j < inner; j++) g[row * inner + j] = g[row * inner + j]! + dy.values[i * inner + j]!;
    }
    return [new Tensor(g, params.shape, dy.dtype)];
  });
}

/** Reverses `x` along `axis`. */
export function reverse(x: Tensor, axis: number): Tensor {
  const ax = normalizeAxis(axis, x.rank, 'reverse');
  const outer = sizeOf(x.shape.slice(0, ax));
  const n = x.shape[ax]!;
  const inner = sizeOf(x.shape.slice(ax + 1));
  const out = allocate(x.dtype, x.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const src = (o * n + i) * inner;
      out.set(x.values.subarray(src, src + inner), (o * n + (n - 1 - i)) * inner);
    }
  }
  const y = new Tensor(out, x.shape, x.dtype);
  return record(y, [x], (dy) => [reverse(dy, ax)]);
}

/** Converts to `dtype` (float → int truncates toward zero; anything → bool is `≠ 0`). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = allocate(dtype, x.size);
  for (let i = 0; i < x.size; i++) {
    const v = x.values[i]!;
    out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : dtype === 'int32' ? Math.trunc(v) : v;
  }
  const y = new Tensor(out, x.shape, dtype);
  if (dtype === 'int32' || dtype === 'bool') return y;
  return record(y, [x], (dy) => [cast(dy, x.dtype === 'float64' ? 'float64' : 'float32')]);
}

/** Elementwise choice: `condition ? a : b` (condition is broadcast-compatible, nonzero = true). */
export function where(condition: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(broadcastShapes(condition.shape, a.shape, 'where'), b.shape, 'where');
  const c = broadcastTo(condition, shape).values;
  const av = broadcastTo(a, shape).values;
  const bv = broadcastTo(b, shape).values;
  const dtype: DType =
    a.dtype === 'float64' && b.dtype === 'float64' ? 'float64' : a.dtype === b.dtype ? a.dtype : 'float32';
  const out = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = c[i] !== 0 ? av[i]! : bv[i]!;
  const y = new Tensor(out, shape, dtype);
  return record(y, [a, b], (dy) => {
    const ga = allocate(dy.dtype, dy.size);
    const gb = allocate(dy.dtype, dy.size);
    for (let i = 0; i < dy.size; i++) {
      if (c[i] !== 0) ga[i] = dy.values[i]!;
      else gb[i] = dy.values[i]!;
    }
    return [sumToShape(new Tensor(ga, shape, dy.dtype), a.shape), sumToShape(new Tensor(gb, shape, dy.dtype), b.shape)];
  });
}
