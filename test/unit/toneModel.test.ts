import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { analyzeTone, overallTone, weakestAxis } from '../../src/core/tone/analyze';
import { ANCHOR_END, ANCHOR_START, expandPattern, lexicon, patternAnchor } from '../../src/core/tone/lexicon';
import { readPrompt } from '../../src/core/tone/prompt';
import { fleschKincaidGrade, gradeToScore } from '../../src/core/tone/readability';
import { expandContraction, scanWords, tokenStrings } from '../../src/core/tone/words';

const kinds = (text: string) => analyzeTone([text]).matches.map((m) => `${m.kind}/${m.category}:${text.slice(m.start, m.end)}`);

test('patterns expand alternatives and optional words', () => {
  assert.deepEqual(expandPattern('it is {so|very}? hard').sort(), ['it is hard', 'it is so hard', 'it is very hard']);
  assert.deepEqual(expandPattern('you must? go').sort(), ['you go', 'you must go']);
  assert.deepEqual(expandPattern('{a b|c} d'), ['a b d', 'c d']);
});

test('contractions expand to the long form, both halves keeping the written span', () => {
  assert.deepEqual(expandContraction("don't"), ['do', 'not']);
  assert.deepEqual(expandContraction("can't"), ['can', 'not']);
  assert.deepEqual(expandContraction("won't"), ['will', 'not']);
  assert.deepEqual(expandContraction("it's"), ['it', 'is']);
  assert.equal(expandContraction("mother's"), undefined);
  const vocab = lexicon().vocab;
  const t = scanWords(vocab, ['You\u2019re not alone. Don\u2019t worry!']);
  assert.deepEqual(tokenStrings(vocab, t), ['you', 'are', 'not', 'alone', 'do', 'not', 'worry']);
  assert.equal(t.start[0], t.start[1]);
  assert.equal(t.end[1], 'You\u2019re'.length);
  assert.equal(t.sentences.length, 2);
});

test('"no." ends its sentence after an interjection or other words before a capital, and stays the number sign before a number or a lower-case word', () => {
  const vocab = lexicon().vocab;
  const sentences = (text: string) => scanWords(vocab, [text]).sentences.map((s) => text.slice(s.start, s.end));
  assert.deepEqual(sentences('Oh no. Ring the pharmacist today.'), ['Oh no.', 'Ring the pharmacist today.']);
  assert.deepEqual(sentences('oh no. ring the pharmacist today'), ['oh no.', 'ring the pharmacist today']);
  assert.deepEqual(sentences('Usually, no. Counsellors keep it private.'), ['Usually, no.', 'Counsellors keep it private.']);
  assert.deepEqual(sentences('He lives at No. 5 Park Road.'), ['He lives at No. 5 Park Road.']);
  assert.deepEqual(sentences('Write down the no. of doses you missed.'), ['Write down the no. of doses you missed.']);
  assert.deepEqual(sentences('No. 10 is the one to ring.'), ['No. 10 is the one to ring.']);
  // An opening "No." before a capital is read with what follows, as before (a bare "No." opening an order is its own reading).
  assert.deepEqual(sentences('No. Read the label.'), ['No. Read the label.']);
  assert.deepEqual(sentences('Dr. Patel will see you.'), ['Dr. Patel will see you.']);
  // "Oh no." before advice is now read as the speaker's reaction.
  assert.ok(analyzeTone(['Oh no. Ring the pharmacist and tell them which dose you took.']).matches.some((m) => m.kind === 'empathy'));
});

test('each axis responds to its own evidence', () => {
  const neutral = analyzeTone(['A shower chair and a grab rail can make bathing safer for older people at home.']).scores;
  assert.ok(analyzeTone(['That sounds really hard, and it makes sense you feel worn out.']).scores.empathy > neutral.empathy + 0.3);
  assert.ok(analyzeTone(['Give her the pills. Check the dose.']).scores.politeness < neutral.politeness - 0.3);
  assert.ok(analyzeTone(["It's your own fault she fell."]).scores.politeness < 0.45);
  assert.ok(analyzeTone(['You must call him. You need to stop.']).scores.nonPrescriptive < 0.6);
  assert.ok(analyzeTone(['Watch for hypertension and orthostatic hypotension with the anticoagulant.']).scores.plainLanguage < 0.5);
  assert.ok(analyzeTone(['Oh great, another question. Calm down.']).scores.respect < 0.5);
  const hard = analyzeTone(['The multidisciplinary interdisciplinary comprehensive individualised neuropsychological evaluation necessitates considerable organisational coordination and administrative documentation.']).scores;
  assert.ok(hard.simplicity < 0.2, `simplicity ${hard.simplicity}`);
  assert.ok(neutral.simplicity > 0.7 && neutral.respect === 1 && neutral.nonPrescriptive === 1 && neutral.plainLanguage === 1);
});

