import type { LexiconEntry } from './lexicon';

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
  /** The entries (phrases) that end at each node, blocks first; undefined for most nodes. */
  readonly entries: (LexiconEntry[] | undefined)[] = [];
  /** Each node's class edges; undefined for nearly all nodes. */
  readonly classes: (ClassEdge[] | undefined)[] = [];
  private slots = new Int32Array(SLOT << 10).fill(-1);
  private mask = (1 << 10) - 1;
  private edges = 0;

  newNode(): TrieNode {
    this.entries.push(undefined);
    this.classes.push(undefined);
    return this.entries.length - 1;
  }

  get nodeCount(): number {
    return this.entries.length;
  }

  get edgeCount(): number {
    return this.edges;
  }

  /** The child of `node` by `token`, or NO_NODE. */
  child(node: TrieNode, token: number): TrieNode {
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
    return kid;
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

/** The store of the lexicon's tries (built once per thread, immutable afterwards). */
export const tries = new TrieStore();
