/**
 * `TimeDistributed`: Keras 3's wrapper that applies one layer to every time step of a sequence, with the same
 * weights at every step:
 *
 *     output[:, t] = layer(inputs[:, t])          inputs [B,T,...] → output [B,T,...layer's output]
 *
 * The steps are independent, so they are computed in one call of the wrapped layer on `[B·T, ...]` (the batch
 * and time axes merged) and split back: the same numbers as Keras's loop over `t` for layers that treat rows
 * independently (Dense, activations, inference-mode Dropout). As in Keras, the wrapped layer's `call` is used
 * directly (no activity regularization of its own). The mask `[B,T]` passes through to the output; a mask
 * with more axes `[B,T,...]` is also given to a wrapped layer that supports masking, per step.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { reshape } from '../ops/shape-ops.js';
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { singleInput, singleMask } from './call-args.js';
import {
  Layer,
  type CallOptions,
  type LayerArgs,
  type SingleOutputApply,
  type LayerWeight,
  type Shape,
} from './layer.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied at every time step. */
  layer: Layer;
}

export class TimeDistributed extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'TimeDistributed';
  override readonly callTakesMask: boolean = true;
  /** The wrapped layer. */
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    const context = 'TimeDistributed constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with layer',
        received: args,
        context,
      });
    }
    super(args, 'TimeDistributed');
    if (!(args.layer instanceof Layer)) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: 'a Layer instance (e.g. new Dense({ units: 2 }))',
        received: args.layer,
        context,
      });
    }
    this.layer = args.layer;
    this.supportsMasking = true;
  }

  /** The wrapped layer's weights are this layer's weights. */
  override get trackedWeights(): LayerWeight[] {
    return this.layer.trackedWeights;
  }

  /** [B,T,...] → the shape of one step, [B,...]. */
  private childShape(inputShape: Shape | Shape[], context: string): Shape {
    const shape = inputShape as Shape;
    if (!Array.isArray(shape) || shape.length < 3 || Array.isArray(shape[0])) {
      throw new ShapeError({
        argument: 'inputShape',
        expected: 'one shape with at least 3 dimensions [batch, timesteps, ...]',
        received: Array.isArray(shape) && !Array.isArray(shape[0]) ? formatShape(shape) : inputShape,
        context,
      });
    }
    return [shape[0]!, ...shape.slice(2)];
  }

  /** Builds the wrapped layer for one step's shape `[batch, ...]`. */
  override build(inputShape: Shape | Shape[]): void {
    const child = this.childShape(inputShape, `TimeDistributed '${this.name}'.build`);
    if (!this.layer.built) {
      this.layer.build(child);
      // Keras's build_config of the wrapped layer is the shape of one step.
      if (this.layer.buildInputShape === null) this.layer.buildInputShape = child;
    }
    this.buildInputShape = [...(inputShape as Shape)];
    this.built = true;
  }

  protected override checkInputShapes(shapes: readonly (readonly (number | null)[])[], context: string): void {
    if (shapes.length !== 1 || shapes[0]!.length < 3) {
      throw new ShapeError({
        argument: 'inputs',
        expected: 'one tensor with at least 3 dimensions [batch, timesteps, ...]',
        received: shapes.length === 1 ? formatShape(shapes[0]!) : `${shapes.length} tensors`,
        context,
      });
    }
    // The wrapped layer is called directly (on [B*T, ...]), past its own checks: the step shape must be the built one.
    const built = this.buildInputShape as readonly (number | null)[] | null;
    const steps = shapes[0]!.slice(2);
    if (
      this.built &&
      built !== null &&
      !steps.every((d, i) => built[i + 2] === null || built[i + 2] === d || d === null)
    ) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `steps of shape ${formatShape(built.slice(2))} (the layer was built for ${formatShape(built)})`,
        received: formatShape(shapes[0]!),
        context,
      });
    }
    if (this.built && built !== null && steps.length !== built.length - 2) {
      throw new ShapeError({
        argument: 'inputs',
        expected: `a tensor of rank ${built.length} (as built)`,
        received: formatShape(shapes[0]!),
        context,
      });
    }
  }

  /** inputs [B,T,...] → [B,T,...]: the wrapped layer on [B·T,...], split back. */
  override call(inputs: Tensor | Tensor[], options: CallOptions = {}): Tensor {
    const context = `TimeDistributed '${this.name}'.call`;
    const x = singleInput(inputs, context);
    this.checkInputShapes([x.shape], context);
    if (!this.built) this.build([...x.shape]);
    const [B, T] = x.shape as [number, number];
    const mask = singleMask(options.mask, context);
    if (mask !== null && (mask.rank < 2 || mask.shape[0] !== B || mask.shape[1] !== T)) {
      throw new ShapeError({
        argument: 'mask',
        expected: `a tensor of shape [${B}, ${T}, ...] (batch, timesteps, ...)`,
        received: formatShape(mask.shape),
        context,
      });
    }
    // A per-step mask exists only when the mask has axes beyond [B,T].
    const stepMask =
      mask !== null && mask.rank > 2 && this.layer.supportsMasking
        ? reshape(mask, [B * T, ...mask.shape.slice(2)])
        : null;
    const y = this.layer.call(reshape(x, [B * T, ...x.shape.slice(2)]), {
      training: options.training,
      ...(stepMask === null ? {} : { mask: stepMask }),
    });
    if (!(y instanceof Tensor)) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: 'a layer with one output',
        received: `${this.layer.className} '${this.layer.name}' returned ${Array.isArray(y) ? `${y.length} tensors` : y}`,
        context,
      });
    }
    return reshape(y, [B, T, ...y.shape.slice(1)]);
  }

  /** [B,T,...] → [B,T,...the wrapped layer's output for one step]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const child = this.childShape(inputShape, `TimeDistributed '${this.name}'.computeOutputShape`);
    const out = this.layer.computeOutputShape(child);
    if (out.length > 0 && Array.isArray(out[0])) {
      throw new InvalidArgumentError({
        argument: 'layer',
        expected: 'a layer with one output',
        received: `${this.layer.className} '${this.layer.name}'`,
        context: `TimeDistributed '${this.name}'`,
      });
    }
    const step = out as Shape;
    return [step[0] ?? null, (inputShape as Shape)[1] ?? null, ...step.slice(1)];
  }

  protected override outputDType(): DType {
    return this.layer.dtype;
  }

  /** Keras 3's `TimeDistributed.get_config()`: base config, then the wrapped layer serialized. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(TimeDistributed, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  /** A TimeDistributed from a Keras config; the wrapped layer is rebuilt from its `build_config`. */
  static fromConfig(config: Record<string, unknown>): TimeDistributed {
    return new TimeDistributed(argsFromConfig(TimeDistributed, config, 'TimeDistributed.fromConfig'));
  }
}
