/**
 * End-to-end runs of the real tiny backend (PyTorch DPO on CPU) behind a real server on
 * 127.0.0.1: through the CLI, with a cut stream, a cancel, a shutdown and a crashed server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { TrainerClient } from '../../src/core/trainer/client';
import { DPO_METRIC_NAMES, isMetricsEvent, JobEvent, MetricsData } from '../../src/core/trainer/protocol';
import { groupMembers } from '../../src/server/processes';
import { captureIO, PAIRS, processGone, REPO, startCuttingProxy, startServer, tempDir, waitFor } from '../fixtures/trainer/harness';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('tiny backend end to end', () => {
  test('train through the CLI: TRL metric names, loss starts at ln 2 and falls', async () => {
    const server = await startServer();
    try {
      const cap = captureIO();
      const code = await main(['train', '--yes', PAIRS, '--trainer', server.url, '--format', 'json', '--max-steps', '36', '--batch-size', '4'], cap.io);
      assert.equal(code, 0, cap.stderr());
      const rows = cap
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as MetricsData);
      assert.ok(rows.length >= 30, `only ${rows.length} metrics objects`);
      assert.deepEqual(
        rows.map((r) => r.step),
        rows.map((_, i) => i + 1),
      );
      for (const row of rows) {
        for (const name of DPO_METRIC_NAMES) assert.equal(typeof row[name], 'number', `${name} missing at step ${row.step}`);
        assert.equal(row.max_steps, 36);
      }
      const losses = rows.map((r) => r.loss as number);
      assert.ok(Math.abs(losses[0] - Math.LN2) < 1e-3, `first loss ${losses[0]}`);
      assert.ok(mean(losses.slice(-5)) < 0.5 * mean(losses.slice(0, 5)), `losses did not fall: ${losses.join(', ')}`);
      assert.ok(rows.at(-1)!['rewards/accuracies']! > 0.9);
      // stderr carries the human notes in json mode, stdout only the objects.
      assert.match(cap.stderr(), /Files validated: 40 preference pairs/);
      assert.match(cap.stderr(), /succeeded/);
    } finally {
      await server.close();
    }
  });

  test('a stream cut mid-run resumes with Last-Event-ID: no lost, no duplicated steps', async () => {
    const server = await startServer();
    const proxy = await startCuttingProxy(new URL(server.url));
    try {
      const client = new TrainerClient({ baseUrl: proxy.url });
      const file = await client.uploadFile(PAIRS);
      const job = await client.createJob({
        training_file: file.id,
        method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 40, batch_size: 4 } } },
      });
      const received: JobEvent[] = [];
      const reconnects: string[] = [];
      let cut = false;
      const final = await client.followJob(job.id, {
        initialBackoffMs: 300,
        onReconnect: (info) => reconnects.push(info.lastEventId ?? ''),
        onEvent: (event) => {
          received.push(event);
          if (!cut && isMetricsEvent(event) && event.data.step === 5) {
            cut = true;
            proxy.cutAll();
          }
        },
      });
      assert.equal(final.status, 'succeeded');
      assert.ok(reconnects.length >= 1, 'the client never reconnected');
      const steps = received.filter(isMetricsEvent).map((e) => e.data.step);
      assert.deepEqual(steps, Array.from({ length: 40 }, (_, i) => i + 1));
      const all = await new TrainerClient({ baseUrl: server.url }).listEvents(job.id, { limit: 1000 });
      assert.deepEqual(
        received.map((e) => e.id),
        all.data.map((e) => e.id),
      );
      // The reconnecting request asked to resume after the last event it had.
      const resumed = proxy.requestHeads.filter((h) => /^last-event-id:/im.test(h));
      assert.ok(resumed.length >= 1, 'no request carried Last-Event-ID');
      assert.ok(resumed[0].includes(reconnects[0]));
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  test('interrupting the CLI cancels the job and its process group is gone', async () => {
    const server = await startServer();
    try {
      const stop = new AbortController();
      const cap = captureIO({ signal: stop.signal, isTTY: true });
      const running = main(['train', '--yes', PAIRS, '--trainer', server.url, '--max-steps', '400'], cap.io);
      const started = await cap.waitForStdout(/Started job (ftjob-[0-9a-f]+)/);
      const jobId = /ftjob-[0-9a-f]+/.exec(started)![0];
      await cap.waitForStdout(/step +3\/400/);
      const pid = server.jobs.pidOf(jobId);
      assert.ok(pid && !processGone(pid), 'the backend should be running');
      stop.abort();
      assert.equal(await running, 130);
      assert.equal(server.jobs.get(jobId).status, 'cancelled');
      assert.ok(processGone(pid), `backend ${pid} still alive`);
      assert.deepEqual(groupMembers(pid), []);
      assert.match(cap.stderr(), /cancelling job/);
      // On a terminal, a progress bar was drawn and erased.
      assert.match(cap.stdout(), /\[#*\.*\] \d+\/400 loss/);
      assert.ok(cap.stdout().includes('\r\x1b[2K'));
    } finally {
      await server.close();
    }
  });

  test('cancel through the API returns once the process group has ended', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile(PAIRS);
      const job = await client.createJob({ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 400 } } } });
      let pid: number | null = null;
      const stream = client.streamEvents(job.id);
      for await (const event of stream) {
        if (isMetricsEvent(event) && event.data.step >= 2) {
          pid = server.jobs.pidOf(job.id);
          break;
        }
      }
      assert.ok(pid);
      const cancelled = await client.cancelJob(job.id);
      assert.equal(cancelled.status, 'cancelled');
      assert.ok(processGone(pid!));
      assert.deepEqual(groupMembers(pid!), []);
      const events = (await client.listEvents(job.id, { limit: 1000 })).data;
      assert.equal(events.at(-1)!.message, 'The job was cancelled');
      // Cancelling again is harmless.
      assert.equal((await client.cancelJob(job.id)).status, 'cancelled');
    } finally {
      await server.close();
    }
  });

  test('server shutdown stops the backend, marks the job failed, and the replay survives', async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir });
    const client = new TrainerClient({ baseUrl: first.url });
    const file = await client.uploadFile(PAIRS);
    const job = await client.createJob({ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 400 } } } });
    const seen: JobEvent[] = [];
    let pid: number | null = null;
    for await (const event of client.streamEvents(job.id)) {
      seen.push(event);
      if (isMetricsEvent(event) && event.data.step === 3) {
        pid = first.jobs.pidOf(job.id);
        break;
      }
    }
    await first.close();
    assert.ok(pid && processGone(pid), 'the backend outlived the server');

    const second = await startServer({ dataDir });
    try {
      const again = new TrainerClient({ baseUrl: second.url });
      const after = await again.getJob(job.id);
      assert.equal(after.status, 'failed');
      assert.equal(after.error?.code, 'server_shutdown');
      const replay: JobEvent[] = [];
      const final = await again.followJob(job.id, { onEvent: (e) => replay.push(e) });
      assert.equal(final.status, 'failed');
      assert.deepEqual(replay.slice(0, seen.length), seen);
      assert.match(replay.at(-1)!.message, /shut down/);
    } finally {
      await second.close();
    }
  });

  test('a crashed server: after restart the job is failed as interrupted and every event replays', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const line = out.split('\n')[0];
          if (out.includes('\n')) resolve(line);
        });
        child.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const client = new TrainerClient({ baseUrl: url });
      const file = await client.uploadFile(PAIRS);
      const job = await client.createJob({ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 400 } } } });
      const seen: JobEvent[] = [];
      for await (const event of client.streamEvents(job.id)) {
        seen.push(event);
        if (isMetricsEvent(event) && event.data.step === 4) break;
      }
      const pid = JSON.parse(fs.readFileSync(path.join(dataDir, 'jobs', job.id, 'job.json'), 'utf8')).pid as number;
      assert.ok(pid > 0 && !processGone(pid));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));

      second = await startServer({ dataDir });
      const again = new TrainerClient({ baseUrl: second.url });
      const after = await again.getJob(job.id);
      assert.equal(after.status, 'failed');
      assert.equal(after.error?.code, 'server_restarted');
      const lastStep = seen.filter(isMetricsEvent).at(-1)!.data.step;
      const interruptedAt = Number(/^Interrupted at step (\d+) of 400: the trainer server stopped/.exec(after.error!.message)?.[1]);
      // The backend may have logged a step or two more than this client had read before the crash.
      assert.ok(interruptedAt >= lastStep, after.error!.message);
      assert.deepEqual(after.progress?.step, interruptedAt);
      await waitFor(() => processGone(pid), 5000, 'the orphaned backend to end');

      const all = (await again.listEvents(job.id, { limit: 1000 })).data;
      assert.deepEqual(all.slice(0, seen.length), seen);
      assert.equal(all.at(-1)!.level, 'error');
      // The step named in the error is the last one recorded before the crash.
      assert.equal(interruptedAt, all.filter(isMetricsEvent).at(-1)!.data.step);
      // Resuming from an event in the middle gives exactly the rest.
      const middle = seen[seen.length - 3];
      const rest: JobEvent[] = [];
      await again.followJob(job.id, { lastEventId: middle.id, onEvent: (e) => rest.push(e) });
      assert.deepEqual(rest, all.slice(all.findIndex((e) => e.id === middle.id) + 1));
    } finally {
      child.kill('SIGKILL');
      await second?.close();
    }
  });
});
