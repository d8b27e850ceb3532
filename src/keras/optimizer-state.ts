/**
 * A compiled model's optimizer state in Keras's terms, for saving and for resuming training: the list Keras's
 * `optimizer.variables` gives (the layout of each file is in src/io/optimizer-vars.ts).
 *
 *     0  iterations      int64 []        (Keras 3 stores the iteration count as int64)
 *     1  learning_rate   float32 []      (absent when the learning rate is a schedule)
 *     2… slots           the variable's shape and dtype, slot group by slot group, and within a group variable by
 *                        variable, name by name — Adam: m₀ v₀ m₁ v₁ …; RMSprop: velocities, then momentums,
 *                        then average gradients
 *
 * The variables are the model's trainable variables in Keras's order (`model.trainable_variables`: layers as
 * the config lists them, each layer's variables in `get_weights()` order), which is the order Keras builds the
 * optimizer with when it loads a compiled model (`compile_from_config`), so a file's index i is the same
 * variable in Keras and here. Slots are named as Keras names them: the variable's path with `/` made `_`,
 * then the slot (`gru_gru_cell_kernel_momentum`); legacy `.h5` files list `adam/<that name>`.
 */
import { OptimizerStateMismatchError } from '../io/errors.js';
import type { SavedOptimizerState, SavedOptimizerVariable } from '../io/optimizer-vars.js';
import type { Model } from '../models/model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { kerasOrderedLayers, kerasOrderedVariables } from './model-files.js';
import { weightPaths } from './weight-paths.js';

