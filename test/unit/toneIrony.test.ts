import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTone, overallTone } from '../../src/core/tone/analyze';
import { readingLevel, syllables } from '../../src/core/tone/readability';
import { lexicon } from '../../src/core/tone/lexicon';
import { readPrompt } from '../../src/core/tone/prompt';
import { scanWords } from '../../src/core/tone/words';

/**
 * Sarcasm as English marks it, quiet acknowledgements, and two false alarms (issue 11). Every text
 * here is our own, written for these tests.
 */

const respect = (text: string) => analyzeTone([text]).scores.respect;
const sarcasm = (text: string) => analyzeTone([text]).matches.filter((m) => m.kind === 'respect').map((m) => m.category);

test('sarcasm: mock praise with a put-down, "Yes, because ...", feigned surprise and mock success are read as sarcasm', () => {
  const sarcastic = [
    'Sure, skip the physio. I suppose the knee will fix itself.',
    'Yes, because the internet is always right about medicine. You are clearly the expert.',
    'Oh, a teenager who stays up late? Stop the press.',
    'Right, keep ignoring the letters. That always works out brilliantly.',
    'What a clever plan, waiting until the weekend. Really working out for you, isn\'t it?',
    'Well done, you have discovered that toddlers do not sleep. Nobel prize incoming.',
    'Lovely, another question about sleep. As if I have not answered a hundred of these.',
    'Sounds like a great way to end up back in hospital, but you do you.',
  ];
  for (const text of sarcastic) assert.ok(respect(text) < 0.7, `${text}: respect ${respect(text)}`);
});

test('sarcasm: a cue that can be sincere alone does not count alone, nor two of them beside an acknowledgement', () => {
  const sincere = [
    'Yes, because early treatment helps, it is worth booking the appointment soon.',
    'By all means, keep doing the exercises if they help.',
    'A warm bath before bed can work wonders for some children.',
    'Believe me, many parents have been exactly where you are.',
    'Sure, just keep an eye on her temperature and call 111 if it goes above 38.',
    'The famous terrible twos usually ease by four.',
    'Oh, you will see a big difference once the swelling goes down.',
    'The Earth was once thought to be the centre of the universe.',
    // Two cues, but the reply acknowledges the person.
    'It is a lot, isn\'t it? Good for you for asking about it. Many carers feel the same.',
    'Yes, because early treatment helps. I am glad it has worked so well for you so far.',
  ];
  for (const text of sincere) assert.deepEqual(sarcasm(text), [], text);
});

test('a phrase read as sarcasm is not also sympathy', () => {
  const a = analyzeTone(['Wow, a child who likes chips. What a shock.']);
  assert.equal(a.matches.filter((m) => m.kind === 'empathy').length, 0);
  assert.ok(a.scores.empathy < 0.2);
});

test('dismissive replies: shrugs and waved-away worries', () => {
  for (const text of ["Don't overthink it.", "You're worrying about nothing.", 'Stop making a fuss.', 'Everyone has bad days.', 'It is what it is.', "You're reading too much into it.", 'Lots of people have it worse.']) {
    assert.ok(respect(text) < 0.8, `${text}: respect ${respect(text)}`);
  }
  // The same words inside real help are not a shrug, and "so everyone knows where they stand" is not condescension.
  for (const text of ["It's not the end of the world if she skips a bath, and a wash with a flannel is fine.", 'Some families agree a few house rules together, so everyone knows where they stand.']) {
    assert.deepEqual(sarcasm(text), [], text);
  }
});

test('quiet acknowledgements count as empathy', () => {
  const advice = ' A pharmacist can check the doses with you.';
  const base = analyzeTone([advice.trim()]).scores.empathy;
  for (const ack of [
    "That's a lot to carry on your own.",
    "No wonder you're tired.",
    "No wonder he's frustrated.",
    "You're clearly doing your best.",
    "That's a big change to take on at such short notice.",
    "That can't have been easy.",
    'Your worry makes a lot of sense.',
    'How have the last few weeks been for you?',
    'What was that like for you?',
    "It's been a long road.",
    'That would be a lot for anyone.',
    "You couldn't have known.",
    'I wish I had an easier answer for you.',
    'Being a carer is exhausting.',
  ]) {
    const e = analyzeTone([ack + advice]).scores.empathy;
    assert.ok(e > base + 0.1, `${ack}: empathy ${e} (advice alone ${base})`);
  }
});

