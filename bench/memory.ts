/**
 * `npm run bench:memory`: keras-gru must not grow memory in long runs. On each fast backend (wasm, and native
 * where its addon is built; the reference backend is too slow for a million steps) it runs
 *
 *   stream-apply  1,000,000 one-step `apply` calls of a stateful GRU (I=32, U=128)
 *   stream-step   1,000,000 `GRU.step` calls, the state passed back in
 *   fits          1,000 `fit` calls of GRU(8) → Dense(1), 1 epoch each
 *   forwards      100 forward passes of workload L (B=64, T=200, I=128, U=256)
 *
 * with its threads started first, and checks the growth of the JS heap, typed-array storage, the WASM memory (size and live blocks) and the
 * native addon's heap against the limits in memory/measure.ts; exits 1 if any check grows.
 *
 *   --quick              20,000 steps, 50 fits, 20 forwards
 *   --backend wasm,...   only these backends
 *   --check fits,...     only these checks
 */
import { availableParallelism } from 'node:os';
import * as kg from '../src/index.js';
import { CHECKS, type CheckName } from './memory/checks.js';
import { LIMITS, MEASURES, mib, report, signed, type Growth } from './memory/measure.js';

const COUNTS: Readonly<Record<'full' | 'quick', Readonly<Record<CheckName, number>>>> = {
  full: { 'stream-apply': 1_000_000, 'stream-step': 1_000_000, fits: 1_000, forwards: 100 },
  quick: { 'stream-apply': 20_000, 'stream-step': 20_000, fits: 50, forwards: 20 },
};

function listArg(flag: string): string[] | null {
  const i = process.argv.indexOf(flag);
  return i < 0 ? null : (process.argv[i + 1] ?? '').split(',').filter((s) => s !== '');
}

/** The backends that run their own kernels here. */
function fastBackends(): string[] {
  const found: string[] = [];
  for (const name of ['wasm', 'native']) {
    kg.setBackend(name);
    if (kg.getBackend().name === name) found.push(name);
  }
  return found;
}

interface Row {
  backend: string;
  check: CheckName;
  count: number;
  seconds: number;
  growth: Growth;
  ok: boolean;
}

async function main(): Promise<boolean> {
  const quick = process.argv.includes('--quick');
  const counts = COUNTS[quick ? 'quick' : 'full'];
  const backends = listArg('--backend') ?? fastBackends();
  const checks = (listArg('--check') ?? Object.keys(CHECKS)) as CheckName[];
  for (const c of checks)
    if (!(c in CHECKS)) throw new Error(`unknown check '${c}' (${Object.keys(CHECKS).join(', ')})`);
  console.log(
    `keras-gru memory check${quick ? ' (quick)' : ''}: backends ${backends.join(', ')}; Node ${process.version}; ` +
      `limits: ${MEASURES.map((m) => `${m} ${mib(LIMITS[m])}`).join(', ')}`,
  );
  const started = performance.now();
  const rows: Row[] = [];
  for (const backend of backends) {
    kg.setBackend(backend);
    if (kg.getBackend().name !== backend) throw new Error(`backend '${backend}' does not run its own kernels here`);
    // Every core, as by default, but started before the first call: otherwise the first calls run on fewer
    // threads and the WASM workspace grows once more when the workers join (warm-up, not a leak).
    const threads = await kg.setThreads(availableParallelism());
    console.log(`\n[${backend}] ${threads} thread(s)`);
    for (const check of checks) {
      const run = await CHECKS[check](counts[check]);
      const { growth, ok } = report(`[${backend}] ${run.title} (${run.seconds.toFixed(1)} s)`, run.unit, run.samples);
      rows.push({ backend, check, count: counts[check], seconds: run.seconds, growth, ok });
    }
  }
  const wall = (performance.now() - started) / 1000;
  console.log('\nsummary (growth from the first sample to the last)');
  console.log(
    [
      'backend'.padEnd(8),
      'check'.padEnd(13),
      'count'.padStart(9),
      'time'.padStart(8),
      ...MEASURES.map((m) => m.padStart(12)),
      'rss'.padStart(12),
      '',
    ].join(' '),
  );
  for (const r of rows) {
    console.log(
      [
        r.backend.padEnd(8),
        r.check.padEnd(13),
        String(r.count).padStart(9),
        `${r.seconds.toFixed(1)} s`.padStart(8),
        ...MEASURES.map((m) => signed(r.growth[m]).padStart(12)),
        signed(r.growth.rss).padStart(12),
        r.ok ? 'OK' : 'GROWS',
      ].join(' '),
    );
  }
  const ok = rows.every((r) => r.ok);
  console.log(`\n${ok ? 'no growth: OK' : 'memory GROWS'} (${wall.toFixed(0)} s)`);
  return ok;
}

process.exit((await main()) ? 0 : 1);
