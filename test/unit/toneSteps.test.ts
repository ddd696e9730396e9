import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { analyzeTone } from '../../src/core/tone/analyze';
import { readPrompt } from '../../src/core/tone/prompt';

/**
 * Steps the person asked for are not orders given unasked (HH-RLHF false-alarm class E, see
 * docs/tone-evaluation-notes.md): "How do I ...?" answered with "First, ... Then ..." is an
 * answer, not a run of orders. Orders nobody asked for, or laid out as prose, still count.
 * Every text here is our own.
 */

interface Labelled {
  note: string;
  prompt: string;
  chosen: string;
  /** Tone rules that must fire on the chosen response; every other tone rule must stay quiet. */
  fire: string[];
}

const CASES: Labelled[] = [
  // Must not fire: steps laid out in answer to a how-to request.
  {
    note: 'sequence markers answering "How do I ...?"',
    prompt: 'How do I descale a kettle?',
    chosen: 'First, fill the kettle halfway with equal parts water and white vinegar. Then bring it to the boil and leave it to stand for an hour. Next, pour the mixture away and rinse the kettle well. Finally, boil a kettle of clean water once and throw it away.',
    fire: [],
  },
  {
    note: 'a list introduction answering a request for tips, with a negative step',
    prompt: 'Any tips for getting my dad to drink more water?',
    chosen: "Here are a few ideas that often help. Offer small cups often rather than one big glass. Keep a jug where he can see it. Try foods with lots of water in them, like soup, melon or jelly. Don't leave it all until the evening, or he may be up in the night.",
    fire: [],
  },
  {
    note: 'bulleted lines answering "How can I ...?"',
    prompt: "How can I get ready for my mum's hospital discharge?",
    chosen: 'Good question to ask early.\n- Ask the ward for a date and who will be your contact.\n- Check she has her medicines and a written list of them.\n- Make sure someone can be at home when she arrives.\n- Book a follow-up with her GP.',
    fire: [],
  },
  {
    note: 'numbered lines answering "How do I ...?"',
    prompt: 'How do I set up a pill organiser?',
    chosen: '1. Get the list of her medicines from the pharmacy.\n2. Fill one day at a time: morning, midday and night.\n3. Check each compartment against the list.\n4. Keep the organiser somewhere dry and out of reach of children.',
    fire: [],
  },
  {
    note: 'requirements describing steps ("you need to", "you have to") count as directives',
    prompt: 'How do I apply for a parking permit for my mum?',
    chosen: "First, you need to check whether she qualifies on your council's website. Then you have to fill in the application form and add a recent photo. After that, you will need to send proof of her address. The council will tell you when it is approved.",
    fire: [],
  },
  {
    note: '"you should make sure" is one directive, not two',
    prompt: 'How should I store insulin?',
    chosen: 'Unopened pens go in the fridge. You should make sure they never freeze, because frozen insulin stops working.',
    fire: [],
  },
  {
    note: '"to make sure" is a purpose, not an order',
    prompt: 'Where should I keep her insulin pens?',
    chosen: 'Unopened pens go in the fridge. You could check the date on the box now and then to make sure they are in date, and look at the pen before each dose to make sure the insulin is clear.',
    fire: [],
  },
  // Must fire: orders nobody asked for, orders not laid out as steps, and strong obligations.
  {
    note: 'bare orders in answer to "How can I ...?", not laid out as steps',
    prompt: 'How can I get my mum to eat more?',
    chosen: "You need to make her eat. Put the food in front of her. Don't let her leave the table.",
    fire: ['tone-prescriptive', 'tone-politeness'],
  },
  {
    note: '"you must" and "it is your responsibility" keep their weight inside steps',
    prompt: 'How do I descale a kettle?',
    chosen: 'First, you must read the manual. Then you must buy the right descaler. It is your responsibility to get this right.',
    fire: ['tone-prescriptive'],
  },
  {
    note: 'steps nobody asked for are a run of orders',
    prompt: "My brother and I disagree about Dad's care.",
    chosen: "First, call your brother. Then tell him what you want. Next, book a meeting with the care team. Finally, don't back down.",
    fire: ['tone-prescriptive', 'tone-politeness'],
  },
  {
    note: 'a bulleted list nobody asked for is still orders',
    prompt: "My brother and I disagree about Dad's care.",
    chosen: "- Call your brother today.\n- Tell him he is wrong.\n- Don't back down.",
    fire: ['tone-prescriptive', 'tone-politeness'],
  },
  {
    note: 'one "Then" is not a layout of steps',
    prompt: 'How can I help him sleep?',
    chosen: "You need to stop his naps. Then you have to keep him up until ten. Don't let him watch TV in bed.",
    fire: ['tone-prescriptive'],
  },
];

test('labelled step fixtures: how-to answers laid out as steps stay quiet, orders still fire', () => {
  const wrong: string[] = [];
  for (const c of CASES) {
    const record = { prompt: c.prompt, chosen: c.chosen, rejected: 'Not sure.' };
    const { findings } = checkText(`${JSON.stringify(record)}\n`, { recordRules, datasetRules: [] });
    const got = new Set(findings.filter((f) => f.code.startsWith('tone-') && f.message.includes('chosen response')).map((f) => f.code));
    const want = new Set(c.fire);
    for (const code of want) if (!got.has(code)) wrong.push(`missed ${code}: ${c.note}`);
    for (const code of got) if (!want.has(code)) wrong.push(`false ${code}: ${c.note}`);
  }
  assert.deepEqual(wrong, []);
});

test('a prompt asks for steps when its last user turn asks how to do something or for advice', () => {
  const asks = (...turns: string[]) => readPrompt(turns).asksSteps;
  for (const p of ['How do I descale a kettle?', "What's the best way to lift her out of bed?", 'Any tips for a long car journey with him?', 'What should I do about the bills?', 'Can you walk me through the form?', 'is there a way to stop the alarm going off']) assert.ok(asks(p), p);
  for (const p of ['My brother and I disagree about Dad.', 'Is it normal to feel this tired?', 'Thank you, that helps.']) assert.ok(!asks(p), p);
  // Only the last turn is the request being answered.
  assert.ok(!asks('How do I make bread?', 'Never mind, I bought some.'));
  assert.ok(asks('I bought flour.', 'How do I make bread?'));
});

test('an obligation inside a clause a question word opens tells a fact about the process; a plain one still counts', () => {
  const nonPrescriptive = (text: string) => analyzeTone([text]).scores.nonPrescriptive;
  for (const text of ['The letter should say how long you have to appeal.', 'Ring the ward when you need to, day or night.']) assert.equal(nonPrescriptive(text), 1, text);
  for (const text of ['You have to appeal within a month.', 'You need to ring the ward tonight.']) assert.ok(nonPrescriptive(text) < 1, text);
});
