import * as vscode from 'vscode';
import { ALL_RULE_DOCS, documentedRule, ruleDocPath } from '../core/ruleDocs';

/**
 * Each rule's page (docs/rules/<id>.md, shipped in the extension): the target of a diagnostic's
 * code in the Problems panel and hovers, and the "Show Rule Documentation" command and code action.
 */
export class RuleDocLinks {
  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The page of a rule, or undefined for a code without one. */
  target(code: string): vscode.Uri | undefined {
    return documentedRule(code) ? vscode.Uri.joinPath(this.extensionUri, ruleDocPath(code)) : undefined;
  }

  /** Opens a rule's page as a Markdown preview; without a code, asks which rule. */
  async show(code?: unknown): Promise<boolean> {
    let id = typeof code === 'string' ? code : undefined;
    if (id === undefined) {
      const picked = await vscode.window.showQuickPick(
        ALL_RULE_DOCS.map((d) => ({ label: d.id, description: d.title, detail: `default: ${d.severity}` })),
        { title: 'Show Rule Documentation', placeHolder: 'Choose a rule', matchOnDescription: true },
      );
      id = picked?.label;
    }
    if (id === undefined) return false;
    const target = this.target(id);
    if (!target) {
      void vscode.window.showInformationMessage(`There is no documentation for "${id}".`);
      return false;
    }
    await vscode.commands.executeCommand('markdown.showPreview', target);
    return true;
  }
}
