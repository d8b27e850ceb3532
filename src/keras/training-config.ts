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
 * layout has `optimizer` in place of `optimizer_config`; both are read.
 */
export function compileConfigFromTrainingConfig(trainingConfig: Record<string, unknown>): Record<string, unknown> {
  const { optimizer_config: optimizerConfig, ...rest } = trainingConfig;
  return optimizerConfig === undefined ? rest : { ...rest, optimizer: optimizerConfig };
}
