import { analysisRule, RecordAnalysis, SideAnalysis } from '../curation/recordAnalysis';
import { ruleFinding, ruleOff, ruleThreshold } from '../curation/meta';
import { RecordRule, RuleContext } from '../engine';
import { Finding } from '../findings';
import { formatPath, Turn } from '../parts';
import { ColumnRange, LineLocator } from '../positions';
import { evidencedEmpathy } from './analyze';
import { ToneMatch, ToneScores, ToneSpan } from './axes';
import { lexicon } from './lexicon';
import { ReadPart } from './limits';

/** At most this many findings per rule per response: a pathological response should not flood the Problems panel. */
const MAX_PER_RULE = 5;

function spanRange(locator: LineLocator, side: SideAnalysis, span: ToneSpan): { range: ColumnRange; field: string } {
  const turn = side.turns[span.seg];
  const range = locator.stringRange(turn.path, turn.offset + span.start, turn.offset + span.end) ?? locator.valueRange(turn.path);
  return { range, field: formatPath(turn.path) };
}

function matchText(side: SideAnalysis, m: ToneSpan): string {
  return side.turns[m.seg].content.slice(m.start, m.end);
}

/** Puts a plain alternative in the case of the word it replaces ("Hypertension" → "High blood pressure"). */
export function matchCase(original: string, replacement: string): string {
  const first = original.charAt(0);
  const capitalised = first !== first.toLowerCase() && original !== original.toUpperCase();
  return capitalised ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
}

