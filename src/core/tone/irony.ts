/**
 * Sarcasm read from its structure instead of from listed phrases (issue 11). People who write
 * sarcasm rarely reuse each other's words, but they reuse its shapes:
 *
 * - praise or agreement followed, in the same sentence or the next, by a bad outcome ("Brilliant
 *   idea, that should land her back in hospital", "Sure, skip it. What could go wrong? ... worse");
 * - a question the speaker answers at once, curtly ("Will he listen? Of course not.");
 * - the person's own words handed back as a short question or exclamation ("Too tired to cook?",
 *   "Once a week!"), first person turned into second ("I forgot my tablet" → "Forgot your tablet?");
 * - exclaimed praise of what a person in distress has just reported ("Wonderful, another fall!");
 * - mock emphasis: an intensifier or praise marked up as stressed ("that must have been *so* hard").
 *
 * Dismissal has shapes too: a sweeping generalisation ("Everyone forgets names at 74."), deference
 * to someone else's word ("Your husband's right."), both paired, and a tautology ("If the doctors
 * say she's ready, she's ready."), a sign on its own.
 *
 * Each shape can be sincere on its own (a reflective question, "Is it your fault? No."), so each is
 * reported as a `paired` cue: analyze.ts counts it only beside another put-down, or beside a second
 * cue in a reply that acknowledges no feeling. One pass over the sentences; each looks at itself and
 * the next, so the work is linear in the words.
 */
import type { Lexicon } from './lexicon';
import * as lexiconFlags from './lexicon';
import { negatedBefore, phraseAt } from './match';
import { promptPair, promptWord, PromptReading } from './prompt';
import * as wordFlags from './words';
import type { WordTable } from './words';

// Local copies of the flag bits: read in loops over every word, where an imported binding costs a property read each time.
const { WORD_DISCOURSE, WORD_ENGLISH, WORD_FRAME_LINK, WORD_INTENSIFIER, WORD_NEGATOR, WORD_QUESTION_AUX } = lexiconFlags;
const WORD_YOU_BIT = lexiconFlags.WORD_YOU;
const { FLAG_PAUSE_AFTER, FLAG_QUOTED } = wordFlags;

const STAR = 42;
const UNDERSCORE = 95;

function isFirstPerson(lex: Lexicon, id: number): boolean {
  return id < lex.irony.person.length && lex.irony.person[id] !== 0;
}

/** Longest sentence (written words) read as words handed back, and as a curt answer. */
const ECHO_WORDS = 8;
const ANSWER_WORDS = 4;

/** The first token of [from, to) in `set`, not negated and not quoted; -1 if none. */
function firstOf(lex: Lexicon, t: WordTable, set: Set<number>, from: number, to: number): number {
  for (let k = from; k < to; k++) if (set.has(t.tokens[k]) && !(t.flags[k] & FLAG_QUOTED) && !negatedBefore(lex.vocab, t, k)) return k;
  return -1;
}

/** A bad outcome in [from, to) that the person did not name themselves (answering "will it get worse?" with "it may get worse" is sincere). */
function outcomeIn(lex: Lexicon, t: WordTable, from: number, to: number, prompt: PromptReading | undefined): number {
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (!lex.irony.outcomes.has(id) || t.flags[k] & FLAG_QUOTED || negatedBefore(lex.vocab, t, k)) continue;
    if (prompt && promptWord(prompt.stamp, id)) continue;
    return k;
  }
  return -1;
}

/** Praise anywhere in the sentence, or agreement opening it ("Sure, ...", "Oh yes, ..."). */
function praiseAt(lex: Lexicon, t: WordTable, from: number, to: number): number {
  const praise = firstOf(lex, t, lex.irony.praise, from, to);
  if (praise >= 0) return praise;
  let k = from;
  while (k < to && lex.vocab.flags[t.tokens[k]] & WORD_DISCOURSE && !lex.irony.agreement.has(t.tokens[k])) k++;
  return k < to && lex.irony.agreement.has(t.tokens[k]) && !(t.flags[k] & FLAG_QUOTED) ? k : -1;
}

