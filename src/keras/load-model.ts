/**
 * `loadModel`: a whole model, with its weights, from the files Keras users have — a Keras 3 `.keras` archive, a
 * legacy full-model `.h5` (Keras 3's, Keras 2's, tf.keras's), or a TF.js layers model (`model.json` and its
 * shards) — given as a path (Node.js), a URL (fetched) or bytes.
 *
 *     const model = await loadModel('forecaster.keras');
 *     const y = model.predict(x);
 *
 * The file's Keras version decides what names mean (see `kerasSemantics`): under Keras 2, `hard_sigmoid` is
 * clip(0.2x + 0.5, 0, 1), under Keras 3 relu6(x + 3) / 6; `model.loadedFrom.semantics` says which was used.
 * A model is loaded whole or not at all: an unknown layer class, a refused config, a missing, extra or misshapen
 * weight is a typed error naming the file (and the layer and weight) and no model is returned.
 */
import { isRecord } from './functional-config.js';
import { InvalidArgumentError } from '../errors.js';
import { asFileError, FileFormatError } from '../io/errors.js';
import { loadKerasFile, type LoadedKerasFile } from '../io/load.js';
import type { ByteSource, ReadSourceOptions } from '../io/source.js';
import type { TfjsShards } from '../io/tfjs.js';
import type { CustomObjects } from './custom-objects.js';
import { lossFromKeras, metricFromKeras } from './loss-config.js';
import { kerasSemantics, modelFromKerasConfig } from './model-config.js';
import { optimizerFromKeras } from '../optimizers/optimizer-config.js';
import type { OptimizerName } from '../optimizers/index.js';
import type { LossName } from '../losses/index.js';
import type { MetricName } from '../metrics/index.js';
import type { Model } from '../models/model.js';
import { assignLayerWeights } from './model-files.js';
import { restoreOptimizerState } from './optimizer-state.js';
import { compileConfigFromTrainingConfig } from './training-config.js';

export interface LoadModelOptions extends ReadSourceOptions {
  /** Layer classes (and activations) beyond the built-in ones, by the names the file uses (Keras's custom_objects). */
  customObjects?: CustomObjects;
  /** TF.js shards, when `model.json` is given as bytes or its shards are not beside it. */
  shards?: TfjsShards;
  /** Read names with this Keras version's meanings instead of the one the file records. */
  kerasVersion?: 2 | 3;
  /**
   * Compile the model as the file says — a `.keras` file's `compile_config`, a legacy `.h5` file's
   * `training_config` (optimizer, loss, metrics) — and restore the optimizer's saved state (its iteration count,
   * learning rate and slot variables), so that `fit` continues where the saved model stopped, as in Keras.
   * Default true, as Keras's `load_model`; false leaves the model uncompiled.
   */
  compile?: boolean;
}

function sourceLabel(source: ByteSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  return '<bytes>';
}

/** The semantics of a file without a version: legacy `.h5` files predate Keras 3, the rest follow it. */
function semanticsOf(file: LoadedKerasFile): 2 | 3 {
  return kerasSemantics(file.kerasVersion, file.kind === 'legacy-h5' ? 2 : 3);
}

/** Where a file records its compile arguments, for error messages. */
interface CompileSource {
  file: string;
  member?: string;
  path: string;
}

/** Keras's `compile_from_config`: compile with the optimizer, loss and metrics the file recorded. */
function compileFromConfig(model: Model, compileConfig: unknown, where: CompileSource): void {
  if (
    !isRecord(compileConfig) ||
    Object.keys(compileConfig).length === 0 ||
    compileConfig.loss === undefined ||
    compileConfig.loss === null
  )
    return;
  try {
    for (const key of ['loss_weights', 'weighted_metrics']) {
      const value = compileConfig[key];
      if (value !== undefined && value !== null)
        throw new Error(`${key} is not supported by compile here (received ${JSON.stringify(value)})`);
    }
    // A string stays a string, so that saving again writes what Keras wrote ("mse", not its class).
    const metrics = Array.isArray(compileConfig.metrics)
      ? compileConfig.metrics.map((m, i) =>
          typeof m === 'string'
            ? (metricFromKeras(m, `metrics[${i}]`), m as MetricName)
            : metricFromKeras(m, `metrics[${i}]`),
        )
      : undefined;
    const loss = compileConfig.loss;
    const optimizer = compileConfig.optimizer;
    model.compile({
      // A file's optimizer name is checked by getOptimizer at run time.
      optimizer: typeof optimizer === 'string' ? (optimizer as OptimizerName) : optimizerFromKeras(optimizer),
      loss: typeof loss === 'string' ? (lossFromKeras(loss), loss as LossName) : lossFromKeras(loss),
      ...(metrics !== undefined ? { metrics } : {}),
    });
  } catch (cause) {
    throw new FileFormatError(
      `the model cannot be compiled as recorded (pass { compile: false } to load it uncompiled): ${(cause as Error).message}`,
      { ...where, cause },
    );
  }
}

