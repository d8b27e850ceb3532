/**
 * The common result of every weights reader (Keras 3 `.keras`/`.weights.h5`, legacy `.h5`, TF.js): for each
 * layer of a model, its weights in Keras's `get_weights()` order, with Keras's layouts (a GRU's kernel is
 * `[I, 3U]`, gate blocks z|r|h along the last axis).
 */
import { InvalidArgumentError } from '../errors.js';
import type { H5NumericArray } from './h5-tree.js';

export interface WeightValue {
  /**
   * The variable's path, without the model's name and without TF's `:0` suffix: `gru_1/gru_cell/kernel`,
   * `bidirectional/forward_gru/gru_cell/bias`, `dense/kernel`. Keras 3 `.keras` files do not store variable
   * names; there the name follows from the layer's class (unknown classes get the variable's index).
   */
  name: string;
  shape: number[];
  /** Row-major values. */
  data: Float32Array;
}

export interface LayerWeights {
  /** The layer's name in the model config. */
  layerName: string;
  /** Its Keras class name (`GRU`, `Dense`, `Bidirectional`, ...), or `''` when the file does not say. */
  className: string;
  /** In Keras's `layer.get_weights()` order; empty for layers without weights. */
  weights: WeightValue[];
}

/** Float32 values of stored numbers: float32 as is (shared), other types converted (int64 beyond 2^53 is rounded). */
export function toFloat32(data: H5NumericArray): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array)
    return Float32Array.from(data, (item) => Number(item));
  return Float32Array.from(data);
}

/** Checks that `weights` is a list of `{ name, shape, data }` with `data.length` equal to the size of `shape`. */
export function validateLayerWeights(layers: readonly LayerWeights[], context: string): void {
  layers.forEach((layer, i) => {
    if (typeof layer?.layerName !== 'string' || !Array.isArray(layer.weights)) {
      throw new InvalidArgumentError({
        argument: `layers[${i}]`,
        expected: '{ layerName, className, weights }',
        received: layer,
        context,
      });
    }
    layer.weights.forEach((weight, j) => {
      const size = Array.isArray(weight?.shape) ? weight.shape.reduce((product, dim) => product * dim, 1) : NaN;
      if (!(weight?.data instanceof Float32Array) || weight.data.length !== size) {
        throw new InvalidArgumentError({
          argument: `layers[${i}].weights[${j}]`,
          expected: '{ name, shape, data: Float32Array } with data.length equal to the size of shape',
          received: weight,
          context,
        });
      }
    });
  });
}