/** The longest run of tokens in [from, to) whose neighbours stand side by side in the prompt: [start, length]. */
function echoedRun(t: WordTable, from: number, to: number, stamp: number): [number, number] {
  let best = 0;
  let bestStart = from;
  let run = 1;
  for (let k = from + 1; k < to; k++) {
    const a = t.tokens[k - 1];
    const b = t.tokens[k];
    if (promptPair(stamp, a, b)) run++;
    else run = 1;
    if (run > best) {
      best = run;
      bestStart = k - run + 1;
    }
  }
  return best >= 2 ? [bestStart, best] : [from, 0];
}

/** Whether [from, from + length) holds a word that carries content (not only "you are", "it is"). */
function hasContentWord(lex: Lexicon, t: WordTable, from: number, length: number): boolean {
  for (let k = from; k < from + length; k++) {
    const w = lex.vocab.word(t.tokens[k]);
    if (w.length >= 4 && !(lex.vocab.flags[t.tokens[k]] & WORD_NEGATOR) && !isFirstPerson(lex, t.tokens[k]) && w !== 'your' && w !== 'have' && w !== 'been') return true;
  }
  return false;
}

/**
 * Whether [from, to) hands words back as a fragment rather than asking about them: a clarifying
 * question opens with a question word or an auxiliary ("Do you mean ...?", "What do you mean by
 * ...?"), and the speaker's own "I" or "me" makes it the speaker's sentence.
 */
function isFragment(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  if (lex.vocab.flags[t.tokens[from]] & WORD_QUESTION_AUX || lex.irony.questionWords.has(t.tokens[from])) return false;
  for (let k = from; k < to; k++) if (isFirstPerson(lex, t.tokens[k])) return false;
  return true;
}

/** Whether [from, to) holds "only", "just" or "barely" right before a number ("only five a day", "just 2 hours"). */
function minimisedCount(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  for (let k = from; k + 1 < to; k++) {
    if (!lex.irony.minimisers.has(t.tokens[k])) continue;
    const next = lex.vocab.word(t.tokens[k + 1]);
    if (lex.irony.numbers.has(t.tokens[k + 1]) || (next.charCodeAt(0) >= 48 && next.charCodeAt(0) <= 57)) return true;
  }
  return false;
}

/**
 * A clause said twice, the second time after a comma or "so", as the last word on the matter ("If
 * the doctors say she's ready, she's ready.", "Your wife says you're fine, so you're fine.").
 */
function tautology(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  for (let p = from; p < to - 2; p++) {
    if (!(t.flags[p] & FLAG_PAUSE_AFTER)) continue;
    let tail = p + 1;
    if (lex.irony.thenWords.has(t.tokens[tail])) tail++;
    const length = to - tail;
    if (length < 2 || length > 5 || p + 1 - length < from) continue;
    let same = true;
    for (let k = 0; k < length && same; k++) same = t.tokens[tail + k] === t.tokens[p + 1 - length + k];
    if (same) return true;
  }
  return false;
}

/**
 * A short whole sentence that sweeps the person's case into everyone's ("Everyone forgets names at
 * 74.", "Old people see things.", "Not every surgery has a hoist.", "Period pain is normal."): no
 * "you" in it, a group or everyone as the subject, or the matter called normal and nothing more.
 */
function generalises(lex: Lexicon, t: WordTable, from: number, to: number, words: number): boolean {
  if (words > 7) return false;
  const vocab = lex.vocab;
  for (let k = from; k < to; k++) if (vocab.flags[t.tokens[k]] & WORD_YOU_BIT) return false;
  const first = t.tokens[from];
  if (lex.irony.groups.has(first)) return true;
  if (vocab.word(first) === 'old' && from + 1 < to && lex.irony.groups.has(t.tokens[from + 1])) return true;
  if (vocab.flags[first] & WORD_NEGATOR && from + 1 < to && vocab.word(t.tokens[from + 1]) === 'every') return true;
  // "<something> is normal." and nothing else.
  return words <= 5 && to - from >= 3 && lex.irony.normal.has(t.tokens[to - 1]) && BE.has(vocab.word(t.tokens[to - 2]));
}
const BE = new Set(['is', 'are']);
const HEDGES = new Set(['probably', 'definitely', 'quite', 'totally', 'absolutely']);

