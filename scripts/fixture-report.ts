/**
 * Prints how far keras-gru stands from real Keras on every golden fixture, per backend: the worst absolute
 * difference of the forward outputs, and the worst gradient error relative to the largest reference value; then
 * the model files Keras saved (test/fixtures/keras-golden/models, test/fixtures/user-models) loaded from `.keras`
 * and legacy `.h5`, the worst |Δ| of `predict` against Keras's outputs.
 * Run with `npx tsx scripts/fixture-report.ts` (after `npm run build:wasm`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  GRU,
  add,
  listBackends,
  loadModel,
  mul,
  setBackend,
  sum,
  valueAndGrads,
  variable,
  type Tensor,
} from '../src/index.js';
import { fixtureNames, loadFixture, maxAbsDiff, toTensor, type FixtureTensor } from '../test/helpers/fixtures.js';

const asList = (out: Tensor | Tensor[]): Tensor[] => (Array.isArray(out) ? out : [out]);

function relError(actual: Tensor, expected: FixtureTensor): number {
  const v = actual.dataSync();
  const scale = Math.max(...expected.data.map(Math.abs), 1e-12);
  return Math.max(...expected.data.map((e, i) => Math.abs(v[i]! - e) / scale));
}

for (const backend of listBackends()) {
  setBackend(backend);
  console.log(`\nbackend: ${backend}`);
  console.log('fixture                   forward max |Δ|   gradient max rel');
  for (const name of [...fixtureNames('fwd-'), ...fixtureNames('grad-')]) {
    const fx = loadFixture(name);
    const layer = GRU.fromConfig(fx.keras_config);
    layer.build(fx.inputs.x.shape);
    layer.setWeights(fx.weights.map((w) => toTensor(w)));
    const x = variable(toTensor(fx.inputs.x));
    const h0 = fx.inputs.initial_state ? variable(toTensor(fx.inputs.initial_state)) : null;
    const mask = fx.inputs.mask ? toTensor(fx.inputs.mask, 'int32') : undefined;
    let outputs: Tensor[] = [];
    const watched = [...layer.trainableWeights, x, ...(h0 ? [h0] : [])];
    const { grads } = valueAndGrads(() => {
      outputs = asList(layer.apply(x, { initialState: h0 ? [h0] : undefined, mask }));
      const weights = fx.grad?.loss_weights;
      return outputs.map((o, i) => sum(weights ? mul(o, toTensor(weights[i]!)) : o)).reduce((a, b) => add(a, b));
    }, watched);
    const fwd = Math.max(...outputs.map((o, i) => maxAbsDiff(o, fx.outputs[i]!)));
    let grad = '';
    if (fx.grad) {
      const g = fx.grad;
      const errs = g.d_weights.map((dw, i) => relError(grads[i]!, dw));
      errs.push(relError(grads[g.d_weights.length]!, g.d_x));
      if (h0) errs.push(relError(grads[g.d_weights.length + 1]!, g.d_initial_state!));
      grad = Math.max(...errs).toExponential(2);
    }
    console.log(`${name.padEnd(26)}${fwd.toExponential(2).padStart(15)}${grad.padStart(19)}`);
  }
}

interface ModelFileCase {
  name: string;
  /** Folder under test/fixtures holding `name.keras` and `name.h5`. */
  dir: string;
  /** What Keras was given and what it predicted. */
  reference(): { inputs: Tensor | Tensor[]; expected: FixtureTensor };
}

const fixturePath = (file: string): string => fileURLToPath(new URL(`../test/fixtures/${file}`, import.meta.url));

const MODEL_FILES: ModelFileCase[] = [
  ...['forecaster', 'tagger', 'text_classifier'].map((name) => ({
    name,
    dir: 'keras-golden/models',
    reference: () => {
      const fx = loadFixture<{ inputs: { x: FixtureTensor }; outputs: FixtureTensor[] }>(`model-${name}`);
      return {
        inputs: toTensor(fx.inputs.x, name === 'text_classifier' ? 'int32' : 'float32'),
        expected: fx.outputs[0]!,
      };
    },
  })),
  ...['seq2seq_initial_state', 'bidirectional_encoder_decoder'].map((name) => ({
    name,
    dir: 'user-models',
    reference: () => {
      const text = readFileSync(fixturePath(`user-models/${name}.json`), 'utf8');
      const fx = JSON.parse(text) as { inputs: FixtureTensor[]; outputs: FixtureTensor[] };
      return { inputs: fx.inputs.map((t) => toTensor(t)), expected: fx.outputs[0]! };
    },
  })),
];

for (const backend of listBackends()) {
  setBackend(backend);
  console.log(`\nbackend: ${backend}`);
  console.log('model file                          .keras max |Δ|    .h5 max |Δ|');
  for (const m of MODEL_FILES) {
    const { inputs, expected } = m.reference();
    const cells: string[] = [];
    for (const ext of ['keras', 'h5']) {
      const model = await loadModel(fixturePath(`${m.dir}/${m.name}.${ext}`));
      cells.push(maxAbsDiff(model.predict(inputs) as Tensor, expected).toExponential(2));
    }
    console.log(`${m.name.padEnd(34)}${cells[0]!.padStart(15)}${cells[1]!.padStart(15)}`);
  }
}
