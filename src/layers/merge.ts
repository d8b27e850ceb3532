/**
 * Keras 3's elementwise merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`, called on
 * a list of tensors (`new Add().apply([a, b])`). Shapes broadcast as Keras's `Merge` does: the batch axis must
 * agree, the other axes broadcast from the right (1 or null against anything), and inputs of lower rank get
 * size-1 axes inserted at axis 1 (not at the front) until every input has the same rank.
 *
 * Masks, as Keras 3.15: the output mask is the OR of the input masks when every input has one, else none.
 * Multiply and Maximum/Minimum also use the masks in the values: a masked-out entry of one input is replaced by
 * the identity (1 for Multiply; the other operand for Maximum/Minimum), and Multiply gives 0 where every input
 * is masked. Add, Subtract and Average ignore masks in the values.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { add, div, maximum, minimum, mul, sub } from '../ops/arithmetic.js';
import { reshape, where } from '../ops/shape-ops.js';
import { formatShape } from '../tensor/shape.js';
import { scalar, Tensor, tensor } from '../tensor/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import { argsFromConfig, translatorOf } from './translators.js';

export type MergeArgs = LayerArgs;

/** The masks `call` received, one per input (null where none). */
export function maskList(mask: CallOptions['mask'], count: number): (Tensor | null)[] {
  if (Array.isArray(mask))
    return Array.from({ length: count }, (_, i) => (mask[i] instanceof Tensor ? mask[i]! : null));
  return Array<Tensor | null>(count).fill(null);
}

/** Elementwise OR of same-shaped masks, as a bool tensor (nonzero = keep). */
export function orMasks(masks: readonly Tensor[]): Tensor {
  const first = masks[0]!;
  const out = new Uint8Array(first.size);
  for (const m of masks) for (let i = 0; i < out.length; i++) if (m.values[i] !== 0) out[i] = 1;
  return tensor(out, [...first.shape], 'bool');
}

/** A mask [..., T] as [..., T, 1], to broadcast against its input [..., T, F]. */
const expandMask = (m: Tensor): Tensor => reshape(m, [...m.shape, 1]);

/** Keras's `_compute_elemwise_op_output_shape` over two shapes without their batch axis. */
function elementwiseShape(a: Shape, b: Shape, context: string): Shape {
  if (a.length < b.length) return elementwiseShape(b, a, context);
  const out = a.slice(0, a.length - b.length);
  b.forEach((j, k) => {
    const i = a[a.length - b.length + k]!;
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else
      throw new ShapeError({
        argument: 'inputs',
        expected: 'shapes that broadcast together',
        received: `${formatShape(a)} and ${formatShape(b)} (without the batch axis)`,
        context,
      });
  });
  return out;
}

/** The base of the merge layers: a list of inputs in, one tensor out. */
export abstract class Merge extends Layer {
  declare apply: SingleOutputApply;
  /** Exactly this many inputs (Subtract, Dot: 2); null: any number ≥ 1. */
  protected readonly inputCount: number | null = null;

  constructor(args: MergeArgs = {}, className: string) {
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object',
        received: args,
        context: `${className} constructor`,
      });
    }
    super(args, className);
    this.supportsMasking = true;
  }

  /** The merge itself, on inputs of equal rank; `masks` are the inputs' masks (null where none). */
  protected abstract merge(inputs: Tensor[], masks: (Tensor | null)[]): Tensor;

  protected listShapes(inputShape: Shape | Shape[], context: string): Shape[] {
    if (!Array.isArray(inputShape) || inputShape.length === 0 || !Array.isArray(inputShape[0])) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `a list of ${this.inputCount ?? 'one or more'} tensors (a merge layer is called on a list)`,
        received: Array.isArray(inputShape) ? formatShape(inputShape as Shape) : inputShape,
        context,
      });
    }
    const shapes = inputShape as Shape[];
    if (this.inputCount !== null && shapes.length !== this.inputCount) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `a list of exactly ${this.inputCount} tensors`,
        received: `${shapes.length} tensors`,
        context,
      });
    }
    const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
    if (batches.size > 1) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'tensors with the same batch size',
        received: shapes.map((s) => formatShape(s)).join(', '),
        context,
      });
    }
    return shapes;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = this.listShapes(inputShape, `${this.className} '${this.name}'.build`);
    this.computeOutputShape(shapes);
    this.buildInputShape = structuredClone(shapes);
    this.built = true;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (this.built)
      this.listShapes(
        shapes.map((s) => [...s]),
        context,
      );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.listShapes(inputShape, `${this.className} '${this.name}'.computeOutputShape`);
    const context = `${this.className} '${this.name}'`;
    let out = shapes[0]!.slice(1);
    for (const s of shapes.slice(1)) out = elementwiseShape(out, s.slice(1), context);
    const batch = shapes.map((s) => s[0]).find((d) => d !== null && d !== undefined) ?? null;
    return [batch, ...out];
  }

  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const context = `${this.className} '${this.name}'.apply`;
    if (!Array.isArray(inputs)) {
      throw new InvalidArgumentError({
        argument: 'inputs',
        expected: 'a list of tensors (a merge layer is called on a list)',
        received: inputs,
        context,
      });
    }
    this.listShapes(
      inputs.map((t) => [...t.shape]),
      context,
    );
    const rank = Math.max(...inputs.map((t) => t.rank));
    // Keras expands lower-rank inputs at axis 1; the expanded tensors carry no mask into the merge.
    const reshaped = inputs.some((t) => t.rank !== rank);
    const xs = inputs.map((t) => {
      const shape = [...t.shape];
      while (shape.length < rank) shape.splice(1, 0, 1);
      return t.rank === rank ? t : reshape(t, shape);
    });
    const masks = reshaped ? xs.map(() => null) : maskList(options.mask, inputs.length);
    return this.merge(xs, masks);
  }

  /** Keras's `Merge.compute_mask`: the OR of the masks when every input has one, else none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null {
    if (!Array.isArray(mask) || mask.length === 0 || mask.some((m) => m === null)) return null;
    return orMasks(mask as Tensor[]);
  }

  override producesMask(inputHasMask: readonly boolean[]): boolean {
    return inputHasMask.length > 0 && inputHasMask.every(Boolean);
  }
}

/** Keras's `_apply_merge_op_and_or_mask`: a pairwise op where masked entries take the other operand. */
function mergeWithMasks(op: (a: Tensor, b: Tensor) => Tensor, inputs: Tensor[], masks: (Tensor | null)[]): Tensor {
  let output = inputs[0]!;
  let outMask = masks[0] !== null ? expandMask(masks[0]!) : null;
  for (let i = 1; i < inputs.length; i++) {
    let x = inputs[i]!;
    const m = masks[i] !== null ? expandMask(masks[i]!) : null;
    if (m !== null) x = where(m, x, output);
    if (outMask !== null) output = where(outMask, output, x);
    outMask = m !== null && outMask !== null ? orMasks([outMask, m]) : null;
    output = op(output, x);
  }
  return output;
}

