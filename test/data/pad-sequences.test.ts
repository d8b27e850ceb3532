/** `padSequences` against the examples of Keras's `pad_sequences` docstring and its argument handling. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, padSequences, tensor } from '../../src/index.js';
import { expectError } from '../helpers/errors.js';

const sequence = [[1], [2, 3], [4, 5, 6]];

describe('padSequences', () => {
  it('the docstring examples: pre-padding by default, value, post-padding, maxlen truncating pre', () => {
    const t = padSequences(sequence);
    expect(t.dtype).toBe('int32');
    expect(t.arraySync()).toEqual([
      [0, 0, 1],
      [0, 2, 3],
      [4, 5, 6],
    ]);
    expect(padSequences(sequence, { value: -1 }).arraySync()).toEqual([
      [-1, -1, 1],
      [-1, 2, 3],
      [4, 5, 6],
    ]);
    expect(padSequences(sequence, { padding: 'post' }).arraySync()).toEqual([
      [1, 0, 0],
      [2, 3, 0],
      [4, 5, 6],
    ]);
    expect(padSequences(sequence, { maxlen: 2 }).arraySync()).toEqual([
      [0, 1],
      [2, 3],
      [5, 6],
    ]);
  });

  it('truncating post keeps the start; padding and truncating combine', () => {
    expect(padSequences(sequence, { maxlen: 2, truncating: 'post' }).arraySync()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(padSequences(sequence, { maxlen: 2, truncating: 'post', padding: 'post' }).arraySync()).toEqual([
      [1, 0],
      [2, 3],
      [4, 5],
    ]);
    expect(padSequences(sequence, { maxlen: 4 }).arraySync()).toEqual([
      [0, 0, 0, 1],
      [0, 0, 2, 3],
      [0, 4, 5, 6],
    ]);
  });

  it('casts to int32 toward zero as NumPy does, keeps floats with a float dtype', () => {
    expect(padSequences([[1.7, -1.7]]).arraySync()).toEqual([[1, -1]]);
    const f = padSequences([[0.5], [1.5, 2.5]], { dtype: 'float32', value: 0.25 });
    expect(f.dtype).toBe('float32');
    expect(f.arraySync()).toEqual([
      [0.25, 0.5],
      [1.5, 2.5],
    ]);
  });

  it('keeps the sample shape of the first non-empty sequence; empty sequences are all padding', () => {
    const t = padSequences(
      [
        [],
        [[1, 2]],
        [
          [3, 4],
          [5, 6],
        ],
        tensor([[7, 8]]),
      ],
      { dtype: 'float64' },
    );
    expect(t.shape).toEqual([4, 2, 2]);
    expect(t.arraySync()).toEqual([
      [
        [0, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [1, 2],
      ],
      [
        [3, 4],
        [5, 6],
      ],
      [
        [0, 0],
        [7, 8],
      ],
    ]);
    expectError(
      () => padSequences([[[1, 2]], [[1, 2, 3]]]),
      ShapeError,
      'sequences[1]',
      'steps of shape [2]',
      'received "steps of shape [3]"',
    );
  });

  it('an empty list needs maxlen; maxlen 0 gives empty rows', () => {
    expect(padSequences([], { maxlen: 3 }).shape).toEqual([0, 3]);
    expect(padSequences(sequence, { maxlen: 0 }).shape).toEqual([3, 0]);
    expectError(() => padSequences([]), InvalidArgumentError, 'at least one sequence, or maxlen');
  });

  it('rejects bad arguments with typed errors, and does not modify its input', () => {
    expectError(() => padSequences(sequence, { padding: 'middle' as never }), InvalidArgumentError, 'padding');
    expectError(() => padSequences(sequence, { truncating: 'x' as never }), InvalidArgumentError, 'truncating');
    expectError(() => padSequences(sequence, { maxlen: -1 }), InvalidArgumentError, 'maxlen');
    expectError(() => padSequences(sequence, { dtype: 'bool' as never }), InvalidArgumentError, 'dtype');
    expectError(() => padSequences(sequence, { value: Infinity }), InvalidArgumentError, 'value');
    expectError(() => padSequences([1, 2] as never), InvalidArgumentError, 'sequences[0]');
    expectError(() => padSequences('abc' as never), InvalidArgumentError, 'sequences');
    const input = [[1], [2, 3]];
    padSequences(input, { maxlen: 1 });
    expect(input).toEqual([[1], [2, 3]]);
  });
});
