/**
 * Initializers: sample statistics on large shapes, orthogonality of Orthogonal on GRU-shaped kernels, seeds,
 * fans, exact Keras 3.15 configs (checked against the configs in the vendored Keras fixtures) and round trips.
 */
import { describe, expect, it } from 'vitest';
import { DTypeError, InvalidArgumentError, ShapeError, UnknownNameError } from '../../src/errors.js';
import {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Identity,
  Initializer,
  LecunNormal,
  LecunUniform,
  Ones,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  Zeros,
  computeFans,
  getInitializer,
  householderQR,
  listInitializers,
  serializeInitializer,
} from '../../src/initializers/index.js';
import { Random, setRandomSeed } from '../../src/random/rng.js';
import { fill, type Tensor } from '../../src/tensor/tensor.js';
import { loadFixture } from '../helpers/fixtures.js';

function stats(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.values) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / t.size;
  let q = 0;
  for (const v of t.values) q += (v - mean) ** 2;
  return { mean, variance: q / t.size, min, max };
}

/** Variance of the standard normal truncated to ±2. */
const TRUNCATED_VARIANCE = 0.7737413083023169;

describe('constant initializers', () => {
  it('Zeros, Ones, Constant, Identity', () => {
    expect(Array.from(new Zeros().call([2, 2]).values)).toEqual([0, 0, 0, 0]);
    expect(new Zeros().call([3], 'int32').dtype).toBe('int32');
    expect(Array.from(new Ones().call([3]).values)).toEqual([1, 1, 1]);
    expect(Array.from(new Constant({ value: 2.5 }).call([2], 'float64').values)).toEqual([2.5, 2.5]);
    expect(Array.from(new Identity({ gain: 3 }).call([2, 3]).values)).toEqual([3, 0, 0, 0, 3, 0]);
    expect(() => new Identity().call([2, 2, 2])).toThrow(ShapeError);
    expect(() => new Constant({ value: NaN })).toThrow(InvalidArgumentError);
  });

  it('validate shape and dtype', () => {
    expect(() => new Zeros().call([2, -1])).toThrow(InvalidArgumentError);
    expect(() => new Zeros().call([2], 'float16' as 'float32')).toThrow(InvalidArgumentError);
    expect(() => new RandomNormal({ seed: 1 }).call([2], 'int32')).toThrow(DTypeError);
  });
});

describe('random initializers: statistics', () => {
  const N = 200_000;

  it('RandomUniform: bounds, mean, variance', () => {
    const t = new RandomUniform({ minval: -0.3, maxval: 0.7, seed: 1 }).call([N]);
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-0.3);
    expect(s.max).toBeLessThan(Math.fround(0.7));
    expect(s.mean).toBeCloseTo(0.2, 2);
    expect(Math.abs(s.variance - 1 / 12) / (1 / 12)).toBeLessThan(0.02);
  });

  it('RandomNormal: mean and variance', () => {
    const s = stats(new RandomNormal({ mean: 1, stddev: 0.5, seed: 2 }).call([N], 'float64'));
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(s.variance - 0.25) / 0.25).toBeLessThan(0.02);
  });

  it('TruncatedNormal: within two stddevs, truncated variance', () => {
    const s = stats(new TruncatedNormal({ mean: -1, stddev: 0.1, seed: 3 }).call([N]));
    expect(s.min).toBeGreaterThanOrEqual(-1.2 - 1e-6);
    expect(s.max).toBeLessThanOrEqual(-0.8 + 1e-6);
    expect(Math.abs(s.mean + 1)).toBeLessThan(0.002);
    expect(Math.abs(s.variance - 0.01 * TRUNCATED_VARIANCE) / (0.01 * TRUNCATED_VARIANCE)).toBeLessThan(0.02);
  });

  it('GlorotUniform on [400, 600]: limit √(6/1000), variance 2/1000', () => {
    const s = stats(new GlorotUniform({ seed: 4 }).call([400, 600]));
    const limit = Math.sqrt(6 / 1000);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(Math.abs(s.mean)).toBeLessThan(0.001);
    expect(Math.abs(s.variance - 2 / 1000) / (2 / 1000)).toBeLessThan(0.02);
  });

  const families: [string, () => Initializer, (fanIn: number, fanOut: number) => number, number | null][] = [
    // name, constructor, expected variance, truncation bound in stddevs of the underlying normal (null: uniform)
    ['GlorotNormal', () => new GlorotNormal({ seed: 5 }), (i, o) => 2 / (i + o), 2],
    ['HeNormal', () => new HeNormal({ seed: 6 }), (i) => 2 / i, 2],
    ['HeUniform', () => new HeUniform({ seed: 7 }), (i) => 2 / i, null],
    ['LecunNormal', () => new LecunNormal({ seed: 8 }), (i) => 1 / i, 2],
    ['LecunUniform', () => new LecunUniform({ seed: 9 }), (i) => 1 / i, null],
    [
      'VarianceScaling(3, fan_out, untruncated_normal)',
      () => new VarianceScaling({ scale: 3, mode: 'fan_out', distribution: 'untruncated_normal', seed: 10 }),
      (_i, o) => 3 / o,
      null,
    ],
  ];
  for (const [name, make, variance] of families) {
    it(`${name}: variance on [300, 700]`, () => {
      const s = stats(make().call([300, 700]));
      const expected = variance(300, 700);
      expect(Math.abs(s.mean)).toBeLessThan(0.002);
      expect(Math.abs(s.variance - expected) / expected).toBeLessThan(0.02);
    });
  }

  it('VarianceScaling uses the receptive field for rank > 2, and at least 1 as the fan', () => {
    const s = stats(
      new VarianceScaling({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: 11 }).call([5, 5, 40, 100]),
    );
    expect(Math.abs(s.variance - 1 / 1000) / (1 / 1000)).toBeLessThan(0.02);
    const zeroFan = new VarianceScaling({ distribution: 'uniform', seed: 1 }).call([0, 4]);
    expect(zeroFan.size).toBe(0);
  });
});

