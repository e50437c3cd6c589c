#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need: Debian chromium (driven by playwright-core) and
# code-server (a real VS Code 1.100 server + workbench) in .vscode-test/code-server. Idempotent, and offline-safe:
# it only uses Debian apt and the npm registry, and does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

CS_VERSION=4.100.3                     # the last code-server whose engines.node accepts Node 20 (VS Code 1.100.3)
RG_CACHE=vscode-ripgrep-cache-1.15.11  # the @vscode/ripgrep version pinned by code-server 4.100.3's shrinkwrap
D=${CS_DIR:-.vscode-test/code-server}
BIN="$D/node_modules/.bin/code-server"
DONE="$D/.installed-$CS_VERSION"   # written last, so an interrupted install is redone rather than half-used

# npm 11 runs a dependency's install scripts only when approved (package.json "allowScripts" or .npmrc
# "allow-scripts"). code-server's own postinstall runs a nested `npm install` in lib/vscode, a separate project
# whose native modules (node-pty, ripgrep, …) need their scripts too, and npm refuses an allow-list handed down
# through the environment to a project install (EALLOWSCRIPTS). So: install without scripts, drop the reviewed
# list (pinned to code-server 4.100.3's shrinkwrap) into lib/vscode/.npmrc, then run the two top-level scripts.
# Top-level entries are name-only: with omit-lockfile-registry-resolved (set on some machines) npm cannot verify
# a pinned version and refuses the pin.
TOP_SCRIPTS='{"code-server":true,"argon2":true}'
VSCODE_SCRIPTS=node-pty@1.1.0-beta33,@vscode/ripgrep@1.15.11,kerberos@2.1.1,@parcel/watcher@2.5.1,@vscode/spdlog@0.15.1,@vscode/deviceid@0.1.1,native-watchdog@1.4.2

export DEBIAN_FRONTEND=noninteractive
need=()
for p in chromium libkrb5-dev pkg-config ripgrep; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup-e2e: installing ${need[*]} from Debian"
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -e "$DONE" ]; then
  echo "setup-e2e: installing code-server@$CS_VERSION into $D (a few minutes, once)"
  rm -rf "$D" && mkdir -p "$D/tmp/$RG_CACHE"
  D=$(cd "$D" && pwd)
  # @vscode/ripgrep's postinstall downloads rg from GitHub; seed its download cache with Debian's rg instead.
  tar czf "$D/tmp/$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  echo "{\"private\":true,\"allowScripts\":$TOP_SCRIPTS}" > "$D/package.json"
  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise ask before fetching node-gyp.
  ( export TMPDIR="$D/tmp" npm_config_unsafe_perm=true npm_config_yes=true
    cd "$D" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CS_VERSION" &&
    echo "allow-scripts=$VSCODE_SCRIPTS" > node_modules/code-server/lib/vscode/.npmrc &&
    npm rebuild --loglevel=error code-server argon2 )
  rm -rf "$D/tmp"
  # A postinstall that was skipped leaves a code-server that starts but cannot open a terminal or search: check.
  for f in node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node \
           node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg; do
    [ -e "$D/$f" ] || { echo "setup-e2e: $D/$f is missing: an install script did not run" >&2; exit 1; }
  done
  touch "$DONE"
fi
# code-server writes a config.yaml on every start: keep it out of the user's ~/.config.
XDG_CONFIG_HOME="$D/.cfg" "$BIN" --version | head -1
