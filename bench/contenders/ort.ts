/**
 * onnxruntime running the ONNX GRU operator on a model written by bench/onnx/model.ts (the project's ONNX
 * export): onnxruntime-node (native CPU provider, 1 or 2 intra-op threads) and onnxruntime-web (its
 * WebAssembly build, 1 thread, in Node — the WASM-vs-WASM comparison). No training in onnxruntime.
 *
 * Session options are onnxruntime's defaults but for the thread counts and for intra-op spinning, which is off:
 * contenders run interleaved, and a pool thread that keeps spinning after its call takes a core from the next
 * contender (keras-gru's median on M doubled behind it on this 2-core machine). Measured alone, onnxruntime
 * itself ran about as fast with and without spinning.
 */
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { onnxGruModel } from '../onnx/model.js';
import type { GruData } from '../lib/data.js';
import type { Workload } from '../lib/workloads.js';
import type { Contender, Instance } from './types.js';

type Runtime = 'node' | 'web';
type Session = ortNode.InferenceSession | ortWeb.InferenceSession;
type OrtTensor = ortNode.Tensor | ortWeb.Tensor;

/** Where the last model came from (the report prints it). */
export let lastModelSource: string | null = null;

async function session(runtime: Runtime, bytes: Uint8Array, threads: number): Promise<Session> {
  if (runtime === 'node') {
    return ortNode.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      logSeverityLevel: 3,
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  }
  ortWeb.env.wasm.numThreads = threads;
  return ortWeb.InferenceSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}

function makeTensor(runtime: Runtime, data: Float32Array, dims: number[]): OrtTensor {
  return runtime === 'node' ? new ortNode.Tensor('float32', data, dims) : new ortWeb.Tensor('float32', data, dims);
}

export function ort(runtime: Runtime, threads: number): Contender {
  return {
    id: `ort-${runtime}/${threads}t`,
    label: runtime === 'node' ? 'onnxruntime-node' : 'onnxruntime-web wasm',
    library: runtime === 'node' ? 'onnxruntime-node' : 'onnxruntime-web',
    threads,
    unsupported(w) {
      return w.mode === 'train' ? 'onnxruntime has no training' : null;
    },
    async create(w: Workload, d: GruData): Promise<Instance> {
      const step = w.mode === 'step';
      const withInitialState = step || w.useInitialState;
      const model = onnxGruModel({
        steps: w.seq,
        inputDim: w.inputDim,
        units: w.units,
        resetAfter: d.resetAfter,
        returnSequences: w.returnSequences && !step,
        withInitialState,
        kernel: d.kernel,
        recurrentKernel: d.recurrentKernel,
        bias: d.bias,
      });
      lastModelSource = model.source;
      const s = await session(runtime, model.bytes, threads);
      const [xName, h0Name] = model.inputs as [string, string | undefined];
      const outName = model.output;
      const x = makeTensor(runtime, d.x, [w.batch, w.seq, w.inputDim]);
      const h0 = makeTensor(runtime, d.h0, [w.batch, w.units]);
      let state = h0;
      const call = async (): Promise<Float32Array> => {
        const feeds: Record<string, OrtTensor> = { [xName]: x };
        if (withInitialState) feeds[h0Name!] = step ? state : h0;
        const out = await (s as ortNode.InferenceSession).run(feeds as Record<string, ortNode.Tensor>);
        const y = out[outName]!;
        if (step) state = y;
        return y.data as Float32Array;
      };
      return {
        run: async () => void (await call()),
        async check() {
          state = h0;
          return { output: Float32Array.from(await call()) };
        },
        dispose: () => s.release(),
      };
    },
  };
}
