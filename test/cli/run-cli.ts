/**
 * Runs the `keras-gru` command as a process, as `npx keras-gru` does in the checkout: node on bin/keras-gru.js,
 * which runs the sources through tsx. Each call is a fresh node (about 1.5 s), so the tests run them
 * concurrently.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'keras-gru.js');
export const MODELS = join(ROOT, 'test/fixtures/keras-golden/models');
export const CLI_FIXTURES = join(ROOT, 'test/fixtures/cli');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keras-gru-cli-'));
}

/** The forecaster's expected predictions on the CLI fixtures' x.* (Keras's model.predict). */
export function forecasterExpected(): number[] {
  const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/keras-golden/model-forecaster.json'), 'utf8')) as {
    outputs: { data: number[] }[];
  };
  return fixture.outputs[0]!.data;
}

/** The lines of stderr that look like a stack trace. */
export function stackLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^\s+at /.test(line));
}
