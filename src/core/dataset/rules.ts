import { ruleFinding, ruleOff, ruleThreshold } from '../curation/meta';
import { DatasetAccumulator, DatasetRule, ListChange, RecordEntry, RuleContext, spliceItems } from '../engine';
import { firstAtLine } from '../sorted';
import { Finding, following, refollow, RelatedLocation } from '../findings';
import { FactTable } from './factTable';
import { readFacts, RecordFacts } from './facts';
import type { Side } from '../curation/recordAnalysis';
import { describePhrase, ReportedPhrases, ShortcutIndex, ShortcutMemo, ShortcutPhrase } from './shortcuts';

/** At most this many other occurrences are attached to one finding. */
const MAX_RELATED = 10;
/** Length bias needs this many pairs with different lengths before it says anything. */
export const MIN_BIAS_PAIRS = 20;

/**
 * A dataset rule written in its running form: `check` adds every record to a fresh accumulator,
 * so the CLI, `checkText` and the editor model share one implementation.
 */
function accumulatedRule(id: string, start: (ctx: RuleContext) => DatasetAccumulator, checkTable: NonNullable<DatasetRule['checkTable']>): DatasetRule {
  return {
    id,
    start,
    checkTable,
    check(records, ctx) {
      const acc = start(ctx);
      for (const r of records) acc.add(r);
      return acc.findings(records);
    },
  };
}

function factsOf(entry: RecordEntry): RecordFacts | undefined {
  return readFacts(entry.facts);
}

/**
 * Two or more records sharing a key, in line order, with the findings last built for them (which
 * follow their records' lines: see `following`).
 */
interface SharedGroup {
  entries: RecordEntry[];
  findings?: Finding[];
}

/**
 * Entries grouped by a key (a record or prompt hash). Only groups of two or more report
 * anything; their findings are rebuilt when their entries change (they follow their records when
 * these move), and the whole list only when some group was rebuilt: after a one-line edit or a
 * line insert nearly every group is as it was.
 */
class Groups {
  private byKey = new Map<number, RecordEntry | SharedGroup>();
  private shared = new Set<SharedGroup>();
  /** Shared groups whose findings are to be built again (new, or their entries changed), and groups that went. */
  private dirty = new Set<SharedGroup>();
  /**
   * Every shared group's findings, groups in the order of their first line, and the group of each
   * finding (undefined until first needed). Groups never pass each other (entries keep their
   * relative order), so after an edit only the changed groups are taken out and put back where
   * they sort: a line insert changes one or two groups of thousands.
   */
  private output: Finding[] | undefined;
  private owners: SharedGroup[] = [];
  /** What the last `findings` call changed (see DatasetAccumulator.change), when the list was spliced. */
  change: ListChange | undefined;

  constructor(private build: (entries: readonly RecordEntry[]) => Finding[]) {}

  add(key: number, e: RecordEntry): void {
    const g = this.byKey.get(key);
    if (g === undefined) {
      this.byKey.set(key, e);
      return;
    }
    if (isShared(g)) {
      // Lines are current when entries are added (see DatasetAccumulator), and entries keep their
      // relative order afterwards: inserting by line keeps the group in line order for good.
      let at = g.entries.length;
      while (at > 0 && g.entries[at - 1].line > e.line) at--;
      g.entries.splice(at, 0, e);
      this.dirty.add(g);
    } else {
      const group: SharedGroup = { entries: g.line < e.line ? [g, e] : [e, g] };
      this.byKey.set(key, group);
      this.shared.add(group);
      this.dirty.add(group);
    }
  }

  remove(key: number, e: RecordEntry): void {
    const g = this.byKey.get(key);
    if (g === e) this.byKey.delete(key);
    else if (g !== undefined && isShared(g)) {
      const at = g.entries.indexOf(e);
      if (at < 0) return;
      g.entries.splice(at, 1);
      this.dirty.add(g);
      if (g.entries.length === 1) {
        this.byKey.set(key, g.entries[0]);
        this.shared.delete(g);
      }
    }
  }

  /** Every shared group's findings, groups in the order of their first line (a new list when any changed). */
  findings(): Finding[] {
    this.change = undefined;
    if (!this.output || this.dirty.size > MAX_SPLICED_GROUPS) this.rebuild();
    else if (this.dirty.size) this.spliceDirty();
    this.dirty.clear();
    return this.output!;
  }

