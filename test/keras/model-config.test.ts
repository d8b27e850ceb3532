/**
 * Model configs both ways: what Keras 3.15 wrote in the fixtures' config.json round-trips key for key (layer
 * order, inbound nodes with `__keras_tensor__` references and constants, input/output layers, build and compile
 * configs); models built by hand give Keras's configs; nested and shared layers, initial states and several
 * inputs round-trip; Keras 2 forms read; unknown and custom layer classes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { FileFormatError } from '../../src/io/errors.js';
import { registerLayerClass, unregisterLayerClass } from '../../src/keras/custom-objects.js';
import { LayerConfigError, UnknownLayerError } from '../../src/keras/errors.js';
import { kerasSemantics, modelFromKerasConfig, serializeModel } from '../../src/keras/model-config.js';
import { Bidirectional } from '../../src/layers/bidirectional.js';
import { Dense } from '../../src/layers/dense.js';
import { Embedding } from '../../src/layers/embedding.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Layer, type Shape } from '../../src/layers/layer.js';
import { Masking } from '../../src/layers/masking.js';
import { Any, NotEqual } from '../../src/layers/operations.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { loadModel } from '../../src/keras/load-model.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { mul } from '../../src/ops/arithmetic.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { stripShared } from '../helpers/layer-configs.js';
import { loadModelFixture, MODEL_NAMES } from '../io/model-fixtures.js';

/** Deep equality with the same key order everywhere (JSON text of both). */
function expectSameJSON(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

function randomTensor(seed: number, shape: number[]): Tensor {
  const rng = new Random(seed);
  return tensor(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() * 2 - 1),
    shape,
  );
}

const values = (t: Tensor | Tensor[]): number[] =>
  Array.isArray(t) ? t.flatMap((x) => Array.from(x.dataSync())) : Array.from(t.dataSync());

/** Saves and loads a model through a .keras archive, checking configs and predictions are kept. */
async function roundTrip(model: Model, x: Tensor | Tensor[]): Promise<Model> {
  const again = await loadModel(await model.toBytes());
  expectSameJSON(serializeModel(again), serializeModel(model));
  expect(values(again.predict(x) as Tensor | Tensor[])).toEqual(values(model.predict(x) as Tensor | Tensor[]));
  return again;
}

describe("Keras 3.15's configs round-trip", () => {
  it.each(MODEL_NAMES)('%s: serializeModel(modelFromKerasConfig(config)) is config.json, key for key', (name) => {
    const fixture = loadModelFixture(name);
    const model = modelFromKerasConfig(fixture.config);
    const expected = stripShared(fixture.config) as Record<string, unknown>;
    expectSameJSON(serializeModel(model), expected);
    expectSameJSON(model.getConfig(), expected.config);
  });

  it('the tagger built by hand with its traced mask operations gives Keras’s config', () => {
    const fixture = loadModelFixture('tagger');
    const x = input({ shape: [null, 4], name: 'input_layer_7' });
    const mask = new Any({ name: 'any', axis: -1 }).applyOp(
      new NotEqual({ name: 'not_equal_1' }).applyOp(x, 0),
    ) as SymbolicTensor;
    const masked = new Masking({ name: 'masking' }).apply(x);
    const gru = new GRU({ units: 6, returnSequences: true, name: 'gru_30' });
    const both = new Bidirectional({ layer: gru, name: 'bidirectional' }).apply(masked, { mask });
    const y = new TimeDistributed({ layer: new Dense({ units: 2, name: 'dense_7' }), name: 'time_distributed' }).apply(
      both,
      { mask },
    );
    const model = new Model({ inputs: x, outputs: y, name: 'tagger' });
    expectSameJSON(serializeModel(model), stripShared(fixture.config));
  });

  it('Sequential models built by hand give Keras’s configs', () => {
    for (const name of ['text_classifier', 'forecaster'] as const) {
      const fixture = loadModelFixture(name);
      const model =
        name === 'forecaster'
          ? new Sequential(
              [
                input({ shape: [20, 3], name: 'input_layer_6' }),
                new GRU({
                  units: 12,
                  goBackwards: true,
                  recurrentActivation: 'hard_sigmoid',
                  resetAfter: false,
                  name: 'gru_29',
                }),
                new Dense({ units: 1, name: 'dense_6' }),
              ],
              { name },
            )
          : new Sequential(
              [
                input({ shape: [null], dtype: 'int32', name: 'input_layer_5' }),
                new Embedding({ inputDim: 40, outputDim: 8, maskZero: true, name: 'embedding' }),
                new GRU({ units: 16, returnSequences: true, name: 'gru_27' }),
                new GRU({ units: 8, name: 'gru_28' }),
                new Dense({ units: 3, activation: 'softmax', name: 'dense_5' }),
              ],
              { name },
            );
      expectSameJSON(serializeModel(model), stripShared(fixture.config));
    }
  });

  it('an unbuilt Sequential has no InputLayer and no build config; one built from data gets Keras’s InputLayer', () => {
    const model = new Sequential([new GRU({ units: 2, name: 'g' }), new Dense({ units: 1, name: 'd' })], {
      name: 'lazy',
    });
    const unbuilt = serializeModel(model);
    expect(unbuilt.build_config).toBeUndefined();
    expect((unbuilt.config.layers as { class_name: string }[]).map((l) => l.class_name)).toEqual(['GRU', 'Dense']);
    expect(unbuilt.config.build_input_shape).toBeUndefined();
    model.predict(randomTensor(1, [2, 5, 3]));
    const built = serializeModel(model);
    const first = (built.config.layers as { class_name: string; config: Record<string, unknown> }[])[0]!;
    expect(first.class_name).toBe('InputLayer');
    expect(first.config.batch_shape).toEqual([null, 5, 3]);
    expect(built.build_config).toEqual({ input_shape: [null, 5, 3] });
    // The added InputLayer keeps its name from call to call.
    expect(serializeModel(model)).toEqual(built);
    const again = modelFromKerasConfig(built);
    expect(again.getConfig()).toEqual(built.config);
  });
});

