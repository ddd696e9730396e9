// The compare panel: a browser bundle that renders what the extension sends. Dataset text only
// ever enters the page through textContent or element properties, never as HTML.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import './style.css';
import {
  BubbleView,
  ColumnView,
  FindingView,
  NavigateTarget,
  parseToPanel,
  RecordView,
  SegmentView,
  SideName,
  ToHost,
  TurnChangeMessage,
} from '../../src/core/compare/messages';
import { MessageError } from '../../src/core/compare/validate';

interface Draft {
  index: number;
  original: string;
  text: string;
}

/** What survives hiding the panel and reloading the window. */
interface WebviewState {
  uri: string;
  line: number;
  drafts?: Partial<Record<SideName, Draft[]>>;
}

interface VsCodeApi {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

let current: RecordView | undefined;
let drafts: Partial<Record<SideName, Draft[]>> = restoreDrafts(vscode.getState());
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

/** Drafts from a saved state, kept only if they are well-formed. */
function restoreDrafts(state: unknown): Partial<Record<SideName, Draft[]>> {
  const out: Partial<Record<SideName, Draft[]>> = {};
  const saved = typeof state === 'object' && state !== null ? (state as { drafts?: unknown }).drafts : undefined;
  if (typeof saved !== 'object' || saved === null) return out;
  for (const side of ['chosen', 'rejected'] as const) {
    const list = (saved as Record<string, unknown>)[side];
    if (!Array.isArray(list)) continue;
    const ok = list.filter(
      (d): d is Draft => typeof d === 'object' && d !== null && typeof d.index === 'number' && typeof d.original === 'string' && typeof d.text === 'string',
    );
    if (ok.length) out[side] = ok;
  }
  return out;
}

function saveState(): void {
  if (!current) return;
  vscode.setState({ uri: current.uri, line: current.line, drafts });
}

function send(message: ToHost): void {
  vscode.postMessage(message);
}

/** Creates an element with optional class and text (text always as textContent). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, title: string, onClick: () => void, options: { secondary?: boolean; disabled?: boolean; id?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.title = title;
  if (options.secondary) b.secondary = true;
  if (options.disabled) b.disabled = true;
  if (options.id) b.id = options.id;
  b.addEventListener('click', () => {
    if (!b.disabled) onClick();
  });
  return b;
}

const ROLE_LABELS: Record<string, string> = { user: 'User', assistant: 'Assistant', system: 'System', tool: 'Tool', developer: 'Developer' };

function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

/** A chat bubble; `segments` (when given) carry the diff highlighting of a response. */
function bubble(role: string, text: string, segments?: SegmentView[], side?: { name: SideName; title: string }): HTMLElement {
  const wrap = el('div', `bubble role-${/^[a-z]+$/.test(role) ? role : 'other'}`);
  wrap.append(el('div', 'role', roleLabel(role)));
  const body = el('div', 'text');
  if (segments) {
    for (const s of segments) {
      if (s.changed) {
        const mark = el('span', `chg chg-${side?.name ?? 'chosen'}`, s.text);
        mark.title = `Only in the ${side?.title.toLowerCase() ?? ''} response`;
        body.append(mark);
      } else body.append(document.createTextNode(s.text));
    }
  } else body.textContent = text;
  if (!text) body.append(el('span', 'muted', '(empty)'));
  wrap.append(body);
  return wrap;
}

function contextBubble(b: BubbleView): HTMLElement {
  if (b.role !== 'system') return bubble(b.role, b.text);
  const details = document.createElement('vscode-collapsible');
  details.className = 'system';
  details.heading = 'System message';
  details.description = `${b.text.length.toLocaleString()} characters`;
  details.append(bubble(b.role, b.text));
  return details;
}

function findingList(findings: FindingView[], className: string): HTMLElement | undefined {
  if (findings.length === 0) return undefined;
  const list = el('ul', `findings ${className}`);
  for (const f of findings) {
    const item = el('li', `finding sev-${f.severity}`);
    const link = el('button', 'link finding-link');
    link.type = 'button';
    link.title = `Show in the editor (line ${f.line + 1}, column ${f.column + 1})`;
    link.append(el('span', 'sev', f.severity), el('span', 'msg', f.message), el('span', 'code', f.code));
    link.addEventListener('click', () => send({ type: 'reveal', line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }));
    item.append(link);
    list.append(item);
  }
  return list;
}

function metricsRow(column: ColumnView): HTMLElement | undefined {
  if (column.tokens === undefined && !column.tone?.length) return undefined;
  const row = el('div', 'metrics');
  if (column.tokens !== undefined) {
    const chip = el('span', 'metric tokens', `${column.tokens.toLocaleString()} tokens`);
    if (column.tokensDetail) chip.title = column.tokensDetail;
    row.append(chip);
  }
  // The first score is the overall tone, the others its axes; each 0–100, higher reads better.
  (column.tone ?? []).forEach((s, i) => {
    const chip = el('span', i === 0 ? 'metric tone overall' : 'metric tone', `${s.name} ${Math.round(s.value * 100)}`);
    chip.title = s.label ?? `${s.name}: ${Math.round(s.value * 100)} of 100`;
    row.append(chip);
  });
  return row;
}

function startEditing(side: SideName): void {
  const column = current?.[side];
  if (!column) return;
  drafts[side] = column.turns.map((t, index) => ({ index, original: t.text, text: t.text }));
  saveState();
  if (current) render(current, true);
  app.querySelector<HTMLElement>(`.column-${side} vscode-textarea`)?.focus();
}

function stopEditing(side: SideName): void {
  delete drafts[side];
  saveState();
  if (current) render(current, true);
}

function applyDraft(side: SideName): void {
  const view = current;
  const list = drafts[side];
  if (!view || !list) return;
  const changes: TurnChangeMessage[] = list.filter((d) => d.text !== d.original).map((d) => ({ side, index: d.index, original: d.original, text: d.text }));
  if (changes.length === 0) {
    notice('info', 'Nothing changed.');
    return;
  }
  // The draft stays until the record comes back with the new text (then it no longer fits and is
  // dropped); if the edit is refused, the typed text is still there.
  send({ type: 'applyEdit', uri: view.uri, line: view.line, version: view.version, changes });
}

function editor(side: SideName, column: ColumnView, list: Draft[]): HTMLElement {
  const box = el('div', 'editor');
  for (const d of list) {
    const turn = column.turns[d.index];
    const label = el('label', 'role', `${roleLabel(turn?.role ?? 'assistant')} — turn ${d.index + 1}`);
    const area = document.createElement('vscode-textarea');
    area.value = d.text;
    area.rows = Math.min(20, Math.max(4, d.text.split('\n').length + 1));
    area.resize = 'vertical';
    area.setAttribute('aria-label', `Edit the ${side} response, turn ${d.index + 1}`);
    area.addEventListener('input', () => {
      d.text = area.value;
      saveState();
    });
    area.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.key === 'Escape') stopEditing(side);
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) applyDraft(side);
    });
    box.append(label, area);
  }
  const actions = el('div', 'editor-actions');
  actions.append(button('Apply', 'Write this text into the record (Ctrl+Enter); undo with Ctrl+Z in the editor', () => applyDraft(side)), button('Cancel', 'Discard the changes (Escape)', () => stopEditing(side), { secondary: true }));
  box.append(actions);
  return box;
}

