/**
 * What a succeeded job gives back: its output folder packed as one archive (the adapter or the
 * full model: safetensors, config, tokenizer), the tracking files it asked for, the training log
 * (every event, one JSON object a line) and the base-vs-tuned evaluation. Each becomes a file of
 * purpose `fine-tune-results` in the data directory, listed in the job's `result_files`.
 *
 * The archives are plain tar: safetensors barely compress, and a multi-GB model packs at disk
 * speed instead of gzip's. They are written by streaming, so memory stays flat.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { FineTuningJob, RESULTS_PURPOSE, ResultKind, TrainerFile } from '../core/trainer/protocol';
import { JobPaths } from './backends';
import { DataStore, newId } from './store';

function entriesOf(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Packs and registers a job's results; returns them in a fixed order (model first). */
export async function collectResults(store: DataStore, job: FineTuningJob, paths: JobPaths): Promise<TrainerFile[]> {
  const files: TrainerFile[] = [];
  const add = async (kind: ResultKind, ext: string, write: (dest: string) => Promise<void>) => {
    const id = newId('file');
    const dest = store.resultDataPath(id);
    await write(dest);
    const file: TrainerFile = {
      id,
      object: 'file',
      bytes: fs.statSync(dest).size,
      created_at: Math.floor(Date.now() / 1000),
      filename: `${job.id}-${kind}.${ext}`,
      purpose: RESULTS_PURPOSE,
    };
    store.commitResult(file);
    files.push(file);
  };
  const packed = (cwd: string, entries: string[]) => (dest: string) =>
    pipeline(tar.create({ cwd, portable: true, noMtime: false }, entries), fs.createWriteStream(dest, { mode: 0o600 }));

  const output = entriesOf(paths.output);
  if (output.length) {
    const kind = output.includes('adapter_config.json') ? 'adapter' : 'model';
    await add(kind, 'tar', packed(paths.output, output));
  }
  if (entriesOf(paths.tracking).length) {
    // Entries under tracking/, so unpacking beside the model keeps them apart.
    await add('tracking', 'tar', packed(path.dirname(paths.tracking), [path.basename(paths.tracking)]));
  }
  const events = path.join(paths.dir, 'events.jsonl');
  if (fs.existsSync(events)) await add('training-log', 'jsonl', (dest) => fs.promises.copyFile(events, dest));
  if (paths.evaluation && fs.existsSync(paths.evaluation)) {
    const evaluation = paths.evaluation;
    await add('evaluation', 'jsonl', (dest) => fs.promises.copyFile(evaluation, dest));
  }
  return files;
}
