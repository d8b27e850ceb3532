/**
 * `keras-gru bench [args...]`: the library's own benchmark (bench/run.ts, `npm run bench`), which compares
 * keras-gru with TensorFlow.js and ONNX Runtime. It lives in the source checkout with its contenders as dev
 * dependencies, so it runs only from there; arguments pass through (`--quick`, `--only S,M`, `--json`).
 */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KerasGruError } from '../errors.js';

/** The checkout's root: two levels up from src/cli, one from dist. */
function benchScript(): string | null {
  for (const relative of ['../../bench/run.ts', '../bench/run.ts']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}

export async function bench(args: readonly string[]): Promise<number> {
  const script = benchScript();
  if (script === null) {
    throw new KerasGruError(
      'the benchmark runs from a source checkout of keras-gru (bench/ and its contenders are not part of the installed package): run `npm run bench` there',
    );
  }
  const root = fileURLToPath(new URL('..', `file://${script}`));
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 1 : 0)));
  });
}

export function registerBench(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('bench')
    .description(
      "run the library's benchmark (bench/run.ts; from a source checkout): keras-gru vs TensorFlow.js and ONNX Runtime",
    )
    .argument('[args...]', 'passed to the benchmark: --quick, --only S,M, --json')
    .allowUnknownOption()
    .addHelpText('after', '\nExamples:\n  keras-gru bench --quick\n  keras-gru bench --only S,M --json')
    .action(async (args: string[]) => setExitCode(await bench(args)));
}
