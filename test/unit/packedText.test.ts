/**
 * The editor model keeps lines with two-byte characters as their UTF-8 bytes (packedText.ts):
 * every text must come back exactly, the texts that cannot (lone surrogates) or need not
 * (Latin-1 only) be packed stay as they are, and the model's findings and values are those of the
 * texts themselves.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { checkText, DatasetModel } from '../../src/core/engine';
import { compactText, unpackText } from '../../src/core/packedText';

test('texts beyond ASCII are kept as one byte per UTF-8 byte and come back exactly; others as they are', () => {
  for (const text of ['It’s “fine”', 'Emoji 🙂 and 中文 text', 'mixed é and ’', '\u0100', 'Latin-1 only: café, ½']) {
    const kept = compactText(text);
    assert.ok(kept.packed, text);
    assert.equal(kept.text.length, Buffer.byteLength(text, 'utf8'));
    assert.ok(!/[^\u0000-\u00ff]/.test(kept.text), 'one byte per character');
    assert.equal(unpackText(kept.text), text);
  }
  for (const text of ['', 'plain ASCII {"a": 1}']) assert.deepEqual(compactText(text), { text, packed: false });
  // UTF-8 has no bytes for a lone surrogate: such a text is kept as it is.
  for (const text of ['lone \ud83d surrogate ’', 'reversed \ude42\ud83d pair ’']) assert.deepEqual(compactText(text), { text, packed: false });
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 20 }), (a, b) => {
      for (const text of [a, b]) {
        const kept = compactText(text);
        assert.equal(kept.packed ? unpackText(kept.text) : kept.text, text);
      }
    }),
  );
});

test('a model of packed lines gives the texts, values and findings of the lines as written', () => {
  const lines = [
    JSON.stringify({ prompt: 'My mum’s memory is going and I’m scared 😢', chosen: 'I’m so sorry — that sounds frightening. Would it help to talk it through?', rejected: 'Whatever. Just deal with it!!!' }),
    JSON.stringify({ prompt: 'Café visit tips?', chosen: 'Pick a quiet time.', rejected: 'Go.' }),
    '{"prompt": "broken ’ line", "chosen": ',
    JSON.stringify({ prompt: 'lone \ud83d here ’', chosen: 'ok ’', rejected: 'no' }),
  ];
  const settings = { config: { ...DEFAULT_CONFIG, lintRejected: true }, recordRules, datasetRules };
  const model = new DatasetModel(settings);
  model.setLines(lines);
  lines.forEach((line, i) => assert.equal(model.lineText(i), line));
  assert.deepEqual(model.value(0), JSON.parse(lines[0]));
  const expected = checkText(lines.join('\n'), settings);
  assert.deepEqual(model.summary(), expected);
  // An edit brings in a packed line too.
  const edited = JSON.stringify({ prompt: 'It’s late', chosen: 'That’s okay — rest first.', rejected: 'Sleep.' });
  model.splice(1, 1, [edited]);
  assert.equal(model.lineText(1), edited);
  assert.deepEqual(model.summary().findings, checkText([lines[0], edited, lines[2], lines[3]].join('\n'), settings).findings);
});
