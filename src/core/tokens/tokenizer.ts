import type { CuratorConfig } from '../config';

export type EncodingName = CuratorConfig['encoding'];

/** The part of gpt-tokenizer's API we use. */
interface EncodingApi {
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

export interface Tokenizer {
  readonly encoding: EncodingName;
  count(text: string): number;
  encode(text: string): number[];
}

/**
 * Text like "<|endoftext|>" in a dataset is ordinary text to us, not a control token: an empty
 * disallow set makes gpt-tokenizer encode it as plain characters instead of throwing.
 */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Loads an encoding's tables on first use only: each is megabytes of data that takes a while to
 * initialise, and many checks never need exact counts (see `maxTokens`). The static `require`
 * strings let esbuild bundle exactly these two encodings and nothing else of gpt-tokenizer.
 */
function load(name: EncodingName): EncodingApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return name === 'cl100k_base' ? require('gpt-tokenizer/encoding/cl100k_base') : require('gpt-tokenizer/encoding/o200k_base');
}

const loaded = new Map<EncodingName, Tokenizer>();

export function tokenizer(name: EncodingName): Tokenizer {
  let t = loaded.get(name);
  if (!t) {
    const api = load(name);
    t = {
      encoding: name,
      count: (text) => (text ? api.countTokens(text, PLAIN_TEXT) : 0),
      encode: (text) => (text ? api.encode(text, PLAIN_TEXT) : []),
    };
    loaded.set(name, t);
  }
  return t;
}

/**
 * UTF-8 length of a string. Every BPE token covers at least one byte, so this is an upper bound
 * on the token count that costs nothing to compute: when prompt + response fit in maxLength
 * bytes, they fit in maxLength tokens and need no tokenizing.
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // 4 bytes for 2 code units
        i++;
      } else n += 2;
    } else n += 2;
  }
  return n;
}