test('an ambiguous feeling word right after an article describes a thing, not a feeling', () => {
  assert.deepEqual(analyzeTone(['You can get a blue badge for your mum from the council, and it lets her park closer to the shops.']).empathy.names, []);
  assert.deepEqual(analyzeTone(['It sounds like he has a broken wrist, so the fracture clinic will see him.']).empathy.names, []);
  assert.deepEqual(analyzeTone(['You must be feeling a bit low.']).empathy.names, ['sadness']);
  // "You must be feeling a bit low" guesses at a feeling: not an order.
  assert.equal(analyzeTone(['You must be feeling a bit low.']).scores.nonPrescriptive, 1);
});

test('readability: a run of letters longer than any word reads as a code, not as hundreds of syllables', () => {
  const code = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
  assert.ok(syllables(code) <= 4);
  const lex = lexicon();
  const text = `Here is the file hash you asked for, so you can compare it with the one on the site: ${code}.`;
  const { grade } = readingLevel(lex.vocab, scanWords(lex.vocab, [text]));
  assert.ok(grade < 16, `grade ${grade}`);
  assert.ok(analyzeTone([text]).scores.simplicity > 0.5);
});

// Issue 11: sarcasm from its structure (irony.ts). Prompts and replies are our own.
const respectWith = (prompt: string, reply: string) => analyzeTone([reply], undefined, readPrompt([prompt])).scores.respect;
const putDownsWith = (prompt: string, reply: string) => analyzeTone([reply], undefined, readPrompt([prompt])).matches.filter((m) => m.kind === 'respect').map((m) => m.category);

test('structural sarcasm: two of its shapes together count, whatever the words', () => {
  const cases: [string, string][] = [
    // The person's words handed back, then praise as a whole sentence.
    ['I put off the scan for two years because I was scared.', 'Two years! Marvellous. Nothing like waiting, is there?'],
    ["My son with ADHD lost his third coat this term.", 'A third coat! Impressive. Does he ever think? Apparently not.'],
    // Words handed back, then praise before a bad outcome.
    ["I'm scared, my mum fell twice this week because she won't use her walker.", "Fell twice this week! Excellent going. She'll be in hospital by Friday at this rate."],
    ['I keep forgetting to give Dad his evening pills.', "Forgetting his pills? Brilliant system you have there. He'll end up worse off."],
    // Words handed back, then praise of what was just agreed to.
    ['Is it okay to let my toddler skip his nap?', 'Skip the nap? Sure, that will go perfectly. Enjoy the meltdown at teatime.'],
    // A question answered curtly by the speaker, beside words handed back.
    ['My daughter wants to stop her medication because she feels fine now.', 'Feels fine now, so she stops? Will that end well? Hardly.'],
  ];
  for (const [prompt, reply] of cases) assert.ok(respectWith(prompt, reply) < 0.7, `${reply}: respect ${respectWith(prompt, reply)}`);
});

test('structural sarcasm: each shape alone, and sincere uses of the same shapes, stay quiet', () => {
  const cases: [string, string][] = [
    ["I'm scared, my mum fell twice this week because she won't use her walker.", 'Two falls in a week is frightening. Her GP can ask for a falls assessment.'],
    ['Is it okay to let my toddler skip his nap?', 'Great question. Many toddlers drop their nap between two and three. If he gets worse-tempered by teatime, a quiet rest can help.'],
    ['Will the swelling get worse after the operation?', 'Yes, it can get worse for the first two or three days, then it settles.'],
    ["I finished my last round of chemo today but I'm scared it will come back.", "Congratulations on finishing your last round! It's natural to feel scared about it coming back."],
    ['Is it my fault that he relapsed?', "Is it your fault? No. Relapse is part of recovery for many people."],
    ['Can I give my baby water in hot weather?', 'Is she under six months? If so, breast or formula milk is enough, even in hot weather.'],
    ['My daughter got into nursing school!', "That's wonderful news! Nursing school is a big achievement."],
    ['Does this rash mean the treatment failed?', 'Not necessarily. A rash can be a side effect rather than a sign the treatment failed.'],
    // Clarifying questions that take up the person's words are questions, not words handed back.
    ['Why do all teenagers lie about their homework?', 'What do you mean by all teenagers? Do you mean your own children?'],
    ['Can you help me? I believe in you.', 'You believe in me? Thank you. What would you like help with?'],
    // One shape alone.
    ['My dad has started forgetting his keys.', 'Forgetting his keys? That is common with age, and a key hook by the door helps.'],
  ];
  for (const [prompt, reply] of cases) assert.deepEqual(putDownsWith(prompt, reply), [], reply);
});

