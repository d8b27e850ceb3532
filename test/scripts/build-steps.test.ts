/**
 * The build-step check (scripts/build-steps.ts) that lets `npm test` skip the WASM compile: a step runs when an
 * output is missing, when there is no stamp, when a source's bytes or the salt changed; otherwise it is skipped
 * without its build being called.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { runSteps, staleReason, stampPath, type BuildStep } from '../../scripts/build-steps.js';

let dir = '';
let builds = 0;

function step(salt = 'compiler 1'): BuildStep {
  return {
    name: 'demo',
    outputs: [join(dir, 'out.txt')],
    sources: [join(dir, 'b.src'), join(dir, 'a.src')],
    salt,
    async build() {
      builds++;
      writeFileSync(
        join(dir, 'out.txt'),
        readFileSync(join(dir, 'a.src'), 'utf8') + readFileSync(join(dir, 'b.src'), 'utf8'),
      );
    },
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'build-steps-'));
  writeFileSync(join(dir, 'a.src'), 'a1');
  writeFileSync(join(dir, 'b.src'), 'b1');
  builds = 0;
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

it('builds when the output is missing, then skips until a source changes', async () => {
  expect(staleReason(step(), dir)).toBe('missing out.txt');
  await runSteps('test', [step()], dir, false);
  expect(builds).toBe(1);
  expect(JSON.parse(readFileSync(stampPath(step()), 'utf8')).sources).toEqual({
    'a.src': expect.any(String),
    'b.src': expect.any(String),
  });
  expect(staleReason(step(), dir)).toBeNull();
  await runSteps('test', [step()], dir, false);
  expect(builds).toBe(1);
  writeFileSync(join(dir, 'b.src'), 'b2');
  expect(staleReason(step(), dir)).toBe('changed b.src');
  await runSteps('test', [step()], dir, false);
  expect(builds).toBe(2);
  expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('a1b2');
});

it('builds when the stamp is missing or unreadable, the salt changed, or forced', async () => {
  await runSteps('test', [step()], dir, false);
  writeFileSync(stampPath(step()), '{ not json');
  expect(staleReason(step(), dir)).toBe('no stamp of the last build');
  rmSync(stampPath(step()));
  expect(staleReason(step(), dir)).toBe('no stamp of the last build');
  await runSteps('test', [step()], dir, false);
  expect(staleReason(step('compiler 2'), dir)).toBe('compiler 1 → compiler 2');
  await runSteps('test', [step()], dir, true);
  expect(builds).toBe(3);
});

it('leaves the step stale when its build fails', async () => {
  const failing: BuildStep = { ...step(), build: () => Promise.reject(new Error('compile error')) };
  await expect(runSteps('test', [failing], dir, false)).rejects.toThrow('compile error');
  writeFileSync(join(dir, 'out.txt'), 'partial');
  expect(staleReason(step(), dir)).toBe('no stamp of the last build');
});
