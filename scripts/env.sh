# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Sourced by every script: finds Odoo 18, the repository paths and the
# database connection. Configuration (all optional):
#   ODOO_PYTHON   python interpreter on which `import odoo` works (default: the
#                 one of .run/venv when scripts/install_odoo.sh made it, else python3)
#   DEALER_INSTALL_ODOO=1  install Odoo into .run/ without asking when python3
#                 cannot import it (also in CI); 0 never
#   DEALER_DB     database served by `make run` (default: dealer)
#   DEALER_TEST_DB database rebuilt by `make test` (default: dealer_test)
#   HTTP_PORT     web client port for `make run` (default: 8069)
#   PGHOST/PGPORT/PGUSER/PGPASSWORD, or db_host/db_user in odoo.conf:
#                 use that PostgreSQL server instead of the private cluster.
#   DEALER_PG_PORT port (socket name) of the private cluster (default: 5432)
#   DEALER_REPLICA=1 also run a streaming replica of the private cluster
#                 (scripts/pg.sh replica-start) and let Odoo read from it
#                 (db_replica_host); DEALER_PG_REPLICA_PORT its port (default:
#                 the cluster's port + 1)
#   DEALER_RUN_DIR folder of everything the scripts create (default: .run)

# shellcheck shell=bash disable=SC2034  # sourced: its variables serve the scripts
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${DEALER_RUN_DIR:-$REPO_ROOT/.run}"
ADDONS_DIR="$REPO_ROOT/addons"
ODOO_CONF="$REPO_ROOT/odoo.conf"
DEALER_MODULES="dealer_loyalty,dealer_membership,dealer_csi"
DEALER_DB="${DEALER_DB:-dealer}"
DEALER_TEST_DB="${DEALER_TEST_DB:-dealer_test}"
HTTP_PORT="${HTTP_PORT:-8069}"
# Where scripts/install_odoo.sh puts Odoo when python3 cannot import it.
ODOO_SRC_DIR="$RUN_DIR/odoo"
ODOO_VENV="$RUN_DIR/venv"
ODOO_PYTHON_GIVEN="${ODOO_PYTHON:+1}"
if [ -z "${ODOO_PYTHON:-}" ]; then
    ODOO_PYTHON=python3
    [ -x "$ODOO_VENV/bin/python" ] && ODOO_PYTHON="$ODOO_VENV/bin/python"
fi
mkdir -p "$RUN_DIR"

die() {
    echo "error: $*" >&2
    exit 1
}

odoo_version() {
    "$ODOO_PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null
}

# Whether to install Odoo into .run/: DEALER_INSTALL_ODOO=1 (or CI) says yes,
# DEALER_INSTALL_ODOO=0 no; otherwise a person at a terminal is asked.
install_odoo_allowed() {
    local answer
    case "${DEALER_INSTALL_ODOO:-}" in
    1 | yes | true) return 0 ;;
    0 | no | false) return 1 ;;
    esac
    [ -n "${CI:-}" ] && return 0
    [ -t 0 ] || return 1
    read -r -p "Odoo 18 is not importable by python3. Install it into $RUN_DIR (Odoo's 18.0 source, a virtual environment with its requirements, wkhtmltopdf)? [Y/n] " answer
    case "$answer" in "" | [Yy]*) return 0 ;; *) return 1 ;; esac
}

require_odoo() {
    local version
    if ! version="$(odoo_version)"; then
        # Offered only when nobody chose the interpreter: ODOO_PYTHON=... is meant as given.
        if [ -z "$ODOO_PYTHON_GIVEN" ] && install_odoo_allowed; then
            bash "$REPO_ROOT/scripts/install_odoo.sh" || die "installing Odoo failed (see above)"
            ODOO_PYTHON="$ODOO_VENV/bin/python"
            version="$(odoo_version)" || die "Odoo does not import after its installation into $RUN_DIR"
        elif [ -n "$ODOO_PYTHON_GIVEN" ]; then
            die "Odoo 18 is not importable by ODOO_PYTHON='$ODOO_PYTHON': point it at a python that imports Odoo 18.0, or unset it to have Odoo installed into $RUN_DIR (see README.md)."
        else
            die "Odoo 18 is not importable by '$ODOO_PYTHON': run again with DEALER_INSTALL_ODOO=1 to install it into $RUN_DIR, put an Odoo 18.0 source checkout on its path (e.g. a .pth file in site-packages, or ODOO_PYTHON=/path/to/python), or use 'docker compose up' (see README.md)."
        fi
    fi
    [ "$version" = "18" ] || die "'$ODOO_PYTHON' imports Odoo $version, but Dealer Loyalty Suite needs Odoo 18.0: point ODOO_PYTHON at a python with Odoo 18, or use 'docker compose up' (see README.md)."
}

