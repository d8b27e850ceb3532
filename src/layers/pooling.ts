/**
 * Keras 3's 1-D pooling layers over [B, T, C] (or [B, C, T] with `dataFormat: 'channels_first'`), no weights,
 * built at construction (Keras writes no build_config for them):
 * - `MaxPooling1D` / `AveragePooling1D`: windows of `poolSize` every `strides` (default `poolSize`) steps;
 *   'same' padding adds steps that a maximum ignores and an average does not count (TensorFlow's rule). A mask
 *   stops here.
 * - `GlobalAveragePooling1D`: the mean over time; with a mask, Σ(mask·x) / Σ mask over the kept steps, as
 *   Keras's (a sample with no kept step divides by 0). Outputs no mask.
 * - `GlobalMaxPooling1D`: the maximum over time; Keras's ignores the mask (masked steps count), and so does
 *   this one. Outputs no mask.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { div, mul } from '../ops/arithmetic.js';
import { frames1d, type FrameOptions } from '../ops/frames.js';
import { max, mean, sum } from '../ops/reduce.js';
import { cast, reshape } from '../ops/shape-ops.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkBoolean } from '../validation.js';
import { singleInput, singleMask } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import type { DataFormat } from './reshaping.js';
import { argsFromConfig, translatorOf } from './translators.js';
import {
  checkDataFormat,
  checkPadding,
  oneTuple,
  outputSteps,
  paddingOf,
  toStepsLast,
  type Padding,
} from './windows.js';

function checkRank3(shapes: readonly (readonly (number | null)[])[], format: DataFormat, context: string): void {
  if (shapes.length !== 1 || shapes[0]!.length !== 3) {
    throw new ShapeError({
      argument: 'inputs',
      expected: `one tensor of rank 3 ${format === 'channels_last' ? '[batch, steps, channels]' : '[batch, channels, steps]'}`,
      received: shapes.map((s) => formatShape(s)).join(', '),
      context,
    });
  }
}

export interface Pooling1DArgs extends LayerArgs {
  /** Window length. Default 2. */
  poolSize?: number | readonly [number];
  /** Steps between windows. Default `poolSize`. */
  strides?: number | readonly [number] | null;
  /** Default `'valid'`. */
  padding?: 'valid' | 'same';
  /** Default `'channels_last'`. */
  dataFormat?: DataFormat | null;
}

/** A window of the time axis: everything but the pad value. */
type Windows = Omit<FrameOptions, 'padValue'>;

abstract class Pooling1D extends Layer {
  declare apply: SingleOutputApply;
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly dataFormat: DataFormat;

  protected constructor(args: Pooling1DArgs, className: string) {
    const context = `${className} constructor`;
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({ argument: 'args', expected: 'an options object', received: args, context });
    super(args, className);
    this.poolSize = oneTuple(args.poolSize ?? 2, 'poolSize', context);
    this.strides = oneTuple(args.strides ?? this.poolSize, 'strides', context);
    this.padding = checkPadding(args.padding ?? 'valid', false, context);
    this.dataFormat = checkDataFormat(args.dataFormat, context);
    this.built = true;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    checkRank3(shapes, this.dataFormat, context);
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const x0 = singleInput(inputs, `${this.className} '${this.name}'.apply`);
    const x = toStepsLast(x0.dtype === this.dtype ? x0 : cast(x0, this.dtype), this.dataFormat);
    const pad = paddingOf(x.shape[1]!, this.poolSize, this.strides, 1, this.padding);
    const windows = { size: this.poolSize, stride: this.strides, dilation: 1, ...pad };
    return toStepsLast(this.pool(x, windows), this.dataFormat);
  }

  /** x [B, T, C] → [B, T_out, C]. */
  protected abstract pool(x: Tensor, windows: Windows): Tensor;

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [b, d1, d2] = inputShape as Shape;
    const steps = this.dataFormat === 'channels_last' ? d1! : d2!;
    const out = outputSteps(steps, this.poolSize, this.strides, 1, this.padding);
    return this.dataFormat === 'channels_last' ? [b!, out, d2!] : [b!, d1!, out];
  }
}

export class MaxPooling1D extends Pooling1D {
  readonly className: string = 'MaxPooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'MaxPooling1D');
  }

  protected pool(x: Tensor, windows: Windows): Tensor {
    return max(frames1d(x, { ...windows, padValue: -Infinity }), 2);
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(MaxPooling1D, 'MaxPooling1D.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): MaxPooling1D {
    return new MaxPooling1D(argsFromConfig(MaxPooling1D, config, 'MaxPooling1D.fromConfig'));
  }
}

