#!/usr/bin/env bash
# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Private PostgreSQL cluster for development and tests: lives in .run/pgdata,
# listens on a Unix socket in .run/pgsocket only and runs at PostgreSQL's
# durable defaults. Every role logs in with a password (SCRAM); the passwords
# are generated on creation and kept in .run/pgpass, libpq's password file,
# which the scripts point PGPASSFILE at. Two roles:
#   dealer  the cluster's superuser, for this script's chores only
#   odoo    the role Odoo connects as: no superuser, may create databases
# A cluster made by an earlier version of this script (trust authentication,
# Odoo connecting as the superuser) is converted on its next start: the role
# odoo is created and given the databases, and the passwords are enforced.
# A streaming replica of the cluster (pg_basebackup, hot standby) can run beside
# it, on the same socket folder and the next port: Odoo's read-only cursors
# (analyses, dashboards, reports) then read from it (db_replica_host), see
# README.md, "Dealership groups".
# Usage: scripts/pg.sh start|stop|status|psql [PSQL ARGS]|replica-start|replica-stop|replica-status
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

server_options() {
    # server_options [PORT]
    # listen_addresses='' means no TCP at all: only the socket in .run/pgsocket.
    # Nothing else is set: synchronous_commit, fsync and full_page_writes stay
    # on, so a transaction Odoo reported as committed survives a crash.
    printf "%s" "-c listen_addresses='' -c unix_socket_directories='$PG_SOCKET_DIR' -p ${1:-$PG_PORT}"
}

pg_password() {
    # pg_password ROLE: the role's password from the password file.
    sed -n "s/^\*:\*:\*:$1://p" "$PG_PASSFILE"
}

