import type { CuratorConfig } from '../config';

export type EncodingName = CuratorConfig['encoding'];

/** The part of gpt-tokenizer's API we use. */
interface EncodingApi {
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

export interface Tokenizer {
  readonly encoding: EncodingName;
  /** Exact, but for texts with a long run (see `hasLongRun`), whose runs are counted in chunks. */
  count(text: string): number;
  encode(text: string): number[];
}

/**
 * Runs of more than this many characters without white space (a pasted hash, a base64 blob, a
 * row of "=") are tokenized in chunks of RUN_CHUNK_CHARS: BPE's work on one pre-token grows with
 * the square of its length (80,000 repeated letters took 5 s). `count` tokenizes the first
 * RUN_SAMPLE_CHARS of such a run and counts the rest at that rate; `encode` tokenizes it all in
 * chunks. Either way the counts of such texts are estimates (the tokens rules say so).
 */
export const LONG_RUN_CHARS = 1000;
export const RUN_CHUNK_CHARS = 128;
/** The characters JavaScript's `\s` matches (a scan, not a regular expression: see longRuns). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279;
}

/**
 * Calls `found(start, end)` for each run of more than LONG_RUN_CHARS characters without white
 * space, in order; stops early when it returns true. A plain scan: a regular expression such as
 * /\S{1001,}/ backtracks through a stack that a run of a few million characters overflows
 * ("Maximum call stack size exceeded" on a pasted 8 MB blob).
 */
function longRuns(text: string, found: (start: number, end: number) => boolean | void): void {
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isSpace(text.charCodeAt(i))) continue;
    if (i - start > LONG_RUN_CHARS && found(start, i)) return;
    start = i + 1;
  }
}

/** Whether `text` holds a run that is tokenized in chunks (its count is then an estimate). */
export function hasLongRun(text: string): boolean {
  if (text.length <= LONG_RUN_CHARS) return false;
  let any = false;
  longRuns(text, () => (any = true));
  return any;
}

/** The text cut so that no piece holds a run longer than LONG_RUN_CHARS (for `encode`). */
function runChunks(text: string): string[] {
  const out: string[] = [];
  forEachPart(text, (part) => out.push(part), (run) => {
    for (let k = 0; k < run.length; k += RUN_CHUNK_CHARS) out.push(run.slice(k, k + RUN_CHUNK_CHARS));
  });
  return out;
}

/** The length of the longest run of `text` that `count` estimates (0 when it has none). */
export function longestLongRun(text: string): number {
  let best = 0;
  longRuns(text, (start, end) => {
    best = Math.max(best, end - start);
  });
  return best;
}

/** Calls `plain` for the text between long runs and `run` for each long run, in order. */
function forEachPart(text: string, plain: (part: string) => void, run: (run: string) => void): void {
  let from = 0;
  longRuns(text, (start, end) => {
    if (start > from) plain(text.slice(from, start));
    run(text.slice(start, end));
    from = end;
  });
  if (from < text.length) plain(text.slice(from));
}

/**
 * Characters of a long run that are tokenized (in chunks); the rest of the run is counted at the
 * same rate. Random text (base64, hashes) costs BPE a few microseconds a character, so counting
 * a 4 MB blob in full took 20 s; a blob is the same stuff throughout, so its first kilobyte says
 * how many tokens it makes a character.
 */
export const RUN_SAMPLE_CHARS = 1024;

function runTokens(api: EncodingApi, run: string): number {
  const sample = Math.min(run.length, RUN_SAMPLE_CHARS);
  let n = 0;
  for (let k = 0; k < sample; k += RUN_CHUNK_CHARS) n += api.countTokens(run.slice(k, Math.min(sample, k + RUN_CHUNK_CHARS)), PLAIN_TEXT);
  return sample === run.length ? n : Math.round((n * run.length) / sample);
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
      count: (text) => {
        if (!text) return 0;
        if (!hasLongRun(text)) return api.countTokens(text, PLAIN_TEXT);
        let n = 0;
        forEachPart(
          text,
          (part) => (n += api.countTokens(part, PLAIN_TEXT)),
          (run) => (n += runTokens(api, run)),
        );
        return n;
      },
      encode: (text) => {
        if (!text) return [];
        if (!hasLongRun(text)) return api.encode(text, PLAIN_TEXT);
        const out: number[] = [];
        for (const piece of runChunks(text)) for (const id of api.encode(piece, PLAIN_TEXT)) out.push(id);
        return out;
      },
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
  // Node's native count (the same for lone surrogates, which both count as U+FFFD) where there is one.
  if (nativeBuffer) return nativeBuffer.byteLength(s, 'utf8');
  return utf8LengthOf(s);
}

