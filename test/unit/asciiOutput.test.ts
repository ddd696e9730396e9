/**
 * The build writes Node bundles in ASCII (scripts/ascii-output.js): the escaped text must mean
 * what the original meant, in strings, regular expressions (with and without the u flag, with
 * identity escapes), templates and comments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as vm from 'node:vm';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { asciiEscaped } = require('../../scripts/ascii-output') as { asciiEscaped: (text: string) => string };

test('escaped bundle text is ASCII and evaluates to the same values', () => {
  const source = [
    "// An arrow in a comment: → and a dash —",
    "const s = 'curly ’ quote, café, emoji 🙄';",
    "const t = `template ’ ${'x'} — end`;",
    "const r1 = /pok[eé]mon$/i.test('Pokémon');",
    "const r2 = /['’]/g.test('it’s');",
    "const r3 = /\\é/.test('é');",
    "const r4 = /^🙄$/u.test('🙄');",
    "const r5 = /^[😒🙄]$/u.test('😒');",
    "const s2 = '\\é';",
    "const s3 = '\\\\é';",
    "({ s, t, r1, r2, r3, r4, r5, s2, s3 });",
  ].join('\n');
  const escaped = asciiEscaped(source);
  assert.ok(/^[\x00-\x7f]*$/.test(escaped), 'only ASCII is left');
  assert.notEqual(escaped, source);
  // Compared as JSON: objects from another context have other prototypes.
  const values = (text: string) => JSON.parse(JSON.stringify(vm.runInNewContext(text)));
  assert.deepEqual(values(escaped), values(source));
  assert.equal(values(source).r3, true, "the identity escape matches");
  // ASCII text is left as it is.
  assert.equal(asciiEscaped("const a = 'plain';"), "const a = 'plain';");
});