  /** Builds the changed groups' findings and the whole list in group order. */
  private rebuild(): void {
    for (const g of this.dirty) g.findings = this.shared.has(g) ? this.build(g.entries) : undefined;
    const first = (g: SharedGroup) => g.entries[0].line;
    const output: Finding[] = [];
    const owners: SharedGroup[] = [];
    for (const g of [...this.shared].sort((a, b) => first(a) - first(b))) {
      for (const f of g.findings!) {
        output.push(f);
        owners.push(g);
      }
    }
    this.output = output;
    this.owners = owners;
  }

  /** Takes the changed groups' findings out of a copy of the list and puts their new ones where the groups now sort. */
  private spliceDirty(): void {
    const from = this.output!;
    const output = from.slice();
    const owners = this.owners.slice();
    const removed: Finding[] = [];
    for (const g of this.dirty) takeRun(output, owners, g, removed);
    const put: SharedGroup[] = [];
    for (const g of this.dirty) {
      if (!this.shared.has(g)) {
        g.findings = undefined;
        continue;
      }
      const made = (g.findings = this.build(g.entries));
      if (!made.length) continue;
      const first = g.entries[0].line;
      let lo = 0;
      let hi = owners.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (owners[mid].entries[0].line < first) lo = mid + 1;
        else hi = mid;
      }
      spliceItems(output, lo, 0, made);
      spliceItems(owners, lo, 0, made.map(() => g));
      put.push(g);
    }
    // Where the groups put back are in the finished list.
    const added: ListChange['added'] = [];
    for (const g of put) {
      const at = owners.indexOf(g);
      g.findings!.forEach((finding, k) => added.push({ finding, index: at + k }));
    }
    this.output = output;
    this.owners = owners;
    this.change = { from, to: output, removed, added };
  }
}

/**
 * Takes the findings whose name (the parallel list `names`) is `key` out of `findings`, and their
 * names out of `names` (they are together), adding them to `removed`. Found by identity: a scan
 * of pointers, without reading the other names' objects.
 */
function takeRun<K>(findings: Finding[], names: K[], key: K, removed: Finding[]): void {
  const at = names.indexOf(key);
  if (at < 0) return;
  let to = at + 1;
  while (to < names.length && names[to] === key) to++;
  for (const f of findings.splice(at, to - at)) removed.push(f);
  names.splice(at, to - at);
}

/** More changed groups than this since the last list: the list is made again whole. */
const MAX_SPLICED_GROUPS = 64;

function isShared(g: RecordEntry | SharedGroup): g is SharedGroup {
  return 'entries' in g;
}

function lenOf(e: RecordEntry): number {
  return factsOf(e)?.len ?? 1;
}

/** The first MAX_RELATED entries of a group other than `except`, as related locations. */
function related(group: readonly RecordEntry[], except: RecordEntry, message: (x: RecordEntry) => string): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const x of group) {
    if (out.length === MAX_RELATED) break;
    if (x !== except) out.push(following(x, { line: x.line, column: 0, endLine: x.line, endColumn: Math.min(lenOf(x), 1), message: message(x) }));
  }
  return out;
}

/**
 * A value made for each member of a group by its index, where what a member is told names the
 * first MAX_RELATED other members: every member past those sees the same ones, so one value made
 * for the first of them serves them all (a group of half a million copies held 5 million
 * locations otherwise).
 */
function perMember<T>(make: (index: number) => T): (index: number) => T {
  let shared: T | undefined;
  return (index) => (index <= MAX_RELATED ? make(index) : (shared ??= make(index)));
}

/**
 * The related locations of each member of a group (see `related`). In a very large group the
 * later members point at the first one only (the first members list the first lines): a
 * million copies would otherwise print ten million locations.
 */
function relatedPerMember(group: readonly RecordEntry[], message: (x: RecordEntry) => string): (index: number) => RelatedLocation[] {
  return perMember((index) => {
    const list = related(group, group[index], message);
    return index > MAX_RELATED && group.length > LARGE_GROUP ? list.slice(0, 1) : list;
  });
}

/** Groups larger than this report fewer related locations on their later members. */
const LARGE_GROUP = 100;

/** The line key of a duplicate's data: the line of the copy a fix keeps. */
const KEEP_LINE: ReadonlySet<string> = new Set(['keepLine']);

/**
 * The messages name no line (the related locations do): a record moving changes only the lines
 * of its group's findings, which follow their records (see `following`), so the group's findings
 * stay as they are (see Groups.findings).
 */
