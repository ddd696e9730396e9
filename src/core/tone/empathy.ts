/**
 * Empathy in three mechanisms, after the EPITOME framework (Sharma et al., 2020): emotional
 * reactions, interpretations and explorations. Each lexicon match starts from its group's weight
 * (the strength of its usual form) and is graded by what surrounds it: an intensifier ("so
 * sorry"), words addressed to the reader, a feeling named in the same sentence (more when it is
 * the feeling the prompt expressed), words taken from the prompt, a place near the start (an
 * acknowledgement belongs before the advice) and how specific the sentence is. Matches of one
 * mechanism combine as 1 − Π(1 − wᵢ): each adds, none reaches 1 alone. Two sentence-level rules
 * find what phrase lists cannot: a question to the reader about their feelings is an
 * exploration, and a feeling named in a statement to the reader ("that guilt is getting in the
 * way of what you need") an interpretation.
 */
import { lexicon, Mechanism, MECHANISMS, WORD_AMBIGUOUS_FEELING, WORD_DISCOURSE, WORD_CONDITION, WORD_FRAME_LINK, WORD_INTENSIFIER, WORD_NEGATOR, WORD_SITUATIONAL, WORD_YOU } from './lexicon';
import { readAttention } from './attention';
import { PromptReading, promptOwnWord, promptWord, stampedWord } from './prompt';
import { FLAG_PAUSE_AFTER, WordTable } from './words';
import { IdSet, WordSet } from './vocab';

/** Local copies of flag bits read once per word (an imported binding can cost a property read each time). */
const YOU = WORD_YOU;
const CONDITION = WORD_CONDITION;

/** A feeling word found in a response: first token, family, intensity. */
export interface NamedFeeling {
  from: number;
  family: number;
  intensity: number;
}

/** One piece of empathy evidence before grading: token range, mechanism, base weight, category. */
export interface EmpathyEvidence {
  from: number;
  to: number;
  mechanism: Mechanism;
  weight: number;
  category: string;
}

export interface MechanismScores {
  reactions: number;
  interpretations: number;
  explorations: number;
}

export interface EmpathyResult extends MechanismScores {
  /** The graded strength of each piece of evidence, in order. */
  strengths: number[];
  /** Bit mask of the feeling families the response names (outside orders and negations). */
  named: number;
  /** Bit mask of the named families that the prompt expressed too. */
  echoed: number;
  /** Sentence-level evidence found by the two rules (added to the caller's list). */
  extra: EmpathyEvidence[];
  /** The weak layer of attention to the person (attention.ts), per mechanism: not in the three figures above. */
  attention: MechanismScores;
}

/** Grading steps (see the module comment). */
const INTENSIFIED = 0.05;
const ADDRESSED_BONUS = 0.04;
const NAMES_FEELING = 0.06;
const NAMES_ACUTE = 0.02;
const ECHOES_FAMILY = 0.05;
const ECHOES_WORDS = 0.03;
const EARLY = 0.02;
const SPECIFIC_PER_WORD = 0.01;
const SPECIFIC_MAX = 0.04;
const MAX_STRENGTH = 0.75;
/** Evidence this strong or stronger gets the full grading bonus; fainter evidence a share of it. */
const FULL_BONUS_WEIGHT = 0.3;
/** This many questions or more make a response a list of questions, whose explorations do not count: they are asked of someone else, or they gather facts. */
const LISTED_QUESTIONS = 3;
/** Weights of the two sentence-level rules. */
const QUESTION_EXPLORATION = 0.36;
/** A question about how someone close to the reader is or was ("What was he like?"). */
const OTHER_EXPLORATION = 0.3;
const NAMED_INTERPRETATION = 0.25;
/** A statement about what the reader has been going through or doing ("you've been carrying this", "you're juggling a lot"): an interpretation of their situation. */
const READER_INTERPRETATION = 0.3;
/** A feeling or a way of reacting called acceptable ("crying is totally ok", "it's normal to feel like this"). */
const VALIDATION = 0.3;
/** The speaker's perception of how hard something is ("... sounds exhausting", "that must have felt so lonely"), whatever the subject. */
const PERCEIVED_REACTION = 0.35;

/** The structural reading of a sentence about the person (aboutPerson), weighted by how directly it addresses them: "you" as a subject, "you" or "your" elsewhere, or only the prompt's own words taken up. */
const PERSON_SUBJECT = 0.2;
/** A question about who is with the reader: weak on its own (it breaks a tie; it does not make a reply kind). */
const COMPANY_EXPLORATION = 0.16;
/** What the situation is perceived doing to the reader, without a feeling or hardship word ("sounds like it's costing you a great deal"): weak. */
const PERCEIVED_EFFECT = 0.16;
const PERSON_ADDRESSED = 0.16;
const PERSON_ECHO = 0.12;
/** Graded, it stays below what lifts a reply past the empathy rule's threshold alone: it tells two replies apart, it does not make a cold one kind. */
const PERSON_MAX = 0.24;
export const ABOUT_PERSON = 'about-person';

/** Words that put a feeling word in a feeling frame ("to feel judged", "feeling mortified", "being frightened"). */
const FEELING_FRAMES = new Set(['feel', 'feeling', 'feels', 'felt', 'being']);

/** Modal verbs and their kin: a sentence holding one advises, predicts or informs ("you could record", "it may help", "you will need"), it is not about the person. */
const MODALS = new Set(['can', 'could', 'may', 'might', 'should', 'would', 'will', 'shall', 'must', 'need', 'needs', 'ought', 'cannot']);
/** Words after which "you" is the subject of a clause ("and you miss him", "It's like you're ..."). */
const CLAUSE_OPENERS = new Set(['and', 'but', 'so', 'because', 'while', 'when', 'like', 'that', 'as', 'though', 'although', 'yet', 'if', 'how', 'even']);
/** Words after a word for hardship that leave it said of the situation ("hard to watch", "tough for you", "rough when ..."). */
const HARDSHIP_LINKS = new Set(['to', 'for', 'when', 'and', 'but', 'on', 'with', 'at', 'as', 'right', 'too', 'though']);
/** Words that blame, counted as reassurance only when denied ("none of this is your fault", "no one could blame you"). */
const BLAME_WORDS = new Set(['fault', 'blame']);

/** Modals that may say what a situation feels like ("can feel like", "may seem like"; not "can feel very physical", a fact), and the verbs after them. */
const FEELING_MODALS = new Set(['can', 'could', 'may', 'might']);
const SEEMING = new Set(['feel', 'seem']);

/** Whether a negator stands within the four words before token `k` (not before `from`): "not from doing wrong", "nothing wrong". */
function deniedNear(t: WordTable, k: number, from: number): boolean {
  const vocab = lexicon().vocab;
  for (let j = Math.max(from, k - 4); j < k; j++) if (vocab.flags[t.tokens[j]] & WORD_NEGATOR || vocab.word(t.tokens[j]) === 'nothing') return true;
  return false;
}

/**
 * A sentence about the person rather than about the task, read from its structure when no listed
 * phrase or sentence rule read it: a statement addressed to the reader (`addressed`) or taking up
 * the words of a prompt that shows distress (the caller's test), which neither instructs nor informs (no modal verb, no
 * number, no judgement; the caller has left out orders, put-downs, questions and cases) and holds
 * a word of the person's inner life: a distress feeling word (`feelingWord`, negated or not), a
 * word for hardship (not denied, not a quantity: "a lot of"), or a word of empathy.json `personal`
 * ("your whole heart wants to be at her bedside", "You miss him, even while he is right there",
 * "Being far away doesn't make you a bad daughter"). Returns the weight by how directly it
 * addresses them (PERSON_*), or 0. Reads each word of the sentence once.
 */
function aboutPerson(t: WordTable, s: number, addressed: boolean, feelingWord: boolean): number {
  const lex = lexicon();
  const vocab = lex.vocab;
  const { words, ofPersons, lengths, stretches, persons, notAfter, informs } = lex.personal;
  const sent = t.sentences[s];
  let personal = feelingWord;
  let subject = false;
  let denied = false;
  for (let k = sent.firstToken; k < sent.endToken; k++) {
    const id = t.tokens[k];
    const w = vocab.word(id);
    const c = w.charCodeAt(0);
    // "can feel like breaking a promise": a modal of what the situation feels like, with "like", is no advice; "not from doing wrong": a judgement denied is no judgement.
    if (MODALS.has(w) && !(FEELING_MODALS.has(w) && k + 2 < sent.endToken && SEEMING.has(vocab.word(t.tokens[k + 1])) && vocab.word(t.tokens[k + 2]) === 'like')) return 0;
    if (informs.has(id) || (c >= 48 && c <= 57) || (JUDGEMENT_WORDS.has(w) && w !== 'too' && w !== 'fault' && !deniedNear(t, k, sent.firstToken))) return 0;
    const f = vocab.flags[id];
    if (f & WORD_NEGATOR || w === 'none' || w === 'nobody') denied = true;
    if (w === 'you' && (k === sent.firstToken || t.flags[k - 1] & FLAG_PAUSE_AFTER || CLAUSE_OPENERS.has(vocab.word(t.tokens[k - 1])) || vocab.flags[t.tokens[k - 1]] & WORD_DISCOURSE)) subject = true;
    if (personal) continue;
    const next = k + 1 < sent.endToken ? t.tokens[k + 1] : -1;
    if (next >= 0 && notAfter.has(next)) continue;
    if (words.has(id)) personal = !BLAME_WORDS.has(w) || denied;
    else if (ofPersons.has(id)) personal = next >= 0 && persons.has(next);
    // A stretch of life called long, closing its clause or going on to "for" ("a long day for both of you", "it's been a long week"; not "a long time for the results").
    else if (lengths.has(id) && next >= 0 && stretches.has(next)) personal = k + 2 >= sent.endToken || (t.flags[k + 1] & FLAG_PAUSE_AFTER) !== 0 || vocab.word(t.tokens[k + 2]) === 'for';
    // A word for hardship said of the situation: closing its clause or before what it qualifies ("it's heavy, this stuff", "a rough patch", "hard for you"), not before a thing ("the grim reaper") and not denied ("it isn't painful").
    else if (lex.hardship.has(id) && (next < 0 || t.flags[k] & FLAG_PAUSE_AFTER || SITUATIONS.has(vocab.word(next)) || HARDSHIP_LINKS.has(vocab.word(next)))) personal = !(k > sent.firstToken && vocab.flags[t.tokens[k - 1]] & WORD_NEGATOR) && !(k - 1 > sent.firstToken && vocab.flags[t.tokens[k - 2]] & WORD_NEGATOR);
  }
  if (!personal) return 0;
  if (!addressed) {
    // Not addressed, it must be about the person's situation, not describe a thing: "The pain comes from ...", "The exercises stopped" and "Sundowning is when ..." inform.
    const k = afterOpeners(t, s);
    if (ARTICLES.has(vocab.word(t.tokens[k]))) return 0;
    for (let j = k + 1; j < sent.endToken - 1; j++) if (BE_FORMS.has(vocab.word(t.tokens[j])) && vocab.word(t.tokens[j + 1]) === 'when') return 0;
  }
  return subject ? PERSON_SUBJECT : addressed ? PERSON_ADDRESSED : PERSON_ECHO;
}

/** Verbs between a situation taken up and its weight ("... is a long haul", "... leaves almost no time"). */
const WEIGHING = new Set(['is', 'are', 'was', 'were', 'leaves']);
/** Words of size before a load ("a big load", "a great deal", "a real strain"). */
const SIZES = new Set(['big', 'great', 'huge', 'real', 'heavy', 'long', 'massive', 'hefty']);
/** Words after a load that say it is more or less of something else, not a weight ("a great deal better", "a lot more"). */
const COMPARING = new Set(['more', 'less', 'better', 'worse', 'easier', 'harder', 'of', 'than']);
/** Words after "for" that make a weight one that a person bears ("a lot for anyone", "too much for one person"). */
const BEARERS = new Set(['anyone', 'anybody', 'someone', 'somebody', 'one', 'both', 'any', 'a', 'an', 'him', 'her', 'them', 'me', 'us']);
/** How many words the situation taken up may hold before its verb. */
const SITUATION_REACH = 30;

/**
 * Whether statement `s` weighs the person's situation: its subject, before "is", "are", "was" or
 * "leaves" (or "that's" after a pause), takes up two or more of the prompt's content words
 * (`stamp`) and is no person ("he", "you"), and what follows the verb, after articles,
 * intensifiers and a word of size, is a weight: a word for hardship, a stretch called long ("a
 * long haul"), "too much" or "so much", or a word of empathy.json `personal.loads` ("a big load",
 * "a great deal landing on you"), closing its clause or going on to "to", "for", "on" or a verb in
 * -ing. Not denied ("isn't a big deal", "is no great strain"), not compared ("a great deal
 * better", "a lot of sugar"), and no modal or belittling word after the verb. The caller asks for
 * a sentence that takes up the prompt's words and that no other reading credited.
 */
