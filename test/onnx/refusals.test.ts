/**
 * What exportOnnx refuses, with a typed error that names the layer and says why.
 */
import { describe, expect, it } from 'vitest';
import { reluActivation } from '../../src/activations/index.js';
import { KerasGruError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { GRU } from '../../src/layers/gru.js';
import { input } from '../../src/layers/input-layer.js';
import { Layer, type Shape } from '../../src/layers/layer.js';
import { Masking } from '../../src/layers/masking.js';
import type { SymbolicTensor } from '../../src/layers/symbolic-tensor.js';
import { TimeDistributed } from '../../src/layers/time-distributed.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import {
  exportOnnx,
  OnnxExportError,
  UnsupportedActivationError,
  UnsupportedLayerError,
  UnsupportedMaskError,
} from '../../src/onnx/index.js';
import { mul } from '../../src/ops/arithmetic.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { expectError } from '../helpers/layer-configs.js';

class Square extends Layer {
  readonly className = 'Square';
  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return mul(x, x);
  }
  override computeOutputShape(shape: Shape | Shape[]): Shape {
    return [...(shape as Shape)];
  }
}

const sequential = (...layers: Layer[]): Sequential => new Sequential([input({ shape: [null, 3] }), ...layers]);

describe('exportOnnx refuses', () => {
  it('a GRU activation the ONNX GRU operator lacks, naming layer and activation', () => {
    for (const [args, name] of [
      [{ units: 2, activation: 'gelu', name: 'g1' }, 'gelu'],
      [{ units: 2, recurrentActivation: 'hard_tanh', name: 'g2' }, 'hard_tanh'],
      [
        { units: 2, activation: reluActivation({ maxValue: 3 }), name: 'g3' },
        'relu(negative_slope=0, max_value=3, threshold=0)',
      ],
    ] as const) {
      let caught: unknown;
      try {
        exportOnnx(sequential(new GRU(args)));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(UnsupportedActivationError);
      expect(caught).toBeInstanceOf(KerasGruError);
      const error = caught as UnsupportedActivationError;
      expect(error.activation).toBe(name);
      expect(error.layer).toBe(`GRU '${args.name}'`);
      expect(error.message).toContain('ONNX GRU operator supports sigmoid, tanh, hard_sigmoid');
    }
  });

  it('a Dense activation without a translation, or a custom function', () => {
    expectError(
      () => exportOnnx(sequential(new Dense({ units: 2, activation: 'sparsemax', name: 'd' }))),
      UnsupportedActivationError,
      "Dense 'd'",
      "'sparsemax'",
    );
    const custom = (x: Tensor): Tensor => x;
    expectError(
      () => exportOnnx(sequential(new Dense({ units: 2, activation: custom }))),
      UnsupportedActivationError,
      "'custom'",
    );
  });

  it('a stateful GRU, a float64 layer, a layer class it does not know, TimeDistributed around anything but Dense/Dropout', () => {
    const stateful = new Sequential([
      input({ shape: [null, 3], batchSize: 2 }),
      new GRU({ units: 2, stateful: true, name: 's' }),
    ]);
    expectError(() => exportOnnx(stateful), UnsupportedLayerError, "GRU 's'", 'stateful');
    expectError(
      () => exportOnnx(sequential(new GRU({ units: 2, dtype: 'float64' }))),
      UnsupportedLayerError,
      'float64',
    );
    expectError(
      () => exportOnnx(sequential(new Square({ name: 'sq' }))),
      UnsupportedLayerError,
      "Square 'sq'",
      'no ONNX translation',
    );
    expectError(
      () => exportOnnx(sequential(new TimeDistributed({ layer: new Masking() }))),
      UnsupportedLayerError,
      'wraps Masking',
    );
  });

  it('a mask passed explicitly that is not a graph tensor, and a layer called with training: true', () => {
    const x = input({ shape: [null, 3] });
    const masked = new Masking().apply(x);
    const y = new GRU({ units: 2, name: 'm' }).apply(x, { mask: masked.mask! }) as SymbolicTensor;
    expectError(
      () => exportOnnx(new Model({ inputs: x, outputs: y })),
      UnsupportedMaskError,
      "GRU 'm'",
      'not a [batch, timesteps] model input or layer output',
    );
    const z = new Dropout({ rate: 0.5, name: 'dr' }).apply(x, { training: true });
    expectError(
      () => exportOnnx(new Model({ inputs: x, outputs: z })),
      UnsupportedLayerError,
      "Dropout 'dr'",
      'training: true',
    );
  });

  it('what is not a built model, and bad options', () => {
    expectError(() => exportOnnx(new GRU({ units: 2 }) as unknown as Model), OnnxExportError, 'takes a Model');
    expectError(() => exportOnnx(new Sequential([])), OnnxExportError, 'no layers');
    expectError(() => exportOnnx(new Sequential([new GRU({ units: 2 })])), OnnxExportError, 'not built');
    const model = sequential(new GRU({ units: 2 }));
    expectError(() => exportOnnx(model, { inputNames: ['a', 'b'] }), OnnxExportError, 'inputNames must be 1 distinct');
    expectError(
      () => exportOnnx(model, { inputNames: ['a'], outputNames: ['a'] }),
      OnnxExportError,
      "'a' names both an input and an output",
    );
    expectError(() => exportOnnx(model, { integerInputs: 'int16' as 'int32' }), OnnxExportError, 'integerInputs');
  });
});
