/**
 * Reading the layer list out of a Keras model config (snake_case JSON, as in `config.json`, the legacy `.h5`'s
 * `model_config` or TF.js's `modelTopology.model_config`). Knows Keras 3's and Keras 2's forms:
 * `{ class_name, config: { name, layers: [...] } }` and Keras 2.0–2.2's `{ class_name: 'Sequential',
 * config: [...] }`.
 */
import { isRecord, toSnakeCase } from '../serialization/serialize-object.js';
export { isRecord, toSnakeCase };
import { FileFormatError } from './errors.js';
import { checkJsonDepth } from './limits.js';

/** Where a config came from, for error messages. */
export interface FileContext {
  file: string;
  member?: string;
}

/** `text` parsed as a JSON object; a FileFormatError at `where` otherwise. */
export function parseJsonObject(text: string, where: FileContext & { path?: string }): Record<string, unknown> {
  let value: unknown;
  checkJsonDepth(text, where);
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new FileFormatError(`not valid JSON: ${(cause as Error).message}`, { ...where, cause });
  }
  if (!isRecord(value)) throw new FileFormatError('not a JSON object', where);
  return value;
}

export interface LayerEntry {
  className: string;
  name: string;
  /** The layer's own `config` object (snake_case). */
  config: Record<string, unknown>;
  /** The whole entry: `{ module, class_name, config, registered_name, ... }`. */
  entry: Record<string, unknown>;
}

/** A `{ class_name, config }` object as a layer entry; undefined if it is not one. */
export function layerEntry(value: unknown): LayerEntry | undefined {
  if (!isRecord(value) || typeof value.class_name !== 'string') return undefined;
  const config = isRecord(value.config) ? value.config : {};
  const name = typeof value.name === 'string' ? value.name : typeof config.name === 'string' ? config.name : '';
  return { className: value.class_name, name, config, entry: value };
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

export function isModelEntry(entry: LayerEntry): boolean {
  return (
    MODEL_CLASSES.has(entry.className) && (Array.isArray(entry.config.layers) || Array.isArray(entry.entry.config))
  );
}

/** The model's class name and name, and its layers in config order. */
export function modelLayers(
  modelConfig: unknown,
  where: FileContext,
): { className: string; name: string; layers: LayerEntry[] } {
  const model = layerEntry(modelConfig);
  if (model === undefined) {
    throw new FileFormatError('the model config is not a { class_name, config } object', { ...where, path: '$' });
  }
  const list = Array.isArray(model.entry.config) ? model.entry.config : model.config.layers;
  if (!Array.isArray(list)) {
    throw new FileFormatError(`a ${model.className} config without a layers list`, {
      ...where,
      path: '$.config.layers',
    });
  }
  const layers = list.map((item, i) => {
    const entry = layerEntry(item);
    if (entry === undefined || entry.name === '') {
      throw new FileFormatError('a layer entry without class_name and name', {
        ...where,
        path: `$.config.layers[${i}]`,
      });
    }
    return entry;
  });
  return { className: model.className, name: model.name, layers };
}

/**
 * Whether a config entry is a Keras operation rather than a layer: functional models list ops applied to
 * tensors (`keras.src.ops.numpy.NotEqual`) among their layers; they have no weights and no place in weight files.
 */
export function isOperationEntry(entry: LayerEntry): boolean {
  const module = entry.entry.module;
  return typeof module === 'string' && /^keras(\.src)?\.ops(\.|$)/.test(module);
}
