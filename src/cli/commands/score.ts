import * as path from 'path';
import { forEachLine } from '../../node/fileLines';
import { CuratorConfig } from '../../core/config';
import { analyzeRecord } from '../../core/curation/recordAnalysis';
import { RecordStream, StreamedLine } from '../../core/dataset/recordStream';
import { classifyRecord, FormatId, FORMAT_LABELS } from '../../core/formats';
import { AXIS_LABELS, EmpathyMechanisms, familyIds, TONE_AXES, ToneScores, weakestAxis } from '../../core/tone/analyze';
import { defaultConfig, findConfigFile, LoadedConfig, loadConfigFile, settingsForFile } from '../../node/project';
import { displayPath, expandPaths } from '../files';
import { terminalSafe } from '../output';
import { CliIO, parseDatasetArgs, UsageError } from '../io';

const HELP = `Usage: dialogue-curator score [--format text|json] [--config FILE] PATH...

Scores the tone of every response: empathy, politeness, simplicity, non-prescriptive,
plain language, respect and the overall tone, each in [0, 1] (higher is better).

  --format json   one JSON object per record:
                  {"line": N, "chosen": {"tone": x, "empathy": x, ...}, "rejected": {...},
                   "empathyMechanisms": {"chosen": {"score": x, "reactions": x,
                     "interpretations": x, "explorations": x, "attention": x,
                     "names": [...], "echoes": [...]}, "rejected": {...}},
                   "prompt": {"distress": true|false, "feelings": [...]}}
                  "empathy" stays the axis score (a number); its three EPITOME mechanisms
                  (emotional reactions, interpretations, explorations, each in [0, 1]) and
                  the feeling families the response names ("echoes": those the prompt
                  expressed too) are in "empathyMechanisms", beside the sides' scores.
                  "attention": how much of the score the weak reading of attention to
                  the person adds (sentences about the reader that no listed phrase or
                  shape reads; inside the mechanisms too). It breaks ties between
                  replies; tone-empathy compares the score without it.
  --format text   one line per record (default)
  --config FILE   use this .dialoguecurator.json instead of the nearest one

Exit status: 0 done, 2 usage or I/O problem.
`;