describe('computeFans', () => {
  it("follows Keras 3's rules", () => {
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([3, 12])).toEqual({ fanIn: 3, fanOut: 12 });
    expect(computeFans([2, 3, 4, 5])).toEqual({ fanIn: 24, fanOut: 30 });
    expect(computeFans([2, 3, 4], [0, 1], [2])).toEqual({ fanIn: 6, fanOut: 4 });
    expect(computeFans([2, 3, 4], [-1], [0])).toEqual({ fanIn: 4, fanOut: 2 });
    expect(() => computeFans([2, 3], [5], [0])).toThrow(ShapeError);
  });
});

describe('Orthogonal', () => {
  /** max |M Mᵀ − g²I| (rows) or |Mᵀ M − g²I| (columns) for a [r, c] matrix. */
  function orthogonalityError(values: ArrayLike<number>, r: number, c: number, byRows: boolean, gain = 1): number {
    const n = byRows ? r : c;
    const k = byRows ? c : r;
    const at = (i: number, j: number): number => (byRows ? values[i * c + j]! : values[j * c + i]!);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let m = 0; m < k; m++) dot += at(i, m) * at(j, m);
        worst = Math.max(worst, Math.abs(dot - (i === j ? gain * gain : 0)));
      }
    }
    return worst;
  }

  for (const units of [1, 5, 16, 33]) {
    it(`a GRU recurrent kernel [${units}, ${3 * units}] has orthonormal rows; [${3 * units}, ${units}] orthonormal columns`, () => {
      const wide = new Orthogonal({ seed: units }).call([units, 3 * units]);
      expect(orthogonalityError(wide.values, units, 3 * units, true)).toBeLessThan(1e-5);
      const tall = new Orthogonal({ seed: units }).call([3 * units, units]);
      expect(orthogonalityError(tall.values, 3 * units, units, false)).toBeLessThan(1e-5);
      const square = new Orthogonal({ seed: units }).call([units, units], 'float64');
      expect(orthogonalityError(square.values, units, units, true)).toBeLessThan(1e-12);
      expect(orthogonalityError(square.values, units, units, false)).toBeLessThan(1e-12);
    });
  }

  it('flattens leading dimensions, applies the gain', () => {
    const t = new Orthogonal({ seed: 3, gain: 2 }).call([2, 3, 4], 'float64');
    expect(t.shape).toEqual([2, 3, 4]);
    expect(orthogonalityError(t.values, 6, 4, false, 2)).toBeLessThan(1e-12);
    expect(() => new Orthogonal().call([4])).toThrow(ShapeError);
  });

  it('householderQR: A = QR with orthonormal Q and the returned diagonal of R', () => {
    const rng = new Random(9);
    const m = 7;
    const n = 4;
    const a = Float64Array.from({ length: m * n }, () => rng.normal());
    const copy = Float64Array.from(a);
    const { q, rDiag } = householderQR(a, m, n);
    expect(a).toEqual(copy); // input untouched
    // R = QᵀA must be upper triangular with diagonal rDiag, and QR must give back A.
    const r = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < m; k++) r[i * n + j]! += q[k * n + i]! * a[k * n + j]!;
    for (let i = 0; i < n; i++) {
      expect(r[i * n + i]).toBeCloseTo(rDiag[i]!, 12);
      for (let j = 0; j < i; j++) expect(Math.abs(r[i * n + j]!)).toBeLessThan(1e-12);
    }
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let i = 0; i < n; i++) v += q[k * n + i]! * r[i * n + j]!;
        expect(v).toBeCloseTo(a[k * n + j]!, 12);
      }
    }
  });
});

