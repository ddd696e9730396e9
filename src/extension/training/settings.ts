import * as vscode from 'vscode';
import { parseTrainerProfiles, ProfilesResult } from './profiles';

/**
 * Reads `dialogueCurator.trainers`. The setting is machine-scoped: only the user's own settings
 * count, so a cloned repository's `.vscode/settings.json` cannot send uploads elsewhere. The
 * global value is read explicitly as a second guard.
 */
export function readTrainerProfiles(): ProfilesResult {
  const inspected = vscode.workspace.getConfiguration('dialogueCurator').inspect<unknown>('trainers');
  return parseTrainerProfiles(inspected?.globalValue ?? inspected?.defaultValue ?? []);
}
