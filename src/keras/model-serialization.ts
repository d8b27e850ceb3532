/**
 * Model configs as Keras 3.15 writes them (`config.json` of a `.keras` file), from Sequential and functional
 * models. The reverse is in model-config.ts.
 *
 * Sequential: `{ name, trainable, dtype, layers: [InputLayer, ...], build_input_shape }`, each layer
 * `serialize_keras_object(layer)` with its `build_config`. Functional: `{ name, trainable, layers, input_layers,
 * output_layers }`, each layer entry with `name` and `inbound_nodes`: one `{ args, kwargs }` per call, tensors
 * written as `{ class_name: "__keras_tensor__", config: { shape, dtype, keras_history: [layer, node, tensor] } }`.
 * Layers are listed in Keras's order (`map_graph`: by depth from the outputs, deepest first, ties in order of
 * first visit from the outputs), which this module computes the way Keras does, without recursion.
 *
 * Nested models are recognized by their shape, not with instanceof, so that this module needs no model class.
 */
import { hardSigmoidKeras2 } from '../activations/index.js';
import { InvalidArgumentError } from '../errors.js';
import { Layer, type Shape } from '../layers/layer.js';
import type { Node } from '../layers/node.js';
import { Operation } from '../layers/operation.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { toSnakeCase } from '../serialization/serialize-object.js';
import { uniqueLayerName } from '../serialization/naming.js';
import type { FunctionalStructure, Model } from '../models/model.js';
import type { SequentialParts } from '../models/sequential.js';
import { lossToKeras, metricToKeras } from './loss-config.js';
import { serializeLayer } from './layer-serialization.js';
import { OPERATION_MODULES } from './operation-config.js';
import { optimizerToKeras } from '../optimizers/optimizer-config.js';

/** A model as Keras 3 serializes it: what `config.json` holds. */
export interface KerasModelJSON {
  module: string | null;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
  build_config?: { input_shape: Shape | null };
  compile_config?: Record<string, unknown>;
}

/** How Keras 3 writes Keras 2's `hard_sigmoid` (0.2x + 0.5), which Keras 3 does not have: a custom function. */
export const KERAS2_HARD_SIGMOID_NAME = 'hard_sigmoid_keras2';

/** A model nested as a layer (Sequential or functional); recognized by shape to stay free of model imports. */
export function isModelLayer(layer: Layer): layer is Model {
  const candidate = layer as unknown as { compile?: unknown; forward?: unknown; layers?: unknown };
  return (
    typeof candidate.compile === 'function' &&
    typeof candidate.forward === 'function' &&
    Array.isArray(candidate.layers)
  );
}

/** Whether a model is a Keras `Functional` (every model here but Sequential). */
function isFunctional(layer: Layer): boolean {
  return isModelLayer(layer) && layer.className !== 'Sequential';
}

const nodeOf = (t: SymbolicTensor): Node => t.history.layer.inboundNodes[t.history.nodeIndex]!;

/** Keras's graph walk: the model's layers in Keras order and the nodes (calls) that belong to the model. */
export interface KerasGraphOrder {
  /** Layers (and operations) in the order of the config's `layers` list (Keras's `model.operations`). */
  operations: Layer[];
  /** The nodes of the model: every call on the way from the inputs to the outputs, input layers' own nodes too. */
  nodes: Set<Node>;
}

/**
 * Keras's `map_graph(inputs, outputs)`: a depth-first walk from each output (in order) through the tensors each
 * call depends on (its inputs, then initial states, then the mask — Keras's flattened args then kwargs by
 * key), numbering operations by first visit; node depths propagate from the outputs (depth 0) to the inputs;
 * an operation's depth is the largest of its nodes'; operations are listed deepest first, ties by first visit.
 */
