import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

/** The folder panels may load files from: the built webview bundles, nothing else. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)], enableFindWidget: true };
}

/**
 * A panel's page. It never holds dataset text (data arrives as messages and is shown with
 * textContent); scripts run only with this page's fresh nonce; styles, fonts and images come
 * only from the bundle folder.
 */
export function panelHtml(webview: vscode.Webview, bundleFolder: vscode.Uri, options: { bundle: string; title: string; body: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(bundleFolder, `${options.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(bundleFolder, `${options.bundle}.css`));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${options.title}</title>
</head>
<body>
${options.body}
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
