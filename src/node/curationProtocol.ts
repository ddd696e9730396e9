import { CuratorConfig } from '../core/config';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';

/** Settings that cross into the worker: plain data (the rules come from the registry there). */
export interface PortableSettings {
  config: CuratorConfig;
  format?: FormatId;
  customSchema?: { id: string; schema: object };
}

export type ToCurationWorker =
  | { type: 'open'; doc: string; text: string; settings: PortableSettings }
  | { type: 'splice'; doc: string; start: number; deleteCount: number; lines: string[] }
  | { type: 'check'; doc: string; requestId: number }
  | { type: 'close'; doc: string };

export type FromCurationWorker =
  | { type: 'result'; doc: string; requestId: number; format: FormatId | undefined; records: number; findings: Finding[]; ms: number }
  | { type: 'error'; doc: string; requestId: number; message: string };
