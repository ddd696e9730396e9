// An esbuild plugin shared by the build (esbuild.js) and the benchmarks (bench/check.bench.ts).
const fs = require('fs');

/**
 * Writes every non-ASCII character of a Node bundle as a `\uXXXX` escape. V8 keeps each script's
 * source text in the heap of every isolate that runs it (the extension host, the curation process
 * and each check thread), and one non-ASCII character (a dependency's regular expression, a curly
 * quote in one of ours, an arrow in a comment) makes the whole ~7 MB text a two-byte string:
 * twice the memory in each. esbuild's ASCII output leaves regular expressions and comments as
 * written; an escape means the same there, in strings and in templates (no bundle uses String.raw
 * on such text).
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
        fs.writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
      }
    });
  },
};

module.exports = { asciiOutputPlugin };
