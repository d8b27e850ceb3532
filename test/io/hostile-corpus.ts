/**
 * Generators of hostile and corrupt model files for test/io/hostile-files.test.ts: truncations and bit flips of
 * real files (seeded, so a failure reproduces), and crafted files — a zip bomb, zips whose directory lies about
 * sizes and counts, an HDF5 dataset declaring far more data than the file holds, JSON nested too deep, TF.js
 * manifests whose shard paths leave the model.json's folder.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { withMemoryFile } from '../../src/io/h5wasm.js';

/** A small seeded generator (mulberry32): the corpus is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Variant {
  label: string;
  bytes: Uint8Array;
}

/**
 * `count` truncations of `bytes`: evenly spaced cut points (so every region of the file is cut once) shifted by a
 * random amount, plus the empty file and one byte short.
 */
export function truncations(bytes: Uint8Array, count: number, random: () => number): Variant[] {
  const cuts = new Set<number>([0, bytes.length - 1]);
  for (let i = 0; cuts.size < count + 2 && i < count * 4; i++) {
    const base = Math.floor((i * bytes.length) / count);
    cuts.add(Math.min(bytes.length - 1, base + Math.floor((random() * bytes.length) / count)));
  }
  return [...cuts].map((cut) => ({ label: `cut at ${cut}/${bytes.length}`, bytes: bytes.slice(0, cut) }));
}

/** `count` copies of `bytes` with 1–4 random bits flipped each, and a few with a run of bytes overwritten. */
export function bitFlips(bytes: Uint8Array, count: number, random: () => number): Variant[] {
  const out: Variant[] = [];
  for (let i = 0; i < count; i++) {
    const copy = bytes.slice();
    const flipped: string[] = [];
    if (i % 10 === 9) {
      // A run of 0xff or 0x00: lengths and offsets in headers become huge or zero.
      const at = Math.floor(random() * copy.length);
      const length = 1 + Math.floor(random() * 16);
      copy.fill(i % 20 === 19 ? 0xff : 0x00, at, at + length);
      flipped.push(`${length} bytes at ${at} = ${i % 20 === 19 ? 'ff' : '00'}`);
    } else {
      const flips = 1 + Math.floor(random() * 4);
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(random() * copy.length);
        const bit = Math.floor(random() * 8);
        copy[at]! ^= 1 << bit;
        flipped.push(`bit ${bit} of byte ${at}`);
      }
    }
    out.push({ label: `flipped ${flipped.join(', ')}`, bytes: copy });
  }
  return out;
}

/** A `.keras` archive whose `model.weights.h5` is `zeroBytes` zeros, DEFLATE-compressed (about 1000:1). */
export function zipBomb(archive: Uint8Array, zeroBytes: number): Uint8Array {
  const members = unzipSync(archive);
  return zipSync({
    'metadata.json': members['metadata.json']!,
    'config.json': members['config.json']!,
    'model.weights.h5': [new Uint8Array(zeroBytes), { level: 1 }],
  });
}

/** A DEFLATE archive of `archive`'s members whose central directory says `member` decompresses to `size` bytes. */
export function lyingZipSize(archive: Uint8Array, member: string, size: number): Uint8Array {
  const members = unzipSync(archive);
  const zipped = zipSync(
    Object.fromEntries(Object.entries(members).map(([name, data]) => [name, [data, { level: 6 }]])),
  );
  const view = new DataView(zipped.buffer, zipped.byteOffset, zipped.byteLength);
  const name = strToU8(member);
  // Central directory headers (PK\1\2): uncompressed size at +24, name length at +28, name at +46.
  for (let at = 0; at + 46 < zipped.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const found = zipped.subarray(at + 46, at + 46 + nameLength);
    if (found.length === name.length && found.every((b, i) => b === name[i])) view.setUint32(at + 24, size, true);
  }
  return zipped;
}

/** `archive` with its end-of-central-directory record claiming `count` members. */
export function lyingZipCount(archive: Uint8Array, count: number): Uint8Array {
  const copy = archive.slice();
  const view = new DataView(copy.buffer);
  for (let at = copy.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      view.setUint16(at + 8, count, true);
      view.setUint16(at + 10, count, true);
      return copy;
    }
  }
  throw new Error('no end of central directory');
}

/**
 * A `.keras`-layout weights file whose one dataset declares `elements` float32 values but stores almost none: a
 * chunked dataset grown after writing, its unwritten chunks left to the fill value.
 */