test('structural sarcasm: mock emphasis and the opening clause handed back', () => {
  // Emphasis marked up on an intensifier, beside the person's words handed back as the opening clause.
  assert.ok(respectWith('He asked me the same thing nine times this morning and I snapped.', 'Nine times, wow, that must have been *so* hard for you. Other people cope.') < 0.7);
  // Emphasis alone, and emphasis on an instruction, stay quiet.
  assert.deepEqual(putDownsWith('How much water should she drink?', 'She should drink *really* small sips often, about a cup an hour.'), []);
  assert.deepEqual(putDownsWith('He asked me the same thing nine times this morning and I snapped.', 'Nine times in a morning is exhausting, and snapping once does not make you a bad son.'), []);
});

/** Each text of `unkind` scores below `limit` on respect; each of `sincere` has no put-down at all. */
function putDownsBothWays(unkind: readonly string[], sincere: readonly string[], limit: number): void {
  for (const text of unkind) assert.ok(respect(text) < limit, `${text}: respect ${respect(text)}`);
  for (const text of sincere) assert.deepEqual(sarcasm(text), [], text);
}

test('sarcasm: praise that makes little of a number, mock rewards, mock pity', () => {
  putDownsBothWays([
    // Praise making little of a number, beside a mock reward.
    'Bravo, only three missed doses this week! Someone get her a gold star.',
    // Mock pity for the person themselves, twice.
    'Aw, you poor thing. It must be so tough being you.',
    'Brilliant, just two hours late for his tablets! Shall we throw you a party?',
  ], [
    'Congratulations, only one more round to go! That is a real milestone, and you have been so patient.',
    'Well done for keeping the diary. Only two entries are missing, which is fine.',
    'We sometimes give children a gold star for each dry night.',
    'You poor thing, that sounds painful. A warm compress may help.',
  ], 0.7);
});

test('"who knew" as a relative clause is not feigned surprise; at the end of a sentence it is', () => {
  assert.deepEqual(sarcasm('It may help to talk to people who knew him well.'), []);
  assert.deepEqual(sarcasm('Toddlers throw food, who knew.'), ['sarcasm']);
});

test('a completion that opens with a quotation mark continues the prompt: not curt, not an order', () => {
  const a = analyzeTone(["'...calm and gentle, and you made us feel at home too.'"]);
  assert.deepEqual(a.matches.filter((m) => m.kind === 'command' || m.kind === 'curt'), []);
  // The same words as a reply of their own are an order.
  assert.ok(analyzeTone(['Calm down and stop fussing.']).matches.some((m) => m.kind === 'command'));
});

test('dismissal from its shapes: a tautology alone; a sweeping generalisation beside deference to someone else', () => {
  putDownsBothWays([
    'If the nurse says he can walk, he can walk.',
    'The school says she is coping, so she is coping.',
    'Everybody snores at his age. Your sister is probably right.',
    'Teething pain is normal. Your partner is right, give it a week.',
  ], [
    // One shape alone, or in a reply that acknowledges the person.
    'Everyone grieves differently. It may help to talk to someone who knew her.',
    'Some snoring is normal. A GP can check for sleep apnoea if he stops breathing at night.',
    'Your GP is right to check your bloods first.',
    "It's understandable to worry. Everybody snores at his age, and your sister is probably right, but a GP can check.",
    // A repeated word is not a repeated clause.
    'Take it slowly, slowly, and rest between rooms.',
  ], 0.8);
});

test('callous: death stated bluntly in a cold reply; the same words beside warmth are plain fact', () => {
  for (const text of ["Someone's dead, bed's free, flowers on it.", "The tea bit is a bit much, but they're dead, they won't mind.", 'He drove a bus and told bad jokes. Now he is gone.']) {
    assert.ok(sarcasm(text).includes('callous'), `${text}: ${sarcasm(text)}`);
  }
  for (const text of ["I'm so sorry. He was already dead when the ambulance came, and nothing you did could have changed that.", 'She is gone now, and it is so hard. Thank you for telling me about her.', 'Is he dead or asleep in the photo?']) {
    assert.deepEqual(sarcasm(text), [], text);
  }
});

