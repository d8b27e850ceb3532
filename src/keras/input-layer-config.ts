/**
 * The Keras wire format of InputLayer: Keras 3's `InputLayer.get_config()`
 * (`batch_shape, dtype, sparse, ragged, name, optional`), and the reverse, which also reads Keras 2's
 * `batch_input_shape`.
 */
import { InvalidArgumentError } from '../errors.js';
import type { InputLayer, InputOptions } from '../layers/input-layer.js';
import type { DType } from '../tensor/dtype.js';

export function inputLayerToKerasConfig(layer: InputLayer): Record<string, unknown> {
  return {
    batch_shape: [...layer.batchShape],
    dtype: layer.inputDType,
    sparse: layer.sparse,
    ragged: layer.ragged,
    name: layer.name,
    optional: layer.optional,
  };
}

/** `input()` options from a Keras InputLayer config (or a whole serialized layer). */
export function inputOptionsFromKerasConfig(config: unknown, context = 'InputLayer.fromConfig'): InputOptions {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({
      argument: 'config',
      expected: 'a Keras InputLayer config object',
      received: config,
      context,
    });
  }
  const outer = config as Record<string, unknown>;
  const c =
    typeof outer.class_name === 'string' && typeof outer.config === 'object' && outer.config !== null
      ? (outer.config as Record<string, unknown>)
      : outer;
  for (const key of ['sparse', 'ragged', 'optional'] as const) {
    if (c[key] !== undefined && c[key] !== null && c[key] !== false) {
      throw new InvalidArgumentError({
        argument: `config.${key}`,
        expected: 'false (only dense, required inputs are supported)',
        received: c[key],
        context,
      });
    }
  }
  const batchShape = c.batch_shape ?? c.batch_input_shape;
  if (!Array.isArray(batchShape)) {
    throw new InvalidArgumentError({
      argument: 'config.batch_shape',
      expected: 'the input shape, batch first',
      received: batchShape,
      context,
    });
  }
  const dtype = c.dtype;
  const dtypeName =
    dtype === undefined || dtype === null
      ? undefined
      : typeof dtype === 'string'
        ? dtype
        : (dtype as { config?: { name?: unknown } }).config?.name;
  const options: InputOptions = { batchShape: batchShape as (number | null)[] };
  if (dtypeName !== undefined) options.dtype = dtypeName as DType;
  if (typeof c.name === 'string') options.name = c.name;
  return options;
}
