/**
 * Keras activations in ONNX: as ops after a Dense layer, and as the `activations` attribute of the ONNX GRU
 * operator. Only Keras's built-in activations are translated (recognized by identity, so Keras 3's and
 * Keras 2's `hard_sigmoid` are told apart); anything else is refused by the caller.
 */
import { activations, hardSigmoidKeras2, type Activation, type ActivationName } from '../activations/index.js';
import { SELU_ALPHA, SELU_SCALE } from '../activations/elementwise.js';
import { float, int, type GraphBuilder } from './builder.js';
import { UnsupportedActivationError } from './errors.js';

/** The Keras name of a built-in activation; `hard_sigmoid_keras2` for Keras 2's; null for anything else. */
export function builtinName(a: Activation): string | null {
  if (a === hardSigmoidKeras2) return 'hard_sigmoid_keras2';
  return activations[a.name] === a ? a.name : null;
}

/** One entry of the ONNX GRU `activations` list with its `activation_alpha`/`activation_beta`. */
export interface GruActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

/**
 * The ONNX GRU activations (ONNX's list: Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu,
 * ScaledTanh, HardSigmoid, Elu, Softsign, Softplus) that equal a Keras built-in.
 * Keras 3's hard_sigmoid is relu6(x + 3) / 6 = clip(x/6 + 1/2, 0, 1); Keras 2's is clip(0.2x + 0.5, 0, 1).
 */
const GRU_ACTIVATIONS: Readonly<Record<string, GruActivation>> = {
  sigmoid: { name: 'Sigmoid' },
  tanh: { name: 'Tanh' },
  hard_sigmoid: { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 },
  hard_sigmoid_keras2: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  relu: { name: 'Relu' },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  leaky_relu: { name: 'LeakyRelu', alpha: 0.2 },
  elu: { name: 'Elu', alpha: 1 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
};

/** The Keras activations a GRU can use in ONNX, for error messages. */
export const GRU_ACTIVATION_NAMES: readonly string[] = Object.keys(GRU_ACTIVATIONS).filter(
  (n) => n !== 'hard_sigmoid_keras2',
);

export function gruActivation(a: Activation): GruActivation | null {
  const name = builtinName(a);
  return name === null ? null : (GRU_ACTIVATIONS[name] ?? null);
}

type Emit = (g: GraphBuilder, x: string) => string;

const unary =
  (op: string, attributes: Parameters<GraphBuilder['op']>[2] = {}): Emit =>
  (g, x) =>
    g.op(op, [x], attributes);
const clip =
  (lo: number, hi: number): Emit =>
  (g, x) =>
    g.op('Clip', [x, g.scalar(lo), g.scalar(hi)]);
const shrink = (lambd: number, bias: number): Emit => unary('Shrink', { lambd: float(lambd), bias: float(bias) });

/** Keras's elementwise and last-axis activations as ONNX ops (opset 14). */
const DENSE_ACTIVATIONS: Readonly<Record<string, Emit>> = {
  linear: (_g, x) => x,
  relu: unary('Relu'),
  relu6: clip(0, 6),
  leaky_relu: unary('LeakyRelu', { alpha: float(0.2) }),
  elu: unary('Elu', { alpha: float(1) }),
  selu: unary('Selu', { alpha: float(SELU_ALPHA), gamma: float(SELU_SCALE) }),
  celu: unary('Celu', { alpha: float(1) }),
  softplus: unary('Softplus'),
  softsign: unary('Softsign'),
  silu: (g, x) => g.op('Mul', [x, g.op('Sigmoid', [x])]),
  swish: (g, x) => g.op('Mul', [x, g.op('Sigmoid', [x])]),
  // exact gelu: x/2 · (1 + erf(x/√2))
  gelu: (g, x) =>
    g.op('Mul', [
      g.op('Mul', [x, g.scalar(0.5)]),
      g.op('Add', [g.scalar(1), g.op('Erf', [g.op('Mul', [x, g.scalar(Math.SQRT1_2)])])]),
    ]),
  tanh: unary('Tanh'),
  sigmoid: unary('Sigmoid'),
  exponential: unary('Exp'),
  hard_sigmoid: unary('HardSigmoid', { alpha: float(1 / 6), beta: float(0.5) }),
  hard_sigmoid_keras2: unary('HardSigmoid', { alpha: float(0.2), beta: float(0.5) }),
  hard_silu: unary('HardSwish'),
  hard_swish: unary('HardSwish'),
  hard_tanh: clip(-1, 1),
  mish: (g, x) => g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x])])]),
  log_sigmoid: (g, x) => g.op('Neg', [g.op('Softplus', [g.op('Neg', [x])])]),
  tanh_shrink: (g, x) => g.op('Sub', [x, g.op('Tanh', [x])]),
  hard_shrink: shrink(0.5, 0),
  soft_shrink: shrink(0.5, 0.5),
  softmax: unary('Softmax', { axis: int(-1) }),
  log_softmax: unary('LogSoftmax', { axis: int(-1) }),
};

/** The Keras activations a Dense layer can use in ONNX, for error messages. */
export const DENSE_ACTIVATION_NAMES = Object.keys(DENSE_ACTIVATIONS).filter(
  (n) => n !== 'hard_sigmoid_keras2',
) as readonly ActivationName[];

/** `a(x)` as ONNX ops; null when `a` has no translation. */
export function emitActivation(g: GraphBuilder, x: string, a: Activation): string | null {
  const name = builtinName(a);
  const emit = name === null ? undefined : DENSE_ACTIVATIONS[name];
  return emit === undefined ? null : emit(g, x);
}

/** `emitActivation`, or an `UnsupportedActivationError` naming `layer` for an activation it cannot translate. */
export function requireActivation(g: GraphBuilder, x: string, a: Activation, layer: string): string {
  const y = emitActivation(g, x, a);
  if (y === null) {
    throw new UnsupportedActivationError({
      layer,
      activation: a.name,
      reason: `activation '${a.name}' has no ONNX translation here (supported: ${DENSE_ACTIVATION_NAMES.join(', ')})`,
    });
  }
  return y;
}
