import { LineRecordCheck, RecordEntry } from '../core/engine';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';
import { PortableSettings } from './curationProtocol';

/**
 * What a CLI check worker is started with (its `workerData`): plain data. The record rules are
 * named, not sent (functions do not cross threads): the worker takes them from the registry.
 */
export interface CheckWorkerData {
  settings: Omit<PortableSettings, 'format'>;
  /** Run the curation rules after the schema (the registry's `recordRules`), or the schema only. */
  curation: boolean;
}

/**
 * A batch of consecutive lines, as raw bytes (decoded in the worker, as the single-threaded check
 * decodes them): line `firstLine + i` is `bytes[ends[i - 1] ?? 0, ends[i])`. Both buffers are
 * transferred, not copied.
 */
export interface LineBatch {
  type: 'batch';
  seq: number;
  firstLine: number;
  format: FormatId | undefined;
  bytes: Uint8Array;
  ends: Int32Array;
}

/**
 * Lines of an editor model for its first check (see modelPool.ts): each line's record check as the
 * model keeps it. Texts, not bytes: they are the editor's, already decoded.
 */
export interface RecordBatch {
  type: 'records';
  seq: number;
  format: FormatId | undefined;
  texts: string[];
}

export type ToCheckWorker = LineBatch | RecordBatch;

export type FromCheckWorker =
  | {
      type: 'result';
      seq: number;
      /** The batch's findings, in line order, on their lines, rule settings applied. */
      findings: Finding[];
      /** Non-blank lines. */
      records: number;
      /** Facts of the object records, for the dataset rules (run by the main thread). */
      entries: RecordEntry[];
    }
  | { type: 'records'; seq: number; checks: LineRecordCheck[] }
  | { type: 'error'; seq: number; message: string };