/**
 * Compiles the model as a `.keras` file's `compile_config` or a legacy `.h5` file's `training_config` says, and
 * restores the optimizer's state the file holds. A legacy file written by Keras 2 or tf.keras keeps its
 * optimizer's slots in another order under other names (Keras 3 itself cannot use them): it is compiled with a
 * fresh optimizer.
 */
function compileAsRecorded(model: Model, file: LoadedKerasFile): void {
  if (file.kind === 'keras') {
    compileFromConfig(model, file.config?.compile_config, {
      file: file.name,
      member: 'config.json',
      path: '$.compile_config',
    });
    if (model.compiled && file.optimizerState !== undefined)
      restoreOptimizerState(model, file.optimizerState, { file: file.name, member: 'model.weights.h5' });
    return;
  }
  if (file.kind === 'legacy-h5' && file.trainingConfig !== undefined) {
    compileFromConfig(model, compileConfigFromTrainingConfig(file.trainingConfig), {
      file: file.name,
      path: '/@training_config',
    });
    const keras3 = file.kerasVersion !== undefined && /^3\./.test(file.kerasVersion);
    if (model.compiled && keras3 && file.optimizerState !== undefined)
      restoreOptimizerState(model, file.optimizerState, { file: file.name });
  }
}

/**
 * Loads a whole model with its weights from a `.keras` file, a legacy `.h5` file or a TF.js `model.json` (a path
 * to it finds the shards beside it). `.weights.h5` files hold no model: build the model (by hand or with
 * `modelFromKerasConfig`) and call `model.loadWeights`.
 */
export async function loadModel(source: ByteSource, options: LoadModelOptions = {}): Promise<Model> {
  if (options.kerasVersion !== undefined && options.kerasVersion !== 2 && options.kerasVersion !== 3) {
    throw new InvalidArgumentError({
      argument: 'options.kerasVersion',
      expected: '2 or 3',
      received: options.kerasVersion,
      context: 'loadModel',
    });
  }
  let file: LoadedKerasFile;
  try {
    file = await loadKerasFile(source, {
      ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.shards !== undefined ? { shards: options.shards } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidArgumentError && error.argument === 'options.config') {
      throw new FileFormatError(
        'a Keras 3 .weights.h5 file holds weights only; build the model and call model.loadWeights',
        { file: sourceLabel(source) },
      );
    }
    throw error;
  }
  if (file.config === undefined) {
    throw new FileFormatError(
      'the file holds weights only, no model config; build the model and call model.loadWeights',
      { file: file.name },
    );
  }
  try {
    return buildLoadedModel(file, file.config, options);
  } catch (cause) {
    throw asFileError(cause, file.name);
  }
}

/** The model a read file describes, with its weights assigned and compiled as recorded: whole, or a throw. */
function buildLoadedModel(file: LoadedKerasFile, config: Record<string, unknown>, options: LoadModelOptions): Model {
  const semantics = options.kerasVersion ?? semanticsOf(file);
  const model = modelFromKerasConfig(config, {
    kerasVersion: semantics,
    file: file.name,
    ...(file.kind === 'keras' ? { member: 'config.json' } : {}),
    ...(options.customObjects !== undefined ? { customObjects: options.customObjects } : {}),
  });
  assignLayerWeights(model, file.layers, file.name, { byName: true });
  if (options.compile !== false) compileAsRecorded(model, file);
  model.loadedFrom = { file: file.name, format: file.kind, kerasVersion: file.kerasVersion, semantics };
  return model;
}
