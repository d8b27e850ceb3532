/**
 * Worker threads for the WASM kernels: each instantiates the kernel module on the same shared memory and runs
 * one kernel call on a parameter block the host prepared, while the calling thread runs another. The host
 * splits a GRU call's batch rows into contiguous ranges (rows are independent through a whole sequence), so
 * each row is computed by one thread with the same code, whatever the thread count.
 *
 * Workers start when `setThreads` asks for them (`prepare`, awaitable) or on the first call that wants them,
 * without blocking it: until a worker reports ready, calls use the threads that are. A call is posted through a control block on a SharedArrayBuffer (worker-source.ts)
 * and awaited with Atomics, not messages, so a dispatch costs microseconds. Workers are unref'd (they never
 * keep Node alive) and sleep in Atomics.wait between calls.
 */
import type { Kernels } from './instance.js';
import { CTL, STATE_FAILED, STATE_READY, WORKER_SOURCE, type WorkerInit } from './worker-source.js';

/** The kernel entry points a worker can run (each takes a parameter block pointer). */
export const ENTRIES = ['gruForward', 'gruBackwardSteps', 'gruBackwardWeights'] as const;
export type Entry = (typeof ENTRIES)[number];

/** Spin iterations (about 10-20 µs) before the calling thread sleeps while waiting for a worker. */
const SPIN = 4096;

interface Slot {
  readonly ctl: Int32Array;
  /** The last job posted. */
  job: number;
}

type NodeWorkerModule = typeof import('node:worker_threads');
interface Globals {
  process?: { versions?: { node?: string }; getBuiltinModule?: (name: string) => unknown };
  Worker?: new (url: string) => { postMessage(data: unknown): void; onerror: unknown };
  Blob?: typeof Blob;
  URL?: typeof URL;
}

const WORKER_MODULE = 'node:worker_threads';

/** Whether this engine can run kernel workers on `k`'s memory at all. */
function supported(k: Kernels): boolean {
  if (!k.shared || typeof Atomics !== 'object') return false;
  const g = globalThis as Globals;
  if (typeof g.process?.versions?.node === 'string') return true;
  return typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function';
}

const isReady = (slot: Slot): boolean => Atomics.load(slot.ctl, CTL.STATE) === STATE_READY;