function weighsSituation(t: WordTable, s: number, stamp: number): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const { loads, lengths, stretches } = lex.personal;
  const sent = t.sentences[s];
  const first = afterOpeners(t, s);
  if (PERSONS.has(vocab.word(t.tokens[first]))) return false;
  let pivot = -1;
  let echoes = 0;
  let last = -1;
  for (let k = first; k < sent.endToken && k - first <= SITUATION_REACH; k++) {
    const id = t.tokens[k];
    const w = vocab.word(id);
    if (k > first && WEIGHING.has(w)) {
      pivot = k;
      break;
    }
    // "Yesterday's news ... and two teenagers to tell: that's a great deal": the weight after a pause, on "that".
    if (k > first && t.flags[k - 1] & FLAG_PAUSE_AFTER && (w === "that's" || w === 'thats' || (w === 'that' && k + 1 < sent.endToken && SITUATION_BE.has(vocab.word(t.tokens[k + 1]))))) {
      pivot = w === 'that' ? k + 1 : k;
      break;
    }
    if (stampedWord(stamp, id) && id !== last) {
      echoes++;
      last = id;
    }
  }
  if (pivot < 0 || echoes < 2 || negatedAfter(t, pivot, sent.endToken)) return false;
  let k = pivot + 1;
  while (k < sent.endToken && (vocab.flags[t.tokens[k]] & WORD_INTENSIFIER || ARTICLE_LIKE.has(vocab.word(t.tokens[k])) || MUCH_DEGREE.has(vocab.word(t.tokens[k])) || (SIZES.has(vocab.word(t.tokens[k])) && !(lengths.has(t.tokens[k]) && k + 1 < sent.endToken && stretches.has(t.tokens[k + 1]))))) {
    if (vocab.flags[t.tokens[k]] & WORD_NEGATOR) return false;
    k++;
  }
  if (k >= sent.endToken) return false;
  const id = t.tokens[k];
  const w = vocab.word(id);
  let head = k;
  if (lengths.has(id) && k + 1 < sent.endToken && stretches.has(t.tokens[k + 1])) head = k + 1;
  else if (w === 'much') {
    if (!MUCH_DEGREE.has(vocab.word(t.tokens[k - 1]))) return false;
  } else if (!loads.has(id) && !lex.hardship.has(id)) return false;
  for (let j = pivot + 1; j < sent.endToken; j++) if (MODALS.has(vocab.word(t.tokens[j])) || BELITTLING.has(vocab, t.tokens[j])) return false;
  if (head + 1 >= sent.endToken || t.flags[head] & FLAG_PAUSE_AFTER) return true;
  const next = vocab.word(t.tokens[head + 1]);
  if (COMPARING.has(next) || next.endsWith('er')) return false;
  // "too much to ask", "a big load for anyone", "landing on you"; not "too much for his teeth".
  if (next === 'for') return head + 2 < sent.endToken && ((vocab.flags[t.tokens[head + 2]] & YOU) !== 0 || BEARERS.has(vocab.word(t.tokens[head + 2])));
  return next === 'to' || next === 'on' || verbForm(next, 'ing');
}

/** Whether a condition word (if, unless, when, because ...) or a modal verb ("Talking with her about how you're both doing can help") stands in tokens [from, to): a clause that states a case or advises. */
function conditionIn(t: WordTable, from: number, to: number): boolean {
  const vocab = lexicon().vocab;
  for (let k = from; k < to; k++) if (vocab.flags[t.tokens[k]] & CONDITION || MODALS.has(vocab.word(t.tokens[k]))) return true;
  return false;
}

/** The empathy.json category of "in your position", "anyone in your situation would" (and of other acknowledgements). */
const ACKNOWLEDGE = 'acknowledge';
/** Nouns for the reader's place in "in your position". */
const PLACES = new Set(['position', 'situation', 'shoes', 'place']);

/** Whether evidence `e` is "in your position" (situation, shoes, place), with or without "anyone ... would". */
function placesReader(t: WordTable, e: EmpathyEvidence): boolean {
  const vocab = lexicon().vocab;
  for (let k = e.from + 1; k < e.to; k++) if (PLACES.has(vocab.word(t.tokens[k])) && vocab.word(t.tokens[k - 1]) === 'your') return true;
  return false;
}

/** Whether sentence `s` generalises: it holds a word of empathy.json `personal.informs` ("most", "lots", "people", "usually"). */
function generalises(t: WordTable, s: number): boolean {
  const informs = lexicon().personal.informs;
  const sent = t.sentences[s];
  for (let k = sent.firstToken; k < sent.endToken; k++) if (informs.has(t.tokens[k])) return true;
  return false;
}

/** Verbs for taking in news ("sad to hear", "sorry to read"). */
const NEWS_VERBS = new Set(['hear', 'know', 'read', 'learn', 'see']);

/** Articles: a linking word for a chain of modifiers ("a bit low"), but right before an ambiguous feeling word they make it describe a thing. */
const ARTICLES = new Set(['a', 'an', 'the']);
/** Before the person's own word for their state, taken up as a thing: "the shaking", "your tears". */
const TAKEN_UP = new Set(['the', 'your', 'that', 'this', 'all']);
/** Before a feeling noun, words that point at the feeling the person showed ("that guilt", "your fear"). */
const POINTING = new Set(['that', 'this', 'your']);

/** Verbs of asking and knowing after which "if" means "whether" ("asking if you were broken", "wonder if", "not sure if"). */
const ASKING = new Set(['ask', 'asks', 'asked', 'asking', 'wonder', 'wonders', 'wondered', 'wondering', 'know', 'knows', 'knew', 'sure', 'unsure', 'see', 'saw', 'check', 'checked', 'checking', 'tell', 'told', 'decide', 'deciding', 'question', 'questioning', 'doubt', 'doubting']);
/** Conditions that state a case rather than a time or a reason ("when you were hoping", "because you care" are not cases). */
const CASE_WORDS = new Set(['if', 'unless', 'whenever']);

/** Words that ask about the person's inner state in a question ("are you coping?"). */
const STATE_WORDS = new Set(['feel', 'feeling', 'feelings', 'coping', 'cope', 'holding', 'managing', 'doing', 'sleeping', 'sleep', 'finding', 'worrying', 'bearing']);

/** The first token of sentence `s` after its opening discourse words and words set off by a comma ("Honestly, mate, I would ..."); its last token at most. */
function afterOpeners(t: WordTable, s: number): number {
  const flags = lexicon().vocab.flags;
  const sent = t.sentences[s];
  let k = sent.firstToken;
  while (k < sent.endToken - 1 && (flags[t.tokens[k]] & WORD_DISCOURSE || t.flags[k] & FLAG_PAUSE_AFTER)) k++;
  return k;
}

/** Verbs of suggesting a remedy, after which a state word is the remedy ("Have you tried sleeping?", "have you considered resting?"). */
const TRYING = new Set(['tried', 'try', 'considered', 'consider']);

/** Per-sentence facts, in one reused buffer (analyses never nest): FACTS bytes per sentence (`facts[s * FACTS + ADDRESSED]`, ...). */
let facts = new Uint8Array(1024);
/** Per token, whether a feeling word of any family starts there (for the attention layer; reused like `facts`). */
let feelingAt = new Uint8Array(64);
/** 0 not read yet, 2 read and not addressed to the reader, 3 addressed (see readSentence). */
const ADDRESSED = 0;
/** The strongest feeling named in the sentence: its family and intensity. */
const NAMED_FAMILY = 1;
const NAMED_INTENSITY = 2;
/** The sentence carries lexicon evidence already. */
const HAS_EVIDENCE = 3;
/** A feeling named in a feeling frame ("to feel judged", "feeling mortified is ...", "being frightened of ..."). */
const FRAMED_FEELING = 4;
const CONDITIONAL = 5;
/** The sentence takes up words of the prompt. */
const ECHOES_PROMPT = 6;
/** A feeling of the person named (not only a situation described as "exhausting"): what the sentence-level rules need. */
const NAMED_PERSON = 7;
/** The sentence states a case ("if", "unless", "whenever"): a feeling named there is a case of the advice. */
const CASE = 8;
/** An affect verb stands before "you" ("it shook you", "weighing on you"): affectsReader may read the sentence. */
const AFFECTED = 9;
/** A distress feeling word of emotions.json stands in the sentence, negated or not ("doesn't make you a failure"), unless it is ambiguous and not read as a feeling ("low blood sugar"). */
const FEELING_WORD = 10;
const FACTS = 11;
const NONE: EmpathyResult = Object.freeze({ reactions: 0, interpretations: 0, explorations: 0, strengths: [], named: 0, echoed: 0, extra: [], attention: { reactions: 0, interpretations: 0, explorations: 0 } }) as EmpathyResult;

