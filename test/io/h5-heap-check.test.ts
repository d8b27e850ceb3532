/**
 * The HDF5 heap check (src/io/h5-heap-check.ts): files whose global heap or local heap would loop the HDF5 C
 * library forever are refused before h5wasm reads them, with a FileFormatError naming the file; every real file
 * passes. The files that hang HDF5 without the check are loaded in a child process with a deadline, so that a
 * regression fails here instead of hanging the test run inside WebAssembly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { FileFormatError } from '../../src/io/errors.js';
import { checkH5Heaps, occurrences } from '../../src/io/h5-heap-check.js';
import { readH5 } from '../../src/io/h5-read.js';
import { h5Group, stringAttribute } from '../../src/io/h5-tree.js';
import { writeH5 } from '../../src/io/h5-write.js';
import { loadModelInChild } from './load-in-child.js';
import { localHeapFreeListCycle, withFlippedBits, withGlobalHeapObjectSize } from './hostile-corpus.js';
import { MODEL_NAMES, modelFileBytes } from './model-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'keras-gru-heaps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The hostile corpus's once-hanging case: the last flip makes object 3's size 7783 instead of 5735. */
const ONCE_HANGING_FLIPS = [
  [20068, 5],
  [11628, 5],
  [2129, 3],
] as const;

/** Generous: a child starts tsx and h5wasm in about 2 s; a hang never ends. */
const CHILD_DEADLINE_MS = 60_000;

/** The check's verdict on `bytes`: the FileFormatError it throws, or undefined when it passes. */
function verdict(bytes: Uint8Array, file = 'test.h5'): FileFormatError | undefined {
  try {
    checkH5Heaps(bytes, 0, { file });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    return error as FileFormatError;
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('resolved'),
    (error: unknown) => error as Error,
  );
}

describe('HDF5 heaps that would loop the C library forever', () => {
  it(
    'the once-hanging tagger.h5 bit flip: refused before HDF5 reads it, naming the file',
    async () => {
      const bytes = withFlippedBits(modelFileBytes('tagger.h5'), ONCE_HANGING_FLIPS);
      // The longer object 3 makes the walk land in the zeros of the free space: an object of index 0 and size 0.
      expect(verdict(bytes)?.message).toMatch(/global heap collection at byte 2048 .*free space of size 0/);
      const path = join(dir, 'tagger-flipped.h5');
      writeFileSync(path, bytes);
      const { outcome, message } = loadModelInChild(path, CHILD_DEADLINE_MS);
      expect(outcome, message).toBe('typed');
      expect(message).toContain(path);
      expect(message).toMatch(/damaged HDF5: global heap collection at byte 2048/);
    },
    2 * CHILD_DEADLINE_MS,
  );

  it("a collection size of 2^32 + 8192: h5wasm's 32-bit HDF5 reads it as 8192, and so does the check", async () => {
    const tagger = modelFileBytes('tagger.h5');
    // Bit 0 of the size's fifth byte: 2^32 more bytes than the file has, which only a 64-bit build notices.
    const huge = withFlippedBits(tagger, [[2060, 0]]);
    expect(verdict(huge)).toBeUndefined();
    expect(Object.keys((await readH5(huge)).groups)).toEqual(['model_weights']);
    // The same collection with the walk landing on free space of size 0 loops a 32-bit build.
    const looping = withFlippedBits(tagger, [
      [2060, 0],
      [2129, 3],
    ]);
    expect(verdict(looping)?.message).toMatch(
      /global heap collection at byte 2048 \(8192 bytes\).*free space of size 0/,
    );
  });

  it('a global heap object reaching past the end of its collection', async () => {
    const bytes = withGlobalHeapObjectSize(modelFileBytes('tagger.h5'), 3, 1_000_000);
    expect(verdict(bytes)?.message).toMatch(/object 3 at byte \d+ declares 1000000 bytes, past the end/);
    const error = await rejection(readH5(bytes, { file: 'big-object.h5' }));
    expect(error).toBeInstanceOf(FileFormatError);
    expect(error.message).toMatch(/^big-object\.h5: damaged HDF5: global heap collection at byte 2048/);
  });

  it(
    'a local heap whose free list comes back to itself',
    async () => {
      const bytes = localHeapFreeListCycle(modelFileBytes('forecaster.h5'));
      expect(verdict(bytes)?.message).toMatch(/local heap at byte \d+: its free list comes back to offset \d+/);
      const path = join(dir, 'forecaster-cycle.h5');
      writeFileSync(path, bytes);
      const { outcome, message } = loadModelInChild(path, CHILD_DEADLINE_MS);
      expect(outcome, message).toBe('typed');
      expect(message).toContain(`${path}: damaged HDF5: local heap at byte`);
    },
    2 * CHILD_DEADLINE_MS,
  );

  it('every real file passes: the fixtures, the .keras members and files written by writeH5', async () => {
    const files: [string, Uint8Array][] = [];
    for (const name of MODEL_NAMES) {
      files.push([`${name}.h5`, modelFileBytes(`${name}.h5`)]);
      files.push([`${name}.weights.h5`, modelFileBytes(`${name}.weights.h5`)]);
      files.push([`${name}.keras`, unzipSync(modelFileBytes(`${name}.keras`))['model.weights.h5']!]);
    }
    const tree = h5Group({
      attrs: { note: stringAttribute('x'.repeat(5000)), names: stringAttribute(['a', 'bb', 'ccc']) },
    });
    files.push(['written.h5', await writeH5(tree)]);
    for (const [file, bytes] of files) expect(verdict(bytes, file), file).toBeUndefined();
    // The walks ran: the legacy files hold global heaps (their string attributes) and local heaps (their groups).
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
    expect(files.filter(([, bytes]) => text(bytes).includes('GCOL')).length).toBeGreaterThanOrEqual(4);
    expect(files.filter(([, bytes]) => text(bytes).includes('HEAP')).length).toBeGreaterThanOrEqual(3);
  });

  it('the native signature search (Node Buffer) and the plain loop find the same offsets', () => {
    const GCOL = [0x47, 0x43, 0x4f, 0x4c];
    const bytes = new Uint8Array(68).fill(0x47);
    for (const at of [0, 9, 13, 56]) bytes.set(GCOL, at);
    bytes.set([0x47, 0x43, 0x4f], 65); // a partial signature at the very end
    const native = [...occurrences(bytes, GCOL)];
    expect(native).toEqual([0, 9, 13, 56]);
    expect([...occurrences(bytes, GCOL, null)]).toEqual(native);
    const tagger = modelFileBytes('tagger.h5');
    expect([...occurrences(tagger, GCOL, null)]).toEqual([...occurrences(tagger, GCOL)]);
  });
});
