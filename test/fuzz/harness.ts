/**
 * The fuzz harness: every case runs a function on generated (mostly bad) input and must end in a KerasGruError
 * naming the argument at fault, or in a result the case's check accepts. Anything else — an untyped error, a
 * slow case, an input changed by the call — is tallied as "other", which must stay 0. Cases are tallied rather
 * than asserted one by one so that one run reports every hole it finds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { KerasGruError } from '../../src/errors.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Layer } from '../../src/layers/layer.js';

/** The seed of every property (fast-check's `seed`), so a failure reproduces. */
export const FUZZ_SEED = 20_261_206;
/**
 * The time bound of one property (fast-check's `interruptAfterTimeLimit`): a slow machine runs fewer cases (the
 * tally says how many) instead of overrunning. The whole suite runs ~25,000 cases in ~10 s on one core.
 */
export const PROPERTY_MS = Number(process.env.FUZZ_PROPERTY_MS ?? 8_000);
/** A case slower than this counts as a hang. */
const SLOW_MS = 5_000;

export interface Tally {
  suite: string;
  cases: number;
  typed: number;
  correct: number;
  other: number;
  /** The first few "other" cases, described. */
  failures: string[];
}

export function newTally(suite: string): Tally {
  return { suite, cases: 0, typed: 0, correct: 0, other: 0, failures: [] };
}

/** A deterministic rendering of a value, for before/after comparison (NaN, -0, typed arrays, tensors included). */
export function snapshot(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, new Set());
  return parts.join('');
}

// Appends to `parts` (linear in the size of the value, however deep it nests).
function write(value: unknown, parts: string[], seen: Set<unknown>): void {
  if (typeof value === 'number') return void parts.push(Object.is(value, -0) ? '-0' : String(value));
  if (typeof value === 'bigint') return void parts.push(`${value}n`);
  if (typeof value === 'symbol') return void parts.push(value.toString());
  if (typeof value === 'function') return void parts.push(`fn:${value.name}`);
  if (value === null || typeof value !== 'object') return void parts.push(JSON.stringify(value) ?? String(value));
  if (seen.has(value)) return void parts.push('<cycle>');
  seen.add(value);
  const list = (items: ArrayLike<unknown>, open: string, close: string): void => {
    parts.push(open);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) parts.push(',');
      write(items[i], parts, seen);
    }
    parts.push(close);
  };
  // A layer passed in (a cell, a wrapped layer) is the caller's to build: compared by identity only.
  if (value instanceof Layer) parts.push(`Layer(${value.name})`);
  else if (value instanceof Tensor) list(value.values, `T(${value.shape.join('x')},${value.dtype},[`, '])');
  else if (ArrayBuffer.isView(value)) list(value as unknown as ArrayLike<number>, `${value.constructor.name}([`, '])');
  else if (value instanceof ArrayBuffer) list(new Uint8Array(value), 'AB([', '])');
  else if (Array.isArray(value)) list(value, '[', ']');
  else if (value instanceof Map || value instanceof Set || value instanceof Date)
    parts.push(`${value.constructor.name}(${String(value)})`);
  else {
    parts.push('{');
    for (const k of Reflect.ownKeys(value).map(String).sort()) {
      parts.push(k, ':');
      write((value as Record<string, unknown>)[k], parts, seen);
      parts.push(',');
    }
    parts.push('}');
  }
  seen.delete(value);
}

function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.constructor.name}: ${e.message.slice(0, 300)}`;
  return `non-Error thrown: ${String(e)}`;
}

export interface CaseOptions<R> {
  /** Fragments one of which a typed error's message must contain (the argument at fault). */
  names?: readonly string[];
  /** Checks a returned result: null if correct, else what is wrong. */
  check?: (result: R) => string | null;
}

function record(t: Tally, label: string, problem: string): void {
  t.other++;
  if (t.failures.length < 25) t.failures.push(`${label}: ${problem}`);
}

function settle<R>(
  t: Tally,
  label: string,
  before: string,
  inputs: unknown,
  started: number,
  outcome: { error?: unknown; result?: unknown; threw: boolean },
  options: CaseOptions<R>,
): void {
  t.cases++;
  const elapsed = performance.now() - started;
  if (snapshot(inputs) !== before) return record(t, label, 'the input was mutated');
  if (elapsed > SLOW_MS) return record(t, label, `took ${elapsed.toFixed(0)} ms`);
  if (outcome.threw) {
    const e = outcome.error;
    if (!(e instanceof KerasGruError)) return record(t, label, `untyped ${describeError(e)}`);
    const names = options.names ?? [];
    if (names.length > 0 && !names.some((n) => e.message.includes(n))) {
      return record(t, label, `${describeError(e)} — names none of ${names.join(', ')}`);
    }
    t.typed++;
    return;
  }
  let problem: string | null;
  try {
    problem = options.check?.(outcome.result as R) ?? null;
  } catch (e) {
    problem = `the check threw ${describeError(e)}`;
  }
  if (problem !== null) return record(t, label, `returned, but ${problem}`);
  t.correct++;
}

/** Runs one synchronous case. `inputs` is everything the call receives (compared before and after). */
export function runCase<R>(t: Tally, label: string, inputs: unknown, fn: () => R, options: CaseOptions<R> = {}): void {
  const before = snapshot(inputs);
  const started = performance.now();
  let outcome: { error?: unknown; result?: unknown; threw: boolean };
  try {
    outcome = { result: fn(), threw: false };
  } catch (error) {
    outcome = { error, threw: true };
  }
  settle(t, label, before, inputs, started, outcome, options);
}

/** Runs one asynchronous case (a rejected promise counts like a throw). */
export async function runAsyncCase<R>(
  t: Tally,
  label: string,
  inputs: unknown,
  fn: () => R | Promise<R>,
  options: CaseOptions<R> = {},
): Promise<void> {
  const before = snapshot(inputs);
  const started = performance.now();
  let outcome: { error?: unknown; result?: unknown; threw: boolean };
  try {
    outcome = { result: await fn(), threw: false };
  } catch (error) {
    outcome = { error, threw: true };
  }
  settle(t, label, before, inputs, started, outcome, options);
}

/** A tensor result check: every value finite (for finite inputs). */
export function allFinite(result: unknown): string | null {
  const list = Array.isArray(result) ? result : [result];
  for (const r of list) {
    if (!(r instanceof Tensor)) continue;
    for (const v of r.values) if (!Number.isFinite(v)) return `a non-finite value (${v}) from finite inputs`;
  }
  return null;
}

/** Prints the tally, saves it for the global total, and fails the test if any case was "other". */
export function reportTally(t: Tally): void {
  const line = `[fuzz] ${t.suite}: ${t.cases} cases — ${t.typed} typed errors, ${t.correct} correct results, ${t.other} other`;
  console.log(line);
  const dir = process.env.FUZZ_TALLY_DIR;
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${t.suite.replace(/[^a-z0-9]+/gi, '-')}.json`), JSON.stringify(t));
  }
  expect(t.failures, line).toEqual([]);
  expect(t.other).toBe(0);
}