export function scoreEmpathy(t: WordTable, evidence: EmpathyEvidence[], feelings: readonly NamedFeeling[], imperative: (sentence: number) => boolean, prompt?: PromptReading, advisedOnly?: (sentence: number) => boolean): EmpathyResult {
  const lex = lexicon();
  const vocab = lex.vocab;
  const flags = vocab.flags;
  const sentenceCount = t.sentences.length;
  let questions = 0;
  for (const sent of t.sentences) if (sent.question) questions++;
  if (!evidence.length && !feelings.length && !questions && !mayAcknowledge(t, flags)) return NONE;
  // The word-level facts (addressed, conditional, echoing the prompt) are read only for the sentences that need them.
  const size = FACTS * sentenceCount;
  if (facts.length < size) facts = new Uint8Array(Math.max(size, 2 * facts.length));
  const r = facts;
  r.fill(0, 0, size);
  const promptFresh = prompt && prompt.generation === vocab.generation ? prompt : undefined;
  // The prompt's content words are read by their stamp, once the reading is known to be fresh.
  const stamp = promptFresh ? promptFresh.stamp : 0;
  const readSentence = (s: number) => {
    if (r[s * FACTS + ADDRESSED] & 2) return;
    r[s * FACTS + ADDRESSED] = 2;
    const sent = t.sentences[s];
    for (let i = sent.firstToken; i < sent.endToken; i++) {
      const f = flags[t.tokens[i]];
      if (f & YOU) {
        r[s * FACTS + ADDRESSED] = 3;
        // An affect verb just before "you" (or before "on"/"at" and "you"): what affectsReader reads, only where it may be.
        if (i > sent.firstToken && (AFFECT_WORDS.has(vocab.word(t.tokens[i - 1])) || (i - 1 > sent.firstToken && AFFECT_PARTICLES.has(vocab.word(t.tokens[i - 1])) && AFFECT_WORDS.has(vocab.word(t.tokens[i - 2]))))) r[s * FACTS + AFFECTED] = 1;
      }
      if (f & CONDITION) {
        const w = vocab.word(t.tokens[i]);
        // "you shout because you are exhausted": the reader's own state given as the reason is no condition on the advice
        // ("because people go quiet out of fear of upsetting you" names someone else's feeling, and stays conditional).
        if (w !== 'because' || i + 1 >= sent.endToken || vocab.word(t.tokens[i + 1]) !== 'you') r[s * FACTS + CONDITIONAL] = 1;
        // "your daughter asking if you were broken", "I wonder if ...": after a verb of asking or knowing, "if" is "whether", no case (it still conditions what the sentence names).
        if (CASE_WORDS.has(w) && !(w === 'if' && i > sent.firstToken && ASKING.has(vocab.word(t.tokens[i - 1])))) r[s * FACTS + CASE] = 1;
      }
      if (promptFresh && stampedWord(stamp, t.tokens[i])) r[s * FACTS + ECHOES_PROMPT] = 1;
    }
  };
  let named = 0;
  let echoed = 0;
  namedAt.length = 0;
  for (const feeling of feelings) {
    const s = t.sentence[feeling.from];
    if (!lex.families[feeling.family]?.distress) continue;
    if (!(flags[t.tokens[feeling.from]] & WORD_AMBIGUOUS_FEELING)) r[s * FACTS + FEELING_WORD] = 1;
    // The word before the feeling word, when it is in the same sentence (-1 otherwise).
    const before = feeling.from > 0 && t.sentence[feeling.from - 1] === s ? t.tokens[feeling.from - 1] : -1;
    // "don't worry", "no need to be scared", "Don't be scared." name a feeling to wave it away.
    const negated = before >= 0 && negatorNear(t, feeling.from);
    if (negated || imperative(s)) continue;
    // "If the loneliness stays heavy, ...": a feeling named in a condition is a case of the advice, not an acknowledgement.
    readSentence(s);
    if (r[s * FACTS + CASE]) continue;
    // "sit down", "low blood sugar": an ambiguous word names a feeling only after a linking word ("you must feel low", "so down"),
    // and not right after an article, where it describes a thing ("a blue badge", "a broken wrist", "the lost keys").
    // "what worries you most": a feeling word with the reader as its object names the reader's feeling.
    const after = feeling.from + 1 < t.n && t.sentence[feeling.from + 1] === s ? t.tokens[feeling.from + 1] : -1;
    // "I can hear the fear", "I can see the worry": after a verb of perceiving and an article, the word is the feeling perceived.
    if (flags[t.tokens[feeling.from]] & WORD_AMBIGUOUS_FEELING && !(before >= 0 && flags[before] & WORD_FRAME_LINK && !ARTICLES.has(vocab.word(before))) && !(after >= 0 && vocab.word(after) === 'you' && !hedgedAffect(t, feeling.from)) && !perceivedFeeling(t, feeling.from, before)) {
      // "the shaking is your body catching up": the person's own word for their state, taken up as the subject of "is" after "the" or "your", is a word of their inner life for the structural reading (aboutPerson), not a named feeling.
      if (promptFresh && promptFresh.families & (1 << feeling.family) && before >= 0 && after >= 0 && !(t.flags[feeling.from] & FLAG_PAUSE_AFTER) && !(flags[after] & WORD_NEGATOR)) {
        // After "that", "this" or "your" the word points at the feeling the person showed ("that guilt comes from how much you care"); after "the" it must be their own word, as the subject of "is".
        const pointed = POINTING.has(vocab.word(before)) && !(feeling.from + 2 < t.n && flags[t.tokens[feeling.from + 2]] & WORD_NEGATOR);
        const taken = TAKEN_UP.has(vocab.word(before)) && stampedWord(stamp, t.tokens[feeling.from]) && SITUATION_BE.has(vocab.word(after)) && !(feeling.from + 2 < t.n && flags[t.tokens[feeling.from + 2]] & WORD_NEGATOR);
        if (pointed || taken) r[s * FACTS + FEELING_WORD] = 1;
      }
      continue;
    }
    named |= 1 << feeling.family;
    namedAt.push(feeling.from);
    r[s * FACTS + FEELING_WORD] = 1;
    if (!(flags[t.tokens[feeling.from]] & WORD_SITUATIONAL)) r[s * FACTS + NAMED_PERSON] = 1;
    if (before >= 0 && FEELING_FRAMES.has(vocab.word(before))) r[s * FACTS + FRAMED_FEELING] = 1;
    // "sad to hear this", "heartbroken to read that": the speaker's feeling at the news is a reaction to it.
    if (after >= 0 && vocab.word(after) === 'to' && feeling.from + 2 < t.n && t.sentence[feeling.from + 2] === s && NEWS_VERBS.has(vocab.word(t.tokens[feeling.from + 2]))) r[s * FACTS + FRAMED_FEELING] = 1;
    if (promptFresh && promptFresh.families & (1 << feeling.family)) echoed |= 1 << feeling.family;
    if (feeling.intensity > r[s * FACTS + NAMED_INTENSITY] || (promptFresh && promptFresh.families & (1 << feeling.family))) {
      r[s * FACTS + NAMED_FAMILY] = feeling.family;
      r[s * FACTS + NAMED_INTENSITY] = Math.max(r[s * FACTS + NAMED_INTENSITY], feeling.intensity);
    }
  }
  for (const e of evidence) r[t.sentence[e.from] * FACTS + HAS_EVIDENCE] = 1;

  // The sentence-level rules.
  const extra: EmpathyEvidence[] = [];
  /** Credits sentence `s` (up to token `to`) as evidence of `mechanism`. */
  const credit = (s: number, mechanism: Mechanism, weight: number, category: string, to = t.sentences[s].endToken): void => {
    extra.push({ from: t.sentences[s].firstToken, to, mechanism, weight, category });
  };
  for (let s = 0; s < sentenceCount; s++) {
    if (r[s * FACTS + HAS_EVIDENCE]) {
      // A sentence whose listed evidence is all faint ("is very common in") may still validate, by its shape, the feeling it names ("That unreal feeling is very common in the first days").
      // Only when the sentence opens on the feeling, pointed at ("that", "your"): information about a condition that mentions a feeling ("Following someone is common in dementia, and often comes from feeling anxious") stays information.
      if (faintOnly(evidence, t, s) && opensOnPointedFeeling(t, s) && !t.sentences[s].question && !imperative(s)) {
        readSentence(s);
        if (!r[s * FACTS + CASE] && validatesFeeling(t, s, false, stamp)) credit(s, 'interpretations', VALIDATION, 'validates-feeling');
      }
      continue;
    }
    // "Don't worry about saying the wrong thing" to "I'm afraid I'll say the wrong thing": the worry the person voiced, taken up in their words, answered.
    if (promptFresh?.distress && !t.sentences[s].question && answersWorry(t, s, stamp)) {
      credit(s, 'interpretations', VALIDATION, 'answers-worry');
      continue;
    }
    if (imperative(s)) {
      // Advice run on after an acknowledgement ("Is very difficult situation, you must take rest"): the opening clause is read on its own.
      const sent = t.sentences[s];
      let end = sent.firstToken;
      while (end < sent.endToken - 1 && !(t.flags[end] & FLAG_PAUSE_AFTER)) end++;
      end++;
      if (advisedOnly?.(s) && end < sent.endToken && !sent.question && mentionsHardship(t, s, end) && (perceivesHardship(t, s, false, end) || namesHardTime(t, s, end) || opensOnHardship(t, s, end) || endsOnHardship(t, s, end))) {
        credit(s, 'reactions', PERCEIVED_REACTION, 'perceives-hardship', end);
      }
      continue;
    }
    // "Checking on her all night sounds exhausting", "it sounds like whatever it is feels very hard to say": the speaker perceives how hard it is, whatever the subject.
    readSentence(s);
    const named = r[s * FACTS + NAMED_FAMILY] > 0;
    if (!t.sentences[s].question && !r[s * FACTS + CASE] && (named || mentionsHardship(t, s)) && (perceivesHardship(t, s, named) || namesHardTime(t, s) || opensOnHardship(t, s) || endsOnHardship(t, s) || endsOnHardship(t, s, firstClauseEnd(t, s)))) {
      credit(s, 'reactions', PERCEIVED_REACTION, 'perceives-hardship');
      continue;
    }
    // "Oof, what a juggle.", "What a week.": a verbless exclamation about what the person told is the speaker's reaction to it.
    if (!t.sentences[s].question && exclaimsWhatA(t, s, r[s * FACTS + NAMED_PERSON] > 0)) {
      credit(s, 'reactions', PERCEIVED_REACTION, 'perceives-hardship');
      continue;
    }
    // "I'd like to know how you yourself are coping", "I wonder how you're holding up": a question about the reader's state, put as a statement.
    if (!t.sentences[s].question && r[s * FACTS + ADDRESSED] === 3 && asksStateIndirectly(t, s)) {
      credit(s, 'explorations', QUESTION_EXPLORATION, 'exploration');
      continue;
    }
    // "I can tell the scolding is wearing you down", "it shook you": what acts on the reader's feelings, said of them.
    if (!t.sentences[s].question && !r[s * FACTS + CASE] && r[s * FACTS + AFFECTED] && affectsReader(t, s)) {
      credit(s, 'interpretations', READER_INTERPRETATION, 'reflects-reader');
      continue;
    }
    // "Holding this back sounds like it's costing you a great deal": the speaker perceives what the situation is doing to the reader.
    if (!t.sentences[s].question && !r[s * FACTS + CASE] && r[s * FACTS + ADDRESSED] === 3 && perceivesEffect(t, s)) {
      credit(s, 'interpretations', PERCEIVED_EFFECT, ABOUT_PERSON);
      continue;
    }
    // "Crying is totally ok", "normal to feel like this": a reaction called acceptable validates it, whatever the formula.
    if (!t.sentences[s].question && !r[s * FACTS + CASE] && validatesFeeling(t, s, named, stamp)) {
      credit(s, 'interpretations', VALIDATION, 'validates-feeling');
      continue;
    }
    // "I'd have cried in the car too", "That look would stay with me too": the speaker shares the reaction to what the person told.
    if (!t.sentences[s].question && !r[s * FACTS + CASE] && r[s * FACTS + ECHOES_PROMPT] && sharesReaction(t, s)) {
      credit(s, 'reactions', PERCEIVED_REACTION, 'perceives-hardship');
      continue;
    }
    // "You're her mum.": to someone in distress, the role they doubt given back to them in their own word.
    if (promptFresh?.distress && !t.sentences[s].question && affirmsRole(t, s, stamp)) {
      credit(s, 'interpretations', READER_INTERPRETATION, 'reflects-reader');
      continue;
    }
    // "Wondering whether you can do this is not weakness", "not a sign you're a bad person": a self-judgement denied, in reply to someone in distress, answers it.
    // Without distress read in the prompt, the judgement denied must be in the person's own words ("Felt like a proper crap dad." ... "doesn't make you a bad dad").
    if (promptFresh && !t.sentences[s].question && !r[s * FACTS + CASE] && deniesJudgement(t, s, stamp, !promptFresh.distress)) {
      credit(s, 'interpretations', VALIDATION, 'answers-judgement');
      continue;
    }
    if (!t.sentences[s].question && !r[s * FACTS + NAMED_PERSON]) {
      // Whatever its words, a statement about the reader's effort, situation or experience interprets it; a judgement of them does not.
      readSentence(s);
      const sent = t.sentences[s];
      if (!sent.question && !r[s * FACTS + CONDITIONAL] && r[s * FACTS + ADDRESSED] === 3 && describesReader(t, sent.firstToken, sent.endToken)) {
        credit(s, 'interpretations', READER_INTERPRETATION, 'reflects-reader');
      } else if (!sent.question && r[s * FACTS + CONDITIONAL] && r[s * FACTS + ADDRESSED] === 3) {
        // "You're carrying his secret, the clinic trips ...; it may help ..., even if he isn't ready": a condition in a later clause conditions the advice there, not an opening clause with the reader as its subject.
        const end = firstClauseEnd(t, s);
        if (end < sent.endToken && vocab.word(t.tokens[afterOpeners(t, s)]) === 'you' && !conditionIn(t, sent.firstToken, end) && describesReader(t, sent.firstToken, end)) credit(s, 'interpretations', READER_INTERPRETATION, 'reflects-reader', end);
      }
      continue;
    }
    readSentence(s);
    // "What was he like?", "How is she doing?": a question about the person someone loves invites them to talk about it.
    if (t.sentences[s].question && r[s * FACTS + ADDRESSED] !== 3 && asksAboutSomeone(t, s)) {
      credit(s, 'explorations', OTHER_EXPLORATION, 'exploration');
      continue;
    }
    // "Is anyone there with you until your sister lands?", "Who's with you tonight?": asking who is by the person is asking after them.
    if (t.sentences[s].question && asksCompany(t, s)) {
      credit(s, 'explorations', COMPANY_EXPLORATION, ABOUT_PERSON);
      continue;
    }
    // "What's made it feel so hard lately?", "What is it about needles that frightens you most?", "Who's looking out for you in all this?": an open question about the reader's experience.
    if (t.sentences[s].question && (asksExperience(t, s, r[s * FACTS + ADDRESSED] === 3) || asksHowAreYou(t, s))) {
      credit(s, 'explorations', QUESTION_EXPLORATION, 'exploration');
      continue;
    }
    // "I'd be furious too", "I would be terrified": the speaker feels it with them, by imagining themselves in it.
    if (!t.sentences[s].question && !r[s * FACTS + CASE] && imaginesSame(t, s)) {
      credit(s, 'reactions', PERCEIVED_REACTION, 'perceives-hardship');
      continue;
    }
    if (r[s * FACTS + ADDRESSED] !== 3 && !r[s * FACTS + FRAMED_FEELING]) continue;
    const sent = t.sentences[s];
    if (sent.question && r[s * FACTS + ADDRESSED] === 3) {
      let asksState = r[s * FACTS + NAMED_PERSON] > 0;
      // "Have you tried sleeping?", "Have you tried simply not worrying about it?": a state word after "tried" suggests the obvious; it asks nothing about the reader.
      let trying = false;
      for (let k = sent.firstToken; k < sent.endToken && !asksState && !trying; k++) {
        const w = vocab.word(t.tokens[k]);
        trying = TRYING.has(w);
        asksState = STATE_WORDS.has(w);
      }
      if (asksState) credit(s, 'explorations', QUESTION_EXPLORATION, 'exploration');
    } else if (r[s * FACTS + NAMED_PERSON] && !r[s * FACTS + CONDITIONAL] && !sent.question) {
      credit(s, 'interpretations', NAMED_INTERPRETATION, 'names-feeling');
    }
  }

  // A sentence about the person that no rule above read: weak interpretation credit from its structure (see aboutPerson).
  for (const e of extra) r[t.sentence[e.from] * FACTS + HAS_EVIDENCE] = 1;
  for (let s = 0; s < sentenceCount; s++) {
    if (r[s * FACTS + HAS_EVIDENCE] || t.sentences[s].question || imperative(s)) continue;
    readSentence(s);
    // Not addressed to the reader, it must take up the words of a prompt that shows distress: in a task about sad material ("review this film", "draft a eulogy") the prompt's words are the material.
    if (r[s * FACTS + CASE]) continue;
    if (r[s * FACTS + ADDRESSED] === 3 || (r[s * FACTS + ECHOES_PROMPT] && promptFresh?.distress)) {
      const weight = aboutPerson(t, s, r[s * FACTS + ADDRESSED] === 3, r[s * FACTS + FEELING_WORD] > 0);
      if (weight) {
        credit(s, 'interpretations', weight, ABOUT_PERSON);
        continue;
      }
    }
    // "Every two hours since the summer ... is a long haul": the person's situation, in their own words, weighed.
    if (r[s * FACTS + ECHOES_PROMPT] && weighsSituation(t, s, stamp)) credit(s, 'interpretations', PERSON_ECHO, ABOUT_PERSON);
  }

  // The weak layer of attention to the person (attention.ts), over the sentences nothing above credited.
  for (const e of extra) r[t.sentence[e.from] * FACTS + HAS_EVIDENCE] = 1;
  if (feelingAt.length < t.n) feelingAt = new Uint8Array(Math.max(t.n, 2 * feelingAt.length));
  feelingAt.fill(0, 0, t.n);
  for (const feeling of feelings) feelingAt[feeling.from] = 1;
  const attention = readAttention(t, { skip: (s) => r[s * FACTS + HAS_EVIDENCE] !== 0 || imperative(s), feeling: feelingAt, stamp });

  const remaining: Record<Mechanism, number> = { reactions: 1, interpretations: 1, explorations: 1 };
  const strengths: number[] = [];
  // Categories already graded (few per response: a short list beats a Set).
  const seenCategory: string[] = [];
  const grade = (e: EmpathyEvidence, listed: boolean) => {
    const s = t.sentence[e.from];
    const sent = t.sentences[s];
    // Faint evidence in a sentence that names the feeling ("feeling torn is very common") interprets it.
    const base = e.weight < NAMED_INTERPRETATION && r[s * FACTS + NAMED_PERSON] ? NAMED_INTERPRETATION : e.weight;
    let bonus = 0;
    let intensified = false;
    for (let k = Math.max(sent.firstToken, e.from - 1); k < e.to && !intensified; k++) intensified = (flags[t.tokens[k]] & WORD_INTENSIFIER) !== 0;
    if (intensified) bonus += INTENSIFIED;
    readSentence(s);
    if (r[s * FACTS + ADDRESSED] === 3) bonus += ADDRESSED_BONUS;
    const family = r[s * FACTS + NAMED_FAMILY];
    if (family) {
      bonus += NAMES_FEELING;
      if (r[s * FACTS + NAMED_INTENSITY] >= 3) bonus += NAMES_ACUTE;
      if (promptFresh && promptFresh.families & (1 << family)) bonus += ECHOES_FAMILY;
    }
    if (r[s * FACTS + ECHOES_PROMPT]) bonus += ECHOES_WORDS;
    if (s < 2) bonus += EARLY;
    const extraWords = sent.endToken - sent.firstToken - (e.to - e.from);
    if (extraWords > 0) bonus += Math.min(SPECIFIC_MAX, SPECIFIC_PER_WORD * extraWords);
    // Faint evidence ("sadly") gains in proportion: grading tells strong forms apart, it does not make a faint one count.
    let w = Math.min(e.category === ABOUT_PERSON ? PERSON_MAX : MAX_STRENGTH, base + bonus * Math.min(1, base / FULL_BONUS_WEIGHT));
    // A category said again ("I'm so sorry ... I'm sorry") adds a third of what it would alone.
    if (seenCategory.includes(e.category)) w /= 3;
    else seenCategory.push(e.category);
    if (listed && e.mechanism === 'explorations') w = 0;
    // "Lots of people in your position find that works", "Most people in your situation wouldn't bother": the person's position in a statement about what others do, with no feeling or hardship in it, says nothing of theirs.
    if (e.category === ACKNOWLEDGE && placesReader(t, e) && !r[s * FACTS + FEELING_WORD] && generalises(t, s) && !mentionsHardship(t, s)) w = 0;
    strengths.push(w);
    remaining[e.mechanism] *= 1 - w;
  };
  // A response made of questions ("Here are three: How have you been sleeping? ...") is a list written for someone else, not questions to the reader.
  const listed = questions >= LISTED_QUESTIONS;
  for (const e of evidence) grade(e, listed);
  for (const e of extra) grade(e, listed);
  return { reactions: 1 - remaining.reactions, interpretations: 1 - remaining.interpretations, explorations: 1 - remaining.explorations, strengths, named, echoed, extra, attention };
}

