/**
 * Line texts kept compact in memory. V8 stores a string with one byte per character when every
 * character fits in one (Latin-1), and with two otherwise: a single curly apostrophe or emoji makes
 * a whole line take twice its length. In the bench file 77% of the lines hold one, and the editor
 * model's lines took 2.2 bytes per byte of the file. A line is kept as its UTF-8 bytes, each
 * byte one character of a one-byte string (immutable, no object per line, and counted by the
 * garbage collector like any string), and decoded when it is read when it has characters beyond
 * ASCII. Where Node's Buffer is not there (the core also runs without it), or where the bytes
 * would not give the text back (lone surrogates), the text stays as it is.
 */

/** Node's Buffer, where there is one. */
const nativeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'utf8' | 'latin1'): { toString(encoding: 'utf8' | 'latin1'): string } } }).Buffer;

/** A surrogate without its other half (UTF-8 has no bytes for it). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * How a text is kept: its UTF-8 bytes as a one-byte string, `packed` when they differ from the
 * text (any character beyond ASCII). An ASCII text comes back as a copy of its own (a line cut
 * from a document's text with `split` is a view that keeps the whole text alive, and is two bytes
 * a character when the document has a single wide character anywhere). Texts with a lone
 * surrogate, and every text where Buffer is missing, are kept as they are.
 */
export function compactText(text: string): { text: string; packed: boolean } {
  if (!nativeBuffer) return { text, packed: false };
  const bytes = nativeBuffer.from(text, 'utf8').toString('latin1');
  if (bytes.length === text.length) return { text: bytes, packed: false };
  return LONE_SURROGATE.test(text) ? { text, packed: false } : { text: bytes, packed: true };
}

/** The text a packed form was made from. */
export function unpackText(packed: string): string {
  return nativeBuffer!.from(packed, 'latin1').toString('utf8');
}
