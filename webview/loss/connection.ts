/** The loss panel's words for its connection to the trainer (vscode-free, unit tested). */
import type { ConnectionView } from './messages';

const WORDS: Record<ConnectionView['state'], string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting',
  ended: '',
  failed: 'Disconnected',
};

/**
 * e.g. `Reconnecting (attempt 3, next try in 4 s) — cannot reach the trainer at …: ECONNREFUSED`.
 * `now` in ms since the epoch, the clock `retryAt` is on.
 */
export function connectionText(connection: ConnectionView, now: number): string {
  let words = WORDS[connection.state];
  if (connection.state === 'reconnecting') {
    const parts: string[] = [];
    if (connection.attempt !== undefined) parts.push(`attempt ${connection.attempt}`);
    if (connection.retryAt !== undefined) {
      const seconds = Math.ceil((connection.retryAt - now) / 1000);
      parts.push(seconds > 0 ? `next try in ${seconds} s` : 'trying now');
    }
    words = parts.length ? `${words} (${parts.join(', ')})` : `${words}…`;
  }
  return [words, connection.detail].filter(Boolean).join(' — ');
}
