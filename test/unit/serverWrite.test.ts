// The upload writer's back-pressure waits leave no listener behind: before, each wait added an
// 'error' listener that stayed, and a large upload ended in MaxListenersExceededWarning.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeWithBackpressure } from '../../src/server/server';
import { PAIRS, startServer, tempDir } from '../fixtures/trainer/harness';
import { TrainerClient } from '../../src/core/trainer/client';

test('hundreds of back-pressure waits: listeners stay at their baseline, every byte is written', async () => {
  const dir = tempDir('dc-write-');
  const file = path.join(dir, 'out.bin');
  const stream = fs.createWriteStream(file, { highWaterMark: 64 });
  const baseline = { error: stream.listenerCount('error'), drain: stream.listenerCount('drain') };
  const chunk = Buffer.alloc(256, 7);
  let waits = 0;
  for (let i = 0; i < 400; i++) {
    const wait = writeWithBackpressure(stream, chunk);
    if (wait) {
      waits++;
      await wait;
    }
  }
  await new Promise<void>((resolve) => stream.end(resolve));
  assert.ok(waits > 100, `${waits} waits`);
  assert.deepEqual({ error: stream.listenerCount('error'), drain: stream.listenerCount('drain') }, baseline);
  assert.equal(fs.statSync(file).size, 400 * 256);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an upload of several megabytes raises no MaxListenersExceededWarning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const dir = tempDir('dc-upload-');
  const server = await startServer({ dataDir: path.join(dir, 'data') });
  try {
    const big = path.join(dir, 'big.jsonl');
    const line = fs.readFileSync(PAIRS, 'utf8').split('\n')[0];
    fs.writeFileSync(big, `${Array.from({ length: 12_000 }, () => line).join('\n')}\n`);
    const uploaded = await new TrainerClient({ baseUrl: server.url }).uploadFile(big);
    assert.equal(uploaded.bytes, fs.statSync(big).size);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((w) => /MaxListeners/.test(w)), []);
  } finally {
    process.off('warning', onWarning);
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
