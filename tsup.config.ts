import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

// One build, two module formats, each with its declarations: dist/index.js + index.d.ts for `import` (the
// Node-only and HDF5 code in lazy chunks, so browser bundles leave them out), dist/index.cjs + index.d.cts for
// `require`. The two run at once, so dist/ is emptied here, before either starts.
const common: Options = {
  entry: { index: 'src/index.ts' },
  dts: true,
  sourcemap: true,
  clean: false,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
};

export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true });
  return [
    { ...common, format: 'esm' },
    {
      ...common,
      format: 'cjs',
      // onnx-buf (16 kB of generated ONNX schema, MIT) is published as ESM only, which `require` cannot load
      // before Node 20.19: the CommonJS build carries its own copy. h5wasm (ESM only too) stays a dynamic
      // `import()`, which CommonJS can do.
      noExternal: ['onnx-buf'],
      // Error classes name themselves after their class (src/errors.ts); this output assigns some classes to
      // `exports.X`, which leaves them nameless without esbuild's keepNames.
      keepNames: true,
      banner: { js: '// Includes onnx-buf (https://github.com/ekzhang/jax-js, MIT licence, © Eric Zhang).' },
    },
  ];
});