test('negation cancels a put-down; acronyms are not shouting, capitals and !! are', () => {
  assert.deepEqual(kinds("No, you're not overreacting.").filter((k) => k.startsWith('respect')), []);
  assert.ok(kinds("No, you're not overreacting.").some((k) => k.startsWith('empathy/validate')));
  assert.ok(kinds("You're overreacting.").some((k) => k.startsWith('respect/dismissive')));
  assert.deepEqual(kinds('Ask the GP about an MRI or a CT scan at the ICU.').filter((k) => k.startsWith('shouting')), []);
  assert.deepEqual(kinds('PLEASE STOP doing that!!').filter((k) => k.startsWith('shouting')), ['shouting/shouting:PLEASE STOP', 'shouting/shouting:!!']);
});

test('stacked imperatives, conditional advice and questions', () => {
  assert.ok(kinds('Call the GP. Book the scan. Write it down.').some((k) => k.startsWith('stacked/')));
  assert.deepEqual(kinds('Tell the nurse if it gets worse.').filter((k) => k.startsWith('command')), []);
  assert.deepEqual(kinds('Take a break?').filter((k) => k.startsWith('command')), []);
  assert.deepEqual(kinds('Rest is important for both of you.').filter((k) => k.startsWith('command')), []);
});

test('allow-listed phrases are neither flagged nor scored', () => {
  const text = 'Watch for sundowning in the evening.';
  assert.ok(analyzeTone([text]).matches.some((m) => m.kind === 'jargon'));
  const allowed = analyzeTone([text], ['sundowning']);
  assert.ok(!allowed.matches.some((m) => m.kind === 'jargon'));
  assert.equal(allowed.scores.plainLanguage, 1);
});

test('anchored patterns: ^ must open the sentence (discourse words aside), $ must close it', () => {
  assert.deepEqual(patternAnchor('^ falls happen $'), { body: 'falls happen', anchor: ANCHOR_START | ANCHOR_END });
  assert.deepEqual(patternAnchor('whatever $'), { body: 'whatever', anchor: ANCHOR_END });
  assert.deepEqual(patternAnchor('it is {so|very}? hard'), { body: 'it is {so|very}? hard', anchor: 0 });
  // "^ {that|it|...} happens $" is a shrug only as a whole sentence.
  assert.deepEqual(kinds('It happens.'), ['respect/shrug:It happens', 'curt/curt-reply:It happens.']);
  assert.deepEqual(kinds('Well, it happens.').filter((k) => k.startsWith('respect')), ['respect/shrug:it happens']);
  assert.deepEqual(kinds('It is scary when it happens, and you are not alone in feeling that.').filter((k) => k.startsWith('respect')), []);
  assert.deepEqual(kinds('It happens to many families, and there is help for it.').filter((k) => k.startsWith('respect')), []);
});

test('a reply of a handful of words with no warmth in it is curt; short and warm is not', () => {
  for (const curt of ['Yes.', 'Lock the doors.', 'Falls happen.', 'Of course.']) {
    const a = analyzeTone([curt]);
    assert.ok(a.matches.some((m) => m.kind === 'curt' && m.start === 0 && m.end === curt.length), curt);
    assert.ok(a.scores.politeness < 0.45, `${curt}: politeness ${a.scores.politeness}`);
  }
  for (const warm of ["I'm so sorry. I'm here for you.", 'Sure, I can help.', 'Thank you, that helps.', 'That sounds really hard.']) {
    assert.ok(!analyzeTone([warm]).matches.some((m) => m.kind === 'curt'), warm);
  }
  // Six words or more are not curt by length alone.
  assert.ok(!analyzeTone(['Keep it in the fridge door.']).matches.some((m) => m.kind === 'curt'));
  // An allow-listed reply is not flagged as curt either.
  assert.ok(!analyzeTone(['Noted.'], ['noted']).matches.some((m) => m.kind === 'curt'));
});

