import * as vscode from 'vscode';
import { isLoopbackHost } from '../../core/trainer/hosts';
import { tokenKeyOf } from './profiles';

const PREFIX = 'dialogueCurator.trainerToken:';

/** The variable the CLI and `dialogue-curator serve` read the token from. */
export const TOKEN_ENV = 'DIALOGUE_CURATOR_TOKEN';

/**
 * Trainer tokens in VS Code's SecretStorage (the OS keychain), one per trainer URL. For a trainer
 * on this machine (loopback) only, a token in the editor's own environment is used when none is
 * stored — that is how `npm start` hands its freshly made token to the sample profile. It is
 * never sent to another host.
 */
export class TrainerTokens {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(url: string): Promise<string | undefined> {
    const stored = await this.secrets.get(PREFIX + tokenKeyOf(url));
    if (stored) return stored;
    const fromEnv = this.env[TOKEN_ENV];
    if (!fromEnv) return undefined;
    try {
      return isLoopbackHost(new URL(url).hostname) ? fromEnv : undefined;
    } catch {
      return undefined;
    }
  }

  async set(url: string, token: string | undefined): Promise<void> {
    const key = PREFIX + tokenKeyOf(url);
    if (token) await this.secrets.store(key, token);
    else await this.secrets.delete(key);
  }
}
