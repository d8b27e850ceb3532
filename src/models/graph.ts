/**
 * The graph of a functional model: from its outputs back to its inputs through the nodes (layer calls) that
 * made each symbolic tensor, ordered so that every node runs after the nodes it depends on. The walk is
 * iterative (deep graphs do not overflow the stack).
 */
import { InvalidArgumentError } from '../errors.js';
import { InputLayer } from '../layers/input-layer.js';
import type { Layer } from '../layers/layer.js';
import type { Node } from '../layers/node.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';

export interface FunctionalGraph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** The nodes to run, in dependency order (input layers' nodes excluded). */
  readonly nodes: readonly Node[];
  /** Every layer once, in the order of first use, input layers first (Keras's `model.layers`). */
  readonly layers: readonly Layer[];
}

function asList(value: unknown, argument: string, context: string): SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor)) {
    throw new InvalidArgumentError({
      argument,
      expected: 'a symbolic tensor or a non-empty list of them (made by input() and layer calls)',
      received: value,
      context,
    });
  }
  return list as SymbolicTensor[];
}

const nodeOf = (t: SymbolicTensor): Node => t.history.layer.inboundNodes[t.history.nodeIndex]!;

export function buildGraph(inputsArg: unknown, outputsArg: unknown, context: string): FunctionalGraph {
  const inputs = asList(inputsArg, 'inputs', context);
  const outputs = asList(outputsArg, 'outputs', context);
  inputs.forEach((t, i) => {
    if (!(t.history.layer instanceof InputLayer)) {
      throw new InvalidArgumentError({
        argument: inputs.length === 1 ? 'inputs' : `inputs[${i}]`,
        expected: 'the output of input() (an InputLayer)',
        received: `the output of ${t.history.layer.className} '${t.history.layer.name}'`,
        context,
      });
    }
  });
  const inputSet = new Set(inputs);
  const order: Node[] = [];
  const visited = new Set<Node>();
  const stack: { node: Node; next: number }[] = [];
  const visit = (t: SymbolicTensor): void => {
    if (inputSet.has(t)) return;
    if (t.history.layer instanceof InputLayer) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: `every input the outputs depend on (the graph is disconnected: '${t.name}' is not among the model's inputs)`,
        received: inputs.map((i) => i.name),
        context,
      });
    }
    const node = nodeOf(t);
    if (visited.has(node)) return;
    visited.add(node);
    stack.push({ node, next: 0 });
  };
  for (const out of outputs) {
    visit(out);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const deps = frame.node.dependencies;
      if (frame.next < deps.length) visit(deps[frame.next++]!);
      else {
        stack.pop();
        order.push(frame.node);
      }
    }
  }
  const layers: Layer[] = [];
  const seen = new Set<Layer>();
  for (const layer of [...inputs.map((t) => t.history.layer), ...order.map((n) => n.layer)]) {
    if (!seen.has(layer)) {
      seen.add(layer);
      layers.push(layer);
    }
  }
  const names = new Set<string>();
  for (const layer of layers) {
    if (names.has(layer.name)) {
      throw new InvalidArgumentError({
        argument: 'outputs',
        expected: 'a graph whose layers have unique names',
        received: `two layers named '${layer.name}'`,
        context,
      });
    }
    names.add(layer.name);
  }
  return { inputs, outputs, nodes: order, layers };
}
