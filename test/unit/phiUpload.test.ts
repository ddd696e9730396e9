// What the person is asked before an upload (the PHI warning and the confirmation), and the
// trainer profiles that decide where it goes. Both are vscode-free modules of the extension.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanPhi } from '../../src/core/phi';
import { confirmationText, formatSize, phiWarningText, UploadFacts } from '../../src/extension/training/confirmation';
import { hostOf, parseTrainerProfiles, tokenKeyOf } from '../../src/extension/training/profiles';

const clean = scanPhi('{"prompt":"hi","chosen":"hello","rejected":"go away"}');

function facts(over: Partial<UploadFacts> = {}): UploadFacts {
  return {
    trainerName: 'GPU box',
    host: 'gpu-box:8787',
    fileName: 'pairs.jsonl',
    filePath: '/data/pairs.jsonl',
    records: 1234,
    bytes: 2_500_000,
    formatLabel: 'TRL preference (standard)',
    model: 'org/model-8b',
    hyperparameters: { beta: 0.1, n_epochs: 1 },
    peft: { lora_r: 32, lora_alpha: 64, load_in_4bit: true },
    phi: clean,
    tokenInClear: false,
    hasToken: true,
    ...over,
  };
}

test('the confirmation names the host, the file, the record count and the size', () => {
  const { message, detail } = confirmationText(facts());
  assert.equal(message, 'Upload pairs.jsonl (1,234 records, 2.4 MB) to gpu-box:8787 and start training?');
  assert.match(detail, /^File: \/data\/pairs\.jsonl$/m);
  assert.match(detail, /^Records: 1,234 records \(TRL preference \(standard\)\)$/m);
  assert.match(detail, /^Size: 2\.4 MB$/m);
  assert.match(detail, /^Trainer: GPU box at gpu-box:8787$/m);
  assert.match(detail, /^Settings: beta 0\.1, n_epochs 1, QLoRA, lora_r 32, lora_alpha 64$/m);
  assert.match(detail, /^Personal health information scan: nothing found$/m);
  assert.doesNotMatch(detail, /unencrypted|without one/);
});

