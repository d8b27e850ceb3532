/**
 * `keras-gru predict FILE --input X`: runs a model on the samples of a `.csv`, `.json` or `.npy` file, in
 * batches, and writes the predictions (CSV on stdout by default).
 */
import { loadModel, tensor, type Tensor } from '../index.js';
import { fitToInput, encodeArray, formatOf, readArray, writeArray, type ArrayFormat } from './arrays.js';
import { KerasGruError } from '../errors.js';
import { modelPorts } from './model-io.js';
import { ProgressBar } from './progress.js';

export interface PredictOptions {
  input: string;
  output?: string;
  format?: ArrayFormat;
  batchSize: number;
  progress?: boolean;
}

export async function predict(file: string, options: PredictOptions): Promise<void> {
  const output = options.output;
  if (output !== undefined) formatOf(output, '--output');
  const model = await loadModel(file, { compile: false });
  const ports = modelPorts(model);
  if (ports.inputs.length !== 1 || ports.outputs.length !== 1) {
    throw new KerasGruError(
      `${file}: predict runs models with one input and one output; this one has ${ports.inputs.length} and ${ports.outputs.length}`,
    );
  }
  const x = fitToInput(await readArray(options.input), ports.inputs[0]!.shape, options.input);
  const [count, ...sample] = x.shape as [number, ...number[]];
  const perSample = sample.reduce((a, b) => a * b, 1);
  const flat = x.dataSync() as Float32Array;
  const batches = Math.ceil(count / options.batchSize);
  // A bar on a terminal when there is more than one batch; --progress / --no-progress force it on or off.
  const bar = ProgressBar.create(count, 'predict', options.progress ?? (batches > 1 ? 'auto' : false));
  const parts: Float32Array[] = [];
  let outSample: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = b * options.batchSize;
    const end = Math.min(count, start + options.batchSize);
    const batch = tensor(flat.subarray(start * perSample, end * perSample), [end - start, ...sample]);
    const y = (await model.predict(batch, { batchSize: options.batchSize })) as Tensor;
    outSample = y.shape.slice(1);
    parts.push(Float32Array.from(y.dataSync() as ArrayLike<number>));
    bar?.update(end);
  }
  bar?.finish();
  const total = parts.reduce((n, p) => n + p.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  const shape = [count, ...outSample];
  if (output !== undefined) {
    await writeArray(output, data, shape);
    process.stderr.write(`wrote ${count} predictions of shape [${shape.join(', ')}] to ${output}\n`);
    return;
  }
  const encoded = encodeArray(data, shape, options.format ?? 'csv');
  process.stdout.write(encoded);
}
