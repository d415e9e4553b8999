# Sourced by scripts/backup and scripts/restore: find PostgreSQL's client programs and check that
# DATABASE_URL names a PostgreSQL database (libpq reads the URL as it is).

# The newest versioned install first (as scripts/test does), else whatever is on the PATH.
pg_tool() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -n "$bin" ] && [ -x "$bin/$1" ]; then echo "$bin/$1"; return; fi
    command -v "$1" >/dev/null 2>&1 && { command -v "$1"; return; }
    die "$1 was not found: install PostgreSQL's client programs (apt-get install postgresql-client)."
}

require_postgres_url() {
    case "${DATABASE_URL:-}" in
        postgres://*|postgresql://*) ;;
        *) die "DATABASE_URL must name a PostgreSQL database (postgres://…); backups of the development SQLite file are a file copy." ;;
    esac
}

MEDIA_DIR="${DJANGO_MEDIA_ROOT:-$ROOT/media}"
