import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeTone } from '../../src/core/tone/analyze';
import { readPrompt } from '../../src/core/tone/prompt';

/**
 * Sarcasm, condescension and dismissal in general forms (issue 11, fourth round), and kind replies
 * that share their words. Every text here is our own, written for these tests in several voices
 * (British, American, Australian, South African and Indian English, texting, second-language
 * English).
 */

const respect = (text: string) => analyzeTone([text]).scores.respect;
const putDowns = (text: string) => analyzeTone([text]).matches.filter((m) => m.kind === 'respect').map((m) => m.category);

test('sarcasm by its shapes: mock evaluation of a doing, mock gratitude and certainty, scare quotes, rhetorical questions about competence, a non-apology, drawn-out words', () => {
  const sarcastic = [
    "Brilliant work. I'm sure he appreciated that.",
    "Good job, really. Next time try not forgetting?",
    "Such dedication. Three missed appointments in a row, and now you want a sick note.",
    "Real mature. Storming out of the appointment because the nurse was five minutes late.",
    "Thanks for that, really helpful. Maybe next time mention the chest pain first?",
    "Cheers for the heads up, only three days late. Do you not own a phone?",
    "Gee, thanks for the detailed history. Very relevant. The GP will be thrilled.",
    "Is it really that hard to remember one tablet a day? It's literally written on the box.",
    "What part of twice a day is confusing you? For the third time, one in the morning, one at night.",
    "Seriously, how do you forget your own insulin? Amazing how you always find an excuse.",
    "Your \"research\" is a forum post. I'm sure the doctors will be delighted to hear about it.",
    "His \"back pain\" seems to vanish at the weekend, lol. Top effort from him.",
    "Lovely effort there, only took you a month to call the GP. Such dedication.",
    "Nice of you to finally show up. Your mum's been asking since Tuesday, not that you'd care.",
    "You must be so proud of yourself. Leaving her alone all weekend, well done.",
    "Ya super helpful of u to tell me now lol. Next time try not waiting 3 days na?",
    "I'm so sorry you find tablets this confusing. Perhaps ask a child to help you.",
    "Sorry if you were offended, but honestly, it's really not that hard.",
    "Very good, very good. Next time maybe read the discharge letter, no?",
    "Wow, great parenting. Sugar for breakfast, lunch and tea.",
    "Well done, genius. She's been sitting in a wet pad all night.",
    "Haha, you really thought the GP would ring back? Cute.",
    "It's really not that hard. Let me say it one more time, slowly.",
    "Wah, very good. You forgot the tablets again and now you are asking me what to do.",
    "Superb idea only, giving him sweets after dialysis. Keep doing like this, let's see what happens.",
    "Good good, you have finally remembered your mother exists. Very nice.",
    "Ja, well done hey. Leaving a toddler alone with the bath running, lekker parenting.",
    "Yeah nah, that'll go well mate. She'll be right, I'm sure.",
    "Good one. Real clever. Now ring the ambulance and tell them what you did.",
    "omg ur so smart, stopping ur meds bc u felt better. genius move tbh",
    "lol ok. good luck with that i guess",
    "Sure, sure. Because you know better than the whole cardiology team.",
    "Is very easy, why you cannot do? Even small child can take one tablet.",
    "Bravo. Three hours in A&E because you wouldn't listen. Proud of you.",
    "Must be so hard, being waited on hand and foot. My heart bleeds.",
    "Oh no, the nurse didn't say hello. Call the newspapers.",
    "What a tragedy, the hospital food isn't five star. However will you survive.",
    "Let me guess, you didn't read the discharge letter either.",
    "Wow. Just wow. Didn't think anyone could mess up a pill box.",
    "Ok genius, what exactly did you think would happen?",
    "Right, because a YouTube video beats twenty years of nursing.",
    "Oh sweetie, did nobody ever teach you how to use a thermometer?",
    "Thanks for the essay. Next time, the short version please.",
    // Mock denial, mock patience, headlines, mock titles, mock self-pity.
    'Not like she needed those tablets or anything. Spoiler alert: she did.',
    "Oh don't mind me, I only asked you three times. You do realise the ward closes at eight?",
    "Let's all feel sorry for you then.",
    'Okay Mr Expert, do what you want.',
    'Newsflash: babies cry. Must be nice to have so much time to worry.',
  ];
  for (const text of sarcastic) assert.ok(respect(text) < 0.7, `${text}: respect ${respect(text)}`);
});

