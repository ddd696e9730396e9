import * as fs from 'fs';
import { ByteLineSplitter, decodeLine } from '../core/byteLines';
import { CheckSettings, StreamChecker } from '../core/engine';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';
import { fileChunks } from './fileChunks';

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
  for await (const chunk of fileChunksOf(file, reading.signal)) {
    splitter.push(chunk, emit);
    // Leaving the loop closes the file.
    if (reading.done?.()) return;
    await reading.afterChunk?.();
  }
  splitter.end(emit);
}

/**
 * Checks a file's lines in one thread through a StreamChecker whose dataset facts keep their big
 * columns in temporary files (fileChunks), and lets go of those however the check ends.
 * `maxBufferedChars`: as StreamChecker's.
 */
export async function checkLines(file: string, settings: CheckSettings, onFinding: (finding: Finding) => void, options: { signal?: AbortSignal; maxBufferedChars?: number } = {}): Promise<{ format: FormatId | undefined; records: number }> {
  const checker = new StreamChecker(settings, onFinding, options.maxBufferedChars, fileChunks);
  try {
    await forEachLine(file, (text, finding) => checker.pushLine(text, finding), { signal: options.signal });
    return checker.end();
  } finally {
    checker.dispose();
  }
}

/**
 * A file's bytes in chunks of 1 MB; the file is closed when the loop ends, however it ends. An
 * abort (before the file is open, or between chunks) rejects with an AbortError. (A read stream
 * given an aborted signal before its file was open left the file open for good.)
 */
export async function* fileChunksOf(file: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  throwIfAborted(signal);
  const handle = await fs.promises.open(file, 'r');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) {
      throwIfAborted(signal);
      yield chunk as Buffer;
    }
    // Aborted while the last chunk was being used.
    throwIfAborted(signal);
  } finally {
    await handle.close();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: signal.reason });
}
