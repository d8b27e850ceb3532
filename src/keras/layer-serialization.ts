/**
 * A layer as Keras 3 serializes it inside another layer's config (the `layer` of Bidirectional and
 * TimeDistributed, the `cell` of RNN): `{ module: "keras.layers", class_name, config, registered_name: null,
 * build_config: { input_shape } }`, with `build_config` only once the layer is built. Reading builds the layer
 * from `build_config`, as Keras's `deserialize_keras_object` does, so that weights can be assigned next.
 *
 * Reading takes the class table as an argument (an RNN reads only cells, a wrapper any layer);
 * `layer-classes.ts` has the table of built-in and registered layers.
 */
import { InvalidArgumentError, UnknownNameError } from '../errors.js';
import type { Layer, Shape } from '../layers/layer.js';
import { registeredNameOf } from './custom-objects.js';
import { LambdaLayerError } from './errors.js';
import { describeChoices, isPlainObject } from '../serialization/serialize-object.js';

/** Keras 3's serialized layer. */
export interface KerasLayerJSON {
  module: string | null;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
  build_config?: { input_shape: Shape | Shape[] } | { shapes_dict: Record<string, unknown> };
}

/** The layer's input shape when it was built (what Keras's `get_build_config` reports), else null. */
function buildShapeOf(layer: Layer): Shape | Shape[] | null {
  return layer.built ? layer.buildInputShape : null;
}

/**
 * `serialize_keras_object(layer)` for a built-in layer. `buildShape` stands in for a built layer whose build
 * did not record its input shape (e.g. a cell built by its RNN).
 */
export function serializeLayer(layer: Layer, buildShape: Shape | Shape[] | null = null): KerasLayerJSON {
  // A registered custom class has no Keras module; Keras finds it by registered_name in its custom objects.
  const registered = registeredNameOf(layer);
  const json: KerasLayerJSON =
    registered === null
      ? { module: 'keras.layers', class_name: layer.className, config: layer.getConfig(), registered_name: null }
      : { module: null, class_name: layer.className, config: layer.getConfig(), registered_name: registered };
  const shape = buildShapeOf(layer) ?? (layer.built ? buildShape : null);
  // Keras writes input_shape when one tensor argument built the layer, shapes_dict when several did.
  const dict = layer.built ? layer.buildShapesDict : null;
  if (dict !== null && Object.keys(dict).length > 1) json.build_config = { shapes_dict: structuredClone(dict) };
  else if (shape !== null) json.build_config = { input_shape: structuredClone(shape) };
  return json;
}

/** Keras class name → a function building the layer from its config (a class's `fromConfig`). */
export type LayerClassTable = Readonly<Record<string, (config: Record<string, unknown>) => Layer>>;

/**
 * A layer from its serialized form (Keras 3, or Keras 2's `{ class_name, config }`) by the classes in `classes`,
 * built from `build_config` when there is one. Throws `UnknownNameError` for a class not in the table.
 */
export function deserializeLayerWith(
  json: unknown,
  classes: LayerClassTable,
  argument = 'layer',
  context = 'deserializeLayer',
): Layer {
  if (!isPlainObject(json) || typeof json.class_name !== 'string' || !isPlainObject(json.config)) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a serialized Keras layer { class_name, config }',
      received: json,
      context,
    });
  }
  // Keras looks a class up by registered_name first (custom objects), then by class_name.
  const registered =
    typeof json.registered_name === 'string' && Object.hasOwn(classes, json.registered_name)
      ? json.registered_name
      : null;
  const key = registered ?? json.class_name;
  const make = Object.hasOwn(classes, key) ? classes[key] : undefined;
  if (make === undefined && json.class_name === 'Lambda') {
    const name = typeof json.config.name === 'string' ? json.config.name : '';
    throw new LambdaLayerError({
      className: 'Lambda',
      layerName: name,
      file: context,
      path: argument,
      known: Object.keys(classes),
    });
  }
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
    const dict = isPlainObject(build) && isPlainObject(build.shapes_dict) ? build.shapes_dict : null;
    const shape = dict !== null ? inputShapeOfDict(dict) : isPlainObject(build) ? build.input_shape : undefined;
    if (!Array.isArray(shape)) {
      throw new InvalidArgumentError({
        argument: `${argument}.build_config.${dict !== null ? 'shapes_dict' : 'input_shape'}`,
        expected:
          dict !== null
            ? 'the shapes of the call arguments, the inputs first ({ sequences_shape, initial_state_shape })'
            : 'the input shape the layer was built for',
        received: build,
        context,
      });
    }
    if (dict !== null) layer.buildShapesDict = structuredClone(dict);
    if (!layer.built) {
      layer.build(shape as Shape | Shape[]);
      // A build override that does not record its shape still has Keras's build_config.
      if (layer.buildInputShape === null) layer.buildInputShape = structuredClone(shape) as Shape | Shape[];
    }
  }
  return layer;
}

/**
 * The input shape among a `shapes_dict` (Keras's `build(**shapes_dict)`): the first argument's, which is the
 * one keras-gru's `build` takes; the other entries (initial states) have no weights of their own.
 */
function inputShapeOfDict(dict: Record<string, unknown>): unknown {
  for (const key of ['sequences_shape', 'inputs_shape', 'input_shape']) if (Array.isArray(dict[key])) return dict[key];
  return Object.values(dict)[0];
}
