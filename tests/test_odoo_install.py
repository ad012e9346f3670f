# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""make run / make test on a machine whose python3 cannot import Odoo 18:
they install it into the run folder from ODOO_SOURCE, and go on with it.

The test builds a local git repository (branch 18.0) of the Odoo source this
machine runs, hides that Odoo from python3 (a python3 first on PATH that starts
without site-packages), and calls the scripts' require_odoo with
DEALER_INSTALL_ODOO=1 and a scratch DEALER_RUN_DIR. Nothing reaches the
network: the virtual environment sees the machine's Python packages
(DEALER_VENV_SYSTEM_SITE_PACKAGES=1), pip may use no package index and the
system packages are left alone. The Odoo installed then creates a scratch
database with base and serves it; its administrator gets the password of
docker/set_admin_password.py (what docker compose's odoo-init runs) and logs
in to the web client.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

import odoo

REPO = Path(__file__).resolve().parent.parent
ODOO_TREE = Path(odoo.__file__).resolve().parent.parent


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def odoo_source_repository(folder):
    """A git repository whose branch 18.0 holds this machine's Odoo tree, as committed."""
    repository = folder / "odoo.git"
    # Uncompressed objects: the repository is thrown away after one clone.
    git = ["git", f"--git-dir={repository}", f"--work-tree={ODOO_TREE}", "-c", "safe.directory=*"]
    git += ["-c", "core.compression=0"]
    run(["git", "init", "--quiet", "--bare", "--initial-branch=18.0", str(repository)])
    run([*git, "add", "--all"])
    run(
        [*git, "-c", "user.name=Odoo", "-c", "user.email=odoo@example.com", "commit", "--quiet", "-m", "18.0"]
    )
    return repository


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def connection_options():
    config = odoo.tools.config
    return {key: config[f"db_{key}"] for key in ("host", "port", "user", "password") if config[f"db_{key}"]}


def post_json(opener, url, params):
    payload = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
    request = urllib.request.Request(url, payload, {"Content-Type": "application/json"})
    with opener.open(request, timeout=60) as response:
        return json.load(response)


@pytest.fixture
def scratch(tmp_path):
    """A scratch folder and database name, deleted afterwards.

    The test writes (and deletes) two copies of Odoo's tree, some 40,000 files
    and over 2 GB: in memory when /dev/shm has room, since a busy disk (or one
    mounted with discard) takes minutes to write and delete that many files.
    """
    shm = Path("/dev/shm")
    in_memory = shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 6 * 1024**3
    folder = Path(tempfile.mkdtemp(prefix="dealer-odoo-install-", dir=shm if in_memory else tmp_path))
    database = f"dealer_install_{os.getpid()}"
    yield folder, database
    connection = psycopg2.connect(dbname="postgres", **connection_options())
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
    connection.close()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_odoo_installed_from_a_local_repository(scratch):
    if not (ODOO_TREE / "requirements.txt").is_file() or not (ODOO_TREE / "odoo" / "release.py").is_file():
        # As in the odoo:18 image of the docker "test" service, whose Odoo is a Debian package.
        pytest.skip(f"the Odoo running the tests is not a source tree ({ODOO_TREE}) to install from")
    folder, database = scratch
    source = odoo_source_repository(folder)
    shim = folder / "bin"
    shim.mkdir()
    (shim / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    (shim / "python3").chmod(0o755)
    run_dir = folder / "run"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ODOO_", "GIT_", "PIP_"))}
    env.update(
        PATH=f"{shim}:{os.environ['PATH']}",
        DEALER_RUN_DIR=str(run_dir),
        ODOO_SOURCE=str(source),
        DEALER_INSTALL_ODOO="1",
        DEALER_VENV_SYSTEM_SITE_PACKAGES="1",
        DEALER_SYSTEM_PACKAGES="0",
        PIP_NO_INDEX="1",
    )

    output = run(
        ["bash", "-c", 'source scripts/env.sh && require_odoo && echo "USING $ODOO_PYTHON"'],
        cwd=REPO,
        env=env,
    )
    python = run_dir / "venv" / "bin" / "python"
    assert f"USING {python}" in output, output
    imported = run([str(python), "-c", "import odoo; print(odoo.__file__)"]).strip()
    assert Path(imported).is_relative_to(run_dir / "odoo"), imported
    # The scripts use the installed Odoo from then on, without installing again.
    output = run(
        ["bash", "-c", 'source scripts/env.sh && require_odoo && echo "USING $ODOO_PYTHON"'],
        cwd=REPO,
        env=env,
    )
    assert output.strip() == f"USING {python}"

    config = folder / "odoo.conf"
    config.write_text(
        "[options]\n"
        + "".join(f"db_{key} = {value}\n" for key, value in connection_options().items())
        + f"data_dir = {folder / 'data'}\n"
    )
    port = free_port()
    server = subprocess.Popen(
        [str(python), "-m", "odoo", "-c", str(config), "-d", database, "-i", "base", "--without-demo=all"]
        + ["--http-interface=127.0.0.1", f"--http-port={port}", "--max-cron-threads=0", "--workers=0"]
        + [f"--logfile={folder / 'odoo.log'}"],
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240
        while True:
            assert server.poll() is None, (folder / "odoo.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "Odoo did not serve its login page within 4 minutes"
            try:
                with urllib.request.urlopen(f"{url}/web/login", timeout=10) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(2)

        password = secrets.token_hex(12)
        output = run(
            [str(python), "-m", "odoo", "shell", "-c", str(config), "-d", database, "--no-http"]
            + ["--log-level=warn"],
            input=(REPO / "docker" / "set_admin_password.py").read_text(),
            env={**env, "ODOO_ADMIN_PASSWORD": password},
        )
        assert "password is now ODOO_ADMIN_PASSWORD" in output, output

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        refused = post_json(
            opener, f"{url}/web/session/authenticate", {"db": database, "login": "admin", "password": "admin"}
        )
        assert "error" in refused, "the known password admin must no longer log in"
        answer = post_json(
            opener,
            f"{url}/web/session/authenticate",
            {"db": database, "login": "admin", "password": password},
        )
        assert answer.get("result", {}).get("uid") == 2, answer
        with opener.open(f"{url}/odoo", timeout=60) as response:
            page = response.read().decode()
            assert response.status == 200 and "/web/login" not in response.url, response.url
        assert "odoo.__session_info__" in page, "the web client did not open"
    finally:
        server.terminate()
        server.wait(timeout=60)