describe('functional graphs round-trip through .keras files', () => {
  it('several inputs and outputs (as lists), a shared layer, initial states, training flags', async () => {
    const a = input({ shape: [5, 3], name: 'a' });
    const b = input({ shape: [5, 3], name: 'b' });
    const h0 = input({ shape: [4], name: 'h0' });
    const shared = new GRU({ units: 4, name: 'shared' });
    const ha = shared.apply(a, { initialState: [h0] }) as SymbolicTensor;
    const hb = shared.apply(b, { training: false }) as SymbolicTensor;
    const head = new Dense({ units: 2, name: 'head' });
    const model = new Model({ inputs: [a, b, h0], outputs: [head.apply(ha), head.apply(hb)], name: 'two_heads' });
    const config = model.getConfig();
    expect(config.input_layers).toEqual([
      ['a', 0, 0],
      ['b', 0, 0],
      ['h0', 0, 0],
    ]);
    expect(config.output_layers).toEqual([
      ['head', 0, 0],
      ['head', 1, 0],
    ]);
    const sharedEntry = (
      config.layers as { name: string; inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[] }[]
    ).find((l) => l.name === 'shared')!;
    expect(sharedEntry.inbound_nodes).toHaveLength(2);
    expect(sharedEntry.inbound_nodes[0]!.kwargs).toEqual({
      initial_state: [
        { class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['h0', 0, 0] } },
      ],
    });
    // Keras fills in mask=None for a call on one unmasked tensor (test/fixtures/user-models: the encoder GRU).
    expect(sharedEntry.inbound_nodes[1]!.kwargs).toEqual({ training: false, mask: null });
    const x = [randomTensor(1, [2, 5, 3]), randomTensor(2, [2, 5, 3]), randomTensor(3, [2, 4])];
    await roundTrip(model, x);
  });

  it('nested Sequential and functional models (Keras counts a nested functional model’s calls from 1 in output_layers)', async () => {
    const innerIn = input({ shape: [6, 3], name: 'inner_in' });
    const inner = new Model({
      inputs: innerIn,
      outputs: new GRU({ units: 5, returnSequences: true, name: 'inner_gru' }).apply(innerIn),
      name: 'inner',
    });
    const stack = new Sequential(
      [
        input({ shape: [6, 5], name: 'stack_in' }),
        new TimeDistributed({ layer: new Dense({ units: 2, name: 'td_dense' }), name: 'td' }),
      ],
      { name: 'stack' },
    );
    const x = input({ shape: [6, 3], name: 'outer_in' });
    const h = inner.apply(x) as SymbolicTensor;
    const model = new Model({ inputs: x, outputs: [stack.apply(h) as SymbolicTensor, h], name: 'outer' });
    const config = model.getConfig();
    expect(config.output_layers).toEqual([
      ['stack', 0, 0],
      ['inner', 1, 0],
    ]);
    const entries = config.layers as {
      class_name: string;
      module: string;
      inbound_nodes: { args: { config: { keras_history: unknown[] } }[] }[];
    }[];
    expect(entries.map((e) => e.class_name)).toEqual(['InputLayer', 'Functional', 'Sequential']);
    expect(entries[2]!.inbound_nodes[0]!.args[0]!.config.keras_history).toEqual(['inner', 0, 0]);
    const again = await roundTrip(model, randomTensor(4, [2, 6, 3]));
    expect(again.layers.map((l) => l.className)).toEqual(['InputLayer', 'Functional', 'Sequential']);
  });

  it('an Embedding(maskZero) mask traced as NotEqual feeds a GRU as kwargs.mask', async () => {
    const ids = input({ shape: [null], dtype: 'int32', name: 'ids' });
    const embedded = new Embedding({ inputDim: 10, outputDim: 3, name: 'emb' }).apply(ids);
    const mask = new NotEqual({ name: 'not_equal' }).applyOp(ids, 0) as SymbolicTensor;
    const y = new GRU({ units: 2, name: 'gru' }).apply(embedded, { mask });
    const model = new Model({ inputs: ids, outputs: y, name: 'masked' });
    const entries = model.getConfig().layers as {
      name: string;
      inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[];
    }[];
    expect(entries.map((e) => e.name)).toEqual(['ids', 'emb', 'not_equal', 'gru']);
    expect(entries[2]!.inbound_nodes[0]!.args[1]).toBe(0);
    const data = tensor(
      [
        [3, 4, 0, 0],
        [1, 0, 0, 0],
      ],
      undefined,
      'int32',
    );
    const again = await roundTrip(model, data);
    // The traced mask skips the padding: padded and unpadded sequences give the same output.
    expect(values(again.predict(tensor([[3, 4]], undefined, 'int32')) as Tensor)).toEqual(
      values(again.predict(tensor([[3, 4, 0, 0]], undefined, 'int32')) as Tensor).slice(0, 2),
    );
  });
});

