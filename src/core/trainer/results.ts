/**
 * Brings a succeeded job's results home: every file in its `result_files`, downloaded (resumable)
 * and unpacked into one folder that `AutoModelForCausalLM.from_pretrained(folder)` (or peft's
 * `PeftModel.from_pretrained` for an adapter) loads:
 *
 *   DIR/                     the model or adapter: *.safetensors, config, tokenizer
 *   DIR/tracking/            TensorBoard / trackio files, when the job asked for them
 *   DIR/training-log.jsonl   every event of the job
 *   DIR/evaluation.jsonl     base (rejected) and tuned (chosen) answers to the held-out prompts
 *
 * Shared by the CLI (`train --output DIR`) and the extension ("Download Trained Model…").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tar from 'tar';
import { TrainerClient, TrainerError } from './client';
import { EVALUATION_FILE_NAME, TRAINING_LOG_FILE_NAME } from './evaluation';
import { FineTuningJob, resultKind, ResultKind, TrainerFile } from './protocol';

export interface DownloadedResults {
  dir: string;
  /** What the folder holds: a full model, an adapter, or neither (a backend that saves no weights). */
  weights: 'model' | 'adapter' | undefined;
  files: TrainerFile[];
  /** The evaluation file in DIR, when the job produced one. */
  evaluation?: string;
  trainingLog?: string;
  tracking?: string;
}

export interface ResultsProgress {
  /** The file being fetched, its place in the list and the bytes so far. */
  file: TrainerFile;
  index: number;
  count: number;
  received: number;
  total: number;
}

const STAGING = '.dialogue-curator-download';

/**
 * Why `dir` cannot receive results, or undefined when it can: it must not exist yet, or be an
 * empty folder (results never overwrite what is there). A folder holding only an interrupted
 * download of ours is fine: it resumes.
 */
export function outputDirProblem(dir: string): string | undefined {
  let entries: string[];
  try {
    const stat = fs.statSync(dir);
    if (!stat.isDirectory()) return `${dir} is a file, not a folder`;
    entries = fs.readdirSync(dir).filter((e) => e !== STAGING);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return unwritable(nearestExisting(dir));
    return `cannot use ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  if (entries.length) return `${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose a new or empty folder`;
  return unwritable(dir);
}

/** The folder itself or its nearest ancestor that exists (where a new folder would be made). */
function nearestExisting(dir: string): string {
  let at = path.resolve(dir);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/**
 * Why nothing can be made in `dir`, found by making (and removing) a folder there: permissions
 * alone do not say it for a read-only mount, or for /proc and /sys, where root may "write".
 * Checked before a run, so its results are not lost at the end of it.
 */
function unwritable(dir: string): string | undefined {
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
    fs.rmdirSync(fs.mkdtempSync(path.join(dir, '.dialogue-curator-probe-')));
    return undefined;
  } catch (err) {
    return `cannot write in ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

/**
 * Where results go in a folder a person picked: the folder itself when it can take them (see
 * `outputDirProblem`), else a new `<job>` subfolder in it (`<job>-2`, … when that is taken).
 */
export function resultsFolderIn(picked: string, jobId: string): string {
  if (!outputDirProblem(picked)) return picked;
  let isFolder = false;
  try {
    isFolder = fs.statSync(picked).isDirectory();
  } catch {
    // unreadable: downloadResults names the problem
  }
  if (isFolder) {
    for (let n = 1; n <= 1000; n++) {
      const candidate = path.join(picked, n === 1 ? jobId : `${jobId}-${n}`);
      if (!outputDirProblem(candidate)) return candidate;
    }
  }
  // A file, an unreadable folder, or a thousand taken names: the download refuses it, naming why.
  return picked;
}

const LOCAL_NAME: Record<ResultKind, string | undefined> = {
  model: undefined,
  adapter: undefined,
  tracking: undefined,
  'training-log': TRAINING_LOG_FILE_NAME,
  evaluation: EVALUATION_FILE_NAME,
};

export async function downloadResults(
  client: TrainerClient,
  job: FineTuningJob,
  dir: string,
  options: { signal?: AbortSignal; onProgress?: (p: ResultsProgress) => void } = {},
): Promise<DownloadedResults> {
  if (job.status !== 'succeeded') throw new TrainerError(`job ${job.id} has ${job.status === 'running' ? 'not finished' : job.status}: it has no results`, 'conflict');
  if (!job.result_files.length) throw new TrainerError(`job ${job.id} succeeded but its trainer returned no result files`, 'not_found');
  const problem = outputDirProblem(dir);
  if (problem) throw new TrainerError(problem, 'bad_request');
  const staging = path.join(dir, STAGING);
  await fs.promises.mkdir(staging, { recursive: true });
  const files: TrainerFile[] = [];
  for (const id of job.result_files) files.push(await client.getFile(id, { signal: options.signal }));
  const out: DownloadedResults = { dir, weights: undefined, files };
  for (const [index, file] of files.entries()) {
    const kind = resultKind(file);
    const fetched = path.join(staging, path.basename(file.filename));
    await client.downloadFile(file, fetched, {
      signal: options.signal,
      onProgress: (received, total) => options.onProgress?.({ file, index, count: files.length, received, total }),
    });
    if (kind === 'model' || kind === 'adapter' || kind === 'tracking') {
      await unpack(fetched, dir);
      await fs.promises.rm(fetched);
      if (kind === 'tracking') out.tracking = path.join(dir, 'tracking');
      else out.weights = kind;
    } else {
      const name = (kind && LOCAL_NAME[kind]) ?? path.basename(file.filename);
      const dest = path.join(dir, name);
      await fs.promises.rename(fetched, dest);
      if (kind === 'evaluation') out.evaluation = dest;
      if (kind === 'training-log') out.trainingLog = dest;
    }
  }
  await fs.promises.rm(staging, { recursive: true, force: true });
  return out;
}

/** Unpacks regular files and folders only: no links, nothing outside `dir` (tar strips `..` and `/`). */
async function unpack(archive: string, dir: string): Promise<void> {
  let refused = 0;
  await tar.extract({
    file: archive,
    cwd: dir,
    strict: true,
    filter: (_p, entry) => {
      const type = 'type' in entry ? entry.type : undefined;
      const ok = type === 'File' || type === 'Directory' || type === 'OldFile';
      if (!ok) refused++;
      return ok;
    },
  });
  if (refused) throw new TrainerError(`the result archive held ${refused} entr${refused === 1 ? 'y' : 'ies'} that are not files or folders (links); refused`, 'protocol');
}
