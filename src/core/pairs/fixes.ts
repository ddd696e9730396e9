import { FormatId } from '../formats';

/** The top-level keys that hold the preferred and the other response, per format. */
export const SIDE_KEYS: Record<FormatId, { chosen: string; rejected?: string }> = {
  'trl-standard': { chosen: 'chosen', rejected: 'rejected' },
  'trl-conversational': { chosen: 'chosen', rejected: 'rejected' },
  'trl-implicit': { chosen: 'chosen', rejected: 'rejected' },
  'hh-rlhf': { chosen: 'chosen', rejected: 'rejected' },
  'openai-preference': { chosen: 'preferred_output', rejected: 'non_preferred_output' },
  'chat-messages': { chosen: 'messages' },
};
