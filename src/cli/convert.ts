/**
 * `keras-gru convert IN OUT`: a model file into another format, chosen by OUT's name: `.keras`, `.weights.h5`,
 * legacy `.h5`, `.onnx`, or a TF.js `model.json` (with its shard files beside it).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KerasGruError } from '../errors.js';
import { loadModel } from '../index.js';
import { modelToLegacyH5, modelToTfjs } from '../keras/model-exports.js';
import { UsageError } from './errors.js';

type Target = 'keras' | 'weights-h5' | 'legacy-h5' | 'onnx' | 'tfjs';

function targetOf(out: string): Target {
  if (out.endsWith('.keras')) return 'keras';
  if (out.endsWith('.weights.h5')) return 'weights-h5';
  if (out.endsWith('.onnx')) return 'onnx';
  if (out.endsWith('.json')) return 'tfjs';
  if (out.endsWith('.h5')) return 'legacy-h5';
  throw new UsageError(
    `${out}: expected an output ending in .keras, .h5, .weights.h5, .onnx or .json (TF.js model.json)`,
  );
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
    case 'legacy-h5':
      await writeFile(output, await modelToLegacyH5(model));
      break;
    case 'onnx':
      await writeFile(output, model.toOnnx());
      break;
    case 'tfjs': {
      // Keras 3's model config as model_config: keras-gru reads it back; TF.js's own loader knows Keras 2's configs only.
      // A config in TF.js's dialect, so tf.loadLayersModel loads it (keras-gru reads it too); a model tfjs would run
      // differently is refused (TfjsExportError).
      const { modelJson, shards } = modelToTfjs(model);
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
