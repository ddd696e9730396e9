import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChunkStore, ChunkStores, MemoryChunks } from '../core/dataset/chunks';

/**
 * A ChunkStore in a temporary file: each full chunk is written out as it comes and read back
 * into one buffer when asked for, so a column holds one chunk in memory however big the checked
 * file (the shortcut pools of a 1 GB file are ~80 MB). The file is removed as soon as it is open
 * (POSIX keeps it readable through the descriptor; elsewhere it is removed on `dispose`), so a
 * crash leaves nothing behind. If the file cannot be written (a full disk), the chunks from then
 * on are kept in memory instead: the check goes on, it only uses more memory.
 */
export class FileChunks implements ChunkStore {
  private fd: number | undefined;
  private readonly file: string;
  private removed = false;
  /** Where chunk k starts in the file, or -1 when it is in `kept` (written after a failure). */
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly kept = new Map<number, Int32Array>();
  private end = 0;
  private cachedChunk = -1;
  private buffer: Int32Array | undefined;
  /** Blocks read for `read`, which block each slot holds (-1: none), the slot of each block, and the slot to fill next. */
  private blocks: Int32Array | undefined;
  private readonly blockKeys = new Float64Array(1 << BLOCK_SLOT_BITS).fill(-1);
  private readonly blockSlots = new Map<number, number>();
  private nextSlot = 0;

  constructor(dir = os.tmpdir()) {
    this.file = path.join(dir, `dialogue-curator-${process.pid}-${randomBytes(6).toString('hex')}.chunks`);
    this.fd = fs.openSync(this.file, 'wx+', 0o600);
    try {
      fs.unlinkSync(this.file);
      this.removed = true;
    } catch {
      // Windows: an open file cannot be removed; dispose removes it.
    }
  }

  get count(): number {
    return this.offsets.length;
  }

  get bytes(): number {
    let n = (this.buffer?.byteLength ?? 0) + (this.blocks?.byteLength ?? 0);
    for (const c of this.kept.values()) n += c.byteLength;
    return n;
  }

  put(chunk: Int32Array): Int32Array {
    const k = this.offsets.length;
    this.lengths.push(chunk.length);
    if (this.fd !== undefined) {
      try {
        writeAll(this.fd, chunk, this.end);
        this.offsets.push(this.end);
        this.end += chunk.byteLength;
        return chunk;
      } catch {
        // Keep this chunk and the next ones in memory (see the class comment).
      }
    }
    this.offsets.push(-1);
    this.kept.set(k, chunk);
    return new Int32Array(chunk.length);
  }

  get(k: number): Int32Array {
    const kept = this.kept.get(k);
    if (kept) return kept;
    if (k !== this.cachedChunk) {
      const length = this.lengths[k];
      if (!this.buffer || this.buffer.length !== length) this.buffer = new Int32Array(length);
      readAll(this.fd!, this.buffer, this.offsets[k]);
      this.cachedChunk = k;
    }
    return this.buffer!;
  }

  read(k: number, from: number, into: Int32Array): void {
    const kept = this.kept.get(k);
    if (kept) into.set(kept.subarray(from, from + into.length));
    else if (k === this.cachedChunk) into.set(this.buffer!.subarray(from, from + into.length));
    else {
      const block = Math.floor(from / BLOCK_INTS);
      if (Math.floor((from + into.length - 1) / BLOCK_INTS) !== block || (block + 1) * BLOCK_INTS > this.lengths[k]) {
        readAll(this.fd!, into, this.offsets[k] + 4 * from);
        return;
      }
      // Reads come a few ints at a time, often near the last ones: whole blocks are read and a few
      // kept, the oldest making way for a new one. (A slot chosen by hashing the block made two of
      // the places that reads take turns among — findings in line order, made group by group —
      // share a slot now and then, and every read of those two went to the file.)
      const key = k * 2 ** 21 + block;
      const cache = (this.blocks ??= new Int32Array(BLOCK_INTS << BLOCK_SLOT_BITS));
      let slot = this.blockSlots.get(key);
      if (slot === undefined) {
        slot = this.nextSlot;
        this.nextSlot = (slot + 1) & ((1 << BLOCK_SLOT_BITS) - 1);
        const old = this.blockKeys[slot];
        if (old >= 0) this.blockSlots.delete(old);
        readAll(this.fd!, cache.subarray(slot * BLOCK_INTS, (slot + 1) * BLOCK_INTS), this.offsets[k] + 4 * block * BLOCK_INTS);
        this.blockKeys[slot] = key;
        this.blockSlots.set(key, slot);
      }
      // Copied int by int: a few ints a read, and a subarray view each time was garbage to collect.
      const at = slot * BLOCK_INTS + from - block * BLOCK_INTS;
      for (let j = 0; j < into.length; j++) into[j] = cache[at + j];
    }
  }

  dispose(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
      if (!this.removed) fs.rmSync(this.file, { force: true });
    }
    this.kept.clear();
    this.buffer = undefined;
    this.blocks = undefined;
    this.blockKeys.fill(-1);
    this.blockSlots.clear();
    this.nextSlot = 0;
    this.cachedChunk = -1;
  }
}

/** Ints per block that `read` reads and keeps (12 KB: 512 finding details of six ints). */
const BLOCK_INTS = 3072;
/** Blocks kept (log 2): 64 blocks, 768 KB. */
const BLOCK_SLOT_BITS = 6;

function writeAll(fd: number, chunk: Int32Array, position: number): void {
  const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done);
}

function readAll(fd: number, into: Int32Array, position: number): void {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  for (let done = 0; done < bytes.length; ) {
    const n = fs.readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error('a chunk file of the check ended early');
    done += n;
  }
}

/** Chunk stores in temporary files (in memory when no temporary file can be made). */
export const fileChunks: ChunkStores = () => {
  try {
    return new FileChunks();
  } catch {
    return new MemoryChunks();
  }
};