export function kerasGraphOrder(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): KerasGraphOrder {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const postOrder: Node[] = [];
  const visitIndex = new Map<Layer, number>();
  const stack: { node: Node; deps: readonly SymbolicTensor[]; next: number }[] = [];
  const enter = (t: SymbolicTensor): void => {
    const node = nodeOf(t);
    if (finished.has(node)) return;
    if (inProgress.has(node)) {
      throw new InvalidArgumentError({
        argument: 'outputs',
        expected: 'a graph without cycles',
        received: `a cycle through '${node.layer.name}'`,
        context: 'kerasGraphOrder',
      });
    }
    if (!visitIndex.has(node.layer)) visitIndex.set(node.layer, visitIndex.size);
    inProgress.add(node);
    stack.push({ node, deps: node.dependencies, next: 0 });
  };
  for (const output of outputs) {
    enter(output);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next < frame.deps.length) enter(frame.deps[frame.next++]!);
      else {
        stack.pop();
        inProgress.delete(frame.node);
        finished.add(frame.node);
        postOrder.push(frame.node);
      }
    }
  }
  const inGraph = new Set(postOrder);
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i]!;
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const t of node.dependencies) {
      const parent = nodeOf(t);
      if (inGraph.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  const nodes = new Set(postOrder);
  // Inputs the outputs do not depend on are kept (Keras keeps them for losses and metrics), at depth 0.
  for (const input of inputs) {
    if (!layerDepth.has(input.history.layer)) {
      layerDepth.set(input.history.layer, 0);
      visitIndex.set(input.history.layer, -1);
      nodes.add(nodeOf(input));
    }
  }
  const operations = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || visitIndex.get(a)! - visitIndex.get(b)!,
  );
  return { operations, nodes };
}

/** Keras 2's hard_sigmoid, as Keras 3 would write a custom function of that name. */
function keras2HardSigmoidJSON(): Record<string, unknown> {
  return {
    module: null,
    class_name: 'function',
    config: KERAS2_HARD_SIGMOID_NAME,
    registered_name: KERAS2_HARD_SIGMOID_NAME,
  };
}

/** The activation keys of layer configs and the properties (of the layer or its cell) that hold them. */
const ACTIVATION_KEYS: readonly (readonly [string, string])[] = [
  ['activation', 'activation'],
  ['recurrent_activation', 'recurrentActivation'],
];

/** Nested layer keys of wrapper configs and the properties holding those layers. */
const NESTED_KEYS: readonly (readonly [string, readonly string[]])[] = [
  ['layer', ['forwardLayer', 'layer']],
  ['backward_layer', ['backwardLayer']],
  ['cell', ['cell']],
];

/**
 * Keras 2's `hard_sigmoid` serializes under the same name as Keras 3's, which means something else; in a model
 * file it is written as the custom function `hard_sigmoid_keras2` instead (keras-gru reads it back; Keras 3
 * needs `custom_objects={"hard_sigmoid_keras2": ...}`), so that saving never changes what a model computes.
 */
function markKeras2Activations(layer: Layer, json: { config: Record<string, unknown> }): void {
  const owner = layer as unknown as Record<string, unknown>;
  const cell = owner.cell as Record<string, unknown> | undefined;
  for (const [key, property] of ACTIVATION_KEYS) {
    if (!(key in json.config)) continue;
    const value = owner[property] ?? cell?.[property];
    if (value === hardSigmoidKeras2) json.config[key] = keras2HardSigmoidJSON();
  }
  for (const [key, properties] of NESTED_KEYS) {
    const nested = json.config[key] as { config?: unknown } | null | undefined;
    const child = properties.map((p) => owner[p]).find((value) => value instanceof Layer) as Layer | undefined;
    if (child !== undefined && typeof nested?.config === 'object' && nested.config !== null) {
      markKeras2Activations(child, nested as { config: Record<string, unknown> });
    }
  }
}

