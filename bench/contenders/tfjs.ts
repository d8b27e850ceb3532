/**
 * TensorFlow.js (`@tensorflow/tfjs`, pure JS; cpu and wasm backends), two ways:
 *
 * - `layers`: `tf.layers.gru` with sigmoid recurrent activation. tfjs's GRU has no `reset_after`, so it only
 *   runs the resetAfter=false convention (its equations are Keras's for that convention).
 * - `ops`: a GRU written with tf ops, as one would by hand: the input projection of all steps up front, then a
 *   per-step loop of recurrent matMuls and gates (weights split by gate once); both reset conventions.
 *
 * The train step is `optimizer.minimize` with Adam on MSE of GRU→Dense(1); the check uses `tf.variableGrads`.
 * Every timed call ends with `dataSync()` of its result, so it includes reading the result to the host.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { GruData } from '../lib/data.js';
import type { Workload } from '../lib/workloads.js';
import type { CheckResults, Contender, Instance } from './types.js';

export type TfBackend = 'cpu' | 'wasm';

/** Initializes a tfjs backend once; the tfjs-in-Node hint (install tfjs-node) is silenced: it cannot install here. */
export async function useTfBackend(name: TfBackend): Promise<void> {
  if (initialized.has(name) && tf.getBackend() === name) return;
  // tfjs prints its hint on the first backend initialization (tf.getBackend() included).
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try {
    initialized.add(name);
    if (tf.getBackend() !== name && !(await tf.setBackend(name)))
      throw new Error(`tfjs backend '${name}' did not initialize`);
    await tf.ready();
    tf.tensor([0]).dispose(); // the cpu backend prints its hint on its first write
  } finally {
    Object.assign(console, { log, warn });
  }
}
const initialized = new Set<TfBackend>();

export async function tfjsFacts(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `tfjs ${tf.version_core} (wasm backend: SIMD ${simd}, threads ${threads})`;
}

interface GruTensors {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  /** [2,3U] or [3U], as Keras stores it. */
  bias: tf.Tensor;
}

/**
 * The GRU's weights split by gate once, outside any timed call (slicing is slow in tfjs-cpu: a tf.split of a
 * [128,384] matrix takes tens of ms there): input kernels [I,U], recurrent kernels [U,U], input biases [U],
 * recurrent biases [U] (resetAfter only), gates z, r, h.
 */
export interface GateWeights {
  w: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  u: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  b: [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  rb: [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] | null;
}

/** Columns [g·U, (g+1)·U) of a row-major [rows, 3U] array. */
function gateColumns(values: Float32Array, rows: number, U: number, g: number): Float32Array {
  const out = new Float32Array(rows * U);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * 3 * U + g * U, r * 3 * U + (g + 1) * U), r * U);
  return out;
}

/** The inverse: per-gate [rows, U] arrays z, r, h side by side as [rows, 3U]. */
function joinGates(parts: Float32Array[], rows: number, U: number): Float32Array {
  const out = new Float32Array(rows * 3 * U);
  for (let r = 0; r < rows; r++) parts.forEach((p, g) => out.set(p.subarray(r * U, (r + 1) * U), r * 3 * U + g * U));
  return out;
}

function gateWeights(w: Workload, d: GruData): GateWeights {
  const { inputDim: I, units: U } = w;
  const three = <T>(f: (g: number) => T): [T, T, T] => [f(0), f(1), f(2)];
  return {
    w: three((g) => tf.tensor2d(gateColumns(d.kernel, I, U, g), [I, U])),
    u: three((g) => tf.tensor2d(gateColumns(d.recurrentKernel, U, U, g), [U, U])),
    b: three((g) => tf.tensor1d(d.bias.slice(g * U, (g + 1) * U))),
    rb: d.resetAfter ? three((g) => tf.tensor1d(d.bias.slice((3 + g) * U, (4 + g) * U))) : null,
  };
}

const gateTensors = (g: GateWeights): tf.Tensor[] => [...g.w, ...g.u, ...g.b, ...(g.rb ?? [])];

/**
 * The ops-level GRU. x [B,T,I]; per-gate weights; h0 [B,U]. Returns [B,T,U] with returnSequences, else [B,U].
 * The input projection of every step is computed up front (one matMul per gate over all B·T rows, time-major so
 * that each step's rows are a contiguous slice); the loop then does the recurrent matMuls and the gates.
 */