describe('Keras 2 forms', () => {
  it('a Keras 2.0–2.2 bare-list Sequential with batch_input_shape, and a Model with legacy nodes', () => {
    const model = modelFromKerasConfig(
      {
        class_name: 'Sequential',
        config: [
          {
            class_name: 'GRU',
            config: {
              name: 'gru_1',
              units: 3,
              batch_input_shape: [null, 7, 2],
              dtype: 'float32',
              implementation: 2,
              reset_after: false,
            },
          },
          { class_name: 'Dense', config: { name: 'dense_1', units: 1 } },
        ],
      },
      { kerasVersion: '2.2.4' },
    ) as Sequential;
    expect(model.inputShape).toEqual([null, 7, 2]);
    expect((model.getConfig().layers as { config: { name: string } }[])[0]!.config.name).toBe('gru_1_input');
    const functional = modelFromKerasConfig({
      class_name: 'Model',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 4, 2], dtype: 'float32', name: 'x' },
            name: 'x',
            inbound_nodes: [],
          },
          {
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'h' },
            name: 'h',
            inbound_nodes: [],
          },
          {
            class_name: 'GRU',
            config: { name: 'gru', units: 3 },
            name: 'gru',
            inbound_nodes: [[['x', 0, 0, { initial_state: [['h', 0, 0]] }]]],
          },
        ],
        input_layers: [
          ['x', 0, 0],
          ['h', 0, 0],
        ],
        output_layers: [['gru', 0, 0]],
      },
    });
    const gru = functional.layers.find((l) => l.name === 'gru')!;
    expect(gru.inboundNodes[0]!.callArgs.initialState?.map((t) => t.name)).toEqual(['h']);
  });

  it('reads file versions as Keras semantics', () => {
    expect(kerasSemantics('2.2.4')).toBe(2);
    expect(kerasSemantics('1.2.2')).toBe(2);
    expect(kerasSemantics('3.15.1')).toBe(3);
    expect(kerasSemantics('tfjs-layers 4.22.0')).toBe(2);
    expect(kerasSemantics(undefined, 2)).toBe(2);
    expect(kerasSemantics('keras-gru')).toBe(3);
  });
});

