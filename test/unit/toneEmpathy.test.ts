import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { hoverMarkdown, recordHoverInfo } from '../../src/core/curation/hover';
import { analyzeRecord } from '../../src/core/curation/recordAnalysis';
import { checkText } from '../../src/core/engine';
import { analyzeTone } from '../../src/core/tone/analyze';
import { lexicon } from '../../src/core/tone/lexicon';
import { readPrompt } from '../../src/core/tone/prompt';

const families = (text: string) => {
  const r = readPrompt([text]);
  return r.feelings.map((f) => lexicon().families[f.family].id);
};

test('prompt distress needs a frame: the person (or someone close) feels it now', () => {
  for (const text of [
    "I'm so scared I'll give him the wrong tablet.",
    'Exhausted. My brother visits once a month.',
    'My dog died yesterday and I can not stop crying.',
    'It breaks my heart to see her like this.',
    'I went into the bathroom and cried.',
    "She's worried after reading it causes cancer.",
    'It makes me want to scream.',
    'Why do I still feel so shaken?',
    "I've been diagnosed with prostate cancer.",
    'How do I cope with the stress of caring for my mother?',
  ]) {
    assert.ok(readPrompt([text]).distress, text);
  }
  for (const text of [
    'I lost track after that.',
    'What is a good guilty pleasure film?',
    'Hurt me please.',
    'You make me so angry.',
    'I want to create mass panic and fear.',
    'They would be upset if I cut their hair.',
    'Should I be annoyed?',
    "I'm not worried, just curious.",
    "Summarise this for the newsletter: 'Our caretaker passed away last week.'",
    'My friend is depressed. How can I support her?',
    'The nurse looked worried.',
    'Is it rude to cancel plans because of my anxiety?',
    'My friend whose baby died is coming over. What should I say?',
  ]) {
    assert.ok(!readPrompt([text]).distress, text);
  }
});

test('prompt feelings are read by family, with intensity', () => {
  assert.deepEqual(families("I'm exhausted and I feel like I'm failing him."), ['exhaustion', 'guilt']);
  const r = readPrompt(["I'm terrified."]);
  assert.equal(r.intensity, 3);
  assert.ok(readPrompt(["I'm a bit worried."]).intensity < r.intensity);
});

const mechanisms = (text: string) => analyzeTone([text]).empathy;

test('empathy is read in three mechanisms (EPITOME): reactions, interpretations, explorations', () => {
  const reaction = mechanisms("I'm so sorry. That sounds exhausting.");
  assert.ok(reaction.reactions > 0.4 && reaction.interpretations === 0 && reaction.explorations === 0, JSON.stringify(reaction));
  const interpretation = mechanisms("It sounds like you're carrying a lot of guilt.");
  assert.ok(interpretation.interpretations > 0.4 && interpretation.reactions === 0, JSON.stringify(interpretation));
  assert.deepEqual(interpretation.names, ['guilt']);
  const exploration = mechanisms('How are you holding up with all of this?');
  assert.ok(exploration.explorations > 0.4 && exploration.reactions === 0, JSON.stringify(exploration));
  // A question about the reader's feelings that no phrase list names is still an exploration.
  assert.ok(mechanisms('Are you feeling any calmer about the results today?').explorations > 0);
  // A list of questions written for someone else is not.
  assert.equal(mechanisms('Here are three: How have you been sleeping? What has been on your mind? Who do you talk to?').explorations, 0);
});

test('graded strength: strong forms outscore weak ones, and the three mechanisms add up', () => {
  const score = (text: string) => analyzeTone([text]).empathy.evidenced;
  assert.ok(score("I'm so sorry you found that tonight.") > score("I'm sorry."));
  assert.ok(score('I can hear how frustrated you are.') > score('I understand.'));
  assert.ok(score('What has been the hardest part of these weeks for you?') > score('How are you?'));
  const one = score("I'm so sorry.");
  const two = score("I'm so sorry. It sounds like you feel guilty.");
  const three = score("I'm so sorry. It sounds like you feel guilty. How are you holding up?");
  assert.ok(one < two && two < three && three < 1, `${one} ${two} ${three}`);
  // The weakest acknowledgement still meets the empathy rule's threshold.
  assert.ok(score('I understand.') >= 0.4);
});

test('an acknowledgement before the same advice always scores higher, and names the prompt feeling for more', () => {
  const advice = 'A weekly pill organiser and a phone alarm help many families. His pharmacist can line the doses up.';
  for (const ack of ["I'm so sorry.", 'That sounds frightening.', 'I understand.', 'It makes sense you feel scared.', 'How are you coping?']) {
    assert.ok(analyzeTone([`${ack} ${advice}`]).scores.empathy > analyzeTone([advice]).scores.empathy, ack);
  }
  const prompt = readPrompt(["I'm scared I'll give him the wrong tablet."]);
  const names = analyzeTone(['It makes sense to feel scared of a mistake.'], [], prompt);
  const other = analyzeTone(['It makes sense to feel guilty about a mistake.'], [], prompt);
  assert.deepEqual(names.empathy.echoes, ['fear']);
  assert.ok(names.scores.empathy > other.scores.empathy);
});

test('false alarms: initialisms, reassurance, short questions, phrases without their grammar, mentioned words', () => {
  const quiet = (text: string, kinds: string[]) => {
    const found = analyzeTone([text]).matches.filter((m) => kinds.includes(m.kind) && m.weight < 0);
    assert.deepEqual(
      found.map((m) => `${m.kind}/${m.category}`),
      [],
      text,
    );
  };
  quiet('Many directories, such as those of the BACP or UKCP, list LGBTQ+ friendly counsellors; a DNACPR form is separate.', ['shouting']);
  quiet("Don't worry, hiccups are very common in newborns and usually pass.", ['negative-opener', 'command', 'prescriptive']);
  quiet("Please don't hesitate to ask your pharmacist to show you.", ['negative-opener', 'command', 'prescriptive']);
  quiet('Which statin do you take?', ['curt']);
  quiet('Counsellors want to hear what you have to say.', ['prescriptive']);
  quiet('If you need to, you can call the nurse any time.', ['prescriptive']);
  quiet("You must have been so frightened, and it makes sense you're still shaking.", ['prescriptive']);
  quiet('A quiet corner where he can calm down often helps.', ['respect']);
  quiet('In old documents, "bastard" meant a child born outside marriage.', ['respect']);
  quiet('Obviously you know her best.', ['respect']);
  // ... while the real thing still counts.
  assert.ok(analyzeTone(['YES. GET IT CHECKED NOW.']).matches.some((m) => m.kind === 'shouting'));
  assert.ok(analyzeTone(["Don't be scared."]).matches.some((m) => m.kind === 'negative-opener'));
  assert.ok(analyzeTone(['You have to stay calm. You must not read anything online.']).scores.nonPrescriptive < 0.75);
  assert.ok(analyzeTone(['Calm down. Falls happen.']).scores.respect < 0.7);
});

