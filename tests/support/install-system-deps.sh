#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, and only those that are missing:
#   - the PostgreSQL server binaries (initdb, pg_ctl) for the throwaway server of tests/support/pgserver.py;
#   - the Qt runtime libraries that PySide6's offscreen and xcb platform plugins load;
#   - poppler-utils (pdftoppm, pdftotext), which the report tests use to rasterise PDFs.
#
# Idempotent: every package is checked with dpkg first, so a machine that has everything does no apt work.
# Missing packages are installed only when running as root with apt-get available; otherwise this prints a
# warning naming them and exits 0 (the PostgreSQL tests then skip loudly, or fail under CI=true).
# Called by `make sysdeps` / `make test`.
set -euo pipefail

PACKAGES=(
    # Qt (PySide6) runtime for the offscreen / xcb platform plugins
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
    libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 fonts-dejavu-core
    # PDF rasterising for the report tests
    poppler-utils
)

warn() {
    {
        echo "################################################################################"
        for line in "$@"; do echo "# $line"; done
        echo "################################################################################"
    } >&2
}

is_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

if ! command -v dpkg >/dev/null 2>&1; then
    warn "install-system-deps: not a Debian-like system (no dpkg); cannot check system packages." \
         "Make sure the PostgreSQL server binaries (initdb, pg_ctl), the Qt runtime libraries and" \
         "poppler-utils are installed, or the PostgreSQL/report tests will skip."
    exit 0
fi

missing=()
# Any installed PostgreSQL major version will do; `postgresql` pulls in the distribution's current one.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    missing+=(postgresql)
fi
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-system-deps: all system packages present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    warn "install-system-deps: MISSING system packages: ${missing[*]}" \
         "Not root (or no apt-get), so nothing was installed. Install them with:" \
         "    sudo apt-get install --no-install-recommends ${missing[*]}" \
         "Until then the PostgreSQL tests are SKIPPED (they FAIL under CI=true)."
    exit 0
fi

echo "install-system-deps: installing ${missing[*]}"
if ! { apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
    warn "install-system-deps: apt-get could not install: ${missing[*]}"
    case "${CI:-}" in
        true | 1) exit 1 ;;
    esac
    warn "Carrying on; the tests that need these packages will skip."
    exit 0
fi
echo "install-system-deps: done"
