/**
 * `checkH5Heaps`: refuses HDF5 bytes whose heaps would send the HDF5 C library (inside h5wasm) into a loop that
 * never ends. Run before h5wasm sees the bytes: a loop inside WebAssembly cannot be interrupted from JS.
 *
 * Two walks in the library have no bound but the data they walk (HDF5 2.0.0 in h5wasm 0.10.3; a native 1.10.8
 * loops on the same files):
 * - A global heap collection ("GCOL", where variable-length strings such as Keras's attributes live) is read by
 *   stepping from object to object by each object's declared size. An object of index 0 (free space) and size 0
 *   is a step of zero: the walk never advances. A single flipped bit in an earlier object's size is enough to
 *   land the walk in the zeros of the free space.
 * - A local heap's ("HEAP", a group's link names) free list is followed from block to block; a block that
 *   names an earlier one as its successor is a cycle, and every lap allocates, until the WebAssembly memory runs
 *   out (about 50 s).
 *
 * The check finds the structures as the library would accept them — by signature and version, wherever they lie —
 * and walks them as the library does, with the bounds the library lacks. A valid file passes: its global heap
 * objects tile their collection and its free lists end. Bytes that only look like a heap (a weight that happens
 * to spell "GCOL", version 1 and a size that fits the file) would be checked too; in practice they do not occur.
 */
import { FileFormatError, type FileFormatErrorDetails } from './errors.js';

/** The sizes a file declares in its superblock: of addresses ("offsets") and of lengths, in bytes. */
interface FieldSizes {
  offsetBytes: number;
  lengthBytes: number;
}

/**
 * How the library reads the fields: with the file's sizes, and lengths kept to `lengthBits`. h5wasm's HDF5 is
 * 32-bit WebAssembly, whose `size_t` keeps only the low 32 bits of an 8-byte length (a collection declaring
 * 2^32 + 8192 bytes is read as 8192); a 64-bit build keeps them all. Each heap is walked both ways: a valid file
 * reads the same either way (its lengths are far below 2^32), a damaged one may loop in either.
 */
interface Reading extends FieldSizes {
  lengthBits: 32 | 64;
}

const GLOBAL_HEAP_SIGNATURE = [0x47, 0x43, 0x4f, 0x4c]; // "GCOL"
const GLOBAL_HEAP_VERSION = 1;
const LOCAL_HEAP_SIGNATURE = [0x48, 0x45, 0x41, 0x50]; // "HEAP"
const LOCAL_HEAP_VERSION = 0;
/** The offset a local heap's free list ends with (H5HL_FREE_NULL). */
const FREE_LIST_END = 1;
/** The field sizes HDF5 accepts; any other is refused by the library itself before any heap is read. */
const FIELD_SIZES = new Set([2, 4, 8, 16]);

/**
 * Throws a FileFormatError naming `where` if a heap in `bytes` would make HDF5 loop forever. `superblock` is the
 * byte offset of the HDF5 signature: the superblock that follows it gives the field sizes, and the library takes
 * it as the base that heap addresses count from.
 */
export function checkH5Heaps(bytes: Uint8Array, superblock: number, where: FileFormatErrorDetails): void {
  const sizes = fieldSizes(bytes, superblock);
  // Unknown or unreadable field sizes: the library refuses the superblock before it reads a heap.
  if (sizes === undefined) return;
  const fail = (message: string): never => {
    throw new FileFormatError(`damaged HDF5: ${message}`, where);
  };
  const globalHeaps = [...occurrences(bytes, GLOBAL_HEAP_SIGNATURE)].filter(
    (at) => bytes[at + 4] === GLOBAL_HEAP_VERSION,
  );
  const localHeaps = [...occurrences(bytes, LOCAL_HEAP_SIGNATURE)].filter((at) => bytes[at + 4] === LOCAL_HEAP_VERSION);
  // With lengths of at most 4 bytes the 32-bit reading is the 64-bit one.
  for (const lengthBits of sizes.lengthBytes > 4 ? ([64, 32] as const) : ([64] as const)) {
    const reading: Reading = { ...sizes, lengthBits };
    for (const at of globalHeaps) checkGlobalHeap(bytes, at, reading, fail);
    for (const at of localHeaps) checkLocalHeapFreeList(bytes, at, superblock, reading, fail);
  }
}

/** Superblock versions 0 and 1 give the sizes at bytes 13 and 14 after the signature, versions 2 and 3 at 9 and 10. */
function fieldSizes(bytes: Uint8Array, superblock: number): FieldSizes | undefined {
  const version = bytes[superblock + 8];
  if (version === undefined) return undefined;
  const at = version <= 1 ? superblock + 13 : superblock + 9;
  const offsetBytes = bytes[at];
  const lengthBytes = bytes[at + 1];
  if (offsetBytes === undefined || lengthBytes === undefined) return undefined;
  if (!FIELD_SIZES.has(offsetBytes) || !FIELD_SIZES.has(lengthBytes)) return undefined;
  return { offsetBytes, lengthBytes };
}