test('a put-down costs more when it is the whole reply than as an aside in a long answer', () => {
  const whole = analyzeTone(['Calm down.']).scores.respect;
  const aside = analyzeTone(['Calm down, and let us look at this together. Falls are common as people get older, and her doctor can check her balance and her medicines.']).scores.respect;
  assert.ok(whole < aside, `${whole} !< ${aside}`);
  assert.ok(aside < 1);
  // One put-down alone is enough for the respect rule (threshold 0.7), also in capitals.
  for (const text of ['Calm down.', 'Whatever. Google it.', 'STOP GIVING HIM THE PILLS AT NIGHT.', 'It is just old age.', 'WHY DID YOU NOT CALL THE DOCTOR?? This is basic stuff.']) {
    assert.ok(analyzeTone([text]).scores.respect < 0.7, text);
  }
  // A whole-reply dismissal scores below a run of plain orders that at least answer the question.
  assert.ok(analyzeTone(['Whatever, leave it anywhere.']).scores.tone <= analyzeTone(['Put it in the fridge. Keep it away from the freezer. Check the date.']).scores.tone + 0.05);
});

test('readability: grade grows with long words and sentences; empty text scores zero', () => {
  assert.ok(fleschKincaidGrade(20, 1, 40) > fleschKincaidGrade(20, 4, 24));
  assert.equal(gradeToScore(4), 1);
  assert.equal(gradeToScore(20), 0);
  const empty = analyzeTone(['   ']);
  assert.equal(empty.words, 0);
  assert.equal(empty.scores.tone, 0);
});

test('overall tone: weighted mean with a weakest-link pull; weakest axis named', () => {
  const good = { empathy: 1, politeness: 1, simplicity: 1, nonPrescriptive: 1, plainLanguage: 1, respect: 1 };
  assert.equal(overallTone(good), 1);
  assert.ok(overallTone({ ...good, respect: 0 }) < overallTone({ ...good, empathy: 0 }));
  assert.equal(weakestAxis({ ...good, plainLanguage: 0.3, tone: 0.8 }), 'plainLanguage');
});

test('overall tone: readability counts only as far as a text is hard to read, so a short reply does not win on being short', () => {
  // Axis scores: a kind answer in ordinary adult prose against a short, easy reply that treats the reader no better.
  const kind = { empathy: 0.6, politeness: 0.85, simplicity: 0.55, nonPrescriptive: 1, plainLanguage: 1, respect: 1 };
  const short = { empathy: 0.2, politeness: 0.9, simplicity: 1, nonPrescriptive: 1, plainLanguage: 1, respect: 1 };
  assert.ok(overallTone(kind) > overallTone(short));
  // Hard text still costs, more the harder it is, and the easier of two otherwise equal replies still scores higher.
  assert.ok(overallTone({ ...kind, simplicity: 0.1 }) < overallTone({ ...kind, simplicity: 0.3 }));
  assert.ok(overallTone({ ...kind, simplicity: 0.3 }) < overallTone(kind));
  assert.ok(overallTone({ ...kind, simplicity: 0.9 }) > overallTone({ ...kind, simplicity: 0.7 }));
});

test('overall tone on text: a longer kind answer beats a short mocking suggestion, and a short plain kind reply beats a long convoluted cold one', () => {
  const kind = analyzeTone([
    "I'm sorry the nights have been so hard on you both. Waking several times a night is common after a hip operation, because pain, new medicines and an unfamiliar routine can all unsettle sleep for a few weeks. It may help to give the evening painkiller about an hour before bed, keep the bedroom cool and dim, and mention the broken nights to the physiotherapist at the follow-up appointment.",
  ]).scores;
  const mocking = analyzeTone(['Maybe buy him a rocking chair and a lullaby. Sweet dreams.']).scores;
  assert.ok(kind.simplicity < mocking.simplicity, 'the kind answer is the harder read on the simplicity axis');
  assert.ok(kind.tone > mocking.tone);
  const plain = analyzeTone(["Sorry you're going through this. It's worth ringing the GP today and asking for an appointment this week."]).scores;
  const convoluted = analyzeTone([
    'Whether the waking that you have described happens because of the considerable postoperative discomfort he has been experiencing or because of some other underlying explanation that nobody has yet identified is something that only the professionals responsible for his rehabilitation would be in a position to determine.',
  ]).scores;
  assert.ok(plain.tone > convoluted.tone + 0.2);
});

