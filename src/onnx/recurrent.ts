/**
 * GRU layers as the ONNX `GRU` operator (opset 14, layout 0: onnxruntime runs only time-major GRUs).
 *
 * Weights. Keras: kernel [I,3U], recurrentKernel [U,3U], columns z|r|h; bias [3U], or [2,3U] with resetAfter
 * (row 0 input, row 1 recurrent). ONNX: W [D,3U,I] = kernelᵀ, R [D,3U,U] = recurrentKernelᵀ, rows z|r|h —
 * the same gate order — and B [D,6U] = [Wb | Rb]. resetAfter maps to linear_before_reset = 1; without it
 * Keras has no recurrent bias (Rb = 0); without useBias, B = 0. ONNX's update Ht = (1 − z) ⊙ ĥ + z ⊙ Ht−1 is
 * Keras's.
 *
 * Masks. Keras skips masked steps wherever they are: the state is carried over them and the output repeats
 * the previous output (zeros with zeroOutputForMask). The graph reproduces this for any mask — right- or
 * left-padded, or with holes — by moving each row's kept steps to the front in order (a TopK over
 * `t + T·masked`), running the GRU with sequence_lens = the number of kept steps, and reading each time step's
 * output back from the compacted outputs:
 *
 *     c[t] = kept steps ≤ t (CumSum)           forward:  out[t] = Yc[c[t] − 1]     when c[t] > 0, else 0
 *     d[t] = kept steps < t = c[t] − m[t]       reverse:  out[t] = Yc[d[t]]         when d[t] < L, else 0
 *
 * (with zeroOutputForMask the condition is m[t]). The reverse direction over the compacted rows runs from the
 * last kept step to the first, which is Keras's goBackwards over the kept steps.
 */
import type { GRUCell } from '../layers/gru-cell.js';
import type { RNN } from '../layers/rnn.js';
import type { Variable } from '../tensor/variable.js';
import { gruActivation, GRU_ACTIVATION_NAMES } from './activations.js';
import { floats, int, str, strs, type GraphBuilder } from './builder.js';
import { UnsupportedActivationError } from './errors.js';

/** What one GRU computed, in time order ([B,T,U] output for each t), and its last output and final state. */
export interface GRURun {
  /** The output at each time step t (not in processing order), [B,T,U]; null unless the layer returns sequences. */
  timeOrdered: string | null;
  /** Keras's last output, [B,U]. */
  last: string;
  /** The final state, [B,U]. */
  state: string;
}

export interface GRUInput {
  /** [B,T,I] float32. */
  x: string;
  /** [B,T] bool (true = use the step), or null. */
  mask: string | null;
}

const describe = (layer: RNN): string => `${layer.className} '${layer.name}'`;

/** A recurrent layer with its GRU cell (a GRU, or an RNN around a GRUCell). */
export interface GRULayer {
  layer: RNN;
  cell: GRUCell;
}

function values(v: Variable): Float32Array | Float64Array {
  return v.read().dataSync() as Float32Array | Float64Array;
}