function duplicateRecordFindings(g: readonly RecordEntry[]): Finding[] {
  const keep = g[0];
  const data = following(keep, { fix: 'remove-line', keepLine: keep.line }, KEEP_LINE);
  const t = ruleFinding('dataset-duplicate-record', { column: 0, endColumn: 1 }, { count: g.length }, { data });
  const relatedOf = relatedPerMember(g, (y) => (y === keep ? 'First occurrence (kept)' : 'Another copy'));
  const out: Finding[] = [];
  for (let index = 1; index < g.length; index++) {
    const x = g[index];
    out.push(following(x, { line: x.line, column: 0, endLine: x.line, endColumn: lenOf(x), severity: t.severity, code: t.code, message: t.message, data: t.data, related: relatedOf(index) }));
  }
  return out;
}

function duplicatePromptFindings(g: readonly RecordEntry[]): Finding[] {
  // The same prompt in copies of one record is a duplicate record, reported above.
  const h = factsOf(g[0])!.h;
  if (g.every((x) => factsOf(x)!.h === h)) return [];
  // One message for the whole group.
  const t = ruleFinding('dataset-duplicate-prompt', { column: 0, endColumn: 1 }, { count: g.length });
  const relatedOf = relatedPerMember(g, () => 'Same prompt');
  return g.map((x, i) =>
    following(x, {
      line: x.line,
      column: 0,
      endLine: x.line,
      endColumn: Math.min(1, lenOf(x)),
      severity: t.severity,
      code: t.code,
      message: t.message,
      related: relatedOf(i),
    }),
  );
}

/**
 * The rows of `table` that share a key with another row, grouped, groups in the order of their
 * first row; rows whose key is NaN have none. Found by sorting a copy of the keys, without an
 * entry per record in a map.
 */
function sharedKeyGroups(table: FactTable, keyOf: (row: number) => number): number[][] {
  const keys = new Float64Array(table.size);
  let n = 0;
  for (let row = 0; row < table.size; row++) {
    const k = keyOf(row);
    if (!Number.isNaN(k)) keys[n++] = k;
  }
  const sorted = keys.subarray(0, n).sort();
  const shared = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i]);
  if (!shared.size) return [];
  // Made in row order, so the map holds the groups in the order of their first row.
  const groups = new Map<number, number[]>();
  for (let row = 0; row < table.size; row++) {
    const k = keyOf(row);
    if (!shared.has(k)) continue;
    const g = groups.get(k);
    if (g) g.push(row);
    else groups.set(k, [row]);
  }
  return [...groups.values()];
}

/** Duplicate records (every later copy points at the first) and prompts shared by different records. */
export const duplicatesRule: DatasetRule = accumulatedRule(
  'dataset-duplicates',
  (ctx) => {
    const records = ruleOff(ctx.config, 'dataset-duplicate-record') ? undefined : new Groups(duplicateRecordFindings);
    const prompts = ruleOff(ctx.config, 'dataset-duplicate-prompt') ? undefined : new Groups(duplicatePromptFindings);
    // The last list, and the two lists it was made of: the same list again while neither changed
    // (the editor then compares nothing; see listDelta).
    let last: { out: Finding[]; records: Finding[] | undefined; prompts: Finding[] | undefined } | undefined;
    let change: ListChange | undefined;
    return {
      add(e) {
        const f = factsOf(e);
        if (!f) return;
        records?.add(f.h, e);
        if (f.p !== undefined) prompts?.add(f.p, e);
      },
      remove(e) {
        const f = factsOf(e);
        if (!f) return;
        records?.remove(f.h, e);
        if (f.p !== undefined) prompts?.remove(f.p, e);
      },
      findings() {
        const r = records?.findings();
        const p = prompts?.findings();
        change = undefined;
        if (last && last.records === r && last.prompts === p) return last.out;
        // One native copy (a loop over the findings ran slowly the first time after an edit).
        const out = (r ?? []).concat(p ?? []);
        // The change, when both lists say what theirs was (the one that did not change says nothing).
        if (last) {
          const parts = [
            { was: last.records, now: r, group: records, offset: 0 },
            { was: last.prompts, now: p, group: prompts, offset: r?.length ?? 0 },
          ];
          const removed: Finding[] = [];
          const added: ListChange['added'] = [];
          let known = true;
          for (const { was, now, group, offset } of parts) {
            if (was === now) continue;
            const c = group?.change;
            if (!c || c.from !== was || c.to !== now) known = false;
            else {
              for (const f of c.removed) removed.push(f);
              for (const a of c.added) added.push({ finding: a.finding, index: a.index + offset });
            }
          }
          if (known) change = { from: last.out, to: out, removed, added };
        }
        last = { out, records: r, prompts: p };
        return out;
      },
      change: () => change,
    };
  },
  (table, ctx, emit) => {
    const report = (keyOf: (row: number) => number, build: (entries: readonly RecordEntry[]) => Finding[]) => {
      for (const rows of sharedKeyGroups(table, keyOf)) for (const f of build(rows.map((row) => table.entry(row)))) emit(f);
    };
    if (!ruleOff(ctx.config, 'dataset-duplicate-record')) report((row) => table.hash(row), duplicateRecordFindings);
    if (!ruleOff(ctx.config, 'dataset-duplicate-prompt')) report((row) => table.promptHash(row), duplicatePromptFindings);
  },
);

