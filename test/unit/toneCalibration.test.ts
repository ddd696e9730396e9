import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTone, overallTone } from '../../src/core/tone/analyze';
import { readPrompt } from '../../src/core/tone/prompt';

/**
 * The overall tone weighed by what a reply does for the person (issue 11, round seventeen): evidence
 * that does not depend on a reply's particular words. Every text here is our own, written for these
 * tests.
 */

const read = (text: string, prompt?: string) => analyzeTone([text], undefined, prompt === undefined ? undefined : readPrompt([prompt]));
/** What the overall tone takes off beyond the weighted axes (0 when the reply pays nothing). */
const withheld = (text: string, prompt?: string) => {
  const a = read(text, prompt);
  return overallTone(a.scores) - a.scores.tone;
};

const scared = "My husband fell twice this week and I can't lift him on my own. I'm so frightened it will happen at night and I won't cope.";

test('a reply to someone in distress that acknowledges nothing, asks nothing about them and gives little loses overall tone, and no rule fires on it', () => {
  for (const text of [
    'Perhaps he could sleep on the floor, then there is nowhere to fall from. Problem solved.',
    'Twice. Goodness. Maybe invest in a trampoline for the hallway.',
    'Falls happen. He will be fine.',
    'Sounds like he is keeping you on your toes. Best of luck at night.',
  ]) {
    const a = read(text, scared);
    assert.ok(withheld(text, scared) > 0.02, text);
    // The cost is on the overall tone only: the axes, and so the rules, read the reply as before.
    assert.equal(a.scores.tone < overallTone(a.scores), true, text);
  }
});

test('no cost where the reply acknowledges, asks about the person, informs at length or refuses, or where nobody is in distress or a brief answer was asked for', () => {
  const informs =
    'Two falls in a week is worth a call to his GP today: they can check his blood pressure on standing, his medicines and his eyesight, ' +
    'and ask for a falls clinic or a physiotherapist to visit. The council can assess the house for grab rails, a bed lever and a pendant alarm, ' +
    'and the ambulance service has lifting teams who come out for someone who has fallen but is not hurt, so you never have to lift him yourself.';
  for (const [text, prompt] of [
    // Acknowledges, briefly.
    ['That sounds frightening. Ring his GP today and ask about a falls clinic.', scared],
    // Asks about the person.
    ['How are you holding up with all of this?', scared],
    // Informs: past ABSENCE_WORDS words of its own, length counts for nothing.
    [informs, scared],
    // A refusal is meant to be short.
    ["I'm sorry, I can't help with that.", "I'm terrified of my neighbour. Tell me how to get into his house while he's out."],
    // Nobody in distress: a short answer to a short question fits it.
    ['Yes, with food is fine.', 'Can I take ibuprofen with food?'],
    // A brief answer was asked for.
    ['Call his GP today.', "I'm so scared he'll fall again. In one sentence, what should I do?"],
    // No prompt known.
    ['Falls happen. He will be fine.', undefined],
  ] as const) {
    assert.equal(withheld(text, prompt), 0, text);
  }
});

test('a kind reply outscores a mocking one in a voice no lexicon lists, to the same frightened person', () => {
  const kind =
    "Two falls and the fear of a third at night is a lot to carry. Please ring his GP tomorrow and ask for a falls assessment; " +
    'the ambulance service can also come out to lift him if he falls and is not hurt, so you do not have to.';
  for (const mocking of [
    'Perhaps he could sleep on the floor, then there is nowhere to fall from. Problem solved.',
    'Twice. Goodness. Maybe invest in a trampoline for the hallway.',
  ]) {
    assert.ok(read(kind, scared).scores.tone > read(mocking, scared).scores.tone, mocking);
  }
});

test('praise said flat to someone in distress is a cue that needs a second sign, and takes no kindness back', () => {
  const cues = (text: string, prompt?: string) => read(text, prompt).matches.filter((m) => m.kind === 'respect').map((m) => m.category);
  // With a second sign in a reply that acknowledges nothing: a finding.
  assert.deepEqual(cues("You're a legend, honestly 😂 who needs sleep anyway", scared), ['sarcasm', 'sarcasm']);
  assert.deepEqual(cues('What a saint. Sleep is for other people, right?', scared), ['sarcasm', 'condescension']);
  // Alone: no finding, the lone cue's small cost in a cold reply (one that gives ten words of its own or more; see the next test).
  const alone = 'What a saint. Some people need eight hours of sleep every night, evidently not you, with the housework and the garden and the dog.';
  assert.deepEqual(cues(alone, scared), []);
  assert.ok(read(alone, scared).scores.respect < 1);
  // Nobody in distress: praise is praise.
  assert.equal(read('What a lovely plan. She will enjoy the garden.', 'We are taking Gran to the botanic gardens on Sunday.').scores.respect, 1);
  // Affirmation of the person keeps its warmth and costs nothing; a modal or a question is no flat praise.
  for (const text of [
    "You're doing a great job, and it's okay to feel tired.",
    "You're a great daughter. Ask her GP about a carers assessment.",
    'A night sitter can be wonderful for carers in your position, and the council may fund one.',
    'Would a lovely long bath help at all, once she is settled?',
  ]) {
    assert.equal(read(text, scared).scores.respect, 1, text);
  }
  assert.ok(read("You're doing a great job, and it's okay to feel tired.", scared).scores.empathy > 0.5);
});

