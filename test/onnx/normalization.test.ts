/**
 * Done when: GaussianNoise, GaussianDropout and SpatialDropout1D export as the identity (masks passed on), and
 * BatchNormalization (non-trivial moving statistics, any features axis, center/scale off) and
 * LayerNormalization (any axis list, center/scale off, rmsScaling) run in onnxruntime-node within 1e-5 of
 * keras-gru's predict, masked inputs included; float64 layers of these kinds are refused, naming the layer.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { afterAll, describe, expect, it } from 'vitest';
import { Conv1D } from '../../src/layers/convolution.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import type { Layer } from '../../src/layers/layer.js';
import { Masking } from '../../src/layers/masking.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../../src/layers/noise.js';
import {
  BatchNormalization,
  LayerNormalization,
  type BatchNormalizationArgs,
  type LayerNormalizationArgs,
} from '../../src/layers/normalization.js';
import { MaxPooling1D } from '../../src/layers/pooling.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { UnsupportedLayerError } from '../../src/onnx/errors.js';
import { exportOnnx } from '../../src/onnx/index.js';
import { tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/errors.js';
import { expectOnnxMatches, maskSteps, randomizeWeights, randomTensor } from './ort.js';

const worstByLayer: Record<string, number> = {};
const record = (layer: string, deviation: number): void => {
  worstByLayer[layer] = Math.max(worstByLayer[layer] ?? 0, deviation);
};
afterAll(() => console.info('worst |Δ| vs keras-gru:', JSON.stringify(worstByLayer)));

/** Seeded weights; BatchNormalization's moving variance made positive (in [0.2, 1.8]) and away from 1. */
function randomize(model: Model, layers: readonly Layer[], seed: number): void {
  randomizeWeights(model, seed, 1.5);
  for (const layer of layers) {
    if (layer instanceof BatchNormalization) {
      const v = layer.movingVariance!;
      const r = randomTensor([...v.shape], seed + 1).dataSync();
      v.assign(
        tensor(
          Array.from(r, (u) => 1 + 0.8 * u),
          [...v.shape],
        ),
      );
    }
  }
}

describe('exportOnnx: the noise layers', () => {
  it.each([
    () => new GaussianNoise({ stddev: 0.3, seed: 1 }),
    () => new GaussianDropout({ rate: 0.4, seed: 2 }),
    () => new SpatialDropout1D({ rate: 0.5, seed: 3 }),
  ] as (() => Layer)[])('%# is the identity at inference, its mask passed on to a GRU', async (make) => {
    const layer = make();
    const model = new Sequential([input({ shape: [null, 3] }), new Masking(), layer, new GRU({ units: 3 })]);
    randomizeWeights(model, 5);
    const x = maskSteps(randomTensor([3, 7, 3], 6), [
      [0, 5],
      [0, 6],
      [2, 0],
    ]);
    record(layer.className, await expectOnnxMatches(model, [x], layer.className));
  });
});

describe('exportOnnx: BatchNormalization', () => {
  it.each([
    [{}, [5, 3]],
    [{ axis: 1 }, [5, 3]],
    [{ axis: -2, center: false }, [7, 4]],
    [{ scale: false, epsilon: 0.1 }, [5, 3]],
    [{ center: false, scale: false }, [6]],
    [{ axis: 2 }, [3, 5, 2]],
  ] as [BatchNormalizationArgs, number[]][])('%o on [B, %o], with its moving statistics', async (args, shape) => {
    const layer = new BatchNormalization(args);
    const model = new Sequential([input({ shape }), layer]);
    randomize(model, [layer], 20);
    record(
      'BatchNormalization',
      await expectOnnxMatches(model, [randomTensor([3, ...shape], 21)], JSON.stringify(args)),
    );
  });

  it('passes the mask on (a masked GRU after it); shared, it stores its weights once', async () => {
    const x = input({ shape: [null, 3] });
    const bn = new BatchNormalization();
    const masked = new Masking().apply(x);
    const y = new GRU({ units: 2 }).apply(bn.apply(masked)) as SymbolicTensor;
    const z = bn.apply(x) as SymbolicTensor;
    const model = new Model({ inputs: x, outputs: [y, z] });
    randomize(model, [bn], 30);
    const data = maskSteps(randomTensor([2, 6, 3], 31), [
      [0, 4],
      [0, 5],
      [1, 2],
    ]);
    record('BatchNormalization', await expectOnnxMatches(model, [data], 'masked, shared'));
    const stored = fromBinary(ModelProtoSchema, exportOnnx(model)).graph!.initializer.map((t) => t.name);
    expect(stored.filter((n) => n.startsWith(`${bn.name}/`)).sort()).toEqual(
      ['beta', 'gamma', 'moving_mean', 'moving_variance'].map((w) => `${bn.name}/${w}`),
    );
  });
});

describe('exportOnnx: LayerNormalization', () => {
  it.each([
    [{}, [5, 3]],
    [{ axis: 1 }, [5, 3]],
    [{ axis: [1, 2] }, [5, 3]],
    [{ axis: [-1, 1] }, [3, 2, 4]],
    [{ axis: [1, 3], epsilon: 0.5 }, [3, 2, 4]],
    [{ center: false }, [7, 3]],
    [{ scale: false }, [7, 3]],
    [{ center: false, scale: false }, [7, 3]],
    [{ rmsScaling: true }, [7, 3]],
    [{ rmsScaling: true, axis: [1, 2] }, [7, 3]],
  ] as [LayerNormalizationArgs, number[]][])('%o on [B, %o]', async (args, shape) => {
    const layer = new LayerNormalization(args);
    const model = new Sequential([input({ shape }), layer]);
    randomize(model, [layer], 40);
    record(
      'LayerNormalization',
      await expectOnnxMatches(model, [randomTensor([3, ...shape], 41)], JSON.stringify(args)),
    );
  });

  it('on a sequence of any length, passing the mask on', async () => {
    const model = new Sequential([
      input({ shape: [null, 4] }),
      new Masking(),
      new LayerNormalization(),
      new GRU({ units: 3, returnSequences: true }),
    ]);
    randomize(model, [], 50);
    for (const steps of [1, 5, 8]) {
      const x = maskSteps(randomTensor([2, steps, 4], 51 + steps), [[1, steps - 1]]);
      record('LayerNormalization', await expectOnnxMatches(model, [x], `${steps} steps`));
    }
    expect(worstByLayer.LayerNormalization).toBeLessThanOrEqual(1e-5);
  });
});

describe('exportOnnx refuses', () => {
  it('float64 normalization, convolution and pooling layers, naming the layer (the graph is float32)', () => {
    for (const layer of [
      new BatchNormalization({ dtype: 'float64', name: 'bn64' }),
      new LayerNormalization({ dtype: 'float64', name: 'ln64' }),
      new Conv1D({ filters: 2, kernelSize: 2, dtype: 'float64', name: 'conv64' }),
      new MaxPooling1D({ dtype: 'float64', name: 'pool64' }),
    ] as Layer[]) {
      const model = new Sequential([input({ shape: [5, 3] }), layer]);
      expectError(() => exportOnnx(model), UnsupportedLayerError, `${layer.className} '${layer.name}'`, 'float64');
    }
  });
});
