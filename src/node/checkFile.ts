import * as fs from 'fs';
import { ByteLineSplitter, decodeLine } from '../core/byteLines';
import { CheckSettings, StreamChecker } from '../core/engine';
import { compareFindings, Finding } from '../core/findings';
import { FormatId } from '../core/formats';

export interface FileResult {
  format: FormatId | undefined;
  records: number;
  findings: Finding[];
}

/**
 * Checks a file by streaming it: memory holds one line at a time (plus the format-detection
 * sample and the dataset rules' small per-record facts), so a 1 GB file is fine.
 */
export async function checkFile(file: string, settings: CheckSettings, signal?: AbortSignal): Promise<FileResult> {
  const findings: Finding[] = [];
  const checker = new StreamChecker(settings, (f) => findings.push(f));
  const splitter = new ByteLineSplitter();
  const onLine = (bytes: Uint8Array) => {
    const { text, finding } = decodeLine(bytes);
    checker.pushLine(text, finding);
  };
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream) splitter.push(chunk as Buffer, onLine);
  splitter.end(onLine);
  const { format, records } = checker.end();
  findings.sort(compareFindings);
  return { format, records, findings };
}