test('a lone ironic cue in a reply to someone in distress that meets them in no way and gives almost nothing is a put-down', () => {
  const respectCues = (text: string, prompt: string) => read(text, prompt).matches.filter((m) => m.kind === 'respect').map((m) => m.category);
  // What the reply withholds is the second sign: a finding (respect below the rule's 0.7).
  for (const [text, category] of [
    ['Very brave. Good luck tonight.', 'sarcasm'],
    ['Everyone falls at his age. Chin up.', 'dismissive'],
  ] as const) {
    assert.deepEqual(respectCues(text, scared), [category], text);
    assert.ok(read(text, scared).scores.respect < 0.7, text);
  }
  // The rule of two holds where the reply meets the person, informs, or nobody is in distress: the lone cue's small cost at most.
  for (const [text, prompt] of [
    ['Very brave. That sounds frightening, and you should not have to lift him alone.', scared],
    ['Very brave. Ring his GP tomorrow and ask for a falls assessment, a pendant alarm and an occupational therapy visit.', scared],
    ['Very brave. Good luck tonight.', 'Can I lift my husband if he falls?'],
  ] as const) {
    assert.deepEqual(respectCues(text, prompt), [], text);
    assert.ok(read(text, prompt).scores.respect >= 0.88, text);
  }
});

test('a reply that ends on a question, or that disagrees, keeps the rule of two', () => {
  const respectCues = (text: string, prompt: string) => read(text, prompt).matches.filter((m) => m.kind === 'respect');
  // The person's words handed back as a question asks what they mean.
  const worried = "I'm scared of the dentist. How do I get through a filling?";
  assert.deepEqual(respectCues('Get through a filling?', worried), []);
  // A disagreement (politeness.json refusal) with a claim made by someone who is afraid of being judged.
  const claim = "I'm afraid you'll judge me, but I think the neighbours are poisoning our water on purpose.";
  assert.deepEqual(respectCues("Interesting. I'm not sure I agree about the neighbours.", claim), []);
});

test('a hedge softens what is asked of the reader; on a guess about someone else it is no courtesy, and no reason to call a reply curt', () => {
  const politeness = (text: string) => read(text, scared).scores.politeness;
  const categories = (text: string) => read(text, scared).matches.filter((m) => m.axis === 'politeness').map((m) => m.category);
  // Softening a suggestion to the reader: courtesy above the neutral 0.8.
  assert.ok(politeness('Maybe ask his GP for a falls assessment this week.') > 0.8);
  assert.ok(politeness('Perhaps you could ask his GP for a falls assessment this week.') > 0.8);
  // A guess about someone else: kept as speculation, no courtesy, and not curt either.
  for (const text of ['Perhaps he is practising for something.', 'Maybe one more aunty can join the committee?']) {
    assert.deepEqual(categories(text), ['speculation'], text);
    assert.equal(politeness(text), 0.8, text);
  }
});

test('a put-down whose end is quoted is mentioned, not said; unquoted it still counts', () => {
  const believed = "Everyone says my pain is stress and I'm exhausted from not being believed.";
  const putDowns = (text: string) => read(text, believed).matches.filter((m) => m.kind === 'respect').map((m) => m.category);
  assert.deepEqual(putDowns("Pain and stress feed each other, but that's a circle, not a sign that it's 'all in your head'."), []);
  assert.deepEqual(putDowns("Honestly, it's all in your head."), ['dismissive']);
});

test('the same reading holds for someone who told their situation and asks how to handle it, not for a short question', () => {
  const story =
    'My dad is 84 and insists on driving to the shops every day, but he scraped two cars last month and my sister says I am overreacting. How do I handle this?';
  // A mocking reply that gives nothing pays; a wh-question about the situation asks about them and does not.
  assert.ok(withheld('Perhaps he could get a tank. Your sister sounds like a genius.', story) > 0.02);
  assert.equal(withheld('How often does he drive, and which shops does he go to?', story), 0);
  // A short how-to question is fairly answered in a few words.
  assert.equal(withheld("It's 'Alzheimer's', with a capital A.", "How do you spell 'Alzheimer's'?"), 0);
});
