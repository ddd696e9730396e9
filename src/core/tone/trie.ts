import type { LexiconEntry } from './lexicon';
import { grown } from '../typedArrays';

/**
 * A word-trie node: a number in the lexicon's one `TrieStore`. `NO_NODE` stands for none (a
 * walk that left the trie).
 */
export type TrieNode = number;
export const NO_NODE = -1;

/** An edge taken by any member of a word class (`@feeling` in a pattern): the class's own trie, then `node`. */
export interface ClassEdge {
  name: string;
  members: TrieNode;
  node: TrieNode;
}

/** Edge slots: parent, token, child (and one unused, so a slot is a shift away). */
const SLOT = 4;

/**
 * Bits of a node's `TrieStore.meta`: entries end at it; class edges leave it; it has a wide filter.
 * The bits above them are its child filter, or for a node with a wide filter that filter's number.
 */
export const NODE_ENTRIES = 1;
export const NODE_CLASSES = 2;
const NODE_WIDE_FILTER = 4;

/** The bit a token sets in its parent's child filter (one of bits 3 to 31 of `TrieStore.meta`). */
function filterBit(token: number): number {
  return 8 << ((Math.imul(token, 0x9e3779b1) >>> 0) % 29);
}

/**
 * Children from which a node gets a wide filter instead of the one in `meta`: from this many edges
 * on, a 29-bit filter has a quarter of its bits set or more, and with a few dozen nearly all, so
 * that most tokens went on to a probe of the edge table that found nothing (the words after a
 * common opening of the phrase tries: 54 probes per bench record found nothing, 9 with wide filters).
 */
const WIDE_FILTER_CHILDREN = 8;
/** A wide filter has 2^WIDE_FILTER_LOG2 bits, held in WIDE_FILTER_WORDS 32-bit numbers. */
const WIDE_FILTER_LOG2 = 9;
const WIDE_FILTER_WORDS = (1 << WIDE_FILTER_LOG2) / 32;

/** The bit a token sets in its parent's wide filter: the top bits of a multiplicative hash. */
function wideFilterBit(token: number): number {
  return Math.imul(token + 0x632be5ab, 0x85ebca77) >>> (32 - WIDE_FILTER_LOG2);
}

/** Children from which a node's word edges also get a direct row, indexed by token (a lookup there costs no hashing and no probing). */
const WIDE_CHILDREN = 128;

