/**
 * The io layer must run in browsers: bundled for the browser, its entry may not import Node's modules, h5wasm
 * stays in a chunk of its own loaded on first HDF5 use, and `node.ts` in one loaded only for file paths.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'io', 'index.ts');

describe('browser build of src/io', () => {
  it('bundles for the browser with no Node import in the entry, HDF5 and paths in lazy chunks', async () => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      splitting: true,
      outdir: '/virtual',
      write: false,
      external: ['node:*'],
      logLevel: 'silent',
      metafile: true,
    });
    const entry = result.outputFiles.find((file) => file.path.endsWith('/index.js'))!;
    expect(entry.text).not.toMatch(/from\s*["']node:/);
    expect(entry.text).not.toMatch(/require\(["']node:/);
    // Static imports of the entry (chunks it needs at once) hold neither h5wasm nor node:fs.
    const outputs = result.metafile!.outputs;
    const entryMeta = Object.entries(outputs).find(([path]) => path.endsWith('index.js'))![1];
    for (const imported of entryMeta.imports.filter((item) => item.kind === 'import-statement')) {
      expect(imported.path).not.toMatch(/^node:/);
      const chunk = outputs[imported.path]!;
      expect(Object.keys(chunk.inputs).some((input) => input.includes('h5wasm'))).toBe(false);
    }
    const dynamic = entryMeta.imports.filter((item) => item.kind === 'dynamic-import').map((item) => item.path);
    expect(
      dynamic.some((path) => Object.keys(outputs[path]?.inputs ?? {}).some((input) => input.includes('h5wasm'))),
    ).toBe(true);
    expect(
      dynamic.some((path) =>
        Object.keys(outputs[path]?.inputs ?? {}).some((input) => input.endsWith('src/io/node.ts')),
      ),
    ).toBe(true);
  });
});