test('kind replies that share those words stay quiet', () => {
  const kind = [
    "Oof. That's a heavy one.",
    "Wow, that's a lot to carry.",
    "Damn, that's hard.",
    "Don't feel bad. Lots of carers miss a dose now and then, and you caught it.",
    "Take heart. You're doing more than you realise.",
    "Be strong. I'm thinking of you.",
    "Stay positive if you can, but it's okay to have bad days too.",
    "Brilliant, I'm so glad the scan was clear!",
    "Well done for asking, that's a really good question.",
    "I'm sorry you're going through this.",
    "I'm so sorry you feel so alone with it all.",
    "Thanks for telling me, that sounds really hard.",
    "Such a lovely thing to do for her.",
    "Great job getting him to the appointment, that can't have been easy.",
    "Is it hard to remember the tablets some days? A pill box might help.",
    "As I said earlier, you're doing really well.",
    "The word \"palliative\" just means care that focuses on comfort.",
    "Oh, that's clever, using the phone alarm for her tablets.",
    "Good on you for speaking up at the appointment.",
    "Ugh, that sounds exhausting. How are you holding up?",
    "Aw mate, that's rough. Sending love.",
    "Yaar, that's really tough, I'm sorry.",
    "Sorry to hear, that must be hard for whole family.",
    "It is normal to feel tired after chemo, please rest.",
    "Nice one, that's a good plan for the weekend.",
    "Good job getting him to the appointment. That can't have been easy with his knee.",
    "Great work, honestly. You've kept her at home for three years.",
    "Such dedication. She's so lucky to have you, and I hope you get a break soon.",
    "Nice of you to check on her every day. That takes a lot out of a person.",
    "Thanks for that, it really helps me understand what's going on.",
    "I'm sorry you're finding the forms so confusing, they honestly are badly written.",
    "I'm sorry you find this hard. Anyone would.",
    "Could you tell me what part of the day is hardest for her?",
    "Is it hard to remember the tablets some days? A pill box might help.",
    "For the third time this month he's fallen, that must be so frightening.",
    "You finally got the appointment! That's such a relief.",
    "Well done, you finally got through to them after all those calls.",
    "Top marks for persistence. You kept ringing until someone listened.",
    "Real progress. He walked to the door today, that's huge.",
    "Please try not to worry too much tonight.",
    "Take heart. You're doing more than you realise.",
    "Good on you mate. That's a hard call to make and you made it with love.",
    "Sorry if that was a lot of information at once. Take your time with it.",
  ];
  for (const text of kind) assert.deepEqual(putDowns(text), [], text);
  // Delight in the person is sincere, and costs nothing.
  assert.equal(respect("I'm sure he appreciated having you there at the end."), 1);
});

test('a lone ironic cue is no finding, but in a reply that acknowledges nothing it costs a little respect', () => {
  for (const text of ['Such dedication.', 'Real mature.', 'Nice of you to finally show up.', 'Suuure.']) {
    const r = respect(text);
    assert.ok(r >= 0.7 && r < 1, `${text}: respect ${r}`);
    assert.deepEqual(putDowns(text), [], text);
  }
  // Beside an acknowledgement it costs nothing.
  assert.equal(respect('Such dedication. That must be exhausting some weeks.'), 1);
});

test('laughter: callous beside death, a cue that needs a second sign in banter', () => {
  assert.deepEqual(putDowns('Loads of people died of it. Glad I missed that one, haha.'), ['callous']);
  assert.deepEqual(putDowns('haha that sounds like your dad, he always did love a joke'), []);
  assert.ok(respect('lol ok. good luck with that i guess') < 0.7);
});

test('a lone interjection is a reaction when an acknowledgement follows it, a put-down when nothing does', () => {
  for (const text of ['Oof. That\'s a heavy one.', 'Wow, that\'s a lot to carry.', 'Damn, that\'s hard.', 'Yikes. That sounds really frightening.']) assert.deepEqual(putDowns(text), [], text);
  assert.ok(respect('Wow. Just wow. Didn\'t think anyone could mess up a pill box.') < 0.7);
});

test('"I\'m sorry you find ... this confusing" is a put-down and no sympathy; "I\'m sorry you find this hard" is sympathy', () => {
  const a = analyzeTone(['I\'m so sorry you find tablets this confusing.']);
  assert.deepEqual(a.matches.filter((m) => m.kind === 'empathy'), []);
  assert.ok(a.scores.respect < 0.7);
  assert.ok(analyzeTone(['I\'m sorry you find this hard. Anyone would.']).scores.empathy > 0.4);
});

