/** Jargon that the response explains itself is plain enough: the term's plain words nearby, or a definition where it stands. */
import type { ToneMatch } from './axes';

/** Removes the jargon matches whose term the response explains ("dysphagia means ...", "confusion, called delirium") or pairs with its plain words. */
export function dropExplainedJargon(segments: readonly string[], matches: ToneMatch[]): void {
  if (!matches.some((m) => m.kind === 'jargon')) return;
  const lowerText = segments.join('\n').toLowerCase();
  // A term is often matched several times: its plain words are looked for once.
  const plainFound = new Map<string, boolean>();
  const saysPlainly = (plain: string): boolean => {
    let found = plainFound.get(plain);
    if (found === undefined) plainFound.set(plain, (found = lowerText.includes(plain.toLowerCase())));
    return found;
  };
  for (let k = matches.length - 1; k >= 0; k--) {
    const m = matches[k];
    if (m.kind !== 'jargon') continue;
    if ((m.plain && saysPlainly(m.plain)) || explainedInPlace(segments[m.seg], m.start, m.end)) matches.splice(k, 1);
  }
}

/** "dysphagia means ...", "called delirium", "NBM stands for ...", "X (a ...)": the term is explained where it stands. */
function explainedInPlace(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 24).toLowerCase();
  if (/^\s*(?:means|is when|is what|is a |is an |is the |stands for|refers to|describes|\(|,? or |: |— |- )/.test(after)) return true;
  // "sudden confusion, called delirium": a description, then its name ("This is called sundowning" names it without describing it).
  const before = text.slice(Math.max(0, start - 32), start).toLowerCase();
  if (!before.includes('call') && !before.includes('known')) return false;
  const m = /([a-z]+),?\s+(?:called|known as|nurses call|doctors call)\s*['"\u2018\u201c]?$/.exec(before);
  return m !== null && !/^(?:is|are|was|were|this|that|it|be|been)$/.test(m[1]);
}
