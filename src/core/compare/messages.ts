/**
 * The messages between the compare panel (webview) and the extension, shared by both sides.
 * Each side validates what it receives with `parseToPanel` / `parseToHost`.
 */
import { bool, Check, index, list, literal, num, object, optional, str, tagged } from './validate';

export const COMPARE_VIEW_TYPE = 'dialogueCurator.compare';

export type SideName = 'chosen' | 'rejected';
export type FindingSeverity = 'error' | 'warning' | 'info' | 'hint';
export type Granularity = 'words' | 'lines' | 'block' | 'identical';

export interface SegmentView {
  text: string;
  changed: boolean;
}

export interface BubbleView {
  role: string;
  /** Plain text; the panel shows it with textContent only. */
  text: string;
}

export interface TurnView extends BubbleView {
  /** The text cut into shared and differing runs (they join back to `text`). */
  segments: SegmentView[];
}

export interface FindingView {
  severity: FindingSeverity;
  code: string;
  message: string;
  field?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One score shown with a response (a tone dimension or the overall tone). */
export interface ScoreView {
  name: string;
  /** 0–1. */
  value: number;
  label?: string;
}

export interface ColumnView {
  side: SideName;
  title: string;
  /** The record key the side lives in (`chosen`, `preferred_output`, …); empty when the format has none. */
  field: string;
  turns: TurnView[];
  /** Why there is nothing to show, when `turns` is empty. */
  emptyReason?: string;
  findings: FindingView[];
  tokens?: number;
  /** How the count compares with the configured maximum (shown as a tooltip). */
  tokensDetail?: string;
  tone?: ScoreView[];
}

export interface NavView {
  hasPrevious: boolean;
  hasNext: boolean;
  /** How many records have findings (the "next with problems" target count). */
  problemRecords: number;
}

export interface RecordView {
  uri: string;
  fileName: string;
  version: number;
  /** 0-based line of the record. */
  line: number;
  /** 1-based position among the file's records. */
  recordNumber: number;
  recordCount: number;
  formatLabel: string;
  /** A reason the record cannot be compared (invalid JSON, …); columns are then empty. */
  problem?: string;
  context: BubbleView[];
  chosen: ColumnView;
  rejected: ColumnView;
  granularity: Granularity;
  diffNote?: string;
  /** Findings of the record that belong to neither column. */
  recordFindings: FindingView[];
  canSwap: boolean;
  nav: NavView;
}

export type ToPanel =
  | { type: 'show'; view: RecordView }
  | { type: 'empty'; message: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string };

export interface TurnChangeMessage {
  side: SideName;
  index: number;
  original: string;
  text: string;
}

export type NavigateTarget = 'previous' | 'next' | 'nextProblem';

export type ToHost =
  | { type: 'ready' }
  | { type: 'navigate'; to: NavigateTarget }
  | { type: 'reveal'; line: number; column?: number; endLine?: number; endColumn?: number }
  | { type: 'swap'; uri: string; line: number; version: number }
  | { type: 'applyEdit'; uri: string; line: number; version: number; changes: TurnChangeMessage[] };

/** What the panel keeps with `setState` so it comes back after being hidden or a reload. */
export interface PanelState {
  uri: string;
  line: number;
}

const side = literal<SideName>('chosen', 'rejected');
const severity = literal<FindingSeverity>('error', 'warning', 'info', 'hint');

const segment = object<SegmentView>({ text: str, changed: bool });
const bubble = object<BubbleView>({ role: str, text: str });
const turn = object<TurnView>({ role: str, text: str, segments: list(segment) });
const finding = object<FindingView>({
  severity,
  code: str,
  message: str,
  field: optional(str),
  line: index,
  column: index,
  endLine: index,
  endColumn: index,
});
const score = object<ScoreView>({ name: str, value: num, label: optional(str) });
const column = object<ColumnView>({
  side,
  title: str,
  field: str,
  turns: list(turn),
  emptyReason: optional(str),
  findings: list(finding),
  tokens: optional(index),
  tokensDetail: optional(str),
  tone: optional(list(score)),
});

export const checkRecordView: Check<RecordView> = object<RecordView>({
  uri: str,
  fileName: str,
  version: num,
  line: index,
  recordNumber: index,
  recordCount: index,
  formatLabel: str,
  problem: optional(str),
  context: list(bubble),
  chosen: column,
  rejected: column,
  granularity: literal<Granularity>('words', 'lines', 'block', 'identical'),
  diffNote: optional(str),
  recordFindings: list(finding),
  canSwap: bool,
  nav: object<NavView>({ hasPrevious: bool, hasNext: bool, problemRecords: index }),
});

const checkToPanel: Check<ToPanel> = tagged<ToPanel>({
  show: object({ type: literal('show'), view: checkRecordView }),
  empty: object({ type: literal('empty'), message: str }),
  notice: object({ type: literal('notice'), level: literal('info', 'warning', 'error'), message: str }),
});

const checkToHost: Check<ToHost> = tagged<ToHost>({
  ready: object({ type: literal('ready') }),
  navigate: object({ type: literal('navigate'), to: literal<NavigateTarget>('previous', 'next', 'nextProblem') }),
  reveal: object({ type: literal('reveal'), line: index, column: optional(index), endLine: optional(index), endColumn: optional(index) }),
  swap: object({ type: literal('swap'), uri: str, line: index, version: num }),
  applyEdit: object({
    type: literal('applyEdit'),
    uri: str,
    line: index,
    version: num,
    changes: list(object<TurnChangeMessage>({ side, index, original: str, text: str }), 1000),
  }),
});

export const checkPanelState: Check<PanelState> = object<PanelState>({ uri: str, line: index });

/** Validates a message from the extension; throws MessageError with the offending path. */
export function parseToPanel(message: unknown): ToPanel {
  return checkToPanel(message, 'message');
}

/** Validates a message from the panel; throws MessageError with the offending path. */
export function parseToHost(message: unknown): ToHost {
  return checkToHost(message, 'message');
}
