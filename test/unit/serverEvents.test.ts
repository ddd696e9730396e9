// Event ids on the trainer server survive a damaged events.jsonl: a line lost in the middle
// (disk trouble, a hand edit) must not make later events reuse an id a client already has.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { TrainerClient } from '../../src/core/trainer/client';
import { FineTuningJob, JobEvent } from '../../src/core/trainer/protocol';
import { DataStore, newId } from '../../src/server/store';
import { fakeJob } from '../fixtures/trainer/fakeTrainer';
import { startServer, tempDir } from '../fixtures/trainer/harness';

function runningJob(id: string): FineTuningJob {
  return { ...fakeJob('running', { created_at: 1_800_000_000 }, 40, id), progress: { step: 3, max_steps: 40 } };
}

const seqOf = (e: JobEvent) => Number(e.id.slice(e.id.lastIndexOf('-') + 1));

test('a corrupt middle line of events.jsonl: later events continue after the highest id, resume still works', async () => {
  const dataDir = tempDir();
  const store = new DataStore(dataDir);
  const jobId = newId('ftjob');
  const eventPrefix = jobId.replace('ftjob-', 'ftevent-');
  store.createJobDir(jobId);
  // A server that was killed while the job ran: job.json says running, with no backend left.
  store.saveJob({ job: runningJob(jobId), pid: null });
  const written: JobEvent[] = [];
  for (let seq = 1; seq <= 6; seq++) {
    const event: JobEvent =
      seq <= 3
        ? { id: `${eventPrefix}-${seq}`, object: 'fine_tuning.job.event', created_at: 1_800_000_000 + seq, level: 'info', message: `message ${seq}`, type: 'message', data: null }
        : { id: `${eventPrefix}-${seq}`, object: 'fine_tuning.job.event', created_at: 1_800_000_000 + seq, level: 'info', message: `Step ${seq - 3}/40`, type: 'metrics', data: { step: seq - 3, max_steps: 40, loss: 0.69 } };
    store.appendEvent(jobId, event);
    written.push(event);
  }
  // Damage the third line: half of it is gone.
  const file = path.join(store.jobDir(jobId), 'events.jsonl');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[2] = lines[2].slice(0, 25);
  fs.writeFileSync(file, lines.join('\n'));

  let server = await startServer({ dataDir });
  try {
    let client = new TrainerClient({ baseUrl: server.url });
    const kept = written.filter((_, i) => i !== 2);
    let all = (await client.listEvents(jobId, { limit: 100 })).data;
    // Recovery added the "interrupted" error event after the five readable ones.
    assert.deepEqual(all.slice(0, 5), kept);
    assert.equal(all.length, 6);
    const interrupted = all[5];
    assert.equal(interrupted.level, 'error');
    assert.equal(interrupted.id, `${eventPrefix}-7`, 'the new event continues after the highest id on disk');
    assert.equal(new Set(all.map((e) => e.id)).size, all.length, 'ids are unique');

    // A client that had everything up to the last event before the restart gets the new one.
    const after = (await client.listEvents(jobId, { after: written[5].id })).data;
    assert.deepEqual(after.map((e) => e.id), [interrupted.id]);
    const followed: JobEvent[] = [];
    const final = await client.followJob(jobId, { lastEventId: written[5].id, onEvent: (e) => followed.push(e) });
    assert.equal(final.status, 'failed');
    assert.deepEqual(followed, [interrupted]);
    // Resuming after an event that sat just before the damaged line skips only what is lost.
    assert.deepEqual(
      (await client.listEvents(jobId, { after: written[1].id })).data.map((e) => e.id),
      [written[3].id, written[4].id, written[5].id, interrupted.id],
    );
    // Resuming after the lost event itself gives what followed it.
    assert.deepEqual(
      (await client.listEvents(jobId, { after: written[2].id })).data.map((e) => e.id),
      [written[3].id, written[4].id, written[5].id, interrupted.id],
    );
    // An id from beyond the end is still refused.
    await assert.rejects(client.listEvents(jobId, { after: `${eventPrefix}-99` }), /invalid_event_id|Unknown event id/);

    // Another restart: the same events, the same ids.
    await server.close();
    server = await startServer({ dataDir });
    client = new TrainerClient({ baseUrl: server.url });
    all = (await client.listEvents(jobId, { limit: 100 })).data;
    assert.deepEqual(all.map(seqOf), [1, 2, 4, 5, 6, 7]);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
