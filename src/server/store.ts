/**
 * The trainer server's data directory. Everything a restarted server needs is on disk:
 *
 *   files/<file-id>.jsonl         uploaded bytes      files/<file-id>.json   metadata
 *   files/<file-id>.result        a job's result (model archive, training log, evaluation)
 *   jobs/<job-id>/job.json        the job + the pid of its backend process group
 *   jobs/<job-id>/events.jsonl    every event, appended as it happens (replay and resume)
 *   jobs/<job-id>/dataset.jsonl   the normalised pairs the backend reads
 *   jobs/<job-id>/config.json     what the backend is told (hyperparameters, model, …)
 *   jobs/<job-id>/backend.log     the backend's stderr and non-JSON stdout
 *   jobs/<job-id>/output/         what the backend saves
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FineTuningJob, JobEvent, parseEvent, parseFile, parseJob, RESULTS_PURPOSE, TrainerFile } from '../core/trainer/protocol';

export interface StoredJob {
  job: FineTuningJob;
  /** Process group leader of the running backend, kept so a restarted server can end orphans. */
  pid: number | null;
}

export function newId(prefix: 'file' | 'ftjob'): string {
  return `${prefix}-${randomBytes(12).toString('hex')}`;
}

const ID = /^(file|ftjob)-[0-9a-f]{24}$/;
export function isValidId(id: string, prefix: 'file' | 'ftjob'): boolean {
  return ID.test(id) && id.startsWith(`${prefix}-`);
}

/** Writes through a temporary file and a rename, so a crash never leaves half a JSON file. */
function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

export class DataStore {
  readonly filesDir: string;
  readonly jobsDir: string;

  constructor(readonly root: string) {
    this.filesDir = path.join(root, 'files');
    this.jobsDir = path.join(root, 'jobs');
    fs.mkdirSync(this.filesDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(this.jobsDir, { recursive: true, mode: 0o700 });
  }

  // Files ---------------------------------------------------------------------------------------

  fileDataPath(id: string): string {
    return path.join(this.filesDir, `${id}.jsonl`);
  }

  /** Where an upload streams to before it is complete. */
  partialUploadPath(id: string): string {
    return path.join(this.filesDir, `${id}.jsonl.part`);
  }

  /** Where a file's bytes are: an upload's, or a job result's. */
  contentPath(file: TrainerFile): string {
    return file.purpose === RESULTS_PURPOSE ? this.resultDataPath(file.id) : this.fileDataPath(file.id);
  }

  resultDataPath(id: string): string {
    return path.join(this.filesDir, `${id}.result`);
  }

  /** Registers a result whose bytes were written to `resultDataPath(file.id)`. */
  commitResult(file: TrainerFile): void {
    writeJsonAtomic(path.join(this.filesDir, `${file.id}.json`), file);
  }

  commitUpload(file: TrainerFile): void {
    fs.renameSync(this.partialUploadPath(file.id), this.fileDataPath(file.id));
    writeJsonAtomic(path.join(this.filesDir, `${file.id}.json`), file);
  }

  discardUpload(id: string): void {
    fs.rmSync(this.partialUploadPath(id), { force: true });
  }

  getFile(id: string): TrainerFile | undefined {
    if (!isValidId(id, 'file')) return undefined;
    try {
      return parseFile(JSON.parse(fs.readFileSync(path.join(this.filesDir, `${id}.json`), 'utf8')));
    } catch {
      return undefined;
    }
  }

  listFiles(): TrainerFile[] {
    return fs
      .readdirSync(this.filesDir)
      .filter((n) => n.endsWith('.json'))
      .map((n) => this.getFile(n.slice(0, -'.json'.length)))
      .filter((f): f is TrainerFile => f !== undefined)
      .sort((a, b) => b.created_at - a.created_at);
  }

  // Jobs ----------------------------------------------------------------------------------------

  jobDir(id: string): string {
    return path.join(this.jobsDir, id);
  }

  createJobDir(id: string): string {
    const dir = this.jobDir(id);
    fs.mkdirSync(path.join(dir, 'output'), { recursive: true, mode: 0o700 });
    return dir;
  }

  saveJob(stored: StoredJob): void {
    writeJsonAtomic(path.join(this.jobDir(stored.job.id), 'job.json'), stored);
  }

  loadJobs(): StoredJob[] {
    const out: StoredJob[] = [];
    for (const name of fs.readdirSync(this.jobsDir)) {
      if (!isValidId(name, 'ftjob')) continue;
      try {
        const raw = JSON.parse(fs.readFileSync(path.join(this.jobsDir, name, 'job.json'), 'utf8'));
        out.push({ job: parseJob(raw.job), pid: typeof raw.pid === 'number' ? raw.pid : null });
      } catch {
        // A job directory without a readable job.json was never fully created: skip it.
      }
    }
    return out;
  }

  appendEvent(jobId: string, event: JobEvent): void {
    fs.appendFileSync(path.join(this.jobDir(jobId), 'events.jsonl'), `${JSON.stringify(event)}\n`);
  }

  /**
   * A crash can leave a torn last line: it is dropped, every complete event is kept. Each line
   * holds its event's id, so a line lost anywhere leaves a gap in the sequence, never a shift
   * (the job manager continues after the highest id).
   */
  loadEvents(jobId: string): JobEvent[] {
    let text: string;
    try {
      text = fs.readFileSync(path.join(this.jobDir(jobId), 'events.jsonl'), 'utf8');
    } catch {
      return [];
    }
    if (text && !text.endsWith('\n')) {
      // Close the torn line so the next appended event starts on a line of its own.
      fs.appendFileSync(path.join(this.jobDir(jobId), 'events.jsonl'), '\n');
    }
    const events: JobEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        events.push(parseEvent(JSON.parse(line)));
      } catch {
        // torn or foreign line
      }
    }
    return events;
  }
}
