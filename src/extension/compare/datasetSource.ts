import * as vscode from 'vscode';
import { RecordIndex } from '../../core/compare/recordIndex';
import { DatasetSource } from '../../core/compare/recordView';
import { DatasetModel } from '../../core/engine';
import { DatasetDiagnostics } from '../datasetDiagnostics';

/** Lines parsed to detect a format when the diagnostics do not track the document. */
const FALLBACK_DETECTION_LINES = 2000;

/**
 * Where the panel reads a document from: the diagnostics' live model when it tracks the
 * document (no second parse), else a model of its own, rebuilt per document version
 * (validation turned off, or the document is not open in the diagnostics yet).
 */
export class DatasetSources {
  private fallback: { key: string; version: number; model: DatasetModel } | undefined;
  private indexCache: { key: string; version: number; index: RecordIndex } | undefined;

  constructor(private readonly diagnostics: DatasetDiagnostics) {}

  source(doc: vscode.TextDocument): DatasetSource {
    const tracked = this.diagnostics.model(doc.uri);
    if (tracked && tracked.lineCount === doc.lineCount) {
      // The structural model only re-detects its format when it is summarised; the report has the current one.
      const format = this.diagnostics.report(doc.uri)?.format ?? tracked.format;
      return { lineCount: tracked.lineCount, lineText: (i) => tracked.lineText(i), value: (i) => tracked.value(i), format };
    }
    const key = doc.uri.toString();
    if (!this.fallback || this.fallback.key !== key || this.fallback.version !== doc.version) {
      const model = new DatasetModel();
      model.setText(doc.getText());
      model.parseRange(0, FALLBACK_DETECTION_LINES);
      model.updateFormat();
      this.fallback = { key, version: doc.version, model };
    }
    return this.fallback.model;
  }

  /** The record index of a document, rebuilt only when its version changes. */
  index(doc: vscode.TextDocument, source: DatasetSource): RecordIndex {
    const key = doc.uri.toString();
    const c = this.indexCache;
    if (c && c.key === key && c.version === doc.version) return c.index;
    const index = RecordIndex.build(source);
    this.indexCache = { key, version: doc.version, index };
    return index;
  }
}