/** Deference to someone else's word in place of the person's worry: "Your husband's right", "Your mum's probably right", "The doctors are right." */
function defers(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  const vocab = lex.vocab;
  for (let k = from + 2; k < to; k++) {
    if (vocab.word(t.tokens[k]) !== 'right') continue;
    if (k + 1 < to && (vocab.word(t.tokens[k + 1]) === 'to' || vocab.word(t.tokens[k + 1]) === 'that' || vocab.word(t.tokens[k + 1]) === 'now')) return false;
    let j = k - 1;
    if (j > from && HEDGES.has(vocab.word(t.tokens[j]))) j--;
    const w = vocab.word(t.tokens[j]);
    // "Your husband's right": the possessive-looking 's is "is" after a noun.
    if (w.endsWith("'s")) return lex.irony.others.has(vocab.id(w.slice(0, -2)));
    return BE.has(w) && j - 1 >= from && lex.irony.others.has(t.tokens[j - 1]);
  }
  return false;
}

/** Whether [from, to) is praise alone, with at most interjections and intensifiers around it. */
function onlyPraise(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  let praise = 0;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (lex.irony.praise.has(id)) praise++;
    else if (!(lex.irony.interjections.has(id) || lex.vocab.flags[id] & (WORD_INTENSIFIER | WORD_DISCOURSE))) return false;
  }
  return praise > 0;
}

/** Whether most content words of [from, to) (two or more) are the prompt's ("Forgot a tablet?" after "I forgot my blood pressure tablet"). */
function echoedContent(lex: Lexicon, t: WordTable, from: number, to: number, stamp: number): boolean {
  let content = 0;
  let echoed = 0;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (lex.vocab.flags[id] & (WORD_ENGLISH | WORD_FRAME_LINK | WORD_DISCOURSE) || lex.vocab.word(id).length < 3 || isFirstPerson(lex, id)) continue;
    content++;
    if (promptWord(stamp, id)) echoed++;
  }
  return echoed >= 2 && 2 * echoed >= content;
}

/**
 * Reports each structural sarcasm cue of a response as a token range [from, to). `prompt`, when it
 * is the latest reading (its words are needed for echoes), enables the shapes that hand the
 * person's words back.
 */
