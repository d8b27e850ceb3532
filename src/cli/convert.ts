/**
 * `keras-gru convert IN OUT`: a model file into another format, chosen by OUT's name: `.keras`, `.weights.h5`,
 * legacy `.h5`, `.onnx`, or a TF.js `model.json` (with its shard files beside it).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KerasGruError } from '../errors.js';
import { loadModel } from '../index.js';
import { saveTfjsFiles } from '../keras/model-save.js';
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
    case 'weights-h5':
      await model.saveWeights(output, { overwrite });
      break;
    case 'onnx':
      await writeFile(output, model.toOnnx());
      break;
    case 'tfjs': {
      // The shards go beside model.json: refuse to replace any of them unless asked, before writing one.
      const files = model.toTfjs();
      for (const shard of files.shards) refuseExisting(join(dirname(output), shard.path), overwrite);
      wrote.push(...(await saveTfjsFiles(files, output, { overwrite })).map(String));
      break;
    }
    default:
      // .keras and legacy .h5, as model.save writes them.
      await model.save(output, { overwrite });
  }
  console.log(`converted ${basename(input)} (${model.loadedFrom?.format}) to ${wrote.join(', ')}`);
}
