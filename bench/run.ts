/**
 * `npm run bench`: keras-gru against TensorFlow.js (cpu, wasm) and onnxruntime (node, web) on the workloads of
 * the "Fast" issue, side by side in one run, as ratios. See bench/README.md.
 *
 *   npm run bench                      all workloads, table on stdout
 *   npm run bench -- --only S,M        some workloads
 *   npm run bench -- --quick           smoke run: few repetitions, slow contenders skipped on L
 *   npm run bench -- --json            JSON on stdout and in bench/results/latest.json (table on stderr)
 *
 * For each workload and reset convention: every contender's result on the shared seeded data is compared
 * with keras-gru's (wasm, 1 thread); a contender that disagrees (> 1e-4 abs) is reported, not timed. Then
 * warm-up and the workload's fixed repetitions run round-robin, one call of each contender per repetition.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { kerasGru, kerasSetThreads } from './contenders/keras-gru.js';
import { ort, lastModelSource } from './contenders/ort.js';
import { tfjs, tfjsFacts } from './contenders/tfjs.js';
import type { CheckResults, Contender, Instance } from './contenders/types.js';
import { makeData } from './lib/data.js';
import {
  crossCheckTable,
  sectionTable,
  targetsTable,
  versusOrtTable,
  type CrossCheckCase,
  type Row,
  type Section,
  type TargetResult,
} from './lib/report.js';
import { duration, sci } from './lib/format.js';
import { load, machine, revision } from './lib/machine.js';
import { maxAbsDiff, median, min } from './lib/stats.js';
import { flops, loadWorkloads, type Workload } from './lib/workloads.js';
import { nativeInstructionSet } from '../src/backend/native/index.js';
import { kernels } from '../src/backend/wasm/instance.js';

const TOLERANCE = 1e-4;
/** Streaming steps per round-robin turn (see runSection). */
const BURST = 10;

// ---- options ----
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const value = (name: string): string | null => {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return null;
  return argv[i]!.includes('=') ? argv[i]!.split('=')[1]! : (argv[i + 1] ?? null);
};
const quick = flag('--quick');
const json = flag('--json');
const only =
  value('--only')
    ?.split(',')
    .map((s) => s.trim().toUpperCase()) ?? null;
/** `--with a,b`: only contenders whose id contains one of these (keras-gru wasm 1t, the baseline, always runs). */
const chosen =
  value('--with')
    ?.split(',')
    .map((s) => s.trim()) ?? null;
/** Time a slow contender for at most about this long per workload (its repetitions are capped, and reported). */
const BUDGET_MS = quick ? 1_000 : 6_000;

