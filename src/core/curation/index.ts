import { DatasetRule, RecordRule } from '../engine';

/**
 * The curation rules (tone, pairs, tokens, dataset checks) that run after the schema check.
 * Registered here once so the editor, the CLI and the trainer server run the same set.
 */
export const recordRules: RecordRule[] = [];
export const datasetRules: DatasetRule[] = [];
