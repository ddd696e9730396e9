import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ByteLineSplitter, decodeLine, firstInvalidUtf8 } from '../../src/core/byteLines';
import { checkText, HeldLines, StreamChecker } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { isBlank, parseLine, splitLines, textChunks } from '../../src/core/jsonl';
import { locateJsonError } from '../../src/core/jsonSyntax';
import { datasetRules, recordRules } from '../../src/core/curation';
import { scanPhi } from '../../src/core/phi';

test('splitLines handles LF, CRLF, lone CR, a BOM and a missing final newline', () => {
  assert.deepEqual(splitLines('a\nb\n'), ['a', 'b']);
  assert.deepEqual(splitLines('a\r\nb'), ['a', 'b']);
  assert.deepEqual(splitLines('a\rb\r\n\r\nc'), ['a', 'b', '', 'c']);
  assert.deepEqual(splitLines('\uFEFF{"a":1}\n'), ['{"a":1}']);
  assert.deepEqual(splitLines(''), ['']);
});

/** Splits `bytes` fed in chunks of the given sizes; `plain` passes Uint8Arrays instead of Buffers (whose indexOf differs). */
function splitBytes(bytes: Uint8Array, chunkSizes: number[], plain = false): string[] {
  const s = new ByteLineSplitter();
  const out: string[] = [];
  const on = (b: Uint8Array) => out.push(Buffer.from(b).toString('latin1'));
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const size = Math.max(1, chunkSizes[k++ % chunkSizes.length]);
    const chunk = bytes.subarray(at, at + size);
    s.push(plain ? new Uint8Array(chunk) : chunk, on);
    at += size;
  }
  s.end(on);
  return out;
}

test('the byte splitter agrees with splitLines for any chunking, including CRLF split across chunks', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r', '\r\n', '{}', ' ')), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), (parts, sizes) => {
      const text = parts.join('');
      assert.deepEqual(splitBytes(Buffer.from(text, 'latin1'), sizes), splitLines(text));
      assert.deepEqual(splitBytes(Buffer.from(text, 'latin1'), sizes, true), splitLines(text));
    }),
    { numRuns: 500 },
  );
  // Several lines per chunk, CR and LF mixed (the chunk sizes above are mostly smaller than a line).
  const many = 'ab\ncd\r\n\r\nef\rgh\n\n{}\r';
  assert.deepEqual(splitBytes(Buffer.from(many, 'latin1'), [many.length]), splitLines(many));
  assert.deepEqual(splitBytes(Buffer.from(many, 'latin1'), [5, 64], true), splitLines(many));
  assert.deepEqual(splitBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x0d]), [1, 1, 1, 1, 1, 1]), ['{}']);
});

test('a text sent in pieces (textChunks) splits into the lines of the whole text, for any piece size', () => {
  const piece = fc.constantFrom('\n', '\r\n', '\r', '\ufeff', 'a', '{"x": 1}', ' ', '’');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }).map((p) => p.join('')), fc.integer({ min: 1, max: 12 }), (text, size) => {
      const pieces = [...textChunks(text, size)];
      assert.equal(pieces.join(''), text);
      assert.ok(pieces.length >= 1 && pieces.every((p) => p.length > 0 || text === ''), 'no empty piece but for an empty text');
      let end = 0;
      for (const p of pieces.slice(0, -1)) {
        end += p.length;
        assert.ok(/(\r\n|\n|\r)$/.test(p) && !(p.endsWith('\r') && text[end] === '\n'), `a piece ends after a whole line break: ${JSON.stringify(p)}`);
      }
      const lines = pieces.flatMap((p, i) => splitLines(p, i === 0));
      assert.deepEqual(lines, splitLines(text));
    }),
    { numRuns: 2000 },
  );
});

test('invalid UTF-8 is reported once at the column of the first bad byte', () => {
  const bytes = Buffer.concat([Buffer.from('{"a":"é'), Buffer.from([0xff]), Buffer.from('x"}')]);
  const { text, finding } = decodeLine(bytes);
  assert.equal(text, '{"a":"é\uFFFDx"}');
  assert.equal(finding?.code, 'invalid-utf8');
  assert.equal(finding?.column, 7);
  assert.equal(firstInvalidUtf8(Buffer.from('plain ascii é 😀')), -1);
  assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0, 'an encoded surrogate is not UTF-8');
  assert.equal(firstInvalidUtf8(Buffer.from([0xc0, 0x80])), 0, 'an overlong encoding is not UTF-8');
});

