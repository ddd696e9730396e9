import { PreparedFile } from '../node/prepareFile';
import { DatasetLayout } from './backends';

/** What a job's preparation worker is started with (its `workerData`): plain data. */
export interface PrepareWorkerData {
  /** The training file, then the validation file when the job has one: each upload and where its pairs go. */
  files: { input: string; output: string }[];
  layout: DatasetLayout;
  /** Count the validation pairs that are in the training set (two different files). */
  overlap: boolean;
  /** Errors kept with their text, per file; the others are counted. */
  keepErrors: number;
}

/** The worker's one answer, posted before it exits. */
export type FromPrepareWorker =
  | {
      type: 'prepared';
      /** In the order of `PrepareWorkerData.files`. The pairs are written only if no file has errors. */
      files: PreparedFile[];
      overlap?: { pairs: number; prompts: number };
    }
  /** `files[index]` cannot be opened; nothing was checked. */
  | { type: 'unreadable'; index: number; message: string }
  /** Reading or writing failed partway. */
  | { type: 'failed'; message: string };
