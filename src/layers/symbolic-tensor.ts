/**
 * `SymbolicTensor`: Keras's KerasTensor — a placeholder with a shape (batch first, null = any size) and a
 * dtype, made by `input()` or by calling a layer on symbolic tensors. Its `history` says which layer call (node)
 * produced it, so a functional `Model` can replay the graph on real tensors.
 */
import type { DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Layer, Shape } from './layer.js';

export interface SymbolicHistory {
  /** The layer whose call produced the tensor. */
  readonly layer: Layer;
  /** Which call of that layer (index into `layer.inboundNodes`). */
  readonly nodeIndex: number;
  /** Which output of that call. */
  readonly tensorIndex: number;
}

export class SymbolicTensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly name: string;
  readonly history: SymbolicHistory;
  /** The symbolic mask that comes with this tensor ([B,T], bool), or null. */
  readonly mask: SymbolicTensor | null;

  constructor(shape: Shape, dtype: DType, name: string, history: SymbolicHistory, mask: SymbolicTensor | null = null) {
    this.shape = Object.freeze([...shape]) as Shape;
    this.dtype = dtype;
    this.name = name;
    this.history = history;
    this.mask = mask;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The layer that outputs this tensor. */
  get sourceLayer(): Layer {
    return this.history.layer;
  }

  toString(): string {
    return `SymbolicTensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}, name=${this.name})`;
  }
}

export function isSymbolicTensor(value: unknown): value is SymbolicTensor {
  return value instanceof SymbolicTensor;
}
