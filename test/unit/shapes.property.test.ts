// Issue 12's shapes at small sizes, as properties: whatever a record holds (long runs with or
// without spaces, base64, deep nesting, many keys, multi-byte text, CRLF line ends), checking
// it never throws, and its findings are the same whether it is checked alone or inside a file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';

const kind = "I'm so sorry, that sounds exhausting. A weekly pill box by the kettle can help.";
const neighbours = [
  JSON.stringify({ prompt: 'How do I help my mum sleep?', chosen: 'That sounds tiring. A calm bedtime routine can help.', rejected: 'Sleep pills.' }),
  JSON.stringify({ prompt: 'My dad fell again.', chosen: "I'm sorry, that must be frightening. His GP can arrange a falls check.", rejected: 'Old people fall.' }),
];

const run = fc.tuple(fc.constantFrom('a', '=', '-', 'Z', '9', 'é', '好'), fc.integer({ min: 0, max: 3000 })).map(([c, n]) => c.repeat(n));
const base64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'), maxLength: 2500 });
const multibyte = fc.string({ unit: 'grapheme', maxLength: 300 });
const words = fc.array(fc.constantFrom('care', 'sorry', 'YOU MUST', 'hypertension', 'please', 'deal with it', '!!!', '\n', '"quoted"', 'tab\there'), { maxLength: 60 }).map((w) => w.join(' '));
const tail = fc.oneof(run, base64, multibyte, words);
const nested = fc.integer({ min: 1, max: 300 }).map((d) => JSON.parse(`${'['.repeat(d)}${']'.repeat(d)}`) as unknown);
const manyKeys = fc.integer({ min: 0, max: 400 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, k) => [`k${k}`, k])));
const record = fc.record({ tail, nested, manyKeys, rejectedTail: fc.option(tail, { nil: undefined }) }).map(({ tail: t, nested: n, manyKeys: m, rejectedTail }) =>
  JSON.stringify({ prompt: 'My dad keeps forgetting his pills. What can I do?', chosen: `${kind} ${t}`, rejected: `Buy a pill box. ${rejectedTail ?? ''}`, meta: n, ...m }),
);

function shape(f: Finding) {
  return { code: f.code, severity: f.severity, message: f.message, column: f.column, endColumn: f.endColumn, field: f.field };
}

test('shapes: never a throw, and a record finds the same alone as inside a file (CRLF or LF)', () => {
  fc.assert(
    fc.property(record, fc.integer({ min: 0, max: 2 }), fc.boolean(), (line, at, crlf) => {
      const eol = crlf ? '\r\n' : '\n';
      const alone = checkText(`${line}${eol}`, { recordRules, datasetRules: [] }).findings;
      const lines = [...neighbours];
      lines.splice(at, 0, line);
      const inFile = checkText(`${lines.join(eol)}${eol}`, { recordRules, datasetRules: [] }).findings;
      assert.deepEqual(inFile.filter((f) => f.line === at).map(shape), alone.filter((f) => f.line === 0).map(shape));
    }),
    { numRuns: 60 },
  );
});
