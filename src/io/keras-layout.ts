/**
 * Where Keras 3 keeps each layer's variables in a `.weights.h5` (also `model.weights.h5` inside `.keras`).
 *
 * Keras walks the model as a tree of "saveables". Each saveable gets a group whose `vars` subgroup holds its own
 * variables as datasets `0, 1, 2, ...` (trainable first, then non-trainable) and carries a `name` attribute (the
 * object's name); its child saveables get subgroups named after the attribute that holds them. The model's
 * `layers` list becomes `layers/<class name in snake_case>`, numbered `_1`, `_2`, ... on repeats
 * (`layers/gru`, `layers/gru_1`). Sequential models leave their InputLayer out of that list; functional models
 * keep it. For a GRU:
 *
 *     layers/gru/vars                       (none of its own; @name = "gru_29")
 *     layers/gru/cell/vars/0, 1, 2          kernel [I,3U], recurrent_kernel [U,3U], bias [3U] or [2,3U]
 *
 * Bidirectional: `forward_layer/...` and `backward_layer/...` (each a whole RNN layout); TimeDistributed:
 * `layer/...`; Dense: `vars/0..1`; Embedding: `vars/0`. `get_weights()` order is own variables first, then the
 * children in the order the layer created them (forward before backward), which is not the groups' (alphabetical)
 * order; `layouts` here states that order.
 */
import {
  isModelEntry,
  layerEntry,
  modelLayers,
  isOperationEntry,
  toSnakeCase,
  type FileContext,
  type LayerEntry,
} from './model-config.js';

export interface SaveableLayout {
  /** The object's name, which Keras writes as `vars@name` (a layer's name; `gru_cell` for a GRU's cell). */
  name: string;
  /** Its own variables' names in order, or null when the class is unknown (then the file says how many). */
  variables: string[] | null;
  /** Child saveables in `get_weights()` order: the group name and the child's layout. Null when unknown. */
  children: { key: string; layout: SaveableLayout }[] | null;
  /** For a nested model: its layers, stored under `layers/`. */
  layers?: { key: string; layerName: string; layout: SaveableLayout }[];
}

/** Classes that have no variables of their own and no child saveables. */
const WEIGHTLESS = new Set([
  'InputLayer',
  'Masking',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Activation',
  'ActivityRegularization',
  'Flatten',
  'Reshape',
  'RepeatVector',
  'Permute',
  'Cropping1D',
  'ZeroPadding1D',
  'UpSampling1D',
  'Concatenate',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Dot',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling1D',
  'AveragePooling1D',
  'MaxPooling1D',
  'Softmax',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Identity',
]);

const RNN_CELLS: Record<string, string> = { GRU: 'GRUCell', LSTM: 'LSTMCell', SimpleRNN: 'SimpleRNNCell' };

function withBias(names: string[], bias: string, config: Record<string, unknown>): string[] {
  return config.use_bias === false ? names : [...names, bias];
}

function leaf(name: string, variables: string[]): SaveableLayout {
  return { name, variables, children: [] };
}

/** The layout of one layer (or cell) entry; `name` overrides the entry's own name. */
export function layoutOf(entry: LayerEntry, name = entry.name): SaveableLayout {
  const { className, config } = entry;
  if (WEIGHTLESS.has(className) || isOperationEntry(entry)) return leaf(name, []);
  switch (className) {
    case 'Dense':
      return leaf(name, withBias(['kernel'], 'bias', config));
    case 'Embedding':
      return leaf(name, ['embeddings']);
    case 'GRUCell':
    case 'LSTMCell':
    case 'SimpleRNNCell':
      return leaf(name, withBias(['kernel', 'recurrent_kernel'], 'bias', config));
    case 'GRU':
    case 'LSTM':
    case 'SimpleRNN': {
      // Keras 3 builds the cell itself from the layer's options and names it after the cell class.
      const cellClass = RNN_CELLS[className]!;
      const cell = layoutOf({ className: cellClass, name: toSnakeCase(cellClass), config, entry: {} });
      return { name, variables: [], children: [{ key: 'cell', layout: cell }] };
    }
    case 'RNN': {
      const cell = layerEntry(config.cell);
      if (cell === undefined) break;
      return { name, variables: [], children: [{ key: 'cell', layout: layoutOf(cell) }] };
    }
    case 'Bidirectional': {
      const forward = layerEntry(config.layer);
      if (forward === undefined) break;
      const backward = layerEntry(config.backward_layer);
      const innerName = forward.name.replace(/^forward_/, '');
      return {
        name,
        variables: [],
        children: [
          { key: 'forward_layer', layout: layoutOf(forward) },
          { key: 'backward_layer', layout: backward ? layoutOf(backward) : layoutOf(forward, `backward_${innerName}`) },
        ],
      };
    }
    case 'TimeDistributed': {
      const inner = layerEntry(config.layer);
      if (inner === undefined) break;
      return { name, variables: [], children: [{ key: 'layer', layout: layoutOf(inner) }] };
    }
    default:
      if (isModelEntry(entry)) {
        const model = modelLayers(entry.entry, { file: '<config>' });
        return { name, variables: [], children: [], layers: containerLayouts(model.className, model.layers) };
      }
  }
  return { name, variables: null, children: null };
}

/**
 * The `layers/` subgroup name of each layer of a model, in config order, with its layout. Layers that Keras
 * leaves out of `model.layers` (a Sequential's InputLayer, functional ops) get no group and are not listed.
 */
export function containerLayouts(
  modelClass: string,
  layers: readonly LayerEntry[],
): { key: string; layerName: string; layout: SaveableLayout }[] {
  const used = new Map<string, number>();
  const result: { key: string; layerName: string; layout: SaveableLayout }[] = [];
  for (const entry of layers) {
    if (isOperationEntry(entry)) continue;
    if (modelClass === 'Sequential' && entry.className === 'InputLayer') continue;
    const base = toSnakeCase(entry.className);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    const key = count === undefined ? base : `${base}_${count + 1}`;
    result.push({ key, layerName: entry.name, layout: layoutOf(entry) });
  }
  return result;
}

/** How many variables a layout holds in all, or null if some part is unknown. */
export function variableCount(layout: SaveableLayout): number | null {
  if (layout.variables === null || layout.children === null) return null;
  let total = layout.variables.length;
  for (const child of [...layout.children, ...(layout.layers ?? [])]) {
    const count = variableCount(child.layout);
    if (count === null) return null;
    total += count;
  }
  return total;
}

/** The model's layers and their groups: `modelLayers` plus `containerLayouts`. */
export function modelLayouts(modelConfig: unknown, where: FileContext) {
  const model = modelLayers(modelConfig, where);
  return { ...model, containers: containerLayouts(model.className, model.layers) };
}
