/**
 * A training job's evaluation file: the base and the tuned model's greedy answers to the held-out
 * prompts, written by the backend as preference records in the dataset's own format, `chosen`
 * being the tuned model's answer and `rejected` the base model's. Every tool that reads pairs
 * (the compare panel, `stats`) reads it; only the names of the two sides change.
 */

/** What a job's results folder holds (see `downloadResults`). */
export const EVALUATION_FILE_NAME = 'evaluation.jsonl';
export const TRAINING_LOG_FILE_NAME = 'training-log.jsonl';

/** How the two sides of a pair are named. */
export interface SideNames {
  chosen: string;
  rejected: string;
}

export const DATASET_SIDES: SideNames = { chosen: 'chosen', rejected: 'rejected' };
export const EVALUATION_SIDES: SideNames = { chosen: 'tuned', rejected: 'base' };

/**
 * True when `filePath` is the evaluation file of a downloaded results folder: named
 * evaluation.jsonl with the job's training-log.jsonl beside it (the layout `downloadResults` and
 * `train --output` write). A dataset merely called evaluation.jsonl keeps chosen and rejected.
 */
export function isEvaluationFile(filePath: string, exists: (p: string) => boolean): boolean {
  const sep = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  const name = filePath.slice(sep + 1);
  if (name !== EVALUATION_FILE_NAME) return false;
  return exists(filePath.slice(0, sep + 1) + TRAINING_LOG_FILE_NAME);
}

/** "Tuned" from "tuned": the title of a column. */
export function sideTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
