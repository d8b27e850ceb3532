/**
 * Done when (issue 10, item 3): files saved by real Keras 3.15.1 from compiled models (test/fixtures/user-models:
 * Adam and RMSprop, one training step taken) load compiled, with their optimizer state — the int64 iteration
 * count, the learning rate and every slot, in Keras's order — from `optimizer/vars` of a `.keras` and from
 * `training_config` + `optimizer_weights` of a legacy `.h5`; keras-gru writes both back as Keras wrote them;
 * `{ compile: false }` skips all of it, as Keras's; a state that does not fit the model is a typed error naming
 * the file and the variable.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { OptimizerStateMismatchError } from '../../src/io/errors.js';
import { readH5 } from '../../src/io/h5-read.js';
import {
  attributeString,
  h5Dataset,
  h5Group,
  setDataset,
  stringAttribute,
  type H5Group,
} from '../../src/io/h5-tree.js';
import { writeH5 } from '../../src/io/h5-write.js';
import { readKerasArchive } from '../../src/io/keras-archive.js';
import { chunkedStrings } from '../../src/io/legacy-h5.js';
import { loadModel } from '../../src/keras/load-model.js';
import { modelToLegacyH5 } from '../../src/keras/model-exports.js';
import { serializeModel } from '../../src/keras/model-serialization.js';
import { Dense } from '../../src/layers/dense.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Sequential } from '../../src/models/sequential.js';
import { Adam } from '../../src/optimizers/adam.js';
import { ExponentialDecay } from '../../src/optimizers/schedules.js';
import { Random } from '../../src/random/rng.js';
import { tensor } from '../../src/tensor/tensor.js';
import { keras22Forecaster, keras2Tree } from './keras2-files.js';
import { loadModelFixture } from './model-fixtures.js';
import { expectSameTree } from './tree-compare.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'user-models');
const bytes = (file: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, file)));
const CASES = [
  { name: 'seq2seq_initial_state', optimizer: 'Adam', slots: 16 },
  { name: 'bidirectional_encoder_decoder', optimizer: 'RMSprop', slots: 11 },
] as const;

/** A file's optimizer variables in order, as numbers (`optimizer/vars/0, 1, ...` or `weight_names` order). */
function fileState(group: H5Group, names?: string[]): { shape: number[]; data: number[] }[] {
  const keys = names ?? Object.keys(group.datasets).sort((a, b) => Number(a) - Number(b));
  return keys.map((key) => {
    const [head, ...rest] = key.split('/');
    const dataset = rest.length === 0 ? group.datasets[key]! : group.groups[head!]!.datasets[rest.join('/')]!;
    return { shape: dataset.shape, data: Array.from(dataset.data as ArrayLike<number | bigint>, Number) };
  });
}

async function expectRestored(source: Uint8Array, expected: { shape: number[]; data: number[] }[]): Promise<void> {
  const model = await loadModel(source);
  expect(model.compiled).toBe(true);
  const state = model.optimizer!.getWeights();
  expect(state.length).toBe(expected.length);
  expect(model.optimizer!.iterations).toBe(1);
  state.forEach((value, i) => {
    expect(value.shape, `variable ${i}`).toEqual(expected[i]!.shape);
    expect(Array.from(value.dataSync()), `variable ${i}`).toEqual(expected[i]!.data);
  });
}

