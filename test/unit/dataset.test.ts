import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { checkText, DatasetModel } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';

function check(lines: string[], config = DEFAULT_CONFIG): Finding[] {
  return checkText(lines.join('\n'), { recordRules, datasetRules, config }).findings;
}
const rec = (prompt: string, chosen: string, rejected: string) => JSON.stringify({ prompt, chosen, rejected });

const openers = ['A shower chair', 'A grab rail', 'Good lighting', 'A night light', 'Non-slip mats', 'A raised toilet seat', 'A bath board', 'A walking frame', 'A pill organiser', 'A calendar', 'A daily call', 'A lunch club', 'A day centre', 'A carer', 'A key safe', 'A falls alarm', 'A smoke alarm', 'A big clock', 'A whiteboard', 'A photo board', 'A timer', 'A reminder app', 'A memory book', 'A support group'];

/** Pairs with varied wording; chosen responses all open with the same phrase when `shortcut` is set. */
function dataset(n: number, shortcut: boolean): string[] {
  return Array.from({ length: n }, (_, i) => {
    const item = openers[i % openers.length];
    const chosen = `${shortcut ? "I'm so sorry you're dealing with this. " : ''}${item} can help with ${['bathing', 'nights', 'meals', 'memory'][i % 4]} and her care team can tell you about option ${i}.`;
    const rejected = `${item} number ${i}.`;
    return rec(`Question ${i}: what helps with ${item.toLowerCase()}?`, chosen, rejected);
  });
}

test('duplicate records point at the first copy; the fix data removes the later line', () => {
  const a = rec('How do I help her sleep?', 'A regular bedtime can help.', 'Figure it out.');
  const b = rec('How do I help her eat?', 'Small meals often can help.', 'Just make her eat.');
  const findings = check([a, b, a, a]).filter((f) => f.code === 'dataset-duplicate-record');
  assert.deepEqual(findings.map((f) => f.line), [2, 3]);
  // The message names no line (the related locations do, and the CLI prints them).
  assert.equal(findings[0].message, 'This record repeats an earlier one (3 copies in all; the first is kept)');
  assert.deepEqual(findings[0].data, { fix: 'remove-line', keepLine: 0 });
  assert.deepEqual(findings[0].related?.map((r) => r.line), [0, 3]);
  assert.equal(findings[0].endColumn, a.length, 'covers the whole line');
  // Key order and spacing do not hide a duplicate.
  const reordered = JSON.stringify({ rejected: 'Figure it out.', chosen: 'A regular bedtime can help.', prompt: 'How do I help her sleep?' });
  assert.equal(check([a, reordered]).filter((f) => f.code === 'dataset-duplicate-record').length, 1);
});

