import * as path from 'path';
import * as vscode from 'vscode';
import { CurationClient } from '../node/curationClient';
import { Logger } from './logger';

export type { CurationResult } from '../node/curationClient';

/** The curation worker's client (src/node/curationClient.ts) as the extension holds it. */
export class CurationHost extends CurationClient implements vscode.Disposable {
  static forExtension(context: vscode.ExtensionContext, log: Logger): CurationHost {
    return new CurationHost(path.join(context.extensionPath, 'dist', 'curationWorker.js'), { warn: (m) => log.warn(m), error: (m) => log.error(m) });
  }
}
