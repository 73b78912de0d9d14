#!/usr/bin/env bash
# One-time, idempotent set-up of a controller machine: host packages, a Docker engine,
# and the project virtualenv with the pinned toolchain. Safe to re-run; a re-run is fast.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
STAMP="$VENV/.requirements.sha256"

LOG_TAG=setup
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

# Host packages the toolkit itself needs on the controller (not on the managed hosts).
HOST_PACKAGES=(debootstrap python3-venv git make curl ca-certificates iproute2)
# Toolchains the artifact step needs, by command: Go builds MinIO, npm fetches a training corpus.
declare -A TOOL_PACKAGES=([go]=golang-go [npm]=npm)

install_host_packages() {
  local missing=()
  for pkg in "${HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  apt_install "host packages" "${missing[@]}"
}

install_toolchains() {
  local missing=()
  for tool in "${!TOOL_PACKAGES[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/local/go/bin/$tool" ] || missing+=("${TOOL_PACKAGES[$tool]}")
  done
  apt_install "toolchains" "${missing[@]}"
}

docker_answers() { docker info >/dev/null 2>&1; }

ensure_docker() {
  if docker_answers; then return 0; fi
  command -v dockerd >/dev/null 2>&1 || apt_install "a Docker engine (no engine answers)" docker.io
  if [ -d /run/systemd/system ]; then
    log "starting docker.service"
    systemctl start docker || die "systemctl start docker failed; see journalctl -u docker"
  else
    [ "$(id -u)" -eq 0 ] || die "dockerd is installed but not running, and starting it needs root"
    log "no systemd on this machine: starting dockerd in the background (log: /var/log/dockerd.log)"
    nohup dockerd >/var/log/dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do
    docker_answers && { log "docker engine is up"; return 0; }
    sleep 1
  done
  die "dockerd did not answer within 60 s; see /var/log/dockerd.log"
}

ensure_venv() {
  local want
  local app_reqs=("$ROOT"/app_src/*/requirements-test.txt)
  [ -e "${app_reqs[0]}" ] || app_reqs=()
  local app_locks=("$ROOT"/app_src/*/requirements.lock)
  [ -e "${app_locks[0]}" ] || app_locks=()
  want="$(cat "$ROOT/requirements/controller.in" "$ROOT/requirements/controller.lock" "${app_reqs[@]}" "${app_locks[@]}" \
    | sha256sum | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    return 0
  fi
  log "creating virtualenv $VENV with the pinned toolchain"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -r "$ROOT/requirements/controller.in" -c "$ROOT/requirements/controller.lock"
  # The applications' test requirements (app_src/*/requirements-test.txt) share this virtualenv.
  for reqs in "${app_reqs[@]}"; do
    "$VENV/bin/pip" install -q -r "$reqs"
  done
  echo "$want" >"$STAMP"
}

# sslyze (the nginx scenario's TLS compliance check) in a virtualenv of its own: it pins a
# cryptography release older than the controller toolchain's.
ensure_tls_check_venv() {
  local venv="$ROOT/.venv-tls" want
  want="$(sha256sum "$ROOT/requirements/tls-check.lock" | cut -d' ' -f1)"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  log "creating virtualenv $venv with the TLS checker (sslyze)"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q -r "$ROOT/requirements/tls-check.lock"
  echo "$want" >"$venv/.requirements.sha256"
}

main() {
  install_host_packages
  install_toolchains
  ensure_docker
  ensure_venv
  ensure_tls_check_venv
  "$ROOT/scripts/setup_web.sh"  # Node, Debian chromium, npm ci for app_src/web
  local version
  version="$("$VENV/bin/ansible" --version)"
  log "ready: ${version%%$'\n'*}"
}

main "$@"