test('a blunt word about a death needs real sympathy beside it: a bare "Sorry." does not make it plain fact', () => {
  assert.deepEqual(putDowns("Sorry. He's dead, he won't mind what you do with the clothes."), ['callous']);
  assert.deepEqual(putDowns("I'm so sorry for your loss. She's gone now, and it's okay to take your time with her things."), []);
  assert.deepEqual(putDowns('Thank you for telling me. He is dead now, and there is nothing more the ward needs from you tonight.'), []);
});

test('fifth round: sarcasm and talking down in more shapes: asides set off by commas, praise said twice, mock deference, saying it again, praise that goes on to "now"', () => {
  const sarcastic = [
    'Bruises fade, you know. Lots of kids have it far worse, you know.',
    'Have you tried, I don\'t know, drinking some water? Sometimes the answer is right there, you know.',
    'Very nice, very nice, you are the specialist now. Here we go again.',
    'Brilliant, now the whole street knows. Very good system.',
    'To repeat myself: no, not with alcohol. I did say that in my first reply.',
    'As your nurse has told you a million times, check your feet. Happy to explain it again for you.',
    'Per my last message, the dose is one tablet. Two is not one.',
    'Everyone loves being woken at 5am. Here we go again.',
    'Not exactly rocket science. Ice, rest, done.',
    'Period pain, the rarest affliction known to woman. Take a paracetamol like the rest of us.',
    'Interesting. You stopped the tablets and the headaches came back. If only there were some connection.',
    'Since you\'ve clearly read every forum going, I\'m not sure what I can add. Good luck.',
    'Teenagers do famously love telling you the truth. Sounds like a mildly eventful week.',
    'She\'ll come round, I suppose, once she\'s had a whole week to sulk. Could just get over it, really.',
    'Oh, the biscuits. One biscuit, *eye roll*.',
  ];
  for (const text of sarcastic) assert.ok(respect(text) < 0.7, `${text}: respect ${respect(text)} (${putDowns(text)})`);
  // The same shapes, sincere or plain: no put-down.
  const sincere = [
    'It can take a while to settle, you know, and that is normal.',
    'Very good news. The scan was clear.',
    'Great, now that you have the results, the next step is a chat with the nurse.',
    'It can take a whole week to feel like yourself again after the anaesthetic.',
    'Everyone loves a routine, so a set bedtime may help him.',
    'Try saying something like "I can see this is hard for you."',
    'The "torsion wrench" is a small L-shaped tool, and the meaning of "whore" shifted between the two sentences.',
    'I suppose the simplest option is to ask the pharmacist.',
    'I did say I would look into it, and here is what I found.',
  ];
  for (const text of sincere) assert.deepEqual(putDowns(text), [], text);
  // "I'm sure she loves having her sentences finished" is mock certainty; "I'm sure he loved having you there" is sincere.
  assert.ok(respect("I'm sure she loves having her sentences finished for her. Who wouldn't? Anyway, here we go again.") < 0.7);
  assert.deepEqual(putDowns("I'm sure he loved having you there."), []);
});

test('fifth round: the person\'s word handed back after an interjection ("Aw, the hair.") is a cue that needs a second sign', () => {
  const prompt = readPrompt(["I'm starting chemo next week and I'm dreading losing my hair."]);
  const a = analyzeTone(['Aw, the hair. It grows back, you know.'], undefined, prompt);
  assert.ok(a.scores.respect < 0.7, `respect ${a.scores.respect}`);
  // Alone, beside help, it costs no finding.
  assert.deepEqual(analyzeTone(['Aw, the hair. Losing it is one of the hardest parts for many people, and a wig fitting before treatment can help.'], undefined, prompt).matches.filter((m) => m.kind === 'respect'), []);
});

