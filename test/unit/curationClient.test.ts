/**
 * The extension's client of the curation process (CurationClient, vscode-free): a check answers
 * with the document's findings; when the process dies, what waited on it fails with a clear
 * message and the next check starts another process with every open document as it is now; a
 * process that cannot start fails its checks instead of leaving them waiting; dispose ends it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { CurationClient } from '../../src/node/curationClient';
import { CURATION_PROCESS_FLAGS } from '../../src/node/workers';

const SCRIPT = path.join(__dirname, '..', '..', 'src', 'node', 'curationWorker.ts');

function record(chosen: string, rejected: string): string {
  return JSON.stringify({ prompt: 'My mother has dementia and I feel so guilty about the care home.', chosen, rejected });
}
const KIND = 'I am so sorry, that guilt is heavy. Choosing a care home is often an act of love; how are you holding up?';
const SARCASTIC = 'Oh great, another guilty child. Who could have guessed.';

function logs() {
  const lines: string[] = [];
  return { lines, log: { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
}

function dies(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
}

test('a crashed curation process fails what waited on it, and the next check runs in a new one with the documents as they are now', { timeout: 90_000 }, async () => {
  const { lines, log } = logs();
  const client = new CurationClient(SCRIPT, log);
  try {
    let text = record(KIND, SARCASTIC);
    client.open('doc', () => text, { config: DEFAULT_CONFIG });
    const first = await client.check('doc');
    assert.equal(first.records, 1);
    assert.ok(!first.listed.some((f) => f.code === 'pair-inverted'), 'the kind reply is the chosen one');
    const pid = client.pid!;
    assert.ok(pid > 0);
    // Started as the curation process is: its heap flag and its environment.
    if (fs.existsSync(`/proc/${pid}/cmdline`)) {
      assert.ok(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(CURATION_PROCESS_FLAGS[0]));
      assert.ok(fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('MALLOC_ARENA_MAX=2'));
    }

    // The process dies while a check waits on it: the check fails, naming what happened.
    const waiting = client.check('doc');
    process.kill(pid, 'SIGKILL');
    await assert.rejects(waiting, /the curation worker stopped \(signal SIGKILL\)/);
    await dies(pid);
    assert.ok(lines.some((l) => /stopped \(signal SIGKILL\); it restarts/.test(l)), lines.join('\n'));

    // The document changed meanwhile: a new process gets it as it is now.
    text = [record(KIND, SARCASTIC), record(SARCASTIC, KIND)].join('\n');
    const again = await client.check('doc');
    assert.equal(again.records, 2);
    assert.ok(again.listed.some((f) => f.code === 'pair-inverted' && f.line === 1), JSON.stringify(again.listed.map((f) => [f.line, f.code])));
    assert.notEqual(client.pid, pid);
  } finally {
    client.dispose();
  }
});

test('a curation process that cannot start fails its checks with a message instead of leaving them waiting', { timeout: 60_000 }, async () => {
  const { lines, log } = logs();
  const client = new CurationClient(path.join(__dirname, 'no-such-worker.js'), log);
  try {
    client.open('doc', () => record(KIND, SARCASTIC), { config: DEFAULT_CONFIG });
    await assert.rejects(client.check('doc'), /the curation worker stopped \(exit 1\)/);
    assert.ok(lines.some((l) => /Cannot find module/.test(l)), `its error reaches the log: ${lines.join('\n')}`);
    await assert.rejects(client.check('unknown'), /document is not open/);
  } finally {
    client.dispose();
  }
});

test('dispose ends the curation process and fails what waited on it', { timeout: 60_000 }, async () => {
  const client = new CurationClient(SCRIPT, logs().log);
  client.open('doc', () => record(KIND, SARCASTIC), { config: DEFAULT_CONFIG });
  await client.check('doc');
  const pid = client.pid!;
  const waiting = client.check('doc');
  client.dispose();
  await assert.rejects(waiting, /shutting down/);
  await dies(pid);
});
