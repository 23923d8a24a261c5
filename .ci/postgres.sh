#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests, and print its URL.
#
#   eval "$(bash .ci/postgres.sh start)"   # exports BLUEBOOK_TEST_POSTGRESQL and PGTEST_DIR
#   bash .ci/postgres.sh stop "$PGTEST_DIR"
#
# It installs Debian's postgresql package when no server binaries are found (a
# fresh machine), runs the server as the `postgres` user when started as root
# (initdb refuses root), keeps its data in a temporary folder, listens on
# 127.0.0.1 only, and trusts local connections: it is for tests, never for data.
set -euo pipefail

find_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
    done | sort -V | tail -n 1
}

as_server_user() {
    # From / : the postgres user may not be allowed into the checkout's folder.
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

start() {
    local bindir port dir
    bindir="$(find_bindir)"
    if [ -z "$bindir" ]; then
        echo "installing postgresql (apt-get)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bindir="$(find_bindir)"
    fi
    [ -n "$bindir" ] || { echo "no PostgreSQL server binaries found" >&2; exit 1; }
    dir="$(mktemp -d /tmp/bluebook-pg.XXXXXX)"
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --no-instructions >/dev/null
    as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
    echo "export PGTEST_DIR=$dir PGTEST_BIN=$bindir"
    echo "export BLUEBOOK_TEST_POSTGRESQL=postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
    local dir="$1" bindir
    bindir="$(find_bindir)"
    as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:?usage: postgres.sh stop DIR}" ;;
    *) echo "usage: postgres.sh start | stop DIR" >&2; exit 2 ;;
esac
