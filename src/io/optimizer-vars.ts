/**
 * An optimizer's saved state, as the two Keras file formats hold it. Both list Keras's `optimizer.variables`:
 * the iteration count (an int64 scalar), the learning rate (a float32 scalar; absent when a schedule gives it),
 * then the slot variables (momentums, velocities, ...) in the optimizer's creation order.
 *
 *     Keras 3 weights (model.weights.h5 of a .keras):  /optimizer/vars/@name = "adam"
 *                                                      /optimizer/vars/0, 1, 2, ...       (in that order)
 *     legacy .h5:                                      /optimizer_weights/@weight_names = ["adam/iteration", ...]
 *                                                      /optimizer_weights/adam/iteration, ...
 *
 * This module reads and writes those groups; which variable each entry is, and whether the list fits a
 * compiled optimizer, is decided in src/keras/optimizer-state.ts.
 */
import { FileFormatError } from './errors.js';
import {
  getDataset,
  h5Dataset,
  h5Group,
  setDataset,
  stringAttribute,
  attributeString,
  type H5Dataset,
  type H5Group,
  type H5NumericArray,
} from './h5-tree.js';
import { chunkedStrings } from './legacy-h5.js';
import type { FileContext } from './model-config.js';

/** One saved optimizer variable. `name` is the legacy `.h5` weight name; `.keras` files record none. */
export interface SavedOptimizerVariable {
  name?: string;
  shape: number[];
  data: H5NumericArray;
}

export interface SavedOptimizerState {
  /** The optimizer's name as the file records it (`@name` of `optimizer/vars`; `adam/` of a legacy name). */
  name: string | undefined;
  /** Where the variables are in the file (`/optimizer/vars`, `/optimizer_weights`), for error messages. */
  path: string;
  variables: SavedOptimizerVariable[];
}

const INDEX = /^(0|[1-9][0-9]*)$/;

/** A Keras 3 weights tree's `optimizer/vars`, in index order; undefined when the file has no optimizer group. */
export function readKerasOptimizerVars(tree: H5Group, where: FileContext): SavedOptimizerState | undefined {
  const vars = tree.groups.optimizer?.groups.vars;
  if (vars === undefined) return undefined;
  const path = '/optimizer/vars';
  const keys = Object.keys(vars.datasets);
  const bad = keys.find((key) => !INDEX.test(key));
  if (bad !== undefined)
    throw new FileFormatError(`a variable named '${bad}' (expected 0, 1, 2, ...)`, { ...where, path });
  const indices = keys.map(Number).sort((a, b) => a - b);
  const missing = indices.findIndex((key, i) => key !== i);
  if (missing !== -1)
    throw new FileFormatError(`variables are not numbered 0..${keys.length - 1}: missing ${missing}`, {
      ...where,
      path,
    });
  return {
    name: attributeString(vars.attrs.name),
    path,
    variables: indices.map((i) => savedVariable(vars.datasets[String(i)]!)),
  };
}

/** The `optimizer` group of a Keras 3 weights tree: `vars` named after the optimizer, datasets `0`, `1`, .... */
export function kerasOptimizerGroup(state: { name: string; variables: readonly SavedOptimizerVariable[] }): H5Group {
  const vars = h5Group({ attrs: { name: stringAttribute(state.name) } });
  state.variables.forEach((variable, i) => {
    vars.datasets[String(i)] = h5Dataset(variable.data, variable.shape);
  });
  return h5Group({ groups: { vars } });
}

/** A legacy `.h5` tree's `optimizer_weights`, in `weight_names` order; undefined when the file has none. */
export function readLegacyOptimizerWeights(tree: H5Group, where: FileContext): SavedOptimizerState | undefined {
  const group = tree.groups.optimizer_weights;
  if (group === undefined) return undefined;
  const path = '/optimizer_weights';
  const names = chunkedStrings(group.attrs, 'weight_names');
  if (names === undefined) throw new FileFormatError('no weight_names attribute', { ...where, path });
  const variables = names.map((name) => {
    const dataset = getDataset(group, name);
    if (dataset === undefined)
      throw new FileFormatError('weight_names lists a dataset that does not exist', {
        ...where,
        path: `${path}/${name}`,
      });
    return { ...savedVariable(dataset), name };
  });
  const first = names[0];
  return { name: first?.includes('/') ? first.slice(0, first.indexOf('/')) : undefined, path, variables };
}

/** The `optimizer_weights` group of a legacy `.h5`: each variable at its name, listed in `weight_names`. */
export function legacyOptimizerGroup(variables: readonly (SavedOptimizerVariable & { name: string })[]): H5Group {
  const group = h5Group({
    attrs: {
      weight_names: stringAttribute(
        variables.map((v) => v.name),
        { charset: 'ascii' },
      ),
    },
  });
  for (const variable of variables) setDataset(group, variable.name, h5Dataset(variable.data, variable.shape));
  return group;
}

function savedVariable(dataset: H5Dataset): SavedOptimizerVariable {
  return { shape: [...dataset.shape], data: dataset.data };
}