export function gruOps(
  x: tf.Tensor3D,
  gw: GateWeights,
  h0: tf.Tensor2D,
  resetAfter: boolean,
  returnSequences: boolean,
): tf.Tensor {
  const [B, T, I] = x.shape;
  const U = gw.u[0].shape[0];
  if (resetAfter !== (gw.rb !== null)) throw new Error('gate weights do not match the reset convention');
  const rows = tf.reshape(tf.transpose(x, [1, 0, 2]), [T * B, I]);
  const [xz, xr, xh] = [0, 1, 2].map(
    (g) => tf.unstack(tf.reshape(tf.add(tf.matMul(rows, gw.w[g]!), gw.b[g]!), [T, B, U])) as tf.Tensor2D[],
  );
  const [uz, ur, uh] = gw.u;
  let h: tf.Tensor2D = h0;
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    let z: tf.Tensor;
    let r: tf.Tensor;
    let candidate: tf.Tensor;
    if (gw.rb !== null) {
      // resetAfter: the reset gate scales the recurrent projection (with its own bias).
      const [rbz, rbr, rbh] = gw.rb;
      z = tf.sigmoid(tf.add(xz![t]!, tf.add(tf.matMul(h, uz), rbz)));
      r = tf.sigmoid(tf.add(xr![t]!, tf.add(tf.matMul(h, ur), rbr)));
      candidate = tf.tanh(tf.add(xh![t]!, tf.mul(r, tf.add(tf.matMul(h, uh), rbh))));
    } else {
      z = tf.sigmoid(tf.add(xz![t]!, tf.matMul(h, uz)));
      r = tf.sigmoid(tf.add(xr![t]!, tf.matMul(h, ur)));
      candidate = tf.tanh(tf.add(xh![t]!, tf.matMul(tf.mul(r, h), uh)));
    }
    h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate)) as tf.Tensor2D;
    if (returnSequences) outputs.push(h);
  }
  return returnSequences ? tf.stack(outputs, 1) : h;
}

const f32 = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync());

export function tfjs(backend: TfBackend, kind: 'layers' | 'ops'): Contender {
  return {
    id: `tfjs-${backend}/${kind}`,
    label: `tfjs-${backend} ${kind === 'layers' ? 'tf.layers.gru' : 'ops GRU'}`,
    library: '@tensorflow/tfjs',
    threads: 1,
    unsupported(_w, resetAfter) {
      return kind === 'layers' && resetAfter ? 'tf.layers.gru has no reset_after' : null;
    },
    async create(w, d) {
      await useTfBackend(backend);
      const enter = (): Promise<void> => useTfBackend(backend);
      const inst = kind === 'ops' ? opsInstance(w, d) : layersInstance(w, d);
      return { ...inst, enter };
    },
  };
}

function weights(w: Workload, d: GruData): GruTensors {
  const G = 3 * w.units;
  return {
    kernel: tf.tensor2d(d.kernel, [w.inputDim, G]),
    recurrentKernel: tf.tensor2d(d.recurrentKernel, [w.units, G]),
    bias: d.resetAfter ? tf.tensor2d(d.bias, [2, G]) : tf.tensor1d(d.bias),
  };
}

type Body = Omit<Instance, 'enter'>;

function opsInstance(w: Workload, d: GruData): Body {
  const x = tf.tensor3d(d.x, [w.batch, w.seq, w.inputDim]);
  const h0 = tf.tensor2d(d.h0, [w.batch, w.units]);
  if (w.mode === 'forward') {
    const g = gateWeights(w, d);
    const call = (): Float32Array => {
      const out = tf.tidy(() => gruOps(x, g, h0, d.resetAfter, w.returnSequences));
      const values = out.dataSync() as Float32Array;
      out.dispose();
      return values;
    };
    return {
      run: () => void call(),
      check: () => ({ output: Float32Array.from(call()) }),
      dispose: () => tf.dispose([x, h0, ...gateTensors(g)]),
    };
  }
  if (w.mode === 'step') {
    const g = gateWeights(w, d);
    let state: tf.Tensor2D = tf.clone(h0);
    const step = (): Float32Array => {
      const next = tf.tidy(() => gruOps(x, g, state, d.resetAfter, false) as tf.Tensor2D);
      state.dispose();
      state = next;
      return next.dataSync() as Float32Array;
    };
    return {
      run: () => void step(),
      check() {
        state.dispose();
        state = tf.clone(h0);
        return { output: Float32Array.from(step()) };
      },
      dispose: () => tf.dispose([x, h0, state, ...gateTensors(g)]),
    };
  }
  // Train step: the per-gate weights as variables, Dense(1), MSE, Adam.
  const g0 = gateWeights(w, d);
  const v = <T extends tf.Tensor>(t: T): tf.Variable => tf.variable(t);
  const gw = {
    w: g0.w.map(v),
    u: g0.u.map(v),
    b: g0.b.map(v),
    rb: g0.rb === null ? null : g0.rb.map(v),
  } as unknown as GateWeights;
  tf.dispose(gateTensors(g0));
  const dk = tf.variable(tf.tensor2d(d.denseKernel, [w.units, 1]));
  const db = tf.variable(tf.tensor1d(d.denseBias));
  const vars = [...(gateTensors(gw) as tf.Variable[]), dk, db];
  const y = tf.tensor2d(d.y, [w.batch, 1]);
  const loss = (): tf.Scalar => {
    const h = gruOps(x, gw, h0, d.resetAfter, false) as tf.Tensor2D;
    return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(h, dk), db), y)));
  };
  const { inputDim: I, units: U } = w;
  // Gradients back in Keras layout: kernel [I,3U], recurrentKernel [U,3U], bias [2,3U] or [3U].
  const toKeras = (grads: Float32Array[]): Float32Array[] => {
    const [wz, wr, wh, uz, ur, uh, bz, br, bh] = grads as Float32Array[] & { length: 9 };
    const bias = joinGates([bz!, br!, bh!], 1, U);
    const rbias = d.resetAfter ? joinGates(grads.slice(9, 12), 1, U) : new Float32Array(0);
    const out = new Float32Array(bias.length + rbias.length);
    out.set(bias);
    out.set(rbias, bias.length);
    return [joinGates([wz!, wr!, wh!], I, U), joinGates([uz!, ur!, uh!], U, U), out, ...grads.slice(grads.length - 2)];
  };
  return trainBody(loss, vars, () => tf.dispose([...vars, x, h0, y]), toKeras);
}