/** Counts of the values added, with the median of what is present. */
class Histogram {
  private counts = new Map<number, number>();
  size = 0;

  add(v: number): void {
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
    this.size++;
  }

  remove(v: number): void {
    const c = this.counts.get(v);
    if (!c) return;
    if (c === 1) this.counts.delete(v);
    else this.counts.set(v, c - 1);
    this.size--;
  }

  /** The median (the mean of the two middle values for an even count), 0 when empty. */
  median(): number {
    if (!this.size) return 0;
    const values = [...this.counts.keys()].sort((a, b) => a - b);
    const m = this.size >> 1;
    const at = (index: number) => {
      let seen = 0;
      for (const v of values) {
        seen += this.counts.get(v)!;
        if (seen > index) return v;
      }
      return values[values.length - 1];
    };
    return this.size % 2 ? at(m) : (at(m - 1) + at(m)) / 2;
  }
}

export interface LengthBias {
  /** Pairs whose responses differ in length. */
  pairs: number;
  chosenLonger: number;
  /** Share of those pairs where chosen is longer. */
  share: number;
  chosenMedian: number;
  rejectedMedian: number;
}

/** Length statistics over (chosen words, rejected words) pairs, kept as pairs come and go. */
export class LengthStats {
  private chosen = new Histogram();
  private rejected = new Histogram();
  private differing = 0;
  private longer = 0;

  get size(): number {
    return this.chosen.size;
  }

  add(cw: number, rw: number): void {
    this.chosen.add(cw);
    this.rejected.add(rw);
    if (cw === rw) return;
    this.differing++;
    if (cw > rw) this.longer++;
  }

  remove(cw: number, rw: number): void {
    this.chosen.remove(cw);
    this.rejected.remove(rw);
    if (cw === rw) return;
    this.differing--;
    if (cw > rw) this.longer--;
  }

  bias(): LengthBias {
    const d = this.differing;
    return { pairs: d, chosenLonger: this.longer, share: d ? this.longer / d : 0.5, chosenMedian: this.chosen.median(), rejectedMedian: this.rejected.median() };
  }
}

/** Length statistics over (chosen words, rejected words) pairs. */
export function lengthBias(pairs: readonly (readonly [number, number])[]): LengthBias {
  const stats = new LengthStats();
  for (const [cw, rw] of pairs) stats.add(cw, rw);
  return stats.bias();
}

/** Word counts of both sides, when the record has two non-empty responses. */
function pairWords(e: RecordEntry): readonly [number, number] | undefined {
  const f = factsOf(e);
  if (!f || f.cw === undefined || f.rw === undefined || !(f.cw > 0) || !(f.rw > 0)) return undefined;
  return [f.cw, f.rw];
}

/** Where a file-level finding goes: the first record that it concerns (its line and line length). */
interface Anchor {
  line: number;
  len: number;
}

function anchorOf(e: RecordEntry): Anchor {
  return { line: e.line, len: lenOf(e) };
}