const cases: [string, number, RegExp][] = [
  ['{"prompt": "a", "chosen": "b" "rejected": "c"}', 30, /Expected ',' or '}'/],
  ['{"a": 1,}', 7, /Trailing comma/],
  ['[1, 2,]', 5, /Trailing comma/],
  ['{"a": tru}', 6, /Unexpected word 'tru'/],
  ["{'a': 1}", 1, /double quotes/],
  ['{"a": "x\\qy"}', 8, /Invalid escape/],
  ['{"a": "abc', 6, /Unterminated string/],
  ['{"a": 1', 7, /missing '}'/],
  ['{"a" 1}', 5, /Expected ':'/],
  ['{"a": 01}', 6, /Invalid number/],
  ['{"a": NaN}', 6, /NaN is not valid JSON/],
  ['{"a": None}', 6, /Python/],
  ['{"a": 1} {"b": 2}', 9, /second JSON value/],
  ['{"a": "tab\there"}', 10, /must be escaped as \\t/],
  ['{"a":"\u0000"}', 6, /U\+0000/],
  ['\uFEFF{"a":1}', 0, /byte order mark/],
  ['{"a": [1, 2}', 11, /Expected ',' or ']'/],
];

test('syntax errors are located at the offending character with a readable message', () => {
  for (const [line, column, message] of cases) {
    assert.throws(() => JSON.parse(line), `fixture must be invalid: ${line}`);
    const p = locateJsonError(line);
    assert.ok(p, `no problem found in ${line}`);
    assert.equal(p.offset, column, `column for ${line}: ${p.message}`);
    assert.match(p.message, message, line);
  }
});

test('deeply nested input neither overflows the stack nor goes unreported', () => {
  const deep = '['.repeat(200000) + ']'.repeat(199999);
  const parsed = parseLine(deep);
  assert.equal(parsed.kind, 'invalid');
  const ok = '{"a":' + '['.repeat(50000) + ']'.repeat(50000) + '}';
  const result = checkText(ok);
  assert.deepEqual(result.findings.filter((f) => f.code === 'json-syntax'), []);
});

test('a response nested tens of thousands deep is a schema error on its line; the lines around it are checked', () => {
  const nest = '['.repeat(30_000) + ']'.repeat(30_000);
  const text = ['{"prompt": "a", "chosen": "Hello there, happy to help.", "rejected": 5}', `{"prompt": "b", "chosen": "Sure.", "rejected": ${nest}}`, `{"prompt": "c", "chosen": "Yes.", "rejected": 7, "meta": ${nest}}`].join('\n');
  const findings = checkText(text, { recordRules, datasetRules }).findings;
  assert.ok(findings.some((f) => f.line === 1 && f.code === 'schema' && /rejected must be a string, found a list/.test(f.message)), JSON.stringify(findings));
  assert.ok(findings.some((f) => f.line === 0 && f.code === 'schema'), 'the line before is checked');
  assert.ok(findings.some((f) => f.line === 2 && f.code === 'schema'), 'the line after is checked');
  // The personal-health scan before an upload reads such a line too, naming a deep field by its first keys.
  const report = scanPhi(`{"prompt": "mail joe@mailhub.net", "chosen": "c", "rejected": ${'['.repeat(30_000)}"call 555-201-7788"${']'.repeat(30_000)}}`);
  assert.equal(report.total, 2);
  assert.deepEqual(report.examples.map((e) => e.field), ['prompt', 'rejected[0][0][0][0][0][0][0]…']);
});

function syntaxFindingsByLine(findings: Finding[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const f of findings) if (f.code === 'json-syntax') m.set(f.line, (m.get(f.line) ?? 0) + 1);
  return m;
}

