/**
 * Where a column of a streamed check puts its full chunks (fixed-size Int32Arrays filled once,
 * then only read, in order). `MemoryChunks` keeps them; the CLI and the trainer server pass a
 * store that writes them to a temporary file (src/node/fileChunks.ts), so the column's memory
 * stays one chunk however big the file.
 */
export interface ChunkStore {
  /** Keeps a full chunk; returns the array to fill next (the same one when the store copied it out). */
  put(chunk: Int32Array): Int32Array;
  /** Chunk `k` as put. Valid until the next `get`: read chunks in order, one at a time. */
  get(k: number): Int32Array;
  /** Copies `into.length` ints of chunk `k` from int `from` into `into` (a few ints, in any order). */
  read(k: number, from: number, into: Int32Array): void;
  /** Chunks put. */
  readonly count: number;
  /** Bytes held in memory. */
  readonly bytes: number;
  /** Lets go of what the store holds (a file store deletes its file). */
  dispose(): void;
}

/** Makes one store per column. */
export type ChunkStores = () => ChunkStore;

export class MemoryChunks implements ChunkStore {
  private chunks: Int32Array[] = [];

  put(chunk: Int32Array): Int32Array {
    this.chunks.push(chunk);
    return new Int32Array(chunk.length);
  }

  get(k: number): Int32Array {
    return this.chunks[k];
  }

  read(k: number, from: number, into: Int32Array): void {
    into.set(this.chunks[k].subarray(from, from + into.length));
  }

  get count(): number {
    return this.chunks.length;
  }

  get bytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.byteLength;
    return n;
  }

  dispose(): void {
    this.chunks = [];
  }
}

export const memoryChunks: ChunkStores = () => new MemoryChunks();