export class Add extends Merge {
  readonly className: string = 'Add';
  constructor(args: MergeArgs = {}) {
    super(args, 'Add');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, x) => add(acc, x), inputs[0]!);
  }
  override getConfig(): Record<string, unknown> {
    return translatorOf(Add, 'Add.getConfig').toConfig(this, super.getConfig());
  }
  static fromConfig(config: Record<string, unknown>): Add {
    return new Add(argsFromConfig(Add, config, 'Add.fromConfig'));
  }
}

export class Subtract extends Merge {
  readonly className: string = 'Subtract';
  protected override readonly inputCount: number | null = 2;
  constructor(args: MergeArgs = {}) {
    super(args, 'Subtract');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return sub(inputs[0]!, inputs[1]!);
  }
  override getConfig(): Record<string, unknown> {
    return translatorOf(Subtract, 'Subtract.getConfig').toConfig(this, super.getConfig());
  }
  static fromConfig(config: Record<string, unknown>): Subtract {
    return new Subtract(argsFromConfig(Subtract, config, 'Subtract.fromConfig'));
  }
}

export class Multiply extends Merge {
  readonly className: string = 'Multiply';
  constructor(args: MergeArgs = {}) {
    super(args, 'Multiply');
  }
  protected merge(inputs: Tensor[], masks: (Tensor | null)[]): Tensor {
    const all = masks.every((m) => m !== null);
    let output: Tensor | null = null;
    inputs.forEach((input, i) => {
      const m = masks[i];
      // A masked-out entry counts as 1, the identity of the product.
      const x = m !== null && m !== undefined ? where(expandMask(m), input, scalar(1, input.dtype)) : input;
      output = output === null ? x : mul(output, x);
    });
    // Where every input is masked out, the product is 0 (standard masking).
    if (all) output = where(expandMask(orMasks(masks as Tensor[])), output!, scalar(0, output!.dtype));
    return output!;
  }
  override getConfig(): Record<string, unknown> {
    return translatorOf(Multiply, 'Multiply.getConfig').toConfig(this, super.getConfig());
  }
  static fromConfig(config: Record<string, unknown>): Multiply {
    return new Multiply(argsFromConfig(Multiply, config, 'Multiply.fromConfig'));
  }
}

export class Average extends Merge {
  readonly className: string = 'Average';
  constructor(args: MergeArgs = {}) {
    super(args, 'Average');
  }
  protected merge(inputs: Tensor[]): Tensor {
    const total = inputs.slice(1).reduce((acc, x) => add(acc, x), inputs[0]!);
    return div(total, scalar(inputs.length, total.dtype));
  }
  override getConfig(): Record<string, unknown> {
    return translatorOf(Average, 'Average.getConfig').toConfig(this, super.getConfig());
  }
  static fromConfig(config: Record<string, unknown>): Average {
    return new Average(argsFromConfig(Average, config, 'Average.fromConfig'));
  }
}

export class Maximum extends Merge {
  readonly className: string = 'Maximum';
  constructor(args: MergeArgs = {}) {
    super(args, 'Maximum');
  }
  protected merge(inputs: Tensor[], masks: (Tensor | null)[]): Tensor {
    return mergeWithMasks(maximum, inputs, masks);
  }
  override getConfig(): Record<string, unknown> {
    return translatorOf(Maximum, 'Maximum.getConfig').toConfig(this, super.getConfig());
  }
  static fromConfig(config: Record<string, unknown>): Maximum {
    return new Maximum(argsFromConfig(Maximum, config, 'Maximum.fromConfig'));
  }
}

export class Minimum extends Merge {
  readonly className: string = 'Minimum';
  constructor(args: MergeArgs = {}) {
    super(args, 'Minimum');
  }
  protected merge(inputs: Tensor[], masks: (Tensor | null)[]): Tensor {
    return mergeWithMasks(minimum, inputs, masks);
  }
  override getConfig(): Record<string, unknown> {
    return translatorOf(Minimum, 'Minimum.getConfig').toConfig(this, super.getConfig());
  }
  static fromConfig(config: Record<string, unknown>): Minimum {
    return new Minimum(argsFromConfig(Minimum, config, 'Minimum.fromConfig'));
  }
}
