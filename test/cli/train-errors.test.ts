/**
 * `keras-gru train` run as a process on a small CSV, and bad input to every command: the exit code and one
 * clear line on stderr, with the stack only under --verbose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/index.js';
import { tensor, type Tensor } from '../../src/tensor/tensor.js';
import { CLI_FIXTURES, MODELS, runCli, stackLines, tempDir } from './run-cli.js';

const SERIES = join(CLI_FIXTURES, 'series.csv');

describe('keras-gru train', () => {
  it('trains a GRU forecaster for a few epochs and writes a loadable model and its history', async () => {
    const dir = tempDir();
    const out = join(dir, 'model.keras');
    const args = [
      'train',
      '--data',
      SERIES,
      '--column',
      'value',
      '--window',
      '8',
      '--horizon',
      '2',
      '--epochs',
      '3',
      '--units',
      '4',
      '--seed',
      '1',
      '--out',
      out,
      '--quiet',
    ];
    const { code, stdout, stderr } = await runCli(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('training on 57 windows of 8 values');
    expect(stdout).toContain(`wrote ${out}, ${join(dir, 'model.history.csv')}`);
    const history = readFileSync(join(dir, 'model.history.csv'), 'utf8').trim().split('\n');
    expect(history[0]).toBe('epoch,loss,mae,val_loss,val_mae');
    expect(history.slice(1).map((line) => line.split(',')[0])).toEqual(['0', '1', '2']);
    for (const line of history.slice(1))
      expect(line.split(',').every((cell) => Number.isFinite(Number(cell)))).toBe(true);
    // The saved model takes raw values (the standardization is folded into its weights): forecasts near the data.
    const model = await loadModel(out);
    const values = readFileSync(SERIES, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[1]));
    const y = (await model.predict(tensor(Float32Array.from(values.slice(0, 8)), [1, 8, 1]))) as Tensor;
    expect(y.shape).toEqual([1, 1]);
    const forecast = (y.dataSync() as Float32Array)[0]!;
    expect(forecast).toBeGreaterThan(Math.min(...values) - 5);
    expect(forecast).toBeLessThan(Math.max(...values) + 5);
    // Without --overwrite the outputs are kept.
    const again = await runCli(args);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`keras-gru: error: ${out}: file exists; pass --overwrite to replace it`);
  });

  it('continues training from its own file where it left off: 3 epochs then 2 more equal 5 in one run', async () => {
    const dir = tempDir();
    // One batch (57 windows < 64), so shuffling cannot change the steps and the two runs must agree.
    const common = ['--data', SERIES, '--column', 'value', '--window', '8', '--horizon', '2', '--units', '4'];
    const flags = [...common, '--seed', '1', '--batch-size', '64', '--quiet'];
    const at = (name: string) => join(dir, name);
    const [whole, first] = await Promise.all([
      runCli(['train', ...flags, '--epochs', '5', '--out', at('whole.keras')]),
      runCli(['train', ...flags, '--epochs', '3', '--out', at('first.keras')]),
    ]);
    expect([whole.code, first.code]).toEqual([0, 0]);
    const resumed = await runCli(['train', at('first.keras'), ...flags, '--epochs', '2', '--out', at('more.keras')]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const rows = (name: string) =>
      readFileSync(at(name), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',').slice(1).map(Number));
    const expected = rows('whole.history.csv').slice(3);
    const got = rows('more.history.csv');
    expect(got).toHaveLength(2);
    // loss, mae, val_loss, val_mae per epoch; float32 rounding of folding the standardization out and back in.
    got.flat().forEach((value, i) => {
      const want = expected.flat()[i]!;
      expect(Math.abs(value - want) / Math.abs(want)).toBeLessThan(1e-5);
    });
  });
});

describe.concurrent('bad input: exit code and one line on stderr, no stack', () => {
  const model = join(MODELS, 'forecaster.keras');
  const cases: [string, string[], number, RegExp][] = [
    [
      'a missing model file',
      ['info', join(CLI_FIXTURES, 'missing.keras')],
      1,
      /missing\.keras: no such file or directory$/,
    ],
    [
      'a missing input file',
      ['predict', model, '-i', join(CLI_FIXTURES, 'missing.csv')],
      1,
      /missing\.csv: no such file or directory$/,
    ],
    ['a file that is not a model', ['info', SERIES], 1, /series\.csv: not a Keras file/],
    [
      'a ragged CSV row',
      ['train', '--data', join(CLI_FIXTURES, 'ragged.csv'), '--column', 'value', '--out', 'x.keras'],
      1,
      /ragged\.csv: row 3, line 4: 1 field, the header has 2$/,
    ],
    [
      'a non-number in a CSV',
      ['train', '--data', join(CLI_FIXTURES, 'not-a-number.csv'), '--column', 'value', '--out', 'x.keras'],
      1,
      /not-a-number\.csv: row 3, line 4, column 'value': "abc" is not a number$/,
    ],
    [
      'a ragged CSV for predict',
      ['predict', model, '-i', join(CLI_FIXTURES, 'ragged.csv')],
      1,
      /ragged\.csv: row 3, line 4: 1 field/,
    ],
    [
      'a window longer than the data',
      ['train', '--data', SERIES, '--column', 'value', '--window', '100', '--out', 'x.keras'],
      1,
      /column 'value' has 80 values; --window 100 and --horizon 4 need at least 105/,
    ],
    [
      'a column that is not there',
      ['train', '--data', SERIES, '--column', 'co2', '--out', 'x.keras'],
      1,
      /no such column: "co2"; the columns are "t", "value"$/,
    ],
    [
      'input that does not fit the model',
      ['predict', model, '-i', SERIES],
      1,
      /does not fit the model's input \(None, 20, 3\)/,
    ],
    [
      'a bad option value',
      ['train', '--data', SERIES, '--column', 'value', '--window', 'many', '--out', 'x.keras'],
      2,
      /error: option '-w, --window <n>' argument 'many' is invalid\. expected a positive integer\. \(see --help\)$/,
    ],
    ['an unknown command', ['fit'], 2, /error: unknown command 'fit' \(see --help\)$/],
    [
      'an output format it cannot write',
      ['convert', model, join(CLI_FIXTURES, 'x.txt')],
      2,
      /x\.txt: expected an output ending in \.keras, \.h5/,
    ],
  ];
  it.each(cases)('%s', async (_, args, exitCode, message) => {
    const { code, stdout, stderr } = await runCli(args, { cwd: tempDir() });
    expect(code).toBe(exitCode);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^keras-gru: /);
    expect(lines[0]).toMatch(message);
  });

  it('--verbose adds the stack, before or after the command', async () => {
    const [before, after] = await Promise.all([
      runCli(['--verbose', 'info', join(CLI_FIXTURES, 'missing.keras')]),
      runCli(['info', SERIES, '--verbose']),
    ]);
    for (const run of [before, after]) {
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n')[0]).toMatch(/^keras-gru: /);
      expect(stackLines(run.stderr).length).toBeGreaterThan(0);
    }
    expect(after.stderr).toContain('FileFormatError');
  });
});
