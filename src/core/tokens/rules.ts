import { ruleFinding, ruleOff } from '../curation/meta';
import { analysisRule, RecordAnalysis, SideAnalysis } from '../curation/recordAnalysis';
import { RecordInput, RecordRule, RuleContext } from '../engine';
import { Finding } from '../findings';
import { formatPath } from '../parts';
import { LineLocator } from '../positions';
import { countIfOver, hasLongRun, longestLongRun, RUN_SAMPLE_CHARS, tokenizer, utf8Length } from './tokenizer';

function sideField(side: SideAnalysis): string {
  const path = side.turns[0]?.path;
  return path ? formatPath([path[0]]) : side.side;
}

function sideKeyRange(locator: LineLocator, side: SideAnalysis) {
  const key = side.turns[0]?.path[0];
  return typeof key === 'string' ? locator.keyRange([key]) : locator.lineRange();
}

/** Length of the common beginning of two strings. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Over-length and identical-after-truncation checks. The trainer is assumed to keep the first
 * `maxLength` tokens of prompt + response (the chat template's few extra tokens are ignored), as
 * current TRL does by default (`max_length`, `truncation_mode="keep_start"`; see the trl backend).
 */
function checkTokens(a: RecordAnalysis, record: RecordInput, ctx: RuleContext, out: Finding[]): void {
  const config = ctx.config;
  const max = config.maxLength;
  const enc = config.encoding;
  const promptBytes = utf8Length(a.promptText);
  const sides = a.rejected ? [a.chosen, a.rejected] : [a.chosen];

  if (!ruleOff(config, 'tokens-over-max')) {
    for (const side of sides) {
      if (!side.text) continue;
      // Exact when over; tokenizing stops early once the rest cannot tip it over (see countIfOver).
      // The response first: it is the longer text, so the prompt is rarely tokenized at all.
      const total = countIfOver(enc, [side.text, a.promptText], max);
      if (total === undefined) continue;
      out.push(
        ruleFinding('tokens-over-max', sideKeyRange(record.locator, side), { side: side.side, tokens: total, encoding: enc, max, over: total - max }, { field: sideField(side), data: { tokens: total, maxLength: max } }),
      );
    }
  }

  const rejected = a.rejected;
  if (!rejected || ruleOff(config, 'tokens-truncation-identical')) return;
  const c = a.chosen.text;
  const r = rejected.text;
  if (!c.trim() || !r.trim() || c === r) return; // empty and identical pairs have their own rules
  const shared = commonPrefix(c, r);
  // They can only look the same after truncation if the cut falls inside the shared beginning.
  if (promptBytes + utf8Length(c.slice(0, shared)) < max) return;
  const promptTokens = tokenizer(enc).count(a.promptText);
  let detail: string | undefined;
  if (promptTokens >= max) {
    detail = `The prompt alone is ${promptTokens} tokens, at least maxLength ${max}: after truncation neither response is left, so chosen and rejected are identical`;
  } else {
    const budget = max - promptTokens;
    const tok = tokenizer(enc);
    const ct = tok.encode(c);
    const rt = tok.encode(r);
    if (ct.length >= budget && rt.length >= budget) {
      let same = true;
      for (let i = 0; i < budget && same; i++) same = ct[i] === rt[i];
      if (same) detail = `Chosen and rejected only differ after token ${budget} of the response (prompt ${promptTokens} tokens, maxLength ${max}): truncated, they are identical`;
    }
  }
  if (detail) out.push(ruleFinding('tokens-truncation-identical', sideKeyRange(record.locator, rejected), { detail }, { field: sideField(rejected) }));
}

/**
 * A token finding on a record whose texts hold a long run rests on an estimated count (see
 * LONG_RUN_CHARS): one info finding says so.
 */
function noteEstimates(a: RecordAnalysis, record: RecordInput, ctx: RuleContext, out: Finding[], before: number): void {
  if (out.length === before || ruleOff(ctx.config, 'tokens-estimated')) return;
  const texts: [string, SideAnalysis | undefined][] = [[a.promptText, undefined], [a.chosen.text, a.chosen], [a.rejected?.text ?? '', a.rejected]];
  const hit = texts.find(([t]) => hasLongRun(t));
  if (!hit) return;
  const [text, side] = hit;
  const field = side ? sideField(side) : 'prompt';
  const range = side ? sideKeyRange(record.locator, side) : record.locator.lineRange();
  out.push(ruleFinding('tokens-estimated', range, { field, run: longestLongRun(text).toLocaleString('en-US'), sample: RUN_SAMPLE_CHARS.toLocaleString('en-US') }, { field }));
}

export const tokenRule: RecordRule = analysisRule('tokens', (a, record, ctx, out) => {
  const before = out.length;
  checkTokens(a, record, ctx, out);
  noteEstimates(a, record, ctx, out, before);
});
