/**
 * The public constructors of the layers whose `apply` result type depends on their arguments. A class's
 * type parameter cannot default one way when a user writes the type (`GRU`: any GRU, `returnState` unknown)
 * and another when `new` infers it (no `returnState`: false). So the classes keep the first default, and the
 * values exported here are the same classes seen through a construct signature with the second:
 * `new GRU({ units: 8, returnState: true }).apply(x)` is `[Tensor, Tensor]`, `new GRU({ units: 8 }).apply(x)`
 * a `Tensor`. At run time these are the classes themselves (`instanceof`, statics and names unchanged).
 */
import { Bidirectional as BidirectionalClass, type BidirectionalArgs, type MergeMode } from './bidirectional.js';
import { GRU as GRUClass, type GRUArgs } from './gru.js';
import type { RNN } from './rnn.js';

/**
 * `returnState` as written in the arguments: `true`, `false` or left out, else `boolean`. Overloads rather
 * than one generic signature: a generic one would take `boolean` from the context when the GRU is written
 * inside another constructor's arguments (`new Bidirectional({ layer: new GRU(...) })`).
 */
type GRUConstructor = {
  new (args: GRUArgs & { returnState: true }): GRUClass<true>;
  new (args: GRUArgs & { returnState?: false }): GRUClass<false>;
  new (args: GRUArgs): GRUClass<boolean>;
} & typeof GRUClass;

/** The wrapped layer's type and the merge mode as written (`'concat'` when left out). */
type BidirectionalConstructor = {
  new <L extends RNN, M extends MergeMode = 'concat'>(args: BidirectionalArgs<L, M>): BidirectionalClass<L, M>;
} & typeof BidirectionalClass;

export const GRU = GRUClass as GRUConstructor;
export type GRU<RS extends boolean = boolean> = GRUClass<RS>;

export const Bidirectional = BidirectionalClass as BidirectionalConstructor;
export type Bidirectional<L extends RNN = RNN, M extends MergeMode = MergeMode> = BidirectionalClass<L, M>;
