import { findNodeAtLocation, Node, parseTree } from 'jsonc-parser';
import { JsonPath } from './parts';

export interface ColumnRange {
  column: number;
  endColumn: number;
}

/**
 * Finds nodes inside one JSONL line by JSON path. The tree is built only when asked for —
 * lines without findings never pay for it.
 */
export class LineLocator {
  private root: Node | undefined | null = null;

  constructor(readonly text: string) {}

  private tree(): Node | undefined {
    if (this.root === null) {
      try {
        this.root = parseTree(this.text, [], { disallowComments: true, allowTrailingComma: false }) ?? undefined;
      } catch {
        // Pathologically deep nesting can exhaust the parser's recursion: fall back to the line.
        this.root = undefined;
      }
    }
    return this.root;
  }

  node(path: JsonPath): Node | undefined {
    const root = this.tree();
    if (!root) return undefined;
    return path.length === 0 ? root : findNodeAtLocation(root, path);
  }

  /** Range of the value at `path`, or of the nearest existing ancestor, or of the whole line. */
  valueRange(path: JsonPath): ColumnRange {
    for (let len = path.length; len >= 0; len--) {
      const node = this.node(path.slice(0, len));
      if (node) return { column: node.offset, endColumn: node.offset + node.length };
    }
    return this.lineRange();
  }

  /** Range of the key of the property at `path` (the quoted name), falling back to the value. */
  keyRange(path: JsonPath): ColumnRange {
    const node = this.node(path);
    const key = node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    if (key) return { column: key.offset, endColumn: key.offset + key.length };
    return this.valueRange(path);
  }

  lineRange(): ColumnRange {
    const start = this.text.length - this.text.trimStart().length;
    return { column: start, endColumn: Math.max(start, this.text.trimEnd().length) };
  }

  /**
   * Columns of the decoded characters [start, end) of the string at `path`, stepping through
   * escapes (`\n`, `\"`, `\u00e9`) so the range covers exactly those characters in the source.
   */
  stringRange(path: JsonPath, start: number, end: number): ColumnRange | undefined {
    const node = this.node(path);
    if (!node || node.type !== 'string') return undefined;
    const text = this.text;
    let raw = node.offset + 1;
    const rawEnd = node.offset + node.length - 1;
    let decoded = 0;
    let column = -1;
    while (raw <= rawEnd) {
      if (decoded === start && column < 0) column = raw;
      if (decoded === end) return { column: column < 0 ? raw : column, endColumn: raw };
      if (raw === rawEnd) break;
      if (text.charCodeAt(raw) === 92 /* \ */) raw += text[raw + 1] === 'u' ? 6 : 2;
      else raw += 1;
      decoded++;
    }
    if (column < 0) return undefined;
    return { column, endColumn: rawEnd };
  }
}
