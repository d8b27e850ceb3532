/**
 * Where a forward call keeps what its backward call needs (the GRU cache: hPrev, z, r, ĥ, inner per step): in
 * a block of WASM memory, so backward reads it in place. The block is freed when the cache object is
 * garbage-collected. Past `limitBytes` of live blocks the oldest are spilled to JavaScript arrays (and copied
 * back in if their backward call ever comes), so memory stays bounded however long caches are kept.
 */
import type { Kernels } from './instance.js';
import { checkBlock } from './memory.js';

export class CacheBlock {
  /** The block's pointer, or 0 while spilled. */
  ptr = 0;
  spilled: Float32Array | null = null;
  constructor(readonly bytes: number) {}
}

export class CacheStore {
  /** Live blocks, oldest first. */
  private readonly live = new Set<CacheBlock>();
  private total = 0;
  private readonly registry: FinalizationRegistry<CacheBlock> | null;

  constructor(
    private readonly k: Kernels,
    private readonly limitBytes = 256 * 1024 * 1024,
  ) {
    this.registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((b) => this.drop(b)) : null;
  }

  /** A new block of `bytes`, freed when `owner` is garbage-collected. */
  create(owner: object, bytes: number): CacheBlock {
    checkBlock(bytes);
    const block = new CacheBlock(bytes);
    this.makeRoom(bytes);
    block.ptr = this.k.exports.alloc(Math.max(bytes, 16));
    this.live.add(block);
    this.total += bytes;
    this.registry?.register(owner, block);
    return block;
  }

  /** The block's pointer, copying a spilled block back in; marks it most recently used. */
  resident(block: CacheBlock): number {
    if (block.ptr === 0) {
      if (block.spilled === null) throw new Error('keras-gru: the WASM GRU cache was already released');
      this.makeRoom(block.bytes);
      block.ptr = this.k.exports.alloc(Math.max(block.bytes, 16));
      this.k.f32.set(block.spilled, block.ptr >> 2);
      block.spilled = null;
      this.total += block.bytes;
    } else {
      this.live.delete(block);
    }
    this.live.add(block);
    return block.ptr;
  }

  private makeRoom(bytes: number): void {
    for (const old of this.live) {
      if (this.total + bytes <= this.limitBytes) break;
      this.spill(old);
    }
  }

  private spill(block: CacheBlock): void {
    block.spilled = this.k.f32.slice(block.ptr >> 2, (block.ptr + block.bytes) >> 2);
    this.release(block);
  }

  private release(block: CacheBlock): void {
    this.k.exports.free(block.ptr);
    block.ptr = 0;
    this.total -= block.bytes;
    this.live.delete(block);
  }

  private drop(block: CacheBlock): void {
    if (block.ptr !== 0) this.release(block);
    block.spilled = null;
  }

  /** Bytes of live (unspilled) blocks. */
  get bytes(): number {
    return this.total;
  }
}
