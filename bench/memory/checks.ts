/**
 * The memory check's workloads. Each runs `count` iterations on the current backend and samples memory ten
 * times (measure.ts); the caller judges the growth.
 *
 *   stream-apply: a stateful GRU (I=32, U=128, as workload P) fed one-step `apply` calls on [1,1,I], a new input
 *                 tensor each step, as a sensor stream would;
 *   stream-step:  the same GRU driven by `step(x [1,I], [h])`, the state passed back in by the caller;
 *   fits:         consecutive `fit` calls (1 epoch, verbose 0) of GRU(8) → Dense(1) on 32 windows of 10 steps;
 *   forwards:     consecutive forward passes of workload L (B=64, T=200, I=128, U=256).
 */
import * as kg from '../../src/index.js';
import { seededUniform } from '../lib/data.js';
import { loadWorkloads } from '../lib/workloads.js';
import { sample, type Sample } from './measure.js';

export interface CheckRun {
  /** What ran, for the report. */
  title: string;
  /** What `Sample.at` counts. */
  unit: string;
  samples: Sample[];
  seconds: number;
}

export type CheckName = 'stream-apply' | 'stream-step' | 'fits' | 'forwards';

const SAMPLES = 10;

/** Runs `iteration(i)` for i = 1..count and samples every count/10 iterations. */
async function sampled(count: number, iteration: (i: number) => void | Promise<void>): Promise<Sample[]> {
  const every = Math.max(1, Math.floor(count / SAMPLES));
  const samples: Sample[] = [];
  for (let i = 1; i <= count; i++) {
    const pending = iteration(i);
    if (pending !== undefined) await pending; // a synchronous iteration stays in one job, as a tight loop does
    if (i % every === 0) samples.push(await sample(i));
  }
  return samples;
}

function workload(name: string): ReturnType<typeof loadWorkloads>['bench'][number] {
  return loadWorkloads().bench.find((w) => w.name === name)!;
}

function finite(t: kg.Tensor, what: string): void {
  if (!Number.isFinite(t.dataSync()[0]!)) throw new Error(`${what} diverged`);
}

async function streamApply(steps: number): Promise<CheckRun> {
  const P = workload('P');
  const rand = seededUniform(P.seed);
  kg.setRandomSeed(P.seed);
  const layer = new kg.GRU({ units: P.units, stateful: true });
  let last: kg.Tensor | null = null;
  const t0 = performance.now();
  const samples = await sampled(steps, () => {
    const x = kg.tensor(
      Float32Array.from({ length: P.inputDim }, () => rand() * 2 - 1),
      [1, 1, P.inputDim],
    );
    last = layer.apply(x) as kg.Tensor;
  });
  finite(last!, 'the apply stream');
  return {
    title: `stream-apply: ${steps} one-step apply calls of a stateful GRU, [1,1,${P.inputDim}] → [1,${P.units}]`,
    unit: 'step',
    samples,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function streamStep(steps: number): Promise<CheckRun> {
  const P = workload('P');
  const rand = seededUniform(P.seed);
  kg.setRandomSeed(P.seed);
  const layer = new kg.GRU({ units: P.units });
  let states = layer.getInitialState(1);
  let output: kg.Tensor | null = null;
  const t0 = performance.now();
  const samples = await sampled(steps, () => {
    const x = kg.tensor(
      Float32Array.from({ length: P.inputDim }, () => rand() * 2 - 1),
      [1, P.inputDim],
    );
    [output, states] = layer.step(x, states);
  });
  finite(output!, 'the step stream');
  return {
    title: `stream-step: ${steps} GRU.step calls, x [1,${P.inputDim}], h [1,${P.units}]`,
    unit: 'step',
    samples,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function fits(calls: number): Promise<CheckRun> {
  const [N, T, U] = [32, 10, 8];
  const rand = seededUniform(21);
  kg.setRandomSeed(21);
  const x = kg.tensor(
    Float32Array.from({ length: N * T }, () => rand() * 2 - 1),
    [N, T, 1],
  );
  const y = kg.tensor(
    Float32Array.from({ length: N }, (_, n) => x.values[n * T + T - 1]! * 0.5),
    [N, 1],
  );
  const model = new kg.Sequential([kg.input({ shape: [T, 1] }), new kg.GRU({ units: U }), new kg.Dense({ units: 1 })]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  let loss = NaN;
  const t0 = performance.now();
  const samples = await sampled(calls, async () => {
    const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    loss = history.history.loss![0]!;
  });
  if (!Number.isFinite(loss)) throw new Error('fit diverged');
  return {
    title: `fits: ${calls} fit calls of GRU(${U}) → Dense(1) on [${N},${T},1], 1 epoch of 4 batches each (last loss ${loss.toFixed(4)})`,
    unit: 'fit',
    samples,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function forwards(calls: number): Promise<CheckRun> {
  const L = workload('L');
  const rand = seededUniform(L.seed);
  kg.setRandomSeed(L.seed);
  const layer = new kg.GRU({ units: L.units, returnSequences: L.returnSequences });
  const x = kg.tensor(
    Float32Array.from({ length: L.batch * L.seq * L.inputDim }, () => rand() * 2 - 1),
    [L.batch, L.seq, L.inputDim],
  );
  const t0 = performance.now();
  const samples = await sampled(calls, () => {
    layer.apply(x);
  });
  return {
    title: `forwards: ${calls} forward passes of L, [${L.batch},${L.seq},${L.inputDim}] → [${L.batch},${L.units}]`,
    unit: 'call',
    samples,
    seconds: (performance.now() - t0) / 1000,
  };
}

export const CHECKS: Readonly<Record<CheckName, (count: number) => Promise<CheckRun>>> = {
  'stream-apply': streamApply,
  'stream-step': streamStep,
  fits,
  forwards,
};
