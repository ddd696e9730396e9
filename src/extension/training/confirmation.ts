/**
 * The words of the pre-upload dialogs, built from plain facts (free of `vscode`), so what the
 * person is asked to agree to is assembled in one place.
 */
import { describePhiCounts, describePhiExample, PhiReport } from '../../core/phi';
import { DpoHyperparameters, PeftOptions } from '../../core/trainer/protocol';

export interface UploadFacts {
  trainerName: string;
  host: string;
  fileName: string;
  filePath: string;
  records: number;
  bytes: number;
  formatLabel: string;
  model: string | undefined;
  hyperparameters: DpoHyperparameters;
  peft: PeftOptions | undefined;
  phi: PhiReport;
  /** The validation set, uploaded with the dataset, when one was chosen. */
  validation?: ValidationFacts;
  /** The token would travel over plain HTTP to another machine. */
  tokenInClear: boolean;
  hasToken: boolean;
}

export interface ValidationFacts {
  fileName: string;
  filePath: string;
  records: number;
  bytes: number;
  formatLabel: string;
  phi: PhiReport;
}

export interface DialogText {
  message: string;
  detail: string;
}

export { formatSize } from '../../core/bytes';
import { formatSize } from '../../core/bytes';

function settingsLine(hp: DpoHyperparameters, peft: PeftOptions | undefined): string {
  const parts = Object.entries(hp).map(([k, v]) => `${k} ${v}`);
  if (peft) parts.push(peft.load_in_4bit ? 'QLoRA' : 'LoRA', ...Object.entries(peft).filter(([k]) => k !== 'load_in_4bit').map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : v}`));
  return parts.length ? parts.join(', ') : "the trainer's defaults";
}

const recordCount = (n: number) => `${n.toLocaleString('en-US')} record${n === 1 ? '' : 's'}`;
const phiLine = (phi: PhiReport) => (phi.total === 0 ? 'nothing found' : `${describePhiCounts(phi)} — you chose to continue`);

/** The modal that must be answered yes before anything leaves the machine; it names every file sent. */
export function confirmationText(f: UploadFacts): DialogText {
  const records = recordCount(f.records);
  const v = f.validation;
  const lines = [
    `File: ${f.filePath}`,
    `Records: ${records} (${f.formatLabel})`,
    `Size: ${formatSize(f.bytes)}`,
    ...(v
      ? [
          `Validation set: ${v.filePath}`,
          `Validation records: ${recordCount(v.records)} (${v.formatLabel}), ${formatSize(v.bytes)}`,
        ]
      : []),
    `Trainer: ${f.trainerName} at ${f.host}`,
    `Model: ${f.model ?? "the trainer's default"}`,
    `Settings: ${settingsLine(f.hyperparameters, f.peft)}`,
    v
      ? `Personal health information scan: ${f.fileName}: ${phiLine(f.phi)}; ${v.fileName}: ${phiLine(v.phi)}`
      : `Personal health information scan: ${phiLine(f.phi)}`,
  ];
  if (!f.hasToken) lines.push('No token is stored for this trainer: the request is sent without one.');
  if (f.tokenInClear) lines.push('Warning: the connection is plain HTTP to another machine; the token and the data travel unencrypted.');
  const validation = v ? ` and the validation set ${v.fileName} (${recordCount(v.records)}, ${formatSize(v.bytes)})` : '';
  return {
    message: `Upload ${f.fileName} (${records}, ${formatSize(f.bytes)})${validation} to ${f.host} and start training?`,
    detail: lines.join('\n'),
  };
}

/** The warning shown when the PHI scan found something, before the confirmation. */
export function phiWarningText(fileName: string, host: string, phi: PhiReport): DialogText {
  const examples = phi.examples.slice(0, 6).map((e) => `• ${describePhiExample(e)}`);
  const more = phi.total > examples.length ? [`…and ${phi.total - examples.length} more.`] : [];
  return {
    message: `${fileName} may contain personal health information: ${describePhiCounts(phi)} on ${phi.lines.toLocaleString('en-US')} line${phi.lines === 1 ? '' : 's'}.`,
    detail: [...examples, ...more, '', `Training uploads the whole file to ${host}. Remove or mask these before uploading unless the trainer is allowed to hold them.`].join('\n'),
  };
}