describe('seeds', () => {
  const makers: [string, (seed: number | null) => Initializer][] = [
    ['RandomNormal', (seed) => new RandomNormal({ seed })],
    ['TruncatedNormal', (seed) => new TruncatedNormal({ seed })],
    ['RandomUniform', (seed) => new RandomUniform({ seed })],
    ['GlorotUniform', (seed) => new GlorotUniform({ seed })],
    ['HeNormal', (seed) => new HeNormal({ seed })],
    ['Orthogonal', (seed) => new Orthogonal({ seed })],
  ];
  for (const [name, make] of makers) {
    it(`${name}: same seed, same values on every call; other seed, other values; null seed fixed per instance`, () => {
      const a = make(42).call([6, 5]);
      expect(Array.from(make(42).call([6, 5]).values)).toEqual(Array.from(a.values));
      const once = make(42);
      expect(Array.from(once.call([6, 5]).values)).toEqual(Array.from(once.call([6, 5]).values));
      expect(Array.from(make(43).call([6, 5]).values)).not.toEqual(Array.from(a.values));
      const unseeded = make(null);
      expect(Array.from(unseeded.call([6, 5]).values)).toEqual(Array.from(unseeded.call([6, 5]).values));
      expect(Array.from(make(null).call([6, 5]).values)).not.toEqual(Array.from(unseeded.call([6, 5]).values));
      expect(unseeded.getConfig()['seed']).toBeNull();
      expect(make(42).getConfig()['seed']).toBe(42);
    });
  }

  it('setRandomSeed makes unseeded initializers reproducible', () => {
    setRandomSeed(123);
    const a = new GlorotUniform().call([3, 4]);
    setRandomSeed(123);
    const b = new GlorotUniform().call([3, 4]);
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  });

  it('rejects non-integer seeds', () => {
    expect(() => new GlorotUniform({ seed: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => getInitializer({ class_name: 'Orthogonal', config: { seed: 'x' } })).toThrow(InvalidArgumentError);
  });
});

describe('configs (Keras 3.15)', () => {
  it('have exactly Keras 3 keys, in order', () => {
    const keys = (i: Initializer): string[] => Object.keys(i.getConfig());
    expect(new GlorotUniform().getConfig()).toEqual({ seed: null, input_axes: null, output_axes: null });
    expect(keys(new GlorotUniform())).toEqual(['seed', 'input_axes', 'output_axes']);
    expect(keys(new HeNormal())).toEqual(['seed', 'input_axes', 'output_axes']);
    expect(new Orthogonal().getConfig()).toEqual({ seed: null, gain: 1 });
    expect(keys(new Orthogonal())).toEqual(['seed', 'gain']);
    expect(new Zeros().getConfig()).toEqual({});
    expect(new RandomUniform().getConfig()).toEqual({ seed: null, minval: -0.05, maxval: 0.05 });
    expect(keys(new RandomUniform())).toEqual(['seed', 'minval', 'maxval']);
    expect(keys(new RandomNormal())).toEqual(['seed', 'mean', 'stddev']);
    expect(keys(new TruncatedNormal())).toEqual(['seed', 'mean', 'stddev']);
    expect(new VarianceScaling().getConfig()).toEqual({
      seed: null,
      scale: 1,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      input_axes: null,
      output_axes: null,
    });
    expect(keys(new VarianceScaling())).toEqual(['seed', 'scale', 'mode', 'distribution', 'input_axes', 'output_axes']);
    expect(new Constant({ value: 0.3 }).getConfig()).toEqual({ value: 0.3 });
    expect(new Identity().getConfig()).toEqual({ gain: 1 });
  });

  it('serialize exactly as in the Keras fixture files', () => {
    for (const name of ['fwd-default', 'fwd-nobias', 'model-text_classifier']) {
      const found: Record<string, unknown>[] = [];
      const walk = (o: unknown): void => {
        if (Array.isArray(o)) o.forEach(walk);
        else if (typeof o === 'object' && o !== null) {
          const rec = o as Record<string, unknown>;
          if (rec['module'] === 'keras.initializers') found.push(rec);
          Object.values(rec).forEach(walk);
        }
      };
      walk(loadFixture<unknown>(name));
      expect(found.length).toBeGreaterThan(0);
      for (const config of found) {
        const { shared_object_id: _ignored, ...plain } = config;
        const identifier = config as { class_name: string; config: Record<string, unknown> };
        expect(serializeInitializer(getInitializer(identifier))).toEqual(plain);
        // Same keys in the same order, too.
        expect(JSON.stringify(serializeInitializer(getInitializer(identifier)))).toBe(JSON.stringify(plain));
      }
    }
  });

  it('round trip through getInitializer for every class, with non-default parameters', () => {
    const all: Initializer[] = [
      new Zeros(),
      new Ones(),
      new Constant({ value: -1.25 }),
      new Identity({ gain: 0.5 }),
      new RandomNormal({ mean: 0.1, stddev: 0.2, seed: 3 }),
      new TruncatedNormal({ mean: 0.1, stddev: 0.2, seed: 4 }),
      new RandomUniform({ minval: -1, maxval: 2, seed: 5 }),
      new VarianceScaling({
        scale: 0.5,
        mode: 'fan_avg',
        distribution: 'uniform',
        seed: 6,
        inputAxes: [0],
        outputAxes: [1],
      }),
      new GlorotUniform({ seed: 7 }),
      new GlorotNormal({ seed: 8 }),
      new LecunNormal({ seed: 9 }),
      new LecunUniform({ seed: 10 }),
      new HeNormal({ seed: 11 }),
      new HeUniform({ seed: 12 }),
      new Orthogonal({ seed: 13, gain: 1.5 }),
    ];
    for (const init of all) {
      const json = JSON.parse(JSON.stringify(serializeInitializer(init))) as {
        class_name: string;
        config: Record<string, unknown>;
      };
      expect(json.class_name).toBe(init.className);
      const back = getInitializer(json);
      expect(back.className).toBe(init.className);
      expect(back.getConfig()).toEqual(init.getConfig());
      expect(Array.from(back.call([4, 3]).values)).toEqual(Array.from(init.call([4, 3]).values));
    }
  });
});

describe('getInitializer', () => {
  it('accepts snake_case and class names, and Keras aliases', () => {
    expect(getInitializer('glorot_uniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('GlorotUniform')).toBeInstanceOf(GlorotUniform);
    expect(getInitializer('orthogonal')).toBeInstanceOf(Orthogonal);
    expect(getInitializer('OrthogonalInitializer')).toBeInstanceOf(Orthogonal);
    expect(getInitializer('he_normal')).toBeInstanceOf(HeNormal);
    expect(getInitializer('lecun_uniform')).toBeInstanceOf(LecunUniform);
    expect(getInitializer('random_uniform')).toBeInstanceOf(RandomUniform);
    expect(getInitializer('uniform')).toBeInstanceOf(RandomUniform);
    expect(getInitializer('normal')).toBeInstanceOf(RandomNormal);
    expect(getInitializer('zero')).toBeInstanceOf(Zeros);
    expect(getInitializer('one')).toBeInstanceOf(Ones);
    expect(getInitializer('variance_scaling')).toBeInstanceOf(VarianceScaling);
    expect(getInitializer('truncated_normal')).toBeInstanceOf(TruncatedNormal);
    for (const name of listInitializers()) expect(getInitializer(name)).toBeInstanceOf(Initializer);
  });

  it('returns Initializer instances as they are; strings build new ones', () => {
    const i = new Orthogonal();
    expect(getInitializer(i)).toBe(i);
    expect(getInitializer('zeros')).not.toBe(getInitializer('zeros'));
  });

  it('reads Keras 2 forms: no module, distribution "normal", a TF1 dtype key', () => {
    const vs = getInitializer({
      class_name: 'VarianceScaling',
      config: { scale: 2, mode: 'fan_in', distribution: 'normal', seed: null },
    });
    expect((vs as VarianceScaling).distribution).toBe('truncated_normal');
    const g = getInitializer({ class_name: 'GlorotUniform', config: { seed: null, dtype: 'float32' } });
    expect(g).toBeInstanceOf(GlorotUniform);
    expect(getInitializer({ class_name: 'Orthogonal', config: { gain: 1.0, seed: 5 } }).getConfig()).toEqual({
      seed: 5,
      gain: 1,
    });
    expect(getInitializer({ class_name: 'Zeros' })).toBeInstanceOf(Zeros);
    const uniform = getInitializer({
      class_name: 'VarianceScaling',
      config: { distribution: 'Uniform' },
    }) as VarianceScaling;
    expect(uniform.distribution).toBe('uniform');
  });

  it('wraps functions and checks their result', () => {
    const init = getInitializer(function sevens(shape: readonly number[]) {
      return fill(shape, 7);
    });
    expect(init.className).toBe('sevens');
    expect(Array.from(init.call([2]).values)).toEqual([7, 7]);
    expect(serializeInitializer(init)).toEqual({
      module: null,
      class_name: 'sevens',
      config: {},
      registered_name: 'sevens',
    });
    const wrong = getInitializer(() => fill([3], 1));
    expect(() => wrong.call([2])).toThrow(ShapeError);
  });

  it('unknown names throw UnknownNameError naming argument, choices and value', () => {
    let error: unknown;
    try {
      // @ts-expect-error a misspelt name on purpose: the run-time check is under test
      getInitializer('glorot_unifrom', 'kernel_initializer', "GRU 'gru'");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownNameError);
    const message = (error as Error).message;
    expect(message).toContain('kernel_initializer');
    expect(message).toContain('"glorot_unifrom"');
    expect(message).toContain('"glorot_uniform"');
    expect(() => getInitializer({ class_name: 'Glorot', config: {} })).toThrow(UnknownNameError);
  });

  it('bad configs and parameters throw InvalidArgumentError', () => {
    expect(() => getInitializer({ class_name: 'RandomUniform', config: { minval: 'a' } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => getInitializer({ class_name: 'RandomUniform', config: { minval: 1, maxval: 0 } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => getInitializer({ class_name: 'Zeros', config: { surprise: 1 } })).toThrow(/surprise/);
    expect(() => getInitializer({ class_name: 'Zeros', config: [] as unknown as Record<string, unknown> })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new VarianceScaling({ scale: 0 })).toThrow(InvalidArgumentError);
    expect(() => new VarianceScaling({ mode: 'fan_sideways' as 'fan_in' })).toThrow(InvalidArgumentError);
    expect(() => new VarianceScaling({ distribution: 'cauchy' as 'uniform' })).toThrow(InvalidArgumentError);
    expect(() => new RandomNormal({ stddev: -1 })).toThrow(InvalidArgumentError);
    expect(() => getInitializer(42 as never)).toThrow(InvalidArgumentError);
    expect(() => getInitializer({ class_name: 7 } as never)).toThrow(InvalidArgumentError);
  });

  it('does not mutate the serialized object it reads', () => {
    const config = {
      module: 'keras.initializers',
      class_name: 'RandomUniform',
      config: { seed: 3, minval: -1, maxval: 1 },
      registered_name: null,
    };
    const copy = JSON.parse(JSON.stringify(config)) as unknown;
    const s = serializeInitializer(getInitializer(config));
    s.config['seed'] = 99;
    expect(config).toEqual(copy);
  });
});
