// An esbuild plugin shared by the build (esbuild.js) and the benchmarks (bench/check.bench.ts).
const fs = require('fs');

/**
 * `text` with every non-ASCII UTF-16 unit written as a `\uXXXX` escape (astral characters as two:
 * their surrogates, which pair up again in strings and in regular expressions with or without
 * the `u` flag). A character already escaped with a backslash (`\é` in a regular expression or a
 * string) keeps that backslash as the escape's own. What it cannot keep is the raw text of a
 * tagged template (String.raw would see the escape): the bundles have none with such characters.
 */
function asciiEscaped(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, c) => {
    const hex = `u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    // An odd run of backslashes escapes the character: its last backslash starts the escape.
    return slashes.length % 2 === 1 ? `${slashes}${hex}` : `${slashes}\\${hex}`;
  });
}

/**
 * Writes every non-ASCII character of a Node bundle as a `\uXXXX` escape (see asciiEscaped). V8
 * keeps each script's source text in the heap of every isolate that runs it (the extension host,
 * the curation process and each check thread), and one non-ASCII character (a dependency's
 * regular expression, a curly quote in one of ours, an arrow in a comment) makes the whole ~7 MB
 * text a two-byte string: twice the memory in each. esbuild's ASCII output leaves regular
 * expressions and comments as written.
 */
const asciiOutputPlugin = {
  name: 'ascii-output',
  setup(build) {
    build.onEnd((result) => {
      for (const file of Object.keys(result.metafile?.outputs ?? {})) {
        if (!/\.c?js$/.test(file)) continue;
        const text = fs.readFileSync(file, 'utf8');
        // eslint-disable-next-line no-control-regex
        if (!/[^\x00-\x7f]/.test(text)) continue;
        fs.writeFileSync(file, asciiEscaped(text));
      }
    });
  },
};

module.exports = { asciiOutputPlugin, asciiEscaped };
