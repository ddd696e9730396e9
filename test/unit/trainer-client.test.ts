/** The trainer client against small misbehaving servers: dedupe, resume, retry, abort, errors. */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { TrainerClient, TrainerError } from '../../src/core/trainer/client';
import { FineTuningJob, JobEvent } from '../../src/core/trainer/protocol';

function event(n: number): JobEvent {
  return {
    id: `ftevent-${'a'.repeat(24)}-${n}`,
    object: 'fine_tuning.job.event',
    created_at: 1_700_000_000 + n,
    level: 'info',
    message: `Step ${n}/12`,
    type: 'metrics',
    data: { step: n, max_steps: 12, loss: 0.7 - n * 0.01 },
  };
}

const JOB: FineTuningJob = {
  id: `ftjob-${'a'.repeat(24)}`,
  object: 'fine_tuning.job',
  model: 'm',
  created_at: 1_700_000_000,
  started_at: 1_700_000_010,
  finished_at: 1_700_000_100,
  status: 'succeeded',
  training_file: `file-${'b'.repeat(24)}`,
  validation_file: null,
  method: { type: 'dpo', dpo: { hyperparameters: {} } },
  error: null,
  result_files: [],
  trained_tokens: null,
  seed: 42,
  estimated_finish: null,
  metadata: null,
  backend: 'tiny',
  progress: { step: 12, max_steps: 12 },
};

async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const sse = (e: JobEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

describe('trainer client', () => {
  test('a server that replays everything on each reconnect: each event once, in order', async () => {
    const lastIds: (string | undefined)[] = [];
    let connection = 0;
    const fake = await serve((req, res) => {
      lastIds.push(req.headers['last-event-id'] as string | undefined);
      connection++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Ignores Last-Event-ID: always from the start, a few more events each time, then drops.
      const upTo = Math.min(12, connection * 5);
      for (let n = 1; n <= upTo; n++) res.write(sse(event(n)));
      if (upTo === 12) res.write(`event: done\ndata: ${JSON.stringify(JOB)}\n\n`);
      res.end();
    });
    try {
      const client = new TrainerClient({ baseUrl: `${fake.url}/v1/` });
      const got: JobEvent[] = [];
      const final = await client.followJob(JOB.id, { initialBackoffMs: 10, onEvent: (e) => got.push(e) });
      assert.equal(final.status, 'succeeded');
      assert.deepEqual(
        got.map((e) => (e.data as { step: number }).step),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      assert.deepEqual(lastIds, [undefined, event(5).id, event(10).id]);
    } finally {
      await fake.close();
    }
  });

  test('retries a 503, resuming from the given event id', async () => {
    let calls = 0;
    const seen: (string | undefined)[] = [];
    const fake = await serve((req, res) => {
      calls++;
      seen.push(req.headers['last-event-id'] as string | undefined);
      if (calls === 1) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"busy","code":"busy"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${sse(event(3))}event: done\ndata: ${JSON.stringify(JOB)}\n\n`);
    });
    try {
      const client = new TrainerClient({ baseUrl: fake.url });
      const reconnects: number[] = [];
      const got: JobEvent[] = [];
      await client.followJob(JOB.id, {
        lastEventId: event(2).id,
        initialBackoffMs: 10,
        onReconnect: (i) => reconnects.push(i.attempt),
        onEvent: (e) => got.push(e),
      });
      assert.deepEqual(reconnects, [1]);
      assert.deepEqual(seen, [event(2).id, event(2).id]);
      assert.deepEqual(got, [event(3)]);
    } finally {
      await fake.close();
    }
  });

  test('gives up after the allowed consecutive failures with a clear message', async () => {
    const fake = await serve(() => {});
    const url = fake.url;
    await fake.close(); // nothing listens there now
    const client = new TrainerClient({ baseUrl: url });
    await assert.rejects(
      client.followJob(JOB.id, { initialBackoffMs: 5, maxBackoffMs: 10, maxConsecutiveFailures: 3, onEvent: () => {} }),
      (err: TrainerError) =>
        err.kind === 'network' && /lost the connection to the trainer at http:\/\/127\.0\.0\.1:\d+ \(4 attempts failed\): .*ECONNREFUSED/.test(err.message),
    );
  });

  test('401 on the stream is final, not retried', async () => {
    let calls = 0;
    const fake = await serve((_req, res) => {
      calls++;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Invalid bearer token","code":"invalid_token"}}');
    });
    try {
      const client = new TrainerClient({ baseUrl: fake.url, token: 'wrong-token-wrong-token' });
      await assert.rejects(
        client.followJob(JOB.id, { onEvent: () => {} }),
        (err: TrainerError) => err.kind === 'unauthorized' && err.code === 'invalid_token' && /rejected the token/.test(err.message),
      );
      assert.equal(calls, 1);
    } finally {
      await fake.close();
    }
  });

  test('a silent connection is dropped after the idle timeout and resumed', async () => {
    let calls = 0;
    const fake = await serve((_req, res) => {
      calls++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (calls === 1) {
        res.write(sse(event(1))); // then silence: no heartbeat
        return;
      }
      res.end(`${sse(event(2))}event: done\ndata: ${JSON.stringify(JOB)}\n\n`);
    });
    try {
      const client = new TrainerClient({ baseUrl: fake.url });
      const errors: string[] = [];
      const got: JobEvent[] = [];
      await client.followJob(JOB.id, {
        idleTimeoutMs: 200,
        initialBackoffMs: 10,
        onReconnect: (i) => errors.push(i.error.message),
        onEvent: (e) => got.push(e),
      });
      assert.deepEqual(got, [event(1), event(2)]);
      assert.match(errors[0], /no data from the trainer for 200 ms/);
    } finally {
      await fake.close();
    }
  });

  test('aborting stops a stream promptly', async () => {
    const fake = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': heartbeat\n\n');
    });
    try {
      const client = new TrainerClient({ baseUrl: fake.url });
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 100);
      const t = Date.now();
      await assert.rejects(client.followJob(JOB.id, { signal: stop.signal, onEvent: () => {} }), (e: TrainerError) => e.kind === 'aborted');
      assert.ok(Date.now() - t < 2000);
    } finally {
      await fake.close();
    }
  });

  test('malformed events and non-JSON answers are protocol errors', async () => {
    const fake = await serve((req, res) => {
      if (req.url?.endsWith('/stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: x\ndata: ${JSON.stringify({ ...event(1), level: 'loud' })}\n\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    try {
      const client = new TrainerClient({ baseUrl: fake.url });
      await assert.rejects(
        client.followJob(JOB.id, { onEvent: () => {} }),
        (e: TrainerError) => e.kind === 'protocol' && /event\.level: expected one of info, warn, error, got "loud"/.test(e.message),
      );
      await assert.rejects(client.getJob(JOB.id), /did not answer with JSON: is it a Dialogue Curator trainer\?/);
    } finally {
      await fake.close();
    }
  });

  test('base URLs are checked and normalised', () => {
    assert.equal(new TrainerClient({ baseUrl: 'http://h:1/v1/' }).baseUrl, 'http://h:1');
    assert.equal(new TrainerClient({ baseUrl: 'https://h/trainer/' }).baseUrl, 'https://h/trainer');
    assert.throws(() => new TrainerClient({ baseUrl: 'ftp://h' }), /must start with http/);
    assert.throws(() => new TrainerClient({ baseUrl: 'nonsense' }), /is not a trainer URL/);
  });
});