test('the confirmation warns about a missing token, a token in clear and PHI the person accepted', () => {
  const phi = scanPhi('{"prompt":"mail me: kim@uni.edu","chosen":"ok","rejected":"no"}');
  const one = confirmationText(facts({ records: 1, bytes: 900, hasToken: false, phi, model: undefined, hyperparameters: {}, peft: undefined }));
  assert.equal(one.message, 'Upload pairs.jsonl (1 record, 900 bytes) to gpu-box:8787 and start training?');
  assert.match(one.detail, /No token is stored/);
  assert.match(one.detail, /^Model: the trainer's default$/m);
  assert.match(one.detail, /^Settings: the trainer's defaults$/m);
  assert.match(one.detail, /scan: 1 email address — you chose to continue/);
  assert.match(confirmationText(facts({ tokenInClear: true })).detail, /plain HTTP .* unencrypted/);
});

test('with a validation set the confirmation names both files, their records, sizes and PHI scans', () => {
  const validationPhi = scanPhi('{"prompt":"mail me: kim@uni.edu","chosen":"ok","rejected":"no"}');
  const { message, detail } = confirmationText(
    facts({
      records: 1234,
      model: undefined,
      hyperparameters: {},
      peft: undefined,
      validation: { fileName: 'held-out.jsonl', filePath: '/data/held-out.jsonl', records: 1, bytes: 900, formatLabel: 'TRL preference (standard)', phi: validationPhi },
    }),
  );
  assert.equal(message, 'Upload pairs.jsonl (1,234 records, 2.4 MB) and the validation set held-out.jsonl (1 record, 900 bytes) to gpu-box:8787 and start training?');
  assert.match(detail, /^File: \/data\/pairs\.jsonl$/m);
  assert.match(detail, /^Validation set: \/data\/held-out\.jsonl$/m);
  assert.match(detail, /^Validation records: 1 record \(TRL preference \(standard\)\), 900 bytes$/m);
  assert.match(detail, /^Personal health information scan: pairs\.jsonl: nothing found; held-out\.jsonl: 1 email address — you chose to continue$/m);
  // Without one, nothing about validation.
  assert.doesNotMatch(confirmationText(facts()).detail, /[Vv]alidation/);
});

test('the PHI warning gives counts, lines and masked examples, never the raw values', () => {
  const text = [
    '{"prompt":"Call 415-867-5309 or mail ann@mail.org","chosen":"ok","rejected":"no"}',
    '{"prompt":"x","chosen":"y","rejected":"z"}',
    '{"prompt":"DOB: 03/14/1985","chosen":"ok","rejected":"no"}',
  ].join('\n');
  const w = phiWarningText('d.jsonl', 'gpu:1', scanPhi(text));
  assert.equal(w.message, 'd.jsonl may contain personal health information: 1 email address, 1 phone number, 1 date of birth on 2 lines.');
  assert.match(w.detail, /• line 1, prompt: a\*\*\*@mail\.org \(email address\)/);
  assert.match(w.detail, /• line 3, prompt: DOB: \*\*\/\*\*\/\*\*85 \(date of birth\)/);
  assert.match(w.detail, /uploads the whole file to gpu:1/);
  assert.doesNotMatch(w.detail, /ann@|867-5309|03\/14/);
});

test('sizes read naturally', () => {
  assert.equal(formatSize(0), '0 bytes');
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(300 * 1024 * 1024), '300 MB');
  assert.equal(formatSize(3 * 1024 ** 3), '3 GB');
});

test('trainer profiles are checked with the protocol validators; bad entries are skipped with a reason', () => {
  const { profiles, problems } = parseTrainerProfiles([
    { name: 'GPU', url: 'https://gpu:8787', model: 'm', hyperparameters: { beta: 0.2, max_steps: 100 }, peft: { lora_r: 16 }, evalPrompts: ['How do I help my dad sleep?'] },
    { url: 'http://127.0.0.1:8787' },
    { name: 'bad prompts', url: 'http://c', evalPrompts: ['fine', ''] },
    { name: 'typo', url: 'http://a', hyperparameters: { betta: 1 } },
    { name: 'bad lr', url: 'http://a', hyperparameters: { learning_rate: -1 } },
    { name: 'creds', url: 'http://user:pw@a' },
    { name: 'ftp', url: 'ftp://a' },
    { name: 'GPU', url: 'http://b' },
    { name: 'extra', url: 'http://a', token: 'secret' },
    'nonsense',
  ]);
  assert.deepEqual(profiles, [
    { name: 'GPU', url: 'https://gpu:8787', model: 'm', hyperparameters: { beta: 0.2, max_steps: 100 }, peft: { lora_r: 16 }, evalPrompts: ['How do I help my dad sleep?'] },
    { name: '127.0.0.1:8787', url: 'http://127.0.0.1:8787', hyperparameters: {} },
  ]);
  assert.equal(problems.length, 8);
  assert.match(problems[0], /trainers\[2\]\.evalPrompts\[1\]: expected a prompt, got an empty string/);
  assert.match(problems[1], /trainers\[3\]\.hyperparameters\.betta: unknown field/);
  assert.match(problems[2], /trainers\[4\]\.hyperparameters\.learning_rate: expected a number > 0/);
  assert.match(problems[3], /must not contain credentials/);
  assert.match(problems[4], /http:\/\/ or https:\/\//);
  assert.match(problems[5], /"GPU" is used twice/);
  assert.match(problems[6], /trainers\[8\]\.token is not a profile field/);
  assert.match(problems[7], /trainers\[9\] must be an object/);
  assert.deepEqual(parseTrainerProfiles({}).problems, ['dialogueCurator.trainers must be a list of trainer profiles']);
  assert.deepEqual(parseTrainerProfiles(undefined), { profiles: [], problems: [] });
});

test('one token per trainer, whatever way its URL is written', () => {
  assert.equal(tokenKeyOf('https://gpu:8787/'), 'https://gpu:8787');
  assert.equal(tokenKeyOf('https://gpu:8787/v1'), 'https://gpu:8787');
  assert.equal(tokenKeyOf('HTTPS://GPU:8787'), 'https://gpu:8787');
  assert.notEqual(tokenKeyOf('https://proxy/a'), tokenKeyOf('https://proxy/b'));
  assert.notEqual(tokenKeyOf('http://gpu:8787'), tokenKeyOf('https://gpu:8787'));
  assert.equal(hostOf('https://gpu:8787/x'), 'gpu:8787');
});
