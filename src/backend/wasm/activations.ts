/**
 * Which native activation (src/backend/wasm/assembly/activations.ts) computes a `ScalarActivation`. A name is
 * not enough — Keras 2's hard_sigmoid and parameterized relus share names with the functions the kernels
 * implement — so the function and its derivative are probed against the definitions below (once per
 * function object). Anything else has no native kind, and the call is delegated to the reference backend.
 */
import type { ScalarActivation } from '../backend.js';

export const ACT_LINEAR = 0;
export const ACT_SIGMOID = 1;
export const ACT_TANH = 2;
export const ACT_HARD_SIGMOID = 3;
export const ACT_RELU = 4;

type Def = { kind: number; f: (x: number) => number; df: (x: number) => number };

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const DEFINITIONS: Record<string, Def> = {
  linear: { kind: ACT_LINEAR, f: (x) => x, df: () => 1 },
  sigmoid: { kind: ACT_SIGMOID, f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)) },
  tanh: { kind: ACT_TANH, f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  // Keras 3: relu6(x + 3) / 6, slope 1/6 strictly inside (−3, 3)
  hard_sigmoid: {
    kind: ACT_HARD_SIGMOID,
    f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
    df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  },
  relu: { kind: ACT_RELU, f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
};

const PROBES = [
  -1000, -50, -7, -3.5, -3, -2.9, -2.5, -1, -0.25, -1e-9, 0, 1e-9, 0.3, 1, 2.5, 2.9, 3, 4, 6, 7.5, 50, 1000,
];

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
}

const kinds = new WeakMap<(x: number) => number, { df: ScalarActivation['df']; kind: number }>();

/** The native kind of `a`, or -1 when the kernels have none (the call then runs on the reference backend). */
export function activationKind(a: ScalarActivation): number {
  const known = kinds.get(a.fn);
  if (known !== undefined && known.df === a.df) return known.kind;
  const def = Object.hasOwn(DEFINITIONS, a.name) ? DEFINITIONS[a.name]! : undefined;
  let kind = -1;
  if (def !== undefined) {
    try {
      const ok = PROBES.every((x) => {
        const y = a.fn(x);
        return close(y, def.f(x)) && close(a.df(x, y), def.df(x));
      });
      if (ok) kind = def.kind;
    } catch {
      kind = -1;
    }
  }
  kinds.set(a.fn, { df: a.df, kind });
  return kind;
}
