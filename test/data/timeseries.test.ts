/**
 * `timeseriesDataset` against Keras's documented behaviour: the examples of the
 * `keras.utils.timeseries_dataset_from_array` docstring and the cases of Keras's own test file
 * (timeseries_dataset_utils_test.py), translated by hand.
 */
import { describe, expect, it } from 'vitest';
import { Dataset, InvalidArgumentError, Tensor, tensor, timeseriesDataset } from '../../src/index.js';
import { expectError } from '../helpers/errors.js';

const arange = (n: number, f = (i: number) => i): number[] => Array.from({ length: n }, (_, i) => f(i));
const rows = (t: Tensor): number[][] => t.arraySync() as number[][];

describe('timeseriesDataset', () => {
  it('docstring example 1: length 10, sampling rate 2, stride 3 over 0..98', () => {
    const ds = timeseriesDataset(arange(99), null, {
      sequenceLength: 10,
      samplingRate: 2,
      sequenceStride: 3,
      batchSize: 1000,
    });
    const [x] = ds.toArray();
    const windows = rows(x!);
    expect(windows[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(windows[1]).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(windows[2]).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(windows.at(-1)).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96]);
    expect(windows.length).toBe(27);
  });

  it('docstring example 2: the target of a window is the one at its start index', () => {
    const data = arange(30, (i) => i * 10);
    const ds = timeseriesDataset(data.slice(0, -10), data.slice(10), { sequenceLength: 10 });
    const [[x, y]] = ds.toArray() as [[Tensor, Tensor]];
    expect(rows(x)[0]).toEqual(data.slice(0, 10));
    expect([...y.dataSync()][0]).toBe(data[10]);
    // 20 inputs, windows of 10: 11 windows, capped by the 20 targets: still 11.
    expect(x.shape).toEqual([11, 10]);
    expect([...y.dataSync()]).toEqual(data.slice(10, 21));
  });

  it('test_basics: 100 steps, length 9, batch 5 → 19 batches, the last of 2, targets = 2 × first step', () => {
    const data = arange(100);
    const ds = timeseriesDataset(
      data,
      data.map((v) => v * 2),
      { sequenceLength: 9, batchSize: 5 },
    );
    expect(ds.length).toBe(19);
    const batches = ds.toArray();
    expect(batches.length).toBe(19);
    batches.forEach(([x, y], i) => {
      expect(x.shape).toEqual([i < 18 ? 5 : 2, 9]);
      rows(x).forEach((w, j) => {
        expect(w).toEqual(arange(9, (k) => i * 5 + j + k));
        expect(y.dataSync()[j]).toBe(w[0]! * 2);
      });
    });
  });

  it('test_timeseries_regression: 7 windows of 3 over 0..9 with targets data[3:]', () => {
    const data = arange(10);
    const batches = timeseriesDataset(data, data.slice(3), { sequenceLength: 3, batchSize: 1 }).toArray();
    expect(batches.length).toBe(7);
    batches.forEach(([x, y], i) => {
      expect(rows(x)).toEqual([data.slice(i, i + 3)]);
      expect([...y.dataSync()]).toEqual([data[i + 3]]);
    });
  });

  it('test_no_targets: 50 steps, length 10, batch 5 → 9 batches, the last of 1', () => {
    const batches = timeseriesDataset(arange(50), null, { sequenceLength: 10, batchSize: 5 }).toArray();
    expect(batches.map((b) => b.shape[0])).toEqual([5, 5, 5, 5, 5, 5, 5, 5, 1]);
    expect(rows(batches[8]!)).toEqual([arange(10, (k) => 40 + k)]);
  });

  it('test_sampling_rate: 84 windows spanning 17 steps, batches of 5, the last of 4', () => {
    const data = arange(100);
    const batches = timeseriesDataset(
      data,
      data.map((v) => v * 2),
      { sequenceLength: 9, batchSize: 5, samplingRate: 2 },
    ).toArray();
    expect(batches.length).toBe(17);
    expect(batches[16]![0].shape).toEqual([4, 9]);
    batches.forEach(([x, y], i) =>
      rows(x).forEach((w, j) => {
        expect(w).toEqual(arange(9, (k) => i * 5 + j + 2 * k));
        expect(y.dataSync()[j]).toBe(w[0]! * 2);
      }),
    );
  });

  it('test_sequence_stride: stride 3 → 31 windows in 7 batches, the last of 1', () => {
    const batches = timeseriesDataset(arange(100), null, {
      sequenceLength: 9,
      batchSize: 5,
      sequenceStride: 3,
    }).toArray();
    expect(batches.length).toBe(7);
    expect(batches[6]!.shape).toEqual([1, 9]);
    batches.forEach((x, i) => rows(x).forEach((w, j) => expect(w[0]).toBe(i * 15 + j * 3)));
  });

  it('test_start_and_end_index: every value used lies in [10, 90)', () => {
    const ds = timeseriesDataset(arange(100), null, {
      sequenceLength: 9,
      batchSize: 5,
      sequenceStride: 3,
      samplingRate: 2,
      startIndex: 10,
      endIndex: 90,
    });
    const all = ds.toArray().flatMap((x) => [...x.dataSync()]);
    expect(Math.min(...all)).toBe(10);
    expect(Math.max(...all)).toBeLessThan(90);
    // n = 90 − 10 − 8·2 = 64 starts, every third: 22 windows.
    expect(ds.sampleCount).toBe(22);
    expect(rows(ds.toArray()[0]!)[0]).toEqual(arange(9, (k) => 10 + 2 * k));
  });

  it('start index shifts the targets with the windows (targets[startIndex + p])', () => {
    const data = arange(20);
    const [[x, y]] = timeseriesDataset(
      data,
      data.map((v) => v + 100),
      { sequenceLength: 3, startIndex: 5, batchSize: 100 },
    ).toArray() as [[Tensor, Tensor]];
    expect(rows(x)[0]).toEqual([5, 6, 7]);
    expect(y.dataSync()[0]).toBe(105);
    expect(x.shape[0]).toBe(13);
  });

  it('keeps the feature axes and the dtypes: [T, F] data gives [B, L, F] windows', () => {
    const data = tensor(arange(12), [6, 2], 'float64');
    const targets = tensor(arange(6), [6], 'int32');
    const [[x, y]] = timeseriesDataset(data, targets, { sequenceLength: 2, batchSize: 10 }).toArray() as [
      [Tensor, Tensor],
    ];
    expect(x.shape).toEqual([5, 2, 2]);
    expect(x.dtype).toBe('float64');
    expect(y.dtype).toBe('int32');
    expect(x.arraySync()).toEqual([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [2, 3],
        [4, 5],
      ],
      [
        [4, 5],
        [6, 7],
      ],
      [
        [6, 7],
        [8, 9],
      ],
      [
        [8, 9],
        [10, 11],
      ],
    ]);
  });

  it('test_shuffle: a seeded order that differs between passes and repeats with the same seed; pairs stay together', () => {
    const data = arange(10);
    const make = () =>
      timeseriesDataset(
        data,
        data.map((v) => v * 2),
        { sequenceLength: 5, batchSize: 1, shuffle: true, seed: 123 },
      );
    const ds = make();
    const pass1 = ds.toArray().map(([x, y]) => {
      expect(y.dataSync()[0]).toBe(x.dataSync()[0]! * 2);
      return x.dataSync()[0]!;
    });
    const pass2 = ds.toArray().map(([x]) => x.dataSync()[0]!);
    expect([...pass1].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...pass2].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pass1).not.toEqual(pass2);
    expect(pass1).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect(
      make()
        .toArray()
        .map(([x]) => x.dataSync()[0]!),
    ).toEqual(pass1);
  });

  it('test_not_batched: batchSize null yields single windows without a batch axis', () => {
    const ds = timeseriesDataset(arange(100), null, { sequenceLength: 9, batchSize: null, shuffle: true });
    const first = ds[Symbol.iterator]().next().value as Tensor;
    expect(first.shape).toEqual([9]);
    expect(ds.length).toBe(92);
    const [x, y] = timeseriesDataset(arange(10), arange(10), { sequenceLength: 3, batchSize: null }).toArray()[0]!;
    expect(x.shape).toEqual([3]);
    expect(y.shape).toEqual([]);
  });

  it('is an async iterable with the same batches', async () => {
    const ds = timeseriesDataset(arange(20), null, { sequenceLength: 4, batchSize: 8 });
    expect(ds).toBeInstanceOf(Dataset);
    const seen: number[][] = [];
    for await (const x of ds) seen.push([...x.dataSync()]);
    expect(seen).toEqual(ds.toArray().map((x) => [...x.dataSync()]));
    expect(ds.cardinality()).toBe(3);
  });

  it("test_errors: Keras's argument checks, as typed errors naming the argument", () => {
    const d = arange(10);
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, startIndex: -1 }),
      InvalidArgumentError,
      'startIndex',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, startIndex: 11 }),
      InvalidArgumentError,
      'startIndex',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, endIndex: -1 }),
      InvalidArgumentError,
      'endIndex',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, endIndex: 11 }),
      InvalidArgumentError,
      'endIndex',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, samplingRate: 0 }),
      InvalidArgumentError,
      'samplingRate',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, sequenceStride: 0 }),
      InvalidArgumentError,
      'sequenceStride',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, sequenceStride: 10 }),
      InvalidArgumentError,
      'sequenceStride',
    );
    expectError(() => timeseriesDataset(d, null, { sequenceLength: 0 }), InvalidArgumentError, 'sequenceLength');
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, batchSize: 0 }),
      InvalidArgumentError,
      'batchSize',
    );
    expectError(
      () => timeseriesDataset(d, null, { sequenceLength: 3, window: 3 } as never),
      InvalidArgumentError,
      'unknown window',
    );
    expectError(() => timeseriesDataset(5 as never, null, { sequenceLength: 3 }), InvalidArgumentError, 'data');
  });

  it('a window longer than the data is an error naming the lengths, not an empty dataset', () => {
    expectError(
      () => timeseriesDataset(arange(10), null, { sequenceLength: 6, samplingRate: 2 }),
      InvalidArgumentError,
      'invalid sequenceLength',
      'fits the 10 steps',
      'spans 11 steps',
    );
  });

  it('targets too short for the windows after the start index are an error', () => {
    expectError(
      () => timeseriesDataset(arange(20), arange(10), { sequenceLength: 3, startIndex: 5 }),
      InvalidArgumentError,
      'invalid targets',
      'up to index 14',
    );
  });

  it('does not modify what it was given', () => {
    const data = arange(10);
    const copy = [...data];
    timeseriesDataset(data, data, { sequenceLength: 3, shuffle: true, seed: 1 }).toArray();
    expect(data).toEqual(copy);
  });
});
