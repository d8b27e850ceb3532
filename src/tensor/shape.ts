/** Shape helpers: sizes, strides, broadcasting, and the checks that turn bad shapes into clear errors. */
import { InvalidArgumentError, ShapeError } from '../errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

export function shapesEqual(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/**
 * The most elements one tensor may hold: 2^31 − 1, the longest typed array every engine allocates (and more
 * than the 4 GiB a WASM memory holds in float32). Larger shapes are refused before anything is allocated.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;

/** Checks that `shape` is a list of non-negative integers with at most MAX_TENSOR_ELEMENTS elements; returns a copy. */
export function checkShape(shape: unknown, argument = 'shape', context?: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError({
      argument,
      expected: 'an array of non-negative integers',
      received: shape,
      context,
    });
  }
  checkElementCount(shape as number[], argument, context);
  return [...shape] as number[];
}

/** Throws a ShapeError when a tensor of `shape` would exceed MAX_TENSOR_ELEMENTS. */
export function checkElementCount(shape: readonly number[], argument: string, context?: string): void {
  const size = sizeOf(shape);
  if (!(size <= MAX_TENSOR_ELEMENTS)) {
    throw new ShapeError({
      argument,
      expected: `a shape of at most ${MAX_TENSOR_ELEMENTS} elements`,
      received: `${formatShape(shape)} (${size} elements)`,
      context,
    });
  }
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming both when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape, context = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError({
        argument: 'shapes',
        expected: `shapes that broadcast together (first is ${formatShape(a)})`,
        received: formatShape(b),
        context,
      });
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis against `rank`. */
export function normalizeAxis(axis: number, rank: number, context?: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new InvalidArgumentError({
      argument: 'axis',
      expected: `an integer in [${-rank}, ${rank - 1}]`,
      received: axis,
      context,
    });
  }
  return a;
}
