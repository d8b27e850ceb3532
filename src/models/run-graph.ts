/**
 * Running a functional graph (graph.ts) on real tensors: each node's layer applied in dependency order to the
 * values of its inputs, with the initial states, mask, training flag and layer-specific options the node
 * recorded. Also the checks of what is fed to the graph's inputs.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { CallOptions } from '../layers/layer.js';
import { maskOf } from '../layers/mask.js';
import type { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { cast } from '../ops/shape-ops.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { toDataTensor, type DataArg, type DataInput } from './data.js';
import type { FunctionalGraph } from './graph.js';

/** A forward pass: the outputs and the masks that come with them (null where none). */
export interface ModelOutput {
  outputs: Tensor[];
  masks: (Tensor | null)[];
}

/** Runs `g` on `inputs` (one tensor per graph input); errors name `context`. */
export function runGraph(
  g: FunctionalGraph,
  inputs: readonly Tensor[],
  options: CallOptions,
  context: string,
): ModelOutput {
  if (inputs.length !== g.inputs.length) {
    throw new InvalidArgumentError({
      argument: 'inputs',
      expected: `${g.inputs.length} input tensor(s) (${g.inputs.map((i) => `${i.name} ${formatShape(i.shape)}`).join(', ')})`,
      received: `${inputs.length} tensor(s)`,
      context,
    });
  }
  const values = new Map<SymbolicTensor, Tensor>();
  g.inputs.forEach((sym, i) =>
    values.set(sym, checkInput(inputs[i]!, sym, g.inputs.length === 1 ? 'inputs' : `inputs[${i}]`, context)),
  );
  const training = options.training ?? false;
  for (const node of g.nodes) {
    const args = node.inputs.map((t) => values.get(t)!);
    const initialState = node.callArgs.initialState?.map((t) => values.get(t)!) ?? undefined;
    const given = node.callArgs.mask;
    const valueOf = (m: SymbolicTensor | null): Tensor | null => (m === null ? null : (values.get(m) ?? null));
    const mask =
      given === null ? undefined : Array.isArray(given) ? given.map(valueOf) : valueOf(given as SymbolicTensor);
    const out = node.layer.apply(node.singleInput ? args[0]! : args, {
      ...node.callArgs.layerOptions,
      training: node.callArgs.training ?? training,
      ...(initialState ? { initialState } : {}),
      ...(mask !== undefined ? { mask } : {}),
    });
    const outs = Array.isArray(out) ? out : [out];
    node.outputs.forEach((sym, i) => values.set(sym, outs[i]!));
  }
  const outputs = g.outputs.map((o) => values.get(o)!);
  return { outputs, masks: outputs.map(maskOf) };
}

/** An input tensor checked against its symbolic input (rank, fixed sizes), cast to its dtype. */
function checkInput(t: Tensor, sym: SymbolicTensor, argument: string, context: string): Tensor {
  const ok = t.rank === sym.rank && sym.shape.every((d, i) => d === null || d === t.shape[i]);
  if (!ok) {
    throw new ShapeError({
      argument,
      expected: `shape ${formatShape(sym.shape)} (batch first; null = any size)`,
      received: formatShape(t.shape),
      context,
    });
  }
  return t.dtype === sym.dtype ? t : cast(t, sym.dtype);
}

/** Data as one tensor per model input, checked against the inputs' shapes. */
export function graphInputsFromData(g: FunctionalGraph, x: DataInput, argument: string, context: string): Tensor[] {
  const list = g.inputs.length === 1 ? [x as DataArg] : (x as DataArg[]);
  if (!Array.isArray(list) || list.length !== g.inputs.length) {
    throw new InvalidArgumentError({
      argument,
      expected: `a list of ${g.inputs.length} arrays, one per model input`,
      received: x,
      context,
    });
  }
  return list.map((v, i) => {
    const sym = g.inputs[i]!;
    const name = g.inputs.length === 1 ? argument : `${argument}[${i}]`;
    const t = toDataTensor(v, name, context, sym.dtype);
    const ok = t.rank === sym.rank && sym.shape.every((d, k) => k === 0 || d === null || d === t.shape[k]);
    if (!ok) {
      throw new ShapeError({
        argument: name,
        expected: `shape ${formatShape(sym.shape)} (batch first; null = any size)`,
        received: formatShape(t.shape),
        context,
      });
    }
    return t;
  });
}
