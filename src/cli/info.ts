/**
 * `keras-gru info FILE`: what a model file holds — its format and Keras version, the model's summary table with
 * parameter counts, its inputs and outputs, and how it was compiled. A `.weights.h5` file holds no model: its
 * variables are listed instead.
 */
import { readFile } from 'node:fs/promises';
import { loadModel, type Model } from '../index.js';
import { readH5 } from '../io/h5-read.js';
import type { H5Group } from '../io/h5-tree.js';
import { isLegacyH5Tree } from '../io/legacy-h5.js';
import { loadKerasFile, sniffFormat, type KerasFileKind, type LoadedKerasFile } from '../io/load.js';
import { columns, kerasShape } from './format.js';
import { modelPorts } from './model-io.js';

const FORMAT_NAMES: Record<KerasFileKind, string> = {
  keras: 'Keras 3 model archive (.keras)',
  'legacy-h5': 'legacy Keras HDF5 model (.h5)',
  'weights-h5': 'Keras 3 weights (.weights.h5)',
  tfjs: 'TensorFlow.js layers model (model.json)',
};

interface WeightRow {
  path: string;
  shape: number[];
  dtype: string;
}

function h5Variables(group: H5Group, prefix = ''): WeightRow[] {
  const rows: WeightRow[] = [];
  for (const [name, dataset] of Object.entries(group.datasets))
    rows.push({ path: `${prefix}${name}`, shape: dataset.shape, dtype: dataset.dtype });
  for (const [name, child] of Object.entries(group.groups)) rows.push(...h5Variables(child, `${prefix}${name}/`));
  return rows;
}

/** The optimizer state a file holds (`optimizer/vars`, `optimizer_weights`): how many variables, which step. */
function optimizerStateSummary(file: LoadedKerasFile): { variables: number; iterations: number } | undefined {
  const state = file.optimizerState;
  const first = state?.variables[0];
  if (state === undefined || first === undefined) return undefined;
  return { variables: state.variables.length, iterations: Number(first.data[0]) };
}

/** The compile settings a file records: `.keras`'s compile_config, or legacy `.h5` / TF.js's training_config. */
function compileSettings(file: LoadedKerasFile): Record<string, unknown> | undefined {
  const config = file.kind === 'keras' ? file.config?.compile_config : file.trainingConfig;
  return config !== null && typeof config === 'object' && Object.keys(config).length > 0
    ? (config as Record<string, unknown>)
    : undefined;
}

/** `Adam (learning_rate=0.001)` from a serialized optimizer, `adam` from a name. */
function describeOptimizer(optimizer: unknown): string {
  if (typeof optimizer === 'string') return optimizer;
  if (optimizer === null || typeof optimizer !== 'object') return JSON.stringify(optimizer);
  const { class_name: className, config } = optimizer as { class_name?: unknown; config?: Record<string, unknown> };
  const lr = config?.learning_rate ?? config?.lr;
  const rate =
    typeof lr === 'number'
      ? `learning_rate=${Number(lr.toPrecision(7))}`
      : lr !== undefined
        ? `learning_rate=${JSON.stringify(lr)}`
        : '';
  return `${String(className)}${rate ? ` (${rate})` : ''}`;
}

function describeName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(describeName).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const v = value as { class_name?: unknown; config?: { name?: unknown } };
    if (typeof v.config?.name === 'string') return v.config.name;
    if (typeof v.class_name === 'string') return v.class_name;
  }
  return JSON.stringify(value);
}

function modelDescription(model: Model) {
  const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  return {
    name: model.name,
    className: model.className,
    params: { total: trainable + nonTrainable, trainable, nonTrainable },
    ...modelPorts(model),
    layers: model.layers.map((layer) => ({
      name: layer.name,
      className: layer.className,
      params: layer.built ? layer.countParams() : 0,
    })),
  };
}

export async function info(path: string, options: { json?: boolean }): Promise<void> {
  const bytes = new Uint8Array(await readFile(path));
  if (sniffFormat(bytes) === 'hdf5') {
    const tree = await readH5(bytes, { file: path });
    if (!isLegacyH5Tree(tree)) {
      // A Keras 3 .weights.h5: no config, so no model; list the variables.
      const variables = h5Variables(tree);
      const total = variables.reduce((n, v) => n + v.shape.reduce((a, b) => a * b, 1), 0);
      if (options.json) {
        console.log(JSON.stringify({ file: path, format: 'weights-h5', variables, params: total }, null, 2));
        return;
      }
      console.log(`File:           ${path}`);
      console.log(`Format:         ${FORMAT_NAMES['weights-h5']}; it holds weights only, no model config`);
      console.log(`Variables:      ${variables.length} (${total.toLocaleString('en-US')} numbers)`);
      for (const line of columns(variables.map((v) => [v.path, `[${v.shape.join(', ')}]`, v.dtype]))) console.log(line);
      return;
    }
  }
  const file = await loadKerasFile(path);
  const model = await loadModel(path, { compile: false });
  const compile = compileSettings(file);
  const description = modelDescription(model);
  if (options.json) {
    const out = {
      file: path,
      format: file.kind,
      kerasVersion: file.kerasVersion ?? null,
      semantics: model.loadedFrom?.semantics,
      model: description,
      compileConfig: compile ?? null,
      optimizerState: optimizerStateSummary(file) ?? null,
    };
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(`File:           ${path}`);
  console.log(`Format:         ${FORMAT_NAMES[file.kind]}`);
  console.log(
    `Keras version:  ${file.kerasVersion ?? 'not recorded'} (names read with Keras ${model.loadedFrom?.semantics} semantics)`,
  );
  console.log('');
  model.summary((line) => console.log(line));
  console.log('');
  console.log('Inputs:');
  for (const line of columns(description.inputs.map((t) => [t.name, kerasShape(t.shape), t.dtype]))) console.log(line);
  console.log('Outputs:');
  for (const line of columns(description.outputs.map((t) => [t.name, kerasShape(t.shape), t.dtype]))) console.log(line);
  if (compile === undefined) {
    console.log('Compile config: none (the model was saved uncompiled)');
    return;
  }
  console.log('Compile config:');
  const rows: string[][] = [
    ['optimizer', describeOptimizer(compile.optimizer_config ?? compile.optimizer)],
    ['loss', describeName(compile.loss)],
  ];
  if (compile.metrics !== undefined && compile.metrics !== null) rows.push(['metrics', describeName(compile.metrics)]);
  const state = optimizerStateSummary(file);
  rows.push([
    'optimizer state',
    state === undefined
      ? 'none (training starts with a fresh optimizer)'
      : `${state.variables} variables at iteration ${state.iterations} (fit resumes from them)`,
  ]);
  for (const line of columns(rows)) console.log(line);
}