export class AveragePooling1D extends Pooling1D {
  readonly className: string = 'AveragePooling1D';

  constructor(args: Pooling1DArgs = {}) {
    super(args, 'AveragePooling1D');
  }

  protected pool(x: Tensor, windows: Windows): Tensor {
    const framed = frames1d(x, { ...windows, padValue: 0 });
    const steps = x.shape[1]!;
    const outSteps = framed.shape[1]!;
    // How many real (not padded) steps each window holds: the divisor of its average.
    const counts = new Float64Array(outSteps);
    for (let w = 0; w < outSteps; w++) {
      for (let k = 0; k < windows.size; k++) {
        const s = w * windows.stride + k - windows.padBefore;
        if (s >= 0 && s < steps) counts[w]!++;
      }
    }
    return div(sum(framed, 2), new Tensor(counts, [outSteps, 1], 'float64'));
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(AveragePooling1D, 'AveragePooling1D.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): AveragePooling1D {
    return new AveragePooling1D(argsFromConfig(AveragePooling1D, config, 'AveragePooling1D.fromConfig'));
  }
}

export interface GlobalPooling1DArgs extends LayerArgs {
  /** Default `'channels_last'`. */
  dataFormat?: DataFormat | null;
  /** Keep the time axis as size 1. Default false. */
  keepdims?: boolean;
}

abstract class GlobalPooling1D extends Layer {
  declare apply: SingleOutputApply;
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  protected constructor(args: GlobalPooling1DArgs, className: string) {
    const context = `${className} constructor`;
    if (args === null || typeof args !== 'object')
      throw new InvalidArgumentError({ argument: 'args', expected: 'an options object', received: args, context });
    super(args, className);
    this.dataFormat = checkDataFormat(args.dataFormat, context);
    this.keepdims = checkBoolean(args.keepdims, false, 'keepdims', context);
    this.built = true;
  }

  protected get stepsAxis(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    checkRank3(shapes, this.dataFormat, context);
  }

  protected floatInput(inputs: Tensor | Tensor[]): Tensor {
    const x = singleInput(inputs, `${this.className} '${this.name}'.apply`);
    return x.dtype === this.dtype ? x : cast(x, this.dtype);
  }

  override computeMask(): null {
    return null;
  }

  override producesMask(): boolean {
    return false;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [b, d1, d2] = inputShape as Shape;
    if (!this.keepdims) return [b!, this.dataFormat === 'channels_last' ? d2! : d1!];
    return this.dataFormat === 'channels_last' ? [b!, 1, d2!] : [b!, d1!, 1];
  }
}

export class GlobalAveragePooling1D extends GlobalPooling1D {
  readonly className: string = 'GlobalAveragePooling1D';
  override readonly callTakesMask: boolean = true;

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalAveragePooling1D');
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const context = `GlobalAveragePooling1D '${this.name}'.apply`;
    const x = this.floatInput(inputs);
    const mask = singleMask(options.mask, context);
    if (mask === null) return mean(x, this.stepsAxis, this.keepdims);
    const [b, d1, d2] = x.shape as [number, number, number];
    const steps = this.stepsAxis === 1 ? d1 : d2;
    if (mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== steps) {
      throw new ShapeError({
        argument: 'mask',
        expected: `a mask of shape [${b}, ${steps}] (batch, steps)`,
        received: formatShape(mask.shape),
        context,
      });
    }
    const w = reshape(cast(mask, x.dtype), this.stepsAxis === 1 ? [b, steps, 1] : [b, 1, steps]);
    return div(sum(mul(x, w), this.stepsAxis, this.keepdims), sum(w, this.stepsAxis, this.keepdims));
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(GlobalAveragePooling1D, 'GlobalAveragePooling1D.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(
      argsFromConfig(GlobalAveragePooling1D, config, 'GlobalAveragePooling1D.fromConfig'),
    );
  }
}

export class GlobalMaxPooling1D extends GlobalPooling1D {
  readonly className: string = 'GlobalMaxPooling1D';

  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalMaxPooling1D');
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    return max(this.floatInput(inputs), this.stepsAxis, this.keepdims);
  }

  override getConfig(): Record<string, unknown> {
    return translatorOf(GlobalMaxPooling1D, 'GlobalMaxPooling1D.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(argsFromConfig(GlobalMaxPooling1D, config, 'GlobalMaxPooling1D.fromConfig'));
  }
}