const nativeBuffer = (globalThis as { Buffer?: { byteLength(s: string, encoding: 'utf8'): number } }).Buffer;

/** utf8Length counted in JavaScript (for hosts without Node's Buffer). */
export function utf8LengthOf(s: string): number {
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

/**
 * Pairs of lower-case ASCII letters that are not a token of the encoding (a unit test holds these
 * lists to the encodings: every other pair is one token). Listing a pair that is a token would
 * only loosen the bound; leaving one out would break it.
 */
export const UNMERGED_PAIRS: Readonly<Record<EncodingName, string>> = {
  o200k_base: 'bq gk gq jv jz kq kz lq nq qf qg qj qk qv qz rj tq wq wz xg xj xk xq xv xw yq zj zq zv',
  cl100k_base:
    'bq fj fz gj gk gq hj jg jv jw jx jy jz kq kx kz lq mz nq oq qf qg qj qk qo qy qz rj tj tq uq vq vz wq wv wz xg xh xj xk xq xu xv xw yf yj yq yv zg zj zq zr zv',
};

/** Per encoding, 1 at `26 × first + second` for a pair of letters that is a token. */
const mergeTables = new Map<EncodingName, Uint8Array>();

function mergeTable(encoding: EncodingName): Uint8Array {
  let table = mergeTables.get(encoding);
  if (!table) {
    table = new Uint8Array(26 * 26).fill(1);
    for (const pair of UNMERGED_PAIRS[encoding].split(' ')) table[(pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97] = 0;
    mergeTables.set(encoding, table);
  }
  return table;
}

/**
 * At least `tokenizer(encoding).count(text)`, found without the encoding's tables: the UTF-8
 * bytes (a token holds at least one) less, in each run of a-z, the merges BPE cannot have left
 * out. About a fifth under the bytes on English text, enough to decide most records a little
 * over the byte bound (see countIfOver) without tokenizing anything.
 *
 * Why it holds. A count is the bytes less the byte boundaries inside tokens. Both encodings cut
 * the text into pieces with a regular expression and run BPE on each, merging two adjacent parts
 * while any two together are a token. A run of a-z is never cut (letters are taken greedily:
 * `\p{L}+`, or `[\p{Ll}…]+` after any capitals) but by a contraction suffix after an ASCII
 * apostrophe ("don't|stop"): runs right after one are left out. So two adjacent letters of a run
 * that are a token together (all pairs but UNMERGED_PAIRS) are not both tokens of their own: when
 * the second is not the run's last (that one may share a token with what follows), one of the
 * gaps around them (before, between, after) is inside a token, or the first is the run's first
 * letter and shares a token with the byte before (also a boundary inside a token, one per run).
 * Taking each such window's last gap, left to right, gives the fewest gaps that meet every window:
 * at most the real joined gaps, plus one where that shared boundary stands in for it.
 *
 * A text with a run of more than LONG_RUN_CHARS characters without white space is counted in
 * estimated chunks (see `count`), which this bound does not cover: Infinity for those.
 */
export function tokenBound(encoding: EncodingName, text: string): number {
  const merges = mergeTable(encoding);
  let joined = 0;
  // The length of the stretch without white space; in a run of a-z, the letters read (0: none),
  // whether the run counts, the last two letters (0-25) and the last gap taken as joined (gap k
  // follows letter k).
  let stretch = 0;
  let letters = 0;
  let counted = false;
  let before = 0;
  let last = 0;
  let lastJoined = -2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      if (++stretch > LONG_RUN_CHARS) return Infinity;
      if (letters === 0) {
        counted = i === 0 || text.charCodeAt(i - 1) !== 39;
        lastJoined = -2;
      }
      // Letters `letters - 2` and `letters - 1` are followed by this one (so the second is not the
      // run's last): if they are a token together, one of the gaps letters - 3 to letters - 1 is joined.
      if (counted && letters >= 2 && lastJoined < letters - 3 && merges[before * 26 + last] === 1) {
        joined++;
        lastJoined = letters - 1;
      }
      before = last;
      last = c - 97;
      letters++;
      continue;
    }
    letters = 0;
    if (isSpace(c)) stretch = 0;
    else if (++stretch > LONG_RUN_CHARS) return Infinity;
  }
  return utf8Length(text) - joined;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Cuts text into pieces of about `size` characters whose token counts add up to the count of the
 * whole: each cut is made before a space that sits between two ASCII letters ("care| team"),
 * where the encodings' pre-tokenizers always start a new chunk (a run of letters never takes in
 * a space after it, and " team" is a chunk of its own), and BPE never merges across chunks.
 */
