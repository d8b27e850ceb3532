/**
 * The Keras wire format of `Attention` (base config, then `use_scale`, `score_mode`, `dropout`) and
 * `AdditiveAttention` (the same without `score_mode`), as Keras 3's `get_config()`. A `seed` key, which some
 * Keras versions write, is read.
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
): Record<string, unknown> => ({ ...base, use_scale: layer.useScale, dropout: layer.dropout });

export const additiveAttentionArgsFromKerasConfig = (
  config: unknown,
  context = 'AdditiveAttention.fromConfig',
): AdditiveAttentionArgs =>
  readLayerConfig<AdditiveAttentionArgs>(config, { className: 'AdditiveAttention', keys: BASE_KEYS }, context);