export class ThreadPool {
  private readonly slots: Slot[] = [];
  /** Whether this thread may block in Atomics.wait (not on a browser's main thread). */
  private readonly canBlock: boolean;
  private nodeWorkers: NodeWorkerModule | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly k: Kernels) {
    let canBlock = false;
    if (k.shared) {
      try {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // throws where this thread may not block
        canBlock = true;
      } catch {
        // spin instead
      }
    }
    this.canBlock = canBlock;
  }

  /** How many threads, this one included, can take part in a call now (at most `want`); starts nothing. */
  usable(want: number): number {
    if (!supported(this.k)) return 1;
    let ready = 1;
    for (const slot of this.slots) if (ready < want && isReady(slot)) ready++;
    return ready;
  }

  /**
   * How many threads, this one included, can take part in a call now (at most `want`); starts the workers that
   * are missing, which join later calls once they are ready.
   */
  available(want: number): number {
    let ready = 1;
    for (const slot of this.slots) {
      if (ready >= want) return ready;
      if (isReady(slot)) ready++;
    }
    if (ready < want) this.start(want - 1);
    return ready;
  }

  /**
   * Runs `entry` on every parameter block at once: params[0] on this thread, the others on ready workers (as
   * many as `available` reported). Returns when all are done; a kernel that failed on a worker is reported as
   * a WebAssembly.RuntimeError (the caller then delegates the call).
   */
  run(entry: Entry, params: readonly number[]): void {
    const code = ENTRIES.indexOf(entry);
    const posted: Slot[] = [];
    let next = 1;
    for (let w = 0; w < this.slots.length && next < params.length; w++) {
      const slot = this.slots[w]!;
      if (!isReady(slot)) continue;
      slot.ctl[CTL.ENTRY] = code;
      slot.ctl[CTL.PARAMS] = params[next++]!;
      slot.job = (slot.job + 1) | 0;
      Atomics.store(slot.ctl, CTL.JOB, slot.job);
      Atomics.notify(slot.ctl, CTL.JOB);
      posted.push(slot);
    }
    let failure: unknown = null;
    try {
      // Blocks no worker took (none should be left) run here too.
      this.k.exports[entry](params[0]!);
      for (; next < params.length; next++) this.k.exports[entry](params[next]!);
    } catch (e) {
      failure = e;
    }
    let failed = false;
    for (const slot of posted) {
      this.wait(slot);
      if (slot.ctl[CTL.STATUS] !== 0) failed = true;
    }
    if (failure !== null) throw failure;
    if (failed) throw new WebAssembly.RuntimeError(`keras-gru: ${entry} failed on a worker thread`);
  }

  private wait(slot: Slot): void {
    for (let spins = 0; ; spins++) {
      const done = Atomics.load(slot.ctl, CTL.DONE);
      if (done === slot.job) return;
      if (this.canBlock && spins >= SPIN) Atomics.wait(slot.ctl, CTL.DONE, done);
    }
  }

  /** Starts workers until there are `count` (or the engine has no way to). */
  private start(count: number): void {
    if (this.slots.length >= count || !supported(this.k)) return;
    const g = globalThis as Globals;
    if (typeof g.process?.versions?.node === 'string') {
      // Synchronously where Node has getBuiltinModule (≥ 20.16): a worker then starts even while this thread
      // never yields (a synchronous training loop). Older Node: once the import resolves.
      this.nodeWorkers ??= (g.process.getBuiltinModule?.(WORKER_MODULE) as NodeWorkerModule | undefined) ?? null;
      if (this.nodeWorkers === null) {
        this.loading ??= import(/* @vite-ignore */ /* webpackIgnore: true */ WORKER_MODULE).then(
          (m: NodeWorkerModule) => {
            this.nodeWorkers = m;
            this.start(count);
          },
        );
        return;
      }
    }
    while (this.slots.length < count) {
      const control = new SharedArrayBuffer(4 * CTL.SIZE);
      const slot: Slot = { ctl: new Int32Array(control), job: 0 };
      this.slots.push(slot);
      const init: WorkerInit = { module: this.k.module, memory: this.k.exports.memory, control, entries: ENTRIES };
      try {
        this.spawn(init);
      } catch {
        Atomics.store(slot.ctl, CTL.STATE, STATE_FAILED);
      }
    }
  }

  private spawn(init: WorkerInit): void {
    const failed = (): void => void Atomics.store(new Int32Array(init.control), CTL.STATE, STATE_FAILED);
    if (this.nodeWorkers !== null) {
      const worker = new this.nodeWorkers.Worker(WORKER_SOURCE, { eval: true, workerData: init });
      worker.unref(); // never keeps the process alive
      worker.on('error', failed);
      return;
    }
    const g = globalThis as Required<Pick<Globals, 'Worker' | 'Blob' | 'URL'>>;
    const url = g.URL.createObjectURL(new g.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const worker = new g.Worker(url);
    worker.onerror = failed;
    worker.postMessage(init);
  }

  /** Workers started (ready or not). */
  get size(): number {
    return this.slots.length;
  }

  /** Starts workers so that `threads` threads can take part in a call, and resolves once they are ready (or failed). */
  async prepare(threads: number): Promise<void> {
    this.available(threads);
    await this.settled();
  }

  /** Resolves once every started worker is ready or has failed (tests, benchmarks). */
  async settled(): Promise<void> {
    await this.loading;
    for (const slot of this.slots) {
      for (;;) {
        const state = Atomics.load(slot.ctl, CTL.STATE);
        if (state === STATE_READY || state === STATE_FAILED) break;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  }
}
