import * as vscode from 'vscode';

export type LintRun = 'onType' | 'onSave' | 'off';

/** Every `dialogueCurator.*` setting the extension reads, with safe defaults. */
export interface ExtensionSettings {
  'validation.enable': boolean;
  'lint.run': LintRun;
  'lint.rejected': boolean;
  'progress.lineThreshold': number;
}

export const SETTING_DEFAULTS: ExtensionSettings = {
  'validation.enable': true,
  'lint.run': 'onSave',
  'lint.rejected': false,
  'progress.lineThreshold': 20000,
};

/** Keys of settings read by this reader; other features add their own readers beside it. */
export const SETTING_KEYS = Object.keys(SETTING_DEFAULTS) as (keyof ExtensionSettings)[];

/** Reads the settings through one typed function that falls back to defaults on bad values. */
export function readSettings(scope?: vscode.ConfigurationScope): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('dialogueCurator', scope);
  const lint = c.get<string>('lint.run');
  const threshold = c.get<number>('progress.lineThreshold');
  return {
    'validation.enable': c.get<boolean>('validation.enable') !== false,
    'lint.run': lint === 'onType' || lint === 'onSave' || lint === 'off' ? lint : SETTING_DEFAULTS['lint.run'],
    'lint.rejected': c.get<boolean>('lint.rejected') === true,
    'progress.lineThreshold': typeof threshold === 'number' && threshold >= 0 ? threshold : SETTING_DEFAULTS['progress.lineThreshold'],
  };
}
