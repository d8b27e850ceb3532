/**
 * The kernels' memory import (`env.memory`), read from the module binary. The kernels are compiled with an
 * imported shared memory (asconfig.json: importMemory, sharedMemory), so worker threads can instantiate the same
 * module on the same memory. Where shared memory is unavailable (a browser page that is not cross-origin
 * isolated has no SharedArrayBuffer), `unshared` turns the import into an ordinary one: the kernels contain no
 * atomic instructions, so the module is otherwise valid as it is.
 */

export interface MemoryLimits {
  /** Pages (64 KiB). */
  initial: number;
  maximum: number | undefined;
  shared: boolean;
  /** Byte offset of the limits' flags byte in the binary. */
  flagsOffset: number;
}

/** Reads the limits of the module's memory import; null when it imports no memory. */
export function memoryImport(bytes: Uint8Array): MemoryLimits | null {
  let pos = 8; // magic, version
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  const skipName = (): void => {
    const n = u32();
    pos += n;
  };
  const limits = (): MemoryLimits => {
    const flagsOffset = pos;
    const flags = bytes[pos++]!;
    const initial = u32();
    const maximum = (flags & 1) !== 0 ? u32() : undefined;
    return { initial, maximum, shared: (flags & 2) !== 0, flagsOffset };
  };
  while (pos < bytes.length) {
    const id = bytes[pos++]!;
    const size = u32();
    if (id !== 2) {
      pos += size;
      continue;
    }
    // The import section: module name, field name, kind, description.
    for (let count = u32(); count > 0; count--) {
      skipName();
      skipName();
      const kind = bytes[pos++]!;
      if (kind === 0)
        u32(); // function: type index
      else if (kind === 1) {
        pos++;
        limits();
      } // table: element type, limits
      else if (kind === 2) return limits();
      else if (kind === 3)
        pos += 2; // global: value type, mutability
      else if (kind === 4) {
        pos++;
        u32();
      } // tag: attribute, type index
      else return null;
    }
    return null;
  }
  return null;
}

/** A copy of the binary whose memory import is not shared. */
export function unshared(bytes: Uint8Array<ArrayBuffer>, limits: MemoryLimits): Uint8Array<ArrayBuffer> {
  const copy = bytes.slice();
  copy[limits.flagsOffset] = copy[limits.flagsOffset]! & ~2;
  return copy;
}