/** The three mechanisms combined: each adds to the others, none reaches 1 alone. */
export function combineMechanisms(m: MechanismScores): number {
  let rest = 1;
  for (const k of MECHANISMS) rest *= 1 - m[k];
  return 1 - rest;
}

/** Adverbs that may stand between "you" and its verb ("you have clearly been carrying", "you really do care"). */
const READER_ADVERBS = new Set(['clearly', 'obviously', 'really', 'truly', 'genuinely', 'already', 'still', 'also', 'just', 'so', 'always', 'certainly', 'evidently', 'honestly', 'both', 'all', 'plainly', 'deeply', 'even', 'been']);
/** Adverbs that, before a verb in the simple tense, say the speaker sees something in the reader ("you clearly love her", "you obviously care"). */
const SEEING_ADVERBS = new Set(['clearly', 'obviously', 'really', 'truly', 'genuinely', 'deeply', 'evidently', 'plainly', 'certainly']);
/** Verbs that, after "you", do not describe the reader's effort or experience: auxiliaries, modals, obligation and neutral report. */
const NOT_READER_VERBS = new Set(['will', 'would', 'can', 'could', 'should', 'shall', 'may', 'might', 'must', 'need', 'needs', 'ought', 'have', 'has', 'had', 'do', 'does', 'did', 'are', 'were', 'am', 'is', 'not', 'to', 'got', 'get']);
/** Words in -ing and -ed that are not verb forms, or verbs in those forms that judge or merely report ("you are being difficult", "you are taking it with food", "you have asked"). */
const NOT_READER_FORMS = new Set([
  'nothing', 'something', 'anything', 'everything', 'morning', 'evening', 'during', 'thing', 'things', 'being', 'going', 'overreacting', 'overthinking', 'exaggerating',
  'imagining', 'ignoring', 'making', 'asking', 'taking', 'using', 'missing', 'wasting', 'refusing', 'avoiding', 'told', 'asked', 'prescribed', 'advised', 'needed', 'used', 'supposed', 'meant', 'allowed',
  'based', 'expected', 'required', 'mentioned', 'said', 'described', 'stated', 'worried', 'scared',
]);
/** Words that make a sentence about the reader a judgement ("you've been doing it wrong"). */
const JUDGEMENT_WORDS = new Set(['wrong', 'wrongly', 'mistake', 'mistakes', 'mistaken', 'badly', 'fault', 'incorrectly', 'careless', 'lazy', 'silly', 'stupid', 'ridiculous', 'selfish', 'dramatic', 'too']);
/** Past participles that do not end in -ed. */
const IRREGULAR_PARTICIPLES = new Set(['done', 'given', 'taken', 'kept', 'held', 'shown', 'fought', 'borne', 'gone', 'come', 'spent', 'brought', 'felt', 'lost', 'grown', 'put', 'stood', 'seen', 'been', 'thought', 'built', 'dealt', 'juggled', 'sat', 'slept', 'won', 'become']);

/** Words by which the speaker perceives a situation: "sounds", "seems", and "must" before be/have/feel. */
const PERCEPTION = new Set(['sounds', 'sound', 'seems', 'seem', 'must']);
const AFTER_MUST = new Set(['be', 'have', 'feel', 'of']);
const DEMONSTRATIVES = new Set(['that', 'this']);
const BE_FORMS = new Set(['is', 'was']);

/** Whether sentence `s` has a perception word followed, later in the sentence, by a word for hardship or a named distress feeling (`named`: the sentence names one). */
function perceivesHardship(t: WordTable, s: number, named: boolean, end = t.sentences[s].endToken): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  // "That's heaps of pressure", "this is such a nightmare": a sentence that opens on "that" or "this" and its verb describes what the person told.
  let k0 = sent.firstToken;
  while (k0 < end && (vocab.flags[t.tokens[k0]] & WORD_DISCOURSE || t.flags[k0] & FLAG_PAUSE_AFTER)) k0++;
  let perceived = k0 + 1 < end && DEMONSTRATIVES.has(vocab.word(t.tokens[k0])) && BE_FORMS.has(vocab.word(t.tokens[k0 + 1])) && !negatedAfter(t, k0 + 1, end);
  if (perceived && named) return true;
  for (let k = sent.firstToken; k < end; k++) {
    const id = t.tokens[k];
    // Or a clause after a pause that opens the same way ("Every night: that's running on fumes, and ...").
    if (!perceived && k > k0 && t.flags[k - 1] & FLAG_PAUSE_AFTER && k + 1 < end && DEMONSTRATIVES.has(vocab.word(id)) && BE_FORMS.has(vocab.word(t.tokens[k + 1])) && !negatedAfter(t, k + 1, end)) {
      perceived = true;
      if (named) return true;
      k++;
      continue;
    }
    if (perceived && hardshipPhraseAt(t, k, sent.firstToken) > 0) return true;
    if (!perceived) {
      const w = vocab.word(id);
      if (PERCEPTION.has(w) && (w !== 'must' || (k + 1 < end && AFTER_MUST.has(vocab.word(t.tokens[k + 1]))))) {
        if (negatedAfter(t, k, end)) return false;
        perceived = true;
        if (named) return true;
      } else if (named && k > sent.firstToken && firstPersonPerception(t, k, end, w)) return true;
    } else if (lex.hardship.has(id)) return true;
  }
  return false;
}

const IMAGINED_LINKS = new Set(['be', 'feel', 'been', 'felt']);
/** Words after a participle that make it a doing with an object ("taken it", "given him the"), not a reaction. */
const OBJECTS = new Set(['it', 'them', 'him', 'her', 'one', 'some', 'any', 'the', 'a', 'an', 'his', 'their', 'my', 'your', 'this', 'that', 'these', 'those']);
/** Particles between a verb and "me" ("stay with me", "get to me", "weigh on me"). */
const SHARED_PARTICLES = new Set(['with', 'to', 'on', 'at', 'out', 'up', 'in']);
/** Adverbs between "you are" and the role given back ("you're still her mum", "you are absolutely his wife"). */
const ROLE_ADVERBS = new Set(['still', 'really', 'absolutely', 'definitely', 'always', 'very', 'so', 'truly', 'already']);

/**
 * Whether statement `s` is nothing but "you are" and a role: "You're her mum.", "You are still his
 * daughter.", "You're a good son." (a determiner, then one or two words, the last closing the
 * sentence), the role in a word of the prompt (`stamp`; short words too: "mum"). The caller asks for a reply to
 * distress: the role the person doubted, given back.
 */
function affirmsRole(t: WordTable, s: number, stamp: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  let k = afterOpeners(t, s);
  if (k + 3 > sent.endToken || vocab.word(t.tokens[k]) !== 'you' || vocab.word(t.tokens[k + 1]) !== 'are') return false;
  k += 2;
  while (k < sent.endToken && ROLE_ADVERBS.has(vocab.word(t.tokens[k]))) k++;
  if (k >= sent.endToken || !DETERMINERS.has(vocab.word(t.tokens[k]))) return false;
  const rest = sent.endToken - k - 1;
  return (rest === 1 || rest === 2) && promptWord(stamp, t.tokens[sent.endToken - 1]);
}

