/**
 * `keras-gru` run as a process on the vendored fixtures: --help for every command, `info` on each format,
 * `predict` from .csv/.json/.npy, and `convert` through every format and back into a prediction.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/npy.js';
import { tensor } from '../../src/tensor/tensor.js';
import { runOnnx } from '../onnx/ort.js';
import { CLI_FIXTURES, MODELS, ROOT, forecasterExpected, runCli, tempDir } from './run-cli.js';

const TFJS = join(ROOT, 'test/fixtures/tfjs');

/** The numbers of predict's CSV (a header `output_0`, ..., then one row per sample). */
function csvNumbers(text: string): number[] {
  const [header, ...rows] = text.trim().split('\n');
  expect(header).toBe('output_0');
  return rows.map(Number);
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance));
}

describe.concurrent('keras-gru --help', () => {
  it.each(['info', 'predict', 'train', 'convert', 'bench'])(
    '%s --help prints its usage and exits 0',
    async (command) => {
      const { code, stdout, stderr } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain(`Usage: keras-gru ${command}`);
      expect(stdout).toMatch(/Examples?:/);
    },
  );

  it('the program --help lists every command and the exit codes; --version prints the version', async () => {
    const [help, version] = await Promise.all([runCli(['--help']), runCli(['--version'])]);
    expect(help.code).toBe(0);
    for (const command of ['info', 'predict', 'train', 'convert', 'bench']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('Exit codes');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});

describe.concurrent('keras-gru info', () => {
  it.each([
    ['forecaster.keras', 'Keras 3 model archive (.keras)'],
    ['tagger.h5', 'legacy Keras HDF5 model (.h5)'],
  ])('%s: format, Keras version, summary with parameter counts, inputs and outputs', async (file, format) => {
    const { code, stdout, stderr } = await runCli(['info', join(MODELS, file)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Format:         ${format}`);
    expect(stdout).toContain('Keras version:  3.15.1');
    expect(stdout).toMatch(/Total params: \d+/);
    expect(stdout).toContain('Inputs:');
    expect(stdout).toContain('Outputs:');
  });

  it('forecaster.keras --json: 589 parameters, input (None, 20, 3), output (None, 1)', async () => {
    const { code, stdout } = await runCli(['info', join(MODELS, 'forecaster.keras'), '--json']);
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as {
      format: string;
      kerasVersion: string;
      model: { params: { total: number }; inputs: { shape: unknown }[]; outputs: { shape: unknown }[] };
    };
    expect(info.format).toBe('keras');
    expect(info.kerasVersion).toBe('3.15.1');
    expect(info.model.params.total).toBe(589);
    expect(info.model.inputs[0]!.shape).toEqual([null, 20, 3]);
    expect(info.model.outputs[0]!.shape).toEqual([null, 1]);
  });

  it('a compiled Keras file: the optimizer state it holds, as text and in --json', async () => {
    const file = join(ROOT, 'test/fixtures/user-models/seq2seq_initial_state.keras');
    const [text, json] = await Promise.all([runCli(['info', file]), runCli(['info', file, '--json'])]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/optimizer state +18 variables at iteration 1 \(fit resumes from them\)/);
    expect((JSON.parse(json.stdout) as { optimizerState: unknown }).optimizerState).toEqual({
      variables: 18,
      iterations: 1,
    });
  });

  it('a .weights.h5 lists its variables', async () => {
    const { code, stdout } = await runCli(['info', join(MODELS, 'forecaster.weights.h5')]);
    expect(code).toBe(0);
    expect(stdout).toContain('weights only');
    expect(stdout).toContain('Variables:      5 (589 numbers)');
  });
});

describe.concurrent('keras-gru predict', () => {
  const expected = forecasterExpected();

  it.each(['x.csv', 'x.json', 'x.npy'])(
    "forecaster.keras on %s prints the CSV of Keras's predictions",
    async (input) => {
      const { code, stdout, stderr } = await runCli([
        'predict',
        join(MODELS, 'forecaster.keras'),
        '--input',
        join(CLI_FIXTURES, input),
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expectClose(csvNumbers(stdout), expected);
    },
  );

  it('--output writes .json and .npy files (batched: --batch-size 3 over 4 samples)', async () => {
    const dir = tempDir();
    const model = join(MODELS, 'forecaster.h5');
    const [json, npy] = await Promise.all([
      runCli(['predict', model, '-i', join(CLI_FIXTURES, 'x.npy'), '-o', join(dir, 'y.json'), '-b', '3']),
      runCli(['predict', model, '-i', join(CLI_FIXTURES, 'x.json'), '--output', join(dir, 'y.npy')]),
    ]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('');
    expect(json.stderr).toContain('wrote 4 predictions of shape [4, 1]');
    expectClose((JSON.parse(readFileSync(join(dir, 'y.json'), 'utf8')) as number[][]).flat(), expected);
    expect(npy.code).toBe(0);
    const y = parseNpy(new Uint8Array(readFileSync(join(dir, 'y.npy'))), 'y.npy');
    expect(y.shape).toEqual([4, 1]);
    expectClose(Array.from(y.dataSync() as Float32Array), expected);
  });
});

describe('keras-gru convert', () => {
  it('.keras → .h5 → model.json → .onnx, each step readable by the next and predicting as tfjs did', async () => {
    // A model TF.js can run too (resetAfter: false, Keras 2's hard sigmoid): the one tfjs saved itself.
    const dir = tempDir();
    const source = join(TFJS, 'gru-dense', 'model.json');
    const steps: [string, string][] = [
      [source, join(dir, 'gru.keras')],
      [join(dir, 'gru.keras'), join(dir, 'gru.h5')],
      [join(dir, 'gru.h5'), join(dir, 'model.json')],
      [join(dir, 'model.json'), join(dir, 'gru.onnx')],
    ];
    for (const [from, to] of steps) {
      const { code, stdout, stderr } = await runCli(['convert', from, to]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`to ${to}`);
      expect(existsSync(to)).toBe(true);
    }
    expect(existsSync(join(dir, 'group1-shard1of1.bin'))).toBe(true);
    const expected = JSON.parse(readFileSync(join(TFJS, 'gru-dense', 'expected.json'), 'utf8')) as {
      input: { data: number[]; shape: number[] };
      output: { data: number[] };
    };
    const input = join(dir, 'x.json');
    writeFileSync(
      input,
      JSON.stringify(Array.from({ length: 3 }, (_, b) => expected.input.data.slice(b * 18, (b + 1) * 18))),
    );
    const runs = await Promise.all(
      [join(dir, 'gru.h5'), join(dir, 'model.json')].map((model) =>
        runCli(['predict', model, '-i', input, '--format', 'json']),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expectClose((JSON.parse(run.stdout) as number[][]).flat(), expected.output.data);
    }
    // A file that exists is refused without --overwrite, and replaced with it.
    const again = await runCli(['convert', join(dir, 'gru.keras'), join(dir, 'gru.h5')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/file exists; pass --overwrite/);
    expect((await runCli(['convert', join(dir, 'gru.keras'), join(dir, 'gru.h5'), '--overwrite'])).code).toBe(0);
  });

  it('a model TF.js would run differently is refused for model.json in one line (exit 1)', async () => {
    const { code, stderr } = await runCli(['convert', join(MODELS, 'forecaster.keras'), join(tempDir(), 'model.json')]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^keras-gru: layer 'gru_29': recurrent_activation 'hard_sigmoid' is relu6/),
    ]);
  });

  it("the ONNX file runs in ONNX Runtime with Keras's predictions", async () => {
    const dir = tempDir();
    const onnx = join(dir, 'forecaster.onnx');
    expect((await runCli(['convert', join(MODELS, 'forecaster.h5'), onnx])).code).toBe(0);
    const x = JSON.parse(readFileSync(join(CLI_FIXTURES, 'x.json'), 'utf8')) as number[][][];
    const out = Object.values(await runOnnx(new Uint8Array(readFileSync(onnx)), { input_layer_6: tensor(x) }));
    expectClose(Array.from(out[0]!.data), forecasterExpected());
  });
});
