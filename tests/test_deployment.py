# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a deployment gets: the docker compose production defaults, and the
private PostgreSQL cluster of `make run` / `make test`.

Docker is not needed: docker-compose.yml is read with PyYAML and its
variables are filled in from .env files as compose does, and Odoo's
configuration is rendered by the very script the containers run. The cluster
tests start clusters of their own (scratch folder, scratch socket port)
through scripts/pg.sh, and stop and delete them afterwards.
"""

import configparser
import io
import os
import random
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
REQUIRED = (
    "DEALER_SITE_ADDRESS",
    "ODOO_MASTER_PASSWORD",
    "ODOO_ADMIN_PASSWORD",
    "ODOO_DB_PASSWORD",
    "POSTGRES_PASSWORD",
)
ODOO_SERVICES = ("odoo-init", "odoo")


class MissingVariable(Exception):
    pass


def read_env_file(path):
    """The variables of a compose .env file (KEY=VALUE lines, # comments)."""
    env = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _sep, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)")


def interpolate(value, env):
    """Compose's variable syntax: $$, ${VAR}, ${VAR:-default}, ${VAR-default},
    ${VAR:?error}, ${VAR?error}."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(4)
        operator, argument = match.group(2), match.group(3)
        current = env.get(name)
        if operator == ":-":
            return current or argument
        if operator == "-":
            return argument if current is None else current
        if operator == ":?" and not current or operator == "?" and current is None:
            raise MissingVariable(f"{name}: {argument}")
        return current or ""

    return _VARIABLE.sub(replace, value)


def render_compose(env):
    def walk(node):
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(value) for value in node]
        if isinstance(node, str):
            return interpolate(node, env)
        return node

    return walk(yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8")))


def filled_env(**overrides):
    """.env.example as an administrator fills it in: every value set, new passwords."""
    env = read_env_file(REPO / ".env.example")
    env.update({name: secrets.token_hex(16) for name in REQUIRED}, DEALER_SITE_ADDRESS=":80")
    env.update(overrides)
    return env


def render_odoo_config(environment):
    """The configuration the Odoo containers start with, from their environment."""
    result = subprocess.run(
        ["bash", str(REPO / "docker" / "odoo-config.sh")],
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    parser = configparser.RawConfigParser()
    parser.read_string(result.stdout)
    return parser["options"]


def test_compose_refuses_to_start_without_its_settings():
    shipped = read_env_file(REPO / ".env.example")
    for name in REQUIRED:
        assert not shipped.get(name), f".env.example must not ship a value for {name}"
        with pytest.raises(MissingVariable, match=name):
            render_compose(filled_env(**{name: ""}))
    # docker/odoo-config.sh refuses too, should the container get no master password.
    result = subprocess.run(
        ["bash", str(REPO / "docker" / "odoo-config.sh")],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "ODOO_MASTER_PASSWORD" in result.stderr


def test_compose_production_defaults():
    env = filled_env()
    compose = render_compose(env)
    services = compose["services"]

    published = {name: service["ports"] for name, service in services.items() if service.get("ports")}
    assert list(published) == ["proxy"], "only the reverse proxy may publish ports"
    assert {port.split(":")[-1] for port in published["proxy"]} <= {"80", "443"}

    passwords = {env[name] for name in REQUIRED if name.endswith("PASSWORD")}
    for name, service in services.items():
        for key, value in (service.get("environment") or {}).items():
            if key == "ODOO_REPLICATION_PASSWORD":  # the group profile's, empty without it
                assert value == env[key] == ""
            elif "PASSWORD" in key:
                assert value in passwords, f"{name}: {key} does not come from .env"
    assert services["odoo"]["environment"]["USER"] == "odoo"
    assert "POSTGRES_USER" not in services["db"]["environment"], "Odoo's role must not be the superuser"
    assert services["odoo-init"]["environment"]["ODOO_ADMIN_PASSWORD"] == env["ODOO_ADMIN_PASSWORD"]

    for name in ODOO_SERVICES:
        environment = services[name]["environment"]
        assert environment["DEALER_DEMO"] == "0", "demo data must be asked for"
        options = render_odoo_config(environment)
        assert options["without_demo"] == "all"
        assert options["admin_passwd"] == env["ODOO_MASTER_PASSWORD"]
        assert options["list_db"] == "False"
        assert options["proxy_mode"] == "True"
        assert int(options["workers"]) > 0
        assert int(options["max_cron_threads"]) == 1
        for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
            assert int(options[limit]) > 0, limit
        assert options["dbfilter"] == "^dealer$"

        assert "db_replica_host" not in options, "no replica without the group profile"

    # The proxy sends the websocket to Odoo's gevent worker, the rest to the HTTP workers.
    caddyfile = (REPO / "docker" / "Caddyfile").read_text(encoding="utf-8")
    assert re.search(r"^\s*reverse_proxy /websocket\* \{\$DEALER_ODOO_WEBSOCKETS\} \{$", caddyfile, re.M)
    assert re.search(r"^\s*reverse_proxy \{\$DEALER_ODOO_UPSTREAMS\} \{$", caddyfile, re.M)
    proxy = services["proxy"]["environment"]
    assert (proxy["DEALER_ODOO_UPSTREAMS"], proxy["DEALER_ODOO_WEBSOCKETS"]) == ("odoo:8069", "odoo:8072")


def test_compose_group_profile():
    group = {
        "ODOO_REPLICATION_PASSWORD": secrets.token_hex(16),
        "DEALER_DB_REPLICA_HOST": "db-replica",
        "DEALER_ODOO_UPSTREAMS": "odoo:8069 odoo-2:8069",
        "DEALER_ODOO_WEBSOCKETS": "odoo:8072 odoo-2:8072",
    }
    services = render_compose(filled_env(**group))["services"]
    assert services["db-replica"]["profiles"] == services["odoo-2"]["profiles"] == ["group"]
    assert not services["db-replica"].get("ports") and not services["odoo-2"].get("ports")
    password = group["ODOO_REPLICATION_PASSWORD"]
    assert services["db"]["environment"]["ODOO_REPLICATION_PASSWORD"] == password
    assert services["db-replica"]["environment"]["ODOO_REPLICATION_PASSWORD"] == password
    # Both Odoo services read from the replica; only the first runs the scheduled jobs.
    first = render_odoo_config(services["odoo"]["environment"])
    second = render_odoo_config(services["odoo-2"]["environment"])
    assert first["db_replica_host"] == second["db_replica_host"] == "db-replica"
    assert (int(first["max_cron_threads"]), int(second["max_cron_threads"])) == (1, 0)
    assert services["proxy"]["environment"]["DEALER_ODOO_UPSTREAMS"] == "odoo:8069 odoo-2:8069"
    # The replica refuses to start without its password rather than stream unauthenticated.
    result = subprocess.run(
        ["bash", str(REPO / "docker" / "postgres-replica.sh")],
        env={"PATH": os.environ["PATH"], "PRIMARY_HOST": "db", "PGDATA": "/nonexistent"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "ODOO_REPLICATION_PASSWORD" in result.stderr
    # A replica host or cron count that is not one cannot slip options into Odoo's configuration.
    for bad in (
        {"DEALER_DB_REPLICA_HOST": "db\nadmin_passwd = x"},
        {"DEALER_CRON_THREADS": "1\nlist_db = True"},
    ):
        result = subprocess.run(
            ["bash", str(REPO / "docker" / "odoo-config.sh")],
            env={"PATH": os.environ["PATH"], "ODOO_MASTER_PASSWORD": "x", **bad},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0, bad


def test_compose_demo_only_when_asked():
    compose = render_compose(filled_env(DEALER_DEMO="1"))
    options = render_odoo_config(compose["services"]["odoo-init"]["environment"])
    assert "without_demo" not in options


# -- the private cluster of make run / make test ----------------------------

EARLIER_CLUSTER = r"""
# What scripts/pg.sh did before its clusters required passwords: trust
# authentication, Odoo as the superuser "dealer", synchronous_commit off.
source scripts/env.sh
bin="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | head -n1 || command -v pg_ctl)")"
owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$PG_DATA_DIR" "$PG_SOCKET_DIR"
if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA_DIR" "$PG_SOCKET_DIR"; chmod 755 "$PG_HOME"; fi
owner "$bin/initdb" --pgdata="$PG_DATA_DIR" --username=dealer --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
owner "$bin/pg_ctl" start --pgdata="$PG_DATA_DIR" --wait --silent --log="$PG_DATA_DIR/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$PG_SOCKET_DIR' -p $PG_PORT -c synchronous_commit=off"
"""


@pytest.fixture
def cluster(tmp_path):
    """Environment and paths of a private cluster of its own, stopped and deleted afterwards."""
    if not (shutil.which("pg_ctl") or list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))):
        # make test installs them for its own cluster; the docker "test" service uses the db service.
        pytest.skip("PostgreSQL's server binaries are not installed: no private cluster to test")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(DEALER_RUN_DIR=str(tmp_path / "run"), DEALER_PG_PORT=str(random.randint(20000, 29999)))
    paths = subprocess.run(
        ["bash", "-c", 'source scripts/env.sh && printf "%s\\n" "$PG_HOME" "$PG_SOCKET_DIR" "$PG_PASSFILE"'],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    info = {
        "env": env,
        "home": Path(paths[0]),
        "socket": paths[1],
        "passfile": paths[2],
        "port": env["DEALER_PG_PORT"],
    }
    yield info
    subprocess.run(["bash", "scripts/pg.sh", "stop"], cwd=REPO, env=env, capture_output=True, check=False)
    shutil.rmtree(info["home"], ignore_errors=True)


def pg_sh(cluster, *args):
    result = subprocess.run(
        ["bash", "scripts/pg.sh", *args],
        cwd=REPO,
        env=cluster["env"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def connect(cluster, user="odoo", dbname="postgres", passfile=None):
    connection = psycopg2.connect(
        host=cluster["socket"],
        port=cluster["port"],
        user=user,
        dbname=dbname,
        passfile=passfile or cluster["passfile"],
    )
    connection.autocommit = True
    return connection


def assert_durable_and_not_superuser(cluster):
    connection = connect(cluster)
    with connection.cursor() as cr:
        cr.execute("SHOW synchronous_commit")
        assert cr.fetchone()[0] == "on"
        cr.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        assert cr.fetchone() == (False, True), "Odoo's role: no superuser, may create databases"
    connection.close()
    # Without the password file nobody gets in, not even as the superuser.
    for user in ("odoo", "dealer"):
        with pytest.raises(psycopg2.OperationalError):
            connect(cluster, user=user, passfile=str(cluster["home"] / "no-such-pgpass"))


def test_private_cluster(cluster):
    pg_sh(cluster, "start")
    assert_durable_and_not_superuser(cluster)
    # What Odoo does on a database it creates works without superuser rights.
    connection = connect(cluster)
    with connection.cursor() as cr:
        cr.execute("CREATE DATABASE dealer_scratch")
    connection.close()
    connection = connect(cluster, dbname="dealer_scratch")
    with connection.cursor() as cr:
        cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cr.execute("GRANT CREATE ON SCHEMA public TO PUBLIC")
        cr.execute("CREATE TABLE t (name varchar)")
        cr.execute("CREATE INDEX ON t USING gin (name gin_trgm_ops)")
        cr.copy_expert("COPY t FROM STDIN", io.StringIO("Tallinn\n"))
    connection.close()
    # A second start of the running cluster changes nothing.
    assert pg_sh(cluster, "start") == ""


def test_cluster_of_earlier_scripts_is_converted(cluster):
    subprocess.run(["bash", "-c", EARLIER_CLUSTER], cwd=REPO, env=cluster["env"], check=True)
    superuser = psycopg2.connect(
        host=cluster["socket"], port=cluster["port"], user="dealer", dbname="postgres"
    )
    superuser.autocommit = True
    with superuser.cursor() as cr:
        cr.execute("CREATE DATABASE dealer_legacy")
    superuser.close()
    superuser = psycopg2.connect(
        host=cluster["socket"], port=cluster["port"], user="dealer", dbname="dealer_legacy"
    )
    with superuser, superuser.cursor() as cr:
        cr.execute("""
            CREATE TABLE visit (id serial PRIMARY KEY, amount numeric);
            INSERT INTO visit (amount) VALUES (10);
            CREATE SEQUENCE ir_sequence_001;
            CREATE VIEW visit_report AS SELECT count(*) AS visits FROM visit;
            CREATE FUNCTION visit_total() RETURNS numeric LANGUAGE sql AS 'SELECT sum(amount) FROM visit';
        """)
    superuser.close()

    output = pg_sh(cluster, "start")
    assert "dealer_legacy" in output and "synchronous_commit on" in output, output
    assert_durable_and_not_superuser(cluster)
    # Odoo, as its own role now, upgrades, writes and drops what the superuser created.
    connection = connect(cluster, dbname="dealer_legacy")
    with connection.cursor() as cr:
        cr.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()")
        assert cr.fetchone()[0] == "odoo"
        cr.execute("ALTER TABLE visit ADD COLUMN note varchar")
        cr.execute("INSERT INTO visit (amount) VALUES (5) RETURNING id")
        assert cr.fetchone()[0] == 2
        cr.execute("SELECT nextval('ir_sequence_001'), visit_total()")
        assert cr.fetchone() == (1, 15)
        cr.execute("DROP VIEW visit_report")
        cr.execute("CREATE OR REPLACE FUNCTION visit_total() RETURNS numeric LANGUAGE sql AS 'SELECT 0'")
    connection.close()
