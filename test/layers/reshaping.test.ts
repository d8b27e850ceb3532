/**
 * Done when: RepeatVector, Activation, Flatten, Reshape and Permute compute what Keras 3's documented semantics
 * give (hand-derived cases), pass gradients (float64 finite differences), treat masks as Keras does (Activation
 * passes them on, the others drop them), write Keras's configs (Reshape and Activation with no build_config,
 * being built at construction), and a Lambda layer in a file is refused with a typed error that names it.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { LambdaLayerError, UnknownLayerError } from '../../src/keras/errors.js';
import { deserializeLayer, knownLayerClasses } from '../../src/keras/layer-classes.js';
import { serializeLayer } from '../../src/keras/layer-serialization.js';
import { modelFromKerasConfig } from '../../src/keras/model-config.js';
import { Activation } from '../../src/layers/activation.js';
import { input } from '../../src/layers/input-layer.js';
import { attachMask, maskOf } from '../../src/layers/mask.js';
import { Flatten, Permute, RepeatVector, Reshape } from '../../src/layers/reshaping.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Random } from '../../src/random/rng.js';
import { tensor, type NestedArray, type Tensor } from '../../src/tensor/tensor.js';
import { expectError, thrown } from '../helpers/errors.js';
import { checkGradients, randomFloat64 } from '../helpers/finite-difference.js';
import { expectTensor } from '../helpers/tensors.js';

const f32 = (values: NestedArray): Tensor => tensor(values, undefined, 'float32');
const x23 = (): Tensor =>
  f32([
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
  ]);

describe('values', () => {
  it('RepeatVector: [B, F] → [B, n, F]', () => {
    expectTensor(
      new RepeatVector({ n: 3 }).apply(
        f32([
          [1, 2],
          [3, 4],
        ]),
      ),
      [2, 3, 2],
      [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4],
    );
    expect((new RepeatVector({ n: 4 }).apply(input({ shape: [5] })) as SymbolicTensor).shape).toEqual([null, 4, 5]);
    expectError(() => new RepeatVector({ n: 2 }).apply(x23()), ShapeError, 'rank 2');
    expectError(() => new RepeatVector({ n: 0 }), InvalidArgumentError, 'n');
  });

  it('Activation applies its function', () => {
    expectTensor(new Activation({ activation: 'relu' }).apply(f32([[-1, 2]])), [1, 2], [0, 2]);
    expectTensor(new Activation({ activation: 'sigmoid' }).apply(f32([[0]])), [1, 1], [0.5]);
    expectError(() => new Activation({} as never), InvalidArgumentError, 'activation');
  });

  it('Flatten: channels_last keeps the order; channels_first moves axis 1 last first', () => {
    expectTensor(new Flatten().apply(x23()), [1, 6], [1, 2, 3, 4, 5, 6]);
    expectTensor(new Flatten({ dataFormat: 'channels_first' }).apply(x23()), [1, 6], [1, 4, 2, 5, 3, 6]);
    expect(new Flatten().computeOutputShape([null, null, 3])).toEqual([null, null]);
    expectTensor(new Flatten().apply(f32([1, 2])), [2, 1], [1, 2]);
  });

  it('Reshape: a target shape with -1 inferred', () => {
    expectTensor(new Reshape({ targetShape: [3, 2] }).apply(x23()), [1, 3, 2], [1, 2, 3, 4, 5, 6]);
    expectTensor(new Reshape({ targetShape: [-1] }).apply(x23()), [1, 6], [1, 2, 3, 4, 5, 6]);
    expect(new Reshape({ targetShape: [-1, 2] }).computeOutputShape([null, 4, 3])).toEqual([null, 6, 2]);
    expect(new Reshape({ targetShape: [-1, 2] }).computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
    expectError(() => new Reshape({ targetShape: [4] }).apply(x23()), ShapeError, '4 values');
    expectError(() => new Reshape({ targetShape: [-1, -1] }), InvalidArgumentError, 'targetShape');
  });

  it('Permute: output axis i+1 is input axis dims[i]', () => {
    expectTensor(new Permute({ dims: [2, 1] }).apply(x23()), [1, 3, 2], [1, 4, 2, 5, 3, 6]);
    expect(new Permute({ dims: [2, 1] }).computeOutputShape([null, 7, 3])).toEqual([null, 3, 7]);
    expectError(() => new Permute({ dims: [0, 1] }), InvalidArgumentError, 'dims');
    expectError(() => new Permute({ dims: [2, 1] }).apply(f32([[1, 2]])), ShapeError, 'rank 3');
  });
});

describe('gradients (float64 finite differences)', () => {
  const rng = new Random(3);
  it.each([
    ['RepeatVector', () => new RepeatVector({ n: 3, dtype: 'float64' }), [2, 4]],
    ['Activation(tanh)', () => new Activation({ activation: 'tanh', dtype: 'float64' }), [2, 3, 4]],
    ['Flatten(channels_first)', () => new Flatten({ dataFormat: 'channels_first', dtype: 'float64' }), [2, 3, 4]],
    ['Reshape', () => new Reshape({ targetShape: [4, -1], dtype: 'float64' }), [2, 3, 4]],
    ['Permute', () => new Permute({ dims: [2, 1], dtype: 'float64' }), [2, 3, 4]],
  ] as const)('%s', (_name, make, shape) => {
    const layer = make();
    const report = checkGradients((x) => layer.call(x!), [randomFloat64(rng, [...shape])]);
    expect(report.maxError).toBeLessThan(1e-6 * report.scale);
  });
});

describe('masks', () => {
  it('Activation passes the mask on; RepeatVector, Flatten, Reshape, Permute drop it', () => {
    const masked = (): Tensor => attachMask(x23(), tensor([[1, 0]], undefined, 'bool'));
    expect(maskOf(new Activation({ activation: 'relu' }).apply(masked()))!.arraySync()).toEqual([[true, false]]);
    for (const layer of [new Flatten(), new Reshape({ targetShape: [6] }), new Permute({ dims: [2, 1] })]) {
      expect(maskOf(layer.apply(masked()))).toBeNull();
    }
  });
});

describe('Keras configs', () => {
  it.each([
    [new RepeatVector({ n: 3, name: 'r' }), { n: 3 }, { input_shape: [null, 4] }, [null, 4]],
    [new Flatten({ name: 'f' }), { data_format: 'channels_last' }, { input_shape: [null, 2, 3] }, [null, 2, 3]],
    [new Permute({ dims: [2, 1], name: 'p' }), { dims: [2, 1] }, { input_shape: [null, 2, 3] }, [null, 2, 3]],
    [new Reshape({ targetShape: [3, 2], name: 's' }), { target_shape: [3, 2] }, undefined, [null, 2, 3]],
    [new Activation({ activation: 'relu', name: 'a' }), { activation: 'relu' }, undefined, [null, 2, 3]],
  ] as const)('%o', (layer, own, build, shape) => {
    layer.apply(input({ shape: shape.slice(1) as number[] }));
    const json = serializeLayer(layer);
    expect(Object.keys(json.config)).toEqual(['name', 'trainable', 'dtype', ...Object.keys(own)]);
    expect(json.config).toMatchObject(own);
    expect(json.build_config).toEqual(build);
    const copy = deserializeLayer(json);
    expect(copy.className).toBe(layer.className);
    expect(copy.getConfig()).toEqual(layer.getConfig());
  });

  it('every new class is in the table loadModel and deserializeLayer read', () => {
    expect(knownLayerClasses()).toEqual(
      expect.arrayContaining(['Activation', 'RepeatVector', 'Flatten', 'Reshape', 'Permute', 'Concatenate', 'Dot']),
    );
  });
});

describe('Lambda', () => {
  const lambdaEntry = {
    module: 'keras.layers',
    class_name: 'Lambda',
    config: { name: 'scale', trainable: true, function: { class_name: '__lambda__', config: { code: '4wEAAAAA' } } },
    registered_name: null,
    name: 'scale',
    inbound_nodes: [
      {
        args: [
          {
            class_name: '__keras_tensor__',
            config: { shape: [null, 3], dtype: 'float32', keras_history: ['in', 0, 0] },
          },
        ],
        kwargs: {},
      },
    ],
  };
  const model = {
    class_name: 'Functional',
    config: {
      name: 'm',
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 3], dtype: 'float32', name: 'in' },
          name: 'in',
          inbound_nodes: [],
        },
        lambdaEntry,
      ],
      input_layers: [['in', 0, 0]],
      output_layers: [['scale', 0, 0]],
    },
  };

  it('a Lambda in a model config is a LambdaLayerError naming the layer and why', () => {
    const error = thrown(() => modelFromKerasConfig(model), LambdaLayerError);
    expect(error).toBeInstanceOf(UnknownLayerError);
    expect(error.message).toContain("layer 'scale' is a Lambda layer");
    expect(error.message).toContain('Python code');
    expect(error.message).toContain('customObjects');
  });

  it('inside a wrapper, and through deserializeLayer', () => {
    expectError(
      () => deserializeLayer({ class_name: 'Lambda', config: { name: 'l' } }),
      LambdaLayerError,
      "'l' is a Lambda",
    );
    const wrapped = {
      ...model,
      config: {
        ...model.config,
        layers: [
          model.config.layers[0],
          {
            ...lambdaEntry,
            class_name: 'TimeDistributed',
            config: { name: 'td', layer: { class_name: 'Lambda', config: { name: 'inner' } } },
          },
        ],
      },
    };
    expectError(() => modelFromKerasConfig(wrapped), LambdaLayerError, "'inner' is a Lambda");
  });
});
