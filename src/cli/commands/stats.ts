import * as fs from 'node:fs';
import { ruleThreshold } from '../../core/curation/meta';
import { analyzeRecord, toneComparable } from '../../core/curation/recordAnalysis';
import { lengthBias } from '../../core/dataset/rules';
import { describePhrase, findShortcuts, ShortcutInput, ShortcutPhrase } from '../../core/dataset/shortcuts';
import { FormatId, FORMAT_LABELS } from '../../core/formats';
import { DATASET_SIDES, EVALUATION_SIDES, isEvaluationFile, SideNames } from '../../core/trainer/evaluation';
import { AXIS_LABELS, TONE_AXES, ToneAxis, ToneScores } from '../../core/tone/analyze';
import { tokenizer } from '../../core/tokens/tokenizer';
import { LoadedConfig, settingsForFile } from '../../node/project';
import { displayPath } from '../files';
import { CliIO, parseDatasetArgs } from '../io';
import { terminalSafe } from '../output';
import { configForFile, forEachRecord, resolveInputs } from './score';

const HELP = `Usage: dialogue-curator stats [--evaluation] [--format text|json] [--config FILE] PATH...

Summarises datasets: records and format, token percentiles per field, mean tone scores per
side, the share of pairs where chosen outscores rejected (overall and per tone axis), length bias and the top shortcut
phrases (phrases that mark one side).

  --evaluation         the file is a training job's evaluation.jsonl (chosen = the tuned model's
                       answer, rejected = the base model's): sides are named tuned and base.
                       An evaluation.jsonl with training-log.jsonl beside it (a downloaded
                       results folder) is named so without the flag
  --format text|json   output format (default: text)
  --config FILE        use this .dialoguecurator.json instead of the nearest one

Exit status: 0 done, 2 usage or I/O problem.
`;

type Field = 'prompt' | 'chosen' | 'rejected';
const FIELDS: Field[] = ['prompt', 'chosen', 'rejected'];

export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of a list of counts. */
export function percentiles(values: readonly number[]): Percentiles {
  if (!values.length) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = Float64Array.from(values).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  let sum = 0;
  for (const v of s) sum += v;
  return { count: s.length, mean: Math.round((sum / s.length) * 10) / 10, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1] };
}

export interface FileStats {
  path: string;
  format: FormatId | undefined;
  records: number;
  /** Lines that are not JSON objects, or records the format cannot read. */
  unreadable: number;
  encoding: string;
  tokens: Partial<Record<Field, Percentiles>>;
  meanScores: { chosen?: Record<string, number>; rejected?: Record<string, number> };
  /** Pairs where both sides have text, and the share where chosen's tone is higher. */
  pairs: number;
  chosenBetter: number;
  /**
   * Per tone axis (and overall), over the same pairs: the share where chosen scores higher and
   * the share of ties. For an evaluation file (chosen = tuned model, rejected = base model) this
   * is how often tuning made the answer kinder on that axis.
   */
  axisWins: Record<'tone' | ToneAxis, { higher: number; ties: number }> | null;
  lengthBias: ReturnType<typeof lengthBias> | null;
  shortcuts: ShortcutPhrase[];
}

class Means {
  private sums: Record<string, number> = {};
  n = 0;
  add(s: ToneScores): void {
    this.n++;
    for (const k of ['tone', ...TONE_AXES]) this.sums[k] = (this.sums[k] ?? 0) + s[k as keyof ToneScores];
  }
  result(): Record<string, number> | undefined {
    if (!this.n) return undefined;
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.sums)) out[k] = Math.round((v / this.n) * 1000) / 1000;
    return out;
  }
}

/** Computes the statistics of one file (streamed; tokenizes every field). */
export async function fileStats(file: string, shown: string, loaded: LoadedConfig, signal: AbortSignal): Promise<FileStats> {
  const { settings } = settingsForFile(file, loaded);
  const config = settings.config ?? loaded.config;
  const tok = tokenizer(config.encoding);
  const counts: Record<Field, number[]> = { prompt: [], chosen: [], rejected: [] };
  const means = { chosen: new Means(), rejected: new Means() };
  const lengths: [number, number][] = [];
  const openers: ShortcutInput[] = [];
  let unreadable = 0;
  let pairs = 0;
  let better = 0;
  const AXES = ['tone', ...TONE_AXES] as const;
  const higher = Object.fromEntries(AXES.map((a) => [a, 0])) as Record<(typeof AXES)[number], number>;
  const ties = { ...higher };
  const result = await forEachRecord(file, settings.format, signal, (item, format) => {
    if (item.kind === 'invalid') {
      unreadable++;
      return;
    }
    const a = analyzeRecord(item.value, format, config);
    if (!a) {
      unreadable++;
      return;
    }
    if (a.parts.context.length) counts.prompt.push(tok.count(a.promptText));
    counts.chosen.push(tok.count(a.chosen.text));
    if (a.chosen.tone.words) means.chosen.add(a.chosen.tone.scores);
    const r = a.rejected;
    if (r) {
      counts.rejected.push(tok.count(r.text));
      if (r.tone.words) means.rejected.add(r.tone.scores);
      // The pairs the tone note of `check` counts (dataset-tone-unseparated).
      if (toneComparable(a)) {
        pairs++;
        if (a.chosen.tone.scores.tone > r.tone.scores.tone) better++;
        for (const axis of AXES) {
          const c = a.chosen.tone.scores[axis];
          const o = r.tone.scores[axis];
          if (c > o) higher[axis]++;
          else if (c === o) ties[axis]++;
        }
      }
      if (a.chosen.tone.words && r.tone.words) lengths.push([a.chosen.tone.words, r.tone.words]);
    }
    openers.push({ line: item.line, so: a.chosen.tone.openers.join('\n') || undefined, ro: r?.tone.openers.join('\n') || undefined });
  });
  const tokens: FileStats['tokens'] = {};
  for (const f of FIELDS) if (counts[f].length) tokens[f] = percentiles(counts[f]);
  return {
    path: shown,
    format: result.format,
    records: result.records,
    unreadable,
    encoding: config.encoding,
    tokens,
    meanScores: { chosen: means.chosen.result(), rejected: means.rejected.result() },
    pairs,
    chosenBetter: pairs ? Math.round((better / pairs) * 1000) / 1000 : 0,
    axisWins: pairs
      ? (Object.fromEntries(AXES.map((a) => [a, { higher: share(higher[a], pairs), ties: share(ties[a], pairs) }])) as FileStats['axisWins'])
      : null,
    lengthBias: lengths.length ? lengthBias(lengths) : null,
    shortcuts: findShortcuts(openers, { threshold: ruleThreshold(config, 'dataset-shortcut') }).phrases,
  };
}

