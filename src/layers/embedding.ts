/**
 * `Embedding`: Keras 3's lookup table from token ids to dense vectors, `output[..., :] = embeddings[id, :]`.
 *
 * Inputs are integer ids of any shape `[B, ...]` (other dtypes are cast to int32, truncating, as Keras does);
 * the output is `[B, ..., outputDim]`. The weight is `embeddings [inputDim, outputDim]`, initialized by
 * default from U(−0.05, 0.05) (Keras's `'uniform'`). Its gradient is the scatter-add of the output gradient
 * into the rows that were looked up (the gradient rule of `gather`).
 *
 * With `maskZero`, id 0 is padding: the layer outputs the mask `inputs ≠ 0`, which recurrent layers downstream
 * use to skip those steps (row 0 of the table is still looked up; it is the masked steps that are skipped).
 */
import { getConstraint, type Constraint, type ConstraintIdentifier } from '../constraints/index.js';
import { InvalidArgumentError } from '../errors.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import { argsFromConfig, translatorOf } from './translators.js';
import { gather } from '../ops/shape-ops.js';
import { cast } from '../ops/shape-ops.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { singleInput } from './call-args.js';
import { Layer, type CallOptions, type LayerArgs, type SingleOutputApply, type Shape } from './layer.js';

export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: ids are in [0, inputDim). */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Default `'uniform'`: RandomUniform(−0.05, 0.05). */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier;
  embeddingsConstraint?: ConstraintIdentifier;
  /** Treat id 0 as padding and output the mask `inputs ≠ 0`. Default false. */
  maskZero?: boolean;
}

function positiveInteger(value: unknown, argument: string, context: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError({ argument, expected: 'a positive integer', received: value, context });
  }
  return value;
}

export class Embedding extends Layer {
  declare apply: SingleOutputApply;
  readonly className: string = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly maskZero: boolean;
  /** [inputDim, outputDim], created by `build`. */
  embeddings: Variable | null = null;

  constructor(args: EmbeddingArgs) {
    const context = 'Embedding constructor';
    if (args === null || typeof args !== 'object') {
      throw new InvalidArgumentError({
        argument: 'args',
        expected: 'an options object with inputDim and outputDim',
        received: args,
        context,
      });
    }
    super(args, 'Embedding');
    this.inputDim = positiveInteger(args.inputDim, 'inputDim', context);
    this.outputDim = positiveInteger(args.outputDim, 'outputDim', context);
    const maskZero = args.maskZero ?? false;
    if (typeof maskZero !== 'boolean') {
      throw new InvalidArgumentError({ argument: 'maskZero', expected: 'a boolean', received: maskZero, context });
    }
    this.maskZero = maskZero;
    // Keras: an Embedding has a mask to pass on only when it makes one.
    this.supportsMasking = maskZero;
    this.embeddingsInitializer = getInitializer(
      args.embeddingsInitializer ?? 'uniform',
      'embeddingsInitializer',
      context,
    );
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer, 'embeddingsRegularizer', context);
    this.embeddingsConstraint = getConstraint(args.embeddingsConstraint, 'embeddingsConstraint', context);
  }

  /** Creates `embeddings [inputDim, outputDim]`; the input shape does not matter. */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.built) return;
    this.weightList = [];
    this.buildInputShape = inputShape ?? null;
    this.embeddings = this.addWeight('embeddings', {
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
    this.built = true;
  }

  /** ids `[B, ...]` → `[B, ..., outputDim]`. Throws `InvalidArgumentError` for an id outside [0, inputDim). */
  override call(inputs: Tensor | Tensor[], _options: CallOptions = {}): Tensor {
    const context = `Embedding '${this.name}'.call`;
    const x = singleInput(inputs, context);
    if (!this.built) this.build([...x.shape]);
    const ids = x.dtype === 'int32' ? x : cast(x, 'int32');
    for (let i = 0; i < ids.size; i++) {
      const id = ids.values[i]!;
      if (id < 0 || id >= this.inputDim) {
        throw new InvalidArgumentError({
          argument: 'inputs',
          expected: `token ids in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim})`,
          received: `${id} at flat index ${i}`,
          context,
        });
      }
    }
    return gather(this.embeddings!, ids);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = Array.isArray(inputShape[0]) ? (inputShape[0] as Shape) : (inputShape as Shape);
    return [...shape, this.outputDim];
  }

  /** `inputs ≠ 0` (bool, the inputs' shape) with `maskZero`, else null. */
  override computeMask(inputs: Tensor | Tensor[], _mask: Tensor | null | (Tensor | null)[]): Tensor | null {
    if (!this.maskZero) return null;
    const x = singleInput(inputs, `Embedding '${this.name}'.computeMask`);
    const keep = new Uint8Array(x.size);
    for (let i = 0; i < x.size; i++) keep[i] = x.values[i] !== 0 ? 1 : 0;
    return new Tensor(keep, x.shape, 'bool');
  }

  /** Symbolic side of `computeMask`: the output has a mask exactly when `maskZero`. */
  override producesMask(_inputHasMask: readonly boolean[]): boolean {
    return this.maskZero;
  }

  /** Keras 3's `Embedding.get_config()`: snake_case JSON, key for key. */
  override getConfig(): Record<string, unknown> {
    return translatorOf(Embedding, `${this.className}.getConfig`).toConfig(this, super.getConfig());
  }

  /** An Embedding from a Keras config (Keras 3, or Keras 2 / tf.keras). */
  static fromConfig(config: Record<string, unknown>): Embedding {
    return new Embedding(argsFromConfig(Embedding, config, 'Embedding.fromConfig'));
  }
}
