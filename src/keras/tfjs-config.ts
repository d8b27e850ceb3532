/**
 * A model config in the dialect TF.js's `tf.loadLayersModel` reads (Keras 2's, which tfjs-layers follows),
 * from keras-gru's Keras 3 config: no `module` / `registered_name` / `build_config`, dtype policies as their
 * names, the input shape as the first layer's `batch_input_shape` (a Sequential) or an InputLayer's
 * `batch_input_shape` (functional), and functional nodes as `[[layer, node, tensor, kwargs], ...]`. What tfjs
 * would run differently is refused: GRU `reset_after: true` (tfjs has no such GRU) and `hard_sigmoid` (tfjs's
 * is Keras 2's 0.2·x + 0.5, Keras 3's is relu6(x + 3) / 6).
 */
import { KerasGruError } from '../errors.js';

/** A model TF.js cannot run as keras-gru does; the message says what and why. */
export class TfjsExportError extends KerasGruError {}

/**
 * The layer classes keras-gru writes that tfjs-layers 4.x registers (test/io/tfjs-files.test.ts checks each one
 * against the tfjs dev dependency). Any other (Attention, AdditiveAttention, Subtract, Normalization, Keras 3's
 * traced operations such as NotEqual) would only fail later, in `tf.loadLayersModel`, so export refuses it.
 */
export const TFJS_LAYER_CLASSES: ReadonlySet<string> = new Set([
  'Activation',
  'Add',
  'Average',
  'AveragePooling1D',
  'BatchNormalization',
  'Bidirectional',
  'Concatenate',
  'Conv1D',
  'Dense',
  'Dot',
  'Dropout',
  'Embedding',
  'Flatten',
  'Functional',
  'GRU',
  'GRUCell',
  'GaussianDropout',
  'GaussianNoise',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling1D',
  'InputLayer',
  'LayerNormalization',
  'Masking',
  'MaxPooling1D',
  'Maximum',
  'Minimum',
  'Model',
  'Multiply',
  'Permute',
  'RNN',
  'RepeatVector',
  'Reshape',
  'Sequential',
  'SpatialDropout1D',
  'TimeDistributed',
]);

type Json = Record<string, unknown>;
/** Marks Keras 2's hard sigmoid until the check below, which refuses only Keras 3's. */
const KERAS2_HARD_SIGMOID = '\u0000hard_sigmoid_keras2';
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Strips Keras 3's serialization wrappers everywhere; a DTypePolicy becomes its name. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (!isObject(value)) return value;
  if (value.class_name === 'DTypePolicy' && isObject(value.config)) return value.config.name;
  // Keras 2's hard sigmoid (read from a Keras 2 or TF.js file) is exactly what tfjs calls hard_sigmoid.
  if (value.class_name === 'function' && value.config === 'hard_sigmoid_keras2') return KERAS2_HARD_SIGMOID;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (
      key === 'module' ||
      key === 'registered_name' ||
      key === 'build_config' ||
      key === 'compile_config' ||
      key === 'shared_object_id'
    )
      continue;
    out[key] = plain(item);
  }
  return out;
}