/** The length-bias finding, if the pairs counted in `stats` show one; `first` is the first record counted. */
function lengthBiasFindings(stats: LengthStats, ctx: RuleContext, first: () => Anchor): Finding[] {
  if (!stats.size) return [];
  const bias = stats.bias();
  if (bias.pairs < MIN_BIAS_PAIRS) return [];
  const threshold = ruleThreshold(ctx.config, 'dataset-length-bias');
  const longer = bias.share >= threshold;
  const shorter = 1 - bias.share >= threshold;
  if (!longer && !shorter) return [];
  const share = longer ? bias.share : 1 - bias.share;
  const at = first();
  return [
    ruleFinding(
      'dataset-length-bias',
      { column: 0, endColumn: Math.min(1, at.len) },
      { direction: longer ? 'longer' : 'shorter', share: `${Math.round(share * 100)}%`, pairs: bias.pairs, chosenMedian: bias.chosenMedian, rejectedMedian: bias.rejectedMedian },
      { line: at.line, data: { ...bias } },
    ),
  ];
}

/** Chosen systematically longer (or shorter) than rejected, reported once per file. */
export const lengthBiasRule: DatasetRule = accumulatedRule(
  'dataset-length-bias',
  (ctx) => {
    const off = ruleOff(ctx.config, 'dataset-length-bias');
    const stats = new LengthStats();
    /** The last output, returned again while it would read the same (see DatasetModel's patched summaries). */
    let last: Finding[] = [];
    const same = (out: Finding[]): Finding[] => {
      const [a] = out;
      const [b] = last;
      if (out.length === last.length && (!a || (a.line === b.line && a.message === b.message && a.endColumn === b.endColumn && JSON.stringify(a.data) === JSON.stringify(b.data)))) return last;
      return (last = out);
    };
    return {
      add(e) {
        const w = off ? undefined : pairWords(e);
        if (w) stats.add(w[0], w[1]);
      },
      remove(e) {
        const w = off ? undefined : pairWords(e);
        if (w) stats.remove(w[0], w[1]);
      },
      findings(ordered) {
        if (off) return same([]);
        return same(lengthBiasFindings(stats, ctx, () => anchorOf(ordered.find((e) => pairWords(e) !== undefined)!)));
      },
    };
  },
  (table, ctx, emit) => {
    if (ruleOff(ctx.config, 'dataset-length-bias')) return;
    const stats = new LengthStats();
    let first = -1;
    for (let row = 0; row < table.size; row++) {
      // As pairWords: both sides have words (NaN when absent).
      const cw = table.chosenWords(row);
      const rw = table.rejectedWords(row);
      if (!(cw > 0) || !(rw > 0)) continue;
      if (first < 0) first = row;
      stats.add(cw, rw);
    }
    for (const f of lengthBiasFindings(stats, ctx, () => ({ line: table.line(first), len: table.len(first) }))) emit(f);
  },
);

/**
 * The shortcut rules' findings from one search: `use` is called for each use of a phrase by a
 * record in line order, then `summary` once with the phrases. One message per phrase (they only
 * differ by phrase), not one template fill per record; likewise one `data` object per phrase,
 * shared by its findings.
 */
class ShortcutFindings {
  private examples: RelatedLocation[] = [];
  /** Set on the first use: one per phrase. */
  messages: string[] | undefined;
  private template: Finding | undefined;
  private data: Record<string, unknown>[] | undefined;

  constructor(
    private recordOff: boolean,
    private emit: (finding: Finding) => void,
    /** Messages of an earlier search: an equal one is reused (so the editor's findings stay the same objects). */
    private earlier: readonly string[] = [],
  ) {}

  /** A record's use of phrase `i`: its finding follows `record` when given (the editor's entries), else sits on `line`. */
  use(line: number, len: number, side: Side, i: number, phrases: readonly ShortcutPhrase[], memo?: ShortcutMemo, record?: RecordEntry): void {
    const endColumn = Math.min(1, len);
    this.example(line, len, side, i, phrases);
    if (this.recordOff) return;
    if (!this.messages) {
      // The message names the phrase and its side only (the counts are the file-level finding's):
      // a record joining or leaving a phrase changes no other record's finding.
      const fresh = phrases.map((p) => {
        this.template = ruleFinding('dataset-shortcut-record', { column: 0, endColumn: 1 }, { side: p.side, phrase: p.phrase });
        return this.template.message;
      });
      this.messages = fresh.map((m) => this.earlier.find((old) => old === m) ?? m);
      this.data = phrases.map((p) => ({ phrase: p.phrase, side: p.side }));
    }
    const message = this.messages[i];
    // A record whose finding would read the same keeps the finding it had.
    const last = memo?.[side] as Finding | undefined;
    if (last && last.message === message && last.line === line && last.endColumn === endColumn) {
      this.emit(last);
      return;
    }
    const made: Finding = { line, column: 0, endLine: line, endColumn, severity: this.template!.severity, code: this.template!.code, message, data: this.data![i] };
    const f = record ? following(record, made) : made;
    if (memo) memo[side] = f;
    this.emit(f);
  }

