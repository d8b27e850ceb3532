/**
 * `GraphBuilder`: collects the nodes and initializers of one ONNX graph. Values are named strings; every
 * name is unique, prefixed by the layer being translated (`gru_1/...`). Constants are shared, and a weight
 * (a `Variable`) becomes one initializer however many nodes read it (shared layers).
 */
import type { NodeProto, TensorProto } from 'onnx-buf';
import { nodeProto, tensorProto, type AttributeValue, type OnnxDType } from './proto.js';

export type Attributes = Readonly<Record<string, AttributeValue>>;

/** Attribute values, so that call sites read `{ axis: int(1) }`. */
export const int = (value: number): AttributeValue => ({ kind: 'int', value });
export const float = (value: number): AttributeValue => ({ kind: 'float', value });
export const str = (value: string): AttributeValue => ({ kind: 'string', value });
export const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
export const floats = (value: readonly number[]): AttributeValue => ({ kind: 'floats', value });
export const strs = (value: readonly string[]): AttributeValue => ({ kind: 'strings', value });

/** ONNX `TensorProto.DataType` codes, for Cast's `to`. */
export const DATA_TYPE: Record<OnnxDType, number> = { float32: 1, int32: 6, int64: 7, bool: 9 };

/** The smallest int64: with step −1 a Slice end of it reaches index 0. */
const INT64_MIN = -(2 ** 63);

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly weights = new Map<object, Map<string, string>>();
  private scope = '';

  /** Names `name` (and every value the translation of one layer makes) under `scope/`. */
  inScope<T>(scope: string, body: () => T): T {
    const saved = this.scope;
    this.scope = scope;
    try {
      return body();
    } finally {
      this.scope = saved;
    }
  }

  /** Reserves a name as is (graph inputs and outputs). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new RangeError(`ONNX value name '${name}' is used twice`);
    this.used.add(name);
    return name;
  }

  /** A fresh name: `scope/base`, with a numeric suffix when taken. */
  fresh(base: string): string {
    const stem = this.scope === '' ? base : `${this.scope}/${base}`;
    let name = stem;
    for (let i = 1; this.used.has(name); i++) name = `${stem}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output and returns the output's name. */
  op(opType: string, inputs: readonly string[], attributes: Attributes = {}, base?: string): string {
    return this.opN(opType, inputs, 1, attributes, base)[0]!;
  }

  /** Adds a node with `outputs` outputs (named after `base`, default the op type). */
  opN(
    opType: string,
    inputs: readonly string[],
    outputs: number,
    attributes: Attributes = {},
    base?: string,
  ): string[] {
    const stem = base ?? opType;
    const names = Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? stem : `${stem}_${i}`));
    this.nodes.push(nodeProto(opType, inputs, names, this.fresh(`${stem}_node`), attributes));
    return names;
  }

  /** Adds a node whose outputs are given names (a graph output computed by the last op). */
  opInto(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Attributes = {}): void {
    this.nodes.push(nodeProto(opType, inputs, outputs, this.fresh(`${opType}_node`), attributes));
  }

  /** An initializer holding `values` of shape `dims`. */
  initializer(base: string, dtype: OnnxDType, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(base);
    this.initializers.push(tensorProto(name, dtype, dims, values));
    return name;
  }

  /** A constant, shared by value across the graph. A scalar when `dims` is `[]`. */
  constant(dtype: OnnxDType, dims: readonly number[], values: readonly number[]): string {
    const key = `${dtype}:${dims.join('x')}:${values.join(',')}`;
    const found = this.constants.get(key);
    if (found !== undefined) return found;
    const saved = this.scope;
    this.scope = '';
    const name = this.initializer(`const_${dtype}_${this.constants.size}`, dtype, dims, values);
    this.scope = saved;
    this.constants.set(key, name);
    return name;
  }

  /** A 1-D int64 constant (axes, shapes, Slice bounds). */
  int64s(values: readonly number[]): string {
    return this.constant('int64', [values.length], values);
  }

  /** A float32 scalar constant. */
  scalar(value: number): string {
    return this.constant('float32', [], [value]);
  }

  /**
   * The initializer for `owner` (a Variable) in the layout `key` names, made once by `make`: a weight read by
   * several nodes (a shared layer) is stored once.
   */
  weight(owner: object, key: string, make: () => { dims: number[]; values: ArrayLike<number> }): string {
    let forOwner = this.weights.get(owner);
    if (forOwner === undefined) {
      forOwner = new Map();
      this.weights.set(owner, forOwner);
    }
    const found = forOwner.get(key);
    if (found !== undefined) return found;
    const { dims, values } = make();
    const name = this.initializer(key, 'float32', dims, values);
    forOwner.set(key, name);
    return name;
  }

  // ---- shape helpers --------------------------------------------------------------------------------------

  transpose(x: string, perm: readonly number[]): string {
    return this.op('Transpose', [x], { perm: ints(perm) });
  }

  squeeze(x: string, axes: readonly number[]): string {
    return this.op('Squeeze', [x, this.int64s(axes)]);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    return this.op('Unsqueeze', [x, this.int64s(axes)]);
  }

  cast(x: string, to: OnnxDType): string {
    return this.op('Cast', [x], { to: int(DATA_TYPE[to]) });
  }

  /** `x` reversed along `axis` (a Slice with step −1 over the whole axis). */
  reverse(x: string, axis: number): string {
    return this.op(
      'Slice',
      [x, this.int64s([-1]), this.int64s([INT64_MIN]), this.int64s([axis]), this.int64s([-1])],
      {},
      'Reverse',
    );
  }

  /** The size of `axis` of `x`, as a 1-D int64 tensor of one element. */
  dim(x: string, axis: number): string {
    const shape = this.op('Shape', [x]);
    return this.op('Gather', [shape, this.int64s([axis])], { axis: int(0) });
  }
}