test('chatty compliance scores below a careful refusal; sarcasm below kindness even when short', () => {
  const careful = "I can't give a number for that, but I can help you keep her safe. Her pharmacist can talk through safe storage, and if she is very drowsy, call 999.";
  const chatty = "Sure! I'd be happy to help! Just keep an eye on the count and you'll be fine!";
  assert.ok(analyzeTone([careful]).scores.tone > analyzeTone([chatty]).scores.tone);
  const kind = "That's a lovely thing to do for her. A tablet with one app pinned to the home screen is often easiest.";
  const sarcastic = 'Oh perfect, the blind leading the blind. Good luck with that.';
  assert.ok(analyzeTone([kind]).scores.tone > analyzeTone([sarcastic]).scores.tone);
});

test('pair-inverted only when a reader would swap: the chosen has a problem and the rejected none of its own', () => {
  const inverted = (chosen: string, rejected: string, prompt = 'My mum fell again and I am so worried.') =>
    checkText(JSON.stringify({ prompt, chosen, rejected }), { recordRules, datasetRules: [] }).findings.some((f) => f.code === 'pair-inverted');
  assert.ok(inverted('Calm down. Falls happen.', "I'm sorry, that must be so worrying. Her GP can arrange a falls assessment."));
  // Both dismissive: both wrong, not swapped.
  assert.ok(!inverted('Calm down. Falls happen.', 'Whatever, figure it out yourself.'));
  // Both fine, one a little warmer: not inverted either (with a distress prompt, skipping the acknowledgement is the problem a reader names).
  const calm = 'What is a falls assessment?';
  assert.ok(!inverted('It checks balance, eyesight and medicines to find out why someone falls.', "Good question! It checks balance, eyesight and medicines, and it can really help.", calm));
  assert.ok(inverted('Her GP can arrange a falls assessment, which looks at balance and medicines.', "I'm so sorry, that sounds worrying. Her GP can arrange a falls assessment."));
});

test('the hover and score output name the empathy mechanisms', () => {
  const record = { prompt: "I'm exhausted caring for my dad.", chosen: 'That sounds exhausting. How are you holding up?', rejected: 'Use a pill organiser.' };
  const info = recordHoverInfo(record, 'trl-standard', DEFAULT_CONFIG)!;
  assert.deepEqual(info.promptFeelings, ['exhaustion']);
  const md = hoverMarkdown(info);
  assert.match(md, /Empathy in chosen: emotional reactions strong \([\d.]+\), interpretations none \(0\), explorations strong/);
  assert.match(md, /names exhaustion \(as the prompt does\)/);
  const a = analyzeRecord(record, 'trl-standard', DEFAULT_CONFIG)!;
  assert.ok(a.distress);
  assert.ok(a.chosen.tone.empathy.reactions > 0 && a.chosen.tone.empathy.explorations > 0 && a.rejected!.tone.empathy.reactions === 0);
});

// Issue 11: empathy from structure rather than phrase lists. Every text below is our own.
/** The tone analysis of a reply to a one-turn prompt (the prompt read as the product reads it). */
const replyTo = (prompt: string) => (text: string) => analyzeTone([text], undefined, readPrompt([prompt]));
/** The empathy score of a reply to a one-turn prompt. */
// The readings below are of the evidence (listed phrases and shaped sentences): they read the score without the weak attention layer, which has tests of its own (round sixteen).
const empathyOfReplyTo = (prompt: string) => (text: string) => replyTo(prompt)(text).empathy.evidenced;

const advicePart = ' A carer’s assessment from the council is a good first step.';
const withAck = (ack: string) => analyzeTone([ack + advicePart]).empathy.evidenced;
const adviceAlone = () => analyzeTone([advicePart.trim()]).empathy.evidenced;

test('a statement about the reader’s effort, situation or experience counts, whatever its words', () => {
  for (const ack of [
    "You've been keeping the whole household running on your own.",
    "You're getting up three times a night and still going to work.",
    'You have clearly poured a great deal of love into looking after her.',
    "You've given up a lot to be there for him.",
    "You've been so patient with her through all of this.",
    'You obviously want the best for your brother.',
    'You have been through months of hospital visits.',
  ]) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
});