/** Words that close a sentence of shared experience ("... too", "... as well", "... the same", "... either"). */
const SHARED_ENDS = new Set(['too', 'either', 'same', 'well']);

/**
 * Whether statement `s` has the speaker share the reaction as if it were theirs: it closes on
 * "too", "as well", "the same" or "either", and holds "I would have" and a participle ("I'd have
 * cried in the car too") or "would" with a verb acting on the speaker ("that look would stay with
 * me too", "it would floor me as well"). "I would take it with food too" advises, and is not read.
 * The caller asks for a sentence that takes up the prompt's words (the reaction is to what the person told).
 */
function sharesReaction(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  const last = vocab.word(t.tokens[sent.endToken - 1]);
  if (!SHARED_ENDS.has(last) || (last === 'well' && vocab.word(t.tokens[sent.endToken - 2]) !== 'as')) return false;
  for (let k = sent.firstToken + 1; k + 2 < sent.endToken; k++) {
    if (vocab.word(t.tokens[k]) !== 'would') continue;
    const next = vocab.word(t.tokens[k + 1]);
    if (next === 'have' && vocab.word(t.tokens[k - 1]) === 'i') {
      // A reaction, not a doing with an object ("I would have taken it with food too" advises).
      const w = vocab.word(t.tokens[k + 2]);
      if ((verbForm(w, 'ed') || IRREGULAR_PARTICIPLES.has(w)) && !OBJECTS.has(vocab.word(t.tokens[k + 3]))) return true;
    }
    if (next !== 'have' && !MODALS.has(next) && (vocab.word(t.tokens[k + 2]) === 'me' || (k + 3 < sent.endToken && SHARED_PARTICLES.has(vocab.word(t.tokens[k + 2])) && vocab.word(t.tokens[k + 3]) === 'me'))) return true;
  }
  return false;
}

/**
 * Whether sentence `s` (which names a distress feeling) has the speaker imagining it as their own:
 * "I would be (so) furious too", "honestly I'd feel the same fear", "I'd have been terrified". The
 * sentence opens on "I" (after discourse words) and "would", with "have" and at most one adverb
 * before "be" or "feel" ("been", "felt"). A case ("I would be
 * worried if ...") is left to the caller.
 */
function imaginesSame(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  const k = afterOpeners(t, s);
  if (k + 2 >= sent.endToken || vocab.word(t.tokens[k]) !== 'i' || vocab.word(t.tokens[k + 1]) !== 'would') return false;
  let j = k + 2;
  // "I would have been (so) scared too": the past form imagines the same.
  if (vocab.word(t.tokens[j]) === 'have' && j + 1 < sent.endToken) j++;
  if (!IMAGINED_LINKS.has(vocab.word(t.tokens[j])) && j + 1 < sent.endToken) j++;
  return IMAGINED_LINKS.has(vocab.word(t.tokens[j]));
}

/** Verbs by which the speaker perceives, in the first person, what the reader feels ("I can hear the fear", "I can tell the worry is ..."). */
const FIRST_PERSON_PERCEPTION = new Set(['hear', 'see', 'tell', 'sense']);
/** Verbs by which something shows the speaker what the reader feels ("the replaying tells me how scared you were"). */
const SHOWING = new Set(['tells', 'told', 'shows', 'showed']);
const CAN_FORMS = new Set(['can', 'could']);
/** Verbs after "you" that make it the subject of what is perceived ("I can tell you are", "I can see you have been"). */
const YOU_STATE_VERBS = new Set(['are', 'were', 'have', 'had', 'feel', 'felt']);

/** Whether the feeling word at `at` is the object of a verb of perceiving, after an article ("hear the fear", "see the worry"). */
function perceivedFeeling(t: WordTable, at: number, before: number): boolean {
  const vocab = lexicon().vocab;
  return before >= 0 && ARTICLES.has(vocab.word(before)) && at >= 2 && t.sentence[at - 2] === t.sentence[at] && FIRST_PERSON_PERCEPTION.has(vocab.word(t.tokens[at - 2]));
}

/**
 * Whether token k is the speaker perceiving what the reader feels: "I (can) hear / see / tell /
 * sense" or "... tells me / shows me". Only with a feeling named in the sentence (the caller's
 * `named`): "I can see the rash" and "I can tell you the dose" perceive no feeling.
 */
function firstPersonPerception(t: WordTable, k: number, end: number, w: string): boolean {
  const vocab = lexicon().vocab;
  const from = t.sentences[t.sentence[k]].firstToken;
  if (SHOWING.has(w)) return k + 1 < end && vocab.word(t.tokens[k + 1]) === 'me';
  // "I can tell you the dose" informs; "I can tell you're exhausted" perceives.
  if (!FIRST_PERSON_PERCEPTION.has(w) || (k + 1 < end && vocab.flags[t.tokens[k + 1]] & WORD_YOU && !(k + 2 < end && YOU_STATE_VERBS.has(vocab.word(t.tokens[k + 2]))))) return false;
  let j = k - 1;
  if (j > from && CAN_FORMS.has(vocab.word(t.tokens[j]))) j--;
  return vocab.word(t.tokens[j]) === 'i' && !negatedAfter(t, k, end);
}

/**
 * Whether sentence `s` ends by calling a situation hard: "Night shifts with a newborn are brutal.",
 * "Caring for him can be exhausting.", "Being a carer and a mum at the same time is so much." The
 * subject is a situation, not a person ("She is difficult." judges her), and nothing but
 * intensifiers stands between the verb and the word (so "are not hard" is not read).
 */
function endsOnHardship(t: WordTable, s: number, end = t.sentences[s].endToken): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  let first = sent.firstToken;
  while (first < end && vocab.flags[t.tokens[first]] & WORD_DISCOURSE) first++;
  let k = end - 1;
  // A tag set off after the hardship ("... are miserable, honestly.", "... is brutal, mate.") is left out.
  if (k - 1 > first && t.flags[k - 1] & FLAG_PAUSE_AFTER && TRAILING_TAGS.has(vocab.word(t.tokens[k]))) k--;
  if (k - first < 2 || PERSONS.has(vocab.word(t.tokens[first]))) return false;
  if (!lex.hardship.has(t.tokens[k])) {
    // A phrase of hardship closing the sentence ("... is a big change", "... is a lot to take in"): read from its first word.
    const phrase = hardshipPhraseAt(t, k, first + 1);
    if (phrase) k -= phrase - 1;
    else if (vocab.word(t.tokens[k]) !== 'much' || !MUCH_DEGREE.has(vocab.word(t.tokens[k - 1]))) return false;
    else k--;
  }
  k--;
  while (k > first && (vocab.flags[t.tokens[k]] & WORD_INTENSIFIER || ARTICLE_LIKE.has(vocab.word(t.tokens[k])))) k--;
  return k > first && SITUATION_BE.has(vocab.word(t.tokens[k]));
}
/** The length of the hardship phrase of several words ("big change", "running on fumes") that ends at token k and starts at `from` or later, or 0. */
function hardshipPhraseAt(t: WordTable, k: number, from: number): number {
  const phrases = lexicon().hardshipPhrases.get(t.tokens[k]);
  if (!phrases) return 0;
  for (const p of phrases) if (k - p.length + 1 >= from && p.every((id, i) => t.tokens[k - p.length + 1 + i] === id)) return p.length;
  return 0;
}

/** The end of sentence `s`'s first clause: the token after its first pause ("Managing him from another city is very tough, and ..."), or the sentence's end. */
function firstClauseEnd(t: WordTable, s: number): number {
  const sent = t.sentences[s];
  for (let k = sent.firstToken; k < sent.endToken - 1; k++) if (t.flags[k] & FLAG_PAUSE_AFTER) return k + 1;
  return sent.endToken;
}
/** Words that may close a sentence as a tag after a comma ("..., honestly.", "..., mate."). */
const TRAILING_TAGS = new Set(['honestly', 'really', 'truly', 'frankly', 'seriously', 'though', 'tbh', 'mate', 'love', 'hun', 'friend', 'too', 'indeed', 'yaar', 'ngl']);
const PERSONS = new Set(['he', 'she', 'they', 'i', 'we', 'you', 'him', 'her', 'there', 'what', 'which', 'who']);
const MUCH_DEGREE = new Set(['so', 'too']);
const ARTICLE_LIKE = new Set(['a', 'an', 'the', 'such', 'so', 'really', 'very', 'pretty', 'quite', 'just', 'absolutely']);
const SITUATION_BE = new Set(['is', 'are', 'was', 'were', 'be', 'been']);

/** Whether sentence `s` has a word for hardship, the last word of a hardship phrase or "easy" (what the two hardship rules need; a cheap test by id before their reading). */
function mentionsHardship(t: WordTable, s: number, end = t.sentences[s].endToken): boolean {
  const lex = lexicon();
  const sent = t.sentences[s];
  const easy = (easyId ??= lex.vocab.id('easy'));
  for (let k = sent.firstToken; k < end; k++) if (lex.hardship.has(t.tokens[k]) || t.tokens[k] === easy || lex.hardshipEnds.has(t.tokens[k])) return true;
  return false;
}
let easyId: number | undefined;

/** Nouns for a stretch of life or a predicament, which a word for hardship before them describes ("very difficult situation", "a rough few weeks"). */
const SITUATIONS = new Set(['situation', 'time', 'times', 'period', 'experience', 'moment', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'road', 'journey', 'news', 'position', 'spot', 'stretch', 'season', 'phase', 'stage', 'loss', 'few', 'patch', 'ordeal', 'part', 'parts', 'place', 'thing', 'way']);

/**
 * Whether sentence `s` calls the reader's time or situation hard: a word for hardship right before
 * a noun for a stretch of life ("it is very difficult situation", "such a rough few weeks"), or
 * before "for you" ("this is so hard for you"), whatever the rest of the sentence says.
 */
function namesHardTime(t: WordTable, s: number, end = t.sentences[s].endToken): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  for (let k = sent.firstToken; k < end; k++) {
    // "this is not easy", "none of it is easy": ease denied is hardship.
    // "not an easy thing to watch": an article may stand between.
    if (vocab.word(t.tokens[k]) === 'easy' && k > sent.firstToken && (vocab.flags[t.tokens[k - 1]] & WORD_NEGATOR || (k - 1 > sent.firstToken && ARTICLES.has(vocab.word(t.tokens[k - 1])) && vocab.flags[t.tokens[k - 2]] & WORD_NEGATOR))) return true;
    if (!lex.hardship.has(t.tokens[k]) || (k > sent.firstToken && vocab.flags[t.tokens[k - 1]] & WORD_NEGATOR)) continue;
    // "one of the hardest parts", "nights are the toughest": a superlative of hardship after "the".
    if (k > sent.firstToken && vocab.word(t.tokens[k]).endsWith('est') && vocab.word(t.tokens[k - 1]) === 'the') return true;
    if (k + 1 >= end) break;
    const next = vocab.word(t.tokens[k + 1]);
    if (SITUATIONS.has(next)) return true;
    if (next === 'for' && k + 2 < end && vocab.flags[t.tokens[k + 2]] & WORD_YOU) return true;
  }
  return false;
}

/** Verbs of living through something, which "hard to ..." names as a hardship ("hard to watch"; not "hard to say", "hard to swallow"). */
const ENDURE_VERBS = new Set(['see', 'watch', 'hear', 'take', 'face', 'lose', 'accept', 'deal', 'cope', 'carry', 'go', 'live', 'handle', 'bear', 'process', 'witness', 'feel', 'be', 'get', 'sit', 'stay']);

/**
 * Whether sentence `s` is a verbless reaction that opens on a word for hardship, its subject left
 * out as in speech and texting: "Heartbreaking.", "So hard when they don't know you.", "Rough
 * week.", "Hard to see your mum like that." The word must end the sentence, or come before
 * "when", "for you", a noun for a stretch of life, or "to" and a verb of living through something.
 */