function columnElement(view: RecordView, column: ColumnView): HTMLElement {
  const side = column.side;
  const section = el('section', `column column-${side}`);
  section.setAttribute('aria-label', `${column.title} response`);
  const head = el('header', 'column-head');
  const title = el('h2', undefined, column.title);
  head.append(title);
  if (column.field) head.append(el('code', 'field', column.field));
  const list = drafts[side];
  const editable = !view.problem && column.turns.length > 0 && !list;
  if (editable) head.append(button('Edit', `Edit the ${side} response here and apply it to the file`, () => startEditing(side), { secondary: true, id: `edit-${side}` }));
  section.append(head);
  const metrics = metricsRow(column);
  if (metrics) section.append(metrics);
  const findings = findingList(column.findings, 'column-findings');
  if (findings) section.append(findings);
  if (column.turns.length === 0) section.append(el('p', 'empty', column.emptyReason ?? 'Nothing to show.'));
  else if (list) section.append(editor(side, column, list));
  else for (const t of column.turns) section.append(bubble(t.role, t.text, t.segments, { name: side, title: column.title }));
  return section;
}

function header(view: RecordView): HTMLElement {
  const bar = el('header', 'toolbar');
  const where = el('div', 'where');
  const position = el('strong', 'position', view.recordNumber ? `Record ${view.recordNumber.toLocaleString()} of ${view.recordCount.toLocaleString()}` : `${view.recordCount.toLocaleString()} records`);
  const line = el('button', 'link line-link', `line ${(view.line + 1).toLocaleString()}`);
  line.type = 'button';
  line.title = 'Show this record in the editor';
  line.addEventListener('click', () => send({ type: 'reveal', line: view.line }));
  where.append(position, el('span', 'sep', '·'), el('span', 'format', view.formatLabel), el('span', 'sep', '·'), line, el('span', 'sep', '·'), el('span', 'file', view.fileName));
  const nav = el('div', 'actions');
  const go = (to: NavigateTarget) => () => send({ type: 'navigate', to });
  nav.append(
    button('Previous', 'Previous record (Alt+Up)', go('previous'), { secondary: true, disabled: !view.nav.hasPrevious, id: 'previous' }),
    button('Next', 'Next record (Alt+Down)', go('next'), { secondary: true, disabled: !view.nav.hasNext, id: 'next' }),
  );
  const problems = button('Next with problems', 'Next record with findings (Alt+Shift+Down)', go('nextProblem'), { secondary: true, disabled: view.nav.problemRecords === 0, id: 'next-problem' });
  if (view.nav.problemRecords > 0) {
    const badge = document.createElement('vscode-badge');
    badge.textContent = view.nav.problemRecords.toLocaleString();
    badge.title = `${view.nav.problemRecords} records with findings`;
    problems.append(' ', badge);
  }
  nav.append(problems);
  nav.append(button('Swap', 'Swap the chosen and rejected responses in the file (undo with Ctrl+Z in the editor)', () => send({ type: 'swap', uri: view.uri, line: view.line, version: view.version }), { disabled: !view.canSwap, id: 'swap' }));
  bar.append(where, nav);
  return bar;
}

