/**
 * The curation process collects its garbage when idle (IdleCollector, heap.ts): only after a pause
 * of `idleMs` without work, only when the heap has grown past its slack since the last
 * collection, and only where a full collection is exposed (the curation process's flags).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { mock, test } from 'node:test';
import { IdleCollector } from '../../src/node/heap';
import { CURATION_PROCESS_FLAGS } from '../../src/node/workers';

const MB = 1024 * 1024;

function fakeHeap(used: number) {
  const heap = { used, collected: 0 };
  return {
    heap,
    options: {
      collect: () => {
        heap.collected++;
        heap.used = Math.round(heap.used / 2);
      },
      usedBytes: () => heap.used,
      idleMs: 1000,
      slack: 0.15,
      minSlackBytes: 32 * MB,
    },
  };
}

test('an idle collection is made only when the heap grew past its slack since the last one', () => {
  const { heap, options } = fakeHeap(400 * MB);
  const c = new IdleCollector(options);
  assert.equal(c.idle(), true, 'nothing collected yet: 400 MB is past the 32 MB floor');
  assert.equal(heap.used, 200 * MB);
  heap.used = 225 * MB;
  assert.equal(c.idle(), false, '25 MB past 200 MB live: within max(32 MB, 15 %)');
  heap.used = 240 * MB;
  assert.equal(c.idle(), true, '40 MB past 200 MB live: past the slack');
  assert.equal(c.collections, 2);
  assert.equal(heap.collected, 2);
  // A bigger live heap gets the share, not the floor: 15 % of 400 MB is 60 MB.
  const big = fakeHeap(800 * MB);
  const d = new IdleCollector(big.options);
  d.idle();
  big.heap.used = 450 * MB;
  assert.equal(d.idle(), false);
  big.heap.used = 461 * MB;
  assert.equal(d.idle(), true);
});

test('the collection waits for a pause: every bit of work moves it on', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { heap, options } = fakeHeap(400 * MB);
    const c = new IdleCollector(options);
    c.busy();
    mock.timers.tick(900);
    c.busy();
    mock.timers.tick(900);
    assert.equal(heap.collected, 0, 'work came in before the pause was long enough');
    mock.timers.tick(100);
    assert.equal(heap.collected, 1, 'a second of nothing to do');
    mock.timers.tick(5000);
    assert.equal(heap.collected, 1, 'once per pause');
    c.busy();
    c.dispose();
    mock.timers.tick(5000);
    assert.equal(heap.collected, 1, 'disposed: no collection');
  } finally {
    mock.timers.reset();
  }
});

test('without a full collection to call (no --expose-gc) nothing is scheduled or done', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const c = new IdleCollector({ collect: undefined, usedBytes: () => 4000 * MB });
    c.busy();
    mock.timers.tick(10_000);
    assert.equal(c.idle(), false);
    assert.equal(c.collections, 0);
  } finally {
    mock.timers.reset();
  }
});

test('a process with the curation flags has a full collection, and an idle one gives back the garbage', () => {
  const heap = path.join(__dirname, '..', '..', 'src', 'node', 'heap.ts');
  const script = `
    const { IdleCollector, exposedGc } = require(${JSON.stringify(heap)});
    const c = new IdleCollector();
    const v8 = require('v8');
    let keep = [];
    for (let i = 0; i < 200000; i++) keep.push({ i, text: 'x'.repeat(200) + i });
    keep = undefined;
    const before = v8.getHeapStatistics().used_heap_size;
    const collected = c.idle();
    const after = v8.getHeapStatistics().used_heap_size;
    process.stdout.write(JSON.stringify({ exposed: typeof exposedGc(), collected, before, after }));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...CURATION_PROCESS_FLAGS, '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const r = JSON.parse(run.stdout) as { exposed: string; collected: boolean; before: number; after: number };
  assert.equal(r.exposed, 'function');
  assert.equal(r.collected, true);
  assert.ok(r.after < r.before - 20 * MB, `${r.before} -> ${r.after}`);
});
