/**
 * A layer as Keras 3 serializes it inside another layer's config (the `layer` of Bidirectional and
 * TimeDistributed, the `cell` of RNN): `{ module: "keras.layers", class_name, config, registered_name: null,
 * build_config: { input_shape } }`, with `build_config` only once the layer is built. Reading builds the layer
 * from `build_config`, as Keras's `deserialize_keras_object` does, so that weights can be assigned next.
 *
 * The class table is a fixed list of the layers this library has, resolved when called (not at import).
 */
import { InvalidArgumentError, UnknownNameError } from '../errors.js';
import { Bidirectional } from '../layers/bidirectional.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Embedding } from '../layers/embedding.js';
import { GRU } from '../layers/gru.js';
import { GRUCell } from '../layers/gru-cell.js';
import type { Layer, Shape } from '../layers/layer.js';
import { Masking } from '../layers/masking.js';
import { TimeDistributed } from '../layers/time-distributed.js';
import { describeChoices, isPlainObject } from './serialize-object.js';

/** Keras 3's serialized layer. */
export interface KerasLayerJSON {
  module: string | null;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
  build_config?: { input_shape: Shape | Shape[] };
}

/** The layer's input shape when it was built (what Keras's `get_build_config` reports), else null. */
function buildShapeOf(layer: Layer): Shape | Shape[] | null {
  return layer.built ? layer.buildInputShape : null;
}

/** `serialize_keras_object(layer)` for a built-in layer. */
export function serializeLayer(layer: Layer): KerasLayerJSON {
  const json: KerasLayerJSON = { module: 'keras.layers', class_name: layer.className, config: layer.getConfig(), registered_name: null };
  const shape = buildShapeOf(layer);
  if (shape !== null) json.build_config = { input_shape: structuredClone(shape) };
  return json;
}

type FromConfig = (config: Record<string, unknown>) => Layer;

/** Keras class name → the class's `fromConfig`. */
function layerClasses(): Readonly<Record<string, FromConfig>> {
  return {
    Bidirectional: (c) => Bidirectional.fromConfig(c),
    Dense: (c) => Dense.fromConfig(c),
    Dropout: (c) => Dropout.fromConfig(c),
    Embedding: (c) => Embedding.fromConfig(c),
    GRU: (c) => GRU.fromConfig(c),
    GRUCell: (c) => GRUCell.fromConfig(c),
    Masking: (c) => Masking.fromConfig(c),
    TimeDistributed: (c) => TimeDistributed.fromConfig(c),
  };
}

/** The Keras class names `deserializeLayer` knows. */
export function knownLayerClasses(): string[] {
  return Object.keys(layerClasses());
}

/**
 * A layer from its serialized form (Keras 3, or Keras 2's `{ class_name, config }`), built from `build_config`
 * when there is one. Throws `UnknownNameError` for a class this library does not have.
 */
export function deserializeLayer(json: unknown, argument = 'layer', context = 'deserializeLayer'): Layer {
  if (!isPlainObject(json) || typeof json.class_name !== 'string' || !isPlainObject(json.config)) {
    throw new InvalidArgumentError({ argument, expected: 'a serialized Keras layer { class_name, config }', received: json, context });
  }
  const classes = layerClasses();
  const make = Object.hasOwn(classes, json.class_name) ? classes[json.class_name] : undefined;
  if (make === undefined) {
    throw new UnknownNameError({
      argument: `${argument}.class_name`,
      expected: `a layer class, ${describeChoices(Object.keys(classes))}`,
      received: json.class_name,
      context,
    });
  }
  const layer = make(json.config);
  const build = json.build_config;
  if (build !== undefined && build !== null) {
    const shape = isPlainObject(build) ? build.input_shape : undefined;
    if (!Array.isArray(shape)) {
      throw new InvalidArgumentError({ argument: `${argument}.build_config.input_shape`, expected: 'the input shape the layer was built for', received: build, context });
    }
    if (!layer.built) {
      layer.build(shape as Shape | Shape[]);
      // A build override that does not record its shape still has Keras's build_config.
      if (layer.buildInputShape === null) layer.buildInputShape = structuredClone(shape) as Shape | Shape[];
    }
  }
  return layer;
}