function legend(view: RecordView): HTMLElement {
  const box = el('p', 'legend');
  box.append(el('span', 'chg chg-chosen', `only in ${view.chosen.title.toLowerCase()}`), ' ', el('span', 'chg chg-rejected', `only in ${view.rejected.title.toLowerCase()}`));
  return box;
}

function render(view: RecordView, keepScroll: boolean): void {
  const scroll = keepScroll ? window.scrollY : 0;
  const noticeBox = el('div', 'notice');
  noticeBox.id = 'notice';
  noticeBox.setAttribute('role', 'status');
  const old = document.getElementById('notice');
  if (old && keepScroll) noticeBox.replaceChildren(...Array.from(old.childNodes));
  if (old && keepScroll) noticeBox.className = old.className;

  const parts: HTMLElement[] = [header(view), noticeBox];
  if (view.problem) parts.push(el('p', 'problem', view.problem));
  const recordFindings = findingList(view.recordFindings, 'record-findings');
  if (recordFindings) parts.push(recordFindings);
  if (view.context.length) {
    const convo = el('section', 'conversation');
    convo.setAttribute('aria-label', 'Conversation before the responses');
    for (const b of view.context) convo.append(contextBubble(b));
    parts.push(convo);
  }
  if (view.diffNote) parts.push(el('p', 'diff-note', view.diffNote));
  const columns = el('div', 'columns');
  columns.append(columnElement(view, view.chosen), columnElement(view, view.rejected));
  parts.push(columns);
  if (!view.problem && view.granularity !== 'identical') parts.push(legend(view));
  else if (!view.problem && view.chosen.turns.length && view.rejected.turns.length) parts.push(el('p', 'legend', 'The two responses are identical.'));
  app.replaceChildren(...parts);
  window.scrollTo(0, scroll);
}

function notice(level: 'info' | 'warning' | 'error', message: string): void {
  const box = document.getElementById('notice');
  if (!box) return;
  box.className = `notice notice-${level}`;
  box.textContent = message;
  if (noticeTimer) clearTimeout(noticeTimer);
  if (level === 'info') noticeTimer = setTimeout(() => box.replaceChildren(), 6000);
}

function showEmpty(message: string): void {
  current = undefined;
  const box = el('div', 'empty-state');
  const notice = el('div', 'notice');
  notice.id = 'notice';
  notice.setAttribute('role', 'status');
  box.append(el('p', undefined, message));
  app.replaceChildren(notice, box);
}

/** Drafts that no longer fit the record (another record, or its text changed meanwhile) are dropped. */
function keepMatchingDrafts(view: RecordView, previous: RecordView | undefined): void {
  const sameRecord = previous ? previous.uri === view.uri && previous.line === view.line : true;
  for (const side of ['chosen', 'rejected'] as const) {
    const list = drafts[side];
    if (!list) continue;
    const fits = list.every((d) => view[side].turns[d.index]?.text === d.original);
    if (!sameRecord || !fits) delete drafts[side];
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  let message;
  try {
    message = parseToPanel(event.data);
  } catch (err) {
    if (err instanceof MessageError) {
      console.error(`Compare panel ignored a malformed message: ${err.message}`);
      return;
    }
    throw err;
  }
  switch (message.type) {
    case 'show': {
      const previous = current;
      const same = previous !== undefined && previous.uri === message.view.uri && previous.line === message.view.line;
      if (!previous) {
        // First view after a reload: keep the restored drafts if they are for this record.
        const saved = vscode.getState() as Partial<WebviewState> | undefined;
        if (!saved || saved.uri !== message.view.uri || saved.line !== message.view.line) drafts = {};
      }
      keepMatchingDrafts(message.view, previous);
      current = message.view;
      saveState();
      render(message.view, same);
      break;
    }
    case 'empty':
      showEmpty(message.message);
      break;
    case 'notice':
      notice(message.level, message.message);
      break;
  }
});

send({ type: 'ready' });