export function tokenPieces(text: string, size = TOKEN_PIECE_CHARS): string[] {
  if (text.length <= size) return [text];
  const out: string[] = [];
  for (let from = 0; from < text.length; ) {
    const to = pieceEnd(text, from, size);
    out.push(text.slice(from, to));
    from = to;
  }
  return out;
}

/** Where the piece of `text` from `from` ends (see tokenPieces): at the first cut at or after `from + size`, else at the end. */
function pieceEnd(text: string, from: number, size: number): number {
  for (let k = from + size; k < text.length - 1; k++) {
    if (text.charCodeAt(k) === 32 && isAsciiLetter(text.charCodeAt(k - 1)) && isAsciiLetter(text.charCodeAt(k + 1))) return k;
  }
  return text.length;
}

/**
 * The characters to tokenize next when the tokens so far plus the bytes still to read exceed the
 * limit by `excess`: a character of English gives about three quarters of a byte of slack (a token
 * of ~4 bytes), so a little more than `excess` characters usually decides the text in one piece
 * (records just over the byte bound need a few dozen). A piece that did not decide is followed by
 * pieces of TOKEN_PIECE_CHARS at least, so a text that tokenizes densely costs no more calls than
 * fixed pieces did.
 */
function pieceSize(excess: number, first: boolean): number {
  const size = Math.ceil(excess * 1.35) + 16;
  return first ? size : Math.max(TOKEN_PIECE_CHARS, size);
}

/** Characters per piece of a text that is tokenized piece by piece (see pieceSize). */
const TOKEN_PIECE_CHARS = 256;

/**
 * The token count of `texts` together when it is over `max`, else undefined. A record whose
 * bytes, or else whose tokenBound, fit in `max` is decided without tokenizing. Otherwise it
 * tokenizes piece by piece (see tokenPieces) and stops as soon as the tokens so far plus the
 * bytes still to read (a token covers at least one byte) cannot go over `max`: a record a little
 * over the bound is usually decided after its first hundred characters or so (see pieceSize).
 * Where the pieces are cut changes when it stops, never what it returns: the counts of the pieces
 * add up to the whole.
 */
export function countIfOver(encoding: EncodingName, texts: readonly string[], max: number): number | undefined {
  let remaining = 0;
  for (const t of texts) remaining += utf8Length(t);
  if (remaining <= max) return undefined; // decided without loading the encoding
  // tokenBound takes at most a third of the bytes off (a joined gap per window of three letters):
  // past one and a half times `max` it cannot decide, and the texts are not read for it.
  if (2 * remaining <= 3 * max) {
    let bound = 0;
    for (const t of texts) bound += tokenBound(encoding, t);
    if (bound <= max) return undefined;
  }
  const tok = tokenizer(encoding);
  let tokens = 0;
  let first = true;
  for (const t of texts) {
    for (let from = 0; from < t.length; ) {
      const to = pieceEnd(t, from, pieceSize(tokens + remaining - max, first));
      const piece = from === 0 && to === t.length ? t : t.slice(from, to);
      tokens += tok.count(piece);
      remaining -= utf8Length(piece);
      if (tokens + remaining <= max) return undefined;
      from = to;
      first = false;
    }
  }
  return tokens > max ? tokens : undefined;
}