describe('Keras-saved compiled models load with their optimizer state', () => {
  it.each(CASES)('$name: .keras, optimizer/vars restored, iterations 1 read from int64', async (c) => {
    const { weights, config } = await readKerasArchive(bytes(`${c.name}.keras`));
    const vars = weights.groups.optimizer!.groups.vars!;
    expect(vars.datasets['0']!.dtype).toBe('int64');
    const expected = fileState(vars);
    expect(expected.length).toBe(2 + c.slots);
    await expectRestored(bytes(`${c.name}.keras`), expected);
    const model = await loadModel(bytes(`${c.name}.keras`));
    expect(model.optimizer!.className).toBe(c.optimizer);
    expect(serializeModel(model).compile_config).toEqual(config.compile_config);
  });

  it.each(CASES)('$name: .h5, training_config compiles, optimizer_weights restored', async (c) => {
    const tree = await readH5(bytes(`${c.name}.h5`));
    const group = tree.groups.optimizer_weights!;
    const names = chunkedStrings(group.attrs, 'weight_names')!;
    await expectRestored(bytes(`${c.name}.h5`), fileState(group, names));
    const model = await loadModel(bytes(`${c.name}.h5`));
    const { config } = await readKerasArchive(bytes(`${c.name}.keras`));
    expect(serializeModel(model).compile_config).toEqual(config.compile_config);
  });

  it.each(CASES)('$name: { compile: false } loads it uncompiled from .keras and .h5', async (c) => {
    for (const file of [`${c.name}.keras`, `${c.name}.h5`]) {
      const model = await loadModel(bytes(file), { compile: false });
      expect(model.compiled, file).toBe(false);
      expect(model.optimizer, file).toBeNull();
    }
  });

  it.each(CASES)('$name: training continues from the state (iterations 1 → 2, slots move)', async (c) => {
    const model = await loadModel(bytes(`${c.name}.keras`));
    const before = model.optimizer!.getWeights().map((w) => Array.from(w.dataSync()));
    const inputs = model.inputs.map((i, k) => {
      const shape = [2, ...i.shape.slice(1)] as number[];
      const rng = new Random(k + 1);
      return tensor(
        Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform()),
        shape,
      );
    });
    const outShape = [2, ...model.outputs[0]!.shape.slice(1)] as number[];
    model.trainOnBatch(inputs, tensor(new Array(outShape.reduce((a, b) => a * b, 1)).fill(0.5), outShape));
    expect(model.optimizer!.iterations).toBe(2);
    const after = model.optimizer!.getWeights().map((w) => Array.from(w.dataSync()));
    expect(after[2]).not.toEqual(before[2]);
  });

  it.each(CASES)('$name: .h5 written again: training_config and optimizer_weights as Keras wrote them', async (c) => {
    const keras = await readH5(bytes(`${c.name}.h5`));
    const ours = await readH5(await modelToLegacyH5(await loadModel(bytes(`${c.name}.h5`))));
    expectSameTree(ours.groups.optimizer_weights!, keras.groups.optimizer_weights!);
    const trainingConfig = (tree: H5Group): unknown => JSON.parse(attributeString(tree.attrs.training_config)!);
    expect(trainingConfig(ours)).toEqual(trainingConfig(keras));
  });
});

describe('what keras-gru writes for a compiled model', () => {
  const model = (): Sequential =>
    new Sequential([input({ shape: [4, 2] }), new GRU({ units: 3 }), new Dense({ units: 1 })]);

  it('before the first step: the iteration count and the learning rate only, as Keras saves them', async () => {
    const m = model();
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const vars = (await readKerasArchive(await m.toBytes())).weights.groups.optimizer!.groups.vars!;
    expect(attributeString(vars.attrs.name)).toBe(m.optimizer!.name);
    expect(Object.keys(vars.datasets).sort()).toEqual(['0', '1']);
    expect(vars.datasets['0']).toMatchObject({ dtype: 'int64', shape: [] });
    expect(vars.datasets['1']).toMatchObject({ dtype: 'float32', shape: [] });
    const again = await loadModel(await m.toBytes());
    expect(again.optimizer!.iterations).toBe(0);
    expect(again.optimizer!.built).toBe(false);
  });

  it('after steps: Adam’s momentum and velocity variable by variable; a schedule keeps no learning_rate', async () => {
    const m = model();
    const schedule = new ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 1, decayRate: 0.9 });
    m.compile({ optimizer: new Adam({ learningRate: schedule }), loss: 'mse' });
    m.trainOnBatch(tensor(new Array(16).fill(0.3), [2, 4, 2]), tensor([1, -1], [2, 1]));
    const vars = (await readKerasArchive(await m.toBytes())).weights.groups.optimizer!.groups.vars!;
    const shapes = fileState(vars).map((v) => v.shape);
    // iteration, then m and v of kernel [2, 9], recurrent_kernel [3, 9], bias [2, 9], dense kernel, dense bias.
    expect(shapes).toEqual([[], [2, 9], [2, 9], [3, 9], [3, 9], [2, 9], [2, 9], [3, 1], [3, 1], [1], [1]]);
    expect(fileState(vars)[0]!.data).toEqual([1]);
  });
});

