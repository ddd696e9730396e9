import * as vscode from 'vscode';
import { tokenKeyOf } from './profiles';

const PREFIX = 'dialogueCurator.trainerToken:';

/** Trainer tokens in VS Code's SecretStorage (the OS keychain), one per trainer URL. */
export class TrainerTokens {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(url: string): Thenable<string | undefined> {
    return this.secrets.get(PREFIX + tokenKeyOf(url));
  }

  async set(url: string, token: string | undefined): Promise<void> {
    const key = PREFIX + tokenKeyOf(url);
    if (token) await this.secrets.store(key, token);
    else await this.secrets.delete(key);
  }
}
