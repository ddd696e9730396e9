import chatMessages from '../../schemas/chat-messages.schema.json';
import hhRlhf from '../../schemas/hh-rlhf.schema.json';
import openaiPreference from '../../schemas/openai-preference.schema.json';
import trlConversational from '../../schemas/trl-conversational.schema.json';
import trlImplicit from '../../schemas/trl-implicit.schema.json';
import trlStandard from '../../schemas/trl-standard.schema.json';
import { FormatId } from './formats';

/** The schema of each known format, bundled into the extension and the CLI. */
export const BUNDLED_SCHEMAS: Record<FormatId, object> = {
  'trl-standard': trlStandard,
  'trl-conversational': trlConversational,
  'trl-implicit': trlImplicit,
  'openai-preference': openaiPreference,
  'hh-rlhf': hhRlhf,
  'chat-messages': chatMessages,
};
