# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The group-scale deployment on one machine (README.md, "Dealership groups").

A streaming replica of the private cluster (``scripts/pg.sh replica-start``)
serves an Odoo started with ``DEALER_REPLICA=1``: the dashboard and the
analyses read from the replica, while the DMS import commits on the primary.
The replica's replay is paused while the import runs, so what the analyses
see proves where they read.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
WORK_ORDER = {
    "document_number": "REPLICA-1",
    "date": "2026-03-02",
    "department": "service",
    "customer_code": "REPLICA-C1",
    "customer_name": "Mari Maasikas",
    "customer_email": "mari.maasikas@example.com",
    "vin": "YV1AP100000000777",
    "plate": "REP777",
    "model": "Volvo XC60",
    "odometer": 42000,
    "line_number": 1,
    "description": "Annual service",
    "category": "labour",
    "payer_type": "customer",
    "amount": "1.234,56",
}


def _shell_value(env, expression):
    return subprocess.run(
        ["bash", "-c", f"source scripts/env.sh && printf %s {expression}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    database = os.environ.get("DEALER_REPLICA_DB")
    if not database:
        pytest.fail("DEALER_REPLICA_DB is not set: run the suite with make test")
    env = dict(os.environ, DEALER_REPLICA="1")
    if _shell_value(env, '"$(external_database_configured && echo external)"'):
        pytest.skip("the suite runs on an external PostgreSQL server: the replica copies the private cluster")
    started = subprocess.run(
        ["bash", "scripts/pg.sh", "replica-start"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    port = _free_port()
    log = tmp_path_factory.mktemp("replica") / "odoo.log"
    # The command odoo_cmd (scripts/env.sh) runs, started directly so that it can be stopped.
    command = subprocess.run(
        [
            "bash",
            "-c",
            'source scripts/env.sh && mapfile -t args < <(db_args) && printf "%s\\n" "$ODOO_PYTHON" -m odoo '
            '-c "$ODOO_CONF" --addons-path="$ADDONS_DIR" --data-dir="$RUN_DIR/data" "${args[@]}"',
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    server = subprocess.Popen(
        [
            *command,
            f"--database={database}",
            f"--db-filter=^{database}$",
            f"--http-port={port}",
            "--gevent-port=0",
            "--max-cron-threads=0",
            f"--logfile={log}",
        ],
        cwd=REPO,
        env=env,
    )
    info = {
        "database": database,
        "url": f"http://127.0.0.1:{port}",
        "socket": _shell_value(env, '"$PG_SOCKET_DIR"'),
        "port": _shell_value(env, '"$PG_PORT"'),
        "replica_port": _shell_value(env, '"$PG_REPLICA_PORT"'),
        "replica_dir": _shell_value(env, '"$PG_REPLICA_DATA_DIR"'),
        "log": log,
    }
    try:
        for _ in range(120):
            try:
                if requests.get(info["url"] + "/web/login", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, (
                log.read_text(encoding="utf-8")[-3000:] if log.exists() else "no log"
            )
            time.sleep(1)
        yield info
    finally:
        server.terminate()
        server.wait(timeout=60)
        subprocess.run(["bash", "scripts/pg.sh", "replica-stop"], cwd=REPO, env=env, check=False)
        shutil.rmtree(info["replica_dir"], ignore_errors=True)


def _connect(info, port, user="odoo"):
    connection = psycopg2.connect(host=info["socket"], port=port, user=user, dbname=info["database"])
    connection.autocommit = True
    return connection


class WebClient:
    def __init__(self, info):
        self.url = info["url"]
        self.session = requests.Session()
        response = self.session.post(
            self.url + "/web/session/authenticate",
            json={"params": {"db": info["database"], "login": "admin", "password": "admin"}},
            timeout=60,
        )
        assert response.json().get("result", {}).get("uid"), response.text

    def call(self, model, method, *args, **kwargs):
        response = self.session.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={"params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs}},
            timeout=300,
        )
        body = response.json()
        assert "error" not in body, body.get("error")
        return body["result"]


def _visits(client):
    domain = [("dms_document_number", "=", WORK_ORDER["document_number"])]
    return client.call("dealer.visit", "web_search_read", domain, {"amount_total": {}})["records"]


def test_analyses_read_the_replica_while_the_import_commits_on_the_primary(deployment):
    replica = _connect(deployment, deployment["replica_port"])
    with replica.cursor() as cr:
        cr.execute("SELECT pg_is_in_recovery()")
        assert cr.fetchone()[0], "the replica is a hot standby"
    primary_superuser = _connect(deployment, deployment["port"], user="dealer")
    replica_superuser = _connect(deployment, deployment["replica_port"], user="dealer")
    client = WebClient(deployment)
    assert _visits(client) == []

    with replica_superuser.cursor() as cr:
        cr.execute("SELECT pg_wal_replay_pause()")
    try:
        report = client.call("dealer.visit", "import_dms_rows", [WORK_ORDER])
        assert (report["created"], report["errors"]) == (1, []), report
        with primary_superuser.cursor() as cr:
            cr.execute(
                "SELECT amount_total::float FROM dealer_visit WHERE dms_document_number = %s", ["REPLICA-1"]
            )
            assert cr.fetchall() == [(1234.56,)], "committed on the primary"
        # The replica has not replayed it: the reads of the web client come from there.
        assert _visits(client) == []
        dashboard = client.call("dealer.dashboard", "get_dashboard")
        assert dashboard["sections"], "the dashboard is served by the replica"
        groups = client.call("dealer.lost.customer.report", "web_read_group", [], ["__count"], ["company_id"])
        assert "groups" in groups
    finally:
        with replica_superuser.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_resume()")

    for _ in range(60):
        visits = _visits(client)
        if visits:
            break
        time.sleep(0.5)
    assert [visit["amount_total"] for visit in visits] == [1234.56], "the replica caught up"
    log = deployment["log"].read_text(encoding="utf-8")
    assert "retrying with a read/write cursor" not in log, "nothing read-only wrote"
    assert "Failed to open a readonly cursor" not in log
