import { CodeUnits } from '../codeUnits';
import { ruleFinding, ruleOff, ruleThreshold } from '../curation/meta';
import { analysisRule, RecordAnalysis, SideAnalysis } from '../curation/recordAnalysis';
import { RecordInput, RecordRule, RuleContext } from '../engine';
import { Finding } from '../findings';
import { FormatId } from '../formats';
import { formatPath, isTranscript, Turn } from '../parts';
import { ColumnRange, LineLocator } from '../positions';
import { AXIS_LABELS, evidencedEmpathy, weakestAxis } from '../tone/analyze';
import { SIDE_KEYS } from './fixes';

/** Case and white space do not make two responses different. */
export function normalizeResponse(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Code units that `String.prototype.trim` and `\s` treat as white space. */
function isJsSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Per ASCII code unit, 1 for the white space of `isJsSpace`. */
const ASCII_SPACE = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_SPACE[c] = isJsSpace(c) ? 1 : 0;

/** The code units of the text being measured (see normalizedLength). */
const measuredUnits = new CodeUnits();

/**
 * `normalizeResponse(text).length` without building the string: runs of white space count once,
 * leading and trailing white space not at all, and the one character whose lower case is longer
 * (U+0130, "İ" → "i̇") counts twice. That is the characters that are not white space, the extra
 * one of each U+0130, and one space between each two runs of them. Counted without a branch per
 * character (a run's start is a non-space after a space), over a copy of the code units.
 */
export function normalizedLength(text: string): number {
  const u = measuredUnits.of(text);
  const len = text.length;
  let kept = 0;
  let runs = 0;
  // Whether the code unit before is white space (1 before the first, so a leading run starts a run).
  let space = 1;
  for (let i = 0; i < len; i++) {
    const c = u[i];
    let s: number;
    if (c < 128) s = ASCII_SPACE[c];
    else {
      s = isJsSpace(c) ? 1 : 0;
      if (c === 0x130) kept++;
    }
    runs += space & (s ^ 1);
    kept += s ^ 1;
    space = s;
  }
  return runs ? kept + runs - 1 : 0;
}

/**
 * Whether the ratio of the two texts' normalised lengths (the smaller over the larger; 1 when both
 * are 0) is below `threshold`. The text that is longer as written is measured; the other only
 * when its length as written does not settle it. Without a U+0130 a text's normalised length is
 * at most its length, so when that length over the other's normalised length is already below
 * the threshold, the ratio is too: division rounds monotonically, and if that text were the
 * longer one once normalised, the quotient (and so the threshold) would be above 1, which the
 * ratio never is.
 */
export function lengthsTooFar(x: string, y: string, threshold: number): boolean {
  const xShorter = x.length <= y.length;
  const shorter = xShorter ? x : y;
  const longer = normalizedLength(xShorter ? y : x);
  if (shorter.length / longer < threshold && shorter.indexOf('\u0130') < 0) return true;
  const other = normalizedLength(shorter);
  const bound = Math.max(other, longer) === 0 ? 1 : Math.min(other, longer) / Math.max(other, longer);
  return bound < threshold;
}

/** Share of the longer text covered by the common beginning and end (1 = equal). */
export function prefixSuffixSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  if (max === 0) return 1;
  const min = Math.min(a.length, b.length);
  let p = 0;
  while (p < min && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return (p + s) / max;
}

function sideKey(format: FormatId | undefined, side: 'chosen' | 'rejected', a: SideAnalysis | undefined): string | undefined {
  const first = a?.turns[0]?.path[0];
  if (typeof first === 'string') return first;
  return format ? SIDE_KEYS[format][side] : undefined;
}

function keyRange(locator: LineLocator, key: string | undefined): ColumnRange {
  return key ? locator.keyRange([key]) : locator.lineRange();
}

function isBlank(side: SideAnalysis): boolean {
  return side.turns.length === 0 || side.text.trim().length === 0;
}

function checkPair(a: RecordAnalysis, record: RecordInput, ctx: RuleContext, out: Finding[]): void {
  const { locator, format } = record;
  const config = ctx.config;
  const sides = a.rejected ? [a.chosen, a.rejected] : [a.chosen];
  let blank = false;
  for (const side of sides) {
    if (!isBlank(side)) continue;
    blank = true;
    // A side with no turn at all (the field is missing, not text, or an empty list) is the
    // schema's to report; a chat record without an assistant turn, the conversation checks'.
    if (side.turns.length === 0) continue;
    const key = sideKey(format, side.side, side);
    const path = side.turns[0]?.path ?? (key ? [key] : []);
    const range = locator.valueRange(path);
    out.push(ruleFinding('pair-empty', range, { side: side.side }, { field: formatPath(path) }));
  }
  const rejected = a.rejected;
  if (blank || !rejected) return;
  const chosenKey = sideKey(format, 'chosen', a.chosen);
  const rejectedKey = sideKey(format, 'rejected', rejected);
  const field = rejectedKey ?? 'rejected';

  if (a.chosen.text === rejected.text) {
    out.push(ruleFinding('pair-identical', keyRange(locator, rejectedKey), {}, { field }));
    return;
  }
  if (!ruleOff(config, 'pair-near-identical')) {
    const threshold = ruleThreshold(config, 'pair-near-identical');
    // The similarity is at most the ratio of the normalised lengths: when that is already below the
    // threshold (almost every pair), the texts need not be normalised at all.
    const similarity = lengthsTooFar(a.chosen.text, rejected.text, threshold) ? 0 : prefixSuffixSimilarity(normalizeResponse(a.chosen.text), normalizeResponse(rejected.text));
    if (similarity >= threshold) {
      out.push(ruleFinding('pair-near-identical', keyRange(locator, rejectedKey), { similarity }, { field, data: { similarity } }));
      return;
    }
  }
  if (!ruleOff(config, 'pair-inverted')) {
    const c = a.chosen.tone.scores;
    const r = rejected.tone.scores;
    // Tone scores compare English texts only (see tone-language); asked only of a pair that looks inverted.
    if (r.tone - c.tone > ruleThreshold(config, 'pair-inverted') && readerWouldSwap(a, config) && a.chosen.language.english && rejected.language.english) {
      const weakest = weakestAxis(c);
      // The tone note counts (and folds) exactly the pairs reported here.
      record.facts.iv = 1;
      out.push(
        ruleFinding(
          'pair-inverted',
          keyRange(locator, chosenKey),
          { chosen: c.tone, rejected: r.tone, weakest: `${AXIS_LABELS[weakest]} ${Math.round(c[weakest] * 100) / 100}` },
          { field: chosenKey ?? 'chosen', data: chosenKey && rejectedKey ? { fix: 'swap', fields: [chosenKey, rejectedKey], chosenTone: c.tone, rejectedTone: r.tone } : { chosenTone: c.tone, rejectedTone: r.tone } },
        ),
      );
    }
  }
}

/** The axes whose tone rules name a problem a reader sees at once, with the rule that judges each. */
const PROBLEM_AXES = [
  ['respect', 'tone-respect'],
  ['politeness', 'tone-politeness'],
  ['nonPrescriptive', 'tone-prescriptive'],
  ['plainLanguage', 'tone-jargon'],
  ['simplicity', 'tone-simplicity'],
] as const;

/**
 * A higher tone score alone does not make a pair inverted: a reader would swap the two only when
 * the chosen response has a problem they can name (a put-down, orders, a curt reply, jargon, an
 * unreadable sentence, or no acknowledgement of the distress the prompt shows) and the rejected
 * one does not (two dismissive replies are both wrong, not swapped).
 */
function readerWouldSwap(a: RecordAnalysis, config: RuleContext['config']): boolean {
  const c = a.chosen.tone.scores;
  const r = a.rejected!.tone.scores;
  let chosenProblem = false;
  for (const [axis, rule] of PROBLEM_AXES) {
    const threshold = ruleThreshold(config, rule);
    // Readability and plain words weigh less: a rejected reply that is merely harder to read is still a fair swap.
    if (axis !== 'simplicity' && axis !== 'plainLanguage' && r[axis] < threshold) return false;
    if (c[axis] < threshold) chosenProblem = true;
  }
  const empathy = ruleThreshold(config, 'tone-empathy');
  // The score the evidence gives, as the tone-empathy rule reads it (without the attention layer, which only breaks ties).
  if (a.distress && evidencedEmpathy(a.chosen.tone) < empathy && evidencedEmpathy(a.rejected!.tone) >= empathy) chosenProblem = true;
  return chosenProblem;
}

/** Pair checks: empty responses, identical or near-identical pairs, inverted pairs. */
export const pairRule: RecordRule = analysisRule('pairs', checkPair);

const SYSTEM_ROLES = new Set(['system', 'developer']);
/** Formats whose bundled schema already requires chosen/rejected turns to be assistant turns. */
const SCHEMA_CHECKS_RESPONSE_ROLES = new Set<FormatId | undefined>(['trl-conversational', 'openai-preference']);
/** Formats whose turns carry roles at all (plain-text prompts have none to check). */
function hasRoles(format: FormatId | undefined, value: Record<string, unknown>): boolean {
  if (format === 'trl-standard') return typeof value.prompt === 'string' && isTranscript(value.prompt);
  if (format === 'trl-implicit') return Array.isArray(value.chosen);
  return format !== undefined;
}

/** Where to point for a turn's role: the `role` value of a message, or the start of an HH turn. */
function roleRange(locator: LineLocator, turn: Turn): { range: ColumnRange; field: string } {
  const contentAt = turn.path.lastIndexOf('content');
  if (contentAt > 0) {
    const rolePath = [...turn.path.slice(0, contentAt), 'role'];
    return { range: locator.valueRange(rolePath), field: formatPath(rolePath) };
  }
  const range = locator.stringRange(turn.path, turn.offset, turn.offset + Math.min(turn.content.length, 40)) ?? locator.valueRange(turn.path);
  return { range, field: formatPath(turn.path) };
}

/** The first turn-order problem in a sequence of turns, given the role before it. */
function orderProblem(turns: readonly Turn[], previous: string | undefined, seenDialogue: boolean): { turn: Turn; detail: string } | undefined {
  let prev = previous;
  let dialogue = seenDialogue;
  for (const turn of turns) {
    const role = turn.role;
    if (SYSTEM_ROLES.has(role)) {
      if (dialogue) return { turn, detail: `A ${role} message appears after the conversation started: system messages belong at the start` };
    } else {
      if (!dialogue && role === 'assistant') return { turn, detail: 'The conversation starts with an assistant turn: it should start with the user' };
      if (role === 'tool' && prev !== 'assistant' && prev !== 'tool') return { turn, detail: 'A tool message must follow an assistant turn (the one that called the tool)' };
      if (role === prev && (role === 'user' || role === 'assistant')) return { turn, detail: `Two ${role} turns in a row: turns should alternate between user and assistant` };
      dialogue = true;
    }
    prev = role;
  }
  return undefined;
}

/** "a" or "an" before a role name ("an assistant turn"). */
function article(word: string): string {
  // "a user", "a unit", but "an assistant", "an unknown".
  return /^(?:[aeio]|u(?![bcdfghjklmpqrstvwxyz][aeiou]))/i.test(word) ? 'an' : 'a';
}

function checkConversation(a: RecordAnalysis, record: RecordInput, ctx: RuleContext, out: Finding[]): void {
  const { locator, format } = record;
  const config = ctx.config;
  // A malformed message leaves a gap in the turns: order and roles are unknown (the schema says why).
  if (!hasRoles(format, record.value) || a.parts.malformed) return;
  const context = a.parts.context;
  const sides = a.rejected ? [a.chosen, a.rejected] : [a.chosen];

  if (!ruleOff(config, 'conversation-role-order')) {
    const inContext = orderProblem(context, undefined, false);
    if (inContext) {
      const { range, field } = roleRange(locator, inContext.turn);
      out.push(ruleFinding('conversation-role-order', range, { detail: inContext.detail }, { field }));
    } else {
      // A prompt that ends with an assistant turn is reported once, by conversation-prompt-end.
      const tail = context[context.length - 1]?.role;
      const last = tail === 'assistant' ? undefined : tail;
      const started = context.some((t) => !SYSTEM_ROLES.has(t.role));
      for (const side of sides) {
        const problem = orderProblem(side.turns, last, started);
        if (!problem) continue;
        const { range, field } = roleRange(locator, problem.turn);
        out.push(ruleFinding('conversation-role-order', range, { detail: `${problem.detail} (in ${side.side})` }, { field }));
      }
    }
  }

  if (!ruleOff(config, 'conversation-prompt-end') && sides.every((s) => s.turns.length > 0)) {
    const last = context[context.length - 1];
    if (!last) {
      const path = a.chosen.turns[0].path;
      const detail =
        format === 'chat-messages'
          ? 'The conversation has no turn before the assistant reply: there is nothing for it to answer'
          : 'Chosen and rejected share no beginning, so the prompt is empty: they differ from their first turn';
      out.push(ruleFinding('conversation-prompt-end', locator.keyRange([path[0]]), { detail }, { field: formatPath([path[0]]) }));
    } else if (last.role !== 'user' && last.role !== 'tool') {
      const { range, field } = roleRange(locator, last);
      out.push(ruleFinding('conversation-prompt-end', range, { detail: `The prompt ends with ${article(last.role)} ${last.role} turn: it should end with the user's message that the responses answer` }, { field }));
    }
  }

  if (!ruleOff(config, 'conversation-response-role')) {
    if (format === 'chat-messages' && a.chosen.turns.length === 0 && context.length > 0) {
      out.push(ruleFinding('conversation-response-role', locator.keyRange(['messages']), { detail: 'The conversation has no assistant turn: there is no response to learn from' }, { field: 'messages' }));
    } else if (!SCHEMA_CHECKS_RESPONSE_ROLES.has(format)) {
      for (const side of sides) {
        const wrong = side.turns.find((t) => t.role !== 'assistant');
        if (!wrong) continue;
        const { range, field } = roleRange(locator, wrong);
        const detail =
          format === 'chat-messages'
            ? `The conversation ends with ${article(wrong.role)} ${wrong.role} turn: a chat record should end with the assistant reply the model learns from`
            : format === 'hh-rlhf' || format === 'trl-implicit'
              ? `The ${side.side} response contains ${article(wrong.role)} ${wrong.role} turn: chosen and rejected should share everything up to the final assistant turn`
              : `The ${side.side} response contains ${article(wrong.role)} ${wrong.role} turn: responses must be assistant turns`;
        out.push(ruleFinding('conversation-response-role', range, { detail }, { field }));
      }
    }
  }
}

/** Conversation checks: role order, the prompt ends with the user, responses are assistant turns. */
export const conversationRule: RecordRule = analysisRule('conversation', checkConversation);
