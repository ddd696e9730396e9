/**
 * The format a file is in never changes a finding for the same dialogue: the dialogues of
 * test/fixtures/formats/dialogues.json are written in each of the six preference encodings and
 * checked with every rule; each record gets the same findings (code, severity, message, and the
 * part of the dialogue its field points into) as in TRL conversational.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { datasetRules, recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import type { FormatId } from '../../src/core/formats';
import { extractParts } from '../../src/core/parts';

interface Message {
  role: string;
  content: string;
}
interface Dialogue {
  note: string;
  context: Message[];
  chosen: string;
  rejected: string;
}

const { dialogues } = JSON.parse(readFileSync(new URL('../fixtures/formats/dialogues.json', import.meta.url), 'utf8')) as { dialogues: Dialogue[] };

/** The dataset-level sample (shortcut phrases, length bias), read back into dialogues. */
const shortcutSample: Dialogue[] = readFileSync(new URL('../../samples/workspace/datasets/problems/shortcut-and-length-bias.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line, i) => {
    const parts = extractParts('trl-standard', JSON.parse(line))!;
    return { note: `shortcut sample line ${i + 1}`, context: parts.context.map(({ role, content }) => ({ role, content })), chosen: parts.chosen[0].content, rejected: parts.rejected[0].content };
  });

const transcript = (turns: Message[]) => turns.map((m) => `\n\n${m.role === 'user' ? 'Human' : 'Assistant'}: ${m.content}`).join('');
const answer = (content: string): Message[] => [{ role: 'assistant', content }];
const singleTurn = (d: Dialogue) => d.context.length === 1 && d.context[0].role === 'user';

/** Each encoding: its detected format and how it writes a dialogue (undefined: it cannot). */
const ENCODINGS: Record<string, { format: FormatId; encode(d: Dialogue): unknown }> = {
  'trl-standard': {
    format: 'trl-standard',
    // A multi-turn prompt as text is the transcript up to the assistant's cue.
    encode: (d) => ({ prompt: singleTurn(d) ? d.context[0].content : `${transcript(d.context)}\n\nAssistant:`, chosen: d.chosen, rejected: d.rejected }),
  },
  'trl-conversational': { format: 'trl-conversational', encode: (d) => ({ prompt: d.context, chosen: answer(d.chosen), rejected: answer(d.rejected) }) },
  'trl-implicit (text)': {
    format: 'trl-implicit',
    encode: (d) => (singleTurn(d) ? { chosen: `${d.context[0].content}\n\n${d.chosen}`, rejected: `${d.context[0].content}\n\n${d.rejected}` } : undefined),
  },
  'trl-implicit (messages)': { format: 'trl-implicit', encode: (d) => ({ chosen: [...d.context, ...answer(d.chosen)], rejected: [...d.context, ...answer(d.rejected)] }) },
  'openai-preference': {
    format: 'openai-preference',
    encode: (d) => ({ input: { messages: d.context }, preferred_output: answer(d.chosen), non_preferred_output: answer(d.rejected) }),
  },
  'hh-rlhf': { format: 'hh-rlhf', encode: (d) => ({ chosen: transcript([...d.context, ...answer(d.chosen)]), rejected: transcript([...d.context, ...answer(d.rejected)]) }) },
};

const PART_OF_KEY: Record<string, string> = { prompt: 'prompt', input: 'prompt', chosen: 'chosen', preferred_output: 'chosen', rejected: 'rejected', non_preferred_output: 'rejected' };
/** Formats without a prompt field: the prompt is the shared beginning of the chosen dialogue. */
const PROMPT_IN_CHOSEN = new Set<FormatId>(['hh-rlhf', 'trl-implicit']);

function partOf(format: FormatId, field: string | undefined): string {
  const top = field ? (PART_OF_KEY[/^[^.[]*/.exec(field)![0]] ?? field) : 'record';
  return top === 'prompt' && PROMPT_IN_CHOSEN.has(format) ? 'chosen' : top;
}

/** Each dialogue's findings (sorted keys), by dialogue index, for the dialogues an encoding can write. */
function findingsIn(name: string, subset: Dialogue[]): { format: FormatId | undefined; byDialogue: string[][] } {
  const { encode } = ENCODINGS[name];
  const text = subset.map((d) => JSON.stringify(encode(d))).join('\n') + '\n';
  const summary = checkText(text, { recordRules, datasetRules });
  const byDialogue: string[][] = subset.map(() => []);
  for (const f of summary.findings) byDialogue[f.line].push(`${f.code} | ${f.severity} | ${f.message} | ${partOf(summary.format!, f.field)}`);
  return { format: summary.format, byDialogue: byDialogue.map((list) => list.sort()) };
}

/** The baseline's keys as the given format would place them (the prompt inside chosen). */
function expectedIn(format: FormatId, keys: string[]): string[] {
  if (!PROMPT_IN_CHOSEN.has(format)) return keys;
  return keys.map((k) => k.replace(/ \| prompt$/, ' | chosen')).sort();
}

const CASES: [label: string, subset: Dialogue[], exercised: string[]][] = [
  [
    'single-turn dialogues',
    dialogues.filter(singleTurn),
    ['pair-empty', 'pair-identical', 'pair-near-identical', 'pair-inverted', 'tone-respect', 'tone-jargon', 'tone-prescriptive', 'tone-empathy', 'tone-language', 'tone-simplicity', 'dataset-duplicate-prompt', 'dataset-duplicate-record'],
  ],
  ['multi-turn dialogues', dialogues.filter((d) => !singleTurn(d)), ['conversation-role-order']],
  ['dialogues of the shortcut sample', shortcutSample, ['dataset-shortcut', 'dataset-shortcut-record', 'dataset-length-bias']],
];

for (const [label, subset, expected] of CASES) {
  test(`the ${label} get the same findings in every format`, () => {
    const baseline = findingsIn('trl-conversational', subset);
    const codes = new Set(baseline.byDialogue.flat().map((k) => k.split(' | ')[0]));
    // The fixture exercises the rules it is meant to (so "the same" is not "none").
    for (const code of expected) assert.ok(codes.has(code), `the fixture's ${label} produce ${code} (got ${[...codes].join(', ')})`);

    for (const name of Object.keys(ENCODINGS)) {
      const usable = subset.filter((d) => ENCODINGS[name].encode(d) !== undefined);
      if (usable.length === 0) continue;
      const got = findingsIn(name, usable);
      assert.equal(got.format, ENCODINGS[name].format, `${name} is detected as ${ENCODINGS[name].format}`);
      const base = usable === subset ? baseline : findingsIn('trl-conversational', usable);
      usable.forEach((d, i) => {
        assert.deepEqual(got.byDialogue[i], expectedIn(got.format!, base.byDialogue[i]), `${name}, dialogue "${d.note}"`);
      });
    }
  });
}

test('a text prompt holding a transcript is read as turns: only the user speaks for the user', () => {
  const d = dialogues.find((x) => x.note.startsWith("multi-turn: the assistant's earlier turn"))!;
  const standard = findingsIn('trl-standard', [d]).byDialogue[0];
  // The assistant's quoted distress is not the user's: no empathy is asked of the answer.
  assert.ok(!standard.some((k) => k.startsWith('tone-empathy')), standard.join('\n'));
  const asOneTurn = checkText(JSON.stringify({ prompt: d.context.map((m) => m.content).join('\n\n'), chosen: d.chosen, rejected: d.rejected }), { recordRules, datasetRules });
  assert.ok(asOneTurn.findings.some((f) => f.code === 'tone-empathy'), 'the same words as one user turn do ask for empathy (the test can fail)');
});