test('a name for a know-all closing a sentence is condescending; mock praise as a form of address needs a second sign', () => {
  assert.ok(sarcasm('Read the label, Einstein.').includes('condescension'));
  assert.ok(sarcasm('Wow, what a shocker. Set an alarm, genius.').length >= 2);
  for (const text of ['Set a reminder, genius.', 'Einstein wrote about time.', 'She was a genius with numbers and the ward loved her.']) {
    assert.deepEqual(sarcasm(text), [], text);
  }
});

test('the overall tone counts surface warmth at most as much as respect: a put-down outweighs the thanks around it', () => {
  const base = { empathy: 0.6, politeness: 1, simplicity: 1, nonPrescriptive: 1, plainLanguage: 1, respect: 0.5 };
  // With a put-down, warmth above the respect score adds nothing.
  assert.equal(overallTone(base), overallTone({ ...base, empathy: 0.5, politeness: 0.5 }));
  // Without one, warmth counts in full.
  assert.ok(overallTone({ ...base, respect: 1 }) > overallTone({ ...base, respect: 1, politeness: 0.5 }));
  const kind = analyzeTone(["I'm sorry, that's a stressful thing to notice. A pill box with a phone alarm can help."]).scores.tone;
  const mock = analyzeTone(['Thanks so much for sharing, really. Honestly, even a child could remember two tablets.']).scores.tone;
  assert.ok(kind > mock, `kind ${kind}, mock ${mock}`);
});

// Issue 11, round eleven: sarcasm without cue words, read from general shapes. Prompts and replies are our own.
test('round eleven: deadpan verdicts, mock certainty of a good outcome, obvious remedies, laughing faces, quoted words handed back', () => {
  const cases: [string, string][] = [
    // A two-word verdict beside mock certainty that something will go well.
    ['My sister says I should stop visiting Dad in the home because it upsets me.', "How sensible. I'm sure staying away will turn out perfectly."],
    // "Very X, very Y." beside the obvious offered as a remedy.
    ['I keep losing my temper with my mum when she repeats herself.', 'Very calm, very patient. Have you tried just not getting cross?'],
    // A laughing face beside a deadpan verdict.
    ['My toddler bit another child at nursery today and I was mortified.', 'One bite, a personal best 😂. Very restrained.'],
    // The person's words opening the reply in quotation marks, beside mock certainty.
    ["I can't lift him on my own any more, I'm not strong enough.", "'Not strong enough.' I'm sure the gym would work wonders, then. Lovely."],
    // "Have you tried simply <doing>?" beside a verdict.
    ['I forgot to book his repeat prescription again.', 'Have you tried simply booking it? How novel.'],
  ];
  for (const [prompt, reply] of cases) assert.ok(respectWith(prompt, reply) < 0.7, `${reply}: respect ${respectWith(prompt, reply)}`);
  // The same surface forms said sincerely: each alone, or beside an acknowledgement, finds no put-down.
  const sincere: [string, string][] = [
    ['My sister says I should stop visiting Dad in the home because it upsets me.', "How hard. It's understandable that the visits upset you, and you can shorten them rather than stop."],
    ['I keep losing my temper with my mum when she repeats herself.', 'Very normal, honestly. Repeating questions wears anyone down. Have you tried just answering the feeling behind the question?'],
    ['My daughter got her first job today!', "How lovely! I'm sure she'll do brilliantly."],
    ['My grandson sent me a video of his first steps and I laughed so much.', 'That sounds like a lovely moment 😂 First steps are a joy to watch.'],
    ["I can't lift him on my own any more, I'm not strong enough.", "'Not strong enough' sounds like you are blaming yourself, and it isn't a matter of strength. An occupational therapist can arrange a hoist."],
    ['I keep forgetting my inhaler.', 'Have you tried keeping a spare by the door? Many people find that helps.'],
    ['Will the party go okay with Mum in a wheelchair?', "I'm sure the party will go beautifully. The venue has a ramp, so she can get in easily."],
    ['Is it bad that I cried at the appointment?', 'Very true to how many people feel. Crying at appointments is common.'],
  ];
  for (const [prompt, reply] of sincere) assert.deepEqual(putDownsWith(prompt, reply), [], reply);
});