test('a large group of copies: each points at the first and the first ten others (built in time linear in the group)', () => {
  const a = rec('How do I help her sleep?', 'A regular bedtime can help.', 'Figure it out.');
  const lines = Array.from({ length: 40 }, () => a);
  const findings = check(lines).filter((f) => f.code === 'dataset-duplicate-record');
  assert.equal(findings.length, 39);
  assert.ok(findings.every((f) => f.message === 'This record repeats an earlier one (40 copies in all; the first is kept)'));
  // Each copy's related locations are the first ten lines other than its own.
  assert.deepEqual(findings[5].related!.map((r) => r.line), [0, 1, 2, 3, 4, 5, 7, 8, 9, 10]);
  assert.deepEqual(findings[30].related!.map((r) => r.line), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // The copies past the first few show the same lines: they share one list and one message
  // (a file of half a million identical lines held ten locations per copy).
  assert.equal(findings[30].related, findings[38].related);
  assert.equal(findings[30].data, findings[38].data);
});

test('duplicate prompts across different records point at each other; not reported for exact copies', () => {
  const p = 'How do I help her sleep?';
  const findings = check([rec(p, 'A regular bedtime helps.', 'No.'), rec('Other?', 'Yes, that can help.', 'No.'), rec(p, 'Daylight in the morning helps.', 'Whatever.')]).filter((f) => f.code === 'dataset-duplicate-prompt');
  assert.deepEqual(findings.map((f) => f.line), [0, 2]);
  assert.deepEqual(findings[0].related?.map((r) => r.line), [2]);
  assert.equal(findings[0].message, 'The same prompt is used by 2 records');
  const same = rec(p, 'A regular bedtime helps.', 'No.');
  assert.equal(check([same, same]).filter((f) => f.code === 'dataset-duplicate-prompt').length, 0);
});

test('length bias: reported once when chosen is nearly always longer, not for balanced data', () => {
  const biased = check(dataset(30, false)).filter((f) => f.code === 'dataset-length-bias');
  assert.equal(biased.length, 1);
  assert.match(biased[0].message, /longer than rejected in 100% of 30 pairs/);
  const balanced = Array.from({ length: 30 }, (_, i) =>
    i % 2 ? rec(`Q${i}?`, 'A short kind answer here.', 'A much longer answer that goes on and on about many things.') : rec(`Q${i}?`, 'A much longer kind answer that explains the options in more depth.', 'Short.'),
  );
  assert.equal(check(balanced).filter((f) => f.code === 'dataset-length-bias').length, 0);
  // The other direction: chosen nearly always shorter.
  const shorter = Array.from({ length: 30 }, (_, i) => rec(`Question ${i}?`, `A kind short answer ${i}.`, `A much longer answer ${i} that goes on and on about many different things at length.`));
  const short = check(shorter).filter((f) => f.code === 'dataset-length-bias');
  assert.equal(short.length, 1);
  assert.match(short[0].message, /shorter than rejected in 100% of 30 pairs/);
});

test('shortcut phrases: once per file with counts, and an information finding on each record using one', () => {
  const findings = check(dataset(40, true));
  const file = findings.filter((f) => f.code === 'dataset-shortcut');
  assert.equal(file.length, 1);
  assert.match(file[0].message, /^Shortcut phrases that mark one side: "i am so sorry" \(opening a sentence\) in 40 of 40 chosen responses vs 0 rejected$/);
  const phrases = file[0].data?.phrases as { phrase: string; side: string; count: number }[];
  assert.equal(phrases[0].side, 'chosen');
  const perRecord = findings.filter((f) => f.code === 'dataset-shortcut-record');
  assert.equal(perRecord.length, 40);
  assert.equal(perRecord[0].severity, 'info');
  // Without the repeated opener nothing marks a side.
  assert.equal(check(dataset(40, false)).filter((f) => f.code.startsWith('dataset-shortcut')).length, 0);
  // Turning the per-record finding off keeps the file-level one.
  const quiet = check(dataset(40, true), { ...DEFAULT_CONFIG, rules: { 'dataset-shortcut-record': { severity: 'off' } } });
  assert.equal(quiet.filter((f) => f.code === 'dataset-shortcut-record').length, 0);
  assert.equal(quiet.filter((f) => f.code === 'dataset-shortcut').length, 1);
});

test('facts stored per record stay small', () => {
  const model = new DatasetModel({ recordRules, datasetRules: [] });
  model.setLines(dataset(5, true));
  model.summary();
  const facts = (model as unknown as { lines: { facts?: Record<string, unknown> }[] }).lines.map((l) => l.facts!);
  for (const f of facts) {
    assert.ok(JSON.stringify(f).length < 400, `facts too large: ${JSON.stringify(f)}`);
    for (const v of Object.values(f)) assert.ok(typeof v === 'number' || typeof v === 'string', 'only numbers and short strings');
  }
});

test('the model re-checks after an edit: a removed duplicate disappears', () => {
  const a = rec('How do I help her sleep?', 'A regular bedtime can help.', 'Figure it out.');
  const model = new DatasetModel({ recordRules, datasetRules });
  model.setLines([a, a]);
  assert.equal(model.summary().findings.filter((f) => f.code === 'dataset-duplicate-record').length, 1);
  model.splice(1, 1, [rec('Other?', 'Yes, that can help.', 'No.')]);
  assert.equal(model.summary().findings.filter((f) => f.code === 'dataset-duplicate-record').length, 0);
});

test('in a very large group of copies the later ones point at the first occurrence only', () => {
  const a = rec('How do I help her sleep?', 'A regular bedtime can help.', 'Figure it out.');
  const findings = check(Array.from({ length: 150 }, () => a)).filter((f) => f.code === 'dataset-duplicate-record');
  assert.equal(findings.length, 149);
  assert.equal(findings[3].related!.length, 10, 'the first copies still list ten others');
  assert.deepEqual(findings[120].related!.map((r) => [r.line, r.message]), [[0, 'First occurrence (kept)']]);
  assert.equal(findings[120].message, 'This record repeats an earlier one (150 copies in all; the first is kept)');
});
