import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { describePhiCounts, describePhiExample, detectPhi, maskPhi, PhiKind, scanPhi } from '../../src/core/phi';

const kinds = (text: string): PhiKind[] => detectPhi(text).map((h) => h.kind);
const found = (text: string): string[] => detectPhi(text).map((h) => h.text);

test('email addresses are found, documentation domains are not', () => {
  assert.deepEqual(found('Write to jane.doe+clinic@mail-host.co.uk today.'), ['jane.doe+clinic@mail-host.co.uk']);
  assert.deepEqual(found('mail: a_b@uni.edu, or X9@corp.io'), ['a_b@uni.edu', 'X9@corp.io']);
  assert.deepEqual(found('user@example.com and admin@mail.example.org and x@host.test'), []);
  assert.deepEqual(found('the decorator @property and a twitter handle @someone'), []);
  assert.deepEqual(found('version pkg@1.2.3 is pinned'), []);
});

test('phone numbers need a plausible shape', () => {
  assert.deepEqual(kinds('Call me at (415) 867-5309 tonight'), ['phone']);
  assert.deepEqual(kinds('cell: 415-867-5309'), ['phone']);
  assert.deepEqual(kinds('+1 415.867.5309'), ['phone']);
  assert.deepEqual(kinds('Ring +44 20 7946 0958 or +49 30 1234567'), ['phone', 'phone']);
  // Area codes and exchanges cannot start with 0 or 1; 555-01xx is reserved for fiction.
  assert.deepEqual(kinds('order 123-456-7890'), []);
  assert.deepEqual(kinds('415-155-0100'), []);
  assert.deepEqual(kinds('in the film she dials 212-555-0134'), []);
  // Bare digit runs, dates, versions and scores are not phone numbers.
  assert.deepEqual(kinds('ticket 4158675309, date 2024-03-15, version 10.2.3, score 3-2'), []);
  assert.deepEqual(kinds('+7 12'), []);
});

test('social security numbers: dashed anywhere, unseparated only with a label, never invalid ranges', () => {
  assert.deepEqual(found('My SSN is 219-09-9998.'), ['SSN is 219-09-9998']);
  assert.deepEqual(kinds('number 287-65-4321 on the form'), ['ssn']);
  assert.deepEqual(kinds('social security number: 287654321'), ['ssn']);
  assert.deepEqual(kinds('invoice 287654321'), []);
  // Area 000, 666 and 9xx, group 00 and serial 0000 are never issued; 123-45-6789 is the stock example.
  assert.deepEqual(kinds('000-12-3456 666-12-3456 912-34-5678 287-00-4321 287-65-0000 123-45-6789'), []);
  assert.deepEqual(kinds('part no. 12-345-6789'), []);
});

test('medical record numbers only next to a label', () => {
  assert.deepEqual(found('Patient MRN: 00482913 was admitted'), ['MRN: 00482913']);
  assert.deepEqual(kinds('medical record number A-4471902'), ['mrn']);
  assert.deepEqual(kinds('Patient ID 7731902'), ['mrn']);
  assert.deepEqual(kinds('chart # 2231-4476'), ['mrn']);
  assert.deepEqual(kinds('The 00482913 order shipped; MRN 12 is short'), []);
});

test('dates of birth need a birth label and a full, valid date', () => {
  assert.deepEqual(kinds('DOB: 03/14/1985'), ['dateOfBirth']);
  assert.deepEqual(kinds('date of birth 1985-03-14'), ['dateOfBirth']);
  assert.deepEqual(kinds('She was born on March 14th, 1985 in Ohio'), ['dateOfBirth']);
  assert.deepEqual(kinds('birthday is 14 March 1985'), ['dateOfBirth']);
  assert.deepEqual(kinds('Born 14.03.85'), ['dateOfBirth']);
  assert.deepEqual(kinds('born in 1985'), []);
  assert.deepEqual(kinds('the meeting is on 03/14/1985'), []);
  assert.deepEqual(kinds('DOB: 13/45/1985'), []);
});

test('street addresses: strong suffixes anywhere, ambiguous ones only with an address cue', () => {
  assert.deepEqual(found('I live at 1234 North Elm Street, Springfield.'), ['1234 North Elm Street']);
  assert.deepEqual(kinds('Send it to 221B Baker St. please'), ['streetAddress']);
  assert.deepEqual(kinds('the clinic at 40 Oak Court'), ['streetAddress']);
  assert.deepEqual(kinds('12 Willow Way, Apt 3'), ['streetAddress']);
  assert.deepEqual(kinds('PO Box 4471'), ['streetAddress']);
  assert.deepEqual(kinds('the 9 Supreme Court justices met'), []);
  assert.deepEqual(kinds('Here are 3 Simple Way to relax'), []);
  assert.deepEqual(kinds('We won 3 Grand Prix races'), []);
  assert.deepEqual(kinds('Take 2 tablets by mouth'), []);
});

