/**
 * The graph of a functional model config: each layer entry's `inbound_nodes` replayed as calls on symbolic
 * tensors, as Keras's `functional_from_config` does — every layer is made first (by the caller's `readLayer`),
 * then calls run in config order as soon as the tensors they refer to exist. A call is Keras 3's `{ args,
 * kwargs }` with `__keras_tensor__` references `[layer, node, tensor]`, or Keras 2's `[[layer, node, tensor,
 * kwargs], ...]`; the kwargs `mask`, `initial_state` and `training` become the call's `CallOptions` (and a
 * layer's own, such as Attention's `use_causal_mask`, its layer-specific options, its `callOptionNames` in snake_case), and an
 * operation's constant operands (`NotEqual(x, 0.0)`) its `applyOp` operands.
 */
import { isRecord, toSnakeCase } from '../serialization/serialize-object.js';
export { isRecord };
import { FileFormatError } from '../io/errors.js';
import type { CallOptions, Layer } from '../layers/layer.js';
import { Operation, type Operand } from '../layers/operation.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { Model } from '../models/model.js';
import { LayerConfigError } from './errors.js';
import { isModelLayer } from './model-serialization.js';

/** Where a config is read from, and with which Keras version's meanings. */
export interface ReadContext {
  file: string;
  member: string | undefined;
  version: 2 | 3;
}

/** A `FileFormatError` at `path` (a JSON path) of the config being read. */
export function formatError(message: string, ctx: ReadContext, path: string, cause?: unknown): FileFormatError {
  return new FileFormatError(message, {
    file: ctx.file,
    ...(ctx.member !== undefined ? { member: ctx.member } : {}),
    path,
    cause,
  });
}

/** A reference to a call's output: `[layer name, node index, tensor index]`. */
type TensorRef = readonly [string, number, number];

function isRef(value: unknown): value is TensorRef {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    Number.isInteger(value[1]) &&
    Number.isInteger(value[2])
  );
}

/** Signals a reference to a call not replayed yet (Keras's IndexError in `deserialize_node`). */
const NOT_READY = Symbol('not ready');

interface PendingLayer {
  layer: Layer;
  name: string;
  path: string;
  nodes: unknown[];
  done: number;
}

/** A functional model from its config (`{ name, trainable, layers, input_layers, output_layers }`). */
export function readFunctional(
  config: Record<string, unknown>,
  ctx: ReadContext,
  path: string,
  readLayer: (item: unknown, ctx: ReadContext, path: string) => Layer,
): Model {
  const entries = config.layers as unknown[];
  const created = new Map<string, Layer>();
  const pending: PendingLayer[] = [];
  entries.forEach((item, i) => {
    const itemPath = `${path}.config.layers[${i}]`;
    const layer = readLayer(item, ctx, itemPath);
    const record = item as Record<string, unknown>;
    const name = typeof record.name === 'string' ? record.name : layer.name;
    if (created.has(name)) throw formatError(`two layers named '${name}'`, ctx, itemPath);
    created.set(name, layer);
    const nodes = record.inbound_nodes ?? [];
    if (!Array.isArray(nodes)) throw formatError('inbound_nodes is not a list', ctx, `${itemPath}.inbound_nodes`);
    pending.push({ layer, name, path: itemPath, nodes: [...nodes], done: 0 });
  });

  const tensorAt = (ref: TensorRef, where: string, endpoint: boolean): SymbolicTensor | typeof NOT_READY => {
    const [layerName, index, tensorIndex] = ref;
    const layer = created.get(layerName);
    if (layer === undefined)
      throw formatError(`refers to layer '${layerName}', which the config does not list`, ctx, where);
    // input_layers / output_layers count a nested functional model's calls from 1 (see model-serialization.ts).
    const nodeIndex = endpoint && isModelLayer(layer) && layer.className !== 'Sequential' ? index - 1 : index;
    const node = layer.inboundNodes[nodeIndex];
    if (node === undefined) return NOT_READY;
    const t = node.outputs[tensorIndex];
    if (t === undefined)
      throw formatError(
        `refers to output ${tensorIndex} of '${layerName}', which has ${node.outputs.length}`,
        ctx,
        where,
      );
    return t;
  };

  let remaining = pending.filter((p) => p.nodes.length > 0);
  while (remaining.length > 0) {
    let progress = false;
    for (const item of remaining) {
      while (item.nodes.length > 0) {
        const where = `${item.path}.inbound_nodes[${item.done}]`;
        const call = resolveNode(item.nodes[0], (ref, at) => tensorAt(ref, at, false), ctx, where);
        if (call === NOT_READY) break;
        replayCall(item.layer, item.name, call, ctx, where);
        item.nodes.shift();
        item.done++;
        progress = true;
      }
    }
    remaining = remaining.filter((p) => p.nodes.length > 0);
    if (!progress && remaining.length > 0) {
      const names = remaining.map((p) => `'${p.name}'`).join(', ');
      throw formatError(
        `the graph has loops or calls on tensors that are never made (layers ${names})`,
        ctx,
        remaining[0]!.path,
      );
    }
  }

  const endpoints = (value: unknown, key: string): SymbolicTensor | SymbolicTensor[] => {
    const where = `${path}.config.${key}`;
    const one = (ref: unknown, at: string): SymbolicTensor => {
      if (!isRef(ref)) throw formatError('not a [layer name, node index, tensor index] reference', ctx, at);
      const t = tensorAt(ref, at, true);
      if (t === NOT_READY)
        throw formatError(`refers to call ${ref[1]} of '${ref[0]}', which the config does not make`, ctx, at);
      return t;
    };
    if (isRef(value)) return one(value, where);
    if (Array.isArray(value)) return value.map((ref, i) => one(ref, `${where}[${i}]`));
    throw formatError('a reference or a list of references (dicts of inputs are not supported)', ctx, where);
  };
  const inputs = endpoints(config.input_layers, 'input_layers');
  const outputs = endpoints(config.output_layers, 'output_layers');
  try {
    return new Model({
      inputs,
      outputs,
      ...(typeof config.name === 'string' ? { name: config.name } : {}),
      ...(config.trainable === false ? { trainable: false } : {}),
    });
  } catch (cause) {
    throw formatError(`the functional model cannot be assembled: ${(cause as Error).message}`, ctx, path, cause);
  }
}