new_password() {
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

ensure_password_file() {
    [ -s "$PG_PASSFILE" ] && return 0
    (
        umask 077
        printf '*:*:*:%s:%s\n' "$PG_SUPERUSER" "$(new_password)" "$PG_ROLE" "$(new_password)" >"$PG_PASSFILE"
    )
}

psql_admin() {
    # psql_admin DATABASE [PSQL ARGS]: psql as the cluster's superuser.
    local database="$1"
    shift
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" -d "$database" "$@"
}

write_hba() {
    as_cluster_owner tee "$PG_DATA_DIR/pg_hba.conf" >/dev/null <<'HBA'
# Written by scripts/pg.sh. The cluster listens on its Unix socket only, and
# every role logs in with its password (SCRAM), kept in the pgpass file.
# TYPE  DATABASE     USER    METHOD
local   all          all     scram-sha-256
local   replication  dealer  scram-sha-256
HBA
}

create_cluster() {
    echo "Creating the private PostgreSQL cluster in $PG_DATA_DIR ..."
    mkdir -p "$PG_DATA_DIR"
    ensure_password_file
    # initdb reads the superuser's password from a file the cluster owner can read.
    local pwfile="$PG_HOME/initdb-password"
    (umask 077 && pg_password "$PG_SUPERUSER" >"$pwfile")
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA_DIR" "$pwfile"; fi
    as_cluster_owner "$PG_BIN/initdb" --pgdata="$PG_DATA_DIR" --username="$PG_SUPERUSER" \
        --pwfile="$pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
        || { rm -f "$pwfile"; die "initdb failed"; }
    rm -f "$pwfile"
    write_hba
}

# Gives the role Odoo connects as the databases the superuser owns, which a
# cluster of the earlier scripts has (Odoo connected as the superuser then):
# the database and every table, view, sequence, routine and type in it,
# except the objects of extensions.
adopt_databases() {
    local database
    while IFS= read -r database; do
        [ -n "$database" ] || continue
        echo "Handing database '$database' over to the role $PG_ROLE ..."
        psql_admin "$database" -v role="$PG_ROLE" <<'SQL'
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'role')
\gexec
CREATE TEMPORARY TABLE adopt_owner AS SELECT oid FROM pg_roles WHERE rolname = current_user;
SELECT format('ALTER SCHEMA %I OWNER TO %I', nspname, :'role')
  FROM pg_namespace
 WHERE nspowner = (SELECT oid FROM adopt_owner)
   AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'
\gexec
-- A table's indexes, row type and serial sequences follow it.
SELECT format('ALTER %s %I.%I OWNER TO %I',
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                             WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
              n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relowner = (SELECT oid FROM adopt_owner) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
   AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
   AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
\gexec
SELECT format('ALTER SEQUENCE %I.%I OWNER TO %I', n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relowner = (SELECT oid FROM adopt_owner) AND c.relkind = 'S'
   AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
   AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
\gexec
SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, :'role')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.proowner = (SELECT oid FROM adopt_owner)
   AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
   AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
\gexec
SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,
              t.oid::regtype, :'role')
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.typowner = (SELECT oid FROM adopt_owner)
   AND (t.typtype IN ('d', 'e', 'r')
        OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
   AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
   AND NOT EXISTS (SELECT FROM pg_depend d
                    WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
\gexec
SQL
    done < <(psql_admin postgres -At -c "SELECT datname FROM pg_database
        WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          AND datallowconn AND NOT datistemplate AND datname <> 'postgres' ORDER BY datname")
}

# Sets the roles' passwords from the password file and creates the role Odoo
# connects as when it is missing; on a cluster of the earlier scripts (trust
# authentication) also hands it the databases and enforces the passwords.
secure_cluster() {
    local superuser_password role_password
    superuser_password="$(pg_password "$PG_SUPERUSER")"
    role_password="$(pg_password "$PG_ROLE")"
    if [ -z "$superuser_password" ] || [ -z "$role_password" ]; then
        die "$PG_PASSFILE lacks the password of '$PG_SUPERUSER' or '$PG_ROLE': restore it, or stop the cluster and delete $PG_DATA_DIR to start afresh."
    fi
    # The passwords travel on stdin, never on a command line.
    psql_admin postgres <<SQL || die "the cluster refused the superuser '$PG_SUPERUSER' (see $PG_DATA_DIR/server.log): restore $PG_PASSFILE, or stop the cluster and delete $PG_DATA_DIR to start afresh."
SET client_min_messages = warning;
ALTER ROLE "$PG_SUPERUSER" PASSWORD '$superuser_password';
DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
        CREATE ROLE "$PG_ROLE" LOGIN;
    END IF;
END \$\$;
ALTER ROLE "$PG_ROLE" WITH LOGIN NOSUPERUSER CREATEDB NOCREATEROLE PASSWORD '$role_password';
SQL
    adopt_databases
    if ! grep -q '^# Written by scripts/pg.sh' "$PG_DATA_DIR/pg_hba.conf"; then
        echo "Requiring passwords (SCRAM) on the private cluster from now on ..."
        write_hba
        psql_admin postgres -At -c "SELECT pg_reload_conf()" >/dev/null
    fi
}

cluster_running() {
    as_cluster_owner "$PG_BIN/pg_ctl" status --pgdata="$PG_DATA_DIR" >/dev/null 2>&1
}

pg_start() {
    if external_database_configured; then
        echo "Using the PostgreSQL server configured in odoo.conf or PG* variables."
        return 0
    fi
    ensure_pg_binaries
    PG_BIN="$(pg_bin_dir)"
    mkdir -p "$PG_SOCKET_DIR"
    if [ "$PG_HOME" != "$RUN_DIR" ]; then chmod 755 "$PG_HOME"; fi
    if [ ! -s "$PG_DATA_DIR/PG_VERSION" ]; then
        create_cluster
    elif [ ! -s "$PG_PASSFILE" ]; then
        # Only a cluster of the earlier scripts, still on trust, may get new passwords.
        grep -Eq '^[[:space:]]*local[[:space:]].*trust' "$PG_DATA_DIR/pg_hba.conf" \
            || die "$PG_PASSFILE is missing: restore it, or stop the cluster and delete $PG_DATA_DIR to start afresh."
        ensure_password_file
    fi
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_SOCKET_DIR"; fi
    local restart=""
    if cluster_running; then
        # The earlier scripts started the server with synchronous_commit=off.
        if [ "$(psql_admin postgres -At -c "SELECT setting || ' ' || source FROM pg_settings
                WHERE name = 'synchronous_commit'")" = "off command line" ]; then
            restart=1
        fi
    else
        as_cluster_owner "$PG_BIN/pg_ctl" start --pgdata="$PG_DATA_DIR" --wait --silent \
            --log="$PG_DATA_DIR/server.log" -o "$(server_options)" \
            || die "PostgreSQL did not start: see $PG_DATA_DIR/server.log"
    fi
    secure_cluster
    if [ -n "$restart" ]; then
        echo "Restarting PostgreSQL once at its durable defaults (synchronous_commit on) ..."
        as_cluster_owner "$PG_BIN/pg_ctl" restart --pgdata="$PG_DATA_DIR" --mode=fast --wait --silent \
            --log="$PG_DATA_DIR/server.log" \
            -o "$(server_options)" || die "PostgreSQL did not restart: see $PG_DATA_DIR/server.log"
    fi
}

pg_stop() {
    external_database_configured && return 0
    [ -s "$PG_DATA_DIR/PG_VERSION" ] || return 0
    PG_BIN="$(pg_bin_dir)" || return 0
    if cluster_running; then
        as_cluster_owner "$PG_BIN/pg_ctl" stop --pgdata="$PG_DATA_DIR" --mode=fast --wait --silent
        echo "PostgreSQL stopped."
    fi
}

pg_psql() {
    # psql on the private cluster as the role Odoo connects as, e.g. scripts/pg.sh psql dealer
    external_database_configured && exec psql "$@"
    PG_BIN="$(pg_bin_dir)" || die "PostgreSQL is not installed"
    exec "$PG_BIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$PG_ROLE" "$@"
}

replica_running() {
    [ -s "$PG_REPLICA_DATA_DIR/PG_VERSION" ] \
        && as_cluster_owner "$PG_BIN/pg_ctl" status --pgdata="$PG_REPLICA_DATA_DIR" >/dev/null 2>&1
}

replica_start() {
    external_database_configured \
        && die "the replica copies the private cluster; with your own PostgreSQL server, set up its replica there and set db_replica_host in odoo.conf."
    pg_start
    PG_BIN="$(pg_bin_dir)"
    replica_running && return 0
    if ! grep -Eq '^local[[:space:]]+replication[[:space:]]' "$PG_DATA_DIR/pg_hba.conf"; then
        # A cluster of the earlier scripts refuses replication connections.
        echo "local   replication  $PG_SUPERUSER  scram-sha-256" | as_cluster_owner tee -a "$PG_DATA_DIR/pg_hba.conf" >/dev/null
        psql_admin postgres -At -c "SELECT pg_reload_conf()" >/dev/null
    fi
    if [ ! -s "$PG_REPLICA_DATA_DIR/PG_VERSION" ]; then
        echo "Copying the private cluster into its replica in $PG_REPLICA_DATA_DIR (pg_basebackup) ..."
        rm -rf "$PG_REPLICA_DATA_DIR"
        mkdir -p "$PG_REPLICA_DATA_DIR"
        chmod 700 "$PG_REPLICA_DATA_DIR"
        if [ "$(id -u)" = 0 ]; then chown postgres "$PG_REPLICA_DATA_DIR"; fi
        # The password travels in the environment, never on a command line;
        # --write-recovery-conf keeps it in the replica's postgresql.auto.conf
        # (readable by the cluster's owner only), for streaming after restarts.
        PGPASSWORD="$(pg_password "$PG_SUPERUSER")" as_cluster_owner "$PG_BIN/pg_basebackup" \
            --pgdata="$PG_REPLICA_DATA_DIR" --host="$PG_SOCKET_DIR" --port="$PG_PORT" \
            --username="$PG_SUPERUSER" --no-password --write-recovery-conf --wal-method=stream \
            --checkpoint=fast \
            || { rm -rf "$PG_REPLICA_DATA_DIR"; die "pg_basebackup failed (see $PG_DATA_DIR/server.log)"; }
    fi
    echo "Starting the replica on port $PG_REPLICA_PORT ..."
    as_cluster_owner "$PG_BIN/pg_ctl" start --pgdata="$PG_REPLICA_DATA_DIR" --wait --silent \
        --log="$PG_REPLICA_DATA_DIR/server.log" -o "$(server_options "$PG_REPLICA_PORT") -c hot_standby=on" \
        || die "the replica did not start: see $PG_REPLICA_DATA_DIR/server.log"
}

replica_stop() {
    [ -s "$PG_REPLICA_DATA_DIR/PG_VERSION" ] || return 0
    PG_BIN="$(pg_bin_dir)" || return 0
    if replica_running; then
        as_cluster_owner "$PG_BIN/pg_ctl" stop --pgdata="$PG_REPLICA_DATA_DIR" --mode=fast --wait --silent
        echo "PostgreSQL replica stopped."
    fi
}

case "${1:-}" in
start) pg_start ;;
replica-start) replica_start ;;
replica-stop) replica_stop ;;
replica-status) PG_BIN="$(pg_bin_dir)" && as_cluster_owner "$PG_BIN/pg_ctl" status --pgdata="$PG_REPLICA_DATA_DIR" ;;
stop) replica_stop && pg_stop ;;
status) PG_BIN="$(pg_bin_dir)" && as_cluster_owner "$PG_BIN/pg_ctl" status --pgdata="$PG_DATA_DIR" ;;
psql) shift && pg_psql "$@" ;;
*) die "usage: scripts/pg.sh start|stop|status|psql [PSQL ARGS]|replica-start|replica-stop|replica-status" ;;
esac
