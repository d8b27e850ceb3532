import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { FileFormatError } from '../../src/io/errors.js';
import { readH5 } from '../../src/io/h5-read.js';
import { containerLayouts } from '../../src/io/keras-layout.js';
import {
  kerasWeightsByLayer,
  kerasWeightsTree,
  readKerasWeights,
  writeKerasWeights,
} from '../../src/io/keras-weights.js';
import { modelLayers, toSnakeCase } from '../../src/io/model-config.js';
import {
  expectFixtureWeightNames,
  expectFixtureWeights,
  loadModelFixture,
  MODEL_NAMES,
  modelFileBytes,
} from './model-fixtures.js';
import { expectSameTree } from './tree-compare.js';

describe('Keras 3 .weights.h5 layout', () => {
  it.each(MODEL_NAMES)('%s.weights.h5: every layer, in Keras order, equals get_weights() exactly', async (name) => {
    const fixture = loadModelFixture(name);
    const layers = await readKerasWeights(modelFileBytes(`${name}.weights.h5`), fixture.config, {
      file: `${name}.weights.h5`,
    });
    const configLayers = modelLayers(fixture.config, { file: 'x' }).layers;
    expect(layers.map((layer) => layer.layerName)).toEqual(configLayers.map((entry) => entry.name));
    expect(layers.map((layer) => layer.className)).toEqual(configLayers.map((entry) => entry.className));
    expectFixtureWeights(layers, fixture);
    expectFixtureWeightNames(layers, fixture);
  });

  it('finds a GRU in cell/vars/0..2, a Bidirectional in forward_layer/backward_layer, a TimeDistributed in layer/', async () => {
    const fixture = loadModelFixture('tagger');
    const layers = await readKerasWeights(modelFileBytes('tagger.weights.h5'), fixture.config);
    const byName = Object.fromEntries(layers.map((layer) => [layer.layerName, layer]));
    expect(byName.bidirectional!.weights.map((weight) => weight.name)).toEqual([
      'bidirectional/forward_gru_30/gru_cell/kernel',
      'bidirectional/forward_gru_30/gru_cell/recurrent_kernel',
      'bidirectional/forward_gru_30/gru_cell/bias',
      'bidirectional/backward_gru_30/gru_cell/kernel',
      'bidirectional/backward_gru_30/gru_cell/recurrent_kernel',
      'bidirectional/backward_gru_30/gru_cell/bias',
    ]);
    expect(byName.time_distributed!.weights.map((weight) => weight.shape)).toEqual([[12, 2], [2]]);
    for (const weightless of ['input_layer_7', 'not_equal_1', 'masking', 'any'])
      expect(byName[weightless]!.weights).toEqual([]);
  });

  it('names layer groups as Keras does: snake_case class names, numbered on repeats, no InputLayer in a Sequential', () => {
    expect(
      ['GRU', 'TimeDistributed', 'InputLayer', 'GRUCell', 'Bidirectional', 'SimpleRNN', 'LSTM'].map(toSnakeCase),
    ).toEqual(['gru', 'time_distributed', 'input_layer', 'gru_cell', 'bidirectional', 'simple_rnn', 'lstm']);
    const fixture = loadModelFixture('text_classifier');
    const model = modelLayers(fixture.config, { file: 'x' });
    expect(containerLayouts(model.className, model.layers).map((slot) => slot.key)).toEqual([
      'embedding',
      'gru',
      'gru_1',
      'dense',
    ]);
  });

  it('falls back to Keras naming when the vars groups carry no name attribute (older Keras 3 files)', async () => {
    const fixture = loadModelFixture('text_classifier');
    const tree = await readH5(modelFileBytes('text_classifier.weights.h5'));
    const strip = (group: typeof tree): void => {
      delete group.attrs.name;
      for (const child of Object.values(group.groups)) strip(child);
    };
    strip(tree);
    const layers = kerasWeightsByLayer(tree, fixture.config);
    expectFixtureWeights(layers, fixture);
    expect(layers[2]!.weights[0]!.name).toBe('gru_27/gru_cell/kernel');
  });

  it('orders vars numerically (10 after 9), reads unknown classes generically, skips seed generators', async () => {
    const config = {
      class_name: 'Sequential',
      config: { name: 'm', layers: [{ class_name: 'Custom', config: { name: 'custom' } }] },
    };
    const weights = Array.from({ length: 12 }, (_, i) => ({
      name: `custom/${i}`,
      shape: [1],
      data: Float32Array.of(i),
    }));
    const tree = kerasWeightsTree(config, [{ layerName: 'custom', className: 'Custom', weights }]);
    expect(Object.keys(tree.groups.layers!.groups)).toEqual(['custom']);
    tree.groups.layers!.groups.custom!.groups.seed_generator = {
      attrs: {},
      groups: {
        vars: {
          attrs: {},
          groups: {},
          datasets: { '0': { dtype: 'float32', shape: [1], data: Float32Array.of(99), attrs: {} } },
        },
      },
      datasets: {},
    };
    const back = kerasWeightsByLayer(tree, config);
    expect(back[0]!.weights.map((weight) => weight.data[0])).toEqual(weights.map((_, i) => i));
    expect(back[0]!.weights[10]!.name).toBe('custom/10');
  });

  it('nests a model used as a layer under layers/<model>/layers/..., and a GRU without bias has two variables', () => {
    const gru = { class_name: 'GRU', config: { name: 'inner_gru', units: 2, use_bias: false } };
    const inner = {
      class_name: 'Sequential',
      config: { name: 'encoder', layers: [{ class_name: 'InputLayer', config: { name: 'in' } }, gru] },
    };
    const config = {
      class_name: 'Sequential',
      config: { name: 'outer', layers: [inner, { class_name: 'Dense', config: { name: 'head', units: 1 } }] },
    };
    const w = (name: string, ...shape: number[]) => ({
      name,
      shape,
      data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(shape[0]!),
    });
    const layers = [
      { layerName: 'encoder', className: 'Sequential', weights: [w('k', 3, 6), w('r', 2, 6)] },
      { layerName: 'head', className: 'Dense', weights: [w('k', 2, 1), w('b', 1)] },
    ];
    const tree = kerasWeightsTree(config, layers);
    expect(Object.keys(tree.groups.layers!.groups)).toEqual(['sequential', 'dense']);
    expect(
      Object.keys(tree.groups.layers!.groups.sequential!.groups.layers!.groups.gru!.groups.cell!.groups.vars!.datasets),
    ).toEqual(['0', '1']);
    const back = kerasWeightsByLayer(tree, config);
    expect(back[0]!.weights.map((weight) => [weight.name, weight.shape])).toEqual([
      ['encoder/inner_gru/gru_cell/kernel', [3, 6]],
      ['encoder/inner_gru/gru_cell/recurrent_kernel', [2, 6]],
    ]);
    expect(() => kerasWeightsTree(config, [{ ...layers[0]!, weights: layers[0]!.weights.slice(0, 1) }])).toThrowError(
      InvalidArgumentError,
    );
  });

  it('rejects a file whose layer has the wrong number of variables, or lacks a layer', async () => {
    const fixture = loadModelFixture('forecaster');
    const tree = await readH5(modelFileBytes('forecaster.weights.h5'));
    delete tree.groups.layers!.groups.gru!.groups.cell!.groups.vars!.datasets['2'];
    expect(() => kerasWeightsByLayer(tree, fixture.config, { file: 'f.weights.h5' })).toThrowError(FileFormatError);
    try {
      kerasWeightsByLayer(tree, fixture.config, { file: 'f.weights.h5' });
    } catch (error) {
      expect(error).toMatchObject({ file: 'f.weights.h5', path: '/layers/gru/cell/vars' });
    }
    delete tree.groups.layers!.groups.gru;
    expect(() => kerasWeightsByLayer(tree, fixture.config)).toThrowError(/no group for 'gru_29'/);
  });

  it.each(MODEL_NAMES)(
    '%s: writes the tree Keras writes (groups, datasets, attributes) and reads back the same numbers',
    async (name) => {
      const fixture = loadModelFixture(name);
      const original = await readH5(modelFileBytes(`${name}.weights.h5`));
      const layers = kerasWeightsByLayer(original, fixture.config);
      const bytes = await writeKerasWeights(fixture.config, layers);
      const written = await readH5(bytes);
      expectSameTree(written, original);
      expectFixtureWeights(await readKerasWeights(bytes, fixture.config), fixture);
    },
  );
});
