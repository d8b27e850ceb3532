/**
 * File paths in Node.js: bytes from a path, bytes to a path. The only module of src/io that touches
 * `node:fs`; everything else works on bytes and runs in browsers as well.
 *
 * `node:fs/promises` is imported when first needed, by a specifier bundlers leave alone: a browser bundle of
 * anything that can reach this module (a Model, whose `save` writes paths) then resolves without Node's modules.
 */
import { FileExistsError, SourceError } from './errors.js';

type NodeFs = typeof import('node:fs/promises');

const FS_MODULE = 'node:fs/promises';

async function nodeFs(): Promise<NodeFs> {
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ FS_MODULE)) as NodeFs;
}

function label(path: string | URL): string {
  return typeof path === 'string' ? path : path.href;
}

/** The whole file at `path` (a path or a `file:` URL). A missing or unreadable file is a `SourceError`. */
export async function readBytesFromPath(path: string | URL): Promise<Uint8Array> {
  try {
    const buffer = await (await nodeFs()).readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (cause as Error).message;
    throw new SourceError(reason, label(path), { cause });
  }
}

export interface WriteBytesOptions {
  /** Replace an existing file. Default false: an existing file is a `FileExistsError` and is left as it was. */
  overwrite?: boolean;
}

/**
 * Writes `bytes` to `path`. Without `overwrite: true` the file must not exist yet; the check and the creation
 * are one step (`O_EXCL`), so a file that appears meanwhile is not replaced either. Other failures (a missing
 * directory, no permission) are Node's own errors.
 */
export async function writeBytesToPath(
  path: string | URL,
  bytes: Uint8Array,
  options: WriteBytesOptions = {},
): Promise<void> {
  try {
    await (await nodeFs()).writeFile(path, bytes, { flag: options.overwrite ? 'w' : 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(label(path));
    throw cause;
  }
}