function share(n: number, of: number): number {
  return Math.round((n / of) * 1000) / 1000;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The per-axis comparison of the two sides, one line per axis. */
export function axisWinsText(s: FileStats, names: SideNames): string[] {
  if (!s.axisWins) return [];
  const out = [`  ${names.chosen} scores higher than ${names.rejected}, per axis (${s.pairs} pairs):`];
  for (const axis of ['tone', ...TONE_AXES] as const) {
    const w = s.axisWins[axis];
    const lower = Math.max(0, 1 - w.higher - w.ties);
    out.push(`    ${AXIS_LABELS[axis].padEnd(17)} ${pct(w.higher).padStart(5)} higher, ${pct(w.ties).padStart(4)} tied, ${pct(lower).padStart(4)} lower`);
  }
  return out;
}

/** The text report of one file. */
export function statsText(s: FileStats, names: SideNames = DATASET_SIDES): string {
  const out: string[] = [];
  out.push(terminalSafe(s.path));
  out.push(`  records: ${s.records}${s.unreadable ? ` (${s.unreadable} unreadable)` : ''}`);
  out.push(`  format: ${s.format ? `${FORMAT_LABELS[s.format]} (${s.format})` : 'not recognised'}`);
  out.push(`  tokens (${s.encoding}):   count     mean    p50    p90    p99    max`);
  for (const f of FIELDS) {
    const p = s.tokens[f];
    if (!p) continue;
    const label = f === 'prompt' ? f : names[f];
    out.push(`    ${label.padEnd(9)} ${String(p.count).padStart(12)} ${String(p.mean).padStart(8)} ${String(p.p50).padStart(6)} ${String(p.p90).padStart(6)} ${String(p.p99).padStart(6)} ${String(p.max).padStart(6)}`);
  }
  const sides = (['chosen', 'rejected'] as const).filter((k) => s.meanScores[k]);
  if (sides.length) {
    out.push(`  mean scores:        ${sides.map((k) => names[k].padStart(9)).join(' ')}`);
    for (const axis of ['tone', ...TONE_AXES] as const) {
      out.push(`    ${AXIS_LABELS[axis].padEnd(17)} ${sides.map((k) => s.meanScores[k]![axis].toFixed(2).padStart(9)).join(' ')}`);
    }
  }
  if (s.pairs) out.push(`  ${names.chosen} outscores ${names.rejected}: ${pct(s.chosenBetter)} of ${s.pairs} pairs`);
  out.push(...axisWinsText(s, names));
  if (s.lengthBias && s.lengthBias.pairs) {
    const b = s.lengthBias;
    out.push(`  length bias: ${names.chosen} longer in ${pct(b.share)} of ${b.pairs} pairs with different lengths (median ${b.chosenMedian} vs ${b.rejectedMedian} words)`);
  }
  if (s.shortcuts.length) {
    out.push('  top shortcut phrases:');
    for (const p of s.shortcuts) out.push(`    ${terminalSafe(describePhrase(p))}: ${p.side} ${p.count}/${p.sideTotal} (${pct(p.share)}), other side ${p.otherCount}/${p.otherTotal}`);
  } else out.push('  top shortcut phrases: none');
  return out.join('\n');
}

export async function run(args: string[], io: CliIO): Promise<number> {
  // An evaluation file of a training job: chosen is the tuned model's answer, rejected the base's.
  // A results folder's evaluation.jsonl (training-log.jsonl beside it) is named so without the flag.
  const evaluation = args.includes('--evaluation');
  const parsed = parseDatasetArgs(args.filter((a) => a !== '--evaluation'), io, HELP, ['text', 'json'] as const);
  if (!parsed) return 0;
  const outFormat = parsed.format;
  const inputs = resolveInputs(parsed.positionals, parsed.config, io, 'stats');
  if (typeof inputs === 'number') return inputs;
  const seen = new Map<string, LoadedConfig>();
  const all: FileStats[] = [];
  let status = 0;
  for (const file of inputs.files) {
    const shown = displayPath(file, io.cwd);
    try {
      const s = await fileStats(file, shown, configForFile(file, io, inputs.fixed, seen), io.signal);
      all.push(s);
      const names = evaluation || isEvaluationFile(file, fs.existsSync) ? EVALUATION_SIDES : DATASET_SIDES;
      if (outFormat === 'text') io.stdout.write(`${statsText(s, names)}\n`);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      io.stderr.write(`dialogue-curator stats: ${shown}: cannot read (${e.code ?? e.message})\n`);
      status = 2;
    }
  }
  if (outFormat === 'json') io.stdout.write(`${JSON.stringify({ files: all }, null, 2)}\n`);
  return status;
}
