import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/io/errors.js';
import { readKerasWeights } from '../../src/io/keras-weights.js';
import { parseTfjsModelJson, readTfjsModel, tfjsWeightName, writeTfjsModel } from '../../src/io/tfjs.js';
import { expectFixtureWeights, loadModelFixture, MODEL_NAMES, modelFileBytes } from './model-fixtures.js';

async function fixtureLayers(name: (typeof MODEL_NAMES)[number]) {
  const fixture = loadModelFixture(name);
  return { fixture, layers: await readKerasWeights(modelFileBytes(`${name}.weights.h5`), fixture.config) };
}

function shardMap(shards: { path: string; data: Uint8Array }[]): Record<string, Uint8Array> {
  return Object.fromEntries(shards.map((shard) => [shard.path, shard.data]));
}

describe('TF.js layers-model format', () => {
  it('writes a model.json + .bin from the forecaster with TF.js names, and reads back the exact numbers', async () => {
    const { fixture, layers } = await fixtureLayers('forecaster');
    const { modelJson, shards } = writeTfjsModel({ config: fixture.config, layers });
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.modelTopology?.model_config).toBe(fixture.config);
    expect(modelJson.weightsManifest).toEqual([
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'gru_29/kernel', shape: [3, 36], dtype: 'float32' },
          { name: 'gru_29/recurrent_kernel', shape: [12, 36], dtype: 'float32' },
          { name: 'gru_29/bias', shape: [36], dtype: 'float32' },
          { name: 'dense_6/kernel', shape: [12, 1], dtype: 'float32' },
          { name: 'dense_6/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ]);
    expect(shards[0]!.data.length).toBe(4 * (3 * 36 + 12 * 36 + 36 + 12 + 1));
    // model.json travels as text.
    const text = JSON.stringify(modelJson);
    const model = await readTfjsModel(text, shardMap(shards), { file: 'forecaster/model.json' });
    expect(model.config).toEqual(fixture.config);
    expect(model.backend).toBe('tensor_flow.js');
    expect(model.layers.map((layer) => [layer.layerName, layer.className, layer.weights.length])).toEqual([
      ['input_layer_6', 'InputLayer', 0],
      ['gru_29', 'GRU', 3],
      ['dense_6', 'Dense', 2],
    ]);
    expectFixtureWeights(model.layers, fixture);
  });

  it.each(MODEL_NAMES)('%s: round trip through small shards (weights straddle shard boundaries)', async (name) => {
    const { fixture, layers } = await fixtureLayers(name);
    const { modelJson, shards } = writeTfjsModel({ config: fixture.config, layers, shardSizeBytes: 1000 });
    expect(shards.length).toBeGreaterThan(1);
    expect(shards.slice(0, -1).every((shard) => shard.data.length === 1000)).toBe(true);
    const model = await readTfjsModel(modelJson, (path) => shardMap(shards)[path]!);
    expectFixtureWeights(model.layers, fixture);
  });

  it('names Bidirectional and TimeDistributed weights by layer path without the cell scope', async () => {
    const { layers } = await fixtureLayers('tagger');
    const { modelJson } = writeTfjsModel({ config: loadModelFixture('tagger').config, layers });
    expect(modelJson.weightsManifest[0]!.weights.map((weight) => weight.name)).toEqual([
      'bidirectional/forward_gru_30/kernel',
      'bidirectional/forward_gru_30/recurrent_kernel',
      'bidirectional/forward_gru_30/bias',
      'bidirectional/backward_gru_30/kernel',
      'bidirectional/backward_gru_30/recurrent_kernel',
      'bidirectional/backward_gru_30/bias',
      'time_distributed/dense_7/kernel',
      'time_distributed/dense_7/bias',
    ]);
    expect(tfjsWeightName('gru/gru_cell/kernel')).toBe('gru/kernel');
  });

  it('reads a converter-style model.json: modelTopology.model_config from Keras 2, names gru/gru_cell/kernel', async () => {
    const fixture = loadModelFixture('forecaster');
    const names = [
      'gru/gru_cell/kernel',
      'gru/gru_cell/recurrent_kernel',
      'gru/gru_cell/bias',
      'dense/kernel',
      'dense/bias',
    ];
    const bytes = new Uint8Array(fixture.weights.reduce((sum, weight) => sum + 4 * weight.data.length, 0));
    const view = new DataView(bytes.buffer);
    let offset = 0;
    for (const weight of fixture.weights)
      for (const value of weight.data) view.setFloat32((offset += 4) - 4, value, true);
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'keras v2.4.0',
      convertedBy: 'TensorFlow.js Converter v3.0.0',
      modelTopology: {
        keras_version: '2.4.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'GRU', config: { name: 'gru', units: 12 } },
              { class_name: 'Dense', config: { name: 'dense', units: 1 } },
            ],
          },
        },
        training_config: { loss: 'mse' },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: names.map((name, i) => ({ name, shape: fixture.weights[i]!.shape, dtype: 'float32' })),
        },
      ],
    };
    const model = await readTfjsModel(new TextEncoder().encode(JSON.stringify(modelJson)), {
      'group1-shard1of1.bin': bytes.buffer,
    });
    expect(model.kerasVersion).toBe('2.4.0');
    expect(model.trainingConfig).toEqual({ loss: 'mse' });
    expect(model.layers.map((layer) => layer.weights.map((weight) => weight.name))).toEqual([
      names.slice(0, 3),
      names.slice(3),
    ]);
    expectFixtureWeights(model.layers, fixture);
  });

  it('dequantizes uint8 / uint16 (q * scale + min) and float16 weights; reads int32 and bool', async () => {
    const bytes = new Uint8Array([
      0,
      1,
      255, // uint8
      0,
      0,
      2,
      0, // uint16 little-endian: 0, 2
      0x00,
      0x3c,
      0x00,
      0xc0,
      0x00,
      0x00, // float16: 1, -2, 0
      7,
      0,
      0,
      0, // int32 7
      1,
      0, // bool
    ]);
    const modelJson = {
      modelTopology: null,
      weightsManifest: [
        {
          paths: ['w.bin'],
          weights: [
            { name: 'a/q8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
            { name: 'a/q16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.25, min: 1 } },
            { name: 'b/half', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
            { name: 'b/int', shape: [], dtype: 'int32' },
            { name: 'b/flag', shape: [2], dtype: 'bool' },
          ],
        },
      ],
    };
    const model = await readTfjsModel(modelJson, { 'w.bin': bytes });
    expect(model.config).toBeUndefined();
    expect(model.layers.map((layer) => layer.layerName)).toEqual(['a', 'b']);
    expect(model.layers.flatMap((layer) => layer.weights.map((weight) => Array.from(weight.data)))).toEqual([
      [-1, -0.5, 126.5],
      [1, 1.5],
      [1, -2, 0],
      [7],
      [1, 0],
    ]);
  });

  describe('typed errors', () => {
    it('for model.json that is not JSON or has no weightsManifest', () => {
      expect(() => parseTfjsModelJson('{', { file: 'm.json' })).toThrowError(FileFormatError);
      expect(() => parseTfjsModelJson({ modelTopology: {} })).toThrowError(/weightsManifest/);
      expect(() => parseTfjsModelJson({ weightsManifest: [{ paths: ['x'], weights: [{ name: 'w' }] }] })).toThrowError(
        /name, shape and dtype/,
      );
    });

    it('for a missing or short shard, extra bytes, and a weight that belongs to no layer', async () => {
      const { fixture, layers } = await fixtureLayers('forecaster');
      const { modelJson, shards } = writeTfjsModel({ config: fixture.config, layers });
      const data = shards[0]!.data;
      await expect(readTfjsModel(modelJson, {})).rejects.toMatchObject({ member: 'group1-shard1of1.bin' });
      await expect(readTfjsModel(modelJson, { 'group1-shard1of1.bin': data.slice(0, 100) })).rejects.toThrowError(
        /too few/,
      );
      const longer = new Uint8Array(data.length + 4);
      longer.set(data);
      await expect(readTfjsModel(modelJson, { 'group1-shard1of1.bin': longer })).rejects.toThrowError(
        /manifest's weights use/,
      );
      const renamed = structuredClone(modelJson);
      renamed.weightsManifest[0]!.weights[0]!.name = 'elsewhere/kernel';
      await expect(readTfjsModel(renamed, shardMap(shards))).rejects.toThrowError(/belongs to no layer/);
    });
  });
});
