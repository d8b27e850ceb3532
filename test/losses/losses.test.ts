/**
 * Losses: values against Keras's documented examples and hand-computed float64 numbers, gradients against
 * float64 central finite differences, reductions, sample weights and masks, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError, UnknownNameError } from '../../src/errors.js';
import {
  attachLogits,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  getLoss,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
  type Loss,
} from '../../src/losses/index.js';
import { sigmoid } from '../../src/ops/unary.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';

const f64 = (values: number[] | number[][] | number[][][]): Tensor => tensor(values, undefined, 'float64');
const value = (t: Tensor): number => t.values[0]!;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const clip = (p: number): number => Math.min(1 - 1e-7, Math.max(1e-7, p));

describe('Keras documented examples (float32)', () => {
  it('MeanSquaredError: 0.02', () => {
    expect(value(new MeanSquaredError().call(tensor([1, 0, 1]), tensor([0.9, 0.1, 0.8])))).toBeCloseTo(0.02, 6);
  });

  it('BinaryCrossentropy from logits: 0.8654, weighted 0.243, sum 1.730, none [0.235, 1.496]', () => {
    const yTrue = tensor([
      [0, 1],
      [0, 0],
    ]);
    const yPred = tensor([
      [-18.6, 0.51],
      [2.94, -12.8],
    ]);
    expect(
      value(
        new BinaryCrossentropy({ fromLogits: true }).call(tensor([0, 1, 0, 0]), tensor([-18.6, 0.51, 2.94, -12.8])),
      ),
    ).toBeCloseTo(0.8654, 3);
    const bce = new BinaryCrossentropy({ fromLogits: true });
    expect(value(bce.call(yTrue, yPred))).toBeCloseTo(0.8654, 3);
    expect(value(bce.call(yTrue, yPred, tensor([0.8, 0.2])))).toBeCloseTo(0.2436, 4); // Keras prints it truncated: 0.243
    expect(value(new BinaryCrossentropy({ fromLogits: true, reduction: 'sum' }).call(yTrue, yPred))).toBeCloseTo(
      1.7309,
      4,
    ); // Keras prints 1.730
    const none = new BinaryCrossentropy({ fromLogits: true, reduction: 'none' }).call(yTrue, yPred);
    expect(Array.from(none.values).map((x) => +x.toFixed(3))).toEqual([0.235, 1.496]);
  });

  it('binary_crossentropy on probabilities: [0.916, 0.714]', () => {
    const out = new BinaryCrossentropy({ reduction: 'none' }).call(
      tensor([
        [0, 1],
        [0, 0],
      ]),
      tensor([
        [0.6, 0.4],
        [0.4, 0.6],
      ]),
    );
    expect(Array.from(out.values).map((x) => +x.toFixed(3))).toEqual([0.916, 0.714]);
  });

  it.each([
    [
      'CategoricalCrossentropy',
      () => new CategoricalCrossentropy(),
      tensor([
        [0, 1, 0],
        [0, 0, 1],
      ]),
    ],
    ['SparseCategoricalCrossentropy', () => new SparseCategoricalCrossentropy(), tensor([1, 2])],
  ] as [string, () => Loss, Tensor][])('%s: 1.177, weighted 0.814, none [0.0513, 2.303]', (_name, make, yTrue) => {
    const yPred = tensor([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ]);
    expect(value(make().call(yTrue, yPred))).toBeCloseTo(1.177, 3);
    expect(value(make().call(yTrue, yPred, tensor([0.3, 0.7])))).toBeCloseTo(0.814, 3);
    const none = getLoss(make()).call(yTrue, yPred) as Tensor;
    expect(none.rank).toBe(0);
  });

  it('Huber: 0.155; LogCosh: 0.108', () => {
    expect(
      value(
        new Huber().call(
          tensor([
            [0, 1],
            [0, 0],
          ]),
          tensor([
            [0.6, 0.4],
            [0.4, 0.6],
          ]),
        ),
      ),
    ).toBeCloseTo(0.155, 3);
    expect(
      value(
        new LogCosh().call(
          tensor([
            [0, 1],
            [0, 0],
          ]),
          tensor([
            [1, 1],
            [0, 0],
          ]),
        ),
      ),
    ).toBeCloseTo(0.108, 3);
  });
});

describe('hand-computed values (float64)', () => {
  const t = [
    [0.2, -1.5, 3],
    [1, 0, -0.5],
  ];
  const p = [
    [0.5, -1, 1],
    [2.5, 0.25, -0.5],
  ];
  const rows = (f: (a: number, b: number) => number): number =>
    mean(t.map((r, i) => mean(r.map((a, j) => f(a, p[i]![j]!)))));

  it.each([
    ['mse', new MeanSquaredError(), rows((a, b) => (a - b) ** 2)],
    ['mae', new MeanAbsoluteError(), rows((a, b) => Math.abs(a - b))],
    ['mape', new MeanAbsolutePercentageError(), 100 * rows((a, b) => Math.abs((a - b) / Math.max(Math.abs(a), 1e-7)))],
    [
      'msle',
      new MeanSquaredLogarithmicError(),
      rows((a, b) => (Math.log(Math.max(b, 1e-7) + 1) - Math.log(Math.max(a, 1e-7) + 1)) ** 2),
    ],
    ['huber δ=1', new Huber(), rows((a, b) => (Math.abs(b - a) <= 1 ? 0.5 * (b - a) ** 2 : Math.abs(b - a) - 0.5))],
    [
      'huber δ=0.7',
      new Huber({ delta: 0.7 }),
      rows((a, b) => (Math.abs(b - a) <= 0.7 ? 0.5 * (b - a) ** 2 : 0.7 * Math.abs(b - a) - 0.5 * 0.49)),
    ],
    ['log_cosh', new LogCosh(), rows((a, b) => Math.log(Math.cosh(b - a)))],
    ['hinge (signed labels)', new Hinge(), rows((a, b) => Math.max(1 - a * b, 0))],
    ['squared hinge', new SquaredHinge(), rows((a, b) => Math.max(1 - a * b, 0) ** 2)],
  ] as [string, Loss, number][])('%s', (_name, loss, expected) => {
    expect(value(loss.call(f64(t), f64(p)))).toBeCloseTo(expected, 12);
  });

  it('poisson', () => {
    const yt = [
      [0.2, 1.5, 3],
      [1, 0, 0.5],
    ];
    const yp = [
      [0.5, 1, 1],
      [2.5, 0.25, 0.5],
    ];
    const expected = mean(yt.map((r, i) => mean(r.map((a, j) => yp[i]![j]! - a * Math.log(yp[i]![j]! + 1e-7)))));
    expect(value(new Poisson().call(f64(yt), f64(yp)))).toBeCloseTo(expected, 12);
  });

  it('hinge maps {0, 1} labels to {−1, 1}', () => {
    const got = value(new Hinge().call(f64([[0, 1, 1]]), f64([[0.3, 0.2, 2]])));
    expect(got).toBeCloseTo(mean([1 + 0.3, 1 - 0.2, 0]), 12);
  });

  it('categorical hinge', () => {
    const yt = [
      [0, 1, 0],
      [1, 0, 0],
    ];
    const yp = [
      [0.2, 0.5, 0.9],
      [0.1, 0.7, 0.3],
    ];
    const expected = mean(
      yt.map((r, i) => {
        const pos = r.reduce((s, a, j) => s + a * yp[i]![j]!, 0);
        const neg = Math.max(...r.map((a, j) => (1 - a) * yp[i]![j]!));
        return Math.max(neg - pos + 1, 0);
      }),
    );
    expect(value(new CategoricalHinge().call(f64(yt), f64(yp)))).toBeCloseTo(expected, 12);
  });

  it('KL divergence clips both sides to [ε, 1]', () => {
    const yt = [
      [0.2, 0.8, 0],
      [0.5, 0.25, 0.25],
    ];
    const yp = [
      [0.3, 0.6, 0.1],
      [0.2, 0.5, 0.3],
    ];
    const c = (x: number): number => Math.min(1, Math.max(1e-7, x));
    const expected = mean(yt.map((r, i) => r.reduce((s, a, j) => s + c(a) * Math.log(c(a) / c(yp[i]![j]!)), 0)));
    expect(value(new KLDivergence().call(f64(yt), f64(yp)))).toBeCloseTo(expected, 12);
  });

  it('binary crossentropy from probabilities clips to [ε, 1 − ε]', () => {
    const yt = [
      [0, 1, 1],
      [1, 0, 0.3],
    ];
    const yp = [
      [0, 1, 0.2],
      [0.9, 1, 0.4],
    ];
    const bce = (a: number, b: number): number => -(a * Math.log(clip(b)) + (1 - a) * Math.log(1 - clip(b)));
    const expected = mean(yt.map((r, i) => mean(r.map((a, j) => bce(a, yp[i]![j]!)))));
    expect(value(new BinaryCrossentropy().call(f64(yt), f64(yp)))).toBeCloseTo(expected, 9);
  });

  it('binary crossentropy from logits and with label smoothing', () => {
    const yt = [
      [0, 1],
      [1, 0],
    ];
    const x = [
      [-3, 0.5],
      [20, -0.25],
    ];
    const bce = (z: number, l: number): number => Math.max(l, 0) - l * z + Math.log1p(Math.exp(-Math.abs(l)));
    const expected = mean(yt.map((r, i) => mean(r.map((z, j) => bce(z, x[i]![j]!)))));
    expect(value(new BinaryCrossentropy({ fromLogits: true }).call(f64(yt), f64(x)))).toBeCloseTo(expected, 12);
    const s = 0.2;
    const smoothed = mean(yt.map((r, i) => mean(r.map((z, j) => bce(z * (1 - s) + 0.5 * s, x[i]![j]!)))));
    expect(value(new BinaryCrossentropy({ fromLogits: true, labelSmoothing: s }).call(f64(yt), f64(x)))).toBeCloseTo(
      smoothed,
      12,
    );
  });

  it('categorical crossentropy normalises probabilities, and matches the logit form', () => {
    const yt = [
      [0, 1, 0],
      [0.2, 0.3, 0.5],
    ];
    const yp = [
      [1, 2, 1],
      [0.5, 0.5, 3],
    ];
    const expected = mean(
      yt.map((r, i) => {
        const total = yp[i]!.reduce((a, b) => a + b, 0);
        return -r.reduce((s, a, j) => s + a * Math.log(clip(yp[i]![j]! / total)), 0);
      }),
    );
    expect(value(new CategoricalCrossentropy().call(f64(yt), f64(yp)))).toBeCloseTo(expected, 12);
    const logits = [
      [1, -2, 0.5],
      [3, 0, -1],
    ];
    const lse = (r: number[]): number => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const fromLogits = mean(yt.map((r, i) => r.reduce((s, a, j) => s + a * (lse(logits[i]!) - logits[i]![j]!), 0)));
    expect(value(new CategoricalCrossentropy({ fromLogits: true }).call(f64(yt), f64(logits)))).toBeCloseTo(
      fromLogits,
      12,
    );
    const s = 0.3;
    const smoothed = mean(
      yt.map((r, i) => r.reduce((acc, a, j) => acc + (a * (1 - s) + s / 3) * (lse(logits[i]!) - logits[i]![j]!), 0)),
    );
    expect(
      value(new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: s }).call(f64(yt), f64(logits))),
    ).toBeCloseTo(smoothed, 12);
  });

  it('sparse categorical crossentropy takes labels [B], [B,1] and [B,T]', () => {
    const probs = [
      [0.2, 0.7, 0.1],
      [0.5, 0.25, 0.25],
    ];
    const logSoftmaxOfLog = (row: number[], k: number): number => {
      const l = row.map((q) => Math.log(clip(q)));
      return Math.log(l.reduce((s, v) => s + Math.exp(v), 0)) - l[k]!;
    };
    const expected = mean([logSoftmaxOfLog(probs[0]!, 1), logSoftmaxOfLog(probs[1]!, 2)]);
    const scce = new SparseCategoricalCrossentropy();
    expect(value(scce.call(tensor([1, 2], [2], 'int32'), f64(probs)))).toBeCloseTo(expected, 12);
    expect(value(scce.call(f64([[1], [2]]), f64(probs)))).toBeCloseTo(expected, 12);
    const seq = f64([
      [
        [1, 2, 0],
        [0, 0, 5],
      ],
      [
        [-1, 0.5, 2],
        [1, 1, 1],
      ],
    ]);
    const lse = (r: number[]): number => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const rowsOfSeq = [
      [1, 2, 0],
      [0, 0, 5],
      [-1, 0.5, 2],
      [1, 1, 1],
    ];
    const ids = [0, 2, 1, 1];
    const seqExpected = mean(rowsOfSeq.map((r, k) => lse(r) - r[ids[k]!]!));
    const out = new SparseCategoricalCrossentropy({ fromLogits: true }).call(
      tensor(
        [
          [0, 2],
          [1, 1],
        ],
        undefined,
        'int32',
      ),
      seq,
    );
    expect(value(out)).toBeCloseTo(seqExpected, 12);
  });

  it('sparse categorical crossentropy with ignoreClass averages over the kept samples', () => {
    const logits = f64([
      [1, 2, 3],
      [0, 0, 0],
      [3, -1, 0.5],
    ]);
    const lse = (r: number[]): number => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const expected = mean([lse([1, 2, 3]) - 2, lse([3, -1, 0.5]) - 0.5]);
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 });
    expect(value(loss.call(tensor([1, -1, 2], undefined, 'int32'), logits))).toBeCloseTo(expected, 12);
  });
});

describe('reductions, sample weights and masks', () => {
  const yt = f64([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const yp = f64([
    [1.5, 2],
    [2, 4.5],
    [5, 8],
  ]);
  const perSample = [0.125, 0.625, 2];

  it('sum_over_batch_size, sum, mean, none', () => {
    expect(value(new MeanSquaredError().call(yt, yp))).toBeCloseTo(mean(perSample), 14);
    expect(value(new MeanSquaredError({ reduction: 'sum' }).call(yt, yp))).toBeCloseTo(2.75, 14);
    expect(value(new MeanSquaredError({ reduction: 'mean' }).call(yt, yp))).toBeCloseTo(mean(perSample), 14);
    expect(Array.from(new MeanSquaredError({ reduction: 'none' }).call(yt, yp).values)).toEqual(perSample);
  });

  it('sample weights scale samples; mean_with_sample_weight divides by their sum', () => {
    const w = f64([1, 0, 2]);
    expect(value(new MeanSquaredError().call(yt, yp, w))).toBeCloseTo((0.125 + 4) / 3, 14);
    expect(value(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }).call(yt, yp, w))).toBeCloseTo(
      (0.125 + 4) / 3,
      14,
    );
    expect(
      value(new MeanSquaredError({ reduction: 'mean_with_sample_weight' }).call(yt, yp, f64([1, 1, 2]))),
    ).toBeCloseTo((0.125 + 0.625 + 4) / 4, 14);
    expect(value(new MeanSquaredError().call(yt, yp, f64([[1], [0], [2]])))).toBeCloseTo((0.125 + 4) / 3, 14);
  });

  it('a mask averages over the kept values only', () => {
    expect(value(new MeanSquaredError().call(yt, yp, null, tensor([1, 0, 1], undefined, 'bool')))).toBeCloseTo(
      (0.125 + 2) / 2,
      14,
    );
    expect(
      value(new MeanSquaredError({ reduction: 'sum' }).call(yt, yp, null, tensor([1, 0, 1], undefined, 'bool'))),
    ).toBeCloseTo(2.125, 14);
  });

  it('lines up [B] targets against [B,1] predictions', () => {
    const got = new MeanSquaredError({ reduction: 'none' }).call(f64([1, 2, 3]), f64([[1.5], [2], [2]]));
    expect(got.shape).toEqual([3]);
    expect(Array.from(got.values)).toEqual([0.25, 0, 1]);
  });
});

describe('gradients against finite differences', () => {
  const rng = new Random(3);
  const away = (shape: number[], lo: number, hi: number, minAbs = 0): Tensor =>
    randomFloat64(rng, shape, { lo, hi, minAbs });
  const probs = (shape: number[]): Tensor => away(shape, 0.05, 0.95);
  const oneHot = f64([
    [0, 1, 0, 0],
    [1, 0, 0, 0],
    [0, 0, 0, 1],
  ]);

  const cases: [string, Loss, () => Tensor, () => Tensor][] = [
    ['mse', new MeanSquaredError(), () => away([3, 4], -2, 2), () => away([3, 4], -2, 2)],
    ['mae', new MeanAbsoluteError(), () => away([3, 4], -2, -1), () => away([3, 4], 0, 2)],
    ['mape', new MeanAbsolutePercentageError(), () => away([3, 4], 0.5, 2), () => away([3, 4], -2, 0)],
    ['msle', new MeanSquaredLogarithmicError(), () => away([3, 4], 0.1, 2), () => away([3, 4], 0.1, 2)],
    [
      'huber',
      new Huber({ delta: 0.5 }),
      () =>
        f64([
          [0, 0, 0],
          [0, 0, 0],
        ]),
      () =>
        f64([
          [0.2, -0.3, 0.9],
          [-1.5, 0.1, 2],
        ]),
    ],
    ['log_cosh', new LogCosh(), () => away([3, 4], -2, 2), () => away([3, 4], -2, 2)],
    ['bce probs', new BinaryCrossentropy(), () => probs([3, 4]), () => probs([3, 4])],
    [
      'bce logits smoothed',
      new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      () => probs([3, 4]),
      () => away([3, 4], -4, 4, 0.01),
    ],
    ['cce probs', new CategoricalCrossentropy(), () => oneHot, () => probs([3, 4])],
    [
      'cce logits smoothed',
      new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
      () => oneHot,
      () => away([3, 4], -3, 3),
    ],
    ['kld', new KLDivergence(), () => probs([3, 4]), () => probs([3, 4])],
    ['poisson', new Poisson(), () => away([3, 4], 0, 3), () => away([3, 4], 0.1, 3)],
    [
      'squared hinge',
      new SquaredHinge(),
      () =>
        f64([
          [-1, 1, 1],
          [1, -1, -1],
        ]),
      () =>
        f64([
          [0.3, 0.2, -0.5],
          [0.1, 0.6, 0.4],
        ]),
    ],
    [
      'categorical hinge',
      new CategoricalHinge(),
      () => oneHot,
      () =>
        f64([
          [0.1, 0.5, 0.3, -0.2],
          [0.3, 0.9, 0.1, 0.2],
          [0.6, 0.1, -0.5, 0.4],
        ]),
    ],
  ];

  it.each(cases)('%s (with respect to yPred)', (_name, loss, yTrue, yPred) => {
    const t = yTrue();
    checkGradients((p) => loss.call(t, p), [yPred()]);
  });

  it('sparse categorical crossentropy, probabilities and logits, [B] and [B,T]', () => {
    const ids = tensor([1, 0, 3], undefined, 'int32');
    checkGradients((p) => new SparseCategoricalCrossentropy().call(ids, p), [probs([3, 4])]);
    checkGradients((p) => new SparseCategoricalCrossentropy({ fromLogits: true }).call(ids, p), [away([3, 4], -3, 3)]);
    const seqIds = tensor(
      [
        [0, 2],
        [1, 1],
      ],
      undefined,
      'int32',
    );
    checkGradients(
      (p) => new SparseCategoricalCrossentropy({ fromLogits: true }).call(seqIds, p),
      [away([2, 2, 3], -3, 3)],
    );
    checkGradients(
      (p) => new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 0 }).call(seqIds, p),
      [away([2, 2, 3], -3, 3)],
    );
  });

  it('through attached logits (sigmoid output)', () => {
    const yt = probs([2, 3]);
    checkGradients((x) => new BinaryCrossentropy().call(yt, attachLogits(sigmoid(x), x)), [away([2, 3], -4, 4, 0.01)]);
  });

  it('with sample weights and a mask', () => {
    const yt = away([3, 2], -1, 1);
    const w = f64([0.5, 2, 1]);
    const m = tensor([1, 1, 0], undefined, 'bool');
    checkGradients((p) => new MeanSquaredError().call(yt, p, w, m), [away([3, 2], -1, 1)]);
  });
});

describe('Keras logits on activation outputs', () => {
  it('crossentropy uses attached logits instead of clipped probabilities', () => {
    const logits = tensor([[30, -30, 2]]);
    const out = attachLogits(sigmoid(logits), logits);
    const yTrue = tensor([[0, 1, 1]]);
    const fromLogits = value(new BinaryCrossentropy({ fromLogits: true }).call(yTrue, logits));
    expect(value(new BinaryCrossentropy().call(yTrue, out))).toBeCloseTo(fromLogits, 5);
    // Without the attachment the saturated probabilities are clipped (≈ 16.1 per saturated term instead of 30).
    expect(value(new BinaryCrossentropy().call(yTrue, sigmoid(logits)))).toBeLessThan(fromLogits - 5);
  });
});

describe('getLoss', () => {
  it('resolves Keras names, aliases and class names', () => {
    expect(getLoss('mse')).toBeInstanceOf(MeanSquaredError);
    expect(getLoss('mse').name).toBe('mse');
    expect(getLoss('mean_squared_error').name).toBe('mean_squared_error');
    expect(getLoss('MeanSquaredError').name).toBe('mean_squared_error');
    expect(getLoss('mae')).toBeInstanceOf(MeanAbsoluteError);
    expect(getLoss('huber')).toBeInstanceOf(Huber);
    expect(getLoss('binary_crossentropy')).toBeInstanceOf(BinaryCrossentropy);
    expect(getLoss('categorical_crossentropy')).toBeInstanceOf(CategoricalCrossentropy);
    expect(getLoss('sparse_categorical_crossentropy')).toBeInstanceOf(SparseCategoricalCrossentropy);
    const loss = new Huber();
    expect(getLoss(loss)).toBe(loss);
  });

  it('wraps a per-sample function and reduces it', () => {
    const loss = getLoss(function myLoss(yTrue: Tensor, yPred: Tensor) {
      return new MeanAbsoluteError({ reduction: 'none' }).call(yTrue, yPred);
    });
    expect(loss.name).toBe('my_loss');
    expect(
      value(
        loss.call(
          f64([
            [1, 2],
            [3, 4],
          ]),
          f64([
            [2, 2],
            [3, 2],
          ]),
        ),
      ),
    ).toBeCloseTo(0.75, 14);
  });

  it('resolves "crossentropy" from the shapes on first call', () => {
    const probs = f64([
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const ce = getLoss('crossentropy');
    expect(value(ce.call(f64([1, 0]), probs))).toBeCloseTo(
      value(new SparseCategoricalCrossentropy().call(f64([1, 0]), probs)),
      14,
    );
    const bin = getLoss('ce');
    expect(value(bin.call(f64([[1], [0]]), f64([[0.7], [0.2]])))).toBeCloseTo(
      value(new BinaryCrossentropy().call(f64([[1], [0]]), f64([[0.7], [0.2]]))),
      14,
    );
  });

  it('unknown names name the argument, list valid names and show the value', () => {
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getLoss('msee')).toThrow(UnknownNameError);
    // @ts-expect-error a misspelt name on purpose: the run-time check is under test
    expect(() => getLoss('msee')).toThrow(/loss.*"mse".*"msee"/);
    expect(() => getLoss(42 as never)).toThrow(UnknownNameError);
  });
});

describe('bad input', () => {
  it('mismatched shapes are ShapeErrors', () => {
    expect(() => new MeanSquaredError().call(tensor([[1, 2, 3]]), tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => new BinaryCrossentropy().call(tensor([[1, 0]]), tensor([[0.5, 0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => new CategoricalCrossentropy().call(tensor([[1, 0]]), tensor([[0.5, 0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => new SparseCategoricalCrossentropy().call(tensor([1, 0, 1]), tensor([[0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => new MeanSquaredError().call(tensor([[1], [2]]), tensor([[1], [2]]), tensor([1, 2, 3]))).toThrow(
      ShapeError,
    );
  });

  it('labels out of range and bad options are InvalidArgumentErrors', () => {
    expect(() => new SparseCategoricalCrossentropy().call(tensor([3]), tensor([[0.5, 0.5]]))).toThrow(
      /class ids in \[0, 2\)/,
    );
    expect(() => new SparseCategoricalCrossentropy().call(tensor([0.5]), tensor([[0.5, 0.5]]))).not.toThrow();
    expect(() => new BinaryCrossentropy({ labelSmoothing: 2 })).toThrow(InvalidArgumentError);
    expect(() => new BinaryCrossentropy({ fromLogits: 'yes' as never })).toThrow(/fromLogits/);
    expect(() => new Huber({ delta: -1 })).toThrow(/delta/);
    expect(() => new MeanSquaredError({ reduction: 'avg' as never })).toThrow(/reduction/);
    expect(() => new MeanSquaredError({ fromLogits: true } as never)).toThrow(/unknown option fromLogits/);
    expect(() => new MeanSquaredError().call([1, 2] as never, tensor([1, 2]))).toThrow(/yTrue/);
  });

  it('does not mutate its inputs', () => {
    const yt = tensor([[0, 1, 0]]);
    const yp = tensor([[0, 1.2, 0.3]]);
    new CategoricalCrossentropy({ labelSmoothing: 0.1 }).call(yt, yp);
    new SparseCategoricalCrossentropy({ ignoreClass: 0 }).call(tensor([1]), yp);
    expect(Array.from(yt.values)).toEqual([0, 1, 0]);
    expect(Array.from(yp.values)).toEqual([0, Math.fround(1.2), Math.fround(0.3)]);
  });

  it('getConfig reports the options', () => {
    expect(new BinaryCrossentropy().getConfig()).toEqual({
      name: 'binary_crossentropy',
      reduction: 'sum_over_batch_size',
      fromLogits: false,
      labelSmoothing: 0,
      axis: -1,
    });
    expect(new SparseCategoricalCrossentropy({ ignoreClass: 3 }).getConfig()).toEqual({
      name: 'sparse_categorical_crossentropy',
      reduction: 'sum_over_batch_size',
      fromLogits: false,
      ignoreClass: 3,
    });
    expect(new Huber({ delta: 2 }).getConfig()).toEqual({
      name: 'huber_loss',
      reduction: 'sum_over_batch_size',
      delta: 2,
    });
  });
});