/** JSON string-body text for a replacement (what goes between the quotes in the file). */
export function jsonStringBody(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

const KIND_WORDS: Record<string, string> = {
  'bare-command': 'a bare command',
  'curt-reply': 'curt',
  blame: 'blame',
  obligation: 'an obligation',
  directive: 'a directive',
  'negative-order': 'a negative order',
  'stacked-imperatives': 'a run of orders',
  sarcasm: 'sarcasm',
  dismissive: 'dismissive',
  minimising: 'minimising (it shrinks the loss or the feeling)',
  callous: 'callous',
  shrug: 'a shrug',
  condescension: 'condescending',
  profanity: 'profanity',
  insult: 'an insult',
  shouting: 'shouting',
};

function floorScores(scores: ToneScores): ToneScores {
  const out = { ...scores };
  for (const k of Object.keys(out) as (keyof ToneScores)[]) out[k] = Math.floor(out[k] * 100) / 100;
  return out;
}

function lintSide(a: RecordAnalysis, side: SideAnalysis, locator: LineLocator, ctx: RuleContext, out: Finding[]): void {
  const config = ctx.config;
  const tone = side.tone;
  if (tone.words === 0) return;
  // The lexicons are English: on another language one note instead of misread findings.
  const language = side.language;
  if (!language.english) {
    if (!ruleOff(config, 'tone-language')) {
      const turn = side.turns[0];
      out.push(ruleFinding('tone-language', locator.valueRange(turn.path), { side: side.side, reason: language.reason }, { field: formatPath(turn.path) }));
    }
    return;
  }
  // Scores in messages are rounded down, so "0.45, below 0.45" cannot happen.
  const s = floorScores(tone.scores);
  const name = side.side;

  const emit = (id: string, matches: ToneMatch[], values: (m: ToneMatch, text: string) => Record<string, string | number>, data?: (m: ToneMatch, text: string) => Record<string, unknown>) => {
    for (const m of matches.slice(0, MAX_PER_RULE)) {
      const text = matchText(side, m);
      const { range, field } = spanRange(locator, side, m);
      // `phrase`: the words as written (unescaped), for "Allow this phrase".
      out.push(ruleFinding(id, range, { side: name, threshold: ruleThreshold(config, id), ...values(m, text) }, { field, data: { phrase: text, ...data?.(m, text) } }));
    }
  };

  // The empathy rule reads the score the evidence gives: the weak attention layer breaks ties between replies, it does not add or remove a warning.
  const empathy = Math.floor(evidencedEmpathy(tone) * 100) / 100;
  if (!ruleOff(config, 'tone-empathy') && empathy < ruleThreshold(config, 'tone-empathy') && tone.opening && a.distress) {
    const { range, field } = spanRange(locator, side, tone.opening);
    const families = lexicon().families.filter((f, k) => f.distress && a.prompt.families & (1 << k));
    const feelings = families.map((f) => f.label).join(', ');
    out.push(
      ruleFinding('tone-empathy', range, { side: name, feelings, score: empathy, threshold: ruleThreshold(config, 'tone-empathy') }, { field, data: { score: empathy, feelings: families.map((f) => f.id) } }),
    );
  }
  if (!ruleOff(config, 'tone-politeness') && s.politeness < ruleThreshold(config, 'tone-politeness')) {
    const evidence = tone.matches.filter((m) => m.kind === 'blame' || m.kind === 'command' || m.kind === 'curt').sort((x, y) => x.weight - y.weight);
    emit('tone-politeness', evidence, (m, text) => ({ detail: `"${text}"`, kind: KIND_WORDS[m.category] ?? m.category, score: s.politeness }));
  }
  if (!ruleOff(config, 'tone-simplicity') && s.simplicity < ruleThreshold(config, 'tone-simplicity') && tone.hardest) {
    const { range, field } = spanRange(locator, side, tone.hardest);
    out.push(
      ruleFinding(
        'tone-simplicity',
        range,
        { side: name, grade: Math.round(tone.hardest.grade), words: tone.hardest.words, total: Math.round(tone.grade), score: s.simplicity, threshold: ruleThreshold(config, 'tone-simplicity') },
        { field, data: { grade: tone.grade, score: s.simplicity } },
      ),
    );
  }
  if (!ruleOff(config, 'tone-prescriptive') && s.nonPrescriptive < ruleThreshold(config, 'tone-prescriptive')) {
    const evidence = tone.matches.filter((m) => m.axis === 'nonPrescriptive').sort((x, y) => x.weight - y.weight);
    emit('tone-prescriptive', evidence, (m, text) => ({ text: text.length > 60 ? `${text.slice(0, 57)}...` : text, category: KIND_WORDS[m.category] ?? m.category, score: s.nonPrescriptive }));
  }
  if (!ruleOff(config, 'tone-jargon') && s.plainLanguage < ruleThreshold(config, 'tone-jargon')) {
    const evidence = tone.matches.filter((m) => m.kind === 'jargon');
    emit(
      'tone-jargon',
      evidence,
      (m, text) => ({ text, plain: m.plain ?? '', score: s.plainLanguage }),
      (m, text) => {
        const replacement = matchCase(text, m.plain ?? text);
        return { fix: 'replace', term: text, replacement, newText: jsonStringBody(replacement) };
      },
    );
  }
  if (!ruleOff(config, 'tone-respect') && s.respect < ruleThreshold(config, 'tone-respect')) {
    const evidence = tone.matches.filter((m) => m.axis === 'respect').sort((x, y) => x.weight - y.weight);
    emit('tone-respect', evidence, (m, text) => ({ text: text.length > 60 ? `${text.slice(0, 57)}...` : text, category: KIND_WORDS[m.category] ?? m.category, score: s.respect }), (m) => ({ category: m.category }));
  }
}

/** A note on each text of the record that was too long to read whole (see limits.ts), on the turn where the reading stopped. */
function noteTruncation(a: RecordAnalysis, locator: LineLocator, ctx: RuleContext, out: Finding[]): void {
  if (ruleOff(ctx.config, 'tone-truncated')) return;
  const note = (turn: Turn, part: string, which: 'first' | 'last', read: ReadPart) => {
    out.push(ruleFinding('tone-truncated', locator.valueRange(turn.path), { part, length: read.length.toLocaleString('en-US'), which, chars: read.chars.toLocaleString('en-US') }, { field: formatPath(turn.path), data: { chars: read.chars, length: read.length } }));
  };
  if (a.promptRead) note(a.promptTurns[a.promptRead.turn], 'prompt', 'last', a.promptRead);
  for (const side of [a.chosen, a.rejected]) if (side?.toneRead) note(side.turns[side.toneRead.turn], `${side.side} response`, 'first', side.toneRead);
}

/**
 * Tone findings on the chosen response (and on the rejected one when `lintRejected` is set),
 * each at the exact range of the words concerned; and a note on any text too long to read whole
 * (both sides: the rejected side's tone counts in the pair rules too).
 */
export const toneRule: RecordRule = analysisRule('tone', (a, record, ctx, out) => {
  lintSide(a, a.chosen, record.locator, ctx, out);
  if (ctx.config.lintRejected && a.rejected) lintSide(a, a.rejected, record.locator, ctx, out);
  noteTruncation(a, record.locator, ctx, out);
});