export async function h5DeclaringHugeDataset(elements: number): Promise<Uint8Array> {
  const { bytes } = await withMemoryFile(
    null,
    (filename, h5wasm) => {
      const file = new h5wasm.File(filename, 'w');
      const vars = file.create_group('layers').create_group('dense').create_group('vars');
      const dataset = vars.create_dataset({
        name: '0',
        data: new Float32Array(4),
        shape: [4],
        maxshape: [null],
        chunks: [4],
      });
      dataset.resize([elements]);
      file.close();
    },
    true,
  );
  return bytes!;
}

/** `{"a":[[[[...]]]]}`: valid JSON nested `depth` deep. */
export function deepJson(depth: number): string {
  return `{"class_name":"Sequential","config":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** `archive` with `config.json` replaced by `config`. */
export function withConfig(archive: Uint8Array, config: string): Uint8Array {
  const members = unzipSync(archive);
  return zipSync({ ...members, 'config.json': strToU8(config) }, { level: 0 });
}

/**
 * Shard paths that leave (or try to leave) a model.json's folder, or name a URL: each must be refused without a
 * read or a fetch.
 */
export const ESCAPING_SHARD_PATHS = [
  '../secret.bin',
  'sub/../../secret.bin',
  '%2e%2e/secret.bin',
  '.%2E/secret.bin',
  '..\\secret.bin',
  '/etc/hostname',
  '\\\\server\\share\\secret.bin',
  'C:\\secret.bin',
  'file:///etc/hostname',
  'https://example.invalid/weights.bin',
  'data:application/octet-stream;base64,AAAA',
  'weights.bin\0.txt',
  '',
];

/** `bytes` with bit `bit` of byte `at` flipped, for each `[at, bit]` of `flips`. */
export function withFlippedBits(bytes: Uint8Array, flips: readonly (readonly [number, number])[]): Uint8Array {
  const copy = bytes.slice();
  for (const [at, bit] of flips) copy[at]! ^= 1 << bit;
  return copy;
}

/**
 * `bytes` (an HDF5 file with 8-byte lengths and offsets) with its first local heap's first free block naming
 * itself as the next one: a free list that never ends.
 */
export function localHeapFreeListCycle(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const heap = findSignature(copy, 'HEAP');
  // Local heap: signature, version, 3 reserved, data size, offset of the first free block, data address.
  const first = view.getBigUint64(heap + 16, true);
  const data = view.getBigUint64(heap + 24, true);
  view.setBigUint64(Number(data + first), first, true);
  return copy;
}

/** Where the first global heap collection of `bytes` (8-byte lengths) keeps its size and each object's size. */
function globalHeapSizeFields(bytes: Uint8Array): { label: string; at: number; index?: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const collection = findSignature(bytes, 'GCOL');
  // Collection: signature, version, 3 reserved, size; objects: index (2), references (2), 4 reserved, size, data.
  const fields: { label: string; at: number; index?: number }[] = [
    { label: 'the collection size', at: collection + 8 },
  ];
  const end = collection + Number(view.getBigUint64(collection + 8, true));
  for (let object = collection + 16; object + 16 <= end;) {
    const index = view.getUint16(object, true);
    const objectSize = Number(view.getBigUint64(object + 8, true));
    fields.push({ label: `object ${index}'s size`, at: object + 8, index });
    if (index === 0) break;
    object += 16 + Math.ceil(objectSize / 8) * 8;
  }
  return fields;
}

/**
 * Every one-bit flip of the low two bytes of the size fields of the first global heap collection of `bytes`
 * (8-byte lengths): the flips that once sent HDF5's walk of the collection onto free space of size 0, where it
 * looped forever.
 */
export function globalHeapSizeFlips(bytes: Uint8Array): Variant[] {
  const variants: Variant[] = [];
  for (const { label, at } of globalHeapSizeFields(bytes)) {
    for (let bit = 0; bit < 16; bit++) {
      const byte = at + (bit >> 3);
      variants.push({
        label: `flipped bit ${bit & 7} of byte ${byte} (${label})`,
        bytes: withFlippedBits(bytes, [[byte, bit & 7]]),
      });
    }
  }
  return variants;
}

/**
 * `bytes` (an HDF5 file with 8-byte lengths) with object `index` of its first global heap collection declaring
 * `size` bytes.
 */
export function withGlobalHeapObjectSize(bytes: Uint8Array, index: number, size: number): Uint8Array {
  const field = globalHeapSizeFields(bytes).find((f) => f.index === index);
  if (field === undefined) throw new Error(`no global heap object ${index}`);
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(field.at, BigInt(size), true);
  return copy;
}

function findSignature(bytes: Uint8Array, signature: string): number {
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(signature, 0, 'latin1');
  if (at === -1) throw new Error(`no ${signature} in the file`);
  return at;
}