/** The ONNX activation attributes of a GRU: [f, g] = [recurrentActivation, activation]. */
function activationAttributes({ cell }: GRULayer, owner: string): { names: string[]; alpha: number[]; beta: number[] } {
  const names: string[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  for (const [which, a] of [
    ['recurrentActivation', cell.recurrentActivation],
    ['activation', cell.activation],
  ] as const) {
    const onnx = gruActivation(a);
    if (onnx === null) {
      throw new UnsupportedActivationError({
        layer: owner,
        activation: a.name,
        reason: `${which} '${a.name}' has no ONNX GRU form (the ONNX GRU operator supports ${GRU_ACTIVATION_NAMES.join(', ')})`,
      });
    }
    names.push(onnx.name);
    // onnxruntime consumes activation_alpha/beta in order, one entry per activation that takes one.
    if (onnx.alpha !== undefined) alpha.push(onnx.alpha);
    if (onnx.beta !== undefined) beta.push(onnx.beta);
  }
  return { names, alpha, beta };
}

/** W [D,3U,I], R [D,3U,U], B [D,6U] for the layers of one ONNX GRU node, in direction order. */
function weights(g: GraphBuilder, layers: readonly GRULayer[]): { W: string; R: string; B: string } {
  const first = layers[0]!;
  const U = first.cell.units;
  const I = first.cell.kernel!.shape[0]!;
  const key = layers.map((l) => l.layer.name).join('+');
  const owner = first.cell.kernel!;
  const W = g.weight(owner, `W(${key})`, () => {
    const out = new Float32Array(layers.length * 3 * U * I);
    layers.forEach((l, d) => {
      const k = values(l.cell.kernel!); // [I,3U]
      for (let j = 0; j < 3 * U; j++) for (let i = 0; i < I; i++) out[(d * 3 * U + j) * I + i] = k[i * 3 * U + j]!;
    });
    return { dims: [layers.length, 3 * U, I], values: out };
  });
  const R = g.weight(owner, `R(${key})`, () => {
    const out = new Float32Array(layers.length * 3 * U * U);
    layers.forEach((l, d) => {
      const k = values(l.cell.recurrentKernel!); // [U,3U]
      for (let j = 0; j < 3 * U; j++) for (let i = 0; i < U; i++) out[(d * 3 * U + j) * U + i] = k[i * 3 * U + j]!;
    });
    return { dims: [layers.length, 3 * U, U], values: out };
  });
  const B = g.weight(owner, `B(${key})`, () => {
    const out = new Float32Array(layers.length * 6 * U);
    layers.forEach((l, d) => {
      if (l.cell.bias === null) return;
      // bias is [3U] (input bias only) or [2,3U] (input row, recurrent row): either way a prefix of [Wb | Rb].
      const b = values(l.cell.bias);
      out.set(b, d * 6 * U);
    });
    return { dims: [layers.length, 6 * U], values: out };
  });
  return { W, R, B };
}

/** Per-row mask quantities shared by every direction of one node. */
interface MaskMath {
  /** Kept steps per row [B] int64. */
  lengths: string;
  /** [B,T] int64: 1 where kept. */
  keep: string;
  /** [B,T] int64: kept steps ≤ t. */
  cumulative: string;
  /** T as an int64 scalar. */
  steps: string;
}

/** Moves each row's kept steps to the front, in order; returns the compacted x and the mask quantities. */
function compact(g: GraphBuilder, x: string, mask: string): { x: string; math: MaskMath } {
  const keep = g.cast(mask, 'int64');
  const lengths = g.op('ReduceSum', [keep, g.int64s([1])], { keepdims: int(0) }, 'lengths');
  const stepsVec = g.dim(x, 1);
  const steps = g.squeeze(stepsVec, [0]);
  const t = g.op('Range', [g.constant('int64', [], [0]), steps, g.constant('int64', [], [1])], {}, 't');
  // kept steps sort by t, masked ones after them (t + T), each group in time order
  const key = g.op('Where', [mask, t, g.op('Add', [t, steps])], {}, 'sort_key');
  const [, order] = g.opN('TopK', [key, stepsVec], 2, { axis: int(1), largest: int(0), sorted: int(1) }, 'order');
  const gatherIndex = g.op('Expand', [g.unsqueeze(order!, [2]), g.op('Shape', [x])]);
  const compacted = g.op('GatherElements', [x, gatherIndex], { axis: int(1) }, 'x_compacted');
  const cumulative = g.op('CumSum', [keep, g.constant('int64', [], [1])], {}, 'kept_so_far');
  return { x: compacted, math: { lengths, keep, cumulative, steps } };
}

/** The output at each time t from the compacted outputs `y` [B,T,U] (see the module comment). */
function outputsAtEachStep(
  g: GraphBuilder,
  y: string,
  layer: RNN,
  reverse: boolean,
  mask: string,
  m: MaskMath,
): string {
  const zero = g.constant('int64', [], [0]);
  const one = g.constant('int64', [], [1]);
  let index: string;
  let valid: string;
  if (!reverse) {
    const before = g.op('Sub', [m.cumulative, one]);
    index = g.op('Max', [before, zero]);
    valid = g.op('Greater', [m.cumulative, zero]);
  } else {
    const before = g.op('Sub', [m.cumulative, m.keep]);
    index = g.op('Min', [before, g.op('Sub', [m.steps, one])]);
    valid = g.op('Less', [before, g.unsqueeze(m.lengths, [1])]);
  }
  const condition = layer.zeroOutputForMask ? mask : valid;
  const gatherIndex = g.op('Expand', [g.unsqueeze(index, [2]), g.op('Shape', [y])]);
  const gathered = g.op('GatherElements', [y, gatherIndex], { axis: int(1) });
  return g.op('Where', [g.unsqueeze(condition, [2]), gathered, g.scalar(0)], {}, 'outputs');
}

/**
 * Runs `layers` (one GRU, or the two of a Bidirectional) over one input as one ONNX GRU node. Two layers
 * share a node only when they are forward then backward with the same units and resetAfter; the caller
 * splits them otherwise. `initialStates` holds one [B,U] per layer, or is null (zeros).
 */
export function emitGRUNode(
  g: GraphBuilder,
  layers: readonly GRULayer[],
  input: GRUInput,
  initialStates: readonly string[] | null,
  owner: string,
): GRURun[] {
  const first = layers[0]!;
  const U = first.cell.units;
  const direction = layers.length === 2 ? 'bidirectional' : first.layer.goBackwards ? 'reverse' : 'forward';
  const acts = layers.map((l) => activationAttributes(l, layers.length === 2 ? owner : describe(l.layer)));
  const { W, R, B } = weights(g, layers);
  let x = input.x;
  let math: MaskMath | null = null;
  if (input.mask !== null) ({ x, math } = compact(g, input.x, input.mask));
  const xt = g.transpose(x, [1, 0, 2]); // [T,B,I]
  const lengths = math === null ? '' : g.cast(math.lengths, 'int32');
  const h0 =
    initialStates === null
      ? ''
      : initialStates.length === 1
        ? g.unsqueeze(initialStates[0]!, [0])
        : g.op(
            'Concat',
            initialStates.map((s) => g.unsqueeze(s, [0])),
            { axis: int(0) },
          );
  const attributes = {
    hidden_size: int(U),
    direction: str(direction),
    linear_before_reset: int(first.cell.resetAfter ? 1 : 0),
    activations: strs(acts.flatMap((a) => a.names)),
    ...(acts.some((a) => a.alpha.length > 0) ? { activation_alpha: floats(acts.flatMap((a) => a.alpha)) } : {}),
    ...(acts.some((a) => a.beta.length > 0) ? { activation_beta: floats(acts.flatMap((a) => a.beta)) } : {}),
  };
  const inputs = [xt, W, R, B, lengths, h0];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const [Y, Yh] = g.opN('GRU', inputs, 2, attributes, 'gru');
  return layers.map(({ layer }, d) => {
    const reverse = layers.length === 2 ? d === 1 : layer.goBackwards;
    // Y [T,D,B,U], Y_h [D,B,U]
    const final =
      layers.length === 1 ? g.squeeze(Yh!, [0]) : g.op('Gather', [Yh!, g.constant('int64', [], [d])], { axis: int(0) });
    let state = final;
    let last = final;
    if (math !== null) {
      // onnxruntime's Y_h of a row with no kept step is 0; Keras keeps the initial state.
      if (initialStates !== null)
        state = g.op('Where', [
          g.unsqueeze(g.op('Greater', [math.lengths, g.constant('int64', [], [0])]), [1]),
          final,
          initialStates[d]!,
        ]);
      if (layer.zeroOutputForMask) {
        // Keras's last output is the output of the last step processed: zero when that step is masked.
        const lastStep = g.op(
          'Gather',
          [
            input.mask!,
            reverse ? g.constant('int64', [], [0]) : g.op('Sub', [math.steps, g.constant('int64', [], [1])]),
          ],
          { axis: int(1) },
        );
        last = g.op('Where', [g.unsqueeze(lastStep, [1]), final, g.scalar(0)]);
      }
    }
    let timeOrdered: string | null = null;
    if (layer.returnSequences) {
      const yd =
        layers.length === 1 ? g.squeeze(Y!, [1]) : g.op('Gather', [Y!, g.constant('int64', [], [d])], { axis: int(1) });
      const batchMajor = g.transpose(yd, [1, 0, 2]); // [B,T,U]
      timeOrdered = math === null ? batchMajor : outputsAtEachStep(g, batchMajor, layer, reverse, input.mask!, math);
    }
    return { timeOrdered, last, state };
  });
}

/** Whether two layers can share one bidirectional ONNX GRU node (forward first). */
export function canShareNode(forward: GRULayer, backward: GRULayer): boolean {
  return (
    !forward.layer.goBackwards &&
    backward.layer.goBackwards &&
    forward.cell.units === backward.cell.units &&
    forward.cell.resetAfter === backward.cell.resetAfter
  );
}
