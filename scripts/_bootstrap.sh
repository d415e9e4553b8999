# Sourced by scripts/run and scripts/test: find Python >= 3.12, make .venv, install the project.
# Idempotent: a second run only reinstalls when pyproject.toml or requirements.lock changed.
# Versions come from requirements.lock (a constraints file: the versions the suite passed with).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mError: %s\033[0m\n' "$*" >&2; exit 1; }

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
    local candidate
    if [ -n "${PRESSDESK_PYTHON:-}" ]; then
        python_ok "$PRESSDESK_PYTHON" && { echo "$PRESSDESK_PYTHON"; return; }
        die "PRESSDESK_PYTHON=$PRESSDESK_PYTHON is not Python 3.12 or newer."
    fi
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
            command -v "$candidate"; return
        fi
    done
    # pyenv shims refuse versions that are installed but not selected: look at the installs.
    for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 \
                     /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] 2>/dev/null | sort -rV); do
        if [ -x "$candidate" ] && python_ok "$candidate"; then echo "$candidate"; return; fi
    done
    die "Pressdesk needs Python 3.12 or newer (Django 6.1 requires it) and none was found.
Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package), or point
PRESSDESK_PYTHON at it."
}

ensure_venv() {
    local extras="$1"
    if [ -x "$VENV/bin/python" ] && ! python_ok "$VENV/bin/python"; then
        say "Removing .venv: it was made with a Python older than 3.12"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        local python; python="$(find_python)"
        say "Creating .venv with $("$python" --version 2>&1) ($python)"
        "$python" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$extras"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
        say "Installing dependencies${extras:+ ($extras)} at the versions of requirements.lock"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet -c requirements.lock -e ".${extras:+[$extras]}"
        touch "$stamp"
    fi
}
