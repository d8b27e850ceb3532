/**
 * The training and evaluation loops are written once, as generators that yield at the points where a run may
 * pause: `PAUSE` between batches, and any Promise a callback hook returned. Two drivers step them:
 *
 * - `runSync` runs to the end without pausing (`fitSync`, `evaluate`, `predict`); a callback's Promise is not
 *   awaited there (as before fit was asynchronous).
 * - `runAsync` awaits callbacks' Promises in order, and at a `PAUSE` gives the event loop a macrotask turn once
 *   at least `SLICE_MS` of work has passed since the last one — so timers, input and painting keep going on a
 *   page, while Node training pays for a yield only every ~12 ms (a fraction of a percent).
 *
 * Both drivers run exactly the same code in the same order, so fit and fitSync give the same numbers bit for bit.
 */

/** Yielded between batches: the async driver may hand the event loop a turn here. */
export const PAUSE: unique symbol = Symbol('pause between batches');

/** What a loop generator yields: a pause point, or a callback's Promise to await. */
export type Step = typeof PAUSE | PromiseLike<unknown>;

export type Steps<T> = Generator<Step, T, void>;

/** Work between two yields to the event loop, in ms: below a 60 Hz frame, and well above a yield's cost. */
export const SLICE_MS = 12;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * One macrotask turn. Node (and Bun): setImmediate, which runs after pending I/O and timers without a clamp.
 * Browsers and Deno: a MessageChannel message, which lets due timers and input run first; setTimeout(0) is the
 * fallback only, because browsers clamp nested timeouts to 4 ms.
 */
function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((done) => void g.setImmediate!(done));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((done) => {
      const channel = new g.MessageChannel!();
      channel.port1.onmessage = () => {
        channel.port1.close();
        done();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((done) => setTimeout(done, 0));
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === 'object' || typeof value === 'function') &&
  typeof (value as { then?: unknown }).then === 'function';

/** Yields a hook's result when it is a Promise (a hook may be async); nothing otherwise. */
export function* awaitIfPromise(result: unknown): Generator<Step, void, void> {
  if (isThenable(result)) yield result;
}

/** Runs the loop to its end synchronously; callbacks' Promises are left running, not awaited. */
export function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the loop, awaiting callbacks' Promises and yielding to the event loop every `SLICE_MS` of work. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let since = now();
  let step = steps.next();
  while (!step.done) {
    const value = step.value;
    if (value === PAUSE) {
      if (now() - since >= SLICE_MS) {
        await macrotask();
        since = now();
      }
      step = steps.next();
      continue;
    }
    let failed = false;
    let error: unknown;
    try {
      await value;
    } catch (e) {
      failed = true;
      error = e;
    }
    // A rejected hook fails the run at the point of the hook (the loop's own cleanup, if any, runs).
    step = failed ? steps.throw(error) : steps.next();
  }
  return step.value;
}
