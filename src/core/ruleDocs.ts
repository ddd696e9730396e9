/**
 * The documentation of every rule, engine checks and curation rules alike, written once as data
 * (src/core/engine-rules.json and each rule family's rules.json) and rendered from here: the
 * docs/rules/<id>.md pages (`npm run docs:rules`), SARIF's rule metadata, and the link from each
 * diagnostic in the editor.
 */
import engineRules from './engine-rules.json';
import { ENGINE_RULE_IDS, RULE_DOCS, RuleDoc } from './curation/meta';

/** Every documented rule: the engine's own checks first, then the curation rules. */
export const ALL_RULE_DOCS: readonly RuleDoc[] = [...(engineRules as RuleDoc[]), ...RULE_DOCS];

const byId = new Map(ALL_RULE_DOCS.map((d) => [d.id, d]));

export function documentedRule(id: string): RuleDoc | undefined {
  return byId.get(id);
}

/** The page of a rule, relative to the repository (and to the installed package). */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}

/** What a finding's message looks like, placeholders shown as `…`. */
function messageShape(template: string): string {
  return template.replace(/\{[a-zA-Z]+\}/g, '…');
}

function family(id: string): string {
  if (ENGINE_RULE_IDS.includes(id)) return 'Syntax and schema (always checked)';
  if (id.startsWith('tone-')) return 'Tone';
  if (id.startsWith('pair-')) return 'Pairs';
  if (id.startsWith('tokens-')) return 'Tokens';
  if (id.startsWith('dataset-')) return 'Dataset';
  if (id.startsWith('conversation-')) return 'Conversations';
  return 'Other';
}

/** A rule's page in Markdown: why it matters, an example, how to fix it, how to configure it. */
export function ruleDocMarkdown(doc: RuleDoc): string {
  const lines = [
    `# \`${doc.id}\`: ${doc.title}`,
    '',
    `${family(doc.id)} · default severity **${doc.severity}**${doc.threshold !== undefined ? ` · default threshold ${doc.threshold}` : ''}`,
    '',
    `> ${messageShape(doc.message)}`,
    '',
    '## Why it matters',
    '',
    doc.doc.why,
    '',
    '## Example',
    '',
    '```text',
    doc.doc.example,
    '```',
    '',
    '## How to fix it',
    '',
    doc.doc.fix,
    '',
    '## Configure it',
    '',
    'In `.dialoguecurator.json` (comments allowed):',
    '',
    '```jsonc',
    '{',
    '  "rules": {',
    doc.threshold !== undefined
      ? `    "${doc.id}": { "severity": "${doc.severity === 'error' ? 'warning' : 'error'}", "threshold": ${doc.threshold} }  // or "off"`
      : `    "${doc.id}": "${doc.severity === 'error' ? 'warning' : 'error'}"  // or "off", "info", "hint"`,
    '  }',
    '}',
    '```',
    '',
  ];
  return lines.join('\n');
}

/** docs/rules/README.md: every rule by family, with its title and default severity. */
export function ruleIndexMarkdown(): string {
  const lines = ['# Rules', '', 'Every check Dialogue Curator makes, with why it matters, an example and how to fix it.', ''];
  let current = '';
  for (const doc of ALL_RULE_DOCS) {
    const f = family(doc.id);
    if (f !== current) {
      // A blank line closes the table before (none before the first).
      if (current) lines.push('');
      current = f;
      lines.push(`## ${f}`, '', '| Rule | What it finds | Default |', '| --- | --- | --- |');
    }
    lines.push(`| [\`${doc.id}\`](${doc.id}.md) | ${doc.title} | ${doc.severity} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Every generated file under docs/rules, by name. */
export function ruleDocFiles(): Map<string, string> {
  const files = new Map<string, string>([['README.md', ruleIndexMarkdown()]]);
  for (const doc of ALL_RULE_DOCS) files.set(`${doc.id}.md`, ruleDocMarkdown(doc));
  return files;
}

/**
 * The `rules` properties of schemas/dialoguecurator.schema.json: one per rule, described by its
 * title, defaults and reason (what VS Code shows when completing and hovering a rule id).
 */
export function configRuleProperties(): Record<string, { $ref: string; description: string }> {
  const out: Record<string, { $ref: string; description: string }> = {};
  for (const doc of ALL_RULE_DOCS) {
    const defaults = doc.threshold === undefined ? doc.severity : `${doc.severity}, threshold ${doc.threshold}`;
    out[doc.id] = { $ref: '#/definitions/ruleSetting', description: `${doc.title} (default: ${defaults}). ${doc.doc.why}` };
  }
  return out;
}

/** The config schema (its JSON text) with `rules.properties` as the rules data says. */
export function configSchemaText(current: string): string {
  const schema = JSON.parse(current) as { properties: { rules: { properties: unknown } } };
  schema.properties.rules.properties = configRuleProperties();
  return `${JSON.stringify(schema, null, 2)}\n`;
}
