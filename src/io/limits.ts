/**
 * Limits on what a model file may ask for, checked before anything is allocated: a hostile or corrupt file must
 * end in a `FileFormatError` naming it, not in an out-of-memory crash, a stack overflow, a hang, or a read of a
 * file (or a fetch of a URL) the caller never named. Each limit is far above what Keras writes.
 */
import { FileFormatError, type FileFormatErrorDetails } from './errors.js';

/**
 * JSON nested deeper than this is refused before it is parsed: code that walks a config recursively would
 * overflow the stack long before V8's parser does. Keras's deepest configs (a functional model inside a
 * Bidirectional inside a model, with initializers) nest about 15 levels.
 */
export const MAX_JSON_DEPTH = 200;

/**
 * DEFLATE cannot expand data by more than 1032 times: a zip member (or HDF5 chunk) declaring more is lying. A
 * little slack covers the block headers of tiny members.
 */
const DEFLATE_MAX_RATIO = 1032;
const DEFLATE_SLACK_BYTES = 1024;

/**
 * A `.keras` file's members together may decompress to at most this many times the file's size (or 64 MiB, if
 * that is more). Keras stores members uncompressed (ratio 1); weights re-zipped with DEFLATE shrink by a few
 * percent, JSON by about 10 times. A zip bomb asks for thousands.
 */
export const MAX_ARCHIVE_EXPANSION = 200;
const ARCHIVE_FLOOR_BYTES = 64 * 1024 * 1024;
/** A zip's central directory entry takes at least 46 bytes, so a file of n bytes lists at most n / 46 members. */
const ZIP_ENTRY_MIN_BYTES = 46;

/** Throws unless `text` nests arrays and objects at most `MAX_JSON_DEPTH` deep (one linear scan, strings skipped). */
export function checkJsonDepth(text: string, where: FileFormatErrorDetails): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new FileFormatError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels (at character ${i})`, where);
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

export interface ZipMemberInfo {
  name: string;
  /** Bytes stored in the archive. */
  size: number;
  /** Bytes the member says it decompresses to. */
  originalSize: number;
  /** 0 stored, 8 DEFLATE. */
  compression: number;
}

/**
 * A filter for fflate's `unzipSync` that sees each member before it is decompressed: it refuses members larger
 * than the file, DEFLATE members declaring more than DEFLATE can produce, a total beyond the archive limit, more
 * members than the file has room for, and compression methods other than stored and DEFLATE. Members not in
 * `wanted` are listed in `names` but not decompressed.
 */
export function zipMemberFilter(
  fileBytes: number,
  wanted: ReadonlySet<string>,
  names: string[],
  where: FileFormatErrorDetails,
): (info: ZipMemberInfo) => boolean {
  const totalLimit = Math.max(ARCHIVE_FLOOR_BYTES, MAX_ARCHIVE_EXPANSION * fileBytes);
  const maxMembers = Math.floor(fileBytes / ZIP_ENTRY_MIN_BYTES);
  let total = 0;
  return (info) => {
    const member = { ...where, member: String(info.name) };
    if (names.length >= maxMembers) {
      throw new FileFormatError(`the zip directory lists more members than a ${fileBytes}-byte file can hold`, where);
    }
    names.push(info.name);
    if (!wanted.has(info.name)) return false;
    if (!(info.size >= 0 && info.size <= fileBytes)) {
      throw new FileFormatError(`member of ${info.size} bytes in a ${fileBytes}-byte file`, member);
    }
    if (info.compression !== 0 && info.compression !== 8) {
      throw new FileFormatError(`compression method ${info.compression} (only stored and DEFLATE are read)`, member);
    }
    const declared = info.compression === 0 ? info.size : info.originalSize;
    if (info.compression === 8 && !(declared <= DEFLATE_MAX_RATIO * info.size + DEFLATE_SLACK_BYTES)) {
      throw new FileFormatError(
        `declares ${declared} bytes from ${info.size} compressed (more than DEFLATE can expand to: a zip bomb?)`,
        member,
      );
    }
    total += declared;
    if (total > totalLimit) {
      throw new FileFormatError(
        `the members decompress to more than ${totalLimit} bytes (${MAX_ARCHIVE_EXPANSION} times the file: a zip bomb?)`,
        member,
      );
    }
    return true;
  };
}

/**
 * The most bytes an HDF5 dataset (or attribute) in a file of `fileBytes` may declare: its own size for stored
 * data, DEFLATE's bound for filtered (compressed) data. Larger is a corrupt or hostile header; h5wasm would try
 * to allocate it.
 */
export function maxH5DataBytes(fileBytes: number, filtered: boolean): number {
  return filtered ? DEFLATE_MAX_RATIO * fileBytes + DEFLATE_SLACK_BYTES : fileBytes;
}

/**
 * Checks a TF.js manifest's shard path: a plain relative path inside the `model.json`'s folder. Refused: empty
 * paths, absolute paths (`/x`, `\x`, `C:\x`), URLs (`https:`, `file:`, `data:`), `..` segments (also
 * percent-encoded, which URL resolution decodes), backslashes and NUL bytes.
 */
export function checkShardPath(path: string, where: FileFormatErrorDetails): void {
  const refuse = (why: string): never => {
    throw new FileFormatError(`shard path ${JSON.stringify(path)} refused: ${why}`, { ...where, member: path });
  };
  if (path === '') refuse('empty');
  if (path.includes('\0')) refuse('a NUL byte');
  if (path.includes('\\')) refuse('a backslash (shard paths are relative, with /)');
  if (path.startsWith('/')) refuse('an absolute path');
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) refuse('a URL or drive letter; shards must lie beside the model.json');
  for (const segment of path.split('/')) {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // A malformed escape is no dot segment; the read itself will fail with the path named.
    }
    if (decoded === '..') refuse('a .. segment; shards must lie inside the model.json folder');
  }
}
