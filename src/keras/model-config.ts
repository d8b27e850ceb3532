/**
 * Keras model configs, both ways. `modelFromKerasConfig` rebuilds Sequential and functional models (nested ones
 * too) from what Keras 3 writes in `config.json`, and from Keras 2 / tf.keras configs (a legacy `.h5`'s
 * `model_config`, TF.js's `modelTopology`): class names without `module`, `batch_input_shape`, string dtypes,
 * `inbound_nodes` as `[[layer, node, tensor, kwargs], ...]`. `serializeModel` and `model.getConfig()` write
 * them (model-serialization.ts).
 *
 * A functional config lists layers and the operations Keras traced (`NotEqual`, `Any`, ... from masks); each
 * entry's `inbound_nodes` are its calls, `{ args, kwargs }`, with `__keras_tensor__` references to earlier
 * calls' outputs. As Keras's `functional_from_config`, every layer is made first, then calls are replayed in
 * config order as soon as their inputs exist. The node kwargs `mask`, `initial_state` and `training` become the
 * call's `CallOptions`.
 *
 * Which Keras wrote the config decides what names mean: with `kerasVersion: 2`, `hard_sigmoid` is Keras 2's
 * 0.2x + 0.5 (Keras 3's is relu6(x + 3) / 6) and a GRU config without `reset_after` has Keras 2's default,
 * false. A config written here names Keras 2's hard_sigmoid `hard_sigmoid_keras2`, read back under any version.
 */
import { hardSigmoidKeras2, isActivation, type Activation } from '../activations/index.js';
import { KerasGruError } from '../errors.js';
import { FileFormatError } from '../io/errors.js';
import { InputLayer, type InputOptions } from '../layers/input-layer.js';
import type { Layer, Shape } from '../layers/layer.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import type { Model } from '../models/model.js';
import { Sequential, type SequentialEntry } from '../models/sequential.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { customActivation, withCustomObjects, type CustomObjects } from './custom-objects.js';
import { LambdaLayerError, LayerConfigError, UnknownLayerError } from './errors.js';
import { formatError, isRecord, readFunctional, type ReadContext } from './functional-config.js';
import { inputOptionsFromKerasConfig } from './input-layer-config.js';
import { layerClasses } from './layer-classes.js';
import { deserializeLayerWith, type LayerClassTable } from './layer-serialization.js';
import { KERAS2_HARD_SIGMOID_NAME } from './model-serialization.js';
import { AMBIGUOUS_OPERATIONS, isOperationModule, operationClasses } from './operation-config.js';

export {
  serializeModel,
  serializeLayerEntry,
  kerasGraphOrder,
  KERAS2_HARD_SIGMOID_NAME,
} from './model-serialization.js';
export type { KerasModelJSON, KerasGraphOrder } from './model-serialization.js';

export interface ModelFromConfigOptions {
  /** Layer classes (and activations) the config names beyond the built-in ones, as Keras's `custom_objects`. */
  customObjects?: CustomObjects;
  /**
   * Which Keras wrote the config: 2 for Keras 1/2 and tf.keras (and TF.js), 3 (default) for Keras 3. A version
   * string (`'2.4.0'`, `'3.15.1'`, `'tfjs-layers 4.22.0'`) is read with `kerasSemantics`.
   */
  kerasVersion?: 2 | 3 | string;
  /** Where the config came from, for error messages (default `<config>`). */
  file?: string;
  /** The zip member it came from (`config.json` of a `.keras` file). */
  member?: string;
}

/**
 * The Keras semantics of a file's `keras_version`: 2 for `1.x`/`2.x` (and TF.js's `tfjs-layers ...`, which follows
 * Keras 2), 3 for `3.x` and later. Unknown or absent: `fallback`.
 */
export function kerasSemantics(version: string | undefined, fallback: 2 | 3 = 3): 2 | 3 {
  if (typeof version !== 'string') return fallback;
  const major = /^\s*v?(\d+)\./.exec(version);
  if (major !== null) return Number(major[1]) >= 3 ? 3 : 2;
  if (/^tfjs/i.test(version.trim())) return 2;
  return fallback;
}

/**
 * A Sequential or functional model from its Keras config: the `{ class_name, config }` object of `config.json`
 * (Keras 3), of a legacy `.h5`'s `model_config`, or of TF.js's `modelTopology.model_config`. Layers are built
 * (from `build_config`, or by the model's input); weights are fresh (load them with `model.loadWeights`).
 * Unknown layer classes are an `UnknownLayerError`; a layer whose config its class refuses, a
 * `LayerConfigError`; a malformed model config, a `FileFormatError` with the JSON path.
 */