/** Scores rounded for output (three decimals are plenty for [0, 1] scores). */
export function roundScores(s: ToneScores): Record<string, number> {
  const out: Record<string, number> = { tone: Math.round(s.tone * 1000) / 1000 };
  for (const axis of TONE_AXES) out[axis] = Math.round(s[axis] * 1000) / 1000;
  return out;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A side's empathy mechanisms as written by `score --format json`. */
function roundMechanisms(score: number, m: EmpathyMechanisms): Record<string, unknown> {
  return { score: round3(score), reactions: round3(m.reactions), interpretations: round3(m.interpretations), explorations: round3(m.explorations), attention: round3(m.attention), names: m.names, echoes: m.echoes };
}

/** Loads the config that applies to a file (the given one, or the nearest .dialoguecurator.json). */
export function configForFile(file: string, io: CliIO, fixed: LoadedConfig | undefined, seen: Map<string, LoadedConfig>): LoadedConfig {
  if (fixed) return fixed;
  const found = findConfigFile(path.dirname(file));
  if (!found) return defaultConfig(io.cwd);
  let loaded = seen.get(found);
  if (!loaded) {
    loaded = loadConfigFile(found);
    seen.set(found, loaded);
  }
  return loaded;
}

export interface ResolvedInputs {
  files: string[];
  fixed: LoadedConfig | undefined;
}

/** Shared argument handling of score and stats: paths, --config; throws UsageError on bad input. */
export function resolveInputs(positionals: string[], configPath: string | undefined, io: CliIO, command: string): ResolvedInputs | number {
  if (!positionals.length) throw new UsageError('no PATH given');
  let fixed: LoadedConfig | undefined;
  if (configPath) {
    try {
      fixed = loadConfigFile(path.resolve(io.cwd, configPath));
    } catch (err) {
      io.stderr.write(`dialogue-curator ${command}: cannot read the config file ${configPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 2;
    }
  }
  const { files, missing } = expandPaths(positionals, io.cwd);
  for (const m of missing) io.stderr.write(`dialogue-curator ${command}: ${m}: no such file or folder\n`);
  if (missing.length) return 2;
  return { files, fixed };
}

/** Streams a dataset file's records with its format (config override or detected). */
export async function forEachRecord(file: string, format: FormatId | undefined, signal: AbortSignal, onRecord: (item: StreamedLine, format: FormatId | undefined) => void): Promise<{ format: FormatId | undefined; records: number }> {
  const stream = new RecordStream(onRecord, format);
  await forEachLine(file, (text) => stream.pushLine(text), { signal });
  stream.end();
  return { format: stream.format, records: stream.records };
}

/** One record's scores as written by `score --format json`. */
export function scoreRecord(item: StreamedLine, format: FormatId | undefined, config: CuratorConfig): Record<string, unknown> {
  if (item.kind === 'invalid') return { line: item.line + 1, error: item.message };
  const a = analyzeRecord(item.value, format, config);
  if (!a) return { line: item.line + 1, error: format ? `Not readable as ${FORMAT_LABELS[format]}` : 'Dataset format not recognised' };
  // A record laid out in another format than the file's reads as empty text: say so instead of scoring nothing.
  const own = classifyRecord(item.value);
  if (format && own && own !== format && a.chosen.tone.words === 0 && !a.rejected?.tone.words) {
    return { line: item.line + 1, error: `This record is laid out as ${FORMAT_LABELS[own]}, but the file is ${FORMAT_LABELS[format]}` };
  }
  // An empty response has nothing to score: null, not a row of zeros that would drag means down.
  const side = (s: typeof a.chosen | undefined) => (s && s.tone.words > 0 ? roundScores(s.tone.scores) : null);
  const mechanisms = (s: typeof a.chosen | undefined) => (s && s.tone.words > 0 ? roundMechanisms(s.tone.scores.empathy, s.tone.empathy) : null);
  const feelings = familyIds(a.prompt.families);
  return {
    line: item.line + 1,
    chosen: side(a.chosen),
    rejected: side(a.rejected),
    empathyMechanisms: { chosen: mechanisms(a.chosen), rejected: mechanisms(a.rejected) },
    prompt: { distress: a.distress, feelings },
  };
}

function textScores(scores: Record<string, number> | null | undefined, mechanisms?: Record<string, unknown> | null): string {
  if (!scores) return '-';
  const m = mechanisms as Record<string, number> | null | undefined;
  const empathyParts = m ? ` [reactions ${m.reactions.toFixed(2)}, interpretations ${m.interpretations.toFixed(2)}, explorations ${m.explorations.toFixed(2)}]` : '';
  const axes = TONE_AXES.map((a) => `${AXIS_LABELS[a]} ${scores[a].toFixed(2)}${a === 'empathy' ? empathyParts : ''}`).join(', ');
  const weakest = weakestAxis(scores as unknown as ToneScores);
  return `tone ${scores.tone.toFixed(2)} (weakest ${AXIS_LABELS[weakest]}; ${axes})`;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseDatasetArgs(args, io, HELP, ['text', 'json'] as const);
  if (!parsed) return 0;
  const outFormat = parsed.format;
  const inputs = resolveInputs(parsed.positionals, parsed.config, io, 'score');
  if (typeof inputs === 'number') return inputs;
  const seen = new Map<string, LoadedConfig>();
  let status = 0;
  for (const file of inputs.files) {
    const shown = displayPath(file, io.cwd);
    try {
      const loaded = configForFile(file, io, inputs.fixed, seen);
      const { settings } = settingsForFile(file, loaded);
      const config = settings.config ?? loaded.config;
      const result = await forEachRecord(file, settings.format, io.signal, (item, format) => {
        const scored = scoreRecord(item, format, config);
        if (outFormat === 'json') io.stdout.write(`${JSON.stringify(inputs.files.length > 1 ? { path: shown, ...scored } : scored)}\n`);
        else if (scored.error) io.stdout.write(`${terminalSafe(shown)}:${scored.line}: ${terminalSafe(String(scored.error))}\n`);
        else {
          const m = scored.empathyMechanisms as Record<'chosen' | 'rejected', Record<string, unknown> | null>;
          io.stdout.write(`${terminalSafe(shown)}:${scored.line}: chosen ${textScores(scored.chosen as Record<string, number>, m.chosen)} | rejected ${textScores(scored.rejected as Record<string, number> | null, m.rejected)}\n`);
        }
      });
      if (outFormat === 'text') io.stderr.write(`${terminalSafe(shown)}: ${result.records} record${result.records === 1 ? '' : 's'}, ${result.format ? FORMAT_LABELS[result.format] : 'format not recognised'}\n`);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      io.stderr.write(`dialogue-curator score: ${shown}: cannot read (${e.code ?? e.message})\n`);
      status = 2;
    }
  }
  return status;
}
