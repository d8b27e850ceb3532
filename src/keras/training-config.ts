/**
 * A legacy `.h5` file's `training_config` and a `.keras` file's `compile_config` hold the same arguments of
 * `compile` in two layouts. Keras 3's legacy writer (`saving_utils.model_metadata`) takes the compile config,
 * drops its `optimizer` and appends `optimizer_config: { class_name, config }` (no module, no registered name);
 * its reader (`compile_args_from_training_config`) reads `optimizer_config` back. Keras 2 and tf.keras wrote
 * the same keys.
 */
import { isRecord } from './functional-config.js';

/** The `training_config` Keras 3 writes into a legacy `.h5` for a model whose `compile_config` is `compileConfig`. */
export function trainingConfigFromCompileConfig(compileConfig: Record<string, unknown>): Record<string, unknown> {
  const { optimizer, ...rest } = compileConfig;
  if (!isRecord(optimizer)) return rest;
  return { ...rest, optimizer_config: { class_name: optimizer.class_name, config: optimizer.config } };
}

/**
 * The compile config a legacy `training_config` stands for. A file written by keras-gru before it wrote Keras's
 * layout has `optimizer` in place of `optimizer_config`; both are read. Keras ≤ 2.2 named the learning rate
 * `lr` (tf.keras read it as an alias of `learning_rate`); it is read as `learning_rate`.
 */
export function compileConfigFromTrainingConfig(trainingConfig: Record<string, unknown>): Record<string, unknown> {
  const { optimizer_config: optimizerConfig, ...rest } = trainingConfig;
  return optimizerConfig === undefined ? rest : { ...rest, optimizer: withLearningRateKey(optimizerConfig) };
}

function withLearningRateKey(optimizer: unknown): unknown {
  if (!isRecord(optimizer) || !isRecord(optimizer.config) || !('lr' in optimizer.config)) return optimizer;
  const { lr, ...config } = optimizer.config;
  return { ...optimizer, config: 'learning_rate' in config ? config : { ...config, learning_rate: lr } };
}