export function modelFromKerasConfig(config: unknown, options: ModelFromConfigOptions = {}): Model {
  const version =
    typeof options.kerasVersion === 'string' ? kerasSemantics(options.kerasVersion) : (options.kerasVersion ?? 3);
  const ctx: ReadContext = { file: options.file ?? '<config>', member: options.member, version };
  return withCustomObjects(options.customObjects, () => readModel(config, ctx, '$'));
}

function readModel(json: unknown, ctx: ReadContext, path: string): Model {
  if (!isRecord(json) || typeof json.class_name !== 'string') {
    throw formatError('a model config is a { class_name, config } object', ctx, path);
  }
  const className = json.class_name;
  const config = json.config;
  if (className === 'Sequential') return readSequential(config, ctx, path);
  if ((className === 'Functional' || className === 'Model') && isRecord(config) && Array.isArray(config.layers)) {
    return readFunctional(config, ctx, path, readLayer);
  }
  throw formatError(
    `a '${className}' model config (expected Sequential, or Functional with layers, input_layers and output_layers)`,
    ctx,
    path,
  );
}

/** The input Keras 2 made for a Sequential from its first layer's `batch_input_shape`, if it has one. */
function legacyInput(entry: Record<string, unknown>, layer: Layer): InputLayer | null {
  const config = isRecord(entry.config) ? entry.config : {};
  const shape = config.batch_input_shape;
  if (!Array.isArray(shape)) return null;
  const dtype: DType =
    entry.class_name === 'Embedding'
      ? 'int32'
      : config.dtype === 'float64' || config.dtype === 'int32'
        ? config.dtype
        : 'float32';
  return new InputLayer({ batchShape: shape as (number | null)[], dtype, name: `${layer.name}_input` });
}

function readSequential(config: unknown, ctx: ReadContext, path: string): Model {
  // Keras 2.0–2.2 wrote a Sequential's config as the bare list of layers.
  const list = Array.isArray(config)
    ? config
    : isRecord(config) && Array.isArray(config.layers)
      ? config.layers
      : undefined;
  const listPath = Array.isArray(config) ? `${path}.config` : `${path}.config.layers`;
  if (list === undefined) throw formatError('a Sequential config without a layers list', ctx, `${path}.config`);
  const inner = isRecord(config) ? config : {};
  const entries: SequentialEntry[] = [];
  list.forEach((item, i) => {
    const layer = readLayer(item, ctx, `${listPath}[${i}]`);
    if (i === 0 && !(layer instanceof InputLayer) && isRecord(item)) {
      const declared = legacyInput(item, layer);
      if (declared !== null) entries.push(declared.output);
    }
    entries.push(layer instanceof InputLayer ? layer.output : layer);
  });
  const args = {
    ...(typeof inner.name === 'string' ? { name: inner.name } : {}),
    ...(inner.trainable === false ? { trainable: false } : {}),
  };
  let model: Sequential;
  try {
    model = new Sequential(entries, args);
    const buildShape = inner.build_input_shape;
    if (!(entries[0] instanceof SymbolicTensor) && Array.isArray(buildShape) && entries.length > 0)
      model.build(buildShape as Shape);
  } catch (cause) {
    if (cause instanceof FileFormatError) throw cause;
    throw formatError(`the Sequential model cannot be assembled: ${(cause as Error).message}`, ctx, path, cause);
  }
  return model;
}

/** The classes nested in a wrapper's config (`layer`, `backward_layer`, `cell`) must be known too. */
function checkNestedClasses(
  config: Record<string, unknown>,
  table: LayerClassTable,
  ctx: ReadContext,
  path: string,
): void {
  for (const key of ['layer', 'backward_layer', 'cell']) {
    const nested = config[key];
    if (!isRecord(nested) || typeof nested.class_name !== 'string') continue;
    const registered = typeof nested.registered_name === 'string' && Object.hasOwn(table, nested.registered_name);
    const nestedConfig = isRecord(nested.config) ? nested.config : {};
    if (!registered && !Object.hasOwn(table, nested.class_name)) {
      throw new (nested.class_name === 'Lambda' ? LambdaLayerError : UnknownLayerError)({
        className: nested.class_name,
        layerName: typeof nestedConfig.name === 'string' ? nestedConfig.name : '',
        file: ctx.file,
        path: `${path}.config.${key}`,
        known: Object.keys(table),
      });
    }
    checkNestedClasses(nestedConfig, table, ctx, `${path}.config.${key}`);
  }
}

/** A custom activation under `name` as an `Activation` that serializes by that name. */
function namedActivation(name: string, value: Activation | ((x: Tensor) => Tensor)): Activation {
  if (isActivation(value)) return value;
  return Object.freeze({ name, scalar: null, apply: value });
}