function opensOnHardship(t: WordTable, s: number, end = t.sentences[s].endToken): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  let k = sent.firstToken;
  // Interjections, discourse words and intensifiers first ("Oh, so hard ...", "ugh really rough").
  while (k < end && k < sent.firstToken + 4 && !lex.hardship.has(t.tokens[k]) && (vocab.flags[t.tokens[k]] & (WORD_DISCOURSE | WORD_INTENSIFIER) || t.flags[k] & FLAG_PAUSE_AFTER)) k++;
  if (k >= end || !lex.hardship.has(t.tokens[k])) return false;
  if (k + 1 === end) return true;
  // "Rough, standing there listening to him.": the word set off by a comma before what the person is living through.
  if (t.flags[k] & FLAG_PAUSE_AFTER && k + 1 < end && verbForm(vocab.word(t.tokens[k + 1]), 'ing')) return true;
  const next = vocab.word(t.tokens[k + 1]);
  if (next === 'when' || SITUATIONS.has(next)) return true;
  if (next === 'for') return k + 2 < end && (vocab.flags[t.tokens[k + 2]] & WORD_YOU) !== 0;
  return next === 'to' && k + 2 < end && ENDURE_VERBS.has(vocab.word(t.tokens[k + 2]));
}

/** "That doesn't sound ...", "it must not be": a negator right after (or before) the perception word. */
function negatedAfter(t: WordTable, k: number, end: number): boolean {
  const flags = lexicon().vocab.flags;
  return (k + 1 < end && (flags[t.tokens[k + 1]] & WORD_NEGATOR) !== 0) || (k > 0 && t.sentence[k - 1] === t.sentence[k] && (flags[t.tokens[k - 1]] & WORD_NEGATOR) !== 0);
}

/** How a reassurance about a worry opens: "do not worry about", "try not to worry about", "no need to worry about". */
const WORRY_OPENINGS = [['do', 'not', 'worry', 'about'], ['try', 'not', 'to', 'worry', 'about'], ['no', 'need', 'to', 'worry', 'about']];
/** How many of the prompt's content words the worry must take up, before the first pause. */
const WORRY_ECHOES = 2;

/**
 * Whether sentence `s` opens with a reassurance about a worry ("Don't worry about ...") whose object,
 * a doing of the person's (an -ing word), up to the first pause takes up at least WORRY_ECHOES content words of the prompt: the person's own
 * worry answered ("Don't worry about saying the wrong thing" to "I'm afraid I'll say the wrong thing";
 * not "Don't worry about the paperwork" when they never mentioned it).
 */
function answersWorry(t: WordTable, s: number, stamp: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  for (const opening of WORRY_OPENINGS) {
    const at = sent.firstToken;
    if (at + opening.length >= sent.endToken) continue;
    let k = 0;
    while (k < opening.length && vocab.word(t.tokens[at + k]) === opening[k] && !(t.flags[at + k] & FLAG_PAUSE_AFTER)) k++;
    if (k < opening.length) continue;
    // What the person fears doing ("saying the wrong thing", "being a burden"), not the thing feared ("his falls", which is how a dismissal opens: "Don't worry about his falls. It's nothing.").
    if (!vocab.word(t.tokens[at + opening.length]).endsWith('ing')) return false;
    let echoes = 0;
    for (let j = at + opening.length; j < sent.endToken; j++) {
      if (stampedWord(stamp, t.tokens[j])) echoes++;
      if (t.flags[j] & FLAG_PAUSE_AFTER) break;
    }
    return echoes >= WORRY_ECHOES;
  }
  return false;
}

/** Listed evidence this light or lighter is faint: a word of sorrow, a normalising phrase. */
const FAINT_EVIDENCE = 0.12;

/** Whether a clause of sentence `s` opens on a feeling pointed at: "that", "this" or "your" (after a pause, or "and"/"but" after one), then within three words a word for a feeling or reaction ("That unreal feeling", "..., and your tears"). */
function opensOnPointedFeeling(t: WordTable, s: number): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  for (let j = sent.firstToken; j < sent.endToken; j++) {
    if (!POINTING.has(vocab.word(t.tokens[j]))) continue;
    const opens = j === sent.firstToken || t.flags[j - 1] & FLAG_PAUSE_AFTER || (CLAUSE_JOINS.has(vocab.word(t.tokens[j - 1])) && (j - 1 === sent.firstToken || t.flags[j - 2] & FLAG_PAUSE_AFTER));
    if (!opens) continue;
    for (let k = j + 1; k < sent.endToken && k <= j + 3; k++) {
      if (lex.validation.referents.has(t.tokens[k])) return true;
      if (t.flags[k] & FLAG_PAUSE_AFTER) break;
    }
  }
  return false;
}
/** Words that join a clause to the one before ("..., and that feeling is common"). */
const CLAUSE_JOINS = new Set(['and', 'but', 'so']);

/** Whether every listed piece of evidence in sentence `s` is faint (FAINT_EVIDENCE). */
function faintOnly(evidence: readonly EmpathyEvidence[], t: WordTable, s: number): boolean {
  for (const e of evidence) if (t.sentence[e.from] === s && e.weight > FAINT_EVIDENCE) return false;
  return true;
}

/** Words that may stand between a subject and the word that validates it ("is totally ok", "are completely normal"). */
const VALIDATION_LINKS = new Set(['is', 'are', 'was', 'were', 'be', 'feels', 'seems', 'sounds', 'so', 'very', 'totally', 'completely', 'perfectly', 'entirely', 'quite', 'really', 'absolutely', 'just', 'all', 'only', 'pretty', 'super', 'also', 'too', 'still']);
/** Articles that may stand between the verb and a validating word that qualifies a word for a reaction ("is an ordinary reaction", "is such a normal response"). */
const REACTION_ARTICLES = new Set(['a', 'an', 'such']);
/**
 * Words that may stand right before a word of self-judgement denied ("not weakness", "not a failure", "isn't being selfish", "not a sign of weakness"); any other word makes it qualify something else ("heart failure").
 * A verb of seeming links the judgement to its subject as "is" does ("It doesn't sound silly at all", "You don't seem selfish").
 */
const JUDGED_AFTER = new Set(['a', 'an', 'being', 'be', 'of', 'so', 'any', 'really', 'just', 'that', 'sound', 'sounds', 'seem', 'seems', 'look', 'looks']);
/** How far before the judgement word its negator may stand ("not a sign you're a bad person"). */
const JUDGEMENT_REACH = 7;

/**
 * Whether statement `s` denies a judgement of a person: a word of empathy.json `judgements`
 * (`words` alone, `qualities` before a word for a person) after a negator within JUDGEMENT_REACH
 * tokens with no pause between, right after a negator or one of JUDGED_AFTER, and not before "of"
 * ("a failure of the pump" judges a thing). Reads each word of the sentence once, and a few
 * around a judgement word.
 */
function deniesJudgement(t: WordTable, s: number, stamp: number, ownOnly: boolean): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const { words, qualities, persons, own } = lex.judgements;
  const sent = t.sentences[s];
  let negator = -1;
  for (let k = sent.firstToken; k < sent.endToken; k++) {
    const id = t.tokens[k];
    if (vocab.flags[id] & WORD_NEGATOR) {
      negator = k;
      continue;
    }
    if (negator >= 0 && t.flags[k - 1] & FLAG_PAUSE_AFTER) negator = -1;
    if (negator < 0 || k - negator > JUDGEMENT_REACH) continue;
    // "Was I wrong?" ... "You weren't wrong.": a word of `own` judges only when the person used it.
    const alone = words.has(id) || (own.has(id) && promptOwnWord(stamp, id));
    if (!alone && !(qualities.has(id) && k + 1 < sent.endToken && persons.has(t.tokens[k + 1]))) continue;
    if (k - 1 !== negator && !JUDGED_AFTER.has(vocab.word(t.tokens[k - 1]))) continue;
    if (alone && k + 1 < sent.endToken && vocab.word(t.tokens[k + 1]) === 'of') continue;
    // `ownOnly`: the judgement, or the person a quality judges, must be a word the person wrote.
    if (ownOnly && !promptOwnWord(stamp, alone ? id : t.tokens[k + 1])) continue;
    return true;
  }
  return false;
}

/** Validating words said only of what people do or feel ("human", "understandable"), not of what a body does ("normal", "common"). */
const PERSONS_ONLY = new Set(['human', 'understandable', 'forgivable', 'valid', 'legit', 'legitimate', 'justified', 'warranted']);
/** Verbs that, right before a validating word, report a state ("he feels fine", "she looks okay") rather than allow a feeling. */
const REPORTING_LINKS = new Set(['feels', 'feel', 'felt', 'looks', 'look', 'looked']);
/** Validating words that, after such a verb, describe how someone is ("feels fine", "looks okay"). */
const STATE_REPORTS = new Set(['fine', 'okay', 'ok', 'alright']);
/** Words after the validating word that introduce what it allows ("okay to cry", "normal that you feel", "fine if you need to vent"). */
const VALIDATION_OPENERS = new Set(['to', 'that', 'if', 'when', 'for']);

let fairId: number | undefined;

/**
 * Whether sentence `s` calls a feeling or a way of reacting acceptable: a validating word (not
 * negated) with a be-form before it and a feeling before that ("crying is totally ok", "your
 * feeling is normal"), or followed by to/that/if/when and a feeling after it ("is normal to feel
 * this way", "okay to be tired" with "tired" a named feeling). `named`: the sentence names a
 * feeling of the person. Reads each word of the sentence at most twice.
 */
function validatesFeeling(t: WordTable, s: number, named: boolean, stamp: number): boolean {
  const lex = lexicon();
  const { words, referents } = lex.validation;
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  let referentBefore = false;
  for (let k = sent.firstToken; k < sent.endToken; k++) {
    const id = t.tokens[k];
    if (id === (senseId ??= vocab.id('sense'))) {
      if (makesSense(t, s, k, referentBefore || named, stamp)) return true;
      continue;
    }
    if (!words.has(id)) {
      if (referents.has(id)) referentBefore = true;
      continue;
    }
    // "fair to say", "fair to expect": a hedge on a statement, not a reaction called acceptable.
    if (id === (fairId ??= vocab.id('fair')) && k + 1 < sent.endToken && vocab.word(t.tokens[k + 1]) === 'to') continue;
    // Step back over adverbs and the verb: "is totally", "are completely"; before a word for a reaction, an article too ("is an ordinary (human) reaction", "is such a natural response").
    let j = k - 1;
    let linked = false;
    const reactionAfter = k + 1 < sent.endToken && (referents.has(t.tokens[k + 1]) || (k + 2 < sent.endToken && words.has(t.tokens[k + 1]) && referents.has(t.tokens[k + 2])));
    while (j >= sent.firstToken && k - j <= 3 && (VALIDATION_LINKS.has(vocab.word(t.tokens[j])) || (reactionAfter && REACTION_ARTICLES.has(vocab.word(t.tokens[j]))))) {
      linked = true;
      j--;
    }
    if (j >= sent.firstToken && k - j <= 4 && vocab.flags[t.tokens[j]] & WORD_NEGATOR) continue;
    // "He feels fine", "she looks okay": a state reported, not a feeling called acceptable.
    if (k > sent.firstToken && REPORTING_LINKS.has(vocab.word(t.tokens[k - 1])) && STATE_REPORTS.has(vocab.word(id)) && !(k + 1 < sent.endToken && VALIDATION_OPENERS.has(vocab.word(t.tokens[k + 1])))) continue;
    // "Wanting to hide is a very human reaction": a word that only a person's reaction can earn, before a word for a reaction, validates whatever the subject ("Nausea is a common reaction to chemo" informs).
    if (linked && (referentBefore || named || (reactionAfter && PERSONS_ONLY.has(vocab.word(id)))) && j >= sent.firstToken) return true;
    if (k + 1 < sent.endToken && VALIDATION_OPENERS.has(vocab.word(t.tokens[k + 1]))) {
      if (named) return true;
      for (let m = k + 2; m < sent.endToken; m++) if (referents.has(t.tokens[m])) return true;
    }
  }
  return false;
}

/** Verbs by which something causes a feeling in the reader ("what frightens you most", "what's been scaring you", "it shook you"), in their -s, -ed and -ing forms. */
const AFFECT_VERBS = new Set([
  'frightens', 'frightened', 'frightening', 'scares', 'scared', 'scaring', 'worries', 'worried', 'worrying', 'upsets', 'upset', 'upsetting', 'bothers', 'bothered', 'bothering', 'troubles', 'troubled', 'troubling',
  'hurts', 'hurt', 'hurting', 'weighs', 'weighing', 'stresses', 'stressed', 'stressing', 'angers', 'angered', 'saddens', 'saddened', 'shook', 'shaken', 'shakes', 'shaking', 'rattled', 'rattles', 'rattling', 'haunts', 'haunted', 'haunting', 'eating', 'gnawing',
]);
/** Verbs that wear a person down ("the scolding is wearing you down"): read with "down" or "out" after "you". */
const WEARING_VERBS = new Set(['wearing', 'wore', 'worn', 'grinding', 'ground', 'tiring', 'dragging']);
/** Every word affectsReader may start from (the gate read while a sentence's words are read). */
const AFFECT_WORDS = new Set([...AFFECT_VERBS, ...WEARING_VERBS]);
/** Words between an affect verb and "you" ("weighing on you", "eating at you"). */
const AFFECT_PARTICLES = new Set(['on', 'at']);
/** Words before an affect verb that make it a possibility, a politeness or someone else's concern rather than what the reader lives ("may upset you", "sorry to bother you", "I don't want to scare you", "out of fear of upsetting you"). */
const AFFECT_HEDGES = new Set(['may', 'might', 'could', 'can', 'will', 'would', 'should', 'to', 'not', 'never', 'of', 'about', 'without', 'avoid', 'stop']);