/** The seq2seq `.keras` of Keras with its weights tree changed by `edit`. */
async function editedKerasFile(edit: (vars: H5Group) => void): Promise<Uint8Array> {
  const archive = await readKerasArchive(bytes('seq2seq_initial_state.keras'));
  edit(archive.weights.groups.optimizer!.groups.vars!);
  return zipSync({
    'metadata.json': strToU8(JSON.stringify(archive.metadata)),
    'config.json': strToU8(JSON.stringify(archive.config)),
    'model.weights.h5': await writeH5(archive.weights),
  });
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('an optimizer state that does not fit is a typed error naming the file and the variable', () => {
  it('a variable missing', async () => {
    const source = await editedKerasFile((vars) => delete vars.datasets['17']);
    const error = await caught(loadModel(source));
    expect(error).toBeInstanceOf(OptimizerStateMismatchError);
    expect(error).toMatchObject({ member: 'model.weights.h5', optimizer: 'adam' });
    expect(error.message).toMatch(/17 optimizer variables.*has 18/);
    expect(await loadModel(source, { compile: false })).toBeTruthy();
  });

  it('a slot of another shape', async () => {
    const source = await editedKerasFile((vars) => {
      vars.datasets['4'] = h5Dataset(new Float32Array(18), [18]);
    });
    const error = await caught(loadModel(source));
    expect(error).toBeInstanceOf(OptimizerStateMismatchError);
    expect(error).toMatchObject({ variable: 'gru_gru_cell_recurrent_kernel_momentum', path: '/optimizer/vars/4' });
    expect(error.message).toContain('[18] in the file, [6, 18] in the model');
  });

  it('a negative iteration count', async () => {
    const source = await editedKerasFile((vars) => {
      vars.datasets['0'] = h5Dataset(BigInt64Array.of(-3n), []);
    });
    const error = await caught(loadModel(source));
    expect(error).toBeInstanceOf(OptimizerStateMismatchError);
    expect(error).toMatchObject({ variable: 'iteration' });
  });

  it('legacy .h5: names are checked where they cannot vary (a Keras 2 order fails, a model-name prefix loads)', async () => {
    const edited = async (rename: (names: string[]) => string[]): Promise<Uint8Array> => {
      const tree = await readH5(bytes('seq2seq_initial_state.h5'));
      const group = tree.groups.optimizer_weights!;
      const names = chunkedStrings(group.attrs, 'weight_names')!;
      const renamed = rename(names);
      const adam = group.groups.adam!;
      const datasets = Object.fromEntries(names.map((name, i) => [renamed[i]!, adam.datasets[name.slice(5)]!]));
      adam.datasets = Object.fromEntries(Object.entries(datasets).map(([name, d]) => [name.slice(5), d]));
      group.attrs.weight_names = stringAttribute(renamed, { charset: 'ascii' });
      return writeH5(tree);
    };
    const prefixed = await edited((names) => names.map((n, i) => (i < 2 ? n : n.replace('adam/', 'adam/functional_'))));
    expect((await loadModel(prefixed)).optimizer!.iterations).toBe(1);
    // Momentum and velocity of the first kernel swapped: shapes agree, the slot kinds do not.
    const swapped = await edited((names) => names.map((n, i) => names[i === 2 ? 3 : i === 3 ? 2 : i]!));
    const error = await caught(loadModel(swapped));
    expect(error).toBeInstanceOf(OptimizerStateMismatchError);
    expect(error).toMatchObject({ variable: 'gru_gru_cell_kernel_momentum' });
    expect(error.message).toContain("is 'adam/gru_gru_cell_kernel_velocity'");
  });

  it('a Keras 2 .h5: training_config compiles it (Keras 2 names), its optimizer_weights are left (another order)', async () => {
    const weights = loadModelFixture('forecaster').weights;
    const tree = keras2Tree(
      keras22Forecaster(),
      [
        {
          name: 'gru_1',
          weightNames: ['gru_1/kernel:0', 'gru_1/recurrent_kernel:0', 'gru_1/bias:0'],
          weights: weights.slice(0, 3),
        },
        { name: 'dense_1', weightNames: ['dense_1/kernel:0', 'dense_1/bias:0'], weights: weights.slice(3) },
      ],
      { kerasVersion: '2.2.4' },
    );
    // Keras 2.2's Adam: the iteration count, then every momentum, then every velocity.
    const names = ['Adam/iterations:0', ...Array.from({ length: 10 }, (_, i) => `training/Adam/Variable_${i}:0`)];
    const shapes = [[], ...[0, 1].flatMap(() => weights.map((w) => w.shape))];
    const group = h5Group({ attrs: { weight_names: stringAttribute(names, { charset: 'ascii', length: 'longest' }) } });
    names.forEach((name, i) =>
      setDataset(group, name, h5Dataset(new Float32Array(shapes[i]!.reduce((a, b) => a * b, 1)).fill(7), shapes[i]!)),
    );
    tree.groups.optimizer_weights = group;
    // Keras 2.2's training_config: `lr`, `decay`, the loss's long name.
    const trainingConfig = {
      optimizer_config: {
        class_name: 'Adam',
        config: { lr: 0.002, beta_1: 0.9, beta_2: 0.999, decay: 0.0, epsilon: 1e-7, amsgrad: false },
      },
      loss: 'mean_squared_error',
      metrics: [],
      sample_weight_mode: null,
      loss_weights: null,
    };
    tree.attrs.training_config = stringAttribute(JSON.stringify(trainingConfig), {
      charset: 'ascii',
      length: 'longest',
    });
    const model = await loadModel(await writeH5(tree));
    expect(model.compiled).toBe(true);
    expect(model.optimizer!.className).toBe('Adam');
    expect(model.optimizer!.learningRate).toBeCloseTo(0.002, 9);
    expect(model.optimizer!.iterations).toBe(0);
    expect(model.optimizer!.built).toBe(false);
  });
});