# Python packages the addons and their tests need, installed only when missing
# so that a machine with everything in place never touches the network.
ensure_python_packages() {
    local requirements="$1"
    if ! "$ODOO_PYTHON" "$REPO_ROOT/scripts/missing_requirements.py" "$requirements"; then
        echo "Installing Python packages from $(basename "$requirements") ..."
        PIP_BREAK_SYSTEM_PACKAGES=1 "$ODOO_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    fi
}

# Letters, cards and reports in Chinese need a CJK font for wkhtmltopdf:
# Debian's default fonts have none, so the printouts would show empty boxes.
ensure_cjk_font() {
    command -v fc-list >/dev/null || return 0
    [ -n "$(fc-list :lang=zh 2>/dev/null | head -n1)" ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing a Chinese font for the printouts (Debian's fonts-wqy-microhei) ..."
        apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
    else
        echo "warning: no Chinese font: Chinese printouts will show boxes (install fonts-wqy-microhei or fonts-noto-cjk)" >&2
    fi
}

conf_value() {
    # conf_value KEY: the value of KEY in odoo.conf, empty when unset or False.
    local value
    value="$(sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ODOO_CONF" | tail -n1)"
    case "$value" in False | false | "") echo "" ;; *) echo "$value" ;; esac
}

external_database_configured() {
    [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ] || [ -n "$(conf_value db_host)$(conf_value db_user)" ]
}

# Arguments that point Odoo at the database server: none when odoo.conf or
# the PG* variables configure one, the private cluster's socket otherwise.
db_args() {
    if external_database_configured; then
        [ -n "${PGHOST:-}" ] && printf -- '--db_host=%s\n' "$PGHOST"
        [ -n "${PGPORT:-}" ] && printf -- '--db_port=%s\n' "$PGPORT"
        [ -n "${PGUSER:-}" ] && printf -- '--db_user=%s\n' "$PGUSER"
        [ -n "${PGPASSWORD:-}" ] && printf -- '--db_password=%s\n' "$PGPASSWORD"
        return 0
    fi
    printf -- '--db_host=%s\n--db_port=%s\n--db_user=%s\n' "$PG_SOCKET_DIR" "$PG_PORT" "$PG_ROLE"
    if replica_wanted; then
        printf -- '--db_replica_host=%s\n--db_replica_port=%s\n' "$PG_SOCKET_DIR" "$PG_REPLICA_PORT"
    fi
}

replica_wanted() {
    case "${DEALER_REPLICA:-0}" in 1 | yes | true) return 0 ;; *) return 1 ;; esac
}

# The cluster lives in .run/ unless the "postgres" user (which runs it when we
# are root) cannot reach that folder, or its socket path would be too long for
# Unix sockets (107 bytes): then in a folder of its own per checkout.
PG_HOME="$RUN_DIR"
pg_home_key="$REPO_ROOT${DEALER_RUN_DIR:+:$RUN_DIR}"
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$RUN_DIR" 2>/dev/null; then
    PG_HOME="/var/lib/dealer-loyalty/$(printf %s "$pg_home_key" | sha1sum | cut -c1-12)"
elif [ "${#RUN_DIR}" -gt 80 ]; then
    PG_HOME="${TMPDIR:-/tmp}/dealer-loyalty-$(printf %s "$pg_home_key" | sha1sum | cut -c1-12)"
fi
PG_DATA_DIR="$PG_HOME/pgdata"
PG_SOCKET_DIR="$PG_HOME/pgsocket"
PG_PORT="${DEALER_PG_PORT:-5432}"
# The streaming replica of `scripts/pg.sh replica-start`: same socket folder, next port.
PG_REPLICA_DATA_DIR="$PG_HOME/pgreplica"
PG_REPLICA_PORT="${DEALER_PG_REPLICA_PORT:-$((PG_PORT + 1))}"
# The cluster's superuser, for the scripts' own chores (roles, ownership), and
# the role Odoo connects as: no superuser, allowed to create databases. Their
# passwords are in libpq's password file next to the cluster.
PG_SUPERUSER="dealer"
PG_ROLE="odoo"
PG_PASSFILE="$PG_HOME/pgpass"
if ! external_database_configured; then
    export PGPASSFILE="$PG_PASSFILE"
fi

db_tools() {
    # db_tools COMMAND ARGS...: see scripts/db_tools.py
    local -a args
    mapfile -t args < <(db_args)
    "$ODOO_PYTHON" "$REPO_ROOT/scripts/db_tools.py" "$@" "${args[@]}" --data_dir="$RUN_DIR/data"
}

odoo_cmd() {
    # odoo_cmd [SUBCOMMAND] ARGS...: run Odoo (server, shell...) with the project's configuration.
    local -a args subcommand=()
    mapfile -t args < <(db_args)
    case "${1:-}" in shell | populate | neutralize) subcommand=("$1"); shift ;; esac
    "$ODOO_PYTHON" -m odoo "${subcommand[@]}" -c "$ODOO_CONF" --addons-path="$ADDONS_DIR" \
        --data-dir="$RUN_DIR/data" "${args[@]}" "$@"
}