test('round eleven: the person\'s figure handed back flat, praise closing a flat statement, praise as an impression of someone else, "Joking.", an afterthought "I\'m sure"', () => {
  const cases: [string, string][] = [
    // A figure of theirs handed back as a verbless statement, beside an impression that praises.
    ['My nan is 92 and still insists on climbing the ladder to clean the windows.', '92 and up a ladder. Sounds like a marvellous hobby.'],
    // Praise closing a flat statement, and the opening clause handed back.
    ['My partner wants to treat his chest pain with garlic first.', 'Treat chest pain with garlic, wonderful. Sounds like a flawless plan.'],
    // "Joking." owning up to a jab, beside the obvious as a remedy.
    ['I get dizzy when I stand up too fast.', 'Have you tried just not standing up? Joking.'],
    // Certainty added as an afterthought, beside a figure handed back.
    ['She has had a headache for nine days now.', 'Nine days of headaches. Nothing serious, I\'m sure.'],
  ];
  for (const [prompt, reply] of cases) assert.ok(respectWith(prompt, reply) < 0.7, `${reply}: respect ${respectWith(prompt, reply)}`);
  const sincere: [string, string][] = [
    // Figures in statements that inform or reflect, figures in a table, praise exclaimed, an impression of the person.
    ['My nan is 92 and still insists on climbing the ladder to clean the windows.', 'At 92, a fall from a ladder can be serious. A window cleaner might be a kind compromise.'],
    ['Beds: 4, 9 and 12 had falls. Make a table.', 'Bed | Falls\n4 | 2\n9 | 1\n12 | 3'],
    ['I finally got the appointment after three weeks of calling!', 'You got the appointment, brilliant! Three weeks of calling takes persistence.'],
    ['I managed the stairs with my new knee today.', 'Sounds like you handled it brilliantly. Keep going at your own pace.'],
    ['We had a little party for Mum in the care home.', 'Sounds like a lovely afternoon, and I hope she enjoyed it.'],
    ['Will the bruising fade?', 'It will fade over two weeks or so, I\'m sure of it. Arnica is not proven to help.'],
  ];
  for (const [prompt, reply] of sincere) assert.deepEqual(putDownsWith(prompt, reply), [], reply);
});

test('round eleven: a verdict tagged with "that", a tag question, the question thrown back, a figure made little of, a thumbs-up or a slight smile', () => {
  const cases: [string, string][] = [
    // A verdict tagged with "that is", beside the person's figure handed back ("one" is no second figure).
    ['It took me forty minutes to change one dressing on his leg.', 'Forty minutes for one dressing. Record time, that is.'],
    // A tag question asking for agreement, beside a thumbs-up.
    ['The carers keep waking her at 6am to wash her and she hates it.', 'Rules are there for a reason, right? Lie-ins are overrated 👍'],
    // The question thrown back, beside the person's figure made little of.
    ['My daughter has been up three nights running with croup. Should I take her in?', 'Only three? Hmm, what do you reckon?'],
    // A slight smile beside a deadpan verdict.
    ['My husband refuses to wear his hearing aids at family dinners.', 'How charming. Enjoy the shouting 🙂'],
  ];
  for (const [prompt, reply] of cases) assert.ok(respectWith(prompt, reply) < 0.7, `${reply}: respect ${respectWith(prompt, reply)}`);
  const sincere: [string, string][] = [
    ['Her appointment is on Monday but I am worried about the wait.', 'Waiting is hard. You are seeing her GP on Monday, right? Write your questions down before then.'],
    ['I keep forgetting his evening tablets.', 'That happens to a lot of carers. A pill box with the days on it might help. What do you think?'],
    ['Thank you, that helped a lot!', "I'm glad it helped. Good luck on Tuesday 🙂"],
    ['Mum loves the garden at the home.', 'A lovely place to sit, that. Fresh air can lift her mood.'],
    ['He only sleeps two hours a night now.', 'Only two hours? That sounds exhausting for both of you. His GP can look at what is keeping him awake.'],
  ];
  for (const [prompt, reply] of sincere) assert.deepEqual(putDownsWith(prompt, reply), [], reply);
});

test('round eleven: an impression of someone else as "a real <something>" after a subject of a few words', () => {
  // Beside a deadpan verdict.
  assert.ok(respectWith('My brother says Dad is fine and I am overreacting.', 'Your brother sounds like a real diagnostician. Very convincing.') < 0.7);
  // Alone, of a worry, or of the person beside an acknowledgement: no put-down.
  for (const [prompt, reply] of [
    ['My brother drives two hours every weekend to sit with Dad.', 'Your brother sounds like a real support to your dad.'],
    ['She keeps asking for her husband, who died years ago.', "Her asking sounds like a real worry for you. It's painful to answer the same question."],
    ['I did all his dressings myself this week.', 'You sound like a real help to him, and it must be tiring.'],
  ] as const) assert.deepEqual(putDownsWith(prompt, reply), [], reply);
});
