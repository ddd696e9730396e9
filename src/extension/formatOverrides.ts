import * as vscode from 'vscode';
import { FormatId, isFormatId } from '../core/formats';

const KEY = 'dialogueCurator.formatOverrides';

/** Per-file format choices made with "Select Dataset Format", kept in workspace state. */
export class FormatOverrides implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): FormatId | undefined {
    const all = this.state.get<Record<string, string>>(KEY, {});
    const v = all[uri.toString()];
    return isFormatId(v) ? v : undefined;
  }

  async set(uri: vscode.Uri, format: FormatId | undefined): Promise<void> {
    const all = { ...this.state.get<Record<string, string>>(KEY, {}) };
    if (format) all[uri.toString()] = format;
    else delete all[uri.toString()];
    await this.state.update(KEY, all);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