/** The activation a config's `activation` / `recurrent_activation` value means under `ctx`'s Keras version. */
function resolveActivation(value: unknown, ctx: ReadContext): unknown {
  const name =
    typeof value === 'string'
      ? value
      : isRecord(value) && value.class_name === 'function'
        ? typeof value.config === 'string'
          ? value.config
          : typeof value.registered_name === 'string'
            ? value.registered_name
            : undefined
        : undefined;
  if (name === undefined) return value;
  const custom = customActivation(name);
  if (custom !== undefined) return namedActivation(name, custom);
  if (name === KERAS2_HARD_SIGMOID_NAME) return hardSigmoidKeras2;
  if (ctx.version === 2 && name === 'hard_sigmoid') return hardSigmoidKeras2;
  return value;
}

/** A layer config with the version's meanings applied (activations, Keras 2 GRU defaults), nested layers too. */
function prepareLayerConfig(
  config: Record<string, unknown>,
  className: string,
  ctx: ReadContext,
): Record<string, unknown> {
  // Entries, not assignments: a "__proto__" key in the file stays a plain key.
  const out: Record<string, unknown> = Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (key === 'activation' || key === 'recurrent_activation') return [key, resolveActivation(value, ctx)];
      if (
        (key === 'layer' || key === 'backward_layer' || key === 'cell') &&
        isRecord(value) &&
        typeof value.class_name === 'string' &&
        isRecord(value.config)
      ) {
        return [key, { ...value, config: prepareLayerConfig(value.config, value.class_name, ctx) }];
      }
      return [key, value];
    }),
  );
  // Keras 2 before 2.3 (and TF.js) had no reset_after; its GRU computed what reset_after=false does.
  if (ctx.version === 2 && (className === 'GRU' || className === 'GRUCell') && !('reset_after' in config))
    out.reset_after = false;
  return out;
}

/** Wraps a refusal by a layer's class into a `LayerConfigError` naming the file, the entry and the layer. */
function layerError(
  cause: unknown,
  ctx: ReadContext,
  path: string,
  layerName: string,
  className: string,
): KerasGruError {
  if (cause instanceof UnknownLayerError || cause instanceof FileFormatError) return cause;
  return new LayerConfigError({
    file: ctx.file,
    ...(ctx.member !== undefined ? { member: ctx.member } : {}),
    path,
    layer: layerName,
    className,
    cause,
  });
}

/** One entry of a model's `layers`: a layer, an operation, an InputLayer or a nested model. */
function readLayer(item: unknown, ctx: ReadContext, path: string): Layer {
  if (!isRecord(item) || typeof item.class_name !== 'string')
    throw formatError('a layer entry without class_name', ctx, path);
  const className = item.class_name;
  const config = isRecord(item.config) ? item.config : {};
  const layerName = typeof item.name === 'string' ? item.name : typeof config.name === 'string' ? config.name : '';
  const table = layerClasses();
  const registeredKey =
    typeof item.registered_name === 'string' && Object.hasOwn(table, item.registered_name)
      ? item.registered_name
      : null;
  const custom = registeredKey !== null || Object.hasOwn(table, className);

  const nestedModel =
    className === 'Sequential' ||
    ((className === 'Functional' || className === 'Model') && Array.isArray(config.layers));
  if (nestedModel && registeredKey === null) return readModel(item, ctx, path);

  const operations = operationClasses();
  const operation =
    isOperationModule(item.module) ||
    (item.module === undefined &&
      !custom &&
      Object.hasOwn(operations, className) &&
      !AMBIGUOUS_OPERATIONS.has(className));
  if (operation) {
    const make = Object.hasOwn(operations, className) ? operations[className] : undefined;
    if (make === undefined) {
      throw new UnknownLayerError({ className, layerName, file: ctx.file, path, known: Object.keys(operations) });
    }
    try {
      return make(config);
    } catch (cause) {
      throw layerError(cause, ctx, path, layerName, className);
    }
  }

  if (className === 'InputLayer' && registeredKey === null) {
    try {
      return new InputLayer(inputOptionsFromKerasConfig(config) as InputOptions);
    } catch (cause) {
      throw layerError(cause, ctx, path, layerName, className);
    }
  }

  if (!custom)
    throw new (className === 'Lambda' ? LambdaLayerError : UnknownLayerError)({
      className,
      layerName,
      file: ctx.file,
      path,
      known: Object.keys(table),
    });
  checkNestedClasses(config, table, ctx, path);
  try {
    return deserializeLayerWith(
      { ...item, config: prepareLayerConfig(config, className, ctx) },
      table,
      'layer',
      `${ctx.file}: ${path}`,
    );
  } catch (cause) {
    throw layerError(cause, ctx, path, layerName, className);
  }
}