test('orders offered as a choice ("..., or just sit with him") are options, not bare commands; a threat after "or" is still an order', () => {
  assert.ok(!kinds('Read to him, or just sit with him for a while.').some((k) => k.startsWith('command/')));
  assert.ok(!kinds('Call the surgery or go to the walk-in centre tonight.').some((k) => k.startsWith('command/')));
  assert.ok(kinds("Take it now or you'll end up back in hospital.").includes('command/bare-command:Take'));
  assert.ok(kinds('Take the tablets, or else.').includes('command/bare-command:Take'));
});

/** Checks a one-record file and returns the findings of one code. */
function findingsOf(record: unknown, code: string, config = DEFAULT_CONFIG): { line: string; findings: Finding[] } {
  const line = JSON.stringify(record);
  return { line, findings: checkText(line, { recordRules, datasetRules: [], config }).findings.filter((f) => f.code === code) };
}

test('tone ranges are exact columns through escapes (\\n, \\", \\u00e9)', () => {
  const record = { prompt: 'What is this?', chosen: 'Caf\u00e9 "notes":\nShe has hypertension.', rejected: 'No idea.' };
  // Write é as \u00e9 in the source line, as some exporters do.
  const line = JSON.stringify(record).replace('\u00e9', '\\u00e9');
  const f = checkText(line, { recordRules, datasetRules: [] }).findings.find((x) => x.code === 'tone-jargon');
  assert.ok(f, 'jargon finding');
  assert.equal(line.slice(f.column, f.endColumn), 'hypertension');
  assert.equal(f.field, 'chosen');
  assert.deepEqual(f.data, { phrase: 'hypertension', fix: 'replace', term: 'hypertension', replacement: 'high blood pressure', newText: 'high blood pressure' });
});

test('tone ranges land in the right message of a multi-turn list and inside HH transcripts', () => {
  const conv = {
    prompt: [{ role: 'user', content: 'Is it serious?' }],
    chosen: [{ role: 'assistant', content: 'Let me check.' }, { role: 'assistant', content: 'Oh great, the \\"famous\\" question. Calm down.' }],
    rejected: [{ role: 'assistant', content: 'It can be, so it is worth asking her doctor this week.' }],
  };
  const { line, findings } = findingsOf(conv, 'tone-respect');
  // "the 'famous' question" is an ironic cue, counted beside the other put-downs.
  assert.deepEqual(findings.map((f) => line.slice(f.column, f.endColumn)), ['Oh great', 'the \\\\\\"famous', 'Calm down']);
  assert.ok(findings.every((f) => f.field === 'chosen[1].content'));

  const hh = {
    chosen: '\n\nHuman: My dad fell.\n\nAssistant: Oh great, what a surprise.',
    rejected: '\n\nHuman: My dad fell.\n\nAssistant: I am sorry, is he hurt?',
  };
  const h = findingsOf(hh, 'tone-respect');
  assert.deepEqual(h.findings.map((f) => h.line.slice(f.column, f.endColumn)), ['Oh great', 'what a surprise']);
});

test('jargon replacement keeps the capital of the word it replaces', () => {
  const { line, findings } = findingsOf({ prompt: 'Why?', chosen: 'Hypertension explains the headaches.', rejected: 'Dunno.' }, 'tone-jargon');
  assert.equal(findings.length, 1);
  assert.equal(line.slice(findings[0].column, findings[0].endColumn), 'Hypertension');
  assert.equal(findings[0].data?.replacement, 'High blood pressure');
});

// Tenth round, issue 11: a term the person wrote as their own is their word, not jargon to them; one they quote to ask about still is.
test('a jargon term the person used in the prompt is not jargon in the reply, unless they quoted it to ask about it', () => {
  const reply = 'Speech therapy helps with aphasia, and the stroke team can refer him.';
  const jargon = (prompt?: string) => analyzeTone([reply], undefined, prompt ? readPrompt([prompt]) : undefined).matches.some((m) => m.kind === 'jargon');
  assert.ok(jargon());
  assert.ok(jargon('My dad had a stroke. How can we help his speech?'));
  assert.ok(!jargon('My dad had a stroke and has aphasia, they call it. How can we help his speech?'));
  assert.ok(jargon("My dad had a stroke and the nurse said 'aphasia'. What is that?"));
});

test('a jargon term that names a team or a service is the name the person asks for, not jargon', () => {
  const jargon = (text: string) => analyzeTone([text]).matches.filter((m) => m.kind === 'jargon').length;
  assert.equal(jargon('Ask the palliative care team to visit, or ring the oncology nurse line tonight.'), 0);
  assert.equal(jargon('He is palliative now, and the oncology results came back.'), 2);
});