/**
 * A global heap collection at `at`: signature, version, 3 reserved bytes, the collection's size (a length), then
 * objects, each with a header of index (2 bytes), reference count (2), 4 reserved bytes and the object's size
 * (a length), padded to 8 bytes, then its data padded to 8. Object 0 is the free space; its size includes its
 * header and is not padded. A tail too short for a header is free space too.
 */
function checkGlobalHeap(bytes: Uint8Array, at: number, reading: Reading, fail: (message: string) => never): void {
  const collectionBytes = readLength(bytes, at + 8, reading);
  // The collection's header and each object's header have the same size.
  const headerBytes = alignTo8(8 + reading.lengthBytes);
  // A collection reaching past the end of the file is one the library cannot read: it fails, it does not loop.
  if (collectionBytes === undefined || at + collectionBytes > bytes.length) return;
  const end = at + collectionBytes;
  for (let object = at + headerBytes; object + headerBytes <= end;) {
    const index = bytes[object]! | (bytes[object + 1]! << 8);
    const objectBytes = readLength(bytes, object + 8, reading)!;
    const step = index > 0 ? headerBytes + alignTo8(objectBytes) : objectBytes;
    const where = (): string =>
      `global heap collection at byte ${at} (${collectionBytes} bytes), object ${index} at byte ${object}`;
    if (step === 0) fail(`${where()} is free space of size 0 (the library would step on it forever)`);
    // Past the end, a 64-bit build stops walking, but a 32-bit pointer can wrap around to memory before it; and
    // only walks that stay inside read the same with 32-bit and 64-bit lengths.
    if (object + step > end) fail(`${where()} declares ${objectBytes} bytes, past the end of its collection`);
    object += step;
  }
}

/**
 * A local heap at `at`: signature, version, 3 reserved bytes, the data segment's size (a length), the offset of
 * the first free block in it (a length; FREE_LIST_END for none) and the data segment's address (an offset, from
 * the base). Each free block starts with the offset of the next one and its own size.
 */
function checkLocalHeapFreeList(
  bytes: Uint8Array,
  at: number,
  base: number,
  reading: Reading,
  fail: (message: string) => never,
): void {
  const { lengthBytes, offsetBytes } = reading;
  const dataBytes = readLength(bytes, at + 8, reading);
  const first = readLength(bytes, at + 8 + lengthBytes, reading);
  const address = readField(bytes, at + 8 + 2 * lengthBytes, offsetBytes);
  if (dataBytes === undefined || first === undefined || address === undefined) return;
  const data = base + address;
  // A data segment outside the file is one the library cannot read: it fails, it does not loop.
  if (data + dataBytes > bytes.length) return;
  const visited = new Set<number>();
  // The library itself stops at an offset outside the data segment and at a next offset of 0.
  for (let block = first; block !== FREE_LIST_END && block + 2 * lengthBytes <= dataBytes;) {
    if (visited.has(block)) {
      fail(
        `local heap at byte ${at}: its free list comes back to offset ${block} (the library would follow it forever)`,
      );
    }
    visited.add(block);
    const next = readLength(bytes, data + block, reading)!;
    if (next === 0) return;
    block = next;
  }
}

/** A length field at `at` as `reading` reads it (see Reading), or undefined past the end of the bytes. */
function readLength(bytes: Uint8Array, at: number, reading: Reading): number | undefined {
  if (at + reading.lengthBytes > bytes.length) return undefined;
  const kept = reading.lengthBits === 32 ? Math.min(reading.lengthBytes, 4) : reading.lengthBytes;
  return readField(bytes, at, kept);
}

/**
 * A little-endian unsigned field of `size` bytes at `at`, or undefined past the end. Beyond 2^53 it is inexact,
 * but such a value is larger than any file all the same.
 */
function readField(bytes: Uint8Array, at: number, size: number): number | undefined {
  if (at + size > bytes.length) return undefined;
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!;
  return value;
}

function alignTo8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** A native substring search over bytes: Node's `Buffer` (also in Deno and Bun); absent in browsers. */
export interface NativeByteSearch {
  from(
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): { indexOf(value: Uint8Array, from: number): number };
}

const nativeByteSearch = (globalThis as { Buffer?: NativeByteSearch }).Buffer;

/**
 * Every offset at which `signature` (4 bytes) starts in `bytes`. With `native` (Node's Buffer), a native search,
 * about 6 times faster on weights (10 ms for 67 MB); with null, the loop below, which finds the same offsets.
 */
export function* occurrences(
  bytes: Uint8Array,
  signature: readonly number[],
  native: NativeByteSearch | null = nativeByteSearch ?? null,
): Generator<number> {
  if (native !== null) {
    const haystack = native.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const needle = Uint8Array.from(signature);
    for (let at = haystack.indexOf(needle, 0); at !== -1; at = haystack.indexOf(needle, at + 1)) yield at;
    return;
  }
  const [first, second, third, fourth] = signature as [number, number, number, number];
  for (let at = bytes.indexOf(first); at !== -1 && at + 4 <= bytes.length; at = bytes.indexOf(first, at + 1)) {
    if (bytes[at + 1] === second && bytes[at + 2] === third && bytes[at + 3] === fourth) yield at;
  }
}