/** One entry of Keras's `optimizer.variables`: what it is, its shape, and the slot it fills, if a slot. */
interface StateEntry {
  /** Keras's variable name: `iteration`, `learning_rate`, `gru_gru_cell_kernel_momentum`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly slot?: { readonly variable: Variable; readonly name: string };
}

/** The model's trainable variables in Keras's order, each with its Keras path (`gru/gru_cell/kernel`). */
function kerasTrainableVariables(model: Model): { variable: Variable; path: string }[] {
  const trainable = new Set(model.trainableWeights);
  return kerasOrderedLayers(model).flatMap((layer) => {
    const paths = weightPaths(layer);
    return kerasOrderedVariables(layer)
      .map((variable, i) => ({ variable, path: paths[i]! }))
      .filter((entry) => trainable.has(entry.variable));
  });
}

/**
 * Keras's variable list for `optimizer` built on `variables` (Keras order). `built: false` gives the scalars
 * only, as Keras saves an optimizer that has not taken a step yet.
 */
function stateEntries(
  optimizer: Optimizer,
  variables: readonly { variable: Variable; path: string }[],
  built: boolean,
): StateEntry[] {
  const entries: StateEntry[] = [{ name: 'iteration', shape: [] }];
  if (optimizer.learningRateSchedule === null) entries.push({ name: 'learning_rate', shape: [] });
  if (!built) return entries;
  for (const names of optimizer.slotGroupNames) {
    for (const { variable, path } of variables) {
      for (const name of names) {
        entries.push({ name: `${path.replace(/\//g, '_')}_${name}`, shape: variable.shape, slot: { variable, name } });
      }
    }
  }
  return entries;
}

/**
 * The compiled model's optimizer state as Keras saves it (`name` is the optimizer's, each variable named as a
 * legacy `.h5` names it), or undefined for a model that is not compiled.
 */
export function optimizerStateToSave(
  model: Model,
): { name: string; variables: (SavedOptimizerVariable & { name: string })[] } | undefined {
  const optimizer = model.optimizer;
  if (optimizer === null) return undefined;
  // What Keras builds a loaded model's optimizer on: the trainable variables as they are now. A variable frozen
  // since the optimizer saw it is left out (its slots would not fit on load, in Keras or here); one made
  // trainable since gets its slots now, as the next step would give it.
  const trainable = kerasTrainableVariables(model);
  if (optimizer.built) optimizer.build(trainable.map((entry) => entry.variable));
  const entries = stateEntries(optimizer, trainable, optimizer.built);
  const variables = entries.map((entry) => {
    const name = `${optimizer.name}/${entry.name}`;
    if (entry.name === 'iteration') return { name, shape: [], data: BigInt64Array.of(BigInt(optimizer.iterations)) };
    if (entry.slot === undefined) return { name, shape: [], data: Float32Array.of(optimizer.learningRate) };
    const slot = optimizer.getSlot(entry.slot.variable, entry.slot.name)!;
    const data = slot.dtype === 'float64' ? Float64Array.from(slot.values) : Float32Array.from(slot.values);
    return { name, shape: [...slot.shape], data };
  });
  return { name: optimizer.name, variables };
}

/**
 * Whether a legacy `.h5` weight name can be `entry`. Keras itself assigns these by position; the names are
 * checked only where they cannot vary: the scalar's name, and the slot's kind at the end of a slot's name (its
 * start is the variable's path, which holds the model's name or not depending on when Keras built the layer).
 * A Keras 2 or tf.keras order (all momentums, then all velocities) fails here rather than loading misplaced.
 */
function legacyNameFits(name: string, entry: StateEntry): boolean {
  return entry.slot === undefined ? name.endsWith(`/${entry.name}`) : name.endsWith(`_${entry.slot.name}`);
}

function toNumbers(data: SavedOptimizerVariable['data']): Float64Array {
  return Float64Array.from(data as ArrayLike<number | bigint>, (item) => Number(item));
}

function describe(entries: readonly StateEntry[]): string {
  const slots = entries.filter((entry) => entry.slot !== undefined).length;
  const scalars = entries.length - slots;
  return `${entries.length} (${scalars === 2 ? 'iteration, learning_rate' : 'iteration'}, ${slots} slot variables)`;
}

/**
 * Restores a saved optimizer state into the compiled model's optimizer, which must not have taken a step: it is
 * built on the model's trainable variables in Keras's order, then every variable is assigned. A state of the
 * scalars only (an optimizer saved before its first step) restores those. Everything is checked before anything
 * is assigned: another number of variables, a variable of another shape, a legacy name that is not the one
 * expected is an `OptimizerStateMismatchError` naming the file and the variable.
 */
export function restoreOptimizerState(
  model: Model,
  saved: SavedOptimizerState,
  where: { file: string; member?: string },
): void {
  const optimizer = model.requireCompiled('loadModel').optimizer;
  const variables = kerasTrainableVariables(model);
  const full = stateEntries(optimizer, variables, true);
  const scalarsOnly = stateEntries(optimizer, variables, false);
  const details = (index: number, variable?: string) => ({
    ...where,
    path: `${saved.path}/${saved.variables[index]?.name ?? index}`,
    optimizer: optimizer.name,
    ...(variable !== undefined ? { variable } : {}),
  });
  const count = saved.variables.length;
  if (count !== full.length && count !== scalarsOnly.length) {
    const at = Math.min(count, full.length);
    const variable = full[at]?.name ?? `${count - 1}`;
    throw new OptimizerStateMismatchError(
      `the file holds ${count} optimizer variables, the compiled ${optimizer.className} has ${describe(full)}`,
      { ...details(at, variable), path: saved.path },
    );
  }
  const entries = count === full.length ? full : scalarsOnly;
  entries.forEach((entry, i) => {
    const value = saved.variables[i]!;
    if (value.name !== undefined && !legacyNameFits(value.name, entry)) {
      throw new OptimizerStateMismatchError(
        `the file's variable ${i} is '${value.name}', expected '${optimizer.name}/${entry.name}'`,
        details(i, entry.name),
      );
    }
    const scalarFits = entry.slot === undefined && value.data.length === 1 && value.shape.length <= 1;
    if (!scalarFits && !shapesEqual(value.shape, entry.shape)) {
      throw new OptimizerStateMismatchError(
        `variable ${i} has shape ${formatShape(value.shape)} in the file, ${formatShape(entry.shape)} in the model`,
        details(i, entry.name),
      );
    }
  });
  if (entries[1]?.name === 'learning_rate') {
    const rate = Number(saved.variables[1]!.data[0]);
    if (!Number.isFinite(rate) || rate < 0) {
      throw new OptimizerStateMismatchError(
        `the learning rate is ${rate}, expected a finite number ≥ 0`,
        details(1, 'learning_rate'),
      );
    }
  }
  const iterations = Number(saved.variables[0]!.data[0]);
  if (!Number.isSafeInteger(iterations) || iterations < 0) {
    throw new OptimizerStateMismatchError(
      `the iteration count is ${iterations}, expected an integer ≥ 0`,
      details(0, 'iteration'),
    );
  }
  if (entries === full) optimizer.build(variables.map((entry) => entry.variable));
  optimizer.iterations = iterations;
  entries.forEach((entry, i) => {
    const data = toNumbers(saved.variables[i]!.data);
    if (entry.name === 'learning_rate' && entry.slot === undefined) optimizer.learningRate = data[0]!;
    else if (entry.slot !== undefined) {
      const slot = optimizer.getSlot(entry.slot.variable, entry.slot.name)!;
      slot.assign(new Tensor(data, [...slot.shape], 'float64'));
    }
  });
}
