// Creates the trainer's Python environment, trainer/.venv, with exactly trainer/requirements.txt
// (torch 2.13.0 CPU build where it lies on disk; a GPU machine's pip takes its own build).
// Idempotent: a stamp holding the requirements' hash makes a second run take a second.
// Prints the interpreter's path on its last line. Override the base Python with PYTHON=...
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = process.env.DIALOGUE_CURATOR_TRAINER_VENV || join(root, 'trainer', '.venv');
const requirements = join(root, 'trainer', 'requirements.txt');
const python = join(venv, 'bin', 'python');
const stamp = join(venv, '.requirements.sha256');
const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`setup:trainer: '${cmd} ${args.join(' ')}' failed (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

if (existsSync(stamp) && existsSync(python) && readFileSync(stamp, 'utf8').trim() === hash) {
  console.log(`trainer environment up to date`);
} else {
  if (!existsSync(python)) run(process.env.PYTHON || 'python3', ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  run(python, ['-c', 'import torch, transformers, trl, accelerate, peft, datasets, safetensors, tokenizers']);
  writeFileSync(stamp, hash + '\n');
}
console.log(python);