function slotOf(node: number, token: number, mask: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(token + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  return h & mask;
}

/**
 * Every trie of the lexicon in one flat store. Nodes are numbers; the word edges of all nodes
 * are one open-addressing hash table over a typed array, keyed by (node, token); entries and
 * class edges hang off per-node arrays. The lexicon has ~180k nodes: one `Map` per node held
 * ~90 MB in every checking thread, this holds under 10 MB.
 */
export class TrieStore {
  /** The entries (phrases) that end at each node, blocks first; undefined for most nodes (made by `entryList`). */
  readonly entries: (LexiconEntry[] | undefined)[] = [];
  /** Each node's class edges; undefined for nearly all nodes (made by `classList`). */
  readonly classes: (ClassEdge[] | undefined)[] = [];
  private slots = new Int32Array(SLOT << 10).fill(-1);
  private mask = (1 << 10) - 1;
  private edges = 0;
  /**
   * Per node, NODE_ENTRIES and NODE_CLASSES, and the `filterBit`s of the tokens of its word edges (or NODE_WIDE_FILTER and its number):
   * a walk reads this one number at each node instead of the entry and class arrays and the edge
   * table (~10 MB together, seldom in cache), and a lookup of a token whose bit is not set (a
   * leaf, or a word no phrase continues with) leads nowhere without probing. Nearly half the
   * lookups of a scan are such misses.
   */
  private meta = new Int32Array(1 << 10);
  /** Per node, how many word edges leave it (up to WIDE_CHILDREN, where it gets a row). */
  private fanOut = new Uint8Array(1 << 10);
  /** The wide filters, WIDE_FILTER_WORDS numbers each (see WIDE_FILTER_CHILDREN). */
  private wideFilters = new Int32Array(0);
  /** The direct rows of the nodes with WIDE_CHILDREN word edges or more (the roots the scan starts from at every word): the child by token, or NO_NODE. */
  private rows = new Map<TrieNode, Int32Array>();

  newNode(): TrieNode {
    this.entries.push(undefined);
    this.classes.push(undefined);
    const node = this.entries.length - 1;
    if (node >= this.meta.length) {
      this.meta = grown(this.meta, node + 1);
      this.fanOut = grown(this.fanOut, node + 1);
    }
    return node;
  }

  get nodeCount(): number {
    return this.entries.length;
  }

  get edgeCount(): number {
    return this.edges;
  }

  /** The child of `node` by `token`, or NO_NODE. */
  child(node: TrieNode, token: number): TrieNode {
    const meta = this.meta[node];
    if (meta & NODE_WIDE_FILTER) {
      const bit = wideFilterBit(token);
      if ((this.wideFilters[(meta >>> 3) * WIDE_FILTER_WORDS + (bit >>> 5)] & (1 << (bit & 31))) === 0) return NO_NODE;
    } else if ((meta & filterBit(token)) === 0) return NO_NODE;
    return this.probe(node, token);
  }

  /** Whether `node` has the NODE_ENTRIES or NODE_CLASSES bit `bit`. */
  has(node: TrieNode, bit: number): boolean {
    return (this.meta[node] & bit) !== 0;
  }

  /** The entries of `node`, a new list if it has none yet (while the tries are built). */
  entryList(node: TrieNode): LexiconEntry[] {
    this.meta[node] |= NODE_ENTRIES;
    return (this.entries[node] ??= []);
  }

  /** The class edges of `node`, a new list if it has none yet (while the tries are built). */
  classList(node: TrieNode): ClassEdge[] {
    this.meta[node] |= NODE_CLASSES;
    return (this.classes[node] ??= []);
  }

  /** The children of `node` by token (NO_NODE where none, and past the end), for a node with WIDE_CHILDREN word edges or more; else undefined. */
  row(node: TrieNode): Int32Array | undefined {
    return this.rows.get(node);
  }

  /** The child of `node` by `token` in the hash table, or NO_NODE. */
  private probe(node: TrieNode, token: number): TrieNode {
    const slots = this.slots;
    const mask = this.mask;
    for (let s = slotOf(node, token, mask); ; s = (s + 1) & mask) {
      const at = s * SLOT;
      const parent = slots[at];
      if (parent === node && slots[at + 1] === token) return slots[at + 2];
      if (parent === -1) return NO_NODE;
    }
  }

  /** The child of `node` by `token`, made if missing. */
  childOrNew(node: TrieNode, token: number): TrieNode {
    const found = this.child(node, token);
    if (found !== NO_NODE) return found;
    if ((this.edges + 1) * 2 > this.mask + 1) this.grow();
    const kid = this.newNode();
    this.put(node, token, kid);
    this.edges++;
    if (this.meta[node] & NODE_WIDE_FILTER) this.setWideFilterBit(node, token);
    else this.meta[node] |= filterBit(token);
    const row = this.rows.get(node);
    if (row) this.rows.set(node, rowWith(row, token, kid));
    else if (++this.fanOut[node] === WIDE_CHILDREN) {
      let wide: Int32Array = new Int32Array(0);
      for (const t of this.tokensFrom(node)) wide = rowWith(wide, t, this.probe(node, t));
      this.rows.set(node, wide);
    }
    return kid;
  }

  /**
   * Gives the nodes with WIDE_FILTER_CHILDREN word edges or more a wide filter of their tokens.
   * Call once the tries are built (edges added later set their bits too, but nodes that grow wide
   * later get no filter).
   */
  addWideFilters(): void {
    let count = this.wideFilters.length / WIDE_FILTER_WORDS;
    for (let node = 0; node < this.nodeCount; node++) {
      const meta = this.meta[node];
      if (this.fanOut[node] >= WIDE_FILTER_CHILDREN && !(meta & NODE_WIDE_FILTER)) this.meta[node] = (count++ << 3) | (meta & (NODE_ENTRIES | NODE_CLASSES)) | NODE_WIDE_FILTER;
    }
    const filters = new Int32Array(count * WIDE_FILTER_WORDS);
    filters.set(this.wideFilters);
    this.wideFilters = filters;
    const slots = this.slots;
    for (let s = 0; s < slots.length; s += SLOT) if (slots[s] !== -1 && this.meta[slots[s]] & NODE_WIDE_FILTER) this.setWideFilterBit(slots[s], slots[s + 1]);
  }

  private setWideFilterBit(node: TrieNode, token: number): void {
    const bit = wideFilterBit(token);
    this.wideFilters[(this.meta[node] >>> 3) * WIDE_FILTER_WORDS + (bit >>> 5)] |= 1 << (bit & 31);
  }

  /**
   * Makes nodes with the same entries share one frozen array (most of the ~120k nodes with
   * entries hold the one entry of their group: one array each held ~20 MB). Call once the tries
   * are built; entries are read-only afterwards.
   */
  shareEntries(): void {
    const ids = new Map<LexiconEntry, number>();
    const shared = new Map<string, LexiconEntry[]>();
    const entries = this.entries;
    for (let node = 0; node < entries.length; node++) {
      const list = entries[node];
      if (!list) continue;
      let key = '';
      for (const e of list) {
        let id = ids.get(e);
        if (id === undefined) ids.set(e, (id = ids.size));
        key += `${id},`;
      }
      let one = shared.get(key);
      if (!one) shared.set(key, (one = Object.freeze(list.slice()) as LexiconEntry[]));
      entries[node] = one;
    }
  }

  /** The tokens that lead out of `node` (in no particular order). */
  tokensFrom(node: TrieNode): number[] {
    const out: number[] = [];
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += SLOT) if (slots[at] === node) out.push(slots[at + 1]);
    return out;
  }

  private put(node: number, token: number, kid: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let s = slotOf(node, token, mask);
    while (slots[s * SLOT] !== -1) s = (s + 1) & mask;
    slots[s * SLOT] = node;
    slots[s * SLOT + 1] = token;
    slots[s * SLOT + 2] = kid;
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size * SLOT).fill(-1);
    this.mask = size - 1;
    for (let at = 0; at < old.length; at += SLOT) if (old[at] !== -1) this.put(old[at], old[at + 1], old[at + 2]);
  }
}

/** `row` with `row[token] = kid`, grown (new slots NO_NODE) when `token` is past its end. */
function rowWith(row: Int32Array, token: number, kid: TrieNode): Int32Array {
  if (token >= row.length) {
    const longer = new Int32Array(Math.max(token + 1, 2 * row.length)).fill(NO_NODE);
    longer.set(row);
    row = longer;
  }
  row[token] = kid;
  return row;
}

/** The store of the lexicon's tries (built once per thread, immutable afterwards). */
export const tries = new TrieStore();
