import * as vscode from 'vscode';

/** The compare panel's settings (`dialogueCurator.compare.*`), with safe defaults. */
export interface CompareSettings {
  'compare.codeLens': boolean;
}

export const COMPARE_SETTING_DEFAULTS: CompareSettings = {
  'compare.codeLens': false,
};

export function readCompareSettings(scope?: vscode.ConfigurationScope): CompareSettings {
  const c = vscode.workspace.getConfiguration('dialogueCurator', scope);
  const codeLens = c.get<unknown>('compare.codeLens');
  return {
    'compare.codeLens': typeof codeLens === 'boolean' ? codeLens : COMPARE_SETTING_DEFAULTS['compare.codeLens'],
  };
}
