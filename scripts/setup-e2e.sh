#!/usr/bin/env bash
# Prepares everything the code-server e2e suite needs (see shared/vscode-e2e.md):
# Debian packages, the ripgrep cache, and code-server in .vscode-test/code-server.
# Idempotent and quick when already done. Prints the code-server path on its last line.
set -euo pipefail

cd "$(dirname "$0")/.."
CS_VERSION=4.100.3
CS_DIR=.vscode-test/code-server
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
PKGS=(chromium libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep pkg-config)
start=$SECONDS

log() { echo "[setup-e2e] $*" >&2; }

# 1. Debian packages
missing=()
for p in "${PKGS[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=()
  elif command -v sudo >/dev/null; then SUDO=(sudo -n)
  else log "missing packages ${missing[*]} and not root (no sudo)"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when one of the packages is unknown to apt.
  for p in "${missing[@]}"; do
    if ! apt-cache show "$p" >/dev/null 2>&1; then
      log "apt-get update"; "${SUDO[@]}" apt-get update -q </dev/null; break
    fi
  done
  log "apt-get install ${missing[*]}"
  "${SUDO[@]}" apt-get install -y -q "${missing[@]}" </dev/null
fi

# 2. @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds this archive.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TGZ" ]; then
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  mkdir -p "$RG_CACHE"
  tar -czf "$RG_TGZ.tmp" -C "$stage" rg && mv "$RG_TGZ.tmp" "$RG_TGZ"
  rm -rf "$stage"
  log "ripgrep cache: $RG_TGZ"
fi

# 3. code-server
if ! "$CS_BIN" --version >/dev/null 2>&1; then
  log "installing code-server@$CS_VERSION into $CS_DIR (about 2 minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # unsafe_perm: code-server's postinstall refuses root without it.
  # yes: a nested `npx node-gyp` is cancelled otherwise (~/.npmrc may say yes=false).
  # strict_allow_scripts=false: npm 11 must still run the unapproved install scripts
  # (code-server's postinstall, argon2, node-pty, ...); it only warns about them.
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_strict_allow_scripts=false \
  npm_config_jobs="$(nproc)" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false \
    npm install --prefix "$CS_DIR" --no-save --foreground-scripts "code-server@$CS_VERSION" </dev/null >"$CS_DIR.install.log" 2>&1 \
    || { tail -50 "$CS_DIR.install.log" >&2; log "npm install failed, full log: $CS_DIR.install.log"; exit 1; }
  vs="$CS_DIR/node_modules/code-server/lib/vscode"
  for f in "$vs/node_modules/node-pty/build/Release/pty.node" "$vs/node_modules/@vscode/ripgrep/bin/rg" \
           "$vs/node_modules/@vscode/spdlog/build/Release/spdlog.node"; do
    [ -e "$f" ] || { log "install scripts did not run (missing $f); see $CS_DIR.install.log"; exit 1; }
  done
  "$CS_BIN" --version >/dev/null
fi

log "ready in $((SECONDS - start))s: $("$CS_BIN" --version | head -1)"
echo "$(pwd)/$CS_BIN"
