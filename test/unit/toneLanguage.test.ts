// Responses in other languages: one note that the English tone rules were skipped, instead of
// findings read with English lexicons; English, even full of jargon or a few foreign words, stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { analyzeTone } from '../../src/core/tone/analyze';
import { guessEnglish } from '../../src/core/tone/language';

/** The guess as the rules make it: on the tone scanner's counts of the same text. */
const guess = (text: string) => guessEnglish(text, analyzeTone([text]).language);

test('guessEnglish: other languages and scripts are not English; jargon, short replies and loanwords are', () => {
  const notEnglish = [
    'Lo siento mucho. Es normal sentirse así cuando un ser querido recibe un diagnóstico difícil.',
    "Je suis vraiment désolé. C'est tout à fait normal de se sentir dépassé quand on s'occupe d'un parent malade.",
    'Es tut mir sehr leid. Es ist völlig normal, sich überfordert zu fühlen, wenn man einen kranken Elternteil pflegt.',
    'Sì, è normale sentirsi stanchi quando si assiste un genitore malato. Vuoi parlarne insieme?',
    'Ja, het is normaal om je moe te voelen als je voor een zieke ouder zorgt. Wil je erover praten?',
    'Sim, é normal você se sentir cansado quando cuida de um pai doente. Quer falar sobre isso?',
    '很抱歉听到这个消息。照顾生病的父母时感到不知所措是很正常的。',
    'Мне очень жаль. Это совершенно нормально чувствовать себя подавленным.',
  ];
  for (const t of notEnglish) assert.equal(guess(t).english, false, t);
  const english = [
    "I'm so sorry you're facing this. It's a lot to take in, and feeling unsure is completely normal.",
    'Hypertension necessitates pharmacological intervention: ACE inhibitors, beta-blockers, thiazide diuretics.',
    'OK.',
    'Take a shower chair. Use grab bars. Call the GP.',
    'A café au lait made with decaf, or a warm tisane, is a gentle choice in the evening.',
    `${'Please rest. '.repeat(10)}${'x'.repeat(100_000)}`,
  ];
  for (const t of english) assert.equal(guess(t).english, true, t.slice(0, 60));
  const reason = guess('Es tut mir sehr leid. Es ist völlig normal, sich überfordert zu fühlen.');
  assert.ok(!reason.english && /common words of another language/.test(reason.reason));
});

test('a non-English response gets one tone-language note and no tone or pair-inverted findings', () => {
  const spanishChosen = JSON.stringify({ prompt: 'Mi padre olvida sus pastillas.', chosen: 'Lo siento, eso debe ser agotador. Un pastillero semanal y una hora fija pueden ayudar mucho a tu padre.', rejected: 'Deal with it. Stop whining!!!' });
  const { findings } = checkText(`${spanishChosen}\n`, { recordRules, datasetRules: [] });
  const curation = findings.filter((f) => /^(tone|pair)-/.test(f.code));
  assert.deepEqual(curation.map((f) => [f.code, f.severity, f.field]), [['tone-language', 'info', 'chosen']]);
  assert.match(curation[0].message, /^The chosen response does not look like English \(.*\): the tone rules are written for English and skipped it$/);
  // The note sits on the chosen value.
  const line = spanishChosen;
  assert.equal(line.slice(curation[0].column, curation[0].endColumn).startsWith('"Lo siento'), true);
  // Switched off: nothing at all.
  const off = checkText(`${spanishChosen}\n`, { recordRules, datasetRules: [], config: { ...DEFAULT_CONFIG, rules: { 'tone-language': { severity: 'off' } } } });
  assert.deepEqual(off.findings.filter((f) => /^(tone|pair)-/.test(f.code)), []);
  // The same pair in English is read by the tone rules (the rude side is chosen here).
  const english = JSON.stringify({ prompt: 'My dad forgets his pills.', chosen: 'Deal with it. Stop whining!!!', rejected: "I'm sorry, that must be exhausting. A weekly pill box and a fixed time can really help your dad." });
  const codes = checkText(`${english}\n`, { recordRules, datasetRules: [] }).findings.map((f) => f.code);
  assert.ok(codes.includes('pair-inverted') && codes.includes('tone-respect') && !codes.includes('tone-language'), codes.join(', '));
});

test('capitals with digits are codes, not shouting: B12, A1C, chunks of base64; capital words still are', () => {
  const codes = JSON.stringify({ prompt: 'What should I ask about?', chosen: 'Ask about her B12 and A1C results, and the L5DU9 code on the form. Here it is: QUJDREVGR0g5OTk5OQ+L5DU/9VM0XZ', rejected: 'Nothing.' });
  const shout = JSON.stringify({ prompt: 'What should I ask about?', chosen: 'YOU NEED TO ASK THE DOCTOR RIGHT NOW.', rejected: 'Ask about her results.' });
  const respect = (line: string) => checkText(`${line}\n`, { recordRules, datasetRules: [] }).findings.filter((f) => f.code === 'tone-respect').map((f) => f.message);
  assert.deepEqual(respect(codes), []);
  assert.ok(respect(shout).some((m) => /shouting/.test(m)), respect(shout).join(' | '));
});
