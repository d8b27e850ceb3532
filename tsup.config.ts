import { defineConfig } from 'tsup';

// One build, two module formats, each with its declarations: dist/index.js + index.d.ts for `import` (the
// Node-only and HDF5 code in lazy chunks, so browser bundles leave them out), dist/index.cjs + index.d.cts for
// `require`.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    // onnx-buf (16 kB of generated ONNX schema, MIT) is published as ESM only, which `require` cannot load before
    // Node 20.19: both outputs carry their own copy. h5wasm (ESM only too) stays a dynamic `import()`, which
    // CommonJS can do.
    noExternal: ['onnx-buf'],
    banner: { js: '// keras-gru. Includes onnx-buf (https://github.com/ekzhang/jax-js, MIT licence, © Eric Zhang).' },
    esbuildOptions(options, { format }) {
      // Error classes name themselves after their class (src/errors.ts); the CommonJS output assigns some classes
      // to `exports.X`, which leaves them nameless without keepNames.
      if (format === 'cjs') options.keepNames = true;
    },
  },
  {
    // The `keras-gru` command (bin/keras-gru.js runs it in an installed package): Node only, ES module, the library
    // bundled in (the CLI uses internals the package does not export). Written after the clean above.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'node',
    noExternal: ['onnx-buf'],
    banner: {
      js: '// keras-gru command line. Includes onnx-buf (https://github.com/ekzhang/jax-js, MIT licence, © Eric Zhang).',
    },
  },
]);
