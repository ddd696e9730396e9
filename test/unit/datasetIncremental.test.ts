/**
 * The editor model keeps the dataset rules' counts between checks and only counts edited records
 * out and in again. Whatever the edits, its findings must be exactly those of a fresh check of the
 * same text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CuratorConfig, DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { CheckSummary, checkText, DatasetModel, DatasetRule, numberingLimits, sortFindings } from '../../src/core/engine';
import { CodeCounts, compareFindings, Finding, Severity } from '../../src/core/findings';

const rec = (prompt: string, chosen: string, rejected: string) => JSON.stringify({ prompt, chosen, rejected });
const items = ['A shower chair', 'A grab rail', 'Good lighting', 'A night light', 'Non-slip mats', 'A bath board', 'A pill organiser', 'A calendar'];

/** Lines that between them trigger every dataset rule: shortcut openers, copies, shared prompts, invalid and blank lines. */
const pool: string[] = [
  ...Array.from({ length: 30 }, (_, i) => {
    const item = items[i % items.length];
    const opener = i % 5 === 4 ? '' : "I'm so sorry you're dealing with this. ";
    return rec(`Question ${i % 12}: what helps with ${item.toLowerCase()}?`, `${opener}${item} can help with ${['bathing', 'nights', 'meals', 'memory'][i % 4]}, and her care team can tell you more about option ${i}.`, `${item} number ${i}.`);
  }),
  // Pairs whose rejected side is the kinder one: enough of them and tone no longer separates the
  // sides, so their pair-inverted warnings fold into one dataset note.
  ...Array.from({ length: 16 }, (_, i) => {
    const item = items[i % items.length];
    return rec(
      `Other question ${i}: is ${item.toLowerCase()} worth it?`,
      `Obviously you should just buy ${item.toLowerCase()}. It is not that hard, honestly, and I do not see why anyone would need to ask about something this simple.`,
      `That sounds hard. ${item} often helps; her care team can suggest one (${i}).`,
    );
  }),
  '',
  '{"prompt": "broken"',
  '[1, 2]',
  rec('Why?', 'You must check it daily. Do it NOW!!', 'That sounds hard. Would it help to talk it through?'),
];

const invertedPairs = pool.filter((l) => l.includes('Other question'));
// The inverted pairs come up more often, so that edits move the file across the tone note's line both ways.
const choices = [...pool, ...invertedPairs];
const pick = fc.integer({ min: 0, max: choices.length - 1 }).map((i) => choices[i]);
const edit = fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 3 }), insert: fc.array(pick, { maxLength: 3 }) });

type Splice = { at: number; remove: number; insert: string[] };

/**
 * Applies each edit (given the lines as they are, it says what to splice) to a list of lines and
 * to an editor model, and checks after each that the model reports exactly what a fresh check of
 * the same text reports; `seen` is called with the model and that fresh summary.
 */
function editAndCompare(initial: string[], edits: ((lines: string[]) => Splice)[], seen: (model: DatasetModel, fresh: CheckSummary) => void, config: CuratorConfig = DEFAULT_CONFIG): void {
  const settings = { config, recordRules, datasetRules };
  const model = new DatasetModel(settings);
  const lines = [...initial];
  model.setLines([...lines]);
  model.summary();
  for (const edit of edits) {
    const { at, remove, insert } = edit(lines);
    lines.splice(at, remove, ...insert);
    model.splice(at, remove, [...insert]);
    seen(model, summaryMatchesFresh(model, lines, config));
  }
}

/** Asserts that the model's next summary is what a fresh check of `lines` reports, counts included; returns that fresh summary. */
function summaryMatchesFresh(model: DatasetModel, lines: readonly string[], config: CuratorConfig = DEFAULT_CONFIG): CheckSummary {
  const incremental = model.summary();
  const fresh = checkText(lines.join('\n'), { config, recordRules, datasetRules });
  assert.equal(incremental.records, fresh.records);
  assert.deepEqual(incremental.findings, fresh.findings);
  // The counts kept up to date from summary to summary are those of the findings.
  const counted = new CodeCounts();
  counted.add(fresh.findings);
  assert.deepEqual(model.findingCounts!.entries(), counted.entries());
  return fresh;
}

