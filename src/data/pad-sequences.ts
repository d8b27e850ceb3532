/**
 * `padSequences`: Keras's `keras.utils.pad_sequences`. Lists of different lengths become one
 * `[sequences, maxlen, ...sampleShape]` tensor: shorter ones padded with `value`, longer ones truncated, each at
 * the start (`'pre'`, the default) or the end (`'post'`).
 *
 *     padSequences([[1], [2, 3], [4, 5, 6]])                  // [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
 *     padSequences([[1], [2, 3], [4, 5, 6]], { maxlen: 2 })   // [[0, 1], [2, 3], [5, 6]]
 *
 * The sample shape (each step's shape, `[]` for numbers) is that of the first non-empty sequence; the dtype is
 * Keras's default `int32` (values are truncated toward zero, as NumPy casts them) unless given.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor, tensor as makeTensor, type NestedArray } from '../tensor/tensor.js';

export interface PadSequencesOptions {
  /** The length of every output sequence. Default: the longest input sequence's. */
  maxlen?: number | null;
  /** Default `int32`. */
  dtype?: 'int32' | 'float32' | 'float64';
  /** Where the padding goes. Default `'pre'`. */
  padding?: 'pre' | 'post';
  /** Which end of a too-long sequence is cut off. Default `'pre'`. */
  truncating?: 'pre' | 'post';
  /** The padding value. Default 0. */
  value?: number;
}

const CONTEXT = 'padSequences';

function checkSide(value: unknown, argument: string): 'pre' | 'post' {
  if (value === undefined) return 'pre';
  if (value !== 'pre' && value !== 'post')
    throw new InvalidArgumentError({ argument, expected: "'pre' or 'post'", received: value, context: CONTEXT });
  return value;
}

/** One sequence as rows: a tensor whose first axis is time (numbers give shape [length]). */
function asSequence(value: unknown, index: number): Tensor {
  const argument = `sequences[${index}]`;
  if (value instanceof Tensor) {
    if (value.rank === 0)
      throw new ShapeError({ argument, expected: 'a sequence (rank ≥ 1)', received: value, context: CONTEXT });
    return value;
  }
  if (Array.isArray(value) && value.length === 0) return new Tensor(new Float64Array(0), [0], 'float64');
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a list of numbers (or of equal-shaped arrays)',
      received: value,
      context: CONTEXT,
    });
  }
  try {
    const t = makeTensor(value as NestedArray, undefined, 'float64');
    return t;
  } catch (cause) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a list of numbers (or of equal-shaped arrays)',
      received: value,
      context: `${CONTEXT}: ${(cause as Error).message}`,
    });
  }
}

/** Pads (and truncates) sequences to one length; see the module comment. Nothing given is modified. */
export function padSequences(sequences: readonly unknown[], options: PadSequencesOptions = {}): Tensor {
  if (!Array.isArray(sequences)) {
    throw new InvalidArgumentError({
      argument: 'sequences',
      expected: 'an array of sequences',
      received: sequences,
      context: CONTEXT,
    });
  }
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32' && dtype !== 'float64') {
    throw new InvalidArgumentError({
      argument: 'dtype',
      expected: "'int32', 'float32' or 'float64'",
      received: dtype,
      context: CONTEXT,
    });
  }
  const padding = checkSide(options.padding, 'padding');
  const truncating = checkSide(options.truncating, 'truncating');
  const value = options.value ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value) || (dtype === 'int32' && !Number.isFinite(value))) {
    throw new InvalidArgumentError({
      argument: 'value',
      expected: dtype === 'int32' ? 'a finite number (dtype int32)' : 'a number',
      received: value,
      context: CONTEXT,
    });
  }
  const seqs = sequences.map(asSequence);
  let maxlen: number;
  if (options.maxlen === undefined || options.maxlen === null) {
    if (seqs.length === 0)
      throw new InvalidArgumentError({
        argument: 'sequences',
        expected: 'at least one sequence, or maxlen',
        received: sequences,
        context: CONTEXT,
      });
    maxlen = Math.max(...seqs.map((s) => s.shape[0]!));
  } else {
    maxlen = options.maxlen;
    if (!Number.isInteger(maxlen) || maxlen < 0)
      throw new InvalidArgumentError({
        argument: 'maxlen',
        expected: 'a non-negative integer or null',
        received: maxlen,
        context: CONTEXT,
      });
  }
  const sampleShape = seqs.find((s) => s.shape[0]! > 0)?.shape.slice(1) ?? [];
  const step = sizeOf(sampleShape);
  const out = allocate(dtype, seqs.length * maxlen * step);
  out.fill(value);
  seqs.forEach((s, i) => {
    const length = s.shape[0]!;
    if (length === 0) return;
    if (formatShape(s.shape.slice(1)) !== formatShape(sampleShape)) {
      throw new ShapeError({
        argument: `sequences[${i}]`,
        expected: `steps of shape ${formatShape(sampleShape)} (as the first non-empty sequence)`,
        received: `steps of shape ${formatShape(s.shape.slice(1))}`,
        context: CONTEXT,
      });
    }
    const kept = Math.min(length, maxlen);
    const from = truncating === 'pre' ? length - kept : 0;
    const to = padding === 'post' ? 0 : maxlen - kept;
    const src = s.values.subarray(from * step, (from + kept) * step);
    // Int32Array truncates toward zero, as NumPy's cast to int32 does.
    out.set(src, (i * maxlen + to) * step);
  });
  return new Tensor(out, [seqs.length, maxlen, ...sampleShape], dtype);
}
