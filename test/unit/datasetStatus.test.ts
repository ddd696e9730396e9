import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasetStatus } from '../../src/core/datasetStatus';
import { countBySeverity, type Finding, type Severity } from '../../src/core/findings';

const finding = (severity: Severity): Finding => ({ line: 0, column: 0, endLine: 0, endColumn: 1, severity, code: 'x', message: 'x' });

test('the language status names the format and records, and counts problems by kind', () => {
  const s = datasetStatus({ format: 'trl-standard', formatSource: 'detected', records: 12345, checking: false, counts: countBySeverity([finding('error'), finding('error'), finding('warning'), finding('info'), finding('hint')]) });
  assert.equal(s.label, 'TRL preference (standard) · 12,345 records');
  assert.equal(s.detail, '2 errors, 1 warning, 2 notes');
  assert.equal(s.severity, 'error');
  assert.equal(s.accessibilityLabel, 'Dialogue Curator: TRL preference (standard) (detected from the records), 12,345 records, 2 errors, 1 warning, 2 notes');
});

test('warnings alone do not raise the status severity; an unknown format and a check in progress say so', () => {
  const warned = datasetStatus({ format: 'hh-rlhf', formatSource: 'config', records: 1, checking: false, counts: countBySeverity([finding('warning')]) });
  assert.equal(warned.severity, 'information');
  assert.equal(warned.label, 'Anthropic HH-RLHF · 1 record');
  assert.match(warned.accessibilityLabel, /\(from \.dialoguecurator\.json\)/);
  const clean = datasetStatus({ format: undefined, formatSource: 'detected', records: 0, checking: false, counts: countBySeverity([]) });
  assert.equal(clean.label, 'Unknown format · 0 records');
  assert.equal(clean.detail, 'no problems');
  assert.equal(datasetStatus({ format: 'trl-standard', formatSource: 'override', records: 3, checking: true, counts: countBySeverity([finding('error')]) }).detail, 'checking…');
});