export function findIrony(lex: Lexicon, t: WordTable, segments: readonly string[], prompt: PromptReading | undefined, report: (from: number, to: number, category: string, paired: boolean) => void): void {
  const sentences = t.sentences;
  const onCue = (from: number, to: number) => report(from, to, 'sarcasm', true);
  // Dismissal by its shapes: a sweeping generalisation or deference to someone else's word (paired), a tautology (a sign alone).
  for (let s = 0; s < sentences.length; s++) {
    const sent = sentences[s];
    if (sent.question || sent.firstToken >= sent.endToken) continue;
    if (tautology(lex, t, sent.firstToken, sent.endToken)) report(sent.firstToken, sent.endToken, 'dismissive', false);
    else if (generalises(lex, t, sent.firstToken, sent.endToken, sent.words) || defers(lex, t, sent.firstToken, sent.endToken)) report(sent.firstToken, sent.endToken, 'dismissive', true);
  }
  // Mock emphasis: an intensifier or a word of praise marked up as stressed ("that must have been *so* hard", "_such_ a great idea").
  for (let k = 0; k < t.n; k++) {
    const id = t.tokens[k];
    if (!(lex.vocab.flags[id] & WORD_INTENSIFIER || lex.irony.praise.has(id))) continue;
    const text = segments[sentences[t.sentence[k]].seg];
    const before = text.charCodeAt(t.start[k] - 1);
    const after = text.charCodeAt(t.end[k]);
    if ((before === STAR && after === STAR) || (before === UNDERSCORE && after === UNDERSCORE)) onCue(k, k + 1);
  }
  const fresh = prompt && prompt.generation === lex.vocab.generation ? prompt : undefined;
  for (let s = 0; s < sentences.length; s++) {
    const sent = sentences[s];
    const next = s + 1 < sentences.length && sentences[s + 1].seg === sent.seg ? sentences[s + 1] : undefined;
    const from = sent.firstToken;
    const to = sent.endToken;
    if (from >= to) continue;

    // Praise or agreement, then a bad outcome in the sentence or the next.
    const praise = praiseAt(lex, t, from, to);
    if (praise >= 0 && !sent.question) {
      const outcome = outcomeIn(lex, t, praise + 1, to, fresh);
      if (outcome >= 0) {
        onCue(praise, outcome + 1);
        continue;
      }
      if (next && outcomeIn(lex, t, next.firstToken, next.endToken, fresh) >= 0) {
        onCue(praise, to);
        continue;
      }
    }

    // Praise as a whole sentence ("Marvellous.", "Oh, impressive.") or praise of what was just agreed to ("Sure, that will go perfectly.").
    if (praise >= 0 && !sent.question && (onlyPraise(lex, t, from, to) || (lex.irony.agreement.has(t.tokens[praise]) && firstOf(lex, t, lex.irony.praise, praise + 1, to) >= 0))) {
      onCue(from, to);
      continue;
    }

    // Praise that makes little of what it praises: "Congratulations, only five a day!", "Well done, just two hours late."
    if (praise >= 0 && lex.irony.praise.has(t.tokens[praise]) && minimisedCount(lex, t, praise + 1, to)) {
      onCue(from, to);
      continue;
    }

    // A question the speaker answers at once, curtly.
    if (sent.question && next && !next.question && next.words <= ANSWER_WORDS && next.firstToken < next.endToken) {
      if (phraseAt(t, lex.irony.answers, next.firstToken, next.endToken)) {
        onCue(next.firstToken, next.endToken);
        s++;
        continue;
      }
    }

    if (!fresh) continue;
    // The person's own words handed back in a short question, exclamation or interjection ("Oh, once a month.").
    if ((sent.question || sent.exclaim || lex.irony.interjections.has(t.tokens[from])) && sent.words <= ECHO_WORDS && isFragment(lex, t, from, to)) {
      const [start, length] = echoedRun(t, from, to, fresh.stamp);
      if ((length >= 3 || (length >= 2 && sent.words <= ANSWER_WORDS)) && 2 * length >= to - from && hasContentWord(lex, t, start, length)) {
        onCue(from, to);
        continue;
      }
      if (echoedContent(lex, t, from, to, fresh.stamp)) {
        onCue(from, to);
        continue;
      }
    }
    // The same as the opening clause of a longer sentence ("Eleven times, gosh, ...").
    let clauseEnd = from;
    while (clauseEnd < to && !(t.flags[clauseEnd] & FLAG_PAUSE_AFTER)) clauseEnd++;
    if (clauseEnd < to - 1 && clauseEnd - from < ANSWER_WORDS && isFragment(lex, t, from, clauseEnd + 1)) {
      const [start, length] = echoedRun(t, from, clauseEnd + 1, fresh.stamp);
      if (length === clauseEnd + 1 - from && hasContentWord(lex, t, start, length)) {
        onCue(from, clauseEnd + 1);
        continue;
      }
    }
    // Exclaimed praise of what a person in distress reported.
    if (fresh.distress && sent.exclaim && praise >= 0 && lex.irony.praise.has(t.tokens[praise])) {
      const [start, length] = echoedRun(t, from, to, fresh.stamp);
      if (length >= 2 && hasContentWord(lex, t, start, length)) onCue(from, to);
    }
  }
}