test('sixth round: emoji as signs in any voice (an eye roll is contempt; an upside-down face or applause needs a second sign), an opening run of interjections is a reaction in a warm reply', () => {
  for (const text of [
    'Grapefruit or no grapefruit, you drink it anyway, right? 🙄',
    "Wow, skipping insulin, great plan 👏👏 I'm sure your pancreas is thrilled.",
    "Why stop there? Bin the seatbelt too, you've never crashed 🙃",
    'Stop the tablets today, what could go wrong 🙃',
  ]) {
    assert.ok(respect(text) < 0.7, `${text}: respect ${respect(text)} (${putDowns(text)})`);
  }
  // Alone, an ironic cue costs a little in a cold reply, never a finding.
  for (const text of ['Stop the tablets today, no harm in it 🙃', 'Rattly breathing in a dying woman. Who could ever have predicted it.', 'The hospital signed him off, but you would know best.']) {
    assert.ok(respect(text) < 1 && respect(text) >= 0.7, `${text}: respect ${respect(text)} (${putDowns(text)})`);
  }
  // Sincere: applause for progress, a wry emoji about oneself, hearts and hugs, an interjection run before an acknowledgement, deference with an object.
  for (const text of [
    'Well done 👏 That first week is the hardest.',
    'Mornings are chaos here too 🙃 A visual timetable helps some children.',
    'Sending love ❤️ and a hug 🫂',
    'Oh wow, that is a lot to deal with.',
    'Oh gosh, that sounds frightening.',
    'You know him best, so trust your instincts.',
  ]) {
    assert.deepEqual(putDowns(text), [], text);
  }
});

test('seventh round: sarcasm takes back the kindness it borrows; sincere sympathy and praise keep theirs', () => {
  const read = (text: string, prompt?: string) => analyzeTone([text], undefined, prompt === undefined ? undefined : readPrompt([prompt]));
  const kindWords = (text: string, prompt?: string) => read(text, prompt).matches.filter((m) => m.kind === 'empathy' || m.kind === 'softener' || m.kind === 'gratitude').map((m) => text.slice(m.start, m.end));
  // Mock praise beside the praise it mocks, a mock deference read as a reflection of the reader, mock sympathy to someone who told of no distress: no credit.
  const trivial = 'I keep forgetting to read the label on my tablets.';
  for (const [text, prompt] of [
    ['Good on ya, mate, really nailing it. Three years of starting on Monday.', trivial],
    ['A whole team signed him off, but you have seen the stairs, so you would know best.', 'They sent my dad home but I think it was too early.'],
    ['Oh you poor thing, how awful for you to have to read a label.', trivial],
    ['Aw, you poor love, having to read all those tiny words.', 'My neighbour\'s dog barks sometimes in the morning.'],
    // Delight at someone's distress.
    ["I'm delighted to hear your back is keeping you so busy.", "My back has been in agony for weeks and I'm scared it's something serious."],
  ] as const) {
    assert.deepEqual(kindWords(text, prompt), [], text);
  }
  // Mock sympathy does not outscore a plain kind answer to the same person.
  const plain = read('Reading the label each time helps, and the pharmacist can print a larger one for you.', trivial).scores.tone;
  assert.ok(read('Oh you poor thing, how awful for you to have to read a label.', trivial).scores.tone < plain);
  // Sincere: sympathy to someone in distress (and with no prompt known), sympathy beside an acknowledgement elsewhere, delight at good news,
  // praise beside warmth, plain kind answers that say "oh" or "poor".
  const grief = 'My mum died last night and I cannot stop crying.';
  for (const [text, prompt] of [
    ['Oh, you poor love, that is a terrible shock.', grief],
    ['You poor thing. Is there someone who can be with you tonight?', grief],
    ['You poor thing, what a night.', undefined],
    ['Oh you poor thing. That sounds awful, and it makes sense you are worn out.', trivial],
    ["I'm delighted to hear the scan was clear. Enjoy the evening.", 'Good news, my scan was clear!'],
    ['Such dedication. She is so lucky to have you, and I hope you get a break soon.', undefined],
    ['Well done, you finally got through to them after all those calls.', undefined],
    ['Oh, that sounds exhausting. Poor sleep makes everything harder.', 'I have not slept properly in weeks and I am exhausted.'],
    ['The poor man must have had a fright. A falls assessment from his GP can help.', 'My dad had a fall yesterday and I am so worried about him.'],
  ] as const) {
    assert.notDeepEqual(kindWords(text, prompt), [], text);
  }
  // A reflection of the person's own words is no mock praise: it takes nothing back ("An hour ago, and you're still in the car park.").
  const shaking = "Got told an hour ago and I'm sat in the car park and can't stop shaking.";
  assert.ok(read("An hour ago, and you're still sitting in the car park. Is there someone who can come and be with you?", shaking).scores.empathy > 0.4);
  // "if you don't mind me asking" is courtesy, not mock patience.
  assert.deepEqual(putDowns("What was that time like for you, if you don't mind me asking?"), []);
});