/** A custom layer: x · factor. */
class Scale extends Layer {
  readonly className = 'Scale';
  readonly factor: number;
  constructor(args: { name?: string; factor?: number } = {}) {
    super({ name: args.name }, 'Scale');
    this.factor = args.factor ?? 2;
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return mul(Array.isArray(inputs) ? inputs[0]! : inputs, this.factor);
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
  static fromConfig(config: Record<string, unknown>): Scale {
    return new Scale({ name: config.name as string, factor: config.factor as number });
  }
}

describe('unknown and custom layer classes', () => {
  afterEach(() => unregisterLayerClass('Scale'));

  function scaledModel(): Model {
    const x = input({ shape: [3], name: 'x' });
    return new Model({
      inputs: x,
      outputs: new Scale({ factor: 3, name: 'scale' }).apply(x) as SymbolicTensor,
      name: 'scaled',
    });
  }

  it('an unknown class is an UnknownLayerError naming the class, the layer and the place', async () => {
    const config = serializeModel(scaledModel());
    let error: unknown;
    try {
      modelFromKerasConfig(config, { file: 'scaled.keras' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownLayerError);
    expect(error).toMatchObject({
      className: 'Scale',
      layerName: 'scale',
      file: 'scaled.keras',
      path: '$.config.layers[1]',
    });
    expect((error as Error).message).toContain("registerLayerClass('Scale'");
    await expect(loadModel(await scaledModel().toBytes())).rejects.toBeInstanceOf(UnknownLayerError);
  });

  it('an unknown class nested in a wrapper is an UnknownLayerError at the nested place', () => {
    const config = structuredClone(loadModelFixture('tagger').config) as {
      config: { layers: { class_name: string; config: { layer?: { class_name: string } } }[] };
    };
    const wrapper = config.config.layers.findIndex((l) => l.class_name === 'Bidirectional');
    config.config.layers[wrapper]!.config.layer!.class_name = 'MyGRU';
    let error: unknown;
    try {
      modelFromKerasConfig(config, { file: 'tagger.keras' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownLayerError);
    expect(error).toMatchObject({
      className: 'MyGRU',
      file: 'tagger.keras',
      path: `$.config.layers[${wrapper}].config.layer`,
    });
  });

  it('registerLayerClass and customObjects make it known; registered classes serialize with registered_name', async () => {
    const bytes = await scaledModel().toBytes();
    const viaOption = await loadModel(bytes, { customObjects: { Scale } });
    expect(values(viaOption.predict(tensor([[1, 2, 3]])) as Tensor)).toEqual([3, 6, 9]);
    registerLayerClass('Scale', Scale);
    const registered = await loadModel(bytes);
    const entry = (serializeModel(registered).config.layers as Record<string, unknown>[])[1]!;
    expect([entry.module, entry.class_name, entry.registered_name]).toEqual([null, 'Scale', 'Scale']);
    expect(() => registerLayerClass('Bad', {} as never)).toThrow(InvalidArgumentError);
  });

  it('custom classes nested in wrappers, and custom activations by name', async () => {
    const x = input({ shape: [4, 3], name: 'x' });
    const act = function doubled(t: Tensor): Tensor {
      return mul(t, 2);
    };
    const y = new TimeDistributed({ layer: new Scale({ factor: 0.5, name: 'half' }), name: 'td' }).apply(
      new Dense({ units: 3, activation: act, name: 'd' }).apply(x),
    );
    const model = new Model({ inputs: x, outputs: y as SymbolicTensor });
    const config = serializeModel(model);
    expect(() => modelFromKerasConfig(config, { customObjects: { doubled: act } })).toThrow(UnknownLayerError);
    const again = modelFromKerasConfig(config, { customObjects: { Scale, doubled: act } });
    again.setWeights(model.getWeights());
    const data = randomTensor(5, [2, 4, 3]);
    expect(values(again.predict(data) as Tensor)).toEqual(values(model.predict(data) as Tensor));
  });

  it('malformed configs are FileFormatErrors with a JSON path; refused layer configs are LayerConfigErrors', () => {
    const fixture = loadModelFixture('tagger');
    const broken = structuredClone(fixture.config) as {
      config: { layers: { inbound_nodes: { args: { config: { keras_history: unknown[] } }[] }[] }[] };
    };
    broken.config.layers[2]!.inbound_nodes[0]!.args[0]!.config.keras_history = ['nowhere', 0, 0];
    expect(() => modelFromKerasConfig(broken, { file: 'tagger.keras' })).toThrowError(FileFormatError);
    expect(() => modelFromKerasConfig(broken)).toThrowError(/refers to layer 'nowhere'/);
    const refused = structuredClone(fixture.config) as { config: { layers: { config: Record<string, unknown> }[] } };
    refused.config.layers[2]!.config.mask_value = 'zero';
    expect(() => modelFromKerasConfig(refused, { file: 'tagger.keras' })).toThrowError(LayerConfigError);
    expect(() => modelFromKerasConfig({ class_name: 'Sequential' })).toThrowError(/without a layers list/);
    expect(() => modelFromKerasConfig({ class_name: 'Subclassed', config: {} })).toThrowError(FileFormatError);
  });
});