/**
 * Whether sentence `s`, a statement, says that something is acting on the reader's feelings: an
 * affect verb with "you" as its object ("the replaying tells me how much it shook you", "the
 * scolding is wearing you down", "it's been weighing on you"). Not a possibility, a warning or a
 * politeness ("it may upset you", "sorry to bother you", "it won't hurt you").
 */
function affectsReader(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  for (let k = sent.firstToken + 1; k < sent.endToken; k++) {
    if (!(vocab.flags[t.tokens[k]] & WORD_YOU) || vocab.word(t.tokens[k]) !== 'you') continue;
    let v = k - 1;
    if (v > sent.firstToken && AFFECT_PARTICLES.has(vocab.word(t.tokens[v]))) v--;
    const w = vocab.word(t.tokens[v]);
    const wearing = WEARING_VERBS.has(w) && v === k - 1 && k + 1 < sent.endToken && (vocab.word(t.tokens[k + 1]) === 'down' || vocab.word(t.tokens[k + 1]) === 'out');
    if (!wearing && !AFFECT_VERBS.has(w)) continue;
    if (!hedgedAffect(t, v)) return true;
  }
  return false;
}

/** Words that open what the speaker perceives ("sounds like it's ...", "seems to be ..."). */
const PERCEIVING = new Set(['sounds', 'sound', 'seems', 'seem', 'looks']);
/** Auxiliaries right before the perceived doing ("it's costing", "to be taking"). */
const PROGRESSIVE = new Set(["it's", 'its', "that's", 'is', 'be', 'been', 's', 'are']);
/** Subjects of the perceived doing: the situation ("it", "that", "this", "all this"). */
const PERCEIVED_SUBJECTS = new Set(['it', "it's", 'its', 'that', "that's", 'this', 'all', 'to', 'be', 'is', 's', 'like', 'been', 'has', 'really', 'already']);

/**
 * Whether statement `s` perceives what the situation is doing to the reader: a verb in -ing with
 * "you" as its object, after "sounds like it's", "seems to be" and the like with only the
 * situation's subject and linking words between ("sounds like it's costing you a great deal",
 * "it seems to be taking a lot out of you"); not hedged, and not an instruction relayed ("sounds
 * like it's telling you to rest": "to" right after "you").
 */
function perceivesEffect(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  for (let k = sent.firstToken + 2; k < sent.endToken; k++) {
    if (!(vocab.flags[t.tokens[k]] & WORD_YOU) || vocab.word(t.tokens[k]) !== 'you') continue;
    const v = k - 1;
    const w = vocab.word(t.tokens[v]);
    // A progressive verb right after its auxiliary ("it's costing", "to be taking"), not a word in -thing ("sounds like something you've been ...").
    if (w.length < 5 || !w.endsWith('ing') || w.endsWith('thing') || !PROGRESSIVE.has(vocab.word(t.tokens[v - 1])) || hedgedAffect(t, v)) continue;
    if (k + 1 < sent.endToken && vocab.word(t.tokens[k + 1]) === 'to') continue;
    let j = v - 1;
    while (j > sent.firstToken && v - j <= 4 && PERCEIVED_SUBJECTS.has(vocab.word(t.tokens[j]))) j--;
    if (j < v - 1 && PERCEIVING.has(vocab.word(t.tokens[j]))) return true;
  }
  return false;
}

/** Whether the affect verb at `v` is hedged by one of the two words before it ("may upset you", "should worry you", "to scare you", "won't hurt you"). */
function hedgedAffect(t: WordTable, v: number): boolean {
  const vocab = lexicon().vocab;
  const from = t.sentences[t.sentence[v]].firstToken;
  for (let j = Math.max(from, v - 2); j < v; j++) if (AFFECT_HEDGES.has(vocab.word(t.tokens[j])) || vocab.flags[t.tokens[j]] & WORD_NEGATOR) return true;
  return false;
}
/** Particles between a verb and "for you" ("going on for you", "looking out for you"). */
const PARTICLES = new Set(['on', 'out', 'up', 'in']);

/** Whether "for" at token j - 1 closes an experience: after a verb in -ing, "like", "there" or a word for hardship ("going on for you", "what's it like for you", "who's there for you", "hardest for you"); not "works best for you", "the best way for you". */
function experienceFor(t: WordTable, j: number, from: number): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  let k = j - 2;
  if (k > from && PARTICLES.has(vocab.word(t.tokens[k]))) k--;
  if (k < from) return false;
  const w = vocab.word(t.tokens[k]);
  return (w.length > 4 && w.endsWith('ing')) || w === 'like' || w === 'there' || lex.hardship.has(t.tokens[k]);
}
const WH_OPENERS = new Set(['what', 'how', 'who', 'which']);

/**
 * Whether statement `s` asks after the reader's state indirectly: the speaker opens it ("I'd like
 * to know", "I wonder", "I hope", after discourse words or a form of address) and "how" is
 * followed by "you" and a state word ("how you yourself are coping", "how you're holding up").
 * Not "Your GP will ask how you are sleeping" (someone else asks).
 */
function asksStateIndirectly(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  const k = afterOpeners(t, s);
  if (vocab.word(t.tokens[k]) !== 'i') return false;
  for (let j = k + 1; j < sent.endToken - 2; j++) {
    if (vocab.word(t.tokens[j]) !== 'how') continue;
    let you = -1;
    for (let m = j + 1; m < sent.endToken && m <= j + 3 && you < 0; m++) if (vocab.word(t.tokens[m]) === 'you') you = m;
    if (you < 0) return false;
    // The state word with no object of its own ("how you are managing the dose" asks about a practice).
    for (let m = you + 1; m < sent.endToken && m <= you + 4; m++) if (STATE_WORDS.has(vocab.word(t.tokens[m]))) return !(m + 1 < sent.endToken && DETERMINERS.has(vocab.word(t.tokens[m + 1])));
    return false;
  }
  return false;
}

const DETERMINERS = new Set(['the', 'a', 'an', 'your', 'his', 'her', 'their', 'my', 'this', 'that', 'these', 'those']);

/** Words that may close "How are you going / travelling ...?" without making it a question for facts ("with it all", "through all this", "at the moment"). */
const OPEN_CLOSERS = new Set(['with', 'in', 'through', 'it', 'all', 'this', 'that', 'everything', 'things', 'now', 'today', 'lately', 'so', 'far', 'at', 'the', 'moment', 'these', 'days']);
/** Words that make "with ..." after the verb an open closer ("with it all", not "with the tablets"). */
const OPEN_OBJECTS = new Set(['all', 'this', 'everything', 'things']);

/**
 * Whether question `s` is "How are you" with a verb of going on ("How are you travelling with it
 * all, mate?", "How are you going?", "How are you getting on with everything?"): the question asks
 * after the reader's experience, unless it goes on to an object ("How are you getting to the
 * clinic?", "How are you storing it?"). A form of address after a comma may close it.
 */
function asksHowAreYou(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  let k = sent.firstToken;
  while (k < sent.endToken - 1 && vocab.flags[t.tokens[k]] & WORD_DISCOURSE) k++;
  if (k + 3 > sent.endToken || vocab.word(t.tokens[k]) !== 'how' || vocab.word(t.tokens[k + 1]) !== 'are' || vocab.word(t.tokens[k + 2]) !== 'you') return false;
  let j = k + 3;
  // The verb in -ing, if any ("travelling", "going", "getting on"); not one that reports a practice ("taking", "using").
  let end = sent.endToken;
  if (end - 1 > j && t.flags[end - 2] & FLAG_PAUSE_AFTER && TRAILING_TAGS.has(vocab.word(t.tokens[end - 1]))) end--;
  if (j < end) {
    const w = vocab.word(t.tokens[j]);
    if (!verbForm(w, 'ing')) return false;
    j++;
    if (j < end && vocab.word(t.tokens[j]) === 'on') j++;
  }
  let open = j === end;
  for (; j < end; j++) {
    const w = vocab.word(t.tokens[j]);
    if (!OPEN_CLOSERS.has(w)) return false;
    if (OPEN_OBJECTS.has(w) || w === 'moment' || w === 'lately' || w === 'far' || w === 'days') open = true;
  }
  return open;
}

/**
 * Whether question `s` is an open question about the reader's experience: it opens with what, how
 * or who and either asks after a state with a word for hardship or a feeling in it ("What's made it
 * feel so hard to face lately?"), or, addressed to the reader, asks what something is like for
 * them ("What tends to be going on for you in the evenings?", "Who's looking out for you?") or
 * what causes their feeling ("What is it about needles that frightens you most?").
 */
function asksExperience(t: WordTable, s: number, addressed: boolean): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  let k = sent.firstToken;
  while (k < sent.endToken - 1 && vocab.flags[t.tokens[k]] & WORD_DISCOURSE) k++;
  if (!WH_OPENERS.has(vocab.word(t.tokens[k]))) return false;
  let state = false;
  let hard = false;
  for (let j = k + 1; j < sent.endToken; j++) {
    const id = t.tokens[j];
    const w = vocab.word(id);
    if (STATE_WORDS.has(w)) state = true;
    else if (lex.hardship.has(id)) hard = true;
    else if (addressed && w === 'you' && ((vocab.word(t.tokens[j - 1]) === 'for' && experienceFor(t, j, k + 1)) || AFFECT_VERBS.has(vocab.word(t.tokens[j - 1])))) return true;
  }
  return state && hard;
}

/** Whether sentence `s` is a short verbless exclamation opening on "what a": "Oof, what a juggle.", "What a week." (praise of a question or an idea is not read). */
function exclaimsWhatA(t: WordTable, s: number, namedFeeling: boolean): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  let k = sent.firstToken;
  while (k < sent.endToken && k < sent.firstToken + 3 && (vocab.flags[t.tokens[k]] & WORD_DISCOURSE || lex.irony.exclamations.has(t.tokens[k]) || lex.irony.interjections.has(t.tokens[k]))) k++;
  // Or after a short opening clause ("You poor thing, what a night.").
  if (k < sent.endToken && !WHAT.has(vocab, t.tokens[k])) {
    let pause = k;
    while (pause < sent.endToken - 1 && pause < k + 4 && !(t.flags[pause] & FLAG_PAUSE_AFTER)) pause++;
    if (t.flags[pause] & FLAG_PAUSE_AFTER) k = pause + 1;
  }
  if (k + 2 >= sent.endToken + 1 || !WHAT.has(vocab, t.tokens[k])) return false;
  if (!A_AN.has(vocab, t.tokens[k + 1])) return false;
  // One to three words after the article, none of them praise ("What a great question.") or "you" ("What a week you've had" is listed).
  // A feeling named right after the article ("What a fright to be living with every night.", "what a worry for you") is the reaction, whatever follows.
  const feelingNoun = namedFeeling && k + 2 < sent.endToken && !lex.irony.praise.has(t.tokens[k + 2]) && (feelingWordAt(t, k + 2) || (k + 3 < sent.endToken && feelingWordAt(t, k + 3)));
  const rest = sent.endToken - (k + 2);
  if (rest < 1 || (rest > 3 && !feelingNoun)) return false;
  // Nor a complement ("What a time to ask.", "What a day for it.", "What a load of nonsense."): a bare noun phrase only.
  // Nor admiration of the person ("What a saint.") or of a doing with a word before it ("What an inventive money-saving plan."; not "What a horrible choice."): praise, not a reaction to a hardship.
  const last = t.tokens[sent.endToken - 1];
  let hard = false;
  for (let j = k + 2; j < sent.endToken; j++) {
    if (lex.irony.praise.has(t.tokens[j]) || lex.irony.evaluations.has(t.tokens[j]) || lex.irony.admired.has(t.tokens[j]) || BELITTLING.has(vocab, t.tokens[j])) return false;
    if (lex.hardship.has(t.tokens[j])) hard = true;
    if (!feelingNoun && (vocab.flags[t.tokens[j]] & WORD_YOU || COMPLEMENTS.has(vocab, t.tokens[j]))) return false;
  }
  return hard || feelingNoun || rest < 2 || !lex.irony.deeds.has(last);
}

