/**
 * The script a kernel worker runs (Node `worker_threads` or a browser Web Worker), as source text: a worker is
 * started from a string (`eval` in Node, a Blob URL in browsers), so it needs no file of its own next to the
 * bundle. Plain JavaScript, self-contained.
 *
 * The worker instantiates the kernel module on the shared memory, then serves jobs through its control block,
 * an Int32Array on a SharedArrayBuffer (slots in CTL below):
 *   1. the host writes ENTRY (index into the entry names) and PARAMS (pointer to a parameter block), then
 *      increments JOB and notifies it;
 *   2. the worker runs the entry, writes STATUS (0 ok, 1 failed), stores JOB's value into DONE, notifies DONE,
 *      and waits on JOB again (Atomics.wait: no spinning, no event loop).
 * STATE is 1 once the worker serves jobs, 2 if it could not instantiate the module.
 *
 * What a worker's instance may touch: its globals are its own (the kernels are built without a shadow stack:
 * AssemblyScript's minimal runtime, stackSize 0), and the kernels keep no scratch in static memory; each job
 * brings its own parameter block and GEMM packing scratch. The one global that matters is the allocator's root
 * (TLSF): only the calling thread's instance allocates, so a worker never calls alloc or free. Instantiating
 * rewrites the module's data segments (read-only constants) with the bytes already there.
 */

export const CTL = {
  JOB: 0,
  DONE: 1,
  ENTRY: 2,
  PARAMS: 3,
  STATUS: 4,
  STATE: 5,
  /** Int32 slots per control block (64 bytes: a cache line of its own). */
  SIZE: 16,
} as const;

export const STATE_READY = 1;
export const STATE_FAILED = 2;

/** What a worker receives (as `workerData` in Node, as its first message in browsers). */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  entries: readonly string[];
}

export const WORKER_SOURCE = `'use strict';
const C = ${JSON.stringify(CTL)};
function serve(init) {
  const ctl = new Int32Array(init.control);
  let run;
  try {
    const abort = () => { throw new Error('keras-gru WASM kernel aborted'); };
    const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory, abort } });
    run = init.entries.map((name) => instance.exports[name]);
  } catch (e) {
    Atomics.store(ctl, C.STATE, ${STATE_FAILED});
    Atomics.notify(ctl, C.STATE);
    return;
  }
  Atomics.store(ctl, C.STATE, ${STATE_READY});
  Atomics.notify(ctl, C.STATE);
  let seen = Atomics.load(ctl, C.JOB);
  for (;;) {
    let job;
    while ((job = Atomics.load(ctl, C.JOB)) === seen) Atomics.wait(ctl, C.JOB, seen);
    seen = job;
    let status = 0;
    try {
      run[ctl[C.ENTRY]](ctl[C.PARAMS]);
    } catch (e) {
      status = 1;
    }
    ctl[C.STATUS] = status;
    Atomics.store(ctl, C.DONE, job);
    Atomics.notify(ctl, C.DONE);
  }
}
if (typeof require === 'function') {
  const threads = 'node:' + 'worker_threads'; // a Node worker (a plain string, not an import a bundler would chase)
  serve(require(threads).workerData);
} else {
  self.onmessage = (event) => { self.onmessage = null; serve(event.data); };
}
`;
