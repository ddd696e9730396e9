import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeCounts, type Finding, type Severity } from '../../src/core/findings';
import { curationListing, STRUCTURAL_CODES } from '../../src/node/curationProtocol';
import { findingsToList, listFindings, MAX_LISTED_PER_FILE } from '../../src/core/shownFindings';

const at = (line: number, severity: Severity): Finding => ({ line, column: 0, endLine: line, endColumn: 1, severity, code: `c-${severity}`, message: 'm' });

test('under the limit every finding is listed, in its order', () => {
  const findings = [at(3, 'hint'), at(1, 'warning'), at(2, 'error')];
  const r = listFindings(findings, 3);
  assert.deepEqual(r.listed, findings);
  assert.deepEqual(r.counts, { error: 1, warning: 1, info: 0, hint: 1 });
  assert.deepEqual(findingsToList(findings, 3, 3), findings);
});

test('past the limit the most severe are kept as VS Code keeps them, in the order given, and all are counted', () => {
  // Warnings first in the file, errors later: the errors still win.
  const findings = [...Array.from({ length: 6 }, (_, i) => at(i, 'warning')), at(6, 'info'), at(7, 'error'), at(8, 'error'), at(9, 'hint')];
  const r = listFindings(findings, 5);
  assert.deepEqual(
    r.listed.map((f) => [f.line, f.severity]),
    [
      [0, 'warning'],
      [1, 'warning'],
      [2, 'warning'],
      [7, 'error'],
      [8, 'error'],
    ],
  );
  assert.equal(r.total, 10);
  assert.deepEqual(r.counts, { error: 2, warning: 6, info: 1, hint: 1 });
});

test('the list for the Problems panel leaves one place for a note that counts what is not listed', () => {
  const findings = Array.from({ length: 12 }, (_, i) => at(i, i % 3 === 0 ? 'error' : 'warning'));
  const list = findingsToList(findings, 12, 10);
  assert.equal(list.length, 10);
  const note = list[list.length - 1];
  assert.equal(note.code, 'problems-not-listed');
  assert.equal(note.severity, 'info');
  assert.match(note.message, /^3 more problems are not listed: VS Code lists at most 10 per file/);
  assert.equal(list.filter((f) => f.severity === 'error').length, 4, 'every error is kept');
  // Findings known elsewhere (the worker's) count too, though only those held are passed in.
  const held = findings.slice(0, 5);
  const withKept = findingsToList(held, 1_500, 10);
  assert.equal(withKept.length, 6);
  assert.match(withKept[5].message, /^1,495 more problems are not listed/);
  assert.equal(MAX_LISTED_PER_FILE, 1000);
});

test("the worker's listing, from the model's counts and skipping the structural codes, is the listing of the curation findings alone", () => {
  // Errors (structural: schema) and warnings early, curation findings of every kind after.
  const findings: Finding[] = [];
  for (let i = 0; i < 3000; i++) {
    const severity = (['error', 'warning', 'info', 'hint'] as const)[i % 7 === 0 ? 0 : i % 5 === 0 ? 1 : i % 3 === 0 ? 2 : 3];
    findings.push({ ...at(i, severity), code: i % 11 === 0 ? 'schema' : `c-${severity}` });
  }
  const counts = new CodeCounts();
  counts.add(findings);
  const curation = findings.filter((f) => !STRUCTURAL_CODES.has(f.code));
  const expected = listFindings(curation);
  const got = curationListing(findings, counts);
  assert.deepEqual(got, expected);
  assert.ok(got.listed.length === MAX_LISTED_PER_FILE && got.total < findings.length);
  // Under the limit: every curation finding.
  const few = findings.slice(0, 500);
  const fewCounts = new CodeCounts();
  fewCounts.add(few);
  assert.deepEqual(curationListing(few, fewCounts).listed, few.filter((f) => !STRUCTURAL_CODES.has(f.code)));
});
