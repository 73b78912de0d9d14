# Shell helpers shared by scripts/setup.sh and scripts/setup_web.sh (sourced; set LOG_TAG first).
log() { printf '[%s] %s\n' "$LOG_TAG" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

is_debian_like() { [ -r /etc/os-release ] && grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }

# apt-get install what is missing, or say exactly what to install where we cannot.
apt_install() {
  local what="$1"; shift
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! is_debian_like; then
    die "missing ${what}: $*. Install them (Debian/Ubuntu: apt-get install $*) and re-run."
  fi
  log "installing ${what}: $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
