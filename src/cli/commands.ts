/**
 * The commands' options and help, apart from their work: each action imports its command's module (and with it
 * the library) only when it runs, so `--help` and usage errors answer without loading the library.
 */
import { Option, type Command } from 'commander';
import { fraction, nonNegativeInteger, positiveInteger, positiveNumber } from './options.js';
import type { PredictOptions } from './predict.js';
import type { TrainOptions } from './train.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description(
      'describe a model file: format, Keras version, summary with parameter counts, inputs/outputs, compile config',
    )
    .argument('<file>', 'a .keras, .h5, .weights.h5 or TF.js model.json file')
    .option('--json', 'print the description as JSON')
    .addHelpText('after', '\nExamples:\n  keras-gru info forecaster.keras\n  keras-gru info model.json --json')
    .action(async (file: string, options: { json?: boolean }) => (await import('./info.js')).info(file, options));
}

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('run a model on samples from a .csv, .json or .npy file, in batches')
    .argument('<file>', 'a .keras, .h5 or TF.js model.json model file')
    .requiredOption(
      '-i, --input <file>',
      'the samples: .csv (header line, one sample per row, read row-major into the input shape), .json (nested arrays) or .npy',
    )
    .option('-o, --output <file>', 'write the predictions to a .csv, .json or .npy file (default: stdout)')
    .addOption(new Option('--format <format>', 'the format on stdout').choices(['csv', 'json']))
    .option('-b, --batch-size <n>', 'samples per batch', positiveInteger, 256)
    .option('--progress', 'always show a progress bar on stderr (default: on a terminal, for more than one batch)')
    .option('--no-progress', 'never show a progress bar')
    .addHelpText(
      'after',
      '\nExamples:\n  keras-gru predict forecaster.keras --input windows.csv\n  keras-gru predict model.keras -i x.npy -o y.json -b 64',
    )
    .action(async (file: string, options: PredictOptions) => (await import('./predict.js')).predict(file, options));
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'train a forecaster on one CSV column: the last --window values predict the value --horizon steps later',
    )
    .argument('[file]', 'start from this model file (.keras, .h5, model.json) instead of a new GRU(--units) → Dense(1)')
    .option('-c, --config <file>', 'build the model from a Keras model config (JSON: {class_name, config})')
    .requiredOption('-d, --data <file>', 'the CSV file (with a header line)')
    .requiredOption('--column <name>', 'the column to forecast')
    .addOption(
      new Option('--missing <how>', 'empty fields: an error, or filled by linear interpolation')
        .choices(['error', 'interpolate'])
        .default('error'),
    )
    .option('-w, --window <n>', 'values per input window', positiveInteger, 52)
    .option('-H, --horizon <n>', 'steps ahead to forecast', positiveInteger, 4)
    .option('-e, --epochs <n>', 'most epochs to run', positiveInteger, 50)
    .option('-b, --batch-size <n>', 'windows per batch', positiveInteger, 32)
    .option('-u, --units <n>', "the new model's GRU units", positiveInteger, 32)
    .option('--learning-rate <x>', 'Adam learning rate, when the model comes uncompiled', positiveNumber, 0.001)
    .option('--validation <fraction>', 'the last part of the windows kept for validation', fraction, 0.2)
    .option('--patience <n>', 'epochs without improvement before stopping', nonNegativeInteger, 5)
    .option('--seed <n>', 'seed the weights and the shuffling', nonNegativeInteger)
    .requiredOption('-o, --out <file>', 'where to write the model (.keras, or .weights.h5)')
    .option('--history <file>', 'the history file, .csv or .json (default: beside --out, NAME.history.csv)')
    .option('--plot <file>', 'also draw the training curves as SVG')
    .option('--overwrite', 'replace existing output files')
    .option('-q, --quiet', 'no per-epoch lines')
    .addHelpText(
      'after',
      '\nExample:\n  keras-gru train --data co2.csv --column co2 --window 52 --horizon 4 --epochs 30 --out co2.keras --plot co2.svg',
    )
    .action(async (file: string | undefined, options: TrainOptions) =>
      (await import('./train.js')).train(file, options),
    );
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description(
      'convert a model file: .keras, .h5, model.json → .keras, .h5, .weights.h5, .onnx or TF.js model.json (by the output name)',
    )
    .argument('<in>', 'a .keras, legacy .h5 or TF.js model.json model file')
    .argument(
      '<out>',
      'the output: NAME.keras, NAME.h5 (legacy), NAME.weights.h5, NAME.onnx or model.json (shards written beside it)',
    )
    .option('--overwrite', 'replace existing output files')
    .addHelpText(
      'after',
      '\nNot supported: reading .weights.h5 alone (it holds no model).\n' +
        'A model.json written here loads in TF.js (tf.loadLayersModel) and in keras-gru; a model TF.js would run differently (GRU resetAfter: true, Keras 3 hard_sigmoid) is refused.\n' +
        '\nExamples:\n  keras-gru convert forecaster.h5 forecaster.keras\n  keras-gru convert forecaster.keras forecaster.onnx',
    )
    .action(async (input: string, output: string, options: { overwrite?: boolean }) =>
      (await import('./convert.js')).convert(input, output, options),
    );
}
