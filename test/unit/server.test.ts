/** The trainer server's HTTP surface: auth, uploads, validation of datasets and requests. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { main } from '../../src/cli/main';
import { TrainerClient, TrainerError } from '../../src/core/trainer/client';
import { FineTuningJob, isTerminalStatus } from '../../src/core/trainer/protocol';
import { bearerToken, isLoopbackHost, readToken, tokensMatch } from '../../src/server/auth';
import { createBackend } from '../../src/server/backends';
import { boundaryOf, MultipartEvent, MultipartParser } from '../../src/server/multipart';
import { startTrainerServer } from '../../src/server/server';
import { captureIO, PAIRS, startServer, tempDir, waitFor } from '../fixtures/trainer/harness';

const TOKEN = 'test-token-0123456789abcdef';

async function waitForEnd(client: TrainerClient, id: string): Promise<FineTuningJob> {
  return client.followJob(id, { onEvent: () => {} });
}

describe('auth', () => {
  test('token comparison, header parsing, loopback hosts', () => {
    assert.ok(tokensMatch(TOKEN, TOKEN));
    assert.ok(!tokensMatch(TOKEN, `${TOKEN}x`));
    assert.ok(!tokensMatch('', TOKEN));
    assert.equal(bearerToken(`Bearer ${TOKEN}`), TOKEN);
    assert.equal(bearerToken(`bearer   ${TOKEN} `), TOKEN);
    assert.equal(bearerToken(`Basic ${TOKEN}`), undefined);
    assert.equal(bearerToken(undefined), undefined);
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.org', '127.example.org']) assert.ok(!isLoopbackHost(h), h);
  });

  test('tokens come from the file first, then the environment; short ones are refused', () => {
    const dir = tempDir();
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, `${TOKEN}\n`);
    assert.equal(readToken({ DIALOGUE_CURATOR_TOKEN: 'ignored-because-file-wins' }, file), TOKEN);
    assert.equal(readToken({ DIALOGUE_CURATOR_TOKEN: TOKEN }, undefined), TOKEN);
    assert.equal(readToken({}, undefined), undefined);
    assert.throws(() => readToken({ DIALOGUE_CURATOR_TOKEN: 'short' }, undefined), /too short/);
    assert.throws(() => readToken({}, path.join(dir, 'missing')), /cannot read the token file .*ENOENT/);
  });

  test('refuses to listen beyond loopback without a token', async () => {
    await assert.rejects(
      startTrainerServer({ host: '0.0.0.0', port: 0, dataDir: tempDir(), backend: createBackend('tiny') }),
      /refusing to listen on 0\.0\.0\.0 without a token/,
    );
    const cap = captureIO({ env: {} });
    assert.equal(await main(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir()], cap.io), 2);
    assert.match(cap.stderr(), /refusing to listen/);
  });

  test('wrong or missing token → 401 with a clear message; nothing is stored', async () => {
    const server = await startServer({ token: TOKEN });
    try {
      const res = await fetch(`${server.url}/v1/fine_tuning/jobs`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="dialogue-curator"');
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_token');

      const wrong = new TrainerClient({ baseUrl: server.url, token: 'not-the-right-token-at-all' });
      const err = await wrong.uploadFile(PAIRS).then(
        () => assert.fail('upload should fail'),
        (e: unknown) => e as TrainerError,
      );
      assert.ok(err instanceof TrainerError);
      assert.equal(err.kind, 'unauthorized');
      assert.equal(err.status, 401);
      assert.match(err.message, /the trainer at http:\/\/127\.0\.0\.1:\d+ rejected the token \(HTTP 401: Invalid bearer token\)/);

      const anonymous = new TrainerClient({ baseUrl: server.url });
      await assert.rejects(anonymous.listJobs(), /requires a token \(HTTP 401: Missing bearer token/);
      assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'files')), []);

      const cap = captureIO({ env: { DIALOGUE_CURATOR_TOKEN: 'not-the-right-token-at-all' } });
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url], cap.io), 1);
      assert.match(cap.stderr(), /rejected the token .*DIALOGUE_CURATOR_TOKEN/);

      // The right token works; /health needs none.
      const right = new TrainerClient({ baseUrl: server.url, token: TOKEN });
      assert.deepEqual((await right.listJobs()).data, []);
      assert.equal((await anonymous.health()).backend, 'tiny');
    } finally {
      await server.close();
    }
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('tls', () => {
  test('serves HTTPS with a certificate and key', { skip: !hasOpenssl() && 'openssl is not installed' }, async () => {
    const dir = tempDir();
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const server = await startServer({ tls: { cert, key }, token: TOKEN });
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const get = (route: string, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          https
            .get(`${server.url}${route}`, { ca: fs.readFileSync(cert), headers }, (res) => {
              let body = '';
              res.on('data', (c) => (body += c));
              res.on('end', () => resolve({ status: res.statusCode!, body }));
            })
            .on('error', reject);
        });
      assert.equal((await get('/health')).status, 200);
      assert.equal((await get('/v1/fine_tuning/jobs')).status, 401);
      const ok = await get('/v1/fine_tuning/jobs', { authorization: `Bearer ${TOKEN}` });
      assert.deepEqual(JSON.parse(ok.body), { object: 'list', data: [], has_more: false });
    } finally {
      await server.close();
    }
  });
});

describe('uploads', () => {
  test('a raw upload streams to disk byte for byte', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const progress: number[] = [];
      const file = await client.uploadFile(PAIRS, { onProgress: (sent) => progress.push(sent) });
      assert.equal(file.filename, 'pairs.jsonl');
      assert.equal(file.bytes, fs.statSync(PAIRS).size);
      assert.equal(progress.at(-1), file.bytes);
      assert.deepEqual(fs.readFileSync(path.join(server.dataDir, 'files', `${file.id}.jsonl`)), fs.readFileSync(PAIRS));
    } finally {
      await server.close();
    }
  });

  test('a multipart upload (curl -F) keeps the bytes and reads purpose', async () => {
    const server = await startServer();
    try {
      const form = new FormData();
      form.set('purpose', 'fine-tune');
      form.set('file', new Blob([fs.readFileSync(PAIRS)]), 'mine.jsonl');
      const res = await fetch(`${server.url}/v1/files`, { method: 'POST', body: form });
      assert.equal(res.status, 200);
      const file = (await res.json()) as { id: string; filename: string; bytes: number };
      assert.equal(file.filename, 'mine.jsonl');
      assert.deepEqual(fs.readFileSync(path.join(server.dataDir, 'files', `${file.id}.jsonl`)), fs.readFileSync(PAIRS));

      const bad = new FormData();
      bad.set('purpose', 'assistants');
      bad.set('file', new Blob(['{}\n']), 'x.jsonl');
      const refused = await fetch(`${server.url}/v1/files`, { method: 'POST', body: bad });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /Unsupported purpose/);
    } finally {
      await server.close();
    }
  });

  test('too large → 413 from Content-Length, and mid-stream when the size is not declared; no file kept', async () => {
    const server = await startServer({ maxUploadBytes: 1000 });
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      await assert.rejects(client.uploadFile(PAIRS), (err: TrainerError) => err.kind === 'too_large' && /larger than this trainer accepts/.test(err.message));
      const chunks = Array.from({ length: 8 }, () => new Uint8Array(400).fill(65));
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      const res = await fetch(`${server.url}/v1/files?purpose=fine-tune`, { method: 'POST', body, duplex: 'half' } as RequestInit);
      assert.equal(res.status, 413);
      assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'files')), []);
    } finally {
      await server.close();
    }
  });

  test('the trainer says its upload limit on /health, and train refuses a larger file before uploading it', async () => {
    const server = await startServer({ maxUploadBytes: 1000 });
    try {
      assert.equal((await new TrainerClient({ baseUrl: server.url }).health()).maxUploadBytes, 1000);
      const cap = captureIO();
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url], cap.io), 1, cap.stderr());
      assert.match(cap.stderr(), /pairs\.jsonl \([\d.]+ KB\) is larger than the trainer accepts \(1000 bytes; .*--max-upload-mb\); nothing was uploaded/);
      assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'files')), []);
    } finally {
      await server.close();
    }
  });

  test('an upload cut off by the client leaves no partial file behind', async () => {
    const server = await startServer();
    try {
      const filesDir = path.join(server.dataDir, 'files');
      const stop = new AbortController();
      let first = true;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (first) {
            first = false;
            controller.enqueue(new Uint8Array(64 * 1024).fill(66));
            return;
          }
          // Hold the upload open until the server has started writing it, then give up.
          await waitFor(() => fs.readdirSync(filesDir).some((n) => n.endsWith('.part') && fs.statSync(path.join(filesDir, n)).size > 0), 5000, 'the partial upload');
          stop.abort();
        },
      });
      await assert.rejects(fetch(`${server.url}/v1/files?purpose=fine-tune`, { method: 'POST', body, duplex: 'half', signal: stop.signal } as RequestInit));
      await waitFor(() => fs.readdirSync(filesDir).length === 0, 5000, 'the partial upload to be removed');
    } finally {
      await server.close();
    }
  });

  test('multipart parser: any chunking gives the same parts', () => {
    const boundary = '----dc-boundary';
    const fileBytes = Buffer.from('{"a":1}\r\n{"b":"--dc"}\r\n\r\n------dc-boundar\n');
    const body = Buffer.concat([
      Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.jsonl"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      fileBytes,
      Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
    ]);
    assert.equal(boundaryOf(`multipart/form-data; boundary=${boundary}`), boundary);
    assert.equal(boundaryOf(`multipart/form-data; boundary="${boundary}"`), boundary);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: body.length - 1 }), { maxLength: 12 }), (cuts) => {
        const parser = new MultipartParser(boundary);
        const events: MultipartEvent[] = [];
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b).concat(body.length)) {
          events.push(...parser.push(body.subarray(at, cut)));
          at = cut;
        }
        parser.end();
        const parts: { name: string; filename?: string; data: Buffer }[] = [];
        for (const e of events) {
          if (e.type === 'part') parts.push({ name: e.name, filename: e.filename, data: Buffer.alloc(0) });
          if (e.type === 'data') parts[parts.length - 1].data = Buffer.concat([parts[parts.length - 1].data, e.data]);
        }
        assert.deepEqual(
          parts.map((p) => [p.name, p.filename, p.data.toString()]),
          [
            ['purpose', undefined, 'fine-tune'],
            ['file', 't.jsonl', fileBytes.toString()],
          ],
        );
      }),
    );
    const truncated = new MultipartParser(boundary);
    truncated.push(body.subarray(0, body.length - 20));
    assert.throws(() => truncated.end(), /ended before the closing multipart boundary/);
  });
});

describe('jobs', () => {
  test('an invalid dataset fails the job with a per-line report and trains nothing', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const lines = fs.readFileSync(PAIRS, 'utf8').trim().split('\n');
      lines[2] = '{"prompt": "broken", "chosen": "x"';
      lines[4] = '{"prompt": "no rejected", "chosen": "x"}';
      const file = await client.uploadFile({ data: `${lines.join('\n')}\n`, fileName: 'bad.jsonl' });
      const job = await client.createJob({ training_file: file.id });
      const final = await waitForEnd(client, job.id);
      assert.equal(final.status, 'failed');
      assert.equal(final.error?.code, 'invalid_training_file');
      assert.match(final.error!.message, /\(checked with the trainer's built-in schemas and default rules, not a project's \.dialoguecurator\.json\); nothing was trained/);
      assert.match(final.error!.message, /^line 3: .*json-syntax/m);
      assert.match(final.error!.message, /^line 5: .*"rejected"/m);
      const events = (await client.listEvents(job.id)).data;
      assert.equal(events.filter((e) => e.type === 'metrics').length, 0);
      assert.ok(!events.some((e) => /started/.test(e.message)));
      const jobDir = path.join(server.dataDir, 'jobs', job.id);
      assert.ok(!fs.existsSync(path.join(jobDir, 'dataset.jsonl')));
      assert.ok(!fs.existsSync(path.join(jobDir, 'backend.log')));
      assert.equal(JSON.parse(fs.readFileSync(path.join(jobDir, 'job.json'), 'utf8')).pid, null);

      // The CLI checks before uploading: it names the lines and sends nothing.
      const bad = path.join(tempDir(), 'bad.jsonl');
      fs.writeFileSync(bad, `${lines.join('\n')}\n`);
      const before = fs.readdirSync(path.join(server.dataDir, 'files')).length;
      const cap = captureIO();
      assert.equal(await main(['train', '--yes', bad, '--trainer', server.url], cap.io), 1);
      assert.match(cap.stderr(), /nothing was uploaded\.\nline 3: .*\nline 5: /);
      assert.equal(fs.readdirSync(path.join(server.dataDir, 'files')).length, before);
    } finally {
      await server.close();
    }
  });

  test('a non-preference file and an empty one are refused', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const chat = await client.uploadFile({ data: '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}\n', fileName: 'chat.jsonl' });
      const failed = await waitForEnd(client, (await client.createJob({ training_file: chat.id })).id);
      assert.match(failed.error!.message, /line 1: DPO needs preference pairs/);
      await assert.rejects(client.uploadFile({ data: '', fileName: 'empty.jsonl' }), /The uploaded file is empty/);
    } finally {
      await server.close();
    }
  });

  test('job requests are validated: unknown fields, bad values, missing files', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile({ data: fs.readFileSync(PAIRS), fileName: 'p.jsonl' });
      const post = (body: unknown) =>
        fetch(`${server.url}/v1/fine_tuning/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const cases: [unknown, number, RegExp][] = [
        [{ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { beta: -1 } } } }, 400, /method\.dpo\.hyperparameters\.beta: expected a number > 0/],
        [{ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { betta: 0.1 } } } }, 400, /betta: unknown field/],
        [{ training_file: file.id, method: { type: 'sft' } }, 400, /only "dpo" is supported/],
        [{ training_file: 'file-000000000000000000000000' }, 404, /No uploaded file/],
        [{ model: 'x' }, 400, /training_file: expected a string/],
      ];
      for (const [body, status, message] of cases) {
        const res = await post(body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.match(((await res.json()) as { error: { message: string } }).error.message, message);
      }
      assert.equal((await fetch(`${server.url}/v1/fine_tuning/jobs`, { method: 'POST', body: '{' , headers: { 'content-type': 'application/json' } })).status, 400);
      await assert.rejects(client.getJob('ftjob-nope'), (e: TrainerError) => e.kind === 'not_found');
      await assert.rejects(client.listEvents('ftjob-000000000000000000000000'), /No fine-tuning job/);
    } finally {
      await server.close();
    }
  });

  test('jobs queue one at a time; a queued job can be cancelled before it starts', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile(PAIRS);
      const hp = { type: 'dpo' as const, dpo: { hyperparameters: { max_steps: 3, batch_size: 2 } } };
      const a = await client.createJob({ training_file: file.id, method: hp });
      const b = await client.createJob({ training_file: file.id, method: hp });
      const c = await client.createJob({ training_file: file.id, method: hp });
      // Observed inside the server at the moment b starts: where was a?
      let aStatusWhenBStarted: string | undefined;
      server.jobs.follow(b.id, undefined, {
        onEvent: (e) => {
          if (/job started/.test(e.message)) aStatusWhenBStarted = server.jobs.get(a.id).status;
        },
        onEnd: () => {},
      });
      // Wait until c is queued behind a, then cancel it.
      for (let i = 0; i < 100 && (await client.getJob(c.id)).status !== 'queued'; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal((await client.cancelJob(c.id)).status, 'cancelled');
      const [fa, fb] = [await waitForEnd(client, a.id), await waitForEnd(client, b.id)];
      assert.equal(fa.status, 'succeeded');
      assert.equal(fb.status, 'succeeded');
      assert.equal(aStatusWhenBStarted, 'succeeded');
      assert.ok(!(await client.listEvents(c.id)).data.some((e) => /job started/.test(e.message)));
      const listed = await client.listJobs();
      assert.deepEqual(
        listed.data.map((j) => j.id),
        [c.id, b.id, a.id],
      );
      assert.ok(listed.data.every((j) => isTerminalStatus(j.status)));
      await assert.rejects(client.cancelJob(a.id), (e: TrainerError) => e.kind === 'conflict');
    } finally {
      await server.close();
    }
  });
});
