// `npm run docs:rules`: writes docs/rules/<id>.md, docs/rules/README.md and the rule list of
// schemas/dialoguecurator.schema.json from the rules data (src/core/engine-rules.json and each
// rule family's rules.json). `--check` writes nothing and exits 1 when the committed files differ
// from the data (a unit test does the same).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSchemaText, ruleDocFiles } from '../src/core/ruleDocs';

const dir = path.resolve(__dirname, '..', 'docs', 'rules');
const check = process.argv.includes('--check');
const want = ruleDocFiles();
const have = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
const stale = [...want].filter(([name, text]) => !fs.existsSync(path.join(dir, name)) || fs.readFileSync(path.join(dir, name), 'utf8') !== text).map(([n]) => n);
const extra = have.filter((name) => !want.has(name));
const schemaFile = path.resolve(__dirname, '..', 'schemas', 'dialoguecurator.schema.json');
const schemaNow = fs.readFileSync(schemaFile, 'utf8');
const schemaWant = configSchemaText(schemaNow);
const schemaStale = schemaWant !== schemaNow;
const written = stale.length + (schemaStale ? 1 : 0);
if (check) {
  if (written || extra.length) {
    console.error(`docs/rules is out of date (${[...stale, ...(schemaStale ? ['schemas/dialoguecurator.schema.json'] : []), ...extra].join(', ')}): run npm run docs:rules`);
    process.exit(1);
  }
  console.log(`docs/rules: ${want.size} pages up to date`);
} else {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of stale) fs.writeFileSync(path.join(dir, name), want.get(name)!);
  if (schemaStale) fs.writeFileSync(schemaFile, schemaWant);
  for (const name of extra) fs.rmSync(path.join(dir, name));
  console.log(`docs/rules: ${want.size} pages (${written} written, ${extra.length} removed)`);
}
