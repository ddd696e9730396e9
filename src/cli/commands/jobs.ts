import { parseArgs } from 'node:util';
import { TrainerError } from '../../core/trainer/client';
import { FineTuningJob, isTerminalStatus } from '../../core/trainer/protocol';
import { CliIO, UsageError } from '../io';
import { terminalSafe } from '../output';
import { fetchResults, followToEnd, interruptible, Output, outputDirOption, trainerClient, trainerFailure } from './train';

const HELP = `Usage: dialogue-curator jobs [list|follow ID|download ID|cancel ID] --trainer URL [options]

The jobs on a trainer server, for a run started earlier (by \`train\` or the editor):
  list          (default) every job, newest first: id, status, model, steps, when it was created
  follow ID     its events from the start, then live, to its end (Ctrl+C stops following, not the
                job); with --output DIR, its results are downloaded once it succeeded
  download ID   the results of a job that succeeded into --output DIR (a partial download resumes)
  cancel ID     cancels a job that has not ended

Options:
  --trainer URL          The trainer server (required)
  --output DIR           Where follow and download put the results (the trained model or adapter,
                         the training log, the evaluation)
  --format text|json     json: list prints the jobs as one JSON array, follow the metrics as JSON lines
  --limit N              list: at most N jobs (default 20)
  -h, --help             Show this help

The token, if the trainer asks for one, comes from DIALOGUE_CURATOR_TOKEN.
Exit status: 0 done (for follow: the job succeeded), 1 the job failed or the trainer refused, 2 usage
problems, 130 interrupted.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      trainer: { type: 'string' },
      output: { type: 'string' },
      format: { type: 'string', default: 'text' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [action = 'list', id, ...extra] = positionals;
  if (!['list', 'follow', 'download', 'cancel'].includes(action)) throw new UsageError(`unknown jobs action "${action}"\n\n${HELP}`);
  if (action === 'list' ? id !== undefined : id === undefined || extra.length) throw new UsageError(action === 'list' ? `list takes no job id\n\n${HELP}` : `${action} takes exactly one job ID\n\n${HELP}`);
  if (!values.trainer) throw new UsageError(`--trainer URL is required\n\n${HELP}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of 1 or more, got "${values.limit}"`);
  if (action === 'download' && !values.output) throw new UsageError('download needs --output DIR');
  const outputDir = outputDirOption(values.output, io);
  const client = trainerClient(values.trainer, io);

  const stop = interruptible(io);
  const out = new Output(io, format);
  try {
    switch (action) {
      case 'list': {
        const jobs = (await client.listJobs({ limit, signal: stop.signal })).data;
        if (format === 'json') io.stdout.write(`${JSON.stringify(jobs)}\n`);
        else if (!jobs.length) io.stdout.write(`no jobs on ${client.baseUrl}\n`);
        else for (const job of jobs) io.stdout.write(`${jobLine(job)}\n`);
        return 0;
      }
      case 'follow': {
        const job = await client.getJob(id!, { signal: stop.signal });
        out.note(`Following job ${job.id} on ${client.baseUrl} (${job.status}, backend ${job.backend}, model ${job.model})`);
        out.following(job);
        return await followToEnd(client, job.id, out, outputDir, io, stop.signal, 'jobs');
      }
      case 'download': {
        const job = await client.getJob(id!, { signal: stop.signal });
        if (job.status !== 'succeeded') {
          io.stderr.write(`dialogue-curator jobs: job ${job.id} is ${job.status}: only a job that succeeded has results to download${isTerminalStatus(job.status) ? '' : ' (follow it with `jobs follow ID --output DIR`)'}\n`);
          return 1;
        }
        return await fetchResults(client, job, outputDir!, out, io, stop.signal, 'jobs');
      }
      default: {
        const job = await client.cancelJob(id!, { signal: stop.signal });
        io.stdout.write(`job ${job.id} ${job.status}\n`);
        return 0;
      }
    }
  } catch (err) {
    out.clearProgress();
    if (err instanceof TrainerError && err.kind === 'aborted') {
      io.stderr.write(action === 'follow' ? `dialogue-curator jobs: stopped following job ${id}; it goes on on the trainer (\`jobs cancel ${id}\` cancels it)\n` : 'dialogue-curator jobs: interrupted\n');
      return 130;
    }
    return trainerFailure(err, io, 'jobs');
  } finally {
    stop.dispose();
  }
}

/** One job of the list: id, status, model, steps done, when it was created (UTC). */
function jobLine(job: FineTuningJob): string {
  const steps = job.progress ? `step ${job.progress.step}${job.progress.max_steps ? `/${job.progress.max_steps}` : ''}` : 'no steps yet';
  const created = new Date(job.created_at * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const error = job.error ? `: ${job.error.message}` : '';
  return terminalSafe(`${job.id}  ${job.status.padEnd(16)} ${job.model}  ${steps}  created ${created}${error}`);
}
