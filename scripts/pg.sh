#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Private PostgreSQL cluster for development and tests: lives in .run/pgdata,
# listens on a Unix socket in .run/pgsocket only, and has a dedicated
# superuser role "dealer" (Odoo refuses to connect as "postgres").
# Usage: scripts/pg.sh start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

pg_bin_dir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
    return 1
}

ensure_pg_binaries() {
    pg_bin_dir >/dev/null && return 0
    [ "$(id -u)" = 0 ] || die "PostgreSQL server binaries are missing: install Debian's 'postgresql' package (sudo apt-get install postgresql)."
    echo "Installing Debian's postgresql package ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pg_bin_dir >/dev/null || die "PostgreSQL could not be installed."
}

# initdb and postgres refuse to run as root: run them as the "postgres"
# system user (created by Debian's package) when we are root.
as_cluster_owner() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    if external_database_configured; then
        echo "Using the PostgreSQL server configured in odoo.conf or PG* variables."
        return 0
    fi
    ensure_pg_binaries
    local bin
    bin="$(pg_bin_dir)"
    mkdir -p "$PG_SOCKET_DIR"
    if [ "$PG_HOME" != "$RUN_DIR" ]; then chmod 755 "$PG_HOME"; fi
    if [ ! -s "$PG_DATA_DIR/PG_VERSION" ]; then
        echo "Creating the private PostgreSQL cluster in $PG_DATA_DIR ..."
        mkdir -p "$PG_DATA_DIR"
        if [ "$(id -u)" = 0 ]; then
            id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
            chown postgres "$PG_DATA_DIR"
        fi
        as_cluster_owner "$bin/initdb" --pgdata="$PG_DATA_DIR" --username="$PG_ROLE" \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_SOCKET_DIR"; fi
    if as_cluster_owner "$bin/pg_ctl" status --pgdata="$PG_DATA_DIR" >/dev/null 2>&1; then
        return 0
    fi
    # listen_addresses='' means no TCP at all: only the socket in .run/pgsocket.
    as_cluster_owner "$bin/pg_ctl" start --pgdata="$PG_DATA_DIR" --wait --silent \
        --log="$PG_DATA_DIR/server.log" \
        -o "-c listen_addresses='' -c unix_socket_directories='$PG_SOCKET_DIR' -p $PG_PORT -c synchronous_commit=off" \
        || die "PostgreSQL did not start: see $PG_DATA_DIR/server.log"
}

pg_stop() {
    external_database_configured && return 0
    [ -s "$PG_DATA_DIR/PG_VERSION" ] || return 0
    local bin
    bin="$(pg_bin_dir)" || return 0
    if as_cluster_owner "$bin/pg_ctl" status --pgdata="$PG_DATA_DIR" >/dev/null 2>&1; then
        as_cluster_owner "$bin/pg_ctl" stop --pgdata="$PG_DATA_DIR" --mode=fast --wait --silent
        echo "PostgreSQL stopped."
    fi
}

case "${1:-}" in
start) pg_start ;;
stop) pg_stop ;;
status) bin="$(pg_bin_dir)" && as_cluster_owner "$bin/pg_ctl" status --pgdata="$PG_DATA_DIR" ;;
*) die "usage: scripts/pg.sh start|stop|status" ;;
esac
