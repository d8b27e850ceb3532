/**
 * The benchmark's results and their tables: one table per workload and reset convention, the cross-check
 * table, and the targets. The JSON report (--json) holds the same objects.
 */
import { duration, flopsText, ratio, sci, table } from './format.js';
import { describe, type Workload } from './workloads.js';

export interface Row {
  id: string;
  label: string;
  library: string;
  threads: number;
  status: 'timed' | 'disagrees' | 'n/a' | 'skipped' | 'error';
  note: string | null;
  /** Largest |difference| from keras-gru's result over every checked value, and per named result. */
  maxAbsDiff: number | null;
  diffs: Record<string, number> | null;
  warmup: number;
  reps: number;
  samplesMs: number[];
  minMs: number | null;
  medianMs: number | null;
  gflops: number | null;
  /** Peer median / keras-gru median (> 1: keras-gru faster), and the same for minima; `vs` names keras-gru's row. */
  speedupMedian: number | null;
  speedupMin: number | null;
  vs: string | null;
}

export interface Section {
  workload: Workload;
  resetAfter: boolean;
  flops: number;
  rows: Row[];
  targets: TargetResult[];
}

export interface TargetResult {
  workload: string;
  threads: number;
  targetMs: number;
  medianMs: number | null;
  minMs: number | null;
  met: boolean | null;
  /** keras-gru median / target (≤ 1 met). */
  ofTarget: number | null;
}

export interface CrossCheckCase {
  case: string;
  resetAfter: boolean;
  rows: { id: string; label: string; threads: number; maxAbsDiff: number | null; note: string | null }[];
}

/** One workload under one reset convention; `baseline` is keras-gru's reference row id. */
export function sectionTable(s: Section, baseline: string): string {
  const w = s.workload;
  const title = `\n${describe(w)}  —  reset_after=${s.resetAfter}${s.resetAfter ? ' (Keras 3 default)' : ''}  —  ${flopsText(s.flops)} per call (matmul)`;
  const rows = s.rows.map((r) => {
    const target = s.targets.find((t) => r.id === `keras-gru/wasm/${t.threads}t`);
    const timed = r.medianMs !== null;
    const speed =
      r.library === 'keras-gru'
        ? r.id === baseline
          ? 'baseline'
          : ''
        : timed
          ? `${ratio(r.speedupMedian!)} (min ${ratio(r.speedupMin!)})`
          : '';
    const vsNote =
      r.vs !== null && r.vs !== `keras-gru/wasm/${r.threads}t` ? ` vs ${r.vs.replace('keras-gru/wasm/', '')}` : '';
    const targetText =
      target === undefined
        ? ''
        : `target ≤ ${duration(target.targetMs)}: ${target.met === null ? '—' : target.met ? 'met' : 'MISSED'} (${ratio(target.ofTarget ?? NaN)} of it)`;
    return [
      r.label,
      String(r.threads),
      r.id === baseline ? 'ref' : r.maxAbsDiff === null ? '' : sci(r.maxAbsDiff),
      timed ? `${r.warmup}+${r.samplesMs.length}` : '',
      timed ? duration(r.minMs!) : '',
      timed ? duration(r.medianMs!) : '',
      timed ? r.gflops!.toFixed(2) : '',
      speed + vsNote,
      [r.status === 'timed' ? '' : r.status, targetText, r.note ?? ''].filter((x) => x !== '').join('; '),
    ];
  });
  return `${title}\n${table(
    ['contender', 'thr', 'max|diff|', 'warm+reps', 'min', 'median', 'GFLOP/s', 'keras-gru speed-up', 'notes'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  )}`;
}

/** Cases down, contenders across: max |diff| from keras-gru; errors listed below the table. */
export function crossCheckTable(cc: CrossCheckCase[], baseline: string): string {
  const columns = [...new Map(cc.flatMap((c) => c.rows.map((r) => [r.id, r.label] as const))).entries()];
  const text = table(
    ['case', 'reset_after', ...columns.map(([, label]) => label)],
    cc.map((c) => [
      c.case,
      String(c.resetAfter),
      ...columns.map(([id]) => {
        const r = c.rows.find((x) => x.id === id);
        if (r === undefined) return 'n/a';
        if (id === baseline) return 'ref';
        return r.maxAbsDiff === null ? 'error' : `${sci(r.maxAbsDiff)}${r.note !== null ? ' DISAGREES' : ''}`;
      }),
    ]),
    ['l', 'l', ...columns.map(() => 'r' as const)],
  );
  const errors = cc.flatMap((c) =>
    c.rows
      .filter((r) => r.maxAbsDiff === null)
      .map((r) => `  ${c.case} reset_after=${c.resetAfter} ${r.label}: ${r.note}`),
  );
  return [text, ...errors].join('\n');
}

export function targetsTable(targets: TargetResult[], hasSetThreads: boolean): string {
  return table(
    ['workload', 'threads', 'target', 'median', 'min', 'status (median)', 'best case (min)'],
    targets.map((t) => [
      t.workload,
      String(t.threads),
      duration(t.targetMs),
      t.medianMs === null ? '—' : duration(t.medianMs),
      t.minMs === null ? '—' : duration(t.minMs),
      t.met === null
        ? t.threads > 1 && !hasSetThreads
          ? 'not measured (no setThreads)'
          : 'not measured'
        : `${t.met ? 'met' : 'MISSED'}: ${ratio(t.ofTarget!)} of target`,
      t.minMs === null ? '' : `${t.minMs <= t.targetMs ? 'met' : 'missed'}: ${ratio(t.minMs / t.targetMs)}`,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l', 'l'],
  );
}

/**
 * Per workload, reset convention and thread count: keras-gru's medians (wasm, native) and onnxruntime-node's,
 * and ORT median / keras-gru median (> 1: keras-gru faster). P compares the stateful layer's `apply`.
 */
export function versusOrtTable(sections: Section[]): string {
  const median = (s: Section, id: string): number | null => s.rows.find((r) => r.id === id)?.medianMs ?? null;
  const rows: string[][] = [];
  for (const s of sections) {
    for (const threads of [1, 2]) {
      const ortMs = median(s, `ort-node/${threads}t`);
      const wasm = median(s, `keras-gru/wasm/${threads}t`);
      const native = median(s, `keras-gru/native/${threads}t`);
      if (ortMs === null && wasm === null && native === null) continue;
      const of = (ms: number | null): string => (ms === null || ortMs === null ? '—' : ratio(ortMs / ms));
      const ms = (x: number | null): string => (x === null ? '—' : duration(x));
      rows.push([
        s.workload.name,
        String(s.resetAfter),
        String(threads),
        ms(ortMs),
        ms(wasm),
        of(wasm),
        ms(native),
        of(native),
      ]);
    }
  }
  return table(['workload', 'reset_after', 'thr', 'ORT node', 'wasm', 'wasm vs ORT', 'native', 'native vs ORT'], rows, [
    'l',
    'l',
    'r',
    'r',
    'r',
    'r',
    'r',
    'r',
  ]);
}