test('after any sequence of edits the model reports exactly what a fresh check reports', () => {
  const seen = new Set<string>();
  const kinds = new Set<string>();
  fc.assert(
    fc.property(fc.array(pick, { minLength: 20, maxLength: 45 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (initial, edits) => {
      const splices = edits.map((e) => (lines: string[]): Splice => ({ at: e.at % (lines.length + 1), remove: e.remove, insert: e.insert }));
      editAndCompare(initial, splices, (model, fresh) => {
        kinds.add(model.lastSummaryKind);
        for (const f of fresh.findings) if (f.code === 'dataset-tone-unseparated' || f.code === 'pair-inverted') seen.add(f.code);
      });
    }),
    { numRuns: 40 },
  );
  // The runs saw files on both sides of the tone note's line.
  assert.deepEqual([...seen].sort(), ['dataset-tone-unseparated', 'pair-inverted']);
  // Lines inserted and removed: the findings of the other lines were moved in place (and the
  // fallbacks were taken too).
  assert.ok(kinds.has('shifted') && kinds.has('merged') && kinds.has('full'), [...kinds].join(' '));
});

test('with rule settings that change dataset findings\' severities, edits that move lines report exactly what a fresh check reports', () => {
  // A severity set in the config used to give the editor a copy of each dataset finding, which
  // stayed on its old line when lines were inserted or removed above it.
  // Record codes too (placed with their settings applied, moved with their lines).
  const codes = ['dataset-duplicate-record', 'dataset-duplicate-prompt', 'dataset-shortcut', 'dataset-shortcut-record', 'dataset-tone-unseparated', 'dataset-length-bias', 'pair-inverted', 'tone-prescriptive'];
  const severities: Severity[] = ['error', 'hint', 'warning', 'info', 'error', 'hint', 'hint', 'error'];
  const config: CuratorConfig = { ...DEFAULT_CONFIG, rules: Object.fromEntries(codes.map((code, i) => [code, { severity: severities[i] }])) };
  const kinds = new Set<string>();
  fc.assert(
    fc.property(fc.array(pick, { minLength: 20, maxLength: 45 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (initial, edits) => {
      const splices = edits.map((e) => (lines: string[]): Splice => ({ at: e.at % (lines.length + 1), remove: e.remove, insert: e.insert }));
      editAndCompare(initial, splices, (model) => kinds.add(model.lastSummaryKind), config);
    }),
    { numRuns: 30 },
  );
  assert.ok(kinds.has('shifted'), [...kinds].join(' '));
});

test('with some dataset codes turned off, edits that move lines report exactly what a fresh check reports', () => {
  // The shortcut rule with only its file-level note on (its per-record findings off), and with
  // only the per-record ones; a duplicate code off beside the other.
  for (const off of [['dataset-shortcut-record'], ['dataset-shortcut'], ['dataset-duplicate-prompt', 'dataset-length-bias']]) {
    const config: CuratorConfig = { ...DEFAULT_CONFIG, rules: Object.fromEntries(off.map((code) => [code, { severity: 'off' as const }])) };
    fc.assert(
      fc.property(fc.array(pick, { minLength: 20, maxLength: 45 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (initial, edits) => {
        const splices = edits.map((e) => (lines: string[]): Splice => ({ at: e.at % (lines.length + 1), remove: e.remove, insert: e.insert }));
        try {
          editAndCompare(initial, splices, () => undefined, config);
        } catch (err) {
          throw new Error(`with ${off.join(', ')} off: ${(err as Error).message.slice(0, 1500)}`);
        }
      }),
      { numRuns: 25 },
    );
  }
});

test('after any sequence of edits, with the lines numbered again every few splices, the model reports exactly what a fresh check reports', () => {
  // Lines and entries read their numbers through a log of splices that the model folds into a
  // renumbering of every line every few dozen splices; here every two, so that runs cross it often.
  const limit = numberingLimits.log;
  numberingLimits.log = 2;
  try {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(fc.array(pick, { minLength: 20, maxLength: 45 }), fc.array(edit, { minLength: 1, maxLength: 12 }), (initial, edits) => {
        const splices = edits.map((e) => (lines: string[]): Splice => ({ at: e.at % (lines.length + 1), remove: e.remove, insert: e.insert }));
        editAndCompare(initial, splices, (model) => kinds.add(model.lastSummaryKind));
      }),
      { numRuns: 40 },
    );
    assert.ok(kinds.has('shifted'), [...kinds].join(' '));
  } finally {
    numberingLimits.log = limit;
  }
});

test('several edits between two summaries (typing faster than the checks) report exactly what a fresh check reports', () => {
  const kinds = new Set<string>();
  fc.assert(
    fc.property(fc.array(pick, { minLength: 20, maxLength: 45 }), fc.array(fc.array(edit, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (initial, batches) => {
      const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
      const model = new DatasetModel(settings);
      const lines = [...initial];
      model.setLines([...lines]);
      model.summary();
      for (const batch of batches) {
        for (const e of batch) {
          const at = e.at % (lines.length + 1);
          lines.splice(at, e.remove, ...e.insert);
          model.splice(at, e.remove, [...e.insert]);
        }
        summaryMatchesFresh(model, lines);
        kinds.add(model.lastSummaryKind);
      }
    }),
    { numRuns: 40 },
  );
  assert.ok(kinds.has('shifted'), [...kinds].join(' '));
});

test('a file-level note on a removed line that its rule gives again (now anchored at the record that took the line) stays', () => {
  // Found by the batch property above: the length-bias note sits on the first record's line; that
  // line goes, another record takes line 0 and the counts come out the same, so the rule returns
  // its last note, which went with the line.
  const model = new DatasetModel({ config: DEFAULT_CONFIG, recordRules, datasetRules });
  const lines = pool.slice(0, 25);
  model.setLines([...lines]);
  assert.ok(model.summary().findings.some((f) => f.code === 'dataset-length-bias' && f.line === 0));
  const edits: Splice[] = [
    { at: 0, remove: 1, insert: [lines[0], lines[5]] },
    { at: 6, remove: 1, insert: [] },
  ];
  for (const { at, remove, insert } of edits) {
    lines.splice(at, remove, ...insert);
    model.splice(at, remove, [...insert]);
  }
  summaryMatchesFresh(model, lines);
});

test('a paste of more lines than one splice call can spread is checked like any edit', () => {
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const model = new DatasetModel(settings);
  const lines = pool.slice(0, 30);
  model.setLines([...lines]);
  model.summary();
  const pasted = Array.from({ length: 12_000 }, (_, i) => rec(`Pasted question ${i % 40}?`, `Answer ${i}.`, `No ${i}.`));
  // 11,000 lines in one splice (more than SPREAD_LIMIT), then 1,000 more inside them.
  lines.splice(10, 2, ...pasted.slice(0, 11_000));
  lines.splice(5010, 0, ...pasted.slice(11_000));
  model.splice(10, 2, pasted.slice(0, 11_000));
  model.splice(5010, 0, pasted.slice(11_000));
  assert.equal(model.lineCount, lines.length);
  assert.deepEqual(model.summary().findings, checkText(lines.join('\n'), settings).findings);
});

test('edits that replace lines without moving any (the patched summary) report exactly what a fresh check reports', () => {
  // New lines from the pool, or the same text typed again (every dataset finding stays: patched).
  const replace = fc.oneof(fc.record({ at: fc.nat(), with: fc.array(pick, { minLength: 1, maxLength: 2 }) }), fc.record({ at: fc.nat(), retype: fc.constant(true) }));
  const kinds = new Set<string>();
  fc.assert(
    fc.property(fc.array(pick, { minLength: 20, maxLength: 45 }), fc.array(replace, { minLength: 1, maxLength: 8 }), (initial, edits) => {
      const splices = edits.map((e) => (lines: string[]): Splice => {
        const count = 'with' in e ? e.with.length : 1;
        const at = e.at % (lines.length - count + 1);
        return { at, remove: count, insert: 'with' in e ? e.with : [lines[at]] };
      });
      editAndCompare(initial, splices, (model) => kinds.add(model.lastSummaryKind));
    }),
    { numRuns: 40 },
  );
  // Every way a summary is made was taken and checked.
  assert.deepEqual([...kinds].sort(), ['full', 'merged', 'patched', 'spliced']);
});

test('the property above covers every dataset rule', () => {
  const lines = [...pool, pool[0], pool[1]];
  const codes = new Set(checkText(lines.join('\n'), { config: DEFAULT_CONFIG, recordRules, datasetRules }).findings.map((f) => f.code));
  for (const code of ['dataset-duplicate-record', 'dataset-duplicate-prompt', 'dataset-length-bias', 'dataset-shortcut', 'dataset-shortcut-record', 'json-syntax', 'record-not-object']) {
    assert.ok(codes.has(code), `${code} missing from ${[...codes].join(', ')}`);
  }
  // With most of the inverted pairs the tone note appears (and replaces their pair-inverted warnings);
  // with few of them the warnings stay: the edits above cross that line both ways.
  const inverted = invertedPairs;
  const mostly = checkText([...inverted, ...pool.slice(0, 12)].join('\n'), { config: DEFAULT_CONFIG, recordRules, datasetRules }).findings.map((f) => f.code);
  assert.ok(mostly.includes('dataset-tone-unseparated') && !mostly.includes('pair-inverted'), mostly.join(' '));
  const few = checkText([...inverted.slice(0, 4), ...pool.slice(0, 30)].join('\n'), { config: DEFAULT_CONFIG, recordRules, datasetRules }).findings.map((f) => f.code);
  assert.ok(!few.includes('dataset-tone-unseparated') && few.includes('pair-inverted'), few.join(' '));
});

test('sortFindings sorts exactly as a stable sort with compareFindings', () => {
  const severity = fc.constantFrom<Severity>('error', 'warning', 'info', 'hint');
  const finding = fc.record({
    line: fc.integer({ min: 0, max: 6 }),
    column: fc.integer({ min: 0, max: 2 }),
    severity,
    code: fc.constantFrom('tone-jargon', 'dataset-shortcut-record', 'dataset-duplicate-prompt', 'schema', 'json-syntax'),
    tag: fc.nat(),
  });
  fc.assert(
    fc.property(fc.array(finding, { maxLength: 60 }), (raw) => {
      const list: Finding[] = raw.map((r) => ({ line: r.line, column: r.column, endLine: r.line, endColumn: r.column + 1, severity: r.severity, code: r.code, message: String(r.tag) }));
      assert.deepEqual(sortFindings(list), [...list].sort(compareFindings));
    }),
    { numRuns: 40 },
  );
  // Sparse or odd line numbers take the plain sort.
  const far: Finding[] = [5_000_000, 3, 3].map((line, i) => ({ line, column: 0, endLine: line, endColumn: 1, severity: 'info', code: 'x', message: String(i) }));
  assert.deepEqual(sortFindings(far).map((f) => f.message), ['1', '2', '0']);
});

test('a dataset rule without a running form still sees every record, with current lines, after edits', () => {
  const seen: number[][] = [];
  const countRule = {
    id: 'count',
    check(records: readonly { line: number }[]) {
      seen.push(records.map((r) => r.line));
      return [];
    },
  };
  const model = new DatasetModel({ recordRules, datasetRules: [countRule] });
  model.setLines([pool[0], '', pool[1]]);
  model.summary();
  model.splice(0, 0, [pool[2]]);
  model.summary();
  assert.deepEqual(seen, [
    [0, 2],
    [0, 1, 3],
  ]);
});

test('records parsed again from their text after a config or format change give the same findings; value() still answers', () => {
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const lines = pool.slice(0, 25);
  const model = new DatasetModel(settings);
  model.setLines([...lines]);
  model.summary();
  assert.deepEqual(model.value(0), JSON.parse(lines[0]));
  const strict = { ...settings, config: { ...DEFAULT_CONFIG, rules: { 'dataset-shortcut-record': { severity: 'warning' as const } } } };
  model.configure(strict);
  assert.deepEqual(model.summary().findings, checkText(lines.join('\n'), strict).findings);
  // Enough chat records to win the format vote: every record is checked again under the new format.
  const chat = JSON.stringify({ messages: [{ role: 'user', content: 'Hi?' }, { role: 'assistant', content: 'Hello, how can I help?' }] });
  const mixed = [...lines, ...Array.from({ length: 30 }, () => chat)];
  model.splice(lines.length, 0, Array.from({ length: 30 }, () => chat));
  const summary = model.summary();
  assert.equal(summary.format, 'chat-messages');
  assert.deepEqual(summary.findings, checkText(mixed.join('\n'), strict).findings);
});

test('an edit inside a response that leaves every shortcut candidate as it was reuses the shortcut findings; any other edit searches again', () => {
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const lines = pool.slice(0, 30);
  const model = new DatasetModel(settings);
  model.setLines([...lines]);
  const shortcutFindings = (findings: readonly Finding[]) => findings.filter((f) => f.code.startsWith('dataset-shortcut'));
  const before = model.summary().findings;
  assert.ok(shortcutFindings(before).length > 10, 'the pool has shortcut phrases');
  const run = (at: number, text: string) => {
    lines[at] = text;
    model.splice(at, 1, [text]);
    const incremental = model.summary().findings;
    assert.deepEqual(incremental, checkText(lines.join('\n'), settings).findings);
    return incremental;
  };
  // Words added in the middle of the chosen response: same openers and closers.
  const inside = run(3, lines[3].replace(' can help with ', ' can really help with '));
  assert.notEqual(lines[3], pool[3]);
  const shared = shortcutFindings(inside);
  assert.deepEqual(shared, shortcutFindings(before));
  assert.ok(shared.every((f, i) => f === shortcutFindings(before)[i]), 'the same finding objects: no new search');
  // A new opening sentence changes the record's candidates: searched again, still exact. (The
  // next summary may change the last list in place: what is compared is taken out first.)
  const insideShortcuts = shortcutFindings(inside);
  const opened = run(5, lines[5].replace(/"chosen": ?"/, '$&Honestly, this is simple. '));
  assert.notEqual(lines[5], pool[5]);
  assert.ok(shortcutFindings(opened).some((f, i) => f !== insideShortcuts[i]));
});

test('a new opening sentence that leaves the reported phrases as they were changes that record only: the rest are the same finding objects, spliced in', () => {
  for (const config of [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, rules: { 'dataset-shortcut-record': { severity: 'hint' as const } } }]) {
    const settings = { config, recordRules, datasetRules };
    const lines = pool.slice(0, 30);
    const model = new DatasetModel(settings);
    model.setLines([...lines]);
    const before = model.summary().findings;
    const perRecord = (findings: readonly Finding[]) => findings.filter((f) => f.code === 'dataset-shortcut-record');
    assert.ok(perRecord(before).length > 10, 'the pool has shortcut phrases');
    const at = lines.findIndex((_, i) => i > 0 && perRecord(before).some((f) => f.line === i));
    lines[at] = lines[at].replace(/"chosen": ?"/, '$&Honestly, this is simple. ');
    model.splice(at, 1, [lines[at]]);
    const after = model.summary().findings;
    assert.deepEqual(after, checkText(lines.join('\n'), settings).findings);
    assert.equal(model.lastSummaryKind, 'spliced');
    const old = new Set(perRecord(before));
    const others = perRecord(after).filter((f) => f.line !== at);
    assert.ok(others.length > 10);
    assert.ok(others.every((f) => old.has(f)), 'the other records keep their finding objects');
    // The message names the phrase, not the counts that the edit changed.
    assert.ok(perRecord(after).every((f) => !/\d+ of \d+/.test(f.message)), perRecord(after)[0].message);
  }
});

test('a quick summary that fails midway is made in full instead: the findings are a fresh check\'s, and the failure is kept for the caller', () => {
  let armed = false;
  // Last among the rules: the others have moved their findings in place when it fails.
  const failing: DatasetRule = {
    id: 'fails-when-armed',
    check: () => [],
    start: () => ({
      add() {},
      remove() {},
      findings() {
        if (!armed) return [];
        armed = false;
        throw new Error('a bug in a running rule');
      },
    }),
  };
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules: [...datasetRules, failing] };
  const model = new DatasetModel(settings);
  const lines = pool.slice(0, 24);
  model.setLines([...lines]);
  model.summary();
  for (const [at, remove, insert] of [
    [1, 0, [pool[25]]],
    [3, 1, [pool[7]]],
  ] as const) {
    armed = true;
    lines.splice(at, remove, ...insert);
    model.splice(at, remove, [...insert]);
    const summary = model.summary();
    assert.equal(model.quickFailure?.message, 'a bug in a running rule');
    assert.equal(model.lastSummaryKind, 'full');
    assert.deepEqual(summary.findings, checkText(lines.join('\n'), settings).findings);
  }
  // The next edit takes the quick way again.
  lines.splice(0, 0, pool[3]);
  model.splice(0, 0, [pool[3]]);
  assert.deepEqual(model.summary().findings, checkText(lines.join('\n'), settings).findings);
  assert.equal(model.quickFailure, undefined);
  assert.equal(model.lastSummaryKind, 'shifted');
});
