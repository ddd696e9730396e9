// The trainer server says when a job started running (`started_at`), apart from when it was
// created, and its status-change events name the status they announce (`data.status`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { TrainerClient } from '../../src/core/trainer/client';
import { FineTuningJob, JobEvent, statusOfEvent } from '../../src/core/trainer/protocol';
import { Backend, tinyBackend } from '../../src/server/backends';
import { PAIRS, startServer } from '../fixtures/trainer/harness';

/**
 * The tiny backend's data handling with a stand-in process: waits until the file `gate` exists
 * (the test says when, so a loaded machine cannot run the first job out before the second is
 * seen queued), logs one step, exits.
 */
function gatedBackend(gate: string): Backend {
  const script = `const t = setInterval(() => { if (require('fs').existsSync(${JSON.stringify(gate)})) { clearInterval(t); console.log(JSON.stringify({ event: 'metrics', data: { step: 1, max_steps: 1, loss: 0.69 } })); } }, 20)`;
  return { ...tinyBackend(), launch: () => ({ command: process.execPath, args: ['-e', script], env: {} }) };
}

test('started_at: null while validating and queued, set when the job runs, after the job before it ended', async () => {
  const gate = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-gate-')), 'go');
  const server = await startServer({ backend: gatedBackend(gate) });
  try {
    const client = new TrainerClient({ baseUrl: server.url });
    const file = await client.uploadFile(PAIRS);
    const method = { type: 'dpo' as const, dpo: { hyperparameters: { max_steps: 1 } } };
    const first = await client.createJob({ training_file: file.id, method });
    const second = await client.createJob({ training_file: file.id, method });
    assert.equal(first.started_at, null);
    assert.equal(second.started_at, null);
    // Wait until the second one sits in the queue behind the first.
    let queued: FineTuningJob = second;
    for (let i = 0; i < 1000 && queued.status !== 'queued'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      queued = await client.getJob(second.id);
    }
    assert.equal(queued.status, 'queued');
    assert.equal(queued.started_at, null);
    // The first job "trains" 2.2 s more, then both run through.
    await new Promise((r) => setTimeout(r, 2200));
    fs.writeFileSync(gate, '');

    const events: JobEvent[] = [];
    const a = await client.followJob(first.id, { onEvent: () => {} });
    const b = await client.followJob(second.id, { onEvent: (e) => events.push(e) });
    assert.equal(a.status, 'succeeded');
    assert.equal(b.status, 'succeeded');
    assert.ok(a.started_at !== null && b.started_at !== null);
    // The second waited for the first (at least 2.2 s of "training"): its wait is in started_at - created_at.
    assert.ok(b.started_at >= a.finished_at!, `b started ${b.started_at}, a finished ${a.finished_at}`);
    assert.ok(b.started_at - b.created_at >= 2, `b waited ${b.started_at - b.created_at} s`);
    assert.ok(b.finished_at! >= b.started_at);

    // The status changes, in order, each announced by the event that goes with it.
    const announced = events.flatMap((e) => {
      const status = statusOfEvent(e);
      return status ? [{ status, at: e.created_at }] : [];
    });
    assert.deepEqual(
      announced.map((x) => x.status),
      ['queued', 'running', 'succeeded'],
    );
    assert.equal(announced[1].at, b.started_at);
    // started_at survives a look from a fresh client (it is saved with the job).
    assert.equal((await client.getJob(second.id)).started_at, b.started_at);
  } finally {
    await server.close();
  }
});
