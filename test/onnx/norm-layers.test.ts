/**
 * Done when: exporting a model with one of issue 14's normalization, noise, convolution, pooling or attention
 * layers, which have no ONNX translation yet, is an UnsupportedLayerError naming that layer; SpatialDropout1D,
 * a Dropout, exports as the identity (ONNX runs inference).
 */
import { describe, expect, it } from 'vitest';
import { AdditiveAttention, Attention } from '../../src/layers/attention.js';
import { Conv1D } from '../../src/layers/convolution.js';
import { input } from '../../src/layers/input-layer.js';
import type { Layer } from '../../src/layers/layer.js';
import { GaussianDropout, GaussianNoise, SpatialDropout1D } from '../../src/layers/noise.js';
import { BatchNormalization, LayerNormalization } from '../../src/layers/normalization.js';
import {
  AveragePooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
} from '../../src/layers/pooling.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { Model } from '../../src/models/model.js';
import { UnsupportedLayerError } from '../../src/onnx/errors.js';
import { exportOnnx } from '../../src/onnx/index.js';
import { expectError } from '../helpers/errors.js';

describe('ONNX export of the new layers', () => {
  it.each([
    () => new LayerNormalization({ name: 'the_layer' }),
    () => new BatchNormalization({ name: 'the_layer' }),
    () => new GaussianNoise({ stddev: 0.1, name: 'the_layer' }),
    () => new GaussianDropout({ rate: 0.1, name: 'the_layer' }),
    () => new Conv1D({ filters: 2, kernelSize: 2, name: 'the_layer' }),
    () => new MaxPooling1D({ name: 'the_layer' }),
    () => new AveragePooling1D({ name: 'the_layer' }),
    () => new GlobalAveragePooling1D({ name: 'the_layer' }),
    () => new GlobalMaxPooling1D({ name: 'the_layer' }),
  ] as (() => Layer)[])('refuses %#, naming the layer', (make) => {
    const x = input({ shape: [4, 3] });
    const layer = make();
    const model = new Model({ inputs: x, outputs: layer.apply(x) as SymbolicTensor });
    expectError(() => exportOnnx(model), UnsupportedLayerError, `${layer.className} 'the_layer'`);
  });

  it.each([Attention, AdditiveAttention])('refuses %o on [query, value], naming it', (cls) => {
    const q = input({ shape: [4, 3] });
    const v = input({ shape: [5, 3] });
    const model = new Model({ inputs: [q, v], outputs: new cls({ name: 'att' }).apply([q, v]) });
    expectError(() => exportOnnx(model), UnsupportedLayerError, `${new cls().className} 'att'`);
  });

  it('SpatialDropout1D exports as the identity', () => {
    const x = input({ shape: [4, 3] });
    const model = new Model({ inputs: x, outputs: new SpatialDropout1D({ rate: 0.5 }).apply(x) });
    expect(exportOnnx(model).length).toBeGreaterThan(0);
  });
});
