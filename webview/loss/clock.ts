/**
 * The loss panel's clock: how long a job waited (validation and queue) and how long it has
 * trained, from the trainer's times. Training time counts from the job's start, never from its
 * creation, so a long queue does not make a run look slow.
 */
import type { JobView } from './messages';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobClock {
  /** Seconds from creation to start (or until now / the end, while it never started). */
  queued?: number;
  /** Seconds of training: from the start to the end, or to now while it runs. */
  elapsed?: number;
}

/** `now` is in seconds since the epoch, like the job's times. */
export function jobClock(job: JobView, now: number): JobClock {
  const ended = TERMINAL.has(job.status);
  // A finished job without an end time has no moving clock: nothing to count up to.
  const end = job.finishedAt ?? (ended ? undefined : now);
  const span = (from: number, to: number | undefined) => (to === undefined ? undefined : Math.max(0, to - from));
  if (job.startedAt !== undefined) {
    return { queued: span(job.createdAt, job.startedAt), elapsed: span(job.startedAt, end) };
  }
  if (job.status === 'validating_files' || job.status === 'queued' || ended) {
    // Not started (yet, or ever: cancelled in the queue, an invalid dataset).
    return { queued: span(job.createdAt, end) };
  }
  // Running on a trainer that does not say when it started: the best we know is its creation.
  return { elapsed: span(job.createdAt, end) };
}
