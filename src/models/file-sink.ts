/**
 * Where callbacks write files: Node's file system, synchronously (through `process.getBuiltinModule`, so no
 * module of the library imports `node:fs` and browser bundles stay free of it), or a sink the user gives
 * (browsers, tests, remote storage).
 */
import { InvalidArgumentError } from '../errors.js';

/** Writes and appends files. Both may return a promise; callbacks chain their writes in order. */
export interface FileSink {
  /** Creates or replaces `path` with `data` (creating missing directories). */
  write(path: string, data: Uint8Array | string): void | Promise<void>;
  /** Appends `text` to `path` (creating it). */
  append(path: string, text: string): void | Promise<void>;
  /** The first line of `path`, or null when there is no such file. */
  firstLine(path: string): string | null | Promise<string | null>;
}

type NodeFs = typeof import('node:fs');
type NodePath = typeof import('node:path');

function builtin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule(name) as T) : null;
}

/** Node's file system as a sink, or null outside Node (or on a Node without `process.getBuiltinModule`). */
export function nodeFileSink(): FileSink | null {
  const fs = builtin<NodeFs>('node:fs');
  const path = builtin<NodePath>('node:path');
  if (fs === null || path === null) return null;
  const ensureDir = (file: string): void => {
    const dir = path.dirname(file);
    if (dir !== '' && !fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
  };
  return {
    write: (file, data) => {
      ensureDir(file);
      fs.writeFileSync(file, data);
    },
    append: (file, text) => {
      ensureDir(file);
      fs.appendFileSync(file, text);
    },
    firstLine: (file) => (fs.existsSync(file) ? (fs.readFileSync(file, 'utf8').split('\n')[0] ?? '') : null),
  };
}

/** The sink given, else Node's; a clear error where there is neither. */
export function resolveSink(sink: FileSink | undefined, context: string): FileSink {
  if (sink !== undefined) {
    if (
      sink === null ||
      typeof sink.write !== 'function' ||
      typeof sink.append !== 'function' ||
      typeof sink.firstLine !== 'function'
    ) {
      throw new InvalidArgumentError({
        argument: 'sink',
        expected: 'an object with write, append and firstLine functions',
        received: sink,
        context,
      });
    }
    return sink;
  }
  const node = nodeFileSink();
  if (node === null) {
    throw new InvalidArgumentError({
      argument: 'sink',
      expected: 'a FileSink (there is no file system here: not Node.js ≥ 20.16)',
      received: sink,
      context,
    });
  }
  return node;
}
