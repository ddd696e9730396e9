import * as fs from 'fs';
import { ByteLineSplitter, decodeLine } from '../core/byteLines';
import { Finding } from '../core/findings';

export interface LineReading {
  signal?: AbortSignal;
  /** Awaited after each chunk (reading waits meanwhile): back-pressure from what the lines feed. */
  afterChunk?: () => Promise<void> | void;
  /** Asked after each chunk: true stops reading (the rest of the file is not read). */
  done?: () => boolean;
}

/**
 * Streams a file's lines as every streaming check reads them (ByteLineSplitter's line ends, the
 * text decoded by decodeLine: invalid UTF-8 replaced, and reported as `finding`), holding about
 * one chunk (1 MB) of the file at a time.
 */
export async function forEachLine(file: string, onLine: (text: string, finding?: Finding) => void, reading: LineReading = {}): Promise<void> {
  const splitter = new ByteLineSplitter();
  const emit = (bytes: Uint8Array) => {
    const { text, finding } = decodeLine(bytes);
    onLine(text, finding);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal: reading.signal })) {
    splitter.push(chunk as Buffer, emit);
    // Leaving the loop closes the file.
    if (reading.done?.()) return;
    await reading.afterChunk?.();
  }
  splitter.end(emit);
}