  /** Adds a use to the file-level finding's examples (the first few uses in line order); true once it has enough. */
  example(line: number, len: number, side: Side, i: number, phrases: readonly ShortcutPhrase[]): boolean {
    if (this.examples.length < MAX_RELATED) this.examples.push({ line, column: 0, endLine: line, endColumn: Math.min(1, len), message: `Uses ${describePhrase(phrases[i])} in ${side}` });
    return this.examples.length >= MAX_RELATED;
  }

  /**
   * The file-level finding, on the first record, after the per-record ones (saves copying those):
   * on its line it sorts first anyway, being a warning among information.
   */
  summary(phrases: readonly ShortcutPhrase[], first: Anchor): Finding {
    const summary = phrases.map((p) => `${describePhrase(p)} in ${p.count} of ${p.sideTotal} ${p.side} responses vs ${p.otherCount} ${p.side === 'chosen' ? 'rejected' : 'chosen'}`).join('; ');
    return {
      ...ruleFinding('dataset-shortcut', { column: 0, endColumn: Math.min(1, first.len) }, { phrases: summary }, { line: first.line, data: { phrases } }),
      related: this.examples,
    };
  }
}

/** Phrases that mark one side; once per file, plus an information finding on each record that uses one. */
export const shortcutRule: DatasetRule = accumulatedRule(
  'dataset-shortcuts',
  (ctx) => {
    const fileOff = ruleOff(ctx.config, 'dataset-shortcut');
    const recordOff = ruleOff(ctx.config, 'dataset-shortcut-record');
    const index = new ShortcutIndex<RecordEntry>();
    /** The per-record messages of the last call, reused while their text is unchanged (so are the findings). */
    let lastMessages: string[] = [];
    /** What the last `findings` call changed, when it patched the list before (see DatasetAccumulator.change). */
    let listChange: ListChange | undefined;
    /**
     * The last findings, with the records they name. An edit that leaves every record's candidates
     * where they were (typing inside a response, not at its start or end) changes no count, so the
     * same findings come back without a search over the file. The per-record findings follow their
     * records' lines (see `following`); the file-level one is made again whenever lines moved.
     */
    let last: { output: Finding[]; named: RecordEntry[]; phrases: number } | undefined;
    /** Line and candidates of the records added and removed since the last findings, and the entries themselves. */
    let added: string[] = [];
    let removed: string[] = [];
    let addedEntries: RecordEntry[] = [];
    let removedEntries: RecordEntry[] = [];
    /** A record as the change check compares it: its line and its n-grams (the index's, read while it holds the record). */
    const change = (e: RecordEntry) => `${e.line}\u0001${index.grams(e)}`;
    const unchanged = (moved: boolean): boolean => {
      if (!last || added.length !== removed.length) return false;
      if (added.length > 1) {
        added.sort();
        removed.sort();
      }
      for (let i = 0; i < added.length; i++) if (added[i] !== removed[i]) return false;
      return !moved;
    };
    const threshold = ruleThreshold(ctx.config, 'dataset-shortcut');
    const finish = (out: ShortcutFindings, phrases: readonly ShortcutPhrase[], ordered: readonly RecordEntry[], output: Finding[], named: RecordEntry[]): Finding[] => {
      if (out.messages) lastMessages = out.messages;
      if (phrases.length && !fileOff) {
        const first = ordered.find((e) => factsOf(e) !== undefined)!;
        named.push(first);
        output.push(out.summary(phrases, anchorOf(first)));
      }
      if (!phrases.length) output = [];
      last = { output, named, phrases: phrases.length };
      return output;
    };
    /**
     * The last findings patched for the records added and removed since: when the reported phrases
     * are the same, no other record's finding changes (each names its phrase only, and follows its
     * record's line), so one record's edit costs that record, not a visit of every record.
     */
    const patched = (found: ReportedPhrases, ordered: readonly RecordEntry[], gone: readonly RecordEntry[], come: readonly RecordEntry[]): Finding[] => {
      const prev = last!;
      const perRecord = prev.named.length - (prev.phrases && !fileOff ? 1 : 0);
      const { named } = prev;
      // The findings of the records that came, each record's after the records on earlier lines
      // and any left on its own line (there are none: one record a line).
      const arrivals: { e: RecordEntry; findings: Finding[] }[] = [];
      let mine: Finding[] = [];
      const adder = new ShortcutFindings(recordOff, (f) => mine.push(f), lastMessages);
      for (const e of [...come].sort((a, b) => a.line - b.line)) {
        mine = [];
        index.uses(e, found, (key, side, i, phrases, memo) => adder.use(key.line, lenOf(key), side, i, phrases, memo, key));
        if (mine.length) arrivals.push({ e, findings: mine });
      }
      // The output is a new list, a copy of the last (the model tells the two apart by `change`);
      // `named` is changed in place. The other records' findings stay as they are: they follow
      // their records' lines. Copies and splices are native moves of memory, fast even the first
      // time after an edit (a loop over the hundred thousand findings was not).
      const output = prev.output.slice(0, perRecord);
      named.length = perRecord;
      const removed: Finding[] = [];
      if (perRecord < prev.output.length) removed.push(prev.output[perRecord]);
      // A record that went takes its findings with it: found by identity (when lines moved, its
      // line is an old one).
      for (const e of gone) takeRun(output, named, e, removed);
      const added: ListChange['added'] = [];
      for (const { e, findings } of arrivals) {
        const at = firstAtLine(named, e.line + 1);
        output.splice(at, 0, ...findings);
        named.splice(at, 0, ...findings.map(() => e));
        findings.forEach((finding, k) => added.push({ finding, index: at + k }));
      }
      if (adder.messages) lastMessages = adder.messages;
      // The file-level finding's examples: the first uses in line order.
      const out = new ShortcutFindings(recordOff, () => undefined, lastMessages);
      index.forEachUse(found, (key, side, i, phrases) => out.example(key.line, lenOf(key), side, i, phrases));
      const result = finish(out, found.phrases, ordered, output, named);
      // The file-level finding, made again, closes the list (patched only runs while phrases are reported).
      if (!fileOff) added.push({ finding: result[result.length - 1], index: result.length - 1 });
      listChange = { from: prev.output, to: result, removed, added };
      return result;
    };
    return {
      add(e) {
        const f = fileOff && recordOff ? undefined : factsOf(e);
        if (!f) return;
        index.add(e, { so: f.so, ro: f.ro });
        if (last) {
          added.push(change(e));
          addedEntries.push(e);
        }
      },
      remove(e) {
        const f = factsOf(e);
        if (last && f && !(fileOff && recordOff)) {
          removed.push(change(e));
          removedEntries.push(e);
        }
        index.remove(e);
      },
      change: () => listChange,
      findings(ordered, moved) {
        listChange = undefined;
        if (fileOff && recordOff) return [];
        const same = unchanged(moved !== false);
        const gone = removedEntries;
        const come = addedEntries;
        added = [];
        removed = [];
        addedEntries = [];
        removedEntries = [];
        if (same) {
          // Records that came back with the same candidates (typing inside a response): their
          // findings stay, now named by and following the new entries (no line moved: the old
          // entries' lines are the new ones').
          const { named, output, phrases } = last!;
          const perRecord = named.length - (phrases && !fileOff ? 1 : 0);
          for (const e of come) {
            for (let at = firstAtLine(named, e.line, perRecord); at < perRecord && named[at].line === e.line; at++) {
              named[at] = e;
              if (!recordOff) refollow(output[at], e);
            }
            // The file-level finding's record (it does not follow it: it is made again when lines move).
            if (perRecord < named.length && named[perRecord].line === e.line) named[perRecord] = e;
          }
          return output;
        }
        const found = index.phrases({ threshold });
        if (last && found.same && found.phrases.length && last.phrases) return patched(found, ordered, gone, come);
        const named: RecordEntry[] = [];
        const output: Finding[] = [];
        const out = new ShortcutFindings(recordOff, (f) => output.push(f), lastMessages);
        index.forEachUse(found, (e, side, i, phrases, memo) => {
          // One name per finding made (none when the per-record findings are off).
          if (!recordOff) named.push(e);
          out.use(e.line, lenOf(e), side, i, phrases, memo, e);
          return false;
        });
        return finish(out, found.phrases, ordered, output, named);
      },
    };
  },
  (table, ctx, emit) => {
    const fileOff = ruleOff(ctx.config, 'dataset-shortcut');
    const recordOff = ruleOff(ctx.config, 'dataset-shortcut-record');
    if ((fileOff && recordOff) || !table.shortcuts) return;
    const out = new ShortcutFindings(recordOff, emit);
    const phrases = table.shortcuts.search({ threshold: ruleThreshold(ctx.config, 'dataset-shortcut') }, (row, side, i, phrases) => out.use(table.line(row), table.len(row), side, i, phrases));
    // Every row has facts: the first row is the first record.
    if (phrases.length && !fileOff) emit(out.summary(phrases, { line: table.line(0), len: table.len(0) }));
  },
);

