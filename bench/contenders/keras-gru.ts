/**
 * keras-gru through its public API: a `GRU` layer (`apply`), a stateful layer for streaming, and a compiled
 * `Sequential` GRU→Dense(1) with `trainOnBatch` for the train step. The backend is global state, so each timed
 * call is preceded by `setBackend` (and `setThreads`, where that exists) outside the timing.
 */
import { nativeInstructionSet } from '../../src/backend/native/index.js';
import * as kg from '../../src/index.js';
import type { GruData } from '../lib/data.js';
import type { Workload } from '../lib/workloads.js';
import type { Contender, Instance } from './types.js';

/** `setThreads(n)` if this version of keras-gru has it (added with the threaded kernels), else null. */
export function kerasSetThreads(): ((n: number) => unknown) | null {
  const fn = (kg as Record<string, unknown>)['setThreads'];
  return typeof fn === 'function' ? (fn as (n: number) => unknown) : null;
}

function gruLayer(w: Workload, d: GruData, extra: Partial<kg.GRUArgs> = {}): kg.GRU {
  const layer = new kg.GRU({ units: w.units, resetAfter: d.resetAfter, returnSequences: w.returnSequences, ...extra });
  layer.build([extra.stateful === true ? w.batch : null, w.seq, w.inputDim]);
  layer.setWeights(gruWeights(w, d));
  return layer;
}

function gruWeights(w: Workload, d: GruData): kg.Tensor[] {
  const G = 3 * w.units;
  return [
    kg.tensor(d.kernel, [w.inputDim, G]),
    kg.tensor(d.recurrentKernel, [w.units, G]),
    kg.tensor(d.bias, d.resetAfter ? [2, G] : [G]),
  ];
}

const f32 = (t: kg.Tensor): Float32Array => Float32Array.from(t.dataSync() as ArrayLike<number>);

/** `api`: 'apply' (the layer call; a stateful layer for streaming) or 'step' (the `step()` method, streaming only). */
export function kerasGru(
  backend: 'wasm' | 'native' | 'reference',
  threads: number,
  api: 'apply' | 'step' = 'apply',
): Contender {
  const setThreads = kerasSetThreads();
  const suffix = api === 'step' ? ' step()' : '';
  return {
    id: `keras-gru/${backend}/${threads}t${api === 'step' ? '/step' : ''}`,
    label: `keras-gru ${backend}${suffix}`,
    library: 'keras-gru',
    threads,
    unsupported(w) {
      if (api === 'step' && w.mode !== 'step') return 'step() is the streaming API';
      if (threads > 1 && setThreads === null) return 'keras-gru has no setThreads yet';
      // Selected without its addon, 'native' would time the WASM kernels under another name.
      if (backend === 'native' && nativeInstructionSet() === null) return 'skipped: native addon not built';
      return null;
    },
    async create(w, d) {
      // setThreads may start workers (and return a promise): awaited, untimed.
      const enter = (): void | Promise<void> => {
        kg.setBackend(backend);
        const r = setThreads?.(threads);
        return r instanceof Promise ? r.then(() => undefined) : undefined;
      };
      await enter();
      const x = kg.tensor(d.x, [w.batch, w.seq, w.inputDim]);
      const common = { enter };
      if (w.mode === 'forward') {
        const layer = gruLayer(w, d);
        const h0 = kg.tensor(d.h0, [w.batch, w.units]);
        const call = (): kg.Tensor => layer.apply(x, w.useInitialState ? { initialState: [h0] } : {}) as kg.Tensor;
        return { ...common, run: () => void call(), check: () => ({ output: f32(call()) }), dispose() {} };
      }
      if (w.mode === 'step') return streaming(w, d, x, common, api);
      return training(w, d, x, common);
    },
  };
}

function streaming(
  w: Workload,
  d: GruData,
  x: kg.Tensor,
  common: Pick<Instance, 'enter'>,
  api: 'apply' | 'step',
): Instance {
  const h0 = kg.tensor(d.h0, [w.batch, w.units]);
  if (api === 'apply') {
    // A stateful layer fed [B,1,I] at a time: the state is carried between calls.
    const layer = gruLayer(w, d, { stateful: true, returnSequences: false });
    return {
      ...common,
      run: () => void layer.apply(x),
      check() {
        layer.resetStates([h0]);
        return { output: f32(layer.apply(x) as kg.Tensor) };
      },
      dispose() {},
    };
  }
  const layer = gruLayer(w, d, { returnSequences: false });
  const x2 = kg.tensor(d.x, [w.batch, w.inputDim]);
  let state: kg.Tensor = h0;
  return {
    ...common,
    run() {
      state = layer.step(x2, [state])[1][0]!;
    },
    check() {
      state = h0;
      return { output: f32(layer.step(x2, [state])[0]) };
    },
    dispose() {},
  };
}

function training(w: Workload, d: GruData, x: kg.Tensor, common: Pick<Instance, 'enter'>): Instance {
  const gru = new kg.GRU({ units: w.units, resetAfter: d.resetAfter });
  const dense = new kg.Dense({ units: 1 });
  const model = new kg.Sequential([kg.input({ shape: [w.seq, w.inputDim] }), gru, dense]);
  gru.setWeights(gruWeights(w, d));
  dense.setWeights([kg.tensor(d.denseKernel, [w.units, 1]), kg.tensor(d.denseBias, [1])]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const y = kg.tensor(d.y, [w.batch, 1]);
  const mse = kg.getLoss('mse');
  return {
    ...common,
    run: () => void model.trainOnBatch(x, y),
    check() {
      // Loss and gradients at the initial weights (before any update).
      const vars = [...gru.trainableWeights, ...dense.trainableWeights];
      const { value, grads } = kg.valueAndGrads(
        () => mse.call(y, model.apply(x, { training: true }) as kg.Tensor),
        vars,
      );
      const names = ['dKernel', 'dRecurrentKernel', 'dBias', 'dDenseKernel', 'dDenseBias'];
      return { loss: f32(value), ...Object.fromEntries(grads.map((g, i) => [names[i]!, f32(g)])) };
    },
    dispose() {},
  };
}
