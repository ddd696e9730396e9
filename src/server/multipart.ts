/**
 * A streaming multipart/form-data reader (RFC 7578) for `curl -F file=@train.jsonl` uploads:
 * file bytes pass straight through to disk, only part headers and the small text fields are
 * held in memory. Push chunks in, get events out.
 */

export type MultipartEvent =
  | { type: 'part'; name: string; filename: string | undefined }
  | { type: 'data'; data: Buffer }
  | { type: 'partEnd' }
  | { type: 'done' };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export class MultipartError extends Error {}

export class MultipartParser {
  private buf: Buffer = EMPTY;
  private state: 'preamble' | 'boundaryLine' | 'headers' | 'body' | 'done' = 'preamble';
  private readonly dashBoundary: Buffer;
  private readonly delimiter: Buffer;

  constructor(
    boundary: string,
    private readonly maxHeaderBytes = 16 * 1024,
  ) {
    this.dashBoundary = Buffer.from(`--${boundary}`);
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  push(chunk: Buffer): MultipartEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: MultipartEvent[] = [];
    while (this.step(out));
    return out;
  }

  /** Call at the end of the body: a body without its closing boundary is truncated. */
  end(): void {
    if (this.state !== 'done') throw new MultipartError('the upload ended before the closing multipart boundary');
  }

  /** One state transition; false when more input is needed. */
  private step(out: MultipartEvent[]): boolean {
    switch (this.state) {
      case 'preamble': {
        const at = this.buf.indexOf(this.dashBoundary);
        if (at < 0) {
          this.keepTail(this.dashBoundary.length - 1);
          return false;
        }
        this.buf = this.buf.subarray(at + this.dashBoundary.length);
        this.state = 'boundaryLine';
        return true;
      }
      case 'boundaryLine': {
        if (this.buf.length < 2) return false;
        if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
          this.state = 'done';
          this.buf = EMPTY;
          out.push({ type: 'done' });
          return false;
        }
        const eol = this.buf.indexOf(CRLF);
        if (eol < 0) {
          if (this.buf.length > 256) throw new MultipartError('malformed multipart boundary line');
          return false;
        }
        // Only transport padding (spaces, tabs) may follow a boundary.
        if (!/^[ \t]*$/.test(this.buf.subarray(0, eol).toString('latin1'))) {
          throw new MultipartError('malformed multipart boundary line');
        }
        this.buf = this.buf.subarray(eol + 2);
        this.state = 'headers';
        return true;
      }
      case 'headers': {
        let headerText: string;
        if (this.buf.subarray(0, 2).equals(CRLF)) {
          headerText = '';
          this.buf = this.buf.subarray(2);
        } else {
          const end = this.buf.indexOf(HEADER_END);
          if (end < 0) {
            if (this.buf.length > this.maxHeaderBytes) throw new MultipartError('multipart part headers are too long');
            return false;
          }
          headerText = this.buf.subarray(0, end).toString('utf8');
          this.buf = this.buf.subarray(end + 4);
        }
        out.push({ type: 'part', ...dispositionOf(headerText) });
        this.state = 'body';
        return true;
      }
      case 'body': {
        const at = this.buf.indexOf(this.delimiter);
        if (at < 0) {
          // Keep what could be the start of a delimiter split across chunks.
          const keep = this.delimiter.length - 1;
          if (this.buf.length > keep) {
            out.push({ type: 'data', data: this.buf.subarray(0, this.buf.length - keep) });
            this.buf = this.buf.subarray(this.buf.length - keep);
          }
          return false;
        }
        if (at > 0) out.push({ type: 'data', data: this.buf.subarray(0, at) });
        out.push({ type: 'partEnd' });
        this.buf = this.buf.subarray(at + this.delimiter.length);
        this.state = 'boundaryLine';
        return true;
      }
      case 'done':
        this.buf = EMPTY; // the epilogue is ignored
        return false;
    }
  }

  private keepTail(n: number): void {
    if (this.buf.length > n) this.buf = this.buf.subarray(this.buf.length - n);
  }
}

function dispositionOf(headerText: string): { name: string; filename: string | undefined } {
  const line = headerText.split('\r\n').find((l) => /^content-disposition\s*:/i.test(l));
  if (!line) throw new MultipartError('a multipart part has no Content-Disposition header');
  const name = /;\s*name="([^"]*)"/i.exec(line)?.[1] ?? /;\s*name=([^\s;]+)/i.exec(line)?.[1];
  if (name === undefined) throw new MultipartError('a multipart part has no name');
  const star = /;\s*filename\*=UTF-8''([^\s;]+)/i.exec(line)?.[1];
  let filename = /;\s*filename="([^"]*)"/i.exec(line)?.[1] ?? /;\s*filename=([^\s;"]+)/i.exec(line)?.[1];
  if (star) {
    try {
      filename = decodeURIComponent(star);
    } catch {
      // keep the plain filename
    }
  }
  return { name, filename };
}