/** The tone gap of a record's pair, when it has one (see RecordFacts.tg). */
function toneGap(e: RecordEntry): number | undefined {
  return factsOf(e)?.tg;
}

/** A pair's tone gap (RecordFacts.tg) with its record, as the tone note reads them. */
interface ToneGap extends Anchor {
  gap: number;
  /** The pair rule reported it (RecordFacts.iv). */
  inverted: boolean;
}

/** The tone note, given the pairs with a tone gap in line order (read only when a note is due). */
function toneSeparationFindings(ctx: RuleContext, pairs: number, higher: number, gaps: () => Iterable<ToneGap>): Finding[] {
  if (pairs < MIN_BIAS_PAIRS) return [];
  const share = higher / pairs;
  if (share > ruleThreshold(ctx.config, 'dataset-tone-unseparated')) return [];
  const invertedOff = ruleOff(ctx.config, 'pair-inverted');
  let first: ToneGap | undefined;
  let inverted = 0;
  const related: RelatedLocation[] = [];
  for (const g of gaps()) {
    first ??= g;
    if (invertedOff) break;
    // The pairs the pair rule reported as inverted (it asks more than a tone gap).
    if (!g.inverted) continue;
    inverted++;
    if (related.length < MAX_RELATED) related.push({ line: g.line, column: 0, endLine: g.line, endColumn: Math.min(1, g.len), message: `Rejected scores higher on tone (by ${Math.round(-g.gap * 100) / 100})` });
  }
  const folded = inverted ? `; the ${inverted} "are chosen and rejected swapped?" warnings (pair-inverted) are folded into this note` : '';
  const finding = ruleFinding(
    'dataset-tone-unseparated',
    { column: 0, endColumn: Math.min(1, first!.len) },
    { share: `${Math.round(share * 100)}%`, pairs, folded },
    { line: first!.line, data: { share, pairs, inverted, folds: invertedOff ? [] : ['pair-inverted'] } },
  );
  return [related.length ? { ...finding, related } : finding];
}

