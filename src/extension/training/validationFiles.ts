/**
 * Which files next to a dataset look like its validation set, for the "Validation Set" pick of
 * the Train command. Free of `vscode`: names in, names out.
 */

const DATASET_EXTENSION = /\.(jsonl|ndjson)$/i;
/** A word in the name that says "held out": val, valid, validation, eval, dev, test, heldout. */
const HELD_OUT_WORD = /(^|[^a-z])(val|valid|validation|eval|evaluation|dev|test|held[-_ ]?out)([^a-z]|$)/i;

function stemOf(name: string): string {
  return name.replace(DATASET_EXTENSION, '').toLowerCase();
}

/**
 * The JSONL files among `siblings` whose name marks them as held out, the dataset itself left
 * out; those that share the dataset's stem (`pairs.val.jsonl` for `pairs.jsonl`) first, then by
 * name.
 */
export function validationCandidates(datasetName: string, siblings: readonly string[]): string[] {
  const stem = stemOf(datasetName);
  const related = (name: string) => stem.length > 0 && stemOf(name).startsWith(stem);
  return siblings
    .filter((name) => name !== datasetName && DATASET_EXTENSION.test(name) && HELD_OUT_WORD.test(stemOf(name)))
    .sort((a, b) => Number(related(b)) - Number(related(a)) || (a < b ? -1 : a > b ? 1 : 0));
}