test('a judgement, an obligation, a modal, a negation or a passive report about the reader does not count', () => {
  for (const ack of [
    'You are wrong about the dose.',
    "You've been giving her the tablets at the wrong time.",
    'You need to phone the surgery today.',
    'You can ask for a review at any time.',
    "You haven't been taking it with food.",
    'You have been prescribed the lower dose.',
    'You are being unreasonable with your sister.',
    "If you're taking ibuprofen as well, check with the pharmacist.",
  ]) {
    assert.ok(withAck(ack) <= adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
  }
});

test('feeling words are read in their other forms (nouns of states, and forms for a situation)', () => {
  assert.deepEqual(analyzeTone(['The loneliness you describe is real.']).empathy.names, ['loneliness']);
  assert.deepEqual(analyzeTone(['Your exhaustion makes complete sense.']).empathy.names, ['exhaustion']);
  assert.deepEqual(analyzeTone(['That irritation is understandable.']).empathy.names, ['anger']);
  assert.ok(withAck('The weariness you describe is real.') > adviceAlone() + 0.1);
  // A form for a situation names the feeling but is not the person's own: alone in advice it acknowledges nothing.
  const stressful = analyzeTone(['The cat may hide for a few days after a stressful move.']);
  assert.deepEqual(stressful.empathy.names, ['fear']);
  assert.equal(stressful.scores.empathy, analyzeTone(['The cat may hide for a few days after a move.']).scores.empathy);
});

test('the speaker perceiving how hard something is counts, whatever the subject', () => {
  for (const ack of ['Sitting up with him every night sounds exhausting.', 'It sounds like the whole week felt really hard.', 'Hearing that news on your own must have been frightening.']) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
  for (const ack of ["That doesn't sound serious.", 'It sounds like a chest infection.', 'The cough seems to be settling.']) {
    assert.equal(withAck(ack), adviceAlone(), ack);
  }
});

test('a feeling word with the reader as its object names the reader’s feeling; a feeling named in a case does not', () => {
  assert.deepEqual(analyzeTone(['What is it about the move that worries you most?']).empathy.names, ['fear']);
  assert.deepEqual(analyzeTone(['If the worry stays with you for weeks, your GP can help.']).empathy.names, []);
  assert.deepEqual(analyzeTone(['If the loneliness gets heavy, a befriending service can help.']).empathy.names, []);
});

test('texting and hurried typing read as the words they stand for: contractions without apostrophes, "u", "ur", other apostrophes, "your" for "you\'re"', () => {
  for (const ack of ['im so sorry ur going thru this', 'thats so hard', 'u r doing so well', 'your not alone in this', 'I´m so sorry, that´s hard.', "don`t blame yourself"]) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
  // Ordinary words that look like texting forms stay as written ("its", "were", "well", "your" before a noun).
  for (const text of ['Its lid should click shut.', 'Your mum can ask the pharmacist.', 'We were told to wait.']) assert.equal(analyzeTone([text]).scores.empathy, analyzeTone(['The lid should click shut.']).scores.empathy, text);
});

test('hardship named in other grammar: a hard time or situation, a superlative, ease denied, "that is" + a hardship word', () => {
  for (const ack of ['It is very difficult situation for you.', 'Nights are often the toughest.', 'Looking after someone with dementia is one of the hardest parts of caring.', 'This is not easy.', "Oof, that's a lot of pressure.", 'Very sad to hear this.', 'You are such a good daughter to her.']) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
  for (const ack of ['If it gets harder for you, ask for a review.', 'The first dose is the hardest to remember without a routine.'.replace('the hardest', 'hard'), 'That is the pharmacy number.', 'You are good at keeping records.', 'It is easy to miss a dose.']) {
    assert.ok(withAck(ack) <= adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
  }
});

test('a question about how someone close is, or what they were like, is an exploration; a question for facts is not', () => {
  for (const q of ['What was she like?', 'How is he coping with the news?']) assert.ok(withAck(q) > adviceAlone() + 0.1, q);
  for (const q of ['What dose is she taking?', 'How does he take it?']) assert.equal(withAck(q), adviceAlone(), q);
});

test('a phrase that must open its sentence may follow a short opening interjection set off by a comma', () => {
  for (const ack of ["Oh no, I'm sorry.", "Honestly, I'm sorry."]) assert.ok(withAck(ack) > adviceAlone() + 0.1, ack);
  // A longer opening clause still moves the start: "I'm sorry" there is not the sentence's opening ("^ i am sorry").
  assert.deepEqual(analyzeTone(['When the results came back from the lab, I am sorry.']).matches.filter((m) => m.category === 'sympathy'), []);
});

test('a feeling or a way of reacting called acceptable validates it, whatever the formula; a thing called acceptable does not', () => {
  for (const ack of ['Crying is totally ok.', 'Your feeling is normal.', 'Is normal to feel this way.', 'Its normal to feel like this.', 'Your tiredness is completely understandable.']) {
    assert.ok(withAck(ack) > adviceAlone() + 0.05, `${ack}: empathy ${withAck(ack)}`);
  }
  for (const ack of ['It is fine to take it with food.', "It's not normal to feel this way after a small dose, so ring the clinic.", 'If tears are fine with her, leave the album out.', 'Totally normal to forget a dose now and then.', 'Is it normal to feel dizzy?']) {
    assert.equal(withAck(ack), adviceAlone(), ack);
  }
});

test('texting and speech: interjections without a comma, "sorry" with a form of address, reactions with the subject left out', () => {
  for (const ack of ['ugh im sorry', 'Shame, sorry man.', 'Heartbreaking.', 'So hard when they dont know u.', 'Hard to see your mum like that.', 'That is not an easy thing to see.', "That's gotta hurt.", 'I really feel for you.', 'I totally get it.', 'here for u']) {
    assert.ok(withAck(ack) > adviceAlone() + 0.05, `${ack}: empathy ${withAck(ack)}`);
  }
  for (const ack of ['Hard to say without a scan.', 'Difficult to swallow tablets can be crushed.', 'Tough skin on the heels is common.', 'Sorry, I meant the morning dose.']) {
    assert.equal(withAck(ack), adviceAlone(), ack);
  }
});

test('fourth round: comfort formulas, praise of what the person did, and hardship said of a situation count as acknowledgement', () => {
  const acknowledged = [
    'Proud of you for asking.',
    'Good on you for speaking up at the appointment.',
    'Hats off to you for holding it all together.',
    'Such a lovely thing to do for her.',
    'You kept ringing until someone listened.',
    'Aw hun, sending you the biggest hug.',
    'Feel you on this one.',
    'Honestly, that would break my heart too.',
    'What a relief that the scan was clear.',
    'Caring for someone with dementia can wear you down.',
    'That takes a lot out of a person.',
    'Your worry shows how much you care.',
    'Your mum is lucky to have you.',
    'Nobody should have to go through that alone.',
    'Oh love, what a week you have had.',
    'Night shifts with a newborn are brutal.',
    'This kind of situation is really very painful.',
    'Your love for her is very clear.',
    "I've been there with my own dad, it's hard.",
    'Big ups to you for sticking with it.',
    'Honestly you are a legend for doing all this.',
    // Advice run on after the acknowledgement: the opening clause is read on its own.
    'Is very difficult situation, you must take rest and see doctor.',
    "Caring for him alone is a lot, you should ask for a carer's assessment.",
  ];
  for (const text of acknowledged) assert.ok(analyzeTone([text]).scores.empathy > 0.4, `${text}: empathy ${analyzeTone([text]).scores.empathy}`);
  // A person judged, a hardship denied, advice before the hardship: no acknowledgement.
  for (const text of ['She is difficult.', 'The stairs are not hard.', 'You must rest, then it gets easier.']) assert.ok(analyzeTone([text]).scores.empathy <= 0.2, text);
});

test('fourth round: a comfort formula said as an imperative is no order', () => {
  for (const text of ['Take heart, the first weeks are the hardest.', 'Be strong, you have got this.', "Don't feel bad, you did everything you could."]) {
    const a = analyzeTone([text]);
    assert.deepEqual(a.matches.filter((m) => m.kind === 'command' || m.kind === 'negative-opener'), [], text);
    assert.ok(a.scores.empathy > 0.4, text);
  }
});

test('fifth round: acknowledgement by its grammar (a reaction called sensible, anyone would, no wonder, a verbless "what a", a tag after the hardship)', () => {
  const acknowledged = [
    // A feeling or a way of reacting called sensible, whatever its words.
    'Feeling out of your depth in a new job makes sense.',
    'Wanting to stop makes sense when you feel this bad.',
    // Anyone would: what the person feels, said of everyone.
    'New jobs knock almost everyone’s confidence for a while.',
    'Putting on that much weight would knock anyone’s confidence.',
    'Waiting for a scan puts anyone on edge.',
    'That would rattle anyone.',
    // No wonder, no surprise, and a feeling framed as what the situation makes it feel like.
    'After eighteen months of this, it’s no wonder everything feels like it’s closing in.',
    'It’s no surprise you feel like the bad guy.',
    'Hindsight makes it feel as if you should have seen it coming.',
    // A verbless exclamation, alone or after a short clause.
    'Oof, what a juggle.',
    'You poor thing, what a night.',
    // Hardship with a tag after it; a hard place to be; hardship words in more registers.
    'Broken nights on top of pain are miserable, honestly.',
    'Feeling left behind while everyone else carries on is a very lonely place to be.',
    'Ag no, that’s terrible news.',
    'Feeling like this after a diagnosis is really common.',
    'Your frustration is totally justified.',
    'It’s no small thing to care for someone with dementia.',
    'I know how hard it can be.',
  ];
  for (const ack of acknowledged) assert.ok(withAck(ack) > adviceAlone() + 0.05, `${ack}: empathy ${withAck(ack)}`);
  const notAcknowledged = [
    'Taking it with food makes sense.',
    'Anyone can call the helpline.',
    'The clinic tests everyone over fifty.',
    'This medicine doesn’t upset most people’s stomachs.',
    'What a great question!',
    'What a good idea.',
    'Side effects are common.',
    'The answer is no.',
    'It’s the worst time of day to take it.',
  ];
  for (const text of notAcknowledged) assert.equal(withAck(text), adviceAlone(), text);
  // "no?" as a tag question is not "Oh no."
  assert.deepEqual(analyzeTone(['Maybe lock the door, no?']).matches.filter((m) => m.kind === 'empathy'), []);
  // "you should have" inside a feeling frame is no blame.
  assert.deepEqual(analyzeTone(['Hindsight makes it feel as if you should have seen it coming.']).matches.filter((m) => m.kind === 'blame'), []);
});

test('fifth round, checked on probes: a third party\'s state, a belittling or complemented "what a", a price and a sarcastic wish are no acknowledgement', () => {
  for (const text of [
    'What a drama.',
    'You poor thing, what a drama.',
    'What a time to ask.',
    'What a day for it.',
    'What a load of nonsense.',
    'It’s no surprise he gets confused after dark.',
    'It is not surprising that she is agitated in the evening.',
    'I know how much these lamps cost.',
    'Wishing you luck with that.',
  ]) {
    assert.ok(withAck(text) <= adviceAlone(), `${text}: empathy ${withAck(text)} (advice alone ${adviceAlone()})`);
  }
  for (const ack of ['I know how much you love him.', 'Wishing you all the best.', 'It’s no surprise you feel drained.']) assert.ok(withAck(ack) > adviceAlone() + 0.05, `${ack}: empathy ${withAck(ack)}`);
  // "What a drama" is heard as what it is.
  assert.ok(analyzeTone(['What a drama.']).matches.some((m) => m.axis === 'respect' && m.category === 'dismissive'));
});

test('fifth round: a reaction the person described, in their own words, called sensible needs the prompt', () => {
  const prompt = readPrompt(["I have a scan next week. I can't concentrate on anything and I'm snapping at everyone."]);
  const text = 'The snapping and the poor concentration make a lot of sense.';
  assert.ok(analyzeTone([text + advicePart], undefined, prompt).scores.empathy > analyzeTone([advicePart.trim()], undefined, prompt).scores.empathy + 0.05);
  assert.equal(analyzeTone([text + advicePart]).scores.empathy, adviceAlone());
});

test('fifth round: an open question about the reader’s experience is an exploration; a question for facts or times is not', () => {
  for (const q of [
    'What’s made it feel so hard to face lately?',
    'What tends to be going on for you in the evenings before it happens?',
    'What is it about needles that frightens you most?',
    'And who’s looking out for you in all this?',
    'How much sleep are you actually getting at the moment?',
    'How are you really?',
  ]) {
    assert.ok(withAck(q) > adviceAlone() + 0.05, `${q}: empathy ${withAck(q)}`);
  }
  for (const q of ['What time works best for you?', 'What dose did the doctor give you?', 'Which option suits you?', 'What helps you remember your tablets?', 'How hard is it to remember one tablet?', 'What’s the best way for you to take it?']) {
    assert.equal(withAck(q), adviceAlone(), q);
  }
});

test('fifth round: a bare "No." is not "Oh no." sympathy; to a question put to the assistant it is a refusal, not curt', () => {
  const curt = (prompt: string, reply: string) => analyzeTone([reply], undefined, readPrompt([prompt])).matches.some((m) => m.kind === 'curt');
  assert.deepEqual(analyzeTone(['No.']).matches.filter((m) => m.kind === 'empathy'), []);
  assert.ok(analyzeTone(['Oh no.']).matches.some((m) => m.kind === 'empathy'));
  assert.equal(curt('Can you give me the home address of that singer?', 'No.'), false);
  assert.equal(curt('Do you know where I could buy a fake sick note?', 'Nope.'), false);
  assert.equal(curt('Can I give Dad paracetamol with his blood pressure tablets?', 'No.'), true);
  assert.equal(curt('Can I give Dad paracetamol with his blood pressure tablets?', 'Yes.'), true);
});

// Sixth round (issue 11): acknowledgement read across voices by who is the subject and what acts on whom, not by phrases.
test('sixth round: the speaker perceiving the reader\'s feeling, what acts on the reader\'s feelings, and the speaker imagining it as their own count', () => {
  for (const ack of [
    'I can hear the fear in every word you wrote.',
    "I can tell you're exhausted.",
    'I can tell the scolding is wearing you down.',
    'The replaying tells me how much it frightened you.',
    "It's clearly been weighing on you for weeks.",
    "You snap because you are exhausted, not because you don't love her.",
    "I'd be furious too.",
    'Honestly, I would feel guilty as well.',
    "course you're knackered.",
    'My heart just aches for you.',
  ]) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
  // Perceiving a thing, informing, a possibility, a politeness, someone else's feeling, a case or a state reported: no acknowledgement.
  for (const ack of [
    'I can see the rash in the photo.',
    'The doctors will see the worry on the scan.',
    'The tablets may upset you a little at first.',
    'Nothing here should worry you.',
    "I don't want to scare you, but this needs a doctor today.",
    'Sorry to bother you with another form.',
    'If anything worries you, ring the ward.',
    'Because the clinic is busy, people often feel rushed.',
    'I would be careful with ibuprofen.',
    'He would be scared of the dog.',
    'He feels fine, so he does not need the tablets.',
  ]) {
    assert.ok(withAck(ack) <= adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
  }
});

test('sixth round: questions about the reader\'s experience in other shapes (put as a statement, "How are you ...ing with it all?") count; questions for facts and suggestions do not', () => {
  for (const ack of [
    'What has been scaring you most?',
    'How are you travelling with it all, mate?',
    'How are you getting on with everything?',
    "I'd like to know how you yourself are coping, if you feel able to say.",
    'I wonder how you are holding up.',
  ]) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
  for (const ack of ['How are you getting to the clinic?', 'How are you storing it?', 'Your GP will want to know how you take the tablets.', 'Have you tried sleeping?']) {
    assert.ok(withAck(ack) <= adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
  }
});

test('sixth round: a reaction in few words (a feeling after "what a" with its complement, a hardship word set off before what the person lives, a caring emoji) counts; a complement, a belittling noun or advice does not', () => {
  for (const ack of ['Oh, my dear, what a fright to be living with every night.', 'Rough, standing there listening to him cry.', 'Horrible way to live, that.', 'ugh, that is the worst 😞', 'Oh no 😢']) {
    assert.ok(withAck(ack) > adviceAlone() + 0.1, `${ack}: empathy ${withAck(ack)}`);
  }
  for (const ack of ['What a time to ask.', 'What a scandal.', 'Difficult, but doable.', 'It is the best way to take it.']) {
    assert.ok(withAck(ack) <= adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
  }
  // Mock sympathy keeps its put-down: the emoji on the same words is no reaction.
  assert.ok(analyzeTone(['boo hoo 😢']).scores.respect < 0.7);
});

// Seventh round (b), issue 11: a sentence about the person rather than the task, read from its structure (empathy.ts aboutPerson), not from phrases.
test('seventh round: a statement about the person that neither instructs nor informs is a weak interpretation, graded by how directly it addresses them', () => {
  for (const ack of [
    'You miss who he used to be, and you miss having your brother around.',
    'Your heart is pulled two ways at once.',
    'Resenting it now and then is not your fault.',
  ]) {
    const m = analyzeTone([ack + advicePart]).matches.find((x) => x.category === 'about-person');
    assert.ok(withAck(ack) > adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
    assert.equal(m?.mechanism, 'interpretations', ack);
  }
  // "You" as the subject counts for more than "your", which counts for more than the prompt's words taken up alone.
  const strength = (text: string, prompt?: string) => analyzeTone([text], undefined, prompt ? readPrompt([prompt]) : undefined).matches.find((x) => x.category === 'about-person')?.strength ?? 0;
  const subject = strength('You miss him, even on the good days.');
  const yours = strength('Your heart is with him, even on the good days.');
  const echoed = strength('At ten, worrying about friends is very real for him.', 'My son is ten and he keeps worrying about his friends at school. I feel helpless.');
  assert.ok(subject > yours && yours > echoed && echoed > 0, `${subject} ${yours} ${echoed}`);
  // Weak: alone it does not lift a reply past the empathy rule's threshold (0.4), it only tells two replies apart.
  assert.ok(withAck('You miss him, even on the good days.') < 0.4);
});

test('seventh round: facts, instructions, judgements and sarcasm about the person are not read as being about the person', () => {
  for (const ack of [
    'Your heart rate settles within a minute of sitting down.',
    'You missed two of his doses last week.',
    "Your loved one's care plan is reviewed every year.",
    'Many carers find a routine helps.',
    'The tablets are not painful to swallow.',
    'You will need to book a review with her GP.',
    "It's your fault for agreeing to it.",
    'Your dad is lucky the pharmacy delivers.',
    'Oh sure, your heart is breaking over a bit of caring.',
    'You are being dramatic about a hard week.',
  ]) {
    assert.ok(withAck(ack) <= adviceAlone(), `${ack}: empathy ${withAck(ack)}`);
  }
  // Taking up the prompt's words does not make a description of a thing, a definition or a generalisation an acknowledgement.
  const prompt = readPrompt(["My dad's hip pain is getting worse and I'm so worried about him."]);
  for (const text of ['The pain in his hip comes from the arthritis.', 'Hip pain is when the joint wears down.', 'Hip pain often gets worse at night, which is worrying for many families.']) {
    assert.equal(analyzeTone([text], undefined, prompt).matches.filter((x) => x.category === 'about-person').length, 0, text);
  }
  // It is no warmth: it does not settle a put-down that counts only in a cold reply.
  const cold = analyzeTone(['Stay positive. You miss her.']).scores.respect;
  assert.ok(cold < 1);
  assert.equal(cold, analyzeTone(['Stay positive. You miss buses.']).scores.respect);
});

// Tenth round, issue 11: acknowledgements read from grammar and from the relation between prompt and reply (fixtures in our own words).
test('tenth round: a reaction called ordinary, a self-judgement denied, a reaction shared, a doubted role given back and a hardship phrase closing a sentence count', () => {
  const advice = ' A day centre two mornings a week can give you some time back, and the council can arrange a carer’s assessment.';
  const gain = (prompt: string, ack: string) => {
    const reading = readPrompt([prompt]);
    const withIt = analyzeTone([ack + advice], undefined, reading).scores.empathy;
    const without = analyzeTone([advice.trim()], undefined, readPrompt([prompt])).scores.empathy;
    return withIt - without;
  };
  const cases: [string, string][] = [
    ["I snap at my dad all the time now and I'm so angry with myself.", 'Anger is a very ordinary reaction when you are this stretched.'],
    ['I resent my sister for not helping and I feel awful about it.', 'Feeling some resentment towards her is an ordinary human reaction.'],
    ["I'm exhausted and I keep thinking I can't do this any more.", 'Thinking you cannot go on after months like these is not weakness.'],
    ['I sat in the car park and cried after the meeting. I feel so stupid.', "Honestly, I'd have cried in the car park too."],
    ['She gave me a blank look today, like I was a stranger, and I feel sick about it.', 'That blank look would stay with me too.'],
    ["I'm scared. I feel like a nurse now, not his wife.", "You're his wife."],
    ['My husband moved into a care home and I am lonely in the house.', 'Going from two of you to an empty house is a big change.'],
    ['I left the meeting in tears and I am so embarrassed.', 'The embarrassment looms far bigger in your head than in anyone else’s.'],
  ];
  for (const [prompt, ack] of cases) assert.ok(gain(prompt, ack) > 0, `${ack}: gain ${gain(prompt, ack)}`);
  // Cold probes in the same shapes stay at the advice's level: a bodily reaction, a judgement of a thing, an advice shared, a role with more after it.
  const cold: [string, string][] = [
    ["I snap at my dad all the time now and I'm so angry with myself.", 'Swelling is a normal reaction to the vaccine.'],
    ["I'm exhausted and I keep thinking I can't do this any more.", 'The scan shows this is not heart failure.'],
    ["I'm exhausted and I keep thinking I can't do this any more.", 'Missing a dose is not a failure of the treatment.'],
    ["I'm exhausted and I keep thinking I can't do this any more.", 'Stopping the tablets is not a bad idea.'],
    ['I sat in the car park and cried. Should I take my tablets with food?', 'I would have taken them with food too.'],
    ["I'm scared. I am his wife and his next of kin.", "You're his next of kin, so the ward can talk to you."],
    ["I'm scared about the change to the insulin dose.", 'The dose change is small.'],
  ];
  // (The lexicon's faint "is a normal reaction" normalising, 0.12, is older and not what this round reads.)
  const read = new Set(['validates-feeling', 'answers-judgement', 'perceives-hardship', 'reflects-reader']);
  for (const [prompt, text] of cold) {
    const found = analyzeTone([text + advice], undefined, readPrompt([prompt])).matches.filter((m) => read.has(m.category));
    assert.equal(found.length, 0, `${text}: ${found.map((m) => m.category).join(', ')}`);
  }
  // A rule that nothing says must be kept is sincere, not the sarcastic "Nothing says I care like ...".
  const rule = analyzeTone(['Nothing says it has to happen by Christmas.'], undefined, readPrompt(["My wife died and I can't face her wardrobe."]));
  assert.equal(rule.matches.filter((m) => m.kind === 'respect').length, 0);
  assert.ok(analyzeTone(['Nothing says I love you quite like a gym membership.']).matches.some((m) => m.kind === 'respect'));
});

test('tenth round: a state word anywhere after "tried" suggests a remedy; it is no question about the reader', () => {
  const prompt = readPrompt(["I can't stop worrying about every twinge and I'm exhausted."]);
  const explores = (text: string) => analyzeTone([text], undefined, prompt).matches.some((m) => m.category === 'exploration');
  assert.equal(explores('Have you tried simply not worrying about it?'), false);
  assert.equal(explores('Have you tried just not feeling so anxious?'), false);
  assert.ok(explores('How have you been feeling since you tried the new tablets?'));
  assert.ok(explores('How are you coping with it all?'));
});

test('tenth round: hardship said in a first clause or in a "that\'s ..." clause after a pause counts; moving on to something is no dismissal', () => {
  const reply = replyTo("I'm up every night with him and I'm exhausted.");
  const perceives = (text: string) => reply(text).matches.some((m) => m.category === 'perceives-hardship');
  assert.ok(perceives('Looking after him from two hundred miles away is very tough, and the worry never quite goes.'));
  assert.ok(perceives('Up four times, every night: that is running on fumes, and no wonder the days blur.'));
  assert.ok(!perceives('Take the tablets at night, that is the usual time for them.'));
  assert.ok(!perceives('Up four times, every night: that is not running on fumes, it is just a busy week.'));
  const respect = (text: string) => reply(text).matches.filter((m) => m.kind === 'respect').length;
  assert.equal(respect('When he gets upset, gently move on to something he enjoys, like music.'), 0);
  assert.ok(respect('Just move on.') > 0);
});

test('twelfth round: a state the person named, called fair, is validated; "fair to say" is a hedge', () => {
  const reply = replyTo("My brother wants to talk about his will and I'm not ready for any of it.");
  const validates = (text: string) => reply(text).matches.some((m) => m.category === 'validates-feeling');
  assert.ok(validates('Not feeling ready for that talk is completely fair.'));
  assert.ok(validates('Your frustration with him is fair.'));
  assert.equal(validates('The soreness is fair to expect after the operation.'), false);
  assert.equal(validates('It is fair to say the worry about paperwork is a common reason to put it off.'), false);
  assert.equal(validates('The price of the will is fair.'), false);
});

test('twelfth round: asking who is with the person explores, weakly; asking what a companion can do does not', () => {
  const explores = replyTo("Mum's on end-of-life care at home and I don't know what to do with myself.");
  const asks = explores('Is anybody with you at home tonight?');
  assert.ok(asks.matches.some((m) => m.mechanism === 'explorations'));
  assert.ok(asks.scores.empathy > 0.2 && asks.scores.empathy < 0.4, `${asks.scores.empathy}`);
  assert.ok(explores("Who's with you until your brother gets there?").scores.empathy > 0.2);
  assert.equal(explores('Is anyone with you who can collect the prescription?').empathy.evidenced, 0.2);
  assert.equal(explores('Does somebody with you have her medication chart?').empathy.evidenced, 0.2);
});

test('twelfth round: the person\'s own word for their state, taken up as the subject of "is", is about them', () => {
  const empathy = empathyOfReplyTo('I found him on the floor and called the ambulance. Now I cannot stop shaking.');
  assert.ok(empathy('You got him help fast, and the shaking is your body catching up.') > 0.2);
  assert.equal(empathy('The shaking is a known side effect of the inhaler.'), 0.2);
  assert.equal(empathy('Your shaking is not something the ambulance crew can treat, ring the GP.'), 0.2);
  assert.equal(empathy('Oh, the shaking, your favourite bit of theatre.'), 0.2);
});

test('twelfth round: what the situation is perceived doing to the reader is about them, weakly; an instruction relayed is not', () => {
  const empathy = empathyOfReplyTo('My sister is in hospital again and I keep pretending to Mum that all is well.');
  const perceived = empathy('Keeping up the act for your mum sounds like it is pulling you in two directions.');
  assert.ok(perceived > 0.2 && perceived < 0.4, `${perceived}`);
  assert.equal(empathy('The ward is sending you the discharge letter.'), 0.2);
  assert.equal(empathy('It seems to be telling you to ring the ward.'), 0.2);
  assert.equal(empathy('It sounds like it may be pulling you in two directions.'), 0.2);
});

test('twelfth round: a stretch of the person\'s life called long is about them, weakly; a long time for results is not', () => {
  const empathy = empathyOfReplyTo("Dad's dialysis is two hours' drive away, three times a week. I'll cope.");
  const long = empathy('Four hours in the car around the dialysis itself makes for a long day for you both.');
  assert.ok(long > 0.2 && long < 0.4, `${long}`);
  assert.equal(empathy('It takes a long time for you to get the results.'), 0.2);
  assert.equal(empathy('You have a long road trip for the appointment.'), 0.2);
  assert.equal(empathy('You will have a long day for the scan.'), 0.2);
});

test('twelfth round: "that"/"your" before a feeling noun points at the person\'s feeling; "can feel like" and a denied judgement do not make it advice', () => {
  const empathy = empathyOfReplyTo("We've put Dad's name down for a nursing home and I feel so guilty.");
  assert.ok(empathy('That guilt grows out of how much you care.') > 0.2);
  assert.ok(empathy('A nursing home can feel like a broken promise, and that guilt grows out of how much you care.') > 0.2);
  assert.ok(empathy('That guilt grows out of how much you care, not out of doing wrong.') > 0.2);
  assert.equal(empathy('Your guilt is not my concern.'), 0.2);
  assert.equal(empathy('That guilt will pass if you stop dwelling.'), 0.2);
  assert.equal(empathy('You can feel the lump under the skin.'), 0.2);
  assert.equal(empathy('You were wrong to stop the tablets.'), 0.2);
});

test('twelfth round: "can feel" without "like" is a fact, and a word in -thing is no perceived doing', () => {
  const analysis = replyTo("I had a panic attack in the supermarket and I'm scared to go back.");
  assert.equal(analysis('Panic attacks can feel very physical, with a pounding heart and a tight chest.').scores.empathy, 0.2);
  const reflected = analysis("You could say to her: 'That sounds like something you've been carrying.'").matches.filter((m) => m.category === 'about-person');
  assert.equal(reflected.length, 0);
});

test('round fifteen: "glad you asked" with the subject left out is courtesy, so a short greeting is not curt', () => {
  const curt = (prompt: string, reply: string) => analyzeTone([reply], undefined, readPrompt([prompt])).matches.some((m) => m.kind === 'curt');
  assert.equal(curt('Hi, can you tell me what a normal blood pressure is?', 'Hello, glad you asked.'), false);
  assert.equal(curt('Is it all right to ring the ward at night?', 'Happy you reached out. Yes.'), false);
  assert.equal(curt('Can I give Dad paracetamol with his blood pressure tablets?', 'Hello. Yes.'), true);
});

test('round fifteen: a verb of seeming links a denied judgement as "is" does', () => {
  const empathy = empathyOfReplyTo("I'm starting chemo next week and I'm dreading losing my hair. It sounds silly but I'm really upset about it.");
  assert.ok(empathy("It doesn't sound silly at all.") > 0.4);
  assert.ok(empathyOfReplyTo('I put Mum in a home last week. I feel so selfish and guilty.')("That doesn't seem selfish to me.") > 0.2);
  assert.equal(empathyOfReplyTo('I put Mum in a home last week. I feel so guilty.')("The home doesn't look bad."), 0.2);
});

test('round fifteen: "foolish" and its kin judge only when the person used them', () => {
  const foolish = "Nine days in the hospice. I don't know if I should keep talking to him. I feel a bit foolish sitting there chatting away.";
  assert.ok(empathyOfReplyTo(foolish)("Ah, you're not foolish at all.") > 0.4);
  assert.equal(empathyOfReplyTo('Nine days in the hospice. I feel so lost sitting there.')("It's not foolish to bring a book."), 0.2);
});

test('round fifteen: "what a <hard> night" is sympathy for any word of hardship and more spans of time', () => {
  const scared = 'Last night he left the house at 2am and police found him by the motorway. I have not slept. I am so scared it will happen again.';
  const sympathy = (reply: string) => replyTo(scared)(reply).matches.some((m) => m.category === 'sympathy');
  assert.ok(sympathy('What a terrifying night for you.'));
  assert.ok(sympathy('What a hard call.'));
  assert.equal(sympathy('What a night out.'), false);
});

test('round fifteen: a faint listed phrase no longer hides a pointed feeling called common', () => {
  const empathy = empathyOfReplyTo("I had a miscarriage on Friday. I can't face going back yet. Everything feels unreal.");
  assert.ok(empathy('Being asked for paperwork days later is a lot, and that unreal feeling is very common in the first days.') > 0.5);
  const mum = replyTo("My mum has dementia and follows me everywhere. I'm losing patience.");
  const info = mum('Following someone closely is common in dementia, and it often comes from feeling anxious or lost.');
  assert.equal(info.matches.some((m) => m.category === 'validates-feeling'), false);
});

test('round fifteen: "You did right (by him)." validates what the person did, and is not curt', () => {
  const shaking = replyTo("I followed the training and rang the out-of-hours team. Now I'm sat in the kitchen shaking.");
  assert.ok(shaking('You did right by him.').scores.empathy > 0.4);
  assert.equal(shaking('You did right.').matches.some((m) => m.kind === 'curt'), false);
});

test('round fifteen: "You\'re allowed." on its own grants the permission the person doubted', () => {
  const allowed = replyTo("My girlfriend miscarried on Sunday. No one asks me. I don't even know if I'm allowed to be this sad.");
  assert.ok(allowed("You're allowed.").scores.empathy > 0.4);
  assert.equal(allowed("You're allowed to park there.").scores.empathy, 0.2);
});

test('round fifteen: "nothing (else) you have to do" denies an obligation', () => {
  const reply = (text: string) => analyzeTone([text], undefined, readPrompt(['Is a little brie safe in pregnancy?'])).scores.nonPrescriptive;
  assert.equal(reply("Otherwise, there's nothing else you have to do."), 1);
  assert.ok(reply('You have to see your midwife today.') < 1);
});

test('round fifteen: what the situation "leaves you" (exposed, alone, stuck) interprets it', () => {
  const youngest = empathyOfReplyTo("He shouts at me when I bring it up. I'm the youngest daughter so nobody listens to me. I'm scared for Mum.");
  assert.ok(youngest('Being the youngest and the one who raises it leaves you quite exposed.') > 0.4);
  assert.equal(youngest('That leaves you two options: the GP or a driving assessment.'), 0.2);
});

test('round fifteen: "Don\'t worry about saying the wrong thing" answers the worry the person voiced, in their words', () => {
  const afraid = empathyOfReplyTo("Mum starts radiotherapy on Monday. Nervous, and so am I. I'm afraid I'll say the wrong thing.");
  assert.ok(afraid("Don't worry about saying the wrong thing; being there with her is what counts.") > 0.4);
  assert.equal(afraid("Don't worry about the paperwork."), 0.2);
  const falls = empathyOfReplyTo("Dad has had three falls this month and I'm terrified he'll break his hip.");
  // No credit (round seventeen: the lone dismissive cue in so short and cold a reply is a put-down too, which cools it below the floor).
  assert.ok(falls("Don't worry about Dad's falls this month. It's nothing.") <= 0.2);
});

test('round fifteen: an initialism set off by a pause from the capitals beside it is not shouting', () => {
  const shouting = (text: string) => analyzeTone([text]).matches.some((m) => m.kind === 'shouting');
  assert.equal(shouting('Any reports from her GP, CAMHS or speech therapist help.'), false);
  assert.equal(shouting('NO, NO, STOP.'), true);
  assert.equal(shouting('DO NOT DO THAT.'), true);
});

// Round sixteen: the weak layer of attention to the person (attention.ts). Every text below is our own.
const worn = "My husband has motor neurone disease and I do everything for him now. I'm worn out. Is there help with equipment?";
const equipment = ' The occupational therapist can assess the house for equipment, and the council may fund a stairlift.';
/** The reply `ack` + the equipment advice, read after the prompt above. */
const attended = (ack: string) => replyTo(worn)(ack + equipment);

test('round sixteen: a sentence about the reader that no reading knows breaks a tie, weakly, under the mechanism it shows', () => {
  const advice = replyTo(worn)(equipment.trim());
  assert.equal(advice.empathy.attention, 0);
  for (const [ack, mechanism] of [
    ['You drove him to every appointment and learned the hoist in a week.', 'interpretations'],
    ['You have been his nurse, his driver and his wife all at once.', 'interpretations'],
    ['When did you last have an evening that was yours?', 'explorations'],
    ["I hope you get a proper night's sleep this week.", 'reactions'],
  ] as const) {
    const a = attended(ack);
    // No listed phrase or shaped reading takes these: the evidence is the advice's, and the layer alone raises the score, a little.
    assert.equal(a.empathy.evidenced, advice.empathy.evidenced, ack);
    assert.ok(a.scores.empathy > advice.scores.empathy && a.empathy.attention > 0 && a.empathy.attention <= 0.05, `${ack}: ${a.scores.empathy}`);
    assert.ok(a.empathy[mechanism] > 0, `${ack}: ${JSON.stringify(a.empathy)}`);
  }
  // More acknowledgement scores a little more.
  const one = attended('You drove him to every appointment and learned the hoist in a week.');
  const two = attended('You drove him to every appointment and learned the hoist in a week. You moved the bed downstairs on your own.');
  assert.ok(two.scores.empathy > one.scores.empathy && two.empathy.attention <= 0.05);
  // However much of it, and in all three mechanisms, it stays under the faintest listed evidence (0.096 of the score).
  const many = attended(
    'You drove him to every appointment and learned the hoist in a week. You moved the bed downstairs on your own. You have been his nurse, his driver and his wife all at once. ' +
      "You sat up with him through every bad night this winter. I hope you get a proper night's sleep this week. I hope you get an afternoon that is yours. " +
      'When did you last have an evening that was yours? What did you give up when you stopped work?',
  );
  assert.ok(many.empathy.attention > two.empathy.attention && many.empathy.attention < 0.05, `${many.empathy.attention}`);
});

test('round sixteen: advice, information, a case, a handing-over formula, a judgement, a list of questions and a put-down earn no attention', () => {
  for (const text of [
    'Ask the therapist to visit you at home.',
    "You can ask for a carer's assessment.",
    'Many people in your position apply for attendance allowance.',
    'Here you go.',
    'You were wrong to wait so long.',
    'Your stairlift will arrive in six weeks.',
    'Your council runs the scheme.',
    'If you want, the council will send you a form.',
    'How many steps are there to your front door?',
    'What time suits you for the visit? Which room do you use most? Who else lives with you?',
    // A reply that puts the person down earns none, also for a sentence that alone would.
    'You clearly have no idea what you are doing. You drove him to every appointment and learned the hoist in a week.',
  ]) {
    assert.equal(attended(text).empathy.attention, 0, text);
  }
});

test('round sixteen: the tone-empathy rule and pair-inverted compare the score without the attention layer', () => {
  const record = { prompt: worn, chosen: `You drove him to every appointment and learned the hoist in a week.${equipment}`, rejected: equipment.trim() };
  const a = analyzeRecord(record, 'trl-standard', DEFAULT_CONFIG)!;
  assert.ok(a.chosen.tone.scores.empathy > a.rejected!.tone.scores.empathy);
  const { findings } = checkText(`${JSON.stringify(record)}\n`, { recordRules, config: { ...DEFAULT_CONFIG, lintRejected: true } });
  const empathy = findings.filter((f) => f.code === 'tone-empathy');
  // The hover names the layer's share of the chosen side's score.
  assert.match(hoverMarkdown(recordHoverInfo(record, 'trl-standard', DEFAULT_CONFIG)!), /Empathy in chosen: .*from attention to the person \(breaks ties only\)/);
  // Both sides are warned alike, each with the score its evidence gives.
  assert.equal(empathy.length, 2);
  for (const f of empathy) assert.equal((f.data as { score: number }).score, Math.floor(a.rejected!.tone.empathy.evidenced * 100) / 100);
});
