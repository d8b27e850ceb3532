/**
 * The bridge to h5wasm (the HDF5 C library compiled to WebAssembly). It is imported on first use, not when this
 * module is, so that code that never touches HDF5 never loads its 4 MB of WebAssembly. Files live in
 * h5wasm's in-memory file system (MEMFS, in Node as in browsers) only for the duration of one synchronous
 * read or write, under a name of their own.
 */
export type H5wasm = (typeof import('h5wasm'))['default'];
type H5Module = Awaited<H5wasm['ready']>;

/** What the in-memory file system offers; h5wasm's own typing refers to Emscripten's global `FS`. */
interface MemoryFileSystem {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

interface Loaded {
  h5wasm: H5wasm;
  module: H5Module;
  fs: MemoryFileSystem;
}

let loading: Promise<Loaded> | undefined;
let fileCounter = 0;

/** Loads h5wasm once and waits for its WebAssembly. */
export function loadH5wasm(): Promise<Loaded> {
  loading ??= import('h5wasm').then(async ({ default: h5wasm }) => {
    const module = await h5wasm.ready;
    return { h5wasm, module, fs: module.FS as unknown as MemoryFileSystem };
  });
  return loading;
}

/**
 * Runs `body` on an in-memory file that holds `bytes` (or is absent, for `bytes === null`), then deletes the
 * file and returns what `body` returned together with the file's final bytes when `readBack` is set. HDF5 errors
 * inside `body` are thrown as JS errors carrying HDF5's message, instead of being printed to stderr.
 */
export async function withMemoryFile<T>(
  bytes: Uint8Array | null,
  body: (filename: string, h5wasm: H5wasm) => T,
  readBack = false,
): Promise<{ result: T; bytes: Uint8Array | undefined }> {
  const { h5wasm, module, fs } = await loadH5wasm();
  fileCounter += 1;
  const filename = `/keras-gru-${fileCounter}.h5`;
  module.activate_throwing_error_handler();
  try {
    if (bytes !== null) fs.writeFile(filename, bytes);
    const result = body(filename, h5wasm);
    const written = readBack ? fs.readFile(filename).slice() : undefined;
    return { result, bytes: written };
  } finally {
    module.deactivate_throwing_error_handler();
    try {
      fs.unlink(filename);
    } catch {
      // The file was never created (body failed before creating it).
    }
  }
}

/** HDF5's error text is a stack of lines; the first `minor:` line says what went wrong in the fewest words. */
export function summarizeH5Error(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const minor = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('minor:'))
    .map((line) => line.slice('minor:'.length).trim());
  if (minor.length > 0) return minor.join('; ');
  return text.split('\n')[0] ?? text;
}
