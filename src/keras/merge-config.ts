/**
 * The Keras wire format of the merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`
 * write Keras's base layer config only; `Concatenate` adds `axis`, `Dot` adds `axes` and `normalize`.
 */
import type { ConcatenateArgs, Concatenate } from '../layers/concatenate.js';
import type { Dot, DotArgs } from '../layers/dot.js';
import type { MergeArgs } from '../layers/merge.js';
import { readLayerConfig } from './layer-config-reader.js';

const BASE_KEYS: Record<string, string> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
};

/** A merge layer's config: the base config as it is. */
export function mergeToKerasConfig(_layer: unknown, base: Record<string, unknown>): Record<string, unknown> {
  return { ...base };
}

/** The arguments of an elementwise merge layer (`className` for messages) from its Keras config. */
export function mergeArgsFromKerasConfig(className: string): (config: unknown, context?: string) => MergeArgs {
  return (config, context = `${className}.fromConfig`) =>
    readLayerConfig<MergeArgs>(config, { className, keys: BASE_KEYS }, context);
}

export function concatenateToKerasConfig(layer: Concatenate, base: Record<string, unknown>): Record<string, unknown> {
  return { ...base, axis: layer.axis };
}

export function concatenateArgsFromKerasConfig(config: unknown, context = 'Concatenate.fromConfig'): ConcatenateArgs {
  return readLayerConfig<ConcatenateArgs>(
    config,
    { className: 'Concatenate', keys: { ...BASE_KEYS, axis: 'axis' } },
    context,
  );
}

/** Keras writes `axes` as given: an integer, or a list of two. */
export function dotToKerasConfig(layer: Dot, base: Record<string, unknown>): Record<string, unknown> {
  return { ...base, axes: typeof layer.axes === 'number' ? layer.axes : [...layer.axes], normalize: layer.normalize };
}

export function dotArgsFromKerasConfig(config: unknown, context = 'Dot.fromConfig'): DotArgs {
  return readLayerConfig<DotArgs>(
    config,
    { className: 'Dot', keys: { ...BASE_KEYS, axes: 'axes', normalize: 'normalize' } },
    context,
  );
}
