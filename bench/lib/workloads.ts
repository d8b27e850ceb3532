/**
 * The workloads of the "Fast" issue, read from bench/workloads.json (vendored from shared/bench/workloads.json),
 * and their FLOP counts: matrix products only, as the file's _comment says.
 */
import { readFileSync } from 'node:fs';

export type Mode = 'forward' | 'train' | 'step';

export interface Workload {
  name: string;
  mode: Mode;
  batch: number;
  seq: number;
  inputDim: number;
  units: number;
  returnSequences: boolean;
  /** Start from a seeded non-zero state instead of zeros. */
  useInitialState: boolean;
  seed: number;
  warmup: number;
  reps: number;
}

interface WorkloadFile {
  crosscheck: {
    name: string;
    batch: number;
    seq: number;
    inputDim: number;
    units: number;
    useInitialState: boolean;
    seed: number;
  }[];
  bench: Omit<Workload, 'useInitialState'>[];
}

export function loadWorkloads(): { bench: Workload[]; crosscheck: Workload[] } {
  const file = JSON.parse(readFileSync(new URL('../workloads.json', import.meta.url), 'utf8')) as WorkloadFile;
  return {
    bench: file.bench.map((w) => ({ ...w, useInitialState: false })),
    // Cross-check cases: correctness only, every step's output compared.
    crosscheck: file.crosscheck.map((c) => ({ ...c, mode: 'forward', returnSequences: true, warmup: 0, reps: 0 })),
  };
}

/**
 * Matmul FLOPs: per time step per batch row 2·I·3U + 2·U·3U forward; a train step counts 3× the forward
 * (the forward GEMMs and two backward GEMMs) and ignores Dense(1).
 */
export function flops(w: Workload): number {
  const forward = w.batch * w.seq * (2 * w.inputDim * 3 * w.units + 2 * w.units * 3 * w.units);
  return w.mode === 'train' ? 3 * forward : forward;
}

export function describe(w: Workload): string {
  const what =
    w.mode === 'train'
      ? 'train step GRU→Dense(1), MSE, Adam'
      : w.mode === 'step'
        ? 'one streaming step, stateful'
        : w.returnSequences
          ? 'forward, all outputs'
          : 'forward, last output';
  return `${w.name}: ${what}; B=${w.batch} T=${w.seq} I=${w.inputDim} U=${w.units}`;
}
