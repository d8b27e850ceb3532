/**
 * The Keras wire format of `Attention` (base config, then `use_scale`, `score_mode`, `dropout`, `seed`) and
 * `AdditiveAttention` (the same without `score_mode`), as Keras 3.15's `get_config()` (`seed` since 3.15.0;
 * configs of earlier versions, without it, are read too).
 */
import type { AdditiveAttention, AdditiveAttentionArgs, Attention, AttentionArgs } from '../layers/attention.js';
import { readLayerConfig } from './layer-config-reader.js';

const BASE_KEYS: Record<string, string> = {
  name: 'name',
  trainable: 'trainable',
  dtype: 'dtype',
  activity_regularizer: 'activityRegularizer',
  use_scale: 'useScale',
  dropout: 'dropout',
  seed: 'seed',
};

export const attentionToKerasConfig = (layer: Attention, base: Record<string, unknown>): Record<string, unknown> => ({
  ...base,
  use_scale: layer.useScale,
  score_mode: layer.scoreMode,
  dropout: layer.dropout,
  seed: layer.seed,
});

export const attentionArgsFromKerasConfig = (config: unknown, context = 'Attention.fromConfig'): AttentionArgs =>
  readLayerConfig<AttentionArgs>(
    config,
    { className: 'Attention', keys: { ...BASE_KEYS, score_mode: 'scoreMode' } },
    context,
  );

export const additiveAttentionToKerasConfig = (
  layer: AdditiveAttention,
  base: Record<string, unknown>,
): Record<string, unknown> => ({ ...base, use_scale: layer.useScale, dropout: layer.dropout, seed: layer.seed });

export const additiveAttentionArgsFromKerasConfig = (
  config: unknown,
  context = 'AdditiveAttention.fromConfig',
): AdditiveAttentionArgs =>
  readLayerConfig<AdditiveAttentionArgs>(config, { className: 'AdditiveAttention', keys: BASE_KEYS }, context);
