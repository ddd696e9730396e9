import { DETECTION_SAMPLE } from '../engine';
import { FormatId, FormatVote } from '../formats';
import { parseLine } from '../jsonl';

export type StreamedLine =
  | { line: number; kind: 'record'; value: Record<string, unknown> }
  | { line: number; kind: 'invalid'; message: string };

/**
 * Feeds lines in order and hands back records with the file's format, decided (unless forced)
 * by majority over the first records as the checker does. Holds only the detection sample.
 */
export class RecordStream {
  private pending: StreamedLine[] = [];
  private vote = new FormatVote();
  private decided: boolean;
  private next = 0;
  format: FormatId | undefined;
  records = 0;

  constructor(
    private onRecord: (item: StreamedLine, format: FormatId | undefined) => void,
    forced?: FormatId,
  ) {
    this.decided = forced !== undefined;
    this.format = forced;
  }

  pushLine(text: string): void {
    const line = this.next++;
    const parsed = parseLine(text);
    if (parsed.kind === 'blank') return;
    this.records++;
    let item: StreamedLine;
    if (parsed.kind === 'invalid') item = { line, kind: 'invalid', message: parsed.finding.message };
    else if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) item = { line, kind: 'invalid', message: 'Not a JSON object' };
    else item = { line, kind: 'record', value: parsed.value as Record<string, unknown> };
    if (this.decided) {
      this.onRecord(item, this.format);
      return;
    }
    this.pending.push(item);
    if (item.kind === 'record') this.vote.add(item.value);
    if (this.vote.votes >= DETECTION_SAMPLE) this.decide();
  }

  private decide(): void {
    this.decided = true;
    this.format = this.vote.winner;
    const pending = this.pending;
    this.pending = [];
    for (const item of pending) this.onRecord(item, this.format);
  }

  end(): void {
    if (!this.decided) this.decide();
  }
}
