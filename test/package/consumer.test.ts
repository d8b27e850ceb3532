/**
 * The published package, as a consumer project gets it: `npm pack` (which builds dist/), the tarball unpacked
 * into a temporary project's node_modules (its dependencies linked from ours: no registry), then `require` from
 * CommonJS and `import` from an ES module run the same script — WASM kernels live, a `.keras` file read from a
 * path (the lazy `node:fs` code and h5wasm's WebAssembly), Keras's numbers, ONNX export, worker threads, a typed
 * error — and `tsc --strict` checks a file of usages under each module setting TypeScript users have.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../helpers/fixtures.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
let dir = '';

/** Links package `name` (`@scope/name` too) from our node_modules into the consumer's. */
function link(name: string): void {
  const target = join(dir, 'node_modules', name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', name), target, 'dir');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-gru-consumer-'));
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  const tarball = join(dir, packed.trim().split('\n').pop()!);
  mkdirSync(join(dir, 'node_modules'));
  execFileSync('tar', ['-xzf', tarball, '-C', join(dir, 'node_modules')]);
  renameSync(join(dir, 'node_modules', 'package'), join(dir, 'node_modules', 'keras-gru'));
  for (const name of Object.keys(pkg.dependencies)) link(name);
  // For the type checks: Node's types and what they depend on.
  link('@types/node');
  for (const name of Object.keys(
    (
      JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      }
    ).dependencies ?? {},
  ))
    link(name);
  copyFileSync(join(FIXTURE_DIR, 'models', 'forecaster.keras'), join(dir, 'forecaster.keras'));
  copyFileSync(join(FIXTURE_DIR, 'models', 'forecaster.h5'), join(dir, 'forecaster.h5'));
  copyFileSync(join(FIXTURE_DIR, 'model-forecaster.json'), join(dir, 'forecaster.json'));
}, 180_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The body both module kinds run, after binding `kg` (the package) and `resolved` (the file it resolved to). */
const BODY = `
const fs = require('node:fs');
(async () => {
  const live = await kg.ready();
  const fixture = JSON.parse(fs.readFileSync('forecaster.json', 'utf8'));
  const model = await kg.loadModel('forecaster.keras');
  const y = model.predict(kg.tensor(fixture.inputs.x.data, fixture.inputs.x.shape));
  const legacy = await kg.loadModel('forecaster.h5');
  let error = null;
  try { new kg.GRU({ units: -1 }); } catch (e) { error = { typed: e instanceof kg.InvalidArgumentError && e instanceof kg.KerasGruError, name: e.name, argument: e.argument }; }
  console.log(JSON.stringify({
    resolved, live, backend: kg.getBackend().name, threads: await kg.setThreads(2),
    y: Array.from(y.dataSync()), expected: fixture.outputs[0].data,
    legacy: Array.from(legacy.predict(kg.tensor(fixture.inputs.x.data, fixture.inputs.x.shape)).dataSync()),
    onnxBytes: kg.exportOnnx(model).length, error,
  }));
})();
`;

const SCRIPTS = {
  cjs: `const kg = require('keras-gru');\nconst resolved = require.resolve('keras-gru');\n${BODY}`,
  mjs: `import * as kg from 'keras-gru';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst resolved = import.meta.resolve('keras-gru');\n${BODY}`,
};

interface Report {
  resolved: string;
  live: boolean;
  backend: string;
  threads: number;
  y: number[];
  expected: number[];
  legacy: number[];
  onnxBytes: number;
  error: { typed: boolean; name: string; argument: string } | null;
}

function run(kind: keyof typeof SCRIPTS): Report {
  const file = join(dir, `consumer.${kind}`);
  writeFileSync(file, SCRIPTS[kind]);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 60_000 })) as Report;
}

const maxAbsDiff = (a: number[], b: number[]): number => (
  expect(a.length).toBe(b.length),
  Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))
);

describe.each([
  ['require', 'cjs', 'dist/index.cjs'],
  ['import', 'mjs', 'dist/index.js'],
] as const)('%s', (_how, kind, entry) => {
  it(`resolves to ${entry} and runs: WASM, a .keras and an .h5 file, Keras's numbers (1e-6), ONNX, threads, typed errors`, () => {
    const report = run(kind);
    expect(report.resolved.endsWith(`/keras-gru/${entry}`)).toBe(true);
    expect(report).toMatchObject({ live: true, backend: 'wasm', threads: 2 });
    expect(maxAbsDiff(report.y, report.expected)).toBeLessThan(1e-6);
    expect(maxAbsDiff(report.legacy, report.expected)).toBeLessThan(1e-6);
    expect(report.onnxBytes).toBeGreaterThan(1000);
    expect(report.error).toEqual({ typed: true, name: 'InvalidArgumentError', argument: 'units' });
  });
});

describe('the keras-gru command of the installed package (dist/cli.js: no sources, no tsx)', () => {
  it('runs info and predict, and a usage error exits 2 with one line', () => {
    const bin = join(dir, 'node_modules', 'keras-gru', 'bin', 'keras-gru.js');
    const info = execFileSync(process.execPath, [bin, 'info', 'forecaster.keras', '--json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect((JSON.parse(info) as { model: { params: { total: number } } }).model.params.total).toBe(589);
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [bin, 'info'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failure = e as typeof failure;
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr?.trim()).toBe("keras-gru: error: missing required argument 'file' (see --help)");
  });
});

const USAGE = `import { GRU, InvalidArgumentError, loadModel, ready, setThreads, tensor, type Tensor } from 'keras-gru';

export async function main(): Promise<number> {
  const live: boolean = await ready();
  const threads: number = await setThreads(2);
  const y = new GRU({ units: 4 }).apply(tensor([[[1], [2]]])) as Tensor;
  const model = await loadModel('forecaster.keras');
  const error: unknown = new Error('x');
  if (error instanceof InvalidArgumentError) return error.argument.length;
  return (live ? threads : 0) + y.shape[1]! + model.layers.length;
}
`;

describe('TypeScript consumers type-check against the declarations', () => {
  // [package.json "type", module, moduleResolution, environment]: a Node project has Node's types; a browser
  // bundle has the DOM library and no Node types. Both must find URL, Blob, fetch's Response in what they have.
  const settings = [
    ['commonjs', 'node16', 'node16', 'node'],
    ['module', 'node16', 'node16', 'node'],
    ['commonjs', 'commonjs', 'node10', 'node'],
    ['module', 'esnext', 'bundler', 'dom'],
  ] as const;
  it.each(settings)('"type": "%s", module %s, moduleResolution %s, %s types', (type, module, moduleResolution, env) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }));
    writeFileSync(join(dir, 'usage.ts'), USAGE);
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: 'es2022',
      module,
      moduleResolution,
      lib: env === 'dom' ? ['es2022', 'dom'] : ['es2022'],
      types: env === 'node' ? ['node'] : [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['usage.ts'] }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});
