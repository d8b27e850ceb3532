/**
 * The native backend's install story and selection: native/build.mjs (the package's `install` script) never
 * fails an install, printing one line whatever goes wrong; without the addon the library runs on the WASM
 * kernels and `getBackend()` says so; with it, 'native' is the default in Node and `getBackend()` names it.
 * Each case loads the backend modules afresh, so the addon is looked for again.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { nativeAvailable } from '../../src/backend/native/index.js';

const BUILD = fileURLToPath(new URL('../../native/build.mjs', import.meta.url));
const SCRATCH = join(tmpdir(), `keras-gru-native-${process.pid}`);

async function fresh(): Promise<typeof import('../../src/backend/registry.js')> {
  vi.resetModules();
  return import('../../src/backend/registry.js');
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('native/build.mjs (npm install runs it)', () => {
  afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

  it.each([
    ['no C++ compiler', { CXX: '/nonexistent/g++' }, /^keras-gru native backend: skipped: no C\+\+ compiler/],
    ['no compiler on PATH', { PATH: '/nonexistent' }, /^keras-gru native backend: skipped: no C\+\+ compiler/],
    // Node answers `--version` like a compiler, then refuses every compiler flag.
    [
      'a compiler that fails',
      { CXX: process.execPath },
      /^keras-gru native backend: not built \(.+\); the WebAssembly kernels run instead\n$/,
    ],
    [
      'KERAS_GRU_NATIVE=off',
      { KERAS_GRU_NATIVE: 'off' },
      /^keras-gru native backend: skipped \(KERAS_GRU_NATIVE=off\)/,
    ],
  ])('exits 0 with one line of output: %s', (_case, env, line) => {
    // Into a scratch directory, so the addon the other tests load is never replaced under them.
    const result = spawnSync(process.execPath, [BUILD], {
      env: { ...process.env, ...env, KERAS_GRU_NATIVE_OUT: SCRATCH },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(line);
  });
});

describe('selection', () => {
  it('without the addon (KERAS_GRU_NATIVE=off): WASM by default, and setBackend("native") runs on WASM, named so', async () => {
    vi.stubEnv('KERAS_GRU_NATIVE', 'off');
    const rt = await fresh();
    expect(rt.getBackend().name).toBe('wasm');
    rt.setBackend('native');
    expect(rt.selectedBackend().name).toBe('native');
    expect(rt.getBackend().name).toBe('wasm');
    await expect(rt.ready()).resolves.toBe(true);
  });

  it('an addon file that is missing or not an addon: WASM, silently', async () => {
    vi.stubEnv('KERAS_GRU_NATIVE', BUILD); // a JavaScript file, not a .node
    const rt = await fresh();
    expect(rt.getBackend().name).toBe('wasm');
    vi.stubEnv('KERAS_GRU_NATIVE', '/nonexistent/keras_gru_native.node');
    const again = await fresh();
    expect(again.getBackend().name).toBe('wasm');
  });

  it.skipIf(!nativeAvailable())('with the addon built: native by default, named by getBackend()', async () => {
    const rt = await fresh();
    expect(rt.getBackend().name).toBe('native');
    const { nativeInstructionSet } = await import('../../src/backend/native/index.js');
    expect(['avx512', 'avx2', 'generic']).toContain(nativeInstructionSet());
    rt.setBackend('wasm');
    expect(rt.getBackend().name).toBe('wasm');
  });
});
