/** input() / InputLayer: the symbolic tensor's shape (batch first), dtype and source, the Keras 3 config. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { InputLayer, SymbolicTensor, input, isSymbolicTensor } from '../../src/layers/input-layer.js';
import { inputOptionsFromKerasConfig } from '../../src/keras/input-layer-config.js';

describe('input', () => {
  it('returns a SymbolicTensor with the batch dimension first', () => {
    const x = input({ shape: [20, 3] });
    expect(x).toBeInstanceOf(SymbolicTensor);
    expect(isSymbolicTensor(x)).toBe(true);
    expect(x.shape).toEqual([null, 20, 3]);
    expect(x.rank).toBe(3);
    expect(x.dtype).toBe('float32');
    expect(x.sourceLayer).toBeInstanceOf(InputLayer);
    expect(x.sourceLayer.output).toBe(x);
    expect(x.name).toBe(x.sourceLayer.name);
    expect(x.sourceLayer.name).toMatch(/^input_layer(_\d+)?$/);
  });

  it('takes a batch size, a batch shape, a dtype and a name', () => {
    expect(input({ shape: [null, 4], batchSize: 8 }).shape).toEqual([8, null, 4]);
    expect(input({ batchShape: [null, null], dtype: 'int32' }).dtype).toBe('int32');
    expect(input({ shape: [2], name: 'features' }).name).toBe('features');
  });

  it('writes Keras 3 InputLayer configs and reads them (and Keras 2 batch_input_shape) back', () => {
    const layer = input({ shape: [null, 4], name: 'seq' }).sourceLayer;
    const config = layer.getConfig();
    expect(config).toEqual({
      batch_shape: [null, null, 4],
      dtype: 'float32',
      sparse: false,
      ragged: false,
      name: 'seq',
      optional: false,
    });
    expect(Object.keys(config)).toEqual(['batch_shape', 'dtype', 'sparse', 'ragged', 'name', 'optional']);
    expect(new InputLayer({ ...inputOptionsFromKerasConfig(config), name: 'seq2' }).batchShape).toEqual([
      null,
      null,
      4,
    ]);
    const keras2 = inputOptionsFromKerasConfig({ batch_input_shape: [null, 5], dtype: 'int32', name: 'ids' });
    expect(keras2).toEqual({ batchShape: [null, 5], dtype: 'int32', name: 'ids' });
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => input({})).toThrow(InvalidArgumentError);
    expect(() => input({ shape: [3], batchShape: [null, 3] })).toThrow(InvalidArgumentError);
    expect(() => input({ shape: [-1] })).toThrow(InvalidArgumentError);
    expect(() => input({ shape: [3], batchSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => input({ shape: [3], dtype: 'float16' as 'float32' })).toThrow(InvalidArgumentError);
    expect(() => inputOptionsFromKerasConfig({ batch_shape: [null, 3], sparse: true })).toThrow(InvalidArgumentError);
  });
});
