/**
 * Reverse-mode automatic differentiation with a tape.
 *
 * While `valueAndGrads(fn, variables)` runs `fn`, every op whose inputs depend on a watched variable records a
 * `GradNode` (its inputs and a backward rule, defined next to the op) on the output tensor. The gradient pass
 * then walks those nodes in reverse topological order. The walk is iterative, so a GRU unrolled over thousands
 * of steps cannot overflow the JavaScript stack.
 *
 * Tapes nest: an op records when any active tape tracks one of its inputs, and its node carries the id of the
 * innermost tape. Tape ids grow, so a node belongs to tape T exactly when `node.tapeId >= T.id` (it was
 * recorded while T was active, possibly inside a nested tape). When the outermost tape finishes, the nodes it
 * walked are cleared, so a kept result does not hold on to its whole graph.
 */
import { InvalidArgumentError } from '../errors.js';
import { Tensor, type GradNode } from '../tensor/tensor.js';

interface Tape {
  readonly id: number;
  readonly watched: ReadonlySet<Tensor>;
}

let nextTapeId = 1;
const tapeStack: Tape[] = [];
/** Tapes below this index are paused by `noGrad`; a tape started inside `noGrad` records. */
let barrier = 0;

function activeTape(): Tape | null {
  return tapeStack.length > barrier ? tapeStack[tapeStack.length - 1]! : null;
}

/** True when `t` is watched by `tape` or was computed from a watched tensor while `tape` was active. */
function trackedBy(tape: Tape, t: Tensor): boolean {
  return tape.watched.has(t) || (t.node !== null && t.node.tapeId >= tape.id);
}

/** True when `t` depends on a watched variable of an active tape. */
export function isTracked(t: Tensor): boolean {
  for (let i = barrier; i < tapeStack.length; i++) if (trackedBy(tapeStack[i]!, t)) return true;
  return false;
}

/** True when a tape is recording (some op results may need gradients). */
export function isRecording(): boolean {
  return activeTape() !== null;
}

/**
 * Called by every differentiable op after computing `out`: attaches the backward rule when any input is
 * tracked. Returns `out`.
 */
export function record<T extends Tensor>(
  out: T,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null)[],
): T {
  const tape = activeTape();
  if (tape === null) return out;
  if (!inputs.some(isTracked)) return out;
  const node: GradNode = { tapeId: tape.id, inputs, backward };
  out.node = node;
  return out;
}

/** Runs `fn` with recording paused (used for backward rules and for optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const saved = barrier;
  barrier = tapeStack.length;
  try {
    return fn();
  } finally {
    barrier = saved;
  }
}

export interface ValueAndGrads {
  /** What `fn` returned. */
  value: Tensor;
  /** d(sum of value)/d(variable) for each variable, in order, same shapes. Zeros where value does not depend. */
  grads: Tensor[];
}

/**
 * Evaluates `fn()` and the gradient of the sum of its result with respect to each of `variables` (variables
 * or any tensors, e.g. an input wrapped with `variable()`).
 */
export function valueAndGrads(fn: () => Tensor, variables: readonly Tensor[]): ValueAndGrads {
  const tape: Tape = { id: nextTapeId++, watched: new Set(variables) };
  tapeStack.push(tape);
  let value: Tensor;
  try {
    value = fn();
  } finally {
    tapeStack.pop();
  }
  if (value === undefined || value === null || typeof (value as Tensor).shape !== 'object') {
    throw new InvalidArgumentError({
      argument: 'fn',
      expected: 'a function returning a tensor',
      received: value,
      context: 'valueAndGrads',
    });
  }
  // Release the graph unless an enclosing tape that is recording may still walk it.
  const release = tapeStack.length <= barrier;
  const grads = noGrad(() => backprop(tape, value, variables, release));
  return { value, grads };
}

function topologicalOrder(tape: Tape, root: Tensor): Tensor[] {
  // Iterative post-order DFS over recorded nodes of this tape.
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: { t: Tensor; next: number }[] = [];
  const push = (t: Tensor): void => {
    if (visited.has(t)) return;
    visited.add(t);
    stack.push({ t, next: 0 });
  };
  push(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const node = frame.t.node;
    const inputs = node !== null && node.tapeId >= tape.id ? node.inputs : [];
    if (frame.next < inputs.length) {
      push(inputs[frame.next++]!);
    } else {
      stack.pop();
      order.push(frame.t);
    }
  }
  return order;
}

/** Gradients of sum(root) for `variables`; `release` clears the walked nodes (no enclosing tape needs them). */
function backprop(tape: Tape, root: Tensor, variables: readonly Tensor[], release: boolean): Tensor[] {
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, onesLike(root));
  const order = topologicalOrder(tape, root);
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i]!;
    const node = t.node;
    const dy = grads.get(t);
    if (node === null || node.tapeId < tape.id || dy === undefined) continue;
    const inputGrads = node.backward(dy);
    node.inputs.forEach((input, k) => {
      const g = inputGrads[k];
      if (g === null || g === undefined) return;
      if (!trackedBy(tape, input)) return;
      const prev = grads.get(input);
      grads.set(input, prev === undefined ? g : addSameShape(prev, g));
    });
    // Intermediate gradients are no longer needed once propagated.
    if (!tape.watched.has(t)) grads.delete(t);
  }
  if (release) for (const t of order) if (t.node !== null && t.node.tapeId >= tape.id) t.node = null;
  return variables.map((v) => grads.get(v) ?? zerosLike(v));
}

function onesLike(t: Tensor): Tensor {
  const values = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
  values.fill(1);
  return new Tensor(values, t.shape);
}

function zerosLike(t: Tensor): Tensor {
  const values = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
  return new Tensor(values, t.shape);
}

function addSameShape(a: Tensor, b: Tensor): Tensor {
  const values = a.dtype === 'float64' && b.dtype === 'float64' ? new Float64Array(a.size) : new Float32Array(a.size);
  for (let i = 0; i < values.length; i++) values[i] = a.values[i]! + b.values[i]!;
  return new Tensor(values, a.shape);
}
