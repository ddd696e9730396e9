// The CLI `train` command against a scripted trainer: where its progress line goes and what it
// says, and what its local check blocks before anything is uploaded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { captureIO, PAIRS } from '../fixtures/trainer/harness';
import { fakeJob, FakeTrainerScript, metricsEvent, startFakeTrainer } from '../fixtures/trainer/fakeTrainer';

const T0 = 1_800_000_000;
const PROGRESS = /\[[#.]+\] \d+\/\d+/;

/** A job of 4 steps that ran from T0 to T0 + 8. */
function quickRun(): FakeTrainerScript {
  const events = [1, 2, 3, 4].map((step) => metricsEvent(step, T0 + 2 * step, step, 4));
  return {
    job: () => fakeJob('validating_files', { created_at: T0 }, 4),
    events,
    final: fakeJob('succeeded', { created_at: T0, finished_at: T0 + 8 }, 4),
  };
}

describe('train progress line', () => {
  test('json mode: drawn on stderr only when stderr is a terminal, whatever stdout is', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      // stdout a terminal, stderr redirected (2> log): no progress bar in the log.
      const redirected = captureIO({ isTTY: true, stderrIsTTY: false });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url, '--format', 'json'], redirected.io), 0, redirected.stderr());
      assert.doesNotMatch(redirected.stderr(), PROGRESS);
      assert.ok(!redirected.stderr().includes('\x1b['), 'no terminal escapes in a redirected stderr');
      assert.equal(redirected.stdout().trim().split('\n').length, 4, 'stdout has the four metrics objects only');

      // stdout piped (| jq), stderr the terminal: the progress bar is drawn there.
      const piped = captureIO({ isTTY: false, stderrIsTTY: true });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url, '--format', 'json'], piped.io), 0, piped.stderr());
      assert.match(piped.stderr(), PROGRESS);
      assert.ok(piped.stderr().includes('\r\x1b[2K'), 'the progress line is erased before the next line');
      assert.doesNotMatch(piped.stdout(), PROGRESS);
      for (const line of piped.stdout().trim().split('\n')) assert.equal(typeof JSON.parse(line).step, 'number');
    } finally {
      await trainer.close();
    }
  });

  test('text mode: drawn on stdout only when stdout is a terminal', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      const terminal = captureIO({ isTTY: true, stderrIsTTY: false });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url], terminal.io), 0, terminal.stderr());
      assert.match(terminal.stdout(), PROGRESS);
      const piped = captureIO({ isTTY: false, stderrIsTTY: true });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url], piped.io), 0, piped.stderr());
      assert.doesNotMatch(piped.stdout() + piped.stderr(), PROGRESS);
    } finally {
      await trainer.close();
    }
  });
});
