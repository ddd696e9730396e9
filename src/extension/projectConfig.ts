import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config';
import { Finding } from '../core/findings';
import { FileSettings, findConfigFile, LoadedConfig, loadConfigFile, defaultConfig, settingsForFile } from '../node/project';
import { Logger } from './logger';
import { readSettings } from './settings';
import { toDiagnostic } from './diagnosticConvert';

/** Config findings that VS Code's JSON language service already reports through `jsonValidation`. */
const REPORTED_BY_JSON_SERVICE = new Set(['config-syntax', 'config']);

/**
 * Finds and caches the `.dialoguecurator.json` that governs each dataset file (the nearest one
 * up to the workspace folder), reports problems in those files, and tells listeners when any of
 * them changes.
 */
export class ProjectConfigs implements vscode.Disposable {
  private cache = new Map<string, LoadedConfig>();
  private schemaCache = new Map<string, object | Error>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly collection = vscode.languages.createDiagnosticCollection('dialogue-curator-config');

  constructor(private readonly log: Logger) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
    const reload = (uri: vscode.Uri) => {
      this.log.info(`Configuration changed: ${uri.fsPath}`);
      this.cache.clear();
      this.schemaCache.clear();
      this.collection.delete(uri);
      this.changed.fire();
    };
    watcher.onDidChange(reload, this, this.disposables);
    watcher.onDidCreate(reload, this, this.disposables);
    watcher.onDidDelete(reload, this, this.disposables);
    // Custom schema files can change too: any saved .json file may be one of them.
    vscode.workspace.onDidSaveTextDocument(
      (doc) => {
        if (this.schemaCache.has(doc.uri.fsPath)) reload(doc.uri);
      },
      this,
      this.disposables,
    );
    this.disposables.push(watcher, this.changed, this.collection);
  }

  private loadedFor(uri: vscode.Uri): LoadedConfig {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const dir = path.dirname(uri.fsPath);
    const file = findConfigFile(dir, folder?.uri.fsPath);
    if (!file) return defaultConfig(folder?.uri.fsPath ?? dir);
    let loaded = this.cache.get(file);
    if (!loaded) {
      try {
        loaded = loadConfigFile(file);
      } catch (err) {
        this.log.error(`Cannot read ${file}: ${(err as Error).message}`);
        loaded = defaultConfig(path.dirname(file));
      }
      this.cache.set(file, loaded);
      this.publish(loaded);
    }
    return loaded;
  }

  private publish(loaded: LoadedConfig): void {
    if (!loaded.path) return;
    const shown: Finding[] = loaded.findings.filter((f) => !REPORTED_BY_JSON_SERVICE.has(f.code));
    const uri = vscode.Uri.file(loaded.path);
    this.collection.set(uri, shown.map((f) => toDiagnostic(f, uri)));
  }

  /** The config file governing a dataset document and the problems found in it (none: defaults). */
  configFor(uri: vscode.Uri): LoadedConfig | undefined {
    return uri.scheme === 'file' ? this.loadedFor(uri) : undefined;
  }

  /** Settings for a dataset document; untitled and virtual documents get the defaults. */
  settingsFor(uri: vscode.Uri): FileSettings {
    const file = uri.scheme !== 'file' ? settingsForFile(uri.path, defaultConfig('/'), this.schemaCache) : settingsForFile(uri.fsPath, this.loadedFor(uri), this.schemaCache);
    // The editor setting adds to the project file's `lintRejected` (either turns it on).
    if (readSettings(uri)['lint.rejected'] && file.settings.config && !file.settings.config.lintRejected) {
      file.settings.config = { ...file.settings.config, lintRejected: true };
    }
    return file;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
