/**
 * Per-op kernel timings, reference vs wasm at 1 and more threads, for the workloads of the "Fast" issue (not a
 * test; the side-by-side benchmark against other libraries lives elsewhere). Each contender runs interleaved
 * with fixed iteration counts; the minimum per call is reported.
 * Usage: `npx tsx scripts/time-kernels.ts [--quick] [--threads=1,2] [S M L P T ...]`.
 */
import { sigmoidFn, tanhFn } from '../src/activations/elementwise.js';
import type { Backend, GruSequenceArgs } from '../src/backend/backend.js';
import { referenceBackend } from '../src/backend/reference/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { requestThreads } from '../src/backend/thread-count.js';
import { setThreads } from '../src/backend/threads.js';
import { kernels } from '../src/backend/wasm/instance.js';
import { wasmState } from '../src/backend/wasm/state.js';
import { Random } from '../src/random/rng.js';

interface Workload {
  name: string;
  what: string;
  B: number;
  T: number;
  I: number;
  U: number;
  returnSequences: boolean;
  train: boolean;
  /** ms by thread count. */
  targetMs: Record<number, number>;
}

const WORKLOADS: Workload[] = [
  {
    name: 'S',
    what: 'forward, last state',
    B: 1,
    T: 100,
    I: 32,
    U: 64,
    returnSequences: false,
    train: false,
    targetMs: { 1: 0.2 },
  },
  {
    name: 'M',
    what: 'forward, sequences',
    B: 32,
    T: 100,
    I: 64,
    U: 128,
    returnSequences: true,
    train: false,
    targetMs: { 1: 16, 2: 9 },
  },
  {
    name: 'L',
    what: 'forward, sequences',
    B: 64,
    T: 200,
    I: 128,
    U: 256,
    returnSequences: true,
    train: false,
    targetMs: { 1: 300, 2: 160 },
  },
  {
    name: 'P',
    what: 'one streaming step',
    B: 1,
    T: 1,
    I: 32,
    U: 128,
    returnSequences: false,
    train: false,
    targetMs: { 1: 0.01 },
  },
  {
    name: 'T',
    what: 'train step (fwd+bwd)',
    B: 32,
    T: 50,
    I: 32,
    U: 128,
    returnSequences: true,
    train: true,
    targetMs: { 1: 30 },
  },
];

function args(w: Workload, rng: Random): GruSequenceArgs {
  const fill = (n: number, scale: number): Float32Array =>
    Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
  const G = 3 * w.U;
  return {
    batch: w.B,
    steps: w.T,
    inputDim: w.I,
    units: w.U,
    x: fill(w.B * w.T * w.I, 1),
    kernel: fill(w.I * G, Math.sqrt(6 / (w.I + G))),
    recurrentKernel: fill(w.U * G, Math.sqrt(3 / w.U)),
    inputBias: fill(G, 0.1),
    recurrentBias: fill(G, 0.1),
    h0: new Float32Array(w.B * w.U),
    mask: null,
    resetAfter: true,
    goBackwards: false,
    returnSequences: w.returnSequences,
    zeroOutputForMask: false,
    activation: { name: 'tanh', fn: tanhFn.f, df: tanhFn.df },
    recurrentActivation: { name: 'sigmoid', fn: sigmoidFn.f, df: sigmoidFn.df },
    saveForBackward: w.train,
  };
}

function runOnce(backend: Backend, a: GruSequenceArgs, w: Workload, grads: { dOutputs: Float32Array }): void {
  const r = backend.gruSequence(a);
  if (w.train)
    backend.gruSequenceBackward({
      forward: a,
      cache: r.cache!,
      dOutputs: grads.dOutputs,
      dLastOutput: null,
      dState: null,
    });
}

/**
 * Minimum ms per call: `reps` calls per round (chosen so a round takes about `roundMs`), many short rounds,
 * so rounds that the OS interrupted do not count.
 */
function calibrate(fn: () => void, roundMs: number): number {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 > roundMs || reps >= 1 << 20) return reps;
    reps *= 2;
  }
}

function time(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

const quick = process.argv.includes('--quick');
const threadsArg = process.argv.find((a) => a.startsWith('--threads='));
const threadCounts = (threadsArg?.slice('--threads='.length) ?? '1,2').split(',').map(Number);
const chosen = process.argv.slice(2).filter((s) => !s.startsWith('--'));
const k = kernels();
console.log(
  `wasm kernels: ${k === null ? 'unavailable' : k.relaxed ? 'relaxed SIMD (FMA)' : 'SIMD128'}${k?.shared ? ', shared memory' : ''}; node ${process.version}`,
);
const header = [
  'workload'.padEnd(44),
  'reference ms'.padStart(12),
  ...threadCounts.map((t) => `wasm ${t}t ms`.padStart(11)),
];
console.log(`${header.join(' ')}   ratio ref/wasm 1t, speed-up by threads, vs target`);
for (const w of WORKLOADS) {
  if (chosen.length > 0 && !chosen.includes(w.name)) continue;
  const rng = new Random(1);
  const a = args(w, rng);
  const grads = { dOutputs: Float32Array.from({ length: w.B * w.T * w.U }, () => rng.uniform() - 0.5) };
  const flops = 2 * w.B * w.T * 3 * w.U * (w.I + w.U) * (w.train ? 3 : 1);
  const wasmAt = threadCounts.map((t) => () => {
    requestThreads(t); // the count only: the workers are started below, outside the timing
    runOnce(wasmBackend, a, w, grads);
  });
  await setThreads(Math.max(...threadCounts));
  for (const run of wasmAt) run(); // warm up: pack weights
  await wasmState()?.pool.settled();
  const wasmReps = wasmAt.map((run) => calibrate(run, 5));
  const refReps = calibrate(() => runOnce(referenceBackend, a, w, grads), 5);
  const rounds = quick ? 3 : w.name === 'L' ? 5 : 30;
  let ref = Infinity;
  const wasm = threadCounts.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    // The reference is slow: a few rounds of it are enough for a ratio.
    if (r < 3)
      ref = Math.min(
        ref,
        time(() => runOnce(referenceBackend, a, w, grads), refReps),
      );
    wasmAt.forEach((run, i) => (wasm[i] = Math.min(wasm[i]!, time(run, wasmReps[i]!))));
  }
  const label = `${w.name} B${w.B} T${w.T} I${w.I} U${w.U} ${w.what}`.padEnd(44);
  const notes = threadCounts.map((t, i) => {
    const target = w.targetMs[t];
    const speedUp = i > 0 ? ` ×${(wasm[0]! / wasm[i]!).toFixed(2)}` : '';
    const vs = target === undefined ? '' : `, ${(wasm[i]! / target).toFixed(2)}× target ${target}`;
    return `${t}t${speedUp} (${(flops / (wasm[i]! * 1e6)).toFixed(1)} GFLOP/s${vs})`;
  });
  console.log(
    `${label} ${ref.toFixed(3).padStart(12)} ${wasm.map((m) => m.toFixed(4).padStart(11)).join(' ')}   ${(ref / wasm[0]!).toFixed(1)}; ${notes.join('; ')}`,
  );
}
await setThreads(1);
