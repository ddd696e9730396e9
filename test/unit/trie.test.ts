import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lexicon, LexiconEntry } from '../../src/core/tone/lexicon';
import { NO_NODE, tries, TrieStore } from '../../src/core/tone/trie';

test('the flat trie store finds every edge it made, through table growth, and no other', () => {
  const store = new TrieStore();
  const reference = new Map<string, number>();
  const root = store.newNode();
  const nodes = [root];
  let seed = 7;
  const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
  for (let i = 0; i < 20_000; i++) {
    const parent = nodes[random(nodes.length)];
    const token = random(3_000);
    const kid = store.childOrNew(parent, token);
    const key = `${parent}:${token}`;
    const known = reference.get(key);
    if (known === undefined) {
      reference.set(key, kid);
      nodes.push(kid);
    } else assert.equal(kid, known, 'an existing edge is found, not made again');
  }
  assert.equal(store.edgeCount, reference.size);
  assert.equal(store.nodeCount, reference.size + 1);
  for (const [key, kid] of reference) {
    const [parent, token] = key.split(':').map(Number);
    assert.equal(store.child(parent, token), kid);
  }
  for (let i = 0; i < 5_000; i++) {
    const parent = nodes[random(nodes.length)];
    const token = 3_000 + random(1_000);
    assert.equal(store.child(parent, token), NO_NODE, 'a token never added leads nowhere');
  }
  const fromRoot = [...reference.keys()].filter((k) => k.startsWith(`${root}:`)).map((k) => Number(k.split(':')[1]));
  assert.deepEqual(store.tokensFrom(root).sort((a, b) => a - b), fromRoot.sort((a, b) => a - b));
});

test('a node with many children gets a direct row that agrees with the table', () => {
  const store = new TrieStore();
  const root = store.newNode();
  const other = store.newNode();
  const kids = new Map<number, number>();
  for (let token = 0; token < 600; token += 3) kids.set(token, store.childOrNew(root, token));
  store.childOrNew(other, 1);
  const row = store.row(root)!;
  assert.ok(row, 'the wide node has a row');
  assert.equal(store.row(other), undefined, 'a narrow node has none');
  for (let token = 0; token < 700; token++) {
    const expected = kids.get(token) ?? NO_NODE;
    assert.equal(token < row.length ? row[token] : NO_NODE, expected);
    assert.equal(store.child(root, token), expected);
  }
});

test('nodes with a few dozen children, given wide filters, still find every child (also one added afterwards) and no other', () => {
  const store = new TrieStore();
  const nodes = Array.from({ length: 40 }, () => store.newNode());
  const kids = new Map<string, number>();
  // Fan-outs 1 to 40 (a filter from 16 on); tokens spread like word ids.
  nodes.forEach((node, i) => {
    for (let c = 0; c <= i; c++) kids.set(`${node}:${c * 97 + i}`, store.childOrNew(node, c * 97 + i));
  });
  store.addWideFilters();
  kids.set(`${nodes[39]}:5000`, store.childOrNew(nodes[39], 5000));
  store.addWideFilters();
  for (const node of nodes) {
    for (let token = 0; token < 5_100; token++) assert.equal(store.child(node, token), kids.get(`${node}:${token}`) ?? NO_NODE);
  }
});

test('nodes with the same entries share one frozen list; different lists stay apart', () => {
  const store = new TrieStore();
  const a = { kind: 'empathy', category: 'a', weight: 1 } as LexiconEntry;
  const b = { kind: 'block', category: 'b', weight: 0 } as LexiconEntry;
  const nodes = Array.from({ length: 6 }, () => store.newNode());
  store.entries[nodes[0]] = [a];
  store.entries[nodes[1]] = [a];
  store.entries[nodes[2]] = [b, a];
  store.entries[nodes[3]] = [b, a];
  store.entries[nodes[4]] = [a, b];
  store.shareEntries();
  assert.equal(store.entries[nodes[0]], store.entries[nodes[1]]);
  assert.equal(store.entries[nodes[2]], store.entries[nodes[3]]);
  assert.notEqual(store.entries[nodes[2]], store.entries[nodes[4]]);
  assert.deepEqual(store.entries[nodes[4]], [a, b]);
  assert.equal(store.entries[nodes[5]], undefined);
  assert.ok(Object.isFrozen(store.entries[nodes[0]]));
});

test('the lexicon stays compact: a pattern whose alternatives multiply out belongs in a word class', () => {
  // Every checking thread holds the tries (the CLI runs two or more). Two patterns of the fifth
  // tone round (46 verbs × 5 × 5 × 9 objects, and 5 × 5 × 7 × 10 × 28) doubled them from 189k
  // to 388k nodes and took the CLI's check of the 100k-pair bench file from 340 to 417 MB; their
  // long lists are word classes now (@affects, @composure, @hardtograsp).
  lexicon();
  assert.ok(tries.nodeCount < 250_000, `${tries.nodeCount} trie nodes`);
});
