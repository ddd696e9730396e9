import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';

// The injection grammar is Oniguruma; these patterns use only syntax that JavaScript's RegExp
// shares, so their matches can be checked here.
const grammar = JSON.parse(fs.readFileSync('syntaxes/dialogue.injection.tmLanguage.json', 'utf8'));
const rx = (name: string) => new RegExp(grammar.repository[name].match, 'g');

test('dialogue keys, role values and HH turn markers are matched; look-alikes inside strings are not', () => {
  const line = String.raw`{"prompt": [{"role": "user", "content": "say \"chosen\": no"}], "chosen": [{"role": "assistant", "content": "ok"}], "rejected": "\n\nHuman: hi\n\nAssistant: no"}`;
  assert.deepEqual([...line.matchAll(rx('chosen-key'))].map((m) => m.index), [line.indexOf('"chosen": [')]);
  assert.deepEqual([...line.matchAll(rx('rejected-key'))].length, 1);
  assert.deepEqual([...line.matchAll(rx('role-value'))].map((m) => m[6]), ['user', 'assistant']);
  assert.deepEqual([...line.matchAll(rx('transcript-marker'))].map((m) => m[2]), ['Human', 'Assistant']);
  const openai = '{"input": {"messages": []}, "preferred_output": [], "non_preferred_output": []}';
  assert.equal([...openai.matchAll(rx('chosen-key'))].length, 1);
  assert.equal([...openai.matchAll(rx('rejected-key'))].length, 1);
  assert.equal([...openai.matchAll(rx('prompt-key'))].length, 2);
});
