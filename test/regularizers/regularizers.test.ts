/**
 * Regularizers: penalties against the losses real Keras reported (fwd-regularizers fixture), gradients against
 * finite differences, the Keras 3.15 config quirks (L1's float32 factor), the registry and errors.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, UnknownNameError } from '../../src/errors.js';
import { matMul, sum, transpose } from '../../src/ops/index.js';
import { Random } from '../../src/random/rng.js';
import {
  L1,
  L1L2,
  L2,
  OrthogonalRegularizer,
  Regularizer,
  getRegularizer,
  listRegularizers,
  serializeRegularizer,
} from '../../src/regularizers/index.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { loadFixture, type FixtureTensor, type ForwardFixture } from '../helpers/fixtures.js';

const rng = new Random(31);
const fromFixture = (t: FixtureTensor): Tensor => tensor(t.data, t.shape, 'float32');

describe('penalties', () => {
  it('L1, L2, L1L2 values', () => {
    const x = tensor(
      [
        [1, -2],
        [3, -4],
      ],
      undefined,
      'float64',
    );
    expect(new L1(0.5).call(x).values[0]).toBe(5);
    expect(new L2(0.5).call(x).values[0]).toBe(15);
    expect(new L1L2({ l1: 0.5, l2: 0.5 }).call(x).values[0]).toBe(20);
    expect(new L1L2().call(x).values[0]).toBe(0);
    expect(new L1().call(x).values[0]).toBeCloseTo(Math.fround(0.01) * 10, 12);
    expect(new L2().call(x).values[0]).toBeCloseTo(0.3, 12);
    expect(new L2(0.5).call(x).shape).toEqual([]);
  });

  it("match the losses Keras 3.15 reported for a GRU's weights and output (fwd-regularizers)", () => {
    const f = loadFixture<ForwardFixture>('fwd-regularizers');
    const config = f.keras_config;
    const [kernel, recurrent, bias] = f.weights.map(fromFixture) as [Tensor, Tensor, Tensor];
    const kernelReg = getRegularizer(config['kernel_regularizer'] as { class_name: string })!;
    const recurrentReg = getRegularizer(config['recurrent_regularizer'] as { class_name: string })!;
    const biasReg = getRegularizer(config['bias_regularizer'] as { class_name: string })!;
    const activityReg = getRegularizer(config['activity_regularizer'] as { class_name: string })!;
    const losses = f.losses!;
    const close = (actual: number, expected: number): void =>
      expect(Math.abs(actual - expected)).toBeLessThan(2e-7 * Math.max(1, Math.abs(expected)));
    // `layer.losses` lists the activity penalty first (then kernel, recurrent, bias), whatever SOURCE.md says.
    // Keras divides the activity penalty by the batch size.
    const output = fromFixture(f.outputs[0]!);
    close(activityReg.call(output).values[0]! / output.shape[0]!, losses[0]!);
    close(kernelReg.call(kernel).values[0]!, losses[1]!);
    close(recurrentReg.call(recurrent).values[0]!, losses[2]!);
    close(biasReg.call(bias).values[0]!, losses[3]!);
  });

  it('compute in the input dtype', () => {
    expect(new L2().call(tensor([1, 2])).dtype).toBe('float32');
    expect(new L1().call(tensor([1, 2], undefined, 'float64')).dtype).toBe('float64');
    expect(new L1L2().call(tensor([1, 2], undefined, 'float64')).dtype).toBe('float64');
  });

  it('do not mutate their input', () => {
    const x = tensor([1, -2, 3]);
    const before = x.dataSync();
    for (const r of [new L1(), new L2(), new L1L2({ l1: 1, l2: 1 })]) r.call(x);
    expect(x.dataSync()).toEqual(before);
  });
});

describe('gradients (float64 finite differences)', () => {
  it('L1, L2, L1L2, OrthogonalRegularizer', () => {
    const x = randomFloat64(rng, [4, 3], { minAbs: 0.05 });
    checkGradients((v) => new L1(0.3).call(v), [x]);
    checkGradients((v) => new L2(0.7).call(v), [x]);
    checkGradients((v) => new L1L2({ l1: 0.2, l2: 0.4 }).call(v), [x]);
  });
});

describe('OrthogonalRegularizer', () => {
  it('is zero for orthogonal rows and positive otherwise', () => {
    const eye = tensor(
      [
        [1, 0, 0],
        [0, 2, 0],
      ],
      undefined,
      'float64',
    );
    expect(new OrthogonalRegularizer().call(eye).values[0]).toBeCloseTo(0, 15);
    // Two rows at 45°: |cos| = √½; one pair; penalty = factor · ½ · (2 · √½) / 1.
    const x = tensor(
      [
        [1, 0],
        [1, 1],
      ],
      undefined,
      'float64',
    );
    expect(new OrthogonalRegularizer({ factor: 0.5 }).call(x).values[0]).toBeCloseTo(0.5 * Math.SQRT1_2, 12);
    // Columns mode is rows mode on the transpose.
    const y = randomFloat64(rng, [3, 5]);
    const cols = new OrthogonalRegularizer({ mode: 'columns' }).call(y).values[0]!;
    const rows = new OrthogonalRegularizer({ mode: 'rows' }).call(transpose(y)).values[0]!;
    expect(cols).toBeCloseTo(rows, 12);
    expect(() => new OrthogonalRegularizer().call(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => new OrthogonalRegularizer({ mode: 'diagonal' as 'rows' })).toThrow(InvalidArgumentError);
    expect(new OrthogonalRegularizer({ factor: 0.3 }).getConfig()).toEqual({ factor: Math.fround(0.3), mode: 'rows' });
  });

  it('has a gradient', () => {
    const x = randomFloat64(rng, [3, 4], { minAbs: 0.1 });
    checkGradients((v) => new OrthogonalRegularizer({ factor: 0.7 }).call(v), [x], { rtol: 1e-5 });
    // sanity: matMul is used on the normalized rows
    expect(sum(matMul(x, x, false, true)).size).toBe(1);
  });
});

describe('configs and serialization (Keras 3.15)', () => {
  it("L1 keeps Keras's float32 factor; L2 and L1L2 keep exact floats", () => {
    expect(new L1(0.002).getConfig()).toEqual({ l1: 0.0020000000949949026 });
    expect(new L2(0.01).getConfig()).toEqual({ l2: 0.01 });
    expect(new L1L2({ l1: 0.001, l2: 0.003 }).getConfig()).toEqual({ l1: 0.001, l2: 0.003 });
    expect(Object.keys(new L1L2().getConfig())).toEqual(['l1', 'l2']);
  });

  it('serialize exactly as the Keras fixture does, and round trip', () => {
    const config = loadFixture<ForwardFixture>('fwd-regularizers').keras_config;
    for (const key of ['kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer']) {
      const json = config[key] as { class_name: string; config: Record<string, unknown> };
      const r = getRegularizer(json);
      expect(serializeRegularizer(r)).toEqual(json);
      expect(JSON.stringify(serializeRegularizer(r))).toBe(JSON.stringify(json));
    }
    expect(serializeRegularizer(new L2(0.01))).toEqual({
      module: 'keras.regularizers',
      class_name: 'L2',
      config: { l2: 0.01 },
      registered_name: null,
    });
    expect(serializeRegularizer(null)).toBeNull();
    for (const r of [
      new L1(0.3),
      new L2(0.2),
      new L1L2({ l1: 0.1 }),
      new OrthogonalRegularizer({ factor: 0.2, mode: 'columns' }),
    ]) {
      const back = getRegularizer(JSON.parse(JSON.stringify(serializeRegularizer(r))) as { class_name: string })!;
      expect(back.className).toBe(r.className);
      expect(back.getConfig()).toEqual(r.getConfig());
    }
  });

  it('reads Keras 2 forms (no module) and null factors as defaults', () => {
    expect(getRegularizer({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } })!.getConfig()).toEqual({
      l1: 0,
      l2: 0.01,
    });
    expect(getRegularizer({ class_name: 'L2', config: { l2: null } })!.getConfig()).toEqual({ l2: 0.01 });
  });
});

describe('getRegularizer', () => {
  it('names, instances, functions and null', () => {
    expect(getRegularizer(null)).toBeNull();
    expect(getRegularizer(undefined)).toBeNull();
    expect(getRegularizer('l2')).toBeInstanceOf(L2);
    expect(getRegularizer('L1')).toBeInstanceOf(L1);
    expect(getRegularizer('l1_l2')).toBeInstanceOf(L1L2);
    expect(getRegularizer('l1_l2')!.getConfig()).toEqual({ l1: 0, l2: 0 });
    expect(getRegularizer('orthogonal_regularizer')).toBeInstanceOf(OrthogonalRegularizer);
    for (const n of listRegularizers()) expect(getRegularizer(n)).toBeInstanceOf(Regularizer);
    const r = new L2(0.3);
    expect(getRegularizer(r)).toBe(r);
    const fn = getRegularizer(function half(x: Tensor) {
      return sum(x);
    })!;
    expect(fn.call(tensor([1, 2])).values[0]).toBe(3);
    expect(serializeRegularizer(fn)).toEqual({ module: null, class_name: 'half', config: {}, registered_name: 'half' });
    expect(() => getRegularizer((x: Tensor) => x)!.call(tensor([1, 2]))).toThrow(InvalidArgumentError);
  });

  it('errors', () => {
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getRegularizer('l3', 'kernel_regularizer')).toThrow(UnknownNameError);
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getRegularizer('l3', 'kernel_regularizer')).toThrow(/kernel_regularizer.*"l3"/);
    expect(() => new L2(-1)).toThrow(InvalidArgumentError);
    expect(() => new L1(NaN)).toThrow(InvalidArgumentError);
    expect(() => getRegularizer({ class_name: 'L2', config: { l2: 'big' } })).toThrow(InvalidArgumentError);
    expect(() => getRegularizer({ class_name: 'L2', config: { l1: 0.1 } })).toThrow(/l1/);
    expect(() => getRegularizer(5 as never)).toThrow(InvalidArgumentError);
  });
});
