/**
 * `keras-gru convert IN OUT`: a model file into another format, chosen by OUT's name: `.keras`, `.weights.h5`,
 * `.onnx`, or a TF.js `model.json` (with its shard files beside it). Legacy `.h5` is read, not written.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KerasGruError } from '../errors.js';
import { loadModel, serializeModel } from '../index.js';
import { writeTfjsModel } from '../io/tfjs.js';
import { modelLayerWeights } from '../keras/model-files.js';
import { UsageError } from './errors.js';

type Target = 'keras' | 'weights-h5' | 'onnx' | 'tfjs';

function targetOf(out: string): Target {
  if (out.endsWith('.keras')) return 'keras';
  if (out.endsWith('.weights.h5')) return 'weights-h5';
  if (out.endsWith('.onnx')) return 'onnx';
  if (out.endsWith('.json')) return 'tfjs';
  if (out.endsWith('.h5')) {
    throw new KerasGruError(`${out}: writing legacy .h5 model files is not supported; write .keras (Keras 3's format), .weights.h5, .onnx or a TF.js model.json`);
  }
  throw new UsageError(`${out}: expected an output ending in .keras, .weights.h5, .onnx or .json (TF.js model.json)`);
}

function refuseExisting(path: string, overwrite: boolean): void {
  if (!overwrite && existsSync(path)) throw new KerasGruError(`${path}: file exists; pass --overwrite to replace it`);
}

export async function convert(input: string, output: string, options: { overwrite?: boolean }): Promise<void> {
  const target = targetOf(output);
  const overwrite = options.overwrite === true;
  refuseExisting(output, overwrite);
  const model = await loadModel(input);
  const wrote = [output];
  switch (target) {
    case 'keras':
      await model.save(output, { overwrite });
      break;
    case 'weights-h5':
      await model.saveWeights(output, { overwrite });
      break;
    case 'onnx':
      await writeFile(output, model.toOnnx());
      break;
    case 'tfjs': {
      // Keras 3's model config as model_config: keras-gru reads it back; TF.js's own loader knows Keras 2's configs only.
      const { modelJson, shards } = writeTfjsModel({ config: serializeModel(model) as unknown as Record<string, unknown>, layers: modelLayerWeights(model) });
      const dir = dirname(output);
      for (const shard of shards) refuseExisting(join(dir, shard.path), overwrite);
      for (const shard of shards) {
        await writeFile(join(dir, shard.path), shard.data);
        wrote.push(join(dir, shard.path));
      }
      await writeFile(output, `${JSON.stringify(modelJson)}\n`);
      break;
    }
  }
  console.log(`converted ${basename(input)} (${model.loadedFrom?.format}) to ${wrote.join(', ')}`);
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert a model file: .keras, .h5, model.json → .keras, .weights.h5, .onnx or TF.js model.json (by the output name)')
    .argument('<in>', 'a .keras, legacy .h5 or TF.js model.json model file')
    .argument('<out>', 'the output: NAME.keras, NAME.weights.h5, NAME.onnx or model.json (shards written beside it)')
    .option('--overwrite', 'replace existing output files')
    .addHelpText(
      'after',
      '\nNot supported: writing legacy .h5 model files (Keras 3 reads .keras); reading .weights.h5 alone (it holds no model).\n' +
        'A model.json written here has a Keras 3 config, which keras-gru reads; TF.js itself reads Keras 2 configs only.\n' +
        '\nExamples:\n  keras-gru convert forecaster.h5 forecaster.keras\n  keras-gru convert forecaster.keras forecaster.onnx',
    )
    .action(async (input: string, output: string, options: { overwrite?: boolean }) => convert(input, output, options));
}