function checkLayer(layer: Json): void {
  const config = isObject(layer.config) ? layer.config : {};
  const name = String(config.name ?? layer.class_name);
  const className = String(layer.class_name);
  if (!TFJS_LAYER_CLASSES.has(className)) {
    throw new TfjsExportError(
      `layer '${name}': TF.js has no ${className} layer, so tf.loadLayersModel could not read the file; export to ONNX or .keras instead`,
    );
  }
  // Options tfjs-layers 4.x does not have: it would build other weights (groups) or other numbers (rms_scaling).
  if (className === 'Conv1D' && config.groups !== undefined && config.groups !== 1) {
    throw new TfjsExportError(`layer '${name}': TF.js's Conv1D has no groups (this one has ${String(config.groups)})`);
  }
  if (className === 'LayerNormalization' && config.rms_scaling === true) {
    throw new TfjsExportError(`layer '${name}': TF.js's LayerNormalization has no rms_scaling`);
  }
  if (Array.isArray(config.layers)) (config.layers as Json[]).forEach(checkLayer);
  if (isObject(config.cell)) checkLayer(config.cell);
  if (isObject(config.layer)) checkLayer(config.layer);
  if (isObject(config.forward_layer)) checkLayer(config.forward_layer);
  if (isObject(config.backward_layer)) checkLayer(config.backward_layer);
  if ((className === 'GRU' || className === 'GRUCell') && config.reset_after === true) {
    throw new TfjsExportError(
      `layer '${name}': TF.js cannot run a GRU with resetAfter: true (its GRU is the resetAfter: false kind); build the GRU with resetAfter: false to export to TF.js, or export to ONNX`,
    );
  }
  for (const key of ['activation', 'recurrent_activation']) {
    if (config[key] === KERAS2_HARD_SIGMOID) config[key] = 'hard_sigmoid';
    else if (config[key] === 'hard_sigmoid') {
      throw new TfjsExportError(
        `layer '${name}': ${key} 'hard_sigmoid' is relu6(x + 3) / 6 in Keras 3 but 0.2·x + 0.5 in TF.js, which would change the numbers; use 'sigmoid' to export to TF.js`,
      );
    }
  }
}

/** Keras 3's inbound node `{ args: [keras tensors], kwargs }` as Keras 2's `[[layer, node, tensor, kwargs], ...]`. */
function legacyNode(node: unknown): unknown {
  if (!isObject(node) || !Array.isArray(node.args)) return node;
  const tensors = node.args.flatMap((arg) => (Array.isArray(arg) ? arg : [arg]));
  return tensors.map((tensor) => {
    const history = isObject(tensor) && isObject(tensor.config) ? tensor.config.keras_history : undefined;
    if (!Array.isArray(history))
      throw new TfjsExportError(
        'a functional model whose layers take other than tensors (TF.js configs name input tensors only)',
      );
    return [...history, isObject(node.kwargs) ? plain(node.kwargs) : {}];
  });
}

function inputLayerToLegacy(layer: Json): Json {
  const config = { ...(layer.config as Json) };
  if ('batch_shape' in config) {
    config.batch_input_shape = config.batch_shape;
    delete config.batch_shape;
  }
  delete config.optional;
  return { ...layer, config };
}

/** The `{ class_name, config }` TF.js reads, from keras-gru's serialized model. */
export function tfjsModelConfig(modelConfig: Json): Json {
  const model = plain(modelConfig) as Json;
  const config = { ...(model.config as Json) };
  const layers = (Array.isArray(config.layers) ? config.layers : []) as Json[];
  layers.forEach(checkLayer);
  if (model.class_name === 'Sequential') {
    // Keras 2's Sequential has no InputLayer entry: its shape rides on the first layer.
    const [first, ...rest] = layers;
    if (first?.class_name === 'InputLayer' && rest.length > 0) {
      const input = inputLayerToLegacy(first).config as Json;
      const next = rest[0]!;
      rest[0] = { ...next, config: { ...(next.config as Json), batch_input_shape: input.batch_input_shape } };
      config.layers = rest;
    }
  } else {
    config.layers = layers.map((layer) => {
      const converted = layer.class_name === 'InputLayer' ? inputLayerToLegacy(layer) : layer;
      return {
        ...converted,
        inbound_nodes: Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes.map(legacyNode) : [],
      };
    });
    // Keras 3 may write a single input/output as one [name, node, tensor]; Keras 2 always lists them.
    for (const key of ['input_layers', 'output_layers']) {
      const value = config[key];
      if (Array.isArray(value) && typeof value[0] === 'string') config[key] = [value];
    }
  }
  return { class_name: model.class_name === 'Functional' ? 'Model' : model.class_name, config };
}
