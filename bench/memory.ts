/**
 * `npm run bench:memory`: keras-gru must not grow memory in long runs. Two checks, each measuring after
 * `global.gc()` (node --expose-gc) at intervals:
 *
 *   stream:   a stateful GRU (I=32, U=128, as workload P) fed 10,000 one-step `apply` calls on [1,1,I], a new
 *             input tensor each step, as a sensor stream would;
 *   forwards: 100 consecutive forward passes of workload L (B=64, T=200, I=128, U=256).
 *
 * Growth = last sample − first sample (taken after the first interval, once caches and JIT are warm), for the
 * JS heap (`heapUsed`, the check the issue names), for typed-array storage (`arrayBuffers`: tensor values live
 * there, so a leaked tensor shows here rather than in heapUsed) and for the WASM kernels' linear memory.
 * Exits 1 if a check grows by more than its limit. `--quick`: 2,000 steps and 20 forwards.
 */
import * as kg from '../src/index.js';
import { kernels } from '../src/backend/wasm/instance.js';
import { seededUniform } from './lib/data.js';
import { loadWorkloads } from './lib/workloads.js';

const quick = process.argv.includes('--quick');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with node --expose-gc (npm run bench:memory does)');
  process.exit(2);
}
const MiB = 2 ** 20;
/** Allowed growth per check: a leak of one [1,128] tensor per step would be ~5 MiB over 10,000 steps. */
const LIMIT = { heapUsed: 1 * MiB, arrayBuffers: 1 * MiB, wasm: 0 };

interface Sample {
  at: number;
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
  wasm: number;
}

function sample(at: number): Sample {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return {
    at,
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
    wasm: kernels()?.exports.memory.buffer.byteLength ?? 0,
  };
}

const mib = (b: number): string => `${(b / MiB).toFixed(2)} MiB`;
const signed = (b: number): string => `${b >= 0 ? '+' : '−'}${mib(Math.abs(b))}`;

function report(name: string, unit: string, samples: Sample[]): boolean {
  console.log(`\n${name}`);
  console.log(
    `${unit.padStart(8)}  ${'heapUsed'.padStart(11)}  ${'arrayBuffers'.padStart(12)}  ${'rss'.padStart(11)}  ${'wasm memory'.padStart(11)}`,
  );
  for (const s of samples) {
    console.log(
      `${String(s.at).padStart(8)}  ${mib(s.heapUsed).padStart(11)}  ${mib(s.arrayBuffers).padStart(12)}  ${mib(s.rss).padStart(11)}  ${mib(s.wasm).padStart(11)}`,
    );
  }
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const growth = {
    heapUsed: last.heapUsed - first.heapUsed,
    arrayBuffers: last.arrayBuffers - first.arrayBuffers,
    wasm: last.wasm - first.wasm,
  };
  const ok =
    growth.heapUsed <= LIMIT.heapUsed && growth.arrayBuffers <= LIMIT.arrayBuffers && growth.wasm <= LIMIT.wasm;
  console.log(
    `growth from ${unit} ${first.at} to ${last.at}: heapUsed ${signed(growth.heapUsed)}, arrayBuffers ${signed(growth.arrayBuffers)}, ` +
      `wasm ${signed(growth.wasm)} (rss ${signed(last.rss - first.rss)}, not judged) → ${ok ? 'OK' : 'GROWS'} ` +
      `(limits: heap ${mib(LIMIT.heapUsed)}, arrayBuffers ${mib(LIMIT.arrayBuffers)}, wasm 0)`,
  );
  return ok;
}

function stream(): boolean {
  const P = loadWorkloads().bench.find((w) => w.name === 'P')!;
  const steps = quick ? 2_000 : 10_000;
  const every = steps / 10;
  const rand = seededUniform(P.seed);
  kg.setRandomSeed(P.seed);
  const layer = new kg.GRU({ units: P.units, stateful: true });
  const samples: Sample[] = [];
  let last: kg.Tensor | null = null;
  for (let i = 1; i <= steps; i++) {
    const x = kg.tensor(
      Float32Array.from({ length: P.inputDim }, () => rand() * 2 - 1),
      [1, 1, P.inputDim],
    );
    last = layer.apply(x) as kg.Tensor;
    if (i % every === 0) samples.push(sample(i));
  }
  if (!Number.isFinite(last!.dataSync()[0]!)) throw new Error('the stream diverged');
  return report(
    `stream: ${steps} one-step apply calls of a stateful GRU, [1,1,${P.inputDim}] → [1,${P.units}]`,
    'step',
    samples,
  );
}

function forwards(): boolean {
  const L = loadWorkloads().bench.find((w) => w.name === 'L')!;
  const calls = quick ? 20 : 100;
  const every = calls / 10;
  const rand = seededUniform(L.seed);
  kg.setRandomSeed(L.seed);
  const layer = new kg.GRU({ units: L.units, returnSequences: L.returnSequences });
  const x = kg.tensor(
    Float32Array.from({ length: L.batch * L.seq * L.inputDim }, () => rand() * 2 - 1),
    [L.batch, L.seq, L.inputDim],
  );
  const samples: Sample[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= calls; i++) {
    layer.apply(x);
    if (i % every === 0) samples.push(sample(i));
  }
  const seconds = (performance.now() - t0) / 1000;
  return report(
    `forwards: ${calls} forward passes of L, [${L.batch},${L.seq},${L.inputDim}] → [${L.batch},${L.units}] (${seconds.toFixed(0)} s)`,
    'call',
    samples,
  );
}

console.log(
  `keras-gru memory check${quick ? ' (quick)' : ''}: backend ${kg.getBackend().name}; Node ${process.version}`,
);
const ok = [stream(), forwards()].every(Boolean);
console.log(`\n${ok ? 'no growth: OK' : 'memory GROWS'}`);
process.exit(ok ? 0 : 1);