interface ResolvedCall {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** Maps Keras 3 `__keras_tensor__` objects inside `value` to symbolic tensors. */
function resolveTensors(
  value: unknown,
  tensorAt: (ref: TensorRef, where: string) => SymbolicTensor | typeof NOT_READY,
  ctx: ReadContext,
  where: string,
): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item, i) => resolveTensors(item, tensorAt, ctx, `${where}[${i}]`));
    return items.includes(NOT_READY) ? NOT_READY : items;
  }
  if (!isRecord(value)) return value;
  if (value.class_name === '__keras_tensor__') {
    const history = isRecord(value.config) ? value.config.keras_history : undefined;
    if (!isRef(history))
      throw formatError('a __keras_tensor__ without keras_history [layer, node, tensor]', ctx, where);
    return tensorAt(history, where);
  }
  // Entries, not assignments: a "__proto__" key in the file stays a plain key.
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveTensors(item, tensorAt, ctx, `${where}.${key}`);
    if (resolved === NOT_READY) return NOT_READY;
    entries.push([key, resolved]);
  }
  return Object.fromEntries(entries);
}

/** Keras 2's kwargs name tensors as `[layer, node, tensor]` lists (`initial_state`, `mask`). */
function resolveLegacyKwargs(
  kwargs: Record<string, unknown>,
  tensorAt: (ref: TensorRef, where: string) => SymbolicTensor | typeof NOT_READY,
  where: string,
): Record<string, unknown> | typeof NOT_READY {
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(kwargs)) {
    const at = `${where}.${key}`;
    let resolved: unknown = value;
    if ((key === 'mask' || key === 'initial_state') && isRef(value)) resolved = tensorAt(value, at);
    else if ((key === 'mask' || key === 'initial_state') && Array.isArray(value) && value.every(isRef)) {
      const list = value.map((ref, i) => tensorAt(ref, `${at}[${i}]`));
      resolved = list.includes(NOT_READY) ? NOT_READY : list;
    }
    if (resolved === NOT_READY) return NOT_READY;
    entries.push([key, resolved]);
  }
  return Object.fromEntries(entries);
}