/** `serialize_keras_object(layer)` for any layer of a model: a layer, an operation, or a nested model. */
export function serializeLayerEntry(layer: Layer): Record<string, unknown> {
  if (isModelLayer(layer)) return { ...serializeModel(layer) };
  if (layer instanceof Operation) {
    return {
      module: OPERATION_MODULES[layer.className] ?? null,
      class_name: layer.className,
      config: layer.getConfig(),
      registered_name: layer.className,
    };
  }
  const json = serializeLayer(layer) as unknown as Record<string, unknown> & { config: Record<string, unknown> };
  markKeras2Activations(layer, json);
  return json;
}

/** Keras's `compile_config`: the arguments `compile` was given, serialized; `{}` when not compiled. */
function compileConfig(model: Model): Record<string, unknown> {
  const args = model.compileArgs;
  const optimizer = model.optimizer;
  if (args === null || optimizer === null) return {};
  try {
    const item = (value: unknown, toKeras: (v: never) => unknown): unknown =>
      typeof value === 'string' || value === null || value === undefined
        ? (value ?? null)
        : isPlainJSON(value)
          ? value
          : toKeras(value as never);
    return {
      optimizer: optimizerToKeras(optimizer),
      loss: item(args.loss, lossToKeras),
      loss_weights: null,
      metrics: args.metrics === undefined ? null : args.metrics.map((m) => item(m, metricToKeras)),
      weighted_metrics: null,
      run_eagerly: false,
      steps_per_execution: 1,
      jit_compile: false,
    };
  } catch {
    // A custom loss or metric has no Keras form: the file keeps the model and its weights, not its compilation.
    return {};
  }
}

function isPlainJSON(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** `serialize_keras_object(model)`: `{ module, class_name, config, registered_name, build_config, compile_config }`. */
export function serializeModel(model: Model): KerasModelJSON {
  const config = model.getConfig();
  if (model.className === 'Sequential') {
    const json: KerasModelJSON = { module: 'keras', class_name: 'Sequential', config, registered_name: null };
    if (config.build_input_shape !== undefined)
      json.build_config = { input_shape: structuredClone(config.build_input_shape as Shape) };
    json.compile_config = compileConfig(model);
    return json;
  }
  if (!Array.isArray(config.layers)) {
    throw new InvalidArgumentError({
      argument: 'model',
      expected: 'a Sequential model or a functional model (new Model({ inputs, outputs }))',
      received: `${model.className} '${model.name}' without a graph`,
      context: 'serializeModel',
    });
  }
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config,
    registered_name: 'Functional',
    build_config: { input_shape: null },
    compile_config: compileConfig(model),
  };
}

/** Names given to the InputLayer Keras adds to a Sequential built from data; one per model, kept stable. */
const synthesizedInputNames = new WeakMap<object, string>();

/**
 * Keras 3's `Sequential.get_config()`. A model built from data (without `input()`) gets the InputLayer entry
 * Keras adds in `build`: the build shape, float32, an automatic name.
 */
export function sequentialToKerasConfig(model: object, parts: SequentialParts): Record<string, unknown> {
  const entries: Record<string, unknown>[] = [];
  if (parts.inputLayer !== null) entries.push(serializeLayerEntry(parts.inputLayer));
  else if (parts.buildShape !== null) {
    let name = synthesizedInputNames.get(model);
    if (name === undefined) synthesizedInputNames.set(model, (name = uniqueLayerName('InputLayer')));
    entries.push({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: {
        batch_shape: [...parts.buildShape],
        dtype: 'float32',
        sparse: false,
        ragged: false,
        name,
        optional: false,
      },
      registered_name: null,
    });
  }
  for (const layer of parts.layers) entries.push(serializeLayerEntry(layer));
  const config: Record<string, unknown> = { ...parts.base, layers: entries };
  if (parts.buildShape !== null) config.build_input_shape = [...parts.buildShape];
  return config;
}

