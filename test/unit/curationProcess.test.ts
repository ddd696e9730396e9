/**
 * The editor's curation worker runs as a process of its own (see curationHost.ts), started by
 * `startProcess` with the curation flags: it must take the host's messages over the IPC channel
 * (documents, edits, checks, queries), answer in the same shapes as in a worker thread, apply the
 * flags it was given, and go away by itself when the host does.
 */
import assert from 'node:assert/strict';
import { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { textChunks } from '../../src/core/jsonl';
import { FromCurationWorker, ToCurationWorker } from '../../src/node/curationProtocol';
import { CURATION_PROCESS_ENV, CURATION_PROCESS_FLAGS, startProcess } from '../../src/node/workers';

const SCRIPT = path.join(__dirname, '..', '..', 'src', 'node', 'curationWorker.ts');

const KIND = 'I am so sorry you are going through this. It makes sense to feel worn out; would it help to talk about what is hardest right now?';
const SARCASTIC = 'Oh wow, what a shock, skipping your insulin went badly. Who could have guessed.';

function record(prompt: string, chosen: string, rejected: string): string {
  return JSON.stringify({ prompt, chosen, rejected });
}

/** Sends messages and collects the answers to requests, by id. */
function talk(child: ChildProcess) {
  const waiting = new Map<number, (m: FromCurationWorker) => void>();
  child.on('message', (m: FromCurationWorker) => {
    waiting.get(m.requestId)?.(m);
    waiting.delete(m.requestId);
  });
  let nextId = 1;
  return {
    send: (m: ToCurationWorker) => child.send(m),
    ask: (make: (requestId: number) => ToCurationWorker) =>
      new Promise<FromCurationWorker>((resolve) => {
        const requestId = nextId++;
        waiting.set(requestId, resolve);
        child.send(make(requestId));
      }),
  };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

test('the curation process checks documents sent over IPC, follows their edits and answers queries', { timeout: 60_000 }, async () => {
  const child = startProcess(SCRIPT, CURATION_PROCESS_FLAGS);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  try {
    const io = talk(child);
    const doc = 'file:///data.jsonl';
    const prompt = 'My dad has diabetes and I feel so overwhelmed looking after him. What should I do about his insulin?';
    io.send({ type: 'open', doc, text: [record(prompt, KIND, SARCASTIC), record(prompt, SARCASTIC, KIND)].join('\n'), settings: { config: { ...DEFAULT_CONFIG, lintRejected: true } } });
    const first = await io.ask((requestId) => ({ type: 'check', doc, requestId }));
    assert.equal(first.type, 'result', stderr);
    if (first.type !== 'result') return;
    assert.equal(first.records, 2);
    const respect = first.listed.filter((f) => f.code === 'tone-respect');
    assert.ok(respect.length >= 2, `the sarcastic responses are reported: ${JSON.stringify(first.listed.map((f) => [f.line, f.code]))}`);
    assert.deepEqual([...new Set(respect.map((f) => f.line))].sort(), [0, 1]);
    assert.ok(first.listed.some((f) => f.code === 'pair-inverted' && f.line === 1), 'the second pair is inverted');

    // A line inserted above both records: the findings the process keeps move with them.
    io.send({ type: 'splice', doc, start: 0, deleteCount: 0, lines: [record('How often should he check his blood sugar?', 'Usually before meals and at bedtime, but his care team can tell you what suits him.', 'Read the leaflet.')] });
    const lines = await io.ask((requestId) => ({ type: 'query', doc, requestId, query: { kind: 'code', code: 'pair-inverted' } }));
    assert.equal(lines.type, 'answer');
    if (lines.type === 'answer') assert.deepEqual(lines.findings.map((f) => f.line), [2]);
    const second = await io.ask((requestId) => ({ type: 'check', doc, requestId }));
    assert.equal(second.type, 'result');
    if (second.type === 'result') assert.equal(second.records, 3);

    // A document the process does not have: an error answer, not silence.
    const missing = await io.ask((requestId) => ({ type: 'check', doc: 'file:///other.jsonl', requestId }));
    assert.equal(missing.type, 'error');
  } finally {
    child.kill();
    await exited(child);
  }
});

test('a document sent in pieces (open, then append) is checked as the whole text', { timeout: 60_000 }, async () => {
  const child = startProcess(SCRIPT, CURATION_PROCESS_FLAGS);
  try {
    const io = talk(child);
    const prompt = 'I feel so alone since the diagnosis.';
    const lines = [record(prompt, KIND, SARCASTIC), '{"prompt": broken', record(prompt, SARCASTIC, KIND), '', record('Is it normal?', 'Yes, that is common.', 'Obviously.')];
    const text = `\ufeff${lines.join('\r\n')}\n`;
    const settings = { config: DEFAULT_CONFIG };
    const pieces = [...textChunks(text, 10)];
    assert.ok(pieces.length >= 4, 'several pieces');
    pieces.forEach((piece, i) => io.send(i === 0 ? { type: 'open', doc: 'pieces', text: piece, settings } : { type: 'append', doc: 'pieces', text: piece }));
    io.send({ type: 'open', doc: 'whole', text, settings });
    const [a, b] = await Promise.all(['pieces', 'whole'].map((doc) => io.ask((requestId) => ({ type: 'check', doc, requestId }))));
    assert.equal(a.type, 'result');
    if (a.type !== 'result' || b.type !== 'result') return;
    assert.equal(a.records, 4);
    assert.deepEqual({ ...a, requestId: 0, doc: '', ms: 0 }, { ...b, requestId: 0, doc: '', ms: 0 });
    assert.ok(a.listed.some((f) => f.code === 'pair-inverted' && f.line === 2));
  } finally {
    child.kill();
    await exited(child);
  }
});

test('the curation process runs with the flags it was given and exits when its host disconnects', { timeout: 60_000 }, async () => {
  const child = startProcess(SCRIPT, CURATION_PROCESS_FLAGS, CURATION_PROCESS_ENV);
  try {
    // Its environment has what it was given, beside the caller's.
    if (fs.existsSync(`/proc/${child.pid}/environ`)) {
      const vars = fs.readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
      for (const [k, v] of Object.entries(CURATION_PROCESS_ENV)) assert.ok(vars.includes(`${k}=${v}`), `${k}=${v}`);
      assert.ok(vars.includes('ELECTRON_RUN_AS_NODE=1'));
    }
    // Its command line carries the heap flag (Linux shows it; the flags are V8's own, not NODE_OPTIONS).
    if (fs.existsSync(`/proc/${child.pid}/cmdline`)) {
      const args = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
      for (const flag of CURATION_PROCESS_FLAGS) assert.ok(args.includes(flag), `${flag} in ${args.join(' ')}`);
    }
    const io = talk(child);
    const doc = 'file:///empty.jsonl';
    io.send({ type: 'open', doc, text: '', settings: { config: DEFAULT_CONFIG } });
    const result = await io.ask((requestId) => ({ type: 'check', doc, requestId }));
    assert.equal(result.type, 'result');
    child.disconnect();
    assert.equal(await exited(child), 0, 'it exits by itself, cleanly');
  } finally {
    if (child.exitCode === null) child.kill();
  }
});