/** A node's call: Keras 3's `{ args, kwargs }` or Keras 2's `[[layer, node, tensor, kwargs], ...]`. */
function resolveNode(
  data: unknown,
  tensorAt: (ref: TensorRef, where: string) => SymbolicTensor | typeof NOT_READY,
  ctx: ReadContext,
  where: string,
): ResolvedCall | typeof NOT_READY {
  if (isRecord(data)) {
    if (!Array.isArray(data.args)) throw formatError('a node without an args list', ctx, `${where}.args`);
    const kwargs = data.kwargs ?? {};
    if (!isRecord(kwargs)) throw formatError('node kwargs are not an object', ctx, `${where}.kwargs`);
    const args = resolveTensors(data.args, tensorAt, ctx, `${where}.args`);
    if (args === NOT_READY) return NOT_READY;
    const resolvedKwargs = resolveTensors(kwargs, tensorAt, ctx, `${where}.kwargs`);
    if (resolvedKwargs === NOT_READY) return NOT_READY;
    return { args: args as unknown[], kwargs: resolvedKwargs as Record<string, unknown> };
  }
  if (Array.isArray(data) && data.length > 0) {
    const tensors: SymbolicTensor[] = [];
    let kwargs: Record<string, unknown> = {};
    for (const [i, item] of data.entries()) {
      const at = `${where}[${i}]`;
      if (!Array.isArray(item) || !isRef(item.slice(0, 3)) || item.length > 4) {
        throw formatError('a legacy node entry is [layer name, node index, tensor index, kwargs]', ctx, at);
      }
      const t = tensorAt(item.slice(0, 3) as unknown as TensorRef, at);
      if (t === NOT_READY) return NOT_READY;
      tensors.push(t);
      if (item.length === 4) {
        if (!isRecord(item[3])) throw formatError('legacy node kwargs are not an object', ctx, `${at}[3]`);
        const resolved = resolveLegacyKwargs(item[3], tensorAt, `${at}[3]`);
        if (resolved === NOT_READY) return NOT_READY;
        kwargs = { ...kwargs, ...resolved };
      }
    }
    return { args: [tensors.length === 1 ? tensors[0]! : tensors], kwargs };
  }
  throw formatError(
    'a node is { args, kwargs } (Keras 3) or a list of [layer, node, tensor, kwargs] (Keras 2)',
    ctx,
    where,
  );
}

function isSymbolicList(value: unknown): value is SymbolicTensor[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => t instanceof SymbolicTensor);
}

/** Calls `layer` on the resolved arguments, as the original model did. */
function replayCall(layer: Layer, name: string, call: ResolvedCall, ctx: ReadContext, where: string): void {
  const fail = (message: string): never => {
    throw formatError(`layer '${name}': ${message}`, ctx, where);
  };
  const run = (fn: () => unknown): void => {
    try {
      fn();
    } catch (cause) {
      if (cause instanceof FileFormatError) throw cause;
      throw new LayerConfigError({
        file: ctx.file,
        ...(ctx.member !== undefined ? { member: ctx.member } : {}),
        path: where,
        layer: name,
        className: layer.className,
        cause,
      });
    }
  };
  if (layer instanceof Operation) {
    if (Object.keys(call.kwargs).length > 0)
      fail(`operation called with keyword arguments ${Object.keys(call.kwargs).join(', ')}, which are not supported`);
    const operands = call.args.map((arg, i) => {
      if (arg instanceof SymbolicTensor || arg === null || typeof arg === 'boolean' || typeof arg === 'number')
        return arg as Operand;
      return fail(`operand ${i} is neither a tensor nor a number, boolean or null`);
    });
    run(() => layer.applyOp(...operands));
    return;
  }
  if (call.args.length !== 1) fail(`called with ${call.args.length} positional arguments (expected the inputs only)`);
  const inputs = call.args[0];
  if (!(inputs instanceof SymbolicTensor) && !isSymbolicList(inputs))
    fail('called on something other than a tensor or a list of tensors');
  const options: CallOptions & Record<string, unknown> = {};
  for (const [key, value] of Object.entries(call.kwargs)) {
    if (key === 'mask') {
      if (value instanceof SymbolicTensor) options.mask = value;
      else if (Array.isArray(value) && value.every((m) => m === null || m instanceof SymbolicTensor)) {
        // One mask (or None) per input of a list, as Keras writes them for Attention's [query, value].
        if (value.some((m) => m !== null)) options.mask = value as (SymbolicTensor | null)[];
      } else if (value !== null) fail('a mask that is not a tensor, null, or a list of them');
    } else if (key === 'initial_state') {
      if (value instanceof SymbolicTensor || isSymbolicList(value)) options.initialState = value;
      else if (value !== null) fail('initial_state is not a tensor or a list of tensors');
    } else if (key === 'training') {
      if (typeof value === 'boolean') options.training = value;
      else if (value !== null) fail('training is not a boolean');
    } else {
      const option = layer.callOptionNames.find((name) => toSnakeCase(name) === key);
      if (option === undefined)
        fail(`called with keyword argument '${key}', which keras-gru's ${layer.className} does not support`);
      // null is the Python default (None), which is what leaving the option out means.
      if (typeof value === 'boolean') options[option!] = value;
      else if (value !== null) fail(`${key} is not a boolean`);
    }
  }
  run(() => layer.apply(inputs as SymbolicTensor | SymbolicTensor[], options));
}
