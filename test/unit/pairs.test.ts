import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CuratorConfig, DEFAULT_CONFIG } from '../../src/core/config';
import { swapEdits } from '../../src/core/compare/edits';
import { recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { normalizeResponse, prefixSuffixSimilarity } from '../../src/core/pairs/rules';
import { tokenizer, utf8Length } from '../../src/core/tokens/tokenizer';

function check(records: unknown[], config: CuratorConfig = DEFAULT_CONFIG): Finding[] {
  return checkText(records.map((r) => JSON.stringify(r)).join('\n'), { recordRules, datasetRules: [], config }).findings;
}
const codes = (fs: Finding[]) => fs.map((f) => f.code).sort();

const kind = 'It can help to keep a simple diary of her symptoms so the doctor can see the pattern.';
const cold = 'Calm down. Obviously you should know this already.';

test('identical, near-identical and empty pairs', () => {
  assert.deepEqual(codes(check([{ prompt: 'Q?', chosen: kind, rejected: kind }])), ['pair-identical']);
  assert.deepEqual(codes(check([{ prompt: 'Q?', chosen: kind, rejected: `  ${kind.toUpperCase()}\n` }])), ['pair-near-identical']);
  const empty = check([{ prompt: 'Q?', chosen: kind, rejected: ' \n ' }]);
  assert.deepEqual(codes(empty), ['pair-empty']);
  assert.equal(empty[0].field, 'rejected');
  // A threshold below 1 also catches responses that differ in a few characters only.
  const near = { ...DEFAULT_CONFIG, rules: { 'pair-near-identical': { threshold: 0.9 } } };
  assert.deepEqual(codes(check([{ prompt: 'Q?', chosen: kind, rejected: kind.replace('simple', 'short') }], near)), ['pair-near-identical']);
  assert.equal(normalizeResponse('  A\n\tB  '), 'a b');
  assert.equal(prefixSuffixSimilarity('abcd', 'abcd'), 1);
  assert.ok(prefixSuffixSimilarity('abcXefgh', 'abcYefgh') > 0.8);
});

test('inverted pair: finding on the chosen key with swap data, and the swap fix exchanges the values', () => {
  const record = { prompt: 'My dad is scared of the dentist.', chosen: cold, rejected: `That sounds really hard for him. ${kind}` };
  const line = JSON.stringify(record);
  const f = checkText(line, { recordRules, datasetRules: [] }).findings.find((x) => x.code === 'pair-inverted');
  assert.ok(f);
  assert.equal(line.slice(f.column, f.endColumn), '"chosen"');
  assert.deepEqual(f.data?.fix, 'swap');
  assert.deepEqual(f.data?.fields, ['chosen', 'rejected']);
  // The quick fix (swapEdits, shared with the compare panel) exchanges the values the finding names.
  const swap = swapEdits(line, 'trl-standard');
  assert.ok(swap.ok);
  const swapped = swap.newText;
  assert.deepEqual(JSON.parse(swapped), { prompt: record.prompt, chosen: record.rejected, rejected: record.chosen });
  assert.ok(!checkText(swapped, { recordRules, datasetRules: [] }).findings.some((x) => x.code === 'pair-inverted'));
  // OpenAI records swap their own field names; formatting between the fields is kept.
  const openai = '{"input": {"messages": [{"role": "user", "content": "hi"}]},  "preferred_output": [{"role": "assistant", "content": "1"}], "non_preferred_output": [{"role": "assistant", "content": "2"}]}';
  const o = swapEdits(openai, 'openai-preference');
  assert.ok(o.ok);
  assert.equal(o.newText, '{"input": {"messages": [{"role": "user", "content": "hi"}]},  "preferred_output": [{"role": "assistant", "content": "2"}], "non_preferred_output": [{"role": "assistant", "content": "1"}]}');
  assert.equal(swapEdits('{"chosen": "a"}', 'trl-standard').ok, false);
});

test('conversation checks: role order, prompt end, response roles', () => {
  const u = (content: string) => ({ role: 'user', content });
  const a = (content: string) => ({ role: 'assistant', content });
  const ok = { prompt: [{ role: 'system', content: 'Be kind.' }, u('Hi'), a('Hello, how can I help?'), u('My mum is unwell.')], chosen: [a(`I am sorry to hear that. ${kind}`)], rejected: [a('Ok.')] };
  assert.deepEqual(codes(check([ok])).filter((c) => c.startsWith('conversation')), []);
  const late = check([{ ...ok, prompt: [u('Hi'), { role: 'system', content: 'Be kind.' }, u('My mum is unwell.')] }]).filter((f) => f.code === 'conversation-role-order');
  assert.equal(late.length, 1);
  assert.match(late[0].message, /system messages belong at the start/);
  assert.equal(late[0].field, 'prompt[1].role');
  const end = check([{ ...ok, prompt: [u('Hi'), a('Hello')] }]).filter((f) => f.code.startsWith('conversation'));
  assert.deepEqual(codes(end), ['conversation-prompt-end'], 'one finding, not also a role-order one');
  assert.match(end[0].message, /The prompt ends with an assistant turn/);
  // A chat record that ends with the user: said in chat terms, not as a "response" that holds a user turn.
  const chat = check([{ messages: [u('My dad is ill.'), a('I am sorry to hear that. How can I help?'), u('Thanks.')] }]).filter((f) => f.code === 'conversation-response-role');
  assert.equal(chat.length, 1);
  assert.match(chat[0].message, /^The conversation ends with a user turn: a chat record should end with the assistant reply/);
  const hh = {
    chosen: '\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Thanks\n\nAssistant: You are welcome.',
    rejected: '\n\nHuman: Hi\n\nAssistant: Go away\n\nHuman: Rude\n\nAssistant: Whatever.',
  };
  const role = check([hh]).filter((f) => f.code === 'conversation-response-role');
  assert.equal(role.length, 2);
  assert.ok(role.every((f) => /share everything up to the final assistant turn/.test(f.message)));
});

test('token limits: over maxLength and identical once truncated (exact, with a byte bound first)', () => {
  const small = { ...DEFAULT_CONFIG, maxLength: 20 };
  const long = 'It can help to keep a simple diary of her symptoms so that her doctor can see the pattern over a few weeks.';
  const over = check([{ prompt: 'How do I track her symptoms?', chosen: long, rejected: 'Write it down somewhere.' }], small).filter((f) => f.code === 'tokens-over-max');
  assert.equal(over.length, 1);
  assert.equal(over[0].field, 'chosen');
  const expected = tokenizer('o200k_base').count('How do I track her symptoms?') + tokenizer('o200k_base').count(long);
  assert.match(over[0].message, new RegExp(`is ${expected} tokens \\(o200k_base\\), over maxLength 20`));
  const trunc = check([{ prompt: 'How do I track her symptoms?', chosen: `${long} Thank you for asking.`, rejected: `${long} Obviously.` }], small);
  assert.ok(trunc.some((f) => f.code === 'tokens-truncation-identical'));
  // With room for the difference, no truncation finding.
  assert.ok(!check([{ prompt: 'How?', chosen: `${long} Thank you.`, rejected: `${long} Obviously.` }], { ...DEFAULT_CONFIG, maxLength: 200 }).some((f) => f.code.startsWith('tokens-')));
});

test('identical once truncated: the exact token boundary, a prompt that fills maxLength, both encodings', () => {
  const prompt = 'How do I track her symptoms?';
  const shared = 'It can help to keep a simple diary of her symptoms so that her doctor can see the pattern over a few weeks.';
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const tok = tokenizer(encoding);
    const p = tok.count(prompt);
    const chosen = `${shared} Thank you for asking.`;
    const rejected = `${shared} Obviously.`;
    const ct = tok.encode(chosen);
    const rt = tok.encode(rejected);
    let same = 0;
    while (ct[same] === rt[same]) same++;
    // Keeping exactly the shared tokens after the prompt: identical. One token more: they differ.
    const at = (maxLength: number) => check([{ prompt, chosen, rejected }], { ...DEFAULT_CONFIG, maxLength, encoding }).filter((f) => f.code === 'tokens-truncation-identical');
    const identical = at(p + same);
    assert.equal(identical.length, 1, encoding);
    assert.equal(identical[0].field, 'rejected');
    assert.match(identical[0].message, new RegExp(`only differ after token ${same} of the response \\(prompt ${p} tokens, maxLength ${p + same}\\)`));
    assert.deepEqual(at(p + same + 1), [], `${encoding}: one token past the shared part`);
    // A prompt at least maxLength long leaves nothing of either response.
    const full = at(p);
    assert.equal(full.length, 1);
    assert.match(full[0].message, new RegExp(`The prompt alone is ${p} tokens, at least maxLength ${p}`));
  }
});

