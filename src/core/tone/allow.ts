/** The config's `allow` list: phrases the tone rules never flag, found in a response as a mask over its tokens. */
import { phraseIds } from './lexicon';
import { Vocabulary } from './vocab';
import { WordTable } from './words';

/** Phrases the tone rules never flag (from the config's `allow`), compiled to token ids. */
export interface AllowList {
  phrases: Map<number, number[][]>;
  generation: number;
}

const allowCache = new WeakMap<readonly string[], AllowList>();

function compileAllowList(vocab: Vocabulary, allow: readonly string[]): AllowList {
  let compiled = allowCache.get(allow);
  // Ids of words outside the lexicon change when the vocabulary is trimmed: recompile then.
  if (!compiled || compiled.generation !== vocab.generation) {
    compiled = { phrases: new Map(), generation: vocab.generation };
    for (const phrase of allow) {
      const tokens = phraseIds(vocab, phrase);
      if (!tokens.length) continue;
      const list = compiled.phrases.get(tokens[0]) ?? [];
      list.push(tokens);
      compiled.phrases.set(tokens[0], list);
    }
    allowCache.set(allow, compiled);
  }
  return compiled;
}

function allowedMask(t: WordTable, allow: AllowList | undefined): Uint8Array | undefined {
  if (!allow || allow.phrases.size === 0) return undefined;
  let mask: Uint8Array | undefined;
  for (let i = 0; i < t.n; i++) {
    const list = allow.phrases.get(t.tokens[i]);
    if (!list) continue;
    for (const toks of list) {
      if (i + toks.length > t.n) continue;
      let ok = true;
      for (let k = 1; k < toks.length && ok; k++) ok = t.tokens[i + k] === toks[k];
      if (!ok) continue;
      mask ??= new Uint8Array(t.n);
      for (let k = 0; k < toks.length; k++) mask[i + k] = 1;
    }
  }
  return mask;
}

/** The tokens of `t` inside a phrase of the config's `allow` list (undefined when there are none). */
export function allowedTokens(vocab: Vocabulary, t: WordTable, allow: readonly string[] | undefined): Uint8Array | undefined {
  return allow?.length ? allowedMask(t, compileAllowList(vocab, allow)) : undefined;
}