/**
 * One note when tone does not separate the sides (chosen scores higher in about half the pairs or
 * fewer): the dataset's preference is about something else, and its per-pair `pair-inverted`
 * warnings are folded into the note (the engine drops them when the note carries `folds`).
 */
export const toneSeparationRule: DatasetRule = {
  ...accumulatedRule(
    'dataset-tone-unseparated',
    (ctx) => {
      const off = ruleOff(ctx.config, 'dataset-tone-unseparated');
      let pairs = 0;
      let higher = 0;
      const count = (e: RecordEntry, by: 1 | -1) => {
        const gap = off ? undefined : toneGap(e);
        if (gap === undefined) return;
        pairs += by;
        if (gap > 0) higher += by;
      };
      return {
        add: (e) => count(e, 1),
        remove: (e) => count(e, -1),
        findings(ordered) {
          if (off) return [];
          return toneSeparationFindings(ctx, pairs, higher, function* () {
            for (const e of ordered) {
              const gap = toneGap(e);
              if (gap !== undefined) yield { ...anchorOf(e), gap, inverted: !!factsOf(e)?.iv };
            }
          });
        },
      };
    },
    (table, ctx, emit) => {
      if (ruleOff(ctx.config, 'dataset-tone-unseparated')) return;
      let pairs = 0;
      let higher = 0;
      for (let row = 0; row < table.size; row++) {
        const gap = table.toneGap(row);
        if (gap === undefined) continue;
        pairs++;
        if (gap > 0) higher++;
      }
      const findings = toneSeparationFindings(ctx, pairs, higher, function* () {
        for (let row = 0; row < table.size; row++) {
          const gap = table.toneGap(row);
          if (gap !== undefined) yield { line: table.line(row), len: table.len(row), gap, inverted: table.inverted(row) };
        }
      });
      for (const f of findings) emit(f);
    },
  ),
  folds: ['pair-inverted'],
};