test('ordinary dialogue text produces no findings', () => {
  const prose = [
    'Take 200 mg of ibuprofen every 6 hours, no more than 1,200 mg a day.',
    'The meeting is at 10:30 on 2024-05-01 in room 4B.',
    'In 1969, Apollo 11 landed; 3 astronauts flew 384,400 km.',
    'Mix 2 cups of flour with 1.5 cups of water at 350°F for 25-30 minutes.',
    'Call the emergency number 911 if symptoms worsen.',
    'Version 3.10.4 fixed issue #12345 and PR #678.',
    'The ratio was 3:2, and the score ended 21-14.',
    'Email me when you are ready, and use @mentions in the chat.',
    'Route 66 and Interstate 95 are famous roads.',
    'Chapter 7 covers 5 Main Ideas of the book.',
  ];
  for (const line of prose) assert.deepEqual(detectPhi(line), [], line);
});

test('the training datasets used by the tests are free of PHI, the PHI fixture is not', () => {
  const dir = (name: string) => path.join(__dirname, '..', 'fixtures', name);
  for (const f of [path.join(dir('trainer'), 'pairs.jsonl'), path.join(dir('training'), 'pairs.jsonl')]) {
    assert.equal(scanPhi(fs.readFileSync(f, 'utf8')).total, 0, f);
  }
  const phi = scanPhi(fs.readFileSync(path.join(dir('training'), 'with-phi.jsonl'), 'utf8'));
  assert.deepEqual(phi.counts, { email: 1, phone: 0, ssn: 0, mrn: 1, dateOfBirth: 1, streetAddress: 0 });
  assert.deepEqual(phi.examples.map((e) => e.line), [1, 3, 3]);
});

test('scanPhi reports counts, lines and masked examples with fields and 0-based lines', () => {
  const text = [
    JSON.stringify({ prompt: 'hi', chosen: 'Reach me at pat.lee@clinic-mail.org', rejected: 'no' }),
    JSON.stringify({ prompt: 'x', chosen: 'ok', rejected: 'ok' }),
    JSON.stringify({ prompt: [{ role: 'user', content: 'My DOB: 03/14/1985 and SSN 287-65-4321' }], chosen: [{ role: 'assistant', content: 'Noted.' }], rejected: [] }),
    'not json, call 415-867-5309',
    // JSON escapes are decoded before scanning: \u0040 is "@" and \n separates words.
    '{"prompt":"a","chosen":"write\\nsam\\u0040uni.edu","rejected":"b"}',
  ].join('\n');
  const report = scanPhi(text, { examplesPerKind: 1 });
  assert.deepEqual(report.counts, { email: 2, phone: 1, ssn: 1, mrn: 0, dateOfBirth: 1, streetAddress: 0 });
  assert.equal(report.total, 5);
  assert.equal(report.lines, 4);
  // One example per kind was asked for: the second email is counted but not kept.
  assert.deepEqual(
    report.examples.map((e) => [e.kind, e.line, e.field, e.masked]),
    [
      ['email', 0, 'chosen', 'p***@clinic-mail.org'],
      ['dateOfBirth', 2, 'prompt[0].content', 'DOB: **/**/**85'],
      ['ssn', 2, 'prompt[0].content', 'SSN ***-**-**21'],
      ['phone', 3, 'line', '***-***-**09'],
    ],
  );
  assert.equal(describePhiCounts(report), '2 email addresses, 1 phone number, 1 social security number, 1 date of birth');
  assert.equal(describePhiExample(report.examples[0]), 'line 1, chosen: p***@clinic-mail.org (email address)');
});

test('a masked example never contains the full identifier', () => {
  fc.assert(
    fc.property(fc.integer({ min: 200, max: 899 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 1000, max: 9999 }), (a, g, s) => {
      const ssn = `${a}-${g}-${s}`;
      const masked = maskPhi({ kind: 'ssn', text: ssn });
      assert.equal(masked.length, ssn.length);
      assert.equal(masked.replace(/\D/g, ''), String(s % 100).padStart(2, '0'));
    }),
  );
});

// A catastrophic backtrack would run for minutes: the timeout turns that into a failure.
test('the detectors finish on long adversarial input', { timeout: 20_000 }, () => {
  const nasty = `${'1 A '.repeat(20000)}${'a.'.repeat(20000)}@${'b-'.repeat(20000)} ${'+1 '.repeat(20000)} ${'DOB '.repeat(5000)}`;
  assert.deepEqual(detectPhi(nasty), []);
});
