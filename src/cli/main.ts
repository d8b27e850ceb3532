/**
 * The `keras-gru` command line: `info`, `predict`, `train`, `convert`, `bench` (one file per command). `main`
 * parses, runs and returns the exit code (errors.ts): 0 ok, 1 a failure while running, 2 a usage error. An error
 * is one line on stderr; `--verbose` prints its stack too.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { registerBench } from './bench.js';
import { registerConvert, registerInfo, registerPredict, registerTrain } from './commands.js';
import { EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, UsageError, errorLine } from './errors.js';

function version(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'keras-gru' && pkg.version !== undefined) return pkg.version;
    } catch {
      // not at this level: the source tree and dist sit at different depths
    }
  }
  return 'unknown';
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('keras-gru')
    .description("Keras's GRU for Node.js: inspect, run, train and convert Keras model files")
    .version(version(), '-V, --version')
    .option('-v, --verbose', 'print the stack of an error, not just its message')
    .exitOverride()
    // One line: commander's message with the pointer to --help on the same line.
    .configureOutput({
      outputError: (text, write) =>
        write(text.startsWith('error:') ? `keras-gru: ${text.trimEnd()} (see --help)\n` : text),
    })
    .addHelpText(
      'after',
      "\nExit codes: 0 ok, 1 a failure while running, 2 a usage error.\nRun keras-gru COMMAND --help for a command's options.",
    );
  registerInfo(program);
  registerPredict(program);
  registerTrain(program);
  registerConvert(program);
  registerBench(program, setExitCode);
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

/** Runs the CLI on `argv` (as `process.argv`: node, script, args...) and returns the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram((code) => (exitCode = code));
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    process.stderr.write(`keras-gru: ${error instanceof UsageError ? 'error: ' : ''}${errorLine(error)}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_RUNTIME;
  }
}