test('property: arbitrary bytes never crash the scanner; each non-blank invalid line yields exactly one json-syntax finding, valid lines none', () => {
  const jsonish = fc.oneof(
    fc.json().map((j) => Buffer.from(j)),
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    fc.constantFrom(...['{', '}', '[', ']', '"', ':', ',', '\\', '\n', '\r', ' ', 'x', '0', '\0', '\xff', 'é'].map((s) => Buffer.from(s, 'latin1'))),
  );
  fc.assert(
    fc.property(fc.array(jsonish, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (pieces, sizes) => {
      const bytes = Buffer.concat(pieces);
      // Expected verdicts, line by line, straight from JSON.parse.
      const texts: string[] = [];
      const splitter = new ByteLineSplitter();
      const findings: Finding[] = [];
      const checker = new StreamChecker({}, (f) => findings.push(f));
      const onLine = (b: Uint8Array) => {
        const { text, finding } = decodeLine(b);
        texts.push(text);
        checker.pushLine(text, finding);
      };
      let at = 0;
      let k = 0;
      while (at < bytes.length) {
        const size = sizes[k++ % sizes.length];
        splitter.push(bytes.subarray(at, at + size), onLine);
        at += size;
      }
      splitter.end(onLine);
      checker.end();
      const perLine = syntaxFindingsByLine(findings);
      texts.forEach((t, i) => {
        let valid = true;
        try {
          JSON.parse(t);
        } catch {
          valid = false;
        }
        const expected = isBlank(t) || valid ? 0 : 1;
        assert.equal(perLine.get(i) ?? 0, expected, `line ${i}: ${JSON.stringify(t)}`);
      });
      for (const f of findings) {
        assert.ok(f.column >= 0 && f.column <= texts[f.line].length && f.endColumn <= texts[f.line].length && f.endColumn >= f.column, `range inside line for ${JSON.stringify(f)}`);
      }
    }),
    { numRuns: 300 },
  );
});

test('held lines come back in order, with their decoding findings, whatever their text', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('', '\n', 'a\nb', '{"a":1}')), fc.boolean()), { maxLength: 60 }), (lines) => {
      const held = new HeldLines();
      const given = lines.map(([text, bad], i) => ({ text, extra: bad ? ({ code: 'invalid-utf8', line: 0, column: i } as Finding) : undefined }));
      for (const { text, extra } of given) held.push(text, extra);
      assert.equal(held.size, given.length);
      const back: { text: string; extra: Finding | undefined }[] = [];
      held.take((text, extra) => back.push({ text, extra }));
      assert.deepEqual(back, given);
      assert.equal(held.size, 0);
      held.take(() => assert.fail('taken twice'));
    }),
  );
  // Past one piece of joined lines.
  const held = new HeldLines();
  for (let i = 0; i < 10_000; i++) held.push(String(i));
  let i = 0;
  held.take((text) => assert.equal(text, String(i++)));
  assert.equal(i, 10_000);
});

test('lines held while no format is recognised are checked as if the format had been known', () => {
  // 10,000 records no format recognises, then one a format does: held until the stream ends.
  const lines = [...Array.from({ length: 10_000 }, (_, i) => (i % 997 === 0 ? '{"a": ' : `{"a": ${i % 10}}`)), '{"prompt": "p", "chosen": "c", "rejected": "r"}'];
  const streamed: Finding[] = [];
  const checker = new StreamChecker({}, (f) => streamed.push(f));
  for (const line of lines) checker.pushLine(line);
  assert.equal(checker.end().records, lines.length);
  const whole = checkText(lines.join('\n')).findings;
  const key = (f: Finding) => `${f.line}:${f.column}:${f.code}`;
  assert.deepEqual(streamed.map(key).sort(), whole.map(key).sort());
  assert.ok(streamed.some((f) => f.code === 'json-syntax' && f.line === 997), 'a syntax error on its own line');
});

test('a 50 MB line is parsed and checked', () => {
  const big = 'x'.repeat(50 * 1024 * 1024);
  const text = `{"prompt": "p", "chosen": "${big}", "rejected": "r"}\n{"prompt": 1}\n`;
  const result = checkText(text);
  assert.equal(result.records, 2);
  assert.equal(result.findings.every((f) => f.line === 1), true);
});

test('a UTF-16 file is named as such: its byte order mark, and the NUL bytes of its other lines', () => {
  const bytes = Buffer.from('{"prompt": "p", "chosen": "c", "rejected": "r"}\n{"prompt": "q", "chosen": "c", "rejected": "r"}\n', 'utf16le');
  const lines: { text: string; finding?: Finding }[] = [];
  const splitter = new ByteLineSplitter();
  const onLine = (b: Uint8Array) => lines.push(decodeLine(b));
  splitter.push(Buffer.concat([Buffer.from([0xff, 0xfe]), bytes]), onLine);
  splitter.end(onLine);
  assert.match(lines[0].finding!.message, /starts with a UTF-16 byte order mark: the file is UTF-16, save it as UTF-8/);
  const syntax = checkText(lines[1].text).findings.find((f) => f.code === 'json-syntax')!;
  assert.match(syntax.message, /U\+0000 \(a NUL byte: a file saved as UTF-16\? save it as UTF-8\)/);
});
