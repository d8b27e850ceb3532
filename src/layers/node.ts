/**
 * `Node`: one call of a layer on symbolic tensors (Keras's inbound node). A layer called twice (a shared layer)
 * has two nodes; `getInputAt(i)` and friends read them.
 */
import type { Layer, Shape } from './layer.js';
import type { SymbolicTensor } from './symbolic-tensor.js';

export interface NodeCallArgs {
  /** Symbolic initial states passed to a recurrent layer. */
  initialState: SymbolicTensor[] | null;
  /** Whether the states were given as a list (Keras writes `initial_state` as given: a list or one tensor). */
  initialStateAsList?: boolean;
  /**
   * A symbolic mask passed explicitly, or one (or null) per input of a list (else the inputs' own masks are
   * used).
   */
  mask: SymbolicTensor | readonly (SymbolicTensor | null)[] | null;
  /** A fixed training flag given at call time, if any. */
  training: boolean | undefined;
  /**
   * The call options of the layer's own (its `callOptionNames`, e.g. Attention's `useCausalMask`) that the
   * call was given, in the order given; replayed on every run and written as Keras call kwargs.
   */
  layerOptions?: Readonly<Record<string, unknown>>;
}

export class Node {
  readonly layer: Layer;
  /** The tensors the layer was called on (the first argument; initial states are in `callArgs`). */
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly callArgs: NodeCallArgs;
  /** Whether the layer was called on a single tensor (not a list). */
  readonly singleInput: boolean;
  readonly singleOutput: boolean;

  constructor(
    layer: Layer,
    inputs: readonly SymbolicTensor[],
    outputs: readonly SymbolicTensor[],
    callArgs: NodeCallArgs,
    singleInput: boolean,
    singleOutput: boolean,
  ) {
    this.layer = layer;
    this.inputs = inputs;
    this.outputs = outputs;
    this.callArgs = callArgs;
    this.singleInput = singleInput;
    this.singleOutput = singleOutput;
  }

  /** Every symbolic tensor this call depends on: its inputs, then initial states and explicit masks. */
  get dependencies(): SymbolicTensor[] {
    const mask = this.callArgs.mask;
    const masks = mask === null ? [] : Array.isArray(mask) ? mask.filter((m) => m !== null) : [mask as SymbolicTensor];
    return [...this.inputs, ...(this.callArgs.initialState ?? []), ...masks];
  }

  get inputShapes(): Shape[] {
    return this.inputs.map((t) => [...t.shape]);
  }

  get outputShapes(): Shape[] {
    return this.outputs.map((t) => [...t.shape]);
  }

  get inputMasks(): (SymbolicTensor | null)[] {
    return this.inputs.map((t) => t.mask);
  }

  get outputMasks(): (SymbolicTensor | null)[] {
    return this.outputs.map((t) => t.mask);
  }
}
