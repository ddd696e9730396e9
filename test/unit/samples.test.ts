import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { KNOWN_RULE_IDS } from '../../src/core/curation';
import { detectPhi } from '../../src/core/phi';
import { checkFile } from '../../src/node/checkFile';
import { loadConfigFile, settingsForFile } from '../../src/node/project';

const root = 'samples/workspace';
const config = loadConfigFile(path.join(root, '.dialoguecurator.json'));

function datasets(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(dir, f));
}

async function codes(files: string[]): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (const file of files) {
    const { settings, problems } = settingsForFile(file, config);
    assert.deepEqual(problems, [], file);
    for (const f of (await checkFile(file, settings)).findings) seen.set(f.code, (seen.get(f.code) ?? 0) + 1);
  }
  return seen;
}

test('the healthy sample datasets cover every format and have no findings at all', async () => {
  const files = datasets(path.join(root, 'datasets/healthy'));
  assert.ok(files.length >= 6);
  assert.deepEqual([...(await codes(files)).keys()], []);
});

test('the samples with problems show every kind of finding the product detects', async () => {
  const seen = await codes([...datasets(path.join(root, 'datasets/problems')), ...datasets(path.join(root, 'datasets/custom'))]);
  const missing = [...KNOWN_RULE_IDS].filter((id) => !seen.has(id) && !id.startsWith('config'));
  assert.deepEqual(missing, [], 'every rule fires somewhere in samples/workspace/datasets/problems');
});

test('the samples with problems hold personal health information for the pre-upload scan to find', () => {
  const text = fs.readFileSync(path.join(root, 'datasets/problems/trl-standard-with-problems.jsonl'), 'utf8');
  const kinds = new Set(detectPhi(text).map((h) => h.kind));
  assert.ok(kinds.has('email') && kinds.has('phone'), [...kinds].join(', '));
});