test('encodings differ and special-token text is counted as plain text', () => {
  const text = 'Hypertension <|endoftext|> naïve café 😀';
  const a = tokenizer('o200k_base').count(text);
  const b = tokenizer('cl100k_base').count(text);
  assert.ok(a > 0 && b > 0);
  assert.ok(a <= utf8Length(text) && b <= utf8Length(text), 'tokens never exceed UTF-8 bytes');
  assert.equal(utf8Length('é😀a'), Buffer.byteLength('é😀a'));
  const cl = check([{ prompt: 'x', chosen: 'word '.repeat(60), rejected: 'other' }], { ...DEFAULT_CONFIG, maxLength: 30, encoding: 'cl100k_base' }).find((f) => f.code === 'tokens-over-max');
  assert.match(cl?.message ?? '', /cl100k_base/);
});

test("a message without readable content is the schema's to report: no role-order or prompt-end findings from the gap it leaves", () => {
  const user = (content: unknown) => ({ role: 'user', content });
  const assistant = (content: unknown) => ({ role: 'assistant', content });
  const conversation = (prompt: unknown[], chosen: unknown[] = [assistant(kind)], rejected: unknown[] = [assistant(cold)]) => ({ prompt, chosen, rejected });
  const malformed = [
    conversation([{ role: 'user', text: 'My dad fell.' }]),
    conversation([user(null)]),
    conversation([user('My dad fell.'), 'not a message', user('Is he hurt?')]),
    conversation([user('My dad fell.')], [{ role: 'assistant', text: kind }]),
  ];
  for (const record of malformed) {
    const found = check([record]);
    assert.ok(found.some((f) => f.code === 'schema'), JSON.stringify(record));
    assert.deepEqual(found.filter((f) => f.code.startsWith('conversation-')), [], JSON.stringify(record));
  }
  // Readable messages are still checked: an assistant turn first, a prompt ending with the assistant.
  assert.ok(codes(check([conversation([assistant('Hello.'), user('My dad fell.')])])).includes('conversation-role-order'));
  assert.ok(codes(check([conversation([user('My dad fell.'), assistant('Oh no.')])])).includes('conversation-prompt-end'));
});
