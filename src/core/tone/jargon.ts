/** Jargon that the response explains itself is plain enough: the term's plain words nearby, or a definition where it stands. */
import type { ToneMatch } from './axes';

/** Removes the jargon matches whose term the response explains ("dysphagia means ...", "confusion, called delirium") or pairs with its plain words. */
export function dropExplainedJargon(segments: readonly string[], matches: ToneMatch[]): void {
  if (!matches.some((m) => m.kind === 'jargon')) return;
  // Lower-cased once, and only when a term has plain words to look for.
  let lowerText: string | undefined;
  // A term is often matched several times: its plain words are looked for once.
  const plainFound = new Map<string, boolean>();
  const saysPlainly = (plain: string): boolean => {
    let found = plainFound.get(plain);
    if (found === undefined) plainFound.set(plain, (found = (lowerText ??= segments.join('\n').toLowerCase()).includes(plain.toLowerCase())));
    return found;
  };
  for (let k = matches.length - 1; k >= 0; k--) {
    const m = matches[k];
    if (m.kind !== 'jargon') continue;
    if ((m.plain && saysPlainly(m.plain)) || explainedInPlace(segments[m.seg], m.start, m.end)) matches.splice(k, 1);
  }
}

/**
 * What may open a definition after the term, read from the text as written: the first character after the spaces, of any case,
 * that lower-cases to the first character of one of DEFINITION's openings (U+0130 lower-cases to "i" and a dot). Most terms are
 * followed by none of them, and then the text after the term is not cut out and lower-cased.
 */
const DEFINITION_START = /\s*[mMiI\u0130sSrRdDoO(,:\u2014-]/y;
const DEFINITION = /^\s*(?:means|is when|is what|is a |is an |is the |stands for|refers to|describes|\(|,? or |: |— |- )/;
/** "call" or "known" in any case, as written (U+212A, the Kelvin sign, lower-cases to "k"): the only text where a naming clause can end. */
const NAMING_WORD = /[cC][aA][lL][lL]|[kK\u212A][nN][oO][wW][nN]/;

/** "dysphagia means ...", "called delirium", "NBM stands for ...", "X (a ...)": the term is explained where it stands. */
function explainedInPlace(text: string, start: number, end: number): boolean {
  DEFINITION_START.lastIndex = end;
  if (DEFINITION_START.test(text) && DEFINITION.test(text.slice(end, end + 24).toLowerCase())) return true;
  // "sudden confusion, called delirium": a description, then its name ("This is called sundowning" names it without describing it).
  const written = text.slice(Math.max(0, start - 32), start);
  if (!NAMING_WORD.test(written)) return false;
  const before = written.toLowerCase();
  const m = /([a-z]+),?\s+(?:called|known as|nurses call|doctors call)\s*['"\u2018\u201c]?$/.exec(before);
  return m !== null && !/^(?:is|are|was|were|this|that|it|be|been)$/.test(m[1]);
}