/** Keras's `__keras_tensor__` form of a symbolic tensor, its node index counted among `nodes` only. */
function kerasTensorJSON(t: SymbolicTensor, nodes: ReadonlySet<Node>): Record<string, unknown> {
  const layer = t.history.layer;
  const own = layer.inboundNodes.slice(0, t.history.nodeIndex).filter((n) => nodes.has(n)).length;
  return {
    class_name: '__keras_tensor__',
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: [layer.name, own, t.history.tensorIndex] },
  };
}

/** Keras's `serialize_node`: the call's `args` and `kwargs`. */
function serializeNode(node: Node, nodes: ReadonlySet<Node>): Record<string, unknown> {
  const ref = (t: SymbolicTensor) => kerasTensorJSON(t, nodes);
  const layer = node.layer;
  if (layer instanceof Operation) {
    const slots = layer.operands ?? node.inputs.map((_, i) => ({ tensor: i }));
    const args = slots.map((slot) => ('tensor' in slot ? ref(node.inputs[slot.tensor]!) : slot.constant));
    return { args, kwargs: {} };
  }
  const kwargs: Record<string, unknown> = {};
  const { initialState, initialStateAsList, mask, training, layerOptions = {} } = node.callArgs;
  const hasStates = initialState !== null && initialState.length > 0;
  if (hasStates)
    kwargs.initial_state =
      initialStateAsList === false && initialState.length === 1 ? ref(initialState[0]!) : initialState.map(ref);
  // A layer's own call options (Attention's useCausalMask) are Keras kwargs in snake_case.
  for (const [option, value] of Object.entries(layerOptions)) kwargs[toSnakeCase(option)] = value;
  if (training !== undefined) kwargs.training = training;
  if (mask !== null)
    kwargs.mask = Array.isArray(mask)
      ? mask.map((m: SymbolicTensor | null) => (m === null ? null : ref(m)))
      : ref(mask as SymbolicTensor);
  // Keras's __call__ fills in `mask` when the call has one tensor argument and a mask parameter, as the
  // structure of that argument: null for a tensor, [null, null] for a list of two. Here only when no input
  // carries a mask (a mask the input carries is not a Keras tensor of this graph).
  else if (layer.callTakesMask && !hasStates && node.inputs.every((t) => t.mask === null))
    kwargs.mask = node.singleInput ? null : node.inputs.map(() => null);
  return { args: [node.singleInput ? ref(node.inputs[0]!) : node.inputs.map(ref)], kwargs };
}

/** Keras 3's `Functional.get_config()` for a model over `inputs` → `outputs`. */
export function functionalToKerasConfig(
  model: { name: string; trainable: boolean; inputs: readonly SymbolicTensor[]; outputs: readonly SymbolicTensor[] },
  structure: FunctionalStructure,
): Record<string, unknown> {
  const { operations, nodes } = kerasGraphOrder(model.inputs, model.outputs);
  // input_layers / output_layers count a nested functional model's nodes from 1 (Keras gives it a node of its own).
  const reindexed = new Map<Node, number>();
  for (const layer of operations) {
    let kept = isFunctional(layer) ? 1 : 0;
    for (const node of layer.inboundNodes) if (nodes.has(node)) reindexed.set(node, kept++);
  }
  const layers = operations.map((layer) => ({
    ...serializeLayerEntry(layer),
    name: layer.name,
    inbound_nodes: layer.inboundNodes
      .filter((n) => nodes.has(n) && n.inputs.length > 0)
      .map((n) => serializeNode(n, nodes)),
  }));
  const endpoint = (t: SymbolicTensor) => [t.history.layer.name, reindexed.get(nodeOf(t)) ?? 0, t.history.tensorIndex];
  const ends = (list: readonly SymbolicTensor[], asList: boolean) =>
    asList || list.length !== 1 ? list.map(endpoint) : endpoint(list[0]!);
  return {
    name: model.name,
    trainable: model.trainable,
    layers,
    input_layers: ends(model.inputs, structure.inputsAsList),
    output_layers: ends(model.outputs, structure.outputsAsList),
  };
}
