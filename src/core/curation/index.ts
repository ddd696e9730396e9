import { duplicatesRule, lengthBiasRule, shortcutRule, toneSeparationRule } from '../dataset/rules';
import { datasetFactsRule } from '../dataset/facts';
import { DatasetRule, RecordRule } from '../engine';
import { conversationRule, pairRule } from '../pairs/rules';
import { tokenRule } from '../tokens/rules';
import { toneRule } from '../tone/rules';

/**
 * The curation rules (tone, pairs, tokens, dataset checks) that run after the schema check.
 * Registered here once so the editor, the CLI and the trainer server run the same set. The record
 * rules share one analysis per record (see recordAnalysis.ts), so their order does not matter.
 */
export const recordRules: RecordRule[] = [toneRule, pairRule, conversationRule, tokenRule, datasetFactsRule];
export const datasetRules: DatasetRule[] = [duplicatesRule, lengthBiasRule, shortcutRule, toneSeparationRule];

export { KNOWN_RULE_IDS, RULE_DOCS, ruleDoc } from './meta';
export { hoverMarkdown, recordHoverInfo } from './hover';
export type { FieldTokens, RecordHoverInfo, SideHover } from './hover';
export { SIDE_KEYS } from '../pairs/fixes';
export type { RuleDoc } from './meta';
