import { CuratorConfig } from '../core/config';
import { CodeCounts, Finding, Severity } from '../core/findings';
import { ListedFindings, MAX_LISTED_PER_FILE, pickListed } from '../core/shownFindings';
import { FormatId } from '../core/formats';

/** Settings that cross into the worker: plain data (the rules come from the registry there). */
export interface PortableSettings {
  config: CuratorConfig;
  format?: FormatId;
  customSchema?: { id: string; schema: object };
}

/**
 * What the host can ask of the curation findings the worker keeps (those of the last check,
 * carried over the edits made since): the findings on one line, the lines that have any, or the
 * findings with one code.
 */
export type FindingsQuery = { kind: 'line'; line: number } | { kind: 'lines' } | { kind: 'code'; code: string };

export type ToCurationWorker =
  /** A document's text, in pieces (see textChunks): `open` with the first, `append` with each of the others. */
  | { type: 'open'; doc: string; text: string; settings: PortableSettings }
  | { type: 'append'; doc: string; text: string }
  | { type: 'splice'; doc: string; start: number; deleteCount: number; lines: string[] }
  | { type: 'check'; doc: string; requestId: number }
  | { type: 'query'; doc: string; requestId: number; query: FindingsQuery }
  | { type: 'close'; doc: string };

export type FromCurationWorker =
  | {
      type: 'result';
      doc: string;
      requestId: number;
      format: FormatId | undefined;
      records: number;
      /** The curation findings VS Code would list (see listFindings); the worker keeps the rest. */
      listed: Finding[];
      /** Every curation finding, by severity. */
      counts: Record<Severity, number>;
      total: number;
      ms: number;
    }
  | { type: 'answer'; doc: string; requestId: number; findings: Finding[]; lines: number[] }
  | { type: 'error'; doc: string; requestId: number; message: string };

/** Codes the host's own fast pass produces; the worker's findings with them are not sent. */
export const STRUCTURAL_CODES: ReadonlySet<string> = new Set(['json-syntax', 'record-not-object', 'schema', 'invalid-utf8', 'config-schema']);

/**
 * What the worker does with a check's findings (counted by the model as it goes): leaves out the
 * host's own (structural) ones, counts the rest and picks those VS Code lists, without a pass
 * over every finding (the bench times re-checks with it).
 */
export function curationListing(findings: readonly Finding[], counted: CodeCounts): ListedFindings {
  const counts = counted.bySeverity(STRUCTURAL_CODES);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  return { listed: pickListed(findings, counts, MAX_LISTED_PER_FILE, STRUCTURAL_CODES), counts, total };
}

/**
 * The size of the pieces a document's text crosses to the worker in (characters): a 150 MB
 * document sent whole took its serialized copy and its string at once on both sides.
 */
export const TEXT_PIECE = 4 << 20;
