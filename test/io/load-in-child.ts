/**
 * `loadModelInChild`: `loadModel(path)` in a child Node process with a deadline. For files that once hung HDF5
 * inside WebAssembly: a loop there blocks the thread it runs on, test timeouts included, so a regression must
 * be caught from another process to fail instead of hanging the run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '..', '..');

export interface ChildOutcome {
  /** `typed`: a FileFormatError; `untyped`: any other error; `hung`: killed at the deadline. */
  outcome: 'typed' | 'untyped' | 'loaded' | 'hung';
  message: string;
}

export function loadModelInChild(path: string, deadlineMs: number): ChildOutcome {
  const url = (file: string) => pathToFileURL(join(ROOT, file)).href;
  const script = `
    const { loadModel } = await import(${JSON.stringify(url('src/keras/load-model.ts'))});
    const { FileFormatError } = await import(${JSON.stringify(url('src/io/errors.ts'))});
    let result;
    try {
      await loadModel(process.argv[1]);
      result = { outcome: 'loaded', message: '' };
    } catch (error) {
      result = { outcome: error instanceof FileFormatError ? 'typed' : 'untyped', message: String(error?.message ?? error) };
    }
    console.log(JSON.stringify(result));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: deadlineMs,
    killSignal: 'SIGKILL',
  });
  if (child.error !== undefined || child.signal !== null) return { outcome: 'hung', message: String(child.error) };
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as ChildOutcome;
  } catch {
    return { outcome: 'untyped', message: `exit ${child.status}: ${child.stderr.slice(0, 500)}` };
  }
}
