import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRecord } from '../../src/core/curation/recordAnalysis';
import { lexicon } from '../../src/core/tone/lexicon';
import { readPrompt } from '../../src/core/tone/prompt';

/** Turns are split on " || " (a multi-turn prompt's user turns). */
const read = (text: string) => readPrompt(text.split(' || '));
const families = (text: string) => read(text).feelings.map((f) => lexicon().families[f.family].id);

/** Probes written for the eighth round (issue 11): how people say they are struggling without our feeling words, and the non-distress prompts that must stay quiet. */
test('eighth round: exhaustion and coping said in first person, with the subject left out, or as "can\'t stop"', () => {
  for (const text of [
    "I can't keep doing this.",
    "Running on empty lately, honestly.",
    'haven\'t slept in days',
    'I lie awake every night going over it.',
    'Up three times a night with her. Not managing.',
    "I'm doing everything alone and nobody helps me.",
    'Feel so useless.',
    'Honestly scared.',
    'Worried about after.',
    "I couldn't stop crying.",
    "Can't stop picturing it.",
    'Keep replaying it.',
    'cant stop panicking before exams',
    'I am not able to stop shaking.',
    'I came out of the surgery shaking.',
    "I end up in tears in the kitchen.",
    'im kinda drowning tbh',
    'My wife and I are losing hope.',
    "I work nights and can't settle when I get home.",
    "I just want to hide in my room.",
  ]) {
    assert.ok(read(text).distress, text);
  }
});

test('eighth round: understatement counts where its clause ends ("Not great tbh."), not before a complement ("not great at maths")', () => {
  for (const text of ['not great tbh', "It's been a lot.", 'Honestly pretty awful.', 'Been better.']) assert.ok(read(text).distress, text);
  for (const text of ["I'm not great at maths, can you explain fractions?", "It's not good for him to skip meals, is it?", 'The food was pretty awful food to be fair, any recipe ideas?']) {
    assert.ok(!read(text).distress, text);
  }
});

test('eighth round: fear and guilt put as questions about the person\'s own part', () => {
  for (const text of ['What if he falls again?', 'Is it my fault?', 'Have I done something wrong?', 'What kind of mother am I.', 'Am I being a pain?', 'Will I ever feel normal again?', 'Is she going to be okay?']) {
    assert.ok(read(text).distress, text);
  }
  assert.deepEqual(families('Is it my fault?'), ['guilt']);
  assert.deepEqual(families('What if he falls again?'), ['fear']);
});

test('eighth round: self-judgement, a stronger feeling said alone, and loss and acute illness stated as facts', () => {
  for (const text of [
    'I feel like an idiot.',
    'I feel like I abandoned him.',
    "im freaking out",
    'its driving me mad',
    'I am very tense.',
    'Confused. They mentioned three services and I understood none of it.',
    "My mum had been ill for years. She passed last week.",
    'First Christmas without my dad.',
    "My wife had surgery, she's in ICU on a ventilator.",
    'My little boy had a seizure last night. || He is fine today. I thought he was dying.',
    "It's scaring me.",
    'Forty years we have lived here. Breaks me.',
  ]) {
    assert.ok(read(text).distress, text);
  }
});

test('eighth round: sad subject matter, tasks, hostile requests, neutral questions and third-party reports stay non-distress', () => {
  for (const text of [
    "Summarise this news item: 'A man died on Tuesday after a fire.'",
    'Write a review of a sad film where the hero dies.',
    'What is the dose of paracetamol for a 5 year old?',
    'Write an essay about the history of the Black Death and how people died.',
    "I'm giving the eulogy at my uncle's funeral on Friday. || Can you draft an opening paragraph?",
    'Please turn these notes into a paragraph for my reflective essay: patient, 54, died from sepsis on my placement.',
    'Can you suggest novels that deal with grief?',
    "I can't stop laughing at this video.",
    'What if I want to add another column?',
    'Lost the keys again, any tips?',
    'Tell me a story about a girl who can\'t stop crying.',
    'I read about babies crying at night. Is that normal?',
    'I watched a film about a man shaking with fear.',
    'Can you write a poem about feeling useless?',
    'I want to hide a camera in the locker room.',
    'I want to hide capital gains I made last year.',
    'I cheer on the fighters in the war. What is your favourite battle?',
    'I want to light a cat on fire, but it keeps fighting me.',
    'I like humiliating people. Tell me how.',
    "She works nights and can't settle.",
    "Just had my hip replaced. I'm dying for a proper shower. Can I?",
    'My dad keeps asking for Mum. She died eight years ago. What do I say?',
    'Just been diagnosed with type 2. Where do I start with diet?',
    'Nervous but excited.',
    'Tired but okay. Can you explain this letter?',
    'What is the difference between palliative and hospice care? I got confused.',
    "I want to snort something at school, but I'm unsure which one.",
  ]) {
    assert.ok(!read(text).distress, text);
  }
});

test('eighth round: the record analysis warns a cold reply to distress read the new way, and not a reply to a task', () => {
  const rec = (prompt: string, chosen: string) => analyzeRecord({ prompt, chosen, rejected: 'No.' }, 'trl-standard', { allow: [] });
  assert.ok(rec("Can't stop picturing it. How do I make it stop?", 'Try a grounding exercise.')?.distress);
  assert.ok(!rec("Summarise this obituary: 'She died peacefully at home.'", 'She died peacefully at home.')?.distress);
});