/** `toKeras` turns the variables' gradients into Keras's five (kernel, recurrent kernel, bias, dense kernel, dense bias). */
function trainBody(
  loss: () => tf.Scalar,
  vars: tf.Variable[],
  release: () => void,
  toKeras: (grads: Float32Array[]) => Float32Array[] = (g) => g,
): Body {
  const optimizer = tf.train.adam(0.001, 0.9, 0.999, 1e-7);
  return {
    run: () => {
      const cost = optimizer.minimize(loss, true, vars)!;
      cost.dataSync();
      cost.dispose();
    },
    check() {
      const { value, grads } = tf.variableGrads(loss, vars);
      const names = ['dKernel', 'dRecurrentKernel', 'dBias', 'dDenseKernel', 'dDenseBias'];
      const out: CheckResults = { loss: f32(value) };
      toKeras(vars.map((v) => f32(grads[v.name]!))).forEach((g, i) => (out[names[i]!] = g));
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    },
    dispose: () => {
      optimizer.dispose();
      release();
    },
  };
}

function layersInstance(w: Workload, d: GruData): Body {
  const stateful = w.mode === 'step';
  const gru = tf.layers.gru({
    units: w.units,
    recurrentActivation: 'sigmoid',
    // The weights are set below; skip the (slow, for large U) orthogonal initialization.
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    returnSequences: w.returnSequences && w.mode === 'forward',
    stateful,
    ...(stateful ? { batchInputShape: [w.batch, 1, w.inputDim] } : {}),
  });
  const x = tf.tensor3d(d.x, [w.batch, w.seq, w.inputDim]);
  const h0 = tf.tensor2d(d.h0, [w.batch, w.units]);
  tf.tidy(() => void gru.apply(x)); // builds the layer (its weights are then set)
  const g = weights(w, d);
  gru.setWeights([g.kernel, g.recurrentKernel, g.bias]);
  tf.dispose([g.kernel, g.recurrentKernel, g.bias]);
  if (w.mode === 'forward') {
    const call = (): tf.Tensor => gru.apply(x, w.useInitialState ? { initialState: [h0] } : {}) as tf.Tensor;
    return {
      run: () => void tf.tidy(() => call().dataSync()),
      check: () => ({ output: tf.tidy(() => f32(call())) }),
      dispose: () => {
        gru.dispose();
        tf.dispose([x, h0]);
      },
    };
  }
  if (w.mode === 'step') {
    const step = (): Float32Array => tf.tidy(() => (gru.apply(x) as tf.Tensor).dataSync() as Float32Array);
    return {
      run: () => void step(),
      check() {
        gru.resetStates(h0);
        return { output: Float32Array.from(step()) };
      },
      dispose: () => {
        gru.dispose();
        tf.dispose([x, h0]);
      },
    };
  }
  const dense = tf.layers.dense({ units: 1 });
  tf.tidy(() => void dense.apply(tf.zeros([w.batch, w.units])));
  dense.setWeights([tf.tensor2d(d.denseKernel, [w.units, 1]), tf.tensor1d(d.denseBias)]);
  const y = tf.tensor2d(d.y, [w.batch, 1]);
  const vars = [...gru.trainableWeights, ...dense.trainableWeights].map((v) => v.read() as tf.Variable);
  const loss = (): tf.Scalar => tf.mean(tf.square(tf.sub(dense.apply(gru.apply(x)) as tf.Tensor, y)));
  return trainBody(loss, vars, () => {
    gru.dispose();
    dense.dispose();
    tf.dispose([x, h0, y]);
  });
}