/** First tokens of the feeling words the current analysis reads as the person's (a scratch reused between calls, as `facts`). */
const namedAt: number[] = [];
function feelingWordAt(_t: WordTable, k: number): boolean {
  return namedAt.includes(k);
}

/** Words that open a complement after "what a" + noun. */
const COMPLEMENTS = new WordSet(['to', 'for', 'of', 'with', 'at', 'in', 'on', 'about', 'that', 'which']);
const WHAT = new WordSet(['what']);
const A_AN = new WordSet(['a', 'an']);

/** Nouns that make "what a ..." belittle what the person told ("what a drama", "what a fuss"; dismissive in respect.json), not react to it. */
const BELITTLING = new WordSet(['scandal', 'drama', 'fuss', 'palaver', 'performance', 'carry', 'carry-on', 'production', 'circus', 'song', 'to-do', 'hoo-ha', 'kerfuffle']);

let senseId: number | undefined;
const MAKE_FORMS = new Set(['make', 'makes', 'made', 'making']);
const SENSE_DEGREES = new Set(['a', 'lot', 'of', 'complete', 'total', 'perfect', 'so', 'much', 'such', 'good', 'total', 'every', 'real', 'full']);
const DEICTIC_SUBJECTS = new Set(['it', 'this', 'that']);

/**
 * "Feeling out of your depth makes sense", "the snapping and the poor concentration make a lot of
 * sense", "wanting to stop makes sense when you feel this bad": what the person feels or did,
 * called sensible. `sense` at token k after a form of "make" (degree words between); its subject
 * names a feeling or a way of reacting (`feelingBefore`), or takes up the person's own words, or a
 * feeling follows ("... when you feel"). Not "it makes sense to book early" (advice; the listed
 * "it makes sense that ..." forms are in the lexicon).
 */
function makesSense(t: WordTable, s: number, k: number, feelingBefore: boolean, stamp: number): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  let j = k - 1;
  while (j > sent.firstToken && k - j <= 4 && SENSE_DEGREES.has(vocab.word(t.tokens[j]))) j--;
  if (j <= sent.firstToken || !MAKE_FORMS.has(vocab.word(t.tokens[j])) || vocab.flags[t.tokens[j - 1]] & WORD_NEGATOR) return false;
  let first = sent.firstToken;
  while (first < j && vocab.flags[t.tokens[first]] & WORD_DISCOURSE) first++;
  if (j - first === 1 && DEICTIC_SUBJECTS.has(vocab.word(t.tokens[first]))) return false;
  if (feelingBefore) return true;
  // The subject in the person's own words ("the snapping"): their reaction, called sensible.
  if (stamp) for (let m = first; m < j; m++) if (stampedWord(stamp, t.tokens[m]) && vocab.word(t.tokens[m]).length > 3) return true;
  for (let m = k + 1; m < sent.endToken; m++) if (lex.validation.referents.has(t.tokens[m])) return true;
  return false;
}

/** Who may be by the person in a question about company ("Is anyone with you?", "Who's with you?"). */
const COMPANIONS = new Set(['anyone', 'someone', 'anybody', 'somebody', 'who', "who's", 'whos']);
/** Particles between a verb of standing by someone and "you" ("listening to you", "checking on you", "looking out for you" reads "out" as the verb's word: not read). */
const SUPPORT_PARTICLES = new Set(['to', 'on', 'in', 'after', 'for', 'by']);
/** What may close such a question after "with you": a time or a place, not a task ("who can drive", "have the list"). */
const COMPANY_CLOSERS = new Set(['until', 'tonight', 'now', 'today', 'right', 'there', 'while', 'at', 'through', 'this', 'these', 'moment', 'home', 'the', 'for', 'in', 'all', 'days', 'evening', 'night', 'morning', 'weekend', 'still', 'yet', 'too', 'as', 'we', 'speak']);

/**
 * Whether question `s` asks who is with the reader: "with you" within four words after a word for
 * someone (anyone, someone, who), closing the question or followed only by words of time and place
 * ("until your sister lands", "tonight", "at home"); not what someone with them can do ("Is anyone
 * with you who can drive?", "Does someone with you have the list?"). Or who stands by them: a verb
 * of empathy.json `personal.supports` with "you" as its object (after a particle or not, "up" after
 * it) in the same place ("Is anyone in the family backing you up?", "Who has been listening to you
 * in all this?"; not "Who is helping you fill in the form?").
 */
function asksCompany(t: WordTable, s: number): boolean {
  const lex = lexicon();
  const vocab = lex.vocab;
  const sent = t.sentences[s];
  for (let k = sent.firstToken + 1; k + 1 < sent.endToken; k++) {
    // "Is anyone in the family backing you up?", "Who has been listening to you in all this?": someone standing by the reader, asked after.
    if (lex.personal.supports.has(t.tokens[k])) {
      const you = k + 1 < sent.endToken && vocab.word(t.tokens[k + 1]) === 'you' ? k + 1 : k + 2 < sent.endToken && SUPPORT_PARTICLES.has(vocab.word(t.tokens[k + 1])) && vocab.word(t.tokens[k + 2]) === 'you' ? k + 2 : -1;
      if (you < 0) continue;
      let companion = false;
      for (let j = Math.max(sent.firstToken, k - 4); j < k && !companion; j++) companion = COMPANIONS.has(vocab.word(t.tokens[j]));
      if (!companion) return false;
      let end = you + 1;
      if (end < sent.endToken && vocab.word(t.tokens[end]) === 'up') end++;
      return end >= sent.endToken || (t.flags[end - 1] & FLAG_PAUSE_AFTER) !== 0 || COMPANY_CLOSERS.has(vocab.word(t.tokens[end]));
    }
    if (vocab.word(t.tokens[k]) !== 'with' || vocab.word(t.tokens[k + 1]) !== 'you') continue;
    let companion = false;
    for (let j = Math.max(sent.firstToken, k - 4); j < k && !companion; j++) companion = COMPANIONS.has(vocab.word(t.tokens[j]));
    if (!companion) return false;
    if (k + 2 >= sent.endToken || t.flags[k + 1] & FLAG_PAUSE_AFTER) return true;
    return COMPANY_CLOSERS.has(vocab.word(t.tokens[k + 2]));
  }
  return false;
}

const THIRD_PERSONS = new Set(['he', 'she', 'they', 'him', 'her', 'them']);

/** Whether question `s` asks how he or she is, or what he or she was like: a wh-opening, a third person, and a state word or "like" at the end. */
function asksAboutSomeone(t: WordTable, s: number): boolean {
  const vocab = lexicon().vocab;
  const sent = t.sentences[s];
  const first = vocab.word(t.tokens[sent.firstToken]);
  if (first !== 'what' && first !== 'how') return false;
  let person = false;
  let state = false;
  for (let k = sent.firstToken + 1; k < sent.endToken; k++) {
    const w = vocab.word(t.tokens[k]);
    if (THIRD_PERSONS.has(w)) person = true;
    else if (person && (STATE_WORDS.has(w) || (w === 'like' && k === sent.endToken - 1))) state = true;
  }
  return person && state;
}

/** Ids of the words the statement rules start from besides "you": perception words, "easy" and the words for hardship (lexicon words, so their ids are pinned), made once. */
let starterIds: IdSet | undefined;

/** Whether the response has a word the statement rules start from: "you", a perception word, a word for hardship, a validating word, "sense" or "what" ("What a week."), a load or "much" (weighsSituation). */
function mayAcknowledge(t: WordTable, flags: Uint32Array): boolean {
  const lex = lexicon();
  const starters = (starterIds ??= new IdSet([...[...PERCEPTION, 'easy', 'what', 'sense', 'much'].map((w) => lex.vocab.id(w)), ...lex.hardship, ...lex.hardshipEnds, ...lex.validation.words, ...lex.judgements.words, ...lex.judgements.qualities, ...lex.judgements.own, ...lex.personal.loads]));
  const you = YOU;
  const tokens = t.tokens;
  for (let i = 0; i < t.n; i++) if (flags[tokens[i]] & you || starters.has(tokens[i])) return true;
  return false;
}


/** Qualities a reader is told they show as a carer or a person ("you are a good daughter", "you're so strong"). */
const VIRTUES = new Set(['good', 'great', 'loving', 'caring', 'wonderful', 'devoted', 'amazing', 'kind', 'thoughtful', 'strong', 'brave', 'dedicated', 'patient', 'incredible', 'strong', 'courageous', 'resilient']);
const AFFIRMATION_LINKS = new Set(['a', 'an', 'such', 'so', 'really', 'very', 'incredibly', 'clearly', 'obviously', 'truly']);

/** Whether tokens from `j` affirm a quality of the reader: "(such) a good (daughter)", "so strong", "incredibly patient". */
function isAffirmation(t: WordTable, j: number, to: number): boolean {
  const vocab = lexicon().vocab;
  let k = j;
  while (k < to && k < j + 3 && AFFIRMATION_LINKS.has(vocab.word(t.tokens[k]))) k++;
  return k < to && VIRTUES.has(vocab.word(t.tokens[k])) && !(k + 1 < to && vocab.word(t.tokens[k + 1]) === 'at');
}

function verbForm(w: string, suffix: string): boolean {
  return w.length >= suffix.length + 2 && w.endsWith(suffix) && !NOT_READER_FORMS.has(w);
}

/**
 * Whether tokens [from, to) say something about the reader's own effort, situation or experience
 * with "you" as the subject: a progressive ("you're carrying", "you've been juggling"), a perfect
 * ("you've given so much", "you have been through"), "you've been so patient", or a simple verb
 * the speaker sees in them ("you clearly love her"). Not a judgement ("you are wrong", "you've
 * been doing it wrong"), an obligation or modal ("you need to", "you can"), a negation or a
 * passive report ("you have been told"). Reads each word a constant number of times.
 */
export function describesReader(t: WordTable, from: number, to: number): boolean {
  if (!describesReaderForm(t, from, to)) return false;
  const vocab = lexicon().vocab;
  for (let k = from; k < to; k++) if (JUDGEMENT_WORDS.has(vocab.word(t.tokens[k]))) return false;
  return true;
}

/** The grammar of describesReader, before the judgement words are read. */
function describesReaderForm(t: WordTable, from: number, to: number): boolean {
  const vocab = lexicon().vocab;
  for (let i = from; i < to; i++) {
    if (!(vocab.flags[t.tokens[i]] & WORD_YOU) || vocab.word(t.tokens[i]) !== 'you') continue;
    let j = i + 1;
    let seeing = false;
    let perfect = false;
    let progressive = false;
    let been = false;
    // At most a few words: auxiliaries and adverbs between "you" and the verb.
    for (let steps = 0; j < to && steps < 5; steps++, j++) {
      const w = vocab.word(t.tokens[j]);
      if (w === 'have' || w === 'had') {
        if (perfect || progressive) break;
        perfect = true;
      } else if (w === 'are' || w === 'were') {
        if (perfect || progressive) break;
        progressive = true;
      } else if (w === 'been' && perfect) {
        been = true;
      } else if (READER_ADVERBS.has(w) && w !== 'been') {
        if (SEEING_ADVERBS.has(w)) seeing = true;
        // "you've been so patient": an intensifier after "been" is followed by what the reader has been.
        if (been && vocab.flags[t.tokens[j]] & WORD_INTENSIFIER && j + 1 < to && !NOT_READER_VERBS.has(vocab.word(t.tokens[j + 1]))) return true;
      } else break;
    }
    if (j >= to) continue;
    const w = vocab.word(t.tokens[j]);
    if (progressive && !been && isAffirmation(t, j, to)) return true;
    if (been || progressive) {
      if (verbForm(w, 'ing') || (been && w === 'through')) return true;
    } else if (perfect) {
      if ((verbForm(w, 'ed') || IRREGULAR_PARTICIPLES.has(w)) && w !== 'been') return true;
    } else if (seeing && !NOT_READER_VERBS.has(w) && !(vocab.flags[t.tokens[j]] & WORD_NEGATOR)) return true;
  }
  return false;
}

function negatorNear(t: WordTable, at: number): boolean {
  const vocab = lexicon().vocab;
  const s = t.sentence[at];
  for (let k = at - 1; k >= 0 && k >= at - 4 && t.sentence[k] === s; k--) {
    const w = vocab.word(t.tokens[k]);
    if (vocab.flags[t.tokens[k]] & WORD_NEGATOR || w === 'without') return true;
  }
  return false;
}
