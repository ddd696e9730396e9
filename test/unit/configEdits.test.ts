// "Disable rule X" and "Allow this phrase" edit .dialoguecurator.json and keep its comments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowPhraseChange, applyConfigChange, disableRuleChange } from '../../src/core/configEdits';
import { parseConfig } from '../../src/core/config';

const README_LIKE = `{
  // Which rules, and how strict.
  "rules": { "schema": "warning", "tone-empathy": { "threshold": 0.4 } },
  "allow": ["you must call 911"],     // phrases the tone rules never flag
  "maxLength": 1024
}
`;

test('disable a rule: set to off in place, comments kept; a new file when there is none; nothing when it is off', () => {
  const after = applyConfigChange(README_LIKE, disableRuleChange(README_LIKE, 'tone-empathy'))!;
  assert.match(after, /\/\/ Which rules, and how strict\./);
  assert.match(after, /\/\/ phrases the tone rules never flag/);
  const config = parseConfig(after).config;
  assert.equal(config.rules['tone-empathy']?.severity, 'off');
  assert.equal(config.rules.schema?.severity, 'warning');
  const added = applyConfigChange(README_LIKE, disableRuleChange(README_LIKE, 'pair-inverted'))!;
  assert.equal(parseConfig(added).config.rules['pair-inverted']?.severity, 'off');
  const fresh = disableRuleChange(undefined, 'tone-jargon');
  assert.equal(fresh.kind, 'create');
  assert.equal(parseConfig(applyConfigChange(undefined, fresh)!).config.rules['tone-jargon']?.severity, 'off');
  assert.equal(disableRuleChange(after, 'tone-empathy').kind, 'none');
  assert.equal(disableRuleChange('{"rules": {', 'tone-empathy').kind, 'invalid');
  const noRules = applyConfigChange('{\n\t"maxLength": 512\n}\n', disableRuleChange('{\n\t"maxLength": 512\n}\n', 'tone-respect'))!;
  assert.match(noRules, /\n\t"rules": \{/, 'the file keeps its tab indentation');
  assert.equal(parseConfig(noRules).config.maxLength, 512);
});

test('allow a phrase: appended to allow, once, whatever its case; allow created when missing', () => {
  const after = applyConfigChange(README_LIKE, allowPhraseChange(README_LIKE, 'Take your medication'))!;
  assert.deepEqual(parseConfig(after).config.allow, ['you must call 911', 'Take your medication']);
  assert.match(after, /\/\/ Which rules/);
  assert.equal(allowPhraseChange(after, 'take YOUR medication ').kind, 'none');
  const created = applyConfigChange('{ "maxLength": 512 }', allowPhraseChange('{ "maxLength": 512 }', 'you should'))!;
  assert.deepEqual(parseConfig(created).config.allow, ['you should']);
  assert.deepEqual(parseConfig(applyConfigChange(undefined, allowPhraseChange(undefined, 'you should'))!).config.allow, ['you should']);
  assert.equal(allowPhraseChange(README_LIKE, '   ').kind, 'none');
});
