/**
 * Where a forward call keeps what its backward call needs (the GRU cache: hPrev, z, r, ĥ, inner per step): a
 * block of WASM memory, so backward reads it in place. A block lives from its forward call to its backward
 * call, which releases it; blocks whose backward call never comes are released when their cache object is
 * garbage-collected, or, oldest first, when the live blocks pass `limitBytes`. A backward call that finds its
 * block released recomputes it from the forward arguments (tensors are immutable), so memory stays bounded
 * and nothing is copied out of WASM memory.
 */
import type { Kernels } from './instance.js';
import { checkBlock } from './memory.js';

export class CacheBlock {
  /** The block's pointer, or 0 once released. */
  ptr = 0;
  constructor(readonly bytes: number) {}
}

export class CacheStore {
  /** Live blocks, oldest first. */
  private readonly live = new Set<CacheBlock>();
  private total = 0;
  private readonly registry: FinalizationRegistry<CacheBlock> | null;

  constructor(
    private readonly k: Kernels,
    private readonly limitBytes = 128 * 1024 * 1024,
  ) {
    this.registry =
      typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((b) => this.release(b)) : null;
  }

  /** A new block of `bytes`, released at the latest when `owner` is garbage-collected. */
  create(owner: object, bytes: number): CacheBlock {
    checkBlock(bytes);
    for (const old of this.live) {
      if (this.total + bytes <= this.limitBytes) break;
      this.release(old);
    }
    const block = new CacheBlock(bytes);
    block.ptr = this.k.exports.alloc(Math.max(bytes, 16));
    this.live.add(block);
    this.total += bytes;
    this.registry?.register(owner, block);
    return block;
  }

  /** Frees the block (idempotent). */
  release(block: CacheBlock): void {
    if (block.ptr === 0) return;
    this.k.exports.free(block.ptr);
    block.ptr = 0;
    this.total -= block.bytes;
    this.live.delete(block);
  }

  /** Bytes of live blocks. */
  get bytes(): number {
    return this.total;
  }
}
