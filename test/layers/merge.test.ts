/**
 * Done when: the merge layers compute Keras 3.15's values (hand-derived from Keras's documented semantics and
 * the docstring example of Dot), their gradients match float64 finite differences, masks combine as Keras's
 * `compute_mask` and masked `_merge_function`s do, and configs read and write Keras's JSON.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { Concatenate } from '../../src/layers/concatenate.js';
import { Dot } from '../../src/layers/dot.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract, type Merge } from '../../src/layers/merge.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { deserializeLayer } from '../../src/keras/layer-classes.js';
import { Masking } from '../../src/layers/masking.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type NestedArray, type Tensor } from '../../src/tensor/tensor.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectError } from '../helpers/errors.js';
import { expectTensor } from '../helpers/tensors.js';

const f32 = (values: NestedArray): Tensor => tensor(values, undefined, 'float32');
const a = f32([
  [1, 2],
  [3, 4],
]);
const b = f32([
  [10, 20],
  [30, 40],
]);
const bool = (values: number[][]): Tensor => tensor(values, undefined, 'bool');

describe('elementwise merge layers: values', () => {
  it.each([
    ['Add', new Add(), [11, 22, 33, 44]],
    ['Subtract', new Subtract(), [-9, -18, -27, -36]],
    ['Multiply', new Multiply(), [10, 40, 90, 160]],
    ['Average', new Average(), [5.5, 11, 16.5, 22]],
    ['Maximum', new Maximum(), [10, 20, 30, 40]],
    ['Minimum', new Minimum(), [1, 2, 3, 4]],
  ] as const)('%s of two [2, 2] tensors', (_name, layer, expected) => {
    expectTensor(layer.apply([a, b]), [2, 2], [...expected]);
  });

  it('Add and Average take any number of inputs', () => {
    expectTensor(new Add().apply([a, a, b]), [2, 2], [12, 24, 36, 48]);
    expectTensor(new Average().apply([a, a, a, b]), [2, 2], [3.25, 6.5, 9.75, 13]);
  });

  it('broadcasts as Keras: a lower-rank input gets axes at 1, not at the front', () => {
    // [1, 3] against [1, 2, 3]: Keras expands [1, 3] to [1, 1, 3].
    const x = f32([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    const y = f32([[10, 20, 30]]);
    expectTensor(new Add().apply([x, y]), [1, 2, 3], [11, 22, 33, 14, 25, 36]);
    expect(
      new Add().computeOutputShape([
        [null, 2, 3],
        [null, 3],
      ]),
    ).toEqual([null, 2, 3]);
    expect(
      new Add().computeOutputShape([
        [4, 1, 3],
        [null, 5, 1],
      ]),
    ).toEqual([4, 5, 3]);
  });

  it('refuses a single tensor, a wrong count, different batch sizes and shapes that do not broadcast', () => {
    expectError(() => new Add().apply(a), ShapeError, 'list');
    expectError(() => new Subtract().apply([a, b, a]), ShapeError, 'exactly 2');
    expectError(() => new Add().apply([a, f32([[1, 2]])]), ShapeError, 'batch size');
    expectError(
      () =>
        new Add().apply([
          a,
          f32([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ]),
      ShapeError,
      'broadcast',
    );
    expectError(() => new Add(null as never), InvalidArgumentError, 'args');
  });

  it('symbolic calls infer the shape', () => {
    const x = input({ shape: [4] });
    const y = input({ shape: [4] });
    expect((new Multiply().apply([x, y]) as SymbolicTensor).shape).toEqual([null, 4]);
  });
});

describe('Concatenate and Dot: values', () => {
  it('Concatenate joins along axis -1 (default) or another axis', () => {
    expectTensor(new Concatenate().apply([a, f32([[5], [6]])]), [2, 3], [1, 2, 5, 3, 4, 6]);
    const x = f32([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
    const y = f32([[[5, 6]]]);
    expectTensor(new Concatenate({ axis: 1 }).apply([x, y]), [1, 3, 2], [1, 2, 3, 4, 5, 6]);
    expect(
      new Concatenate().computeOutputShape([
        [null, 7, 5],
        [null, 7, 3],
      ]),
    ).toEqual([null, 7, 8]);
    expect(
      new Concatenate({ axis: 1 }).computeOutputShape([
        [null, null, 5],
        [null, 3, 5],
      ]),
    ).toEqual([null, null, 5]);
    expectError(() => new Concatenate().apply([x, f32([[[1, 2, 3]]])]), ShapeError, 'match except');
    expectError(() => new Concatenate({ axis: 0 }).apply([a, b]), ShapeError, 'axis');
    expectError(() => new Concatenate({ axis: 1.5 }), InvalidArgumentError, 'axis');
  });

  it('Dot: Keras’s docstring example, axes (1, 2)', () => {
    const x = tensor([...Array(10).keys()], [1, 5, 2]);
    const y = tensor(
      [...Array(10).keys()].map((v) => v + 10),
      [1, 2, 5],
    );
    expectTensor(new Dot({ axes: [1, 2] }).apply([x, y]), [1, 2, 2], [260, 360, 320, 445]);
  });

  it('Dot of vectors is [batch, 1]; normalize gives the cosine similarity', () => {
    const x = f32([
      [1, 2, 3],
      [1, 0, 0],
    ]);
    const y = f32([
      [4, 5, 6],
      [0, 2, 0],
    ]);
    expectTensor(new Dot({ axes: -1 }).apply([x, y]), [2, 1], [32, 0]);
    expectTensor(new Dot({ axes: 1, normalize: true }).apply([x, y]), [2, 1], [32 / Math.sqrt(14 * 77), 0]);
    expect(
      new Dot({ axes: 1 }).computeOutputShape([
        [null, 3],
        [null, 3],
      ]),
    ).toEqual([null, 1]);
  });

  it('Dot of a sequence with a vector (attention scores) and its shape rules', () => {
    const seq = f32([
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    ]);
    const q = f32([[2, 3]]);
    expectTensor(new Dot({ axes: [2, 1] }).apply([seq, q]), [1, 3], [2, 3, 5]);
    expect(
      new Dot({ axes: [2, 1] }).computeOutputShape([
        [null, 7, 4],
        [null, 4],
      ]),
    ).toEqual([null, 7]);
    expectError(() => new Dot({ axes: [2, 1] }).apply([seq, f32([[1, 2, 3]])]), ShapeError, 'equal sizes');
    expectError(() => new Dot({ axes: 0 }).apply([q, q]), ShapeError, 'batch axis');
    expectError(() => new Dot({ axes: [1, 2, 3] as never }), InvalidArgumentError, 'axes');
    expectError(() => new Dot({ axes: 1, normalize: 'yes' as never }), InvalidArgumentError, 'normalize');
  });
});

describe('gradients match float64 finite differences', () => {
  const rng = new Random(7);
  const pair = (): Tensor[] => [
    randomFloat64(rng, [2, 3, 4], { minAbs: 0.05 }),
    randomFloat64(rng, [2, 3, 4], { minAbs: 0.05 }),
  ];
  it.each([
    ['Add', () => new Add({ dtype: 'float64' })],
    ['Subtract', () => new Subtract({ dtype: 'float64' })],
    ['Multiply', () => new Multiply({ dtype: 'float64' })],
    ['Average', () => new Average({ dtype: 'float64' })],
    ['Maximum', () => new Maximum({ dtype: 'float64' })],
    ['Minimum', () => new Minimum({ dtype: 'float64' })],
    ['Concatenate(axis=1)', () => new Concatenate({ axis: 1, dtype: 'float64' })],
    ['Dot(axes=[2, 2])', () => new Dot({ axes: [2, 2], dtype: 'float64' })],
    ['Dot(axes=[1, 1], normalize)', () => new Dot({ axes: [1, 1], normalize: true, dtype: 'float64' })],
  ] as const)('%s', (_name, make) => {
    const layer: Merge = make();
    const report = checkGradients((x, y) => layer.call([x!, y!]), pair());
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });

  it('Dot of rank-2 with rank-3 inputs', () => {
    const layer = new Dot({ axes: [1, 2], dtype: 'float64' });
    const report = checkGradients(
      (x, y) => layer.call([x!, y!]),
      [randomFloat64(rng, [2, 4]), randomFloat64(rng, [2, 3, 4])],
    );
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });
});

describe('masks, as Keras 3.15', () => {
  const x1 = (): Tensor => attachMask(f32([[[2], [3]]]), bool([[1, 0]]));
  const x2 = (mask: number[][] | null): Tensor => attachMask(f32([[[5], [1]]]), mask === null ? null : bool(mask));

  it('Add, Subtract, Average: the OR of the masks when every input has one, else none; values unchanged', () => {
    const y = new Add().apply([x1(), x2([[0, 1]])]);
    expectTensor(y, [1, 2, 1], [7, 4]);
    expect(maskOf(y)!.arraySync()).toEqual([[true, true]]);
    expect(maskOf(new Average().apply([x1(), x2([[0, 0]])]))!.arraySync()).toEqual([[true, false]]);
    expect(maskOf(new Subtract().apply([x1(), x2(null)]))).toBeNull();
  });

  it('Multiply counts masked entries as 1 and gives 0 where every input is masked', () => {
    const both = new Multiply().apply([x1(), x2([[0, 0]])]);
    expectTensor(both, [1, 2, 1], [2, 0]);
    expect(maskOf(both)!.arraySync()).toEqual([[true, false]]);
    const one = new Multiply().apply([x1(), x2(null)]);
    expectTensor(one, [1, 2, 1], [10, 1]);
    expect(maskOf(one)).toBeNull();
  });

  it('Maximum and Minimum take the other operand at masked entries', () => {
    // Step 0: x2 masked → x1's 2 against itself; step 1: x1 masked → x2's 1 against itself.
    for (const layer of [new Maximum(), new Minimum()]) {
      const y = layer.apply([x1(), x2([[0, 1]])]);
      expectTensor(y, [1, 2, 1], [2, 1]);
      expect(maskOf(y)!.arraySync()).toEqual([[true, true]]);
    }
    // x1's masked step takes x2's value first: max(1, 1), not max(3, 1).
    expectTensor(new Maximum().apply([x1(), x2(null)]), [1, 2, 1], [5, 1]);
  });

  it('Concatenate widens, joins and ORs over the last axis: any unmasked input keeps every step (axis -1)', () => {
    expect(maskOf(new Concatenate().apply([x1(), x2(null)]))!.arraySync()).toEqual([[true, true]]);
    expect(maskOf(new Concatenate().apply([x1(), x2([[0, 0]])]))!.arraySync()).toEqual([[true, false]]);
    expect(maskOf(new Concatenate({ axis: 1 }).apply([x1(), x2([[0, 1]])]))!.arraySync()).toEqual([
      [true, false, false, true],
    ]);
    expect(maskOf(new Concatenate({ axis: 1 }).apply([x1(), x2(null)]))!.arraySync()).toEqual([
      [true, false, true, true],
    ]);
    expect(maskOf(new Concatenate().apply([x2(null), x2(null)]))).toBeNull();
  });

  it('Dot outputs no mask', () => {
    expect(maskOf(new Dot({ axes: 2 }).apply([x1(), x2([[1, 1]])]))).toBeNull();
  });

  it('symbolic: Concatenate is masked when any input is, the others when all are, Dot never', () => {
    const m = new Masking().apply(input({ shape: [3, 2] })) as SymbolicTensor;
    const plain = input({ shape: [3, 2] });
    expect((new Concatenate().apply([m, plain]) as SymbolicTensor).mask).not.toBeNull();
    expect((new Add().apply([m, plain]) as SymbolicTensor).mask).toBeNull();
    expect((new Add().apply([m, m]) as SymbolicTensor).mask).not.toBeNull();
    expect((new Dot({ axes: 2 }).apply([m, m]) as SymbolicTensor).mask).toBeNull();
  });
});

describe('Keras configs', () => {
  it('Concatenate reads the config Keras wrote and writes it back key for key', () => {
    const entry = USER_CONCATENATE;
    const layer = deserializeLayer(entry) as Concatenate;
    expect(layer).toBeInstanceOf(Concatenate);
    expect(layer.axis).toBe(-1);
    expect(layer.getConfig()).toEqual(entry.config);
    expect(Object.keys(layer.getConfig())).toEqual(['name', 'trainable', 'dtype', 'axis']);
  });

  it.each([Add, Subtract, Multiply, Average, Maximum, Minimum])('%o: the base config only, and back', (cls) => {
    const layer = new cls({ name: 'm' });
    expect(Object.keys(layer.getConfig())).toEqual(['name', 'trainable', 'dtype']);
    const copy = deserializeLayer({ class_name: layer.className, config: layer.getConfig() });
    expect(copy).toBeInstanceOf(cls);
    expect(copy.getConfig()).toEqual(layer.getConfig());
  });

  it('Dot: axes (an integer or a pair) and normalize; unknown keys refused by name', () => {
    const layer = new Dot({ axes: [1, 2], normalize: true, name: 'd' });
    expect(layer.getConfig()).toMatchObject({ name: 'd', axes: [1, 2], normalize: true });
    expect(Dot.fromConfig(layer.getConfig()).axes).toEqual([1, 2]);
    expect(Dot.fromConfig({ name: 'e', axes: -1 }).axes).toBe(-1);
    expectError(() => Dot.fromConfig({ axes: 1, bogus: 1 }), InvalidArgumentError, 'config.bogus');
  });
});

// The Concatenate entry of test/fixtures/user-models/bidirectional_encoder_decoder.keras's config.json.
const USER_CONCATENATE = {
  module: 'keras.layers',
  class_name: 'Concatenate',
  config: {
    name: 'concatenate',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
    axis: -1,
  },
  registered_name: null,
  build_config: {
    input_shape: [
      [null, 5],
      [null, 5],
    ],
  },
};
