/**
 * The Keras wire format of `LayerNormalization` and `BatchNormalization`: the base layer config, then Keras 3's
 * own keys in its order. Reading also takes tf.keras (Keras 2) configs; batch renormalization (Keras 2, and
 * Keras 3.14+) and virtual batches are accepted only when off.
 */
import { serializeConstraint } from '../constraints/index.js';
import { InvalidArgumentError } from '../errors.js';
import { serializeInitializer } from '../initializers/index.js';
import type {
  BatchNormalization,
  BatchNormalizationArgs,
  LayerNormalization,
  LayerNormalizationArgs,
} from '../layers/normalization.js';
import { serializeRegularizer } from '../regularizers/index.js';
import { readLayerConfig } from './layer-config-reader.js';

const BASE_KEYS: Record<string, string> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

const AFFINE_KEYS: Record<string, string> = {
  epsilon: 'epsilon',
  center: 'center',
  scale: 'scale',
  beta_initializer: 'betaInitializer',
  gamma_initializer: 'gammaInitializer',
  beta_regularizer: 'betaRegularizer',
  gamma_regularizer: 'gammaRegularizer',
  beta_constraint: 'betaConstraint',
  gamma_constraint: 'gammaConstraint',
};

export function layerNormalizationToKerasConfig(
  layer: LayerNormalization,
  base: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...base,
    axis: typeof layer.axis === 'number' ? layer.axis : [...layer.axis],
    epsilon: layer.epsilon,
    center: layer.center,
    scale: layer.scale,
    rms_scaling: layer.rmsScaling,
    beta_initializer: serializeInitializer(layer.betaInitializer),
    gamma_initializer: serializeInitializer(layer.gammaInitializer),
    beta_regularizer: serializeRegularizer(layer.betaRegularizer),
    gamma_regularizer: serializeRegularizer(layer.gammaRegularizer),
    beta_constraint: serializeConstraint(layer.betaConstraint),
    gamma_constraint: serializeConstraint(layer.gammaConstraint),
  };
}

export function layerNormalizationArgsFromKerasConfig(
  config: unknown,
  context = 'LayerNormalization.fromConfig',
): LayerNormalizationArgs {
  return readLayerConfig<LayerNormalizationArgs>(
    config,
    {
      className: 'LayerNormalization',
      keys: { ...BASE_KEYS, ...AFFINE_KEYS, axis: 'axis', rms_scaling: 'rmsScaling' },
    },
    context,
  );
}

export function batchNormalizationToKerasConfig(
  layer: BatchNormalization,
  base: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...base,
    axis: layer.axis,
    momentum: layer.momentum,
    epsilon: layer.epsilon,
    center: layer.center,
    scale: layer.scale,
    beta_initializer: serializeInitializer(layer.betaInitializer),
    gamma_initializer: serializeInitializer(layer.gammaInitializer),
    moving_mean_initializer: serializeInitializer(layer.movingMeanInitializer),
    moving_variance_initializer: serializeInitializer(layer.movingVarianceInitializer),
    beta_regularizer: serializeRegularizer(layer.betaRegularizer),
    gamma_regularizer: serializeRegularizer(layer.gammaRegularizer),
    beta_constraint: serializeConstraint(layer.betaConstraint),
    gamma_constraint: serializeConstraint(layer.gammaConstraint),
    synchronized: layer.synchronized,
    // Keras 3.14+ writes its batch renormalization options; keras-gru has none, so they are off, at Keras's
    // defaults (a file's renorm_clipping / renorm_momentum, meaningless with renorm off, are not kept).
    renorm: false,
    renorm_clipping: null,
    renorm_momentum: 0.99,
  };
}

/** tf.keras's options that change the computation, accepted only when off. */
const KERAS2_OFF: Record<string, unknown> = { renorm: false, virtual_batch_size: null, adjustment: null };

export function batchNormalizationArgsFromKerasConfig(
  config: unknown,
  context = 'BatchNormalization.fromConfig',
): BatchNormalizationArgs {
  const args = readLayerConfig<BatchNormalizationArgs>(
    config,
    {
      className: 'BatchNormalization',
      keys: {
        ...BASE_KEYS,
        ...AFFINE_KEYS,
        axis: 'axis',
        momentum: 'momentum',
        moving_mean_initializer: 'movingMeanInitializer',
        moving_variance_initializer: 'movingVarianceInitializer',
        synchronized: 'synchronized',
      },
      // `fused` picks a kernel, not a result; the renorm tuning keys mean nothing while renorm is off.
      ignored: ['fused', 'renorm_clipping', 'renorm_momentum'],
      special: (key, value) => {
        if (!Object.hasOwn(KERAS2_OFF, key)) return false;
        if (value !== undefined && value !== KERAS2_OFF[key]) {
          throw new InvalidArgumentError({
            argument: `config.${key}`,
            expected: `${String(KERAS2_OFF[key])} (keras-gru has no batch renormalization or virtual batches)`,
            received: value,
            context,
          });
        }
        return true;
      },
    },
    context,
  );
  // tf.keras may write the features axis as a one-element list.
  const axis = (args as { axis?: unknown }).axis;
  if (Array.isArray(axis) && axis.length === 1) return { ...args, axis: axis[0] as number };
  return args;
}
