/**
 * What the runner needs from each contender. A contender computes one workload with the shared seeded data
 * (bench/lib/data.ts); its `check()` results are compared with keras-gru's before anything is timed.
 */
import type { GruData } from '../lib/data.js';
import type { Workload } from '../lib/workloads.js';

/**
 * Named results for the correctness check, all float32:
 *   forward: output ([B,U] or [B,T,U]);
 *   step:    output of one step from h0 ([B,U]);
 *   train:   loss, then d loss / d (kernel, recurrentKernel, bias, dense kernel, dense bias) before the update.
 */
export type CheckResults = Record<string, Float32Array>;

export interface Instance {
  /** Untimed, before each timed call (select a global backend or thread count). */
  enter?(): void | Promise<void>;
  /** One timed call: a forward pass, a train step, or one streaming step; ends with the result on the host. */
  run(): void | Promise<void>;
  /** One untimed evaluation on the workload's fixed input (a streaming step starts again from h0). */
  check(): CheckResults | Promise<CheckResults>;
  dispose(): void | Promise<void>;
}

export interface Contender {
  /** Stable id, e.g. `keras-gru/wasm/1t`, `tfjs-wasm/ops`, `ort-node/2t`. */
  id: string;
  /** The table's label. */
  label: string;
  library: 'keras-gru' | '@tensorflow/tfjs' | 'onnxruntime-node' | 'onnxruntime-web';
  threads: number;
  /** Why this contender does not run a workload (e.g. no training in onnxruntime), or null. */
  unsupported(w: Workload, resetAfter: boolean): string | null;
  create(w: Workload, data: GruData): Promise<Instance>;
  /** Extra facts for the report (e.g. where the ONNX model came from). */
  note?: string;
}
