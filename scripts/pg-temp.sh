#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, reachable only from this machine.
#
#   scripts/pg-temp.sh start DIR   create a cluster in DIR, start it on 127.0.0.1 and a free port,
#                                  write DIR/url and print DATABASE_URL=...
#   scripts/pg-temp.sh env DIR     print `export DATABASE_URL=...` for a running cluster (eval it)
#   scripts/pg-temp.sh stop DIR    stop the server and delete DIR (safe to call twice)
#
# Authentication is "trust" (no password) for connections over loopback and the socket in DIR;
# the cluster has fsync off and lives only as long as DIR. Works as root (the server then runs as
# the `postgres` user through runuser, created if missing) and as an ordinary user.
set -euo pipefail

die() { echo "pg-temp: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 start|stop|env DIR"
cmd=$1
dir=$2
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac

# Debian keeps the server binaries outside PATH; prefer version 15 there, else whatever PATH has.
find_bindir() {
    if [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then echo /usr/lib/postgresql/15/bin; return; fi
    local p
    p=$(command -v pg_ctl 2>/dev/null) || die "pg_ctl not found: install postgresql-15 (make system-deps)"
    dirname "$(readlink -f "$p")"
}

# Run a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local bin port url attempt
    bin=$(find_bindir)
    [ -e "$dir/data/PG_VERSION" ] && die "$dir already holds a cluster; stop it first"
    mkdir -p "$dir"
    [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres
        fi
        chown postgres: "$dir"
        chmod 700 "$dir"
        runuser -u postgres -- test -w "$dir" \
            || die "user postgres cannot write $dir (a parent directory is not searchable?)"
    fi
    touch "$dir/.pg-temp"  # marks DIR as ours, so that stop may delete it
    as_owner mkdir -p "$dir/data" "$dir/sock"
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    # The port is free when we look; if another process takes it first, try another.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir/sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
            start >/dev/null; then
            url="postgresql://postgres@127.0.0.1:$port/postgres"
            echo "$url" >"$dir/url"
            echo "$port" >"$dir/port"
            echo "pg-temp: $("$bin/postgres" --version) running in $dir on 127.0.0.1:$port" >&2
            echo "DATABASE_URL=$url"
            return 0
        fi
        echo "pg-temp: start on port $port failed (attempt $attempt):" >&2
        tail -n 5 "$dir/server.log" >&2 || true
    done
    die "could not start PostgreSQL; see $dir/server.log"
}

stop() {
    [ -d "$dir" ] || return 0
    [ -e "$dir/.pg-temp" ] || die "$dir was not made by pg-temp.sh start; not touching it"
    if [ -f "$dir/data/postmaster.pid" ]; then
        local bin pid
        bin=$(find_bindir)
        as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --timeout=30 stop >/dev/null 2>&1 || true
        if [ -f "$dir/data/postmaster.pid" ]; then  # pg_ctl could not do it: end the postmaster ourselves
            pid=$(head -n 1 "$dir/data/postmaster.pid")
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf -- "$dir"
    echo "pg-temp: stopped and removed $dir" >&2
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    env)
        [ -f "$dir/url" ] || die "no cluster in $dir (run: $0 start $dir)"
        echo "export DATABASE_URL=$(cat "$dir/url")"
        ;;
    *) die "usage: $0 start|stop|env DIR" ;;
esac
