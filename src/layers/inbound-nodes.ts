/**
 * A layer's calls on symbolic tensors, the second of `Layer`'s three parts (tracking.ts → inbound-nodes.ts →
 * layer.ts): the nodes that `apply` records (Keras's `_inbound_nodes`) and the reference page's accessors over
 * them (`input`, `output`, `getInputAt(i)`, ...).
 */
import { AttributeError, InvalidArgumentError } from '../errors.js';
import type { Node } from './node.js';
import type { SymbolicTensor } from './symbolic-tensor.js';
import { TrackingLayer, type Shape } from './tracking.js';

/** A layer's inbound nodes and their accessors; `Layer` (layer.ts) is the class to extend. */
export abstract class ConnectedLayer extends TrackingLayer {
  /** The calls of this layer on symbolic tensors, in order (Keras's `_inbound_nodes`). */
  readonly inboundNodes: Node[] = [];

  private nodeAt(nodeIndex: number, what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new AttributeError(
        `${this.className} '${this.name}'.${what}: the layer has no inbound nodes (it was never called on symbolic tensors)`,
      );
    }
    if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= this.inboundNodes.length) {
      throw new InvalidArgumentError({
        argument: 'nodeIndex',
        expected: `an integer in [0, ${this.inboundNodes.length - 1}] (the layer has ${this.inboundNodes.length} inbound node${this.inboundNodes.length === 1 ? '' : 's'})`,
        received: nodeIndex,
        context: `${this.className} '${this.name}'.${what}`,
      });
    }
    return this.inboundNodes[nodeIndex]!;
  }

  private singleNode(what: string): Node {
    if (this.inboundNodes.length > 1) {
      throw new AttributeError(
        `${this.className} '${this.name}'.${what}: the layer has ${this.inboundNodes.length} inbound nodes (it is connected to more than one incoming layer); use the ${what === 'input' || what === 'output' ? `get${what[0]!.toUpperCase()}${what.slice(1)}At(nodeIndex)` : 'get...At(nodeIndex)'} form`,
      );
    }
    return this.nodeAt(0, what);
  }

  /** The input tensor(s) of the layer's only call. AttributeError with several or no inbound nodes. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return unwrap(this.singleNode('input').inputs, this.singleNode('input').singleInput);
  }

  /** The output tensor(s) of the layer's only call. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    return unwrap(this.singleNode('output').outputs, this.singleNode('output').singleOutput);
  }

  /** The input mask(s) of the layer's only call (null where none). */
  get inputMask(): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.singleNode('inputMask');
    return unwrap(node.inputMasks, node.singleInput);
  }

  /** The output mask(s) of the layer's only call. */
  get outputMask(): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.singleNode('outputMask');
    return unwrap(node.outputMasks, node.singleOutput);
  }

  /** The input shape(s): of the only call, or shared by all calls. AttributeError when undefined. */
  get inputShape(): Shape | Shape[] {
    return this.sharedShape(
      'inputShape',
      (n) => n.inputShapes,
      (n) => n.singleInput,
    );
  }

  /** The output shape(s): of the only call, or shared by all calls. */
  get outputShape(): Shape | Shape[] {
    return this.sharedShape(
      'outputShape',
      (n) => n.outputShapes,
      (n) => n.singleOutput,
    );
  }

  private sharedShape(what: string, get: (n: Node) => Shape[], single: (n: Node) => boolean): Shape | Shape[] {
    if (this.inboundNodes.length === 0) {
      throw new AttributeError(
        `${this.className} '${this.name}'.${what}: the layer has no defined ${what} (it was never called on symbolic tensors)`,
      );
    }
    const first = JSON.stringify(get(this.inboundNodes[0]!));
    if (this.inboundNodes.some((n) => JSON.stringify(get(n)) !== first)) {
      throw new AttributeError(
        `${this.className} '${this.name}'.${what}: the layer has several inbound nodes with different shapes; use get${what[0]!.toUpperCase()}${what.slice(1)}At(nodeIndex)`,
      );
    }
    return unwrap(get(this.inboundNodes[0]!), single(this.inboundNodes[0]!));
  }

  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'getInputAt');
    return unwrap(node.inputs, node.singleInput);
  }

  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'getOutputAt');
    return unwrap(node.outputs, node.singleOutput);
  }

  getInputShapeAt(nodeIndex: number): Shape | Shape[] {
    const node = this.nodeAt(nodeIndex, 'getInputShapeAt');
    return unwrap(node.inputShapes, node.singleInput);
  }

  getOutputShapeAt(nodeIndex: number): Shape | Shape[] {
    const node = this.nodeAt(nodeIndex, 'getOutputShapeAt');
    return unwrap(node.outputShapes, node.singleOutput);
  }

  getInputMaskAt(nodeIndex: number): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.nodeAt(nodeIndex, 'getInputMaskAt');
    return unwrap(node.inputMasks, node.singleInput);
  }

  getOutputMaskAt(nodeIndex: number): SymbolicTensor | null | (SymbolicTensor | null)[] {
    const node = this.nodeAt(nodeIndex, 'getOutputMaskAt');
    return unwrap(node.outputMasks, node.singleOutput);
  }

  /**
   * TF 1.x's `graph` (the graph holding the layer's ops). keras-gru runs eagerly and has no TF graph; the
   * nearest honest meaning is the layer's own record of symbolic calls, its inbound nodes. Empty when the layer
   * was only called on real tensors.
   */
  get graph(): readonly Node[] {
    return this.inboundNodes;
  }

  /** TF 1.x's `scope_name`: the prefix of the layer's variable names, which is the layer's name. */
  get scopeName(): string {
    return this.name;
  }
}

function unwrap<T>(list: readonly T[], single: boolean): T | T[] {
  return single && list.length === 1 ? list[0]! : [...list];
}
