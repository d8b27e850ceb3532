/**
 * The relaxed-SIMD build (fused multiply-add in the GEMM), which engines use where they validate it. Node 20
 * has relaxed SIMD only behind a flag, so this starts a Node with the flag and checks that build against the
 * reference backend at the usual tolerances.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the relaxed-SIMD kernels match the reference backend', () => {
  const script = fileURLToPath(new URL('./fixtures/relaxed-check.ts', import.meta.url));
  const run = (flags: string[]) =>
    spawnSync(process.execPath, [...flags, '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
  let result = run(['--experimental-wasm-relaxed-simd']);
  if (result.status !== 0 && /bad option|not allowed/i.test(result.stderr)) result = run([]); // flag retired: on by default
  expect(result.status, result.stderr).toBe(0);
  const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, number | string | boolean>;
  expect(report.relaxed).toBe(true);
  expect(report.cache).toBe('wasm');
  expect(report.matMul).toBeLessThan(1e-6);
  expect(report.outputs).toBeLessThan(1e-6);
  expect(report.dRecurrentKernel).toBeLessThan(1e-5);
  expect(report.dx).toBeLessThan(1e-5);
}, 60_000);
