/**
 * `Activation`: Keras 3's layer applying an activation function elementwise. It has no weights and is built
 * from the start (Keras's `_build_at_init`, so its config has no `build_config`); masks pass through.
 */
import { getActivation, type Activation as ActivationFn, type ActivationIdentifier } from '../activations/index.js';
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type CallOptions, type LayerArgs, type Shape, type SingleOutputApply } from './layer.js';
import { singleInput } from './call-args.js';
import { argsFromConfig, translatorOf } from './translators.js';

export interface ActivationArgs extends LayerArgs {
  /** The function: a name (`'relu'`, `'tanh'`, ...) or an activation. */
  activation: ActivationIdentifier;
}

export class Activation extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    const context = 'Activation constructor';
    if (args === null || typeof args !== 'object' || args.activation === undefined) {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with activation',
        received: args,
        context,
      });
    }
    super(args, 'Activation');
    this.supportsMasking = true;
    this.activation = getActivation(args.activation, 'activation', context);
    this.built = true;
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    return this.activation.apply(singleInput(inputs, `Activation '${this.name}'.apply`));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  /** Keras's `Activation.get_config()`: the base config, then `activation`. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Activation, 'Activation.getConfig').toConfig(this, super.getConfig());
  }

  static fromConfig(config: Record<string, unknown>): Activation {
    return new Activation(argsFromConfig(Activation, config, 'Activation.fromConfig'));
  }
}