/** Human output: stdout, or stderr when stdout carries the JSON. */
const say = (s = ''): void => void (json ? process.stderr : process.stdout).write(`${s}\n`);
/** A transient status line on a terminal; nothing when stderr is a file or a pipe. */
const progress = (s: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K  … ${s}`);
};
const clearProgress = (): void => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
};

/** The targets for keras-gru (reset_after=true, the Keras default), ms by thread count. */
const TARGETS: Record<string, Record<number, number>> = {
  S: { 1: 0.2 },
  M: { 1: 16, 2: 9 },
  L: { 1: 300, 2: 160 },
  T: { 1: 30 },
  P: { 1: 0.01 },
};

// ---- contenders ----
const setThreads = kerasSetThreads();
const ALL_CONTENDERS: Contender[] = [
  kerasGru('wasm', 1),
  ...(setThreads !== null ? [kerasGru('wasm', 2)] : []),
  kerasGru('wasm', 1, 'step'),
  kerasGru('native', 1),
  kerasGru('native', 2),
  kerasGru('native', 1, 'step'),
  kerasGru('reference', 1),
  tfjs('cpu', 'ops'),
  tfjs('wasm', 'ops'),
  tfjs('cpu', 'layers'),
  tfjs('wasm', 'layers'),
  ort('node', 1),
  ort('node', 2),
  ort('web', 1),
];
const BASELINE = 'keras-gru/wasm/1t';
const CONTENDERS = ALL_CONTENDERS.filter(
  (c) => c.id === BASELINE || chosen === null || chosen.some((s) => c.id.includes(s)),
);

/** Contenders left out of a workload by policy (too slow to be worth minutes), with the reason. */
function policySkip(c: Contender, w: Workload): string | null {
  const slow = c.id.startsWith('keras-gru/reference') || c.id.startsWith('tfjs-cpu');
  if (w.name === 'L' && slow) return 'skipped on L: tens of seconds per call (see M for its speed)';
  if (quick && slow && w.mode !== 'step' && w.name !== 'S') return 'skipped with --quick';
  if (quick && w.name === 'L' && c.id.startsWith('tfjs-')) return 'skipped with --quick';
  return null;
}

function emptyRow(c: Contender, status: Row['status'], note: string | null): Row {
  return {
    id: c.id,
    label: c.label,
    library: c.library,
    threads: c.threads,
    status,
    note,
    maxAbsDiff: null,
    diffs: null,
    warmup: 0,
    reps: 0,
    samplesMs: [],
    minMs: null,
    medianMs: null,
    gflops: null,
    speedupMedian: null,
    speedupMin: null,
    vs: null,
  };
}

function compare(mine: CheckResults, base: CheckResults): { max: number; diffs: Record<string, number> } {
  const diffs: Record<string, number> = {};
  let max = 0;
  for (const [name, values] of Object.entries(base)) {
    const d = mine[name] === undefined ? Infinity : maxAbsDiff(mine[name]!, values);
    diffs[name] = d;
    max = Math.max(max, d);
  }
  return { max, diffs };
}

const errorText = (e: unknown): string =>
  (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]!.slice(0, 160);

async function timedCall(inst: Instance): Promise<number> {
  const entered = inst.enter?.();
  if (entered instanceof Promise) await entered;
  const t0 = performance.now();
  const r = inst.run();
  if (r instanceof Promise) await r;
  return performance.now() - t0;
}

/** One workload under one reset convention: check every contender, then time those that agree. */
async function runSection(w: Workload, resetAfter: boolean): Promise<Section> {
  const data = makeData(w, resetAfter);
  const rows: Row[] = [];
  const live: { c: Contender; inst: Instance; row: Row }[] = [];
  let base: CheckResults | null = null;
  for (const c of CONTENDERS) {
    const why = c.unsupported(w, resetAfter) ?? policySkip(c, w);
    if (why !== null) {
      if (!(c.id.endsWith('/step') && w.mode !== 'step'))
        rows.push(emptyRow(c, why.startsWith('skipped') ? 'skipped' : 'n/a', why));
      continue;
    }
    progress(`${w.name} reset_after=${resetAfter}: checking ${c.label} (${c.threads}t)`);
    const row = emptyRow(c, 'timed', null);
    rows.push(row);
    try {
      const inst = await c.create(w, data);
      const entered = inst.enter?.();
      if (entered instanceof Promise) await entered;
      const result = await inst.check();
      if (c.id === BASELINE) base = result;
      if (base === null) throw new Error(`no baseline: ${BASELINE} did not run`);
      const { max, diffs } = compare(result, base);
      row.maxAbsDiff = max;
      row.diffs = diffs;
      if (!(max <= TOLERANCE)) {
        row.status = 'disagrees';
        row.note = `disagrees with keras-gru: max |diff| ${sci(max)} > ${sci(TOLERANCE)}; not timed`;
        await inst.dispose();
        continue;
      }
      live.push({ c, inst, row });
    } catch (e) {
      row.status = 'error';
      row.note = errorText(e);
    }
  }

  // Warm-up, round-robin too. The warm-up calls are timed to cap the repetitions of slow contenders at about
  // BUDGET_MS (a contender slower than 1 s per call warms up once).
  const warmup = Math.max(1, quick ? Math.min(w.warmup, 2) : w.warmup);
  const reps = quick ? Math.max(3, Math.min(w.reps, w.mode === 'step' ? 200 : 3)) : w.reps;
  const warmupMs = new Map<Instance, number[]>(live.map((l) => [l.inst, []]));
  for (let i = 0; i < warmup; i++) {
    for (const l of live) {
      const times = warmupMs.get(l.inst)!;
      if (i > 0 && (times[0]! > 1000 || times.reduce((a, b) => a + b, 0) > BUDGET_MS / 2)) continue;
      progress(`${w.name} reset_after=${resetAfter}: warming up ${l.c.label} (${l.c.threads}t)`);
      times.push(await timedCall(l.inst));
    }
  }
  for (const l of live) {
    const times = warmupMs.get(l.inst)!;
    const estimate = Math.min(...times);
    l.row.warmup = times.length;
    l.row.reps = Math.max(1, Math.min(reps, Math.floor(BUDGET_MS / estimate)));
    if (l.row.reps < reps) l.row.note = `repetitions capped at ${l.row.reps} (${duration(estimate)} per call)`;
  }

  // Repetitions, round-robin; the starting contender rotates so that none always follows the same one. A
  // streaming step takes its turn as a burst of BURST consecutive steps (each timed alone), as steps come in a
  // stream: one step right after another library's call would be timed with that library's data in the caches.
  const burst = w.mode === 'step' ? BURST : 1;
  for (let r = 0; r < reps; r += burst) {
    progress(`${w.name} reset_after=${resetAfter}: repetition ${r + 1}/${reps}`);
    for (let j = 0; j < live.length; j++) {
      const l = live[((j + r / burst) | 0) % live.length]!;
      // Samples kept at 0.1 µs resolution (performance.now()'s is about that).
      for (let b = r; b < Math.min(r + burst, l.row.reps); b++)
        l.row.samplesMs.push(Math.round((await timedCall(l.inst)) * 1e4) / 1e4);
    }
  }
  for (const l of live) await l.inst.dispose();
  clearProgress();

  const f = flops(w);
  for (const row of rows) {
    if (row.status !== 'timed' || row.samplesMs.length === 0) continue;
    row.minMs = min(row.samplesMs);
    row.medianMs = median(row.samplesMs);
    row.gflops = f / (row.medianMs * 1e6);
  }
  const keras = (threads: number): Row | undefined =>
    rows.find((r) => r.id === `keras-gru/wasm/${threads}t` && r.medianMs !== null) ??
    rows.find((r) => r.id === BASELINE && r.medianMs !== null);
  for (const row of rows) {
    if (row.library === 'keras-gru' || row.medianMs === null) continue;
    const k = keras(row.threads);
    if (k === undefined) continue;
    row.vs = k.id;
    row.speedupMedian = row.medianMs / k.medianMs!;
    row.speedupMin = row.minMs! / k.minMs!;
  }
  const targets: TargetResult[] = [];
  if (resetAfter && TARGETS[w.name] !== undefined) {
    for (const [t, targetMs] of Object.entries(TARGETS[w.name]!)) {
      const threads = Number(t);
      const k = rows.find((r) => r.id === `keras-gru/wasm/${threads}t`);
      const m = k?.medianMs ?? null;
      targets.push({
        workload: w.name,
        threads,
        targetMs,
        medianMs: m,
        minMs: k?.minMs ?? null,
        met: m === null ? null : m <= targetMs,
        ofTarget: m === null ? null : m / targetMs,
      });
    }
  }
  return { workload: w, resetAfter, flops: f, rows, targets };
}

/** The cross-check cases: correctness only (every step's output, with and without an initial state). */
async function crossCheck(cases: Workload[]): Promise<CrossCheckCase[]> {
  const out: CrossCheckCase[] = [];
  for (const w of cases) {
    for (const resetAfter of [true, false]) {
      progress(`cross-check ${w.name} reset_after=${resetAfter}`);
      const data = makeData(w, resetAfter);
      let base: CheckResults | null = null;
      const rows: CrossCheckCase['rows'] = [];
      for (const c of CONTENDERS) {
        if (c.unsupported(w, resetAfter) !== null || c.id.endsWith('/step') || c.threads > 1) continue;
        try {
          const inst = await c.create(w, data);
          const entered = inst.enter?.();
          if (entered instanceof Promise) await entered;
          const result = await inst.check();
          await inst.dispose();
          if (c.id === BASELINE) base = result;
          const d = base === null ? null : compare(result, base).max;
          rows.push({
            id: c.id,
            label: c.label,
            threads: c.threads,
            maxAbsDiff: d,
            note: d !== null && !(d <= TOLERANCE) ? 'DISAGREES' : null,
          });
        } catch (e) {
          rows.push({ id: c.id, label: c.label, threads: c.threads, maxAbsDiff: null, note: errorText(e) });
        }
      }
      out.push({ case: w.name, resetAfter, rows });
    }
  }
  clearProgress();
  return out;
}

async function main(): Promise<void> {
  const m = machine();
  const k = kernels();
  const started = new Date();
  const { bench, crosscheck } = loadWorkloads();
  const workloads = bench.filter((w) => only === null || only.includes(w.name));
  say(`keras-gru benchmark — ${started.toISOString()}${quick ? ' — QUICK (smoke run, not for quoting)' : ''}`);
  say(`machine: ${m.cpu}; ${m.cores} cores; ${m.memoryGiB} GiB; Node ${m.node} (V8 ${m.v8}); ${m.platform}`);
  const rev = revision();
  say(`keras-gru: ${rev}`);
  const loadAtStart = load();
  say(
    `load average (1 min) at start: ${loadAtStart.toFixed(2)}${loadAtStart > 0.5 ? ' — the machine is busy: expect noisy timings' : ''}`,
  );
  say(
    `keras-gru wasm kernels: ${k === null ? 'unavailable' : k.relaxed ? 'relaxed SIMD (FMA)' : 'SIMD128'}; threads: ${setThreads === null ? '1 (no setThreads in this version)' : '1 and 2 (setThreads)'}`,
  );
  const isa = nativeInstructionSet();
  say(`keras-gru native kernels: ${isa === null ? 'addon not built (npm run build:native)' : isa}`);
  const peers = `${await tfjsFacts()}; onnxruntime-node/web ${(await import('onnxruntime-node')).env.versions.node}`;
  say(`peers: ${peers}`);
  say(
    `speed-up = peer median / keras-gru median (> 1: keras-gru faster), against keras-gru wasm with the same thread count and reset convention`,
  );

  say("\nCorrectness cross-check (max |diff| from keras-gru wasm, every step's output; tolerance 1e-4):");
  const cc = await crossCheck(crosscheck);
  say(crossCheckTable(cc, BASELINE));

  const sections: Section[] = [];
  for (const w of workloads) {
    for (const resetAfter of [true, false]) {
      const s = await runSection(w, resetAfter);
      sections.push(s);
      say(sectionTable(s, BASELINE));
    }
  }
  say(`\nONNX model: ${lastModelSource ?? 'not built'}`);
  const loadAtEnd = load();
  say(
    `load average (1 min) at end: ${loadAtEnd.toFixed(2)}; ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s in all`,
  );

  say('\nkeras-gru against onnxruntime-node at equal threads (ORT median / keras-gru median; > 1: keras-gru faster):');
  say(versusOrtTable(sections));

  const targets = sections.flatMap((s) => s.targets);
  if (targets.length > 0) {
    say('\nTargets of the "Fast" issue (keras-gru wasm, reset_after=true, median):');
    say(targetsTable(targets, setThreads !== null));
  }

  if (json) {
    const report = {
      startedAt: started.toISOString(),
      seconds: (Date.now() - started.getTime()) / 1000,
      quick,
      machine: m,
      revision: rev,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      kerasGru: {
        kernels: k === null ? null : k.relaxed ? 'relaxed-simd' : 'simd128',
        setThreads: setThreads !== null,
        native: isa,
      },
      peers,
      onnxModel: lastModelSource,
      tolerance: TOLERANCE,
      crosscheck: cc,
      sections: sections.map((s) => ({
        workload: s.workload,
        resetAfter: s.resetAfter,
        flops: s.flops,
        rows: s.rows,
        targets: s.targets,
      })),
      targets,
    };
    const text = JSON.stringify(
      report,
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      2,
    );
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/latest.json', import.meta.url), `${text}\n`);
    process.stdout.write(`${text}\n`);
  }
}

await main();
