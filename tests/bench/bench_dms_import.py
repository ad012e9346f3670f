# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""DMS import speed: 100,000 visit lines into a dealership of 20,000 customers and 30,000 vehicles.

Each figure is printed beside the set-based reference measured in the same
run on the same rows: PostgreSQL's COPY of the rows into a scratch table, the
least any import of them can cost. Then 20,000 lines of new customers and
vehicles go through a running server over XML-RPC, in calls of 1,000 rows.
"""

import csv
import io
import socket
import subprocess
import sys
import time
import xmlrpc.client
from contextlib import closing, contextmanager

from generate import create_dealership
from orm_floor import create_rate

from odoo import SUPERUSER_ID, api
from odoo.tools import config

CUSTOMERS = 20_000
VEHICLES = 30_000
LINES = 100_000
RPC_LINES = 20_000
RPC_CALL_ROWS = 1_000
SEED = 7
FLOOR_RECORDS = 10_000


def copy_reference(cr, rows):
    """Lines a second that COPY writes the same rows into a scratch table."""
    columns = sorted({column for row in rows for column in row})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    cr.execute(
        "CREATE TEMP TABLE bench_dms_rows ({})".format(", ".join(f'"{column}" text' for column in columns))
    )
    started = time.perf_counter()
    buffer.seek(0)
    cr._obj.copy_expert("COPY bench_dms_rows FROM STDIN WITH (FORMAT csv)", buffer)
    elapsed = time.perf_counter() - started
    cr.execute("DROP TABLE bench_dms_rows")
    return len(rows) / elapsed


def figures(name, lines_per_second, reference):
    yield name, round(lines_per_second), "lines/s"
    yield f"{name}_copy_reference", round(reference), "lines/s"
    yield f"{name}_vs_reference", round(reference / lines_per_second, 1), "x slower"


def _orm_floors(env):
    """What the ORM alone creates a second on this machine: the ceiling of any import through it.

    A visit line imported through the ORM is at least one record created; the
    simplest record there is (an industry: a name) and a bare visit line on
    an existing draft visit (no customer, vehicle or reading to match, no
    hook) show how close the import is to that ceiling.
    """
    industries = [{"name": f"Floor industry {number}"} for number in range(FLOOR_RECORDS)]
    yield (
        "orm_create_floor_simplest_record",
        round(create_rate(env, "res.partner.industry", industries, ["res_partner_industry"])),
        "records/s",
    )
    partners = env["res.partner"].search(
        [("dealer_customer_code", "!=", False), ("company_id", "in", [False, env.company.id])],
        limit=FLOOR_RECORDS // 4,
    )
    visits = env["dealer.visit"].create(
        [{"partner_id": partner.id, "department": "service"} for partner in partners]
    )
    env.cr.commit()
    lines = [
        {
            "visit_id": visit.id,
            "name": f"Floor line {number}",
            "category": "labour",
            "payer_type": "customer",
            "amount": 100.0 + number,
        }
        for visit in visits
        for number in range(4)
    ]
    yield (
        "orm_create_floor_bare_visit_line",
        round(create_rate(env, "dealer.visit.line", lines, ["dealer_visit_line"])),
        "lines/s",
    )
    visits.unlink()
    env.cr.commit()


def free_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(database):
    """An Odoo server on a free loopback port, serving ``database``, for the duration of the block."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            config.rcfile,
            "-d",
            database,
            f"--db-filter=^{database}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with closing(socket.create_connection(("127.0.0.1", port), timeout=1)):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the benchmark server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        create_dealership(env, CUSTOMERS, VEHICLES, seed=SEED)
        cr.commit()
        # A live database has planner statistics (autovacuum keeps them); a
        # freshly generated one gets them here, so the import runs as it would
        # at a dealership rather than on 50,000 rows the planner has not seen.
        cr.execute("ANALYZE")
        yield "generate_dealership", round(time.perf_counter() - started, 1), "s"

        rows = env["dealer.loyalty.demo"]._generate_rows(
            CUSTOMERS, VEHICLES, years=2, seed=SEED, lines_target=LINES
        )
        reference = copy_reference(cr, rows)
        started = time.perf_counter()
        report = env["dealer.visit"].import_dms_rows(rows)
        env.flush_all()
        cr.commit()
        elapsed = time.perf_counter() - started
        if report["errors"]:
            raise RuntimeError(f"benchmark rows were rejected: {report['errors'][:3]}")
        yield from figures("import_visit_lines", len(rows) / elapsed, reference)

        started = time.perf_counter()
        again = env["dealer.visit"].import_dms_rows(rows)
        cr.commit()
        assert again["created"] == again["updated"] == 0, again
        yield from figures("reimport_unchanged_lines", len(rows) / (time.perf_counter() - started), reference)
        yield from _orm_floors(env)

        # New customers, vehicles and work orders of another dealership's DMS export.
        rpc_rows = env["dealer.loyalty.demo"]._generate_rows(
            CUSTOMERS, VEHICLES, years=2, seed=SEED + 1, lines_target=RPC_LINES, code_prefix="R"
        )
        for row in rpc_rows:
            row["document_number"] = "R" + row["document_number"]
            row["date"] = row["date"].isoformat() if hasattr(row["date"], "isoformat") else row["date"]
        rpc_reference = copy_reference(cr, rpc_rows)
        cr.commit()
    with running_server(registry.db_name) as url:
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        uid = common.authenticate(registry.db_name, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        started = time.perf_counter()
        errors = []
        for offset in range(0, len(rpc_rows), RPC_CALL_ROWS):
            page = rpc_rows[offset : offset + RPC_CALL_ROWS]
            result = models.execute_kw(
                registry.db_name, uid, "admin", "dealer.visit", "import_dms_rows", [page]
            )
            errors += result["errors"]
        elapsed = time.perf_counter() - started
        if errors:
            raise RuntimeError(f"benchmark rows were rejected over XML-RPC: {errors[:3]}")
        yield from figures("xmlrpc_import_visit_lines", len(rpc_rows) / elapsed, rpc_reference)
