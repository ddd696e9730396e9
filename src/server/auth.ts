/** Bearer-token authentication for the trainer server. */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
export { isLoopbackHost } from '../core/trainer/hosts';

/** Hashing both sides first gives equal-length buffers, so the comparison time says nothing. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

export const MIN_TOKEN_LENGTH = 16;

/**
 * The server's token: `--token-file` wins over DIALOGUE_CURATOR_TOKEN. Surrounding whitespace
 * (a trailing newline in a file) is not part of it. Short tokens are refused: they can be guessed.
 */
export function readToken(env: NodeJS.ProcessEnv, tokenFile: string | undefined): string | undefined {
  let token: string | undefined;
  if (tokenFile) {
    try {
      token = fs.readFileSync(tokenFile, 'utf8').trim();
    } catch (err) {
      throw new Error(`cannot read the token file ${tokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (!token) throw new Error(`the token file ${tokenFile} is empty`);
  } else {
    token = env.DIALOGUE_CURATOR_TOKEN?.trim() || undefined;
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the token is too short (${token.length} characters; at least ${MIN_TOKEN_LENGTH}, e.g. from "openssl rand -hex 32")`);
  }
  if (token !== undefined && /\s/.test(token)) throw new Error('the token must not contain whitespace');
  return token;
}
