/**
 * The Keras wire format of traced operations (src/layers/operations.ts): Keras 3's `Operation.get_config()` —
 * `{ name }` plus the arguments the operation was made with (`axis`, `keepdims`, `dtype`) — the module Keras
 * writes for each class, and the reverse. The operands (`NotEqual(x, 0.0)`'s `0.0`) are not config: they are
 * the node's `args` in the model config.
 */
import { InvalidArgumentError } from '../errors.js';
import { OPERATION_CLASSES } from '../layers/operations.js';
import type { Operation } from '../layers/operation.js';

/** Keras class name → the module Keras 3 writes for it (`module` of the layer entry). */
export const OPERATION_MODULES: Readonly<Record<string, string>> = {
  NotEqual: 'keras.src.ops.numpy',
  Equal: 'keras.src.ops.numpy',
  Greater: 'keras.src.ops.numpy',
  GreaterEqual: 'keras.src.ops.numpy',
  Less: 'keras.src.ops.numpy',
  LessEqual: 'keras.src.ops.numpy',
  LogicalAnd: 'keras.src.ops.numpy',
  LogicalOr: 'keras.src.ops.numpy',
  LogicalNot: 'keras.src.ops.numpy',
  Any: 'keras.src.ops.numpy',
  All: 'keras.src.ops.numpy',
  ExpandDims: 'keras.src.ops.numpy',
  Squeeze: 'keras.src.ops.numpy',
  Add: 'keras.src.ops.numpy',
  Subtract: 'keras.src.ops.numpy',
  Multiply: 'keras.src.ops.numpy',
  Cast: 'keras.src.ops.core',
};

/** Operation class names that are also Keras layer names (the merging layers); told apart by `module` only. */
export const AMBIGUOUS_OPERATIONS: ReadonlySet<string> = new Set(['Add', 'Subtract', 'Multiply']);

/** Whether a layer entry's `module` is one of Keras's operation modules (`keras.src.ops.numpy`, ...). */
export function isOperationModule(module: unknown): boolean {
  return typeof module === 'string' && /^keras(\.src)?\.ops(\.|$)/.test(module);
}

/** `op.getConfig()`: Keras's `get_config()` of the operation. */
export function operationToKerasConfig(op: Operation): Record<string, unknown> {
  const config: Record<string, unknown> = { name: op.name };
  const own = op as unknown as { axis?: unknown; keepDims?: unknown; targetDType?: unknown };
  switch (op.className) {
    case 'Any':
    case 'All':
      config.axis = structuredClone(own.axis);
      config.keepdims = own.keepDims;
      break;
    case 'ExpandDims':
    case 'Squeeze':
      config.axis = structuredClone(own.axis);
      break;
    case 'Cast':
      config.dtype = own.targetDType;
      break;
  }
  return config;
}

/** The keys each operation's config may have besides `name`, snake_case → camelCase. */
const OPERATION_KEYS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Any: { axis: 'axis', keepdims: 'keepDims' },
  All: { axis: 'axis', keepdims: 'keepDims' },
  ExpandDims: { axis: 'axis' },
  Squeeze: { axis: 'axis' },
  Cast: { dtype: 'dtype' },
};

/** Constructor arguments of an operation from its Keras config. */
export function operationArgsFromKerasConfig(
  className: string,
  config: unknown,
  context = `${className}.fromConfig`,
): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidArgumentError({
      argument: 'config',
      expected: `a Keras ${className} config object`,
      received: config,
      context,
    });
  }
  const keys = OPERATION_KEYS[className] ?? {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'name') {
      if (value !== null && value !== undefined) args.name = value;
      continue;
    }
    const target = keys[key];
    if (target === undefined) {
      throw new InvalidArgumentError({
        argument: `config.${key}`,
        expected: `a key of a Keras ${className} config`,
        received: key,
        context,
      });
    }
    args[target] = value;
  }
  return args;
}

/** Keras class name → a function making the operation from its Keras config (built when called). */
export function operationClasses(): Readonly<Record<string, (config: Record<string, unknown>) => Operation>> {
  return Object.fromEntries(
    OPERATION_CLASSES.map(([className, ctor]) => [
      className,
      (config: Record<string, unknown>) =>
        new (ctor as new (args: Record<string, unknown>) => Operation)(operationArgsFromKerasConfig(className, config)),
    ]),
  );
}
