# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Small database chores of the run and test scripts.

Usage: python3 db_tools.py COMMAND DBNAME [TARGET] [--db_host=H] [--db_port=P] [--db_user=U] [--db_password=W]
  state DB        print "installed" when DB has the three dealer addons installed,
                  "incomplete" when it exists without them, "absent" otherwise
  drop DB         drop DB when it exists
  copy DB TARGET  replace TARGET with a copy of DB (database and filestore)
"""

import shutil
import sys
from pathlib import Path

import psycopg2
from psycopg2 import sql

MODULES = ("dealer_loyalty", "dealer_membership", "dealer_csi")


def connect(dbname, options):
    params = {"dbname": dbname}
    # The chores run on the primary: the replica's options (replica_host/port) are not the connection's.
    params.update(
        {
            key: value
            for key, value in options.items()
            if value and key in ("host", "port", "user", "password")
        }
    )
    return psycopg2.connect(**params)


def state(options, dbname):
    try:
        connection = connect(dbname, options)
    except psycopg2.OperationalError:
        return "absent"
    with connection, connection.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module WHERE name IN %s AND state = 'installed'",
            (MODULES,),
        )
        installed = cr.fetchone()[0] == len(MODULES)
    connection.close()
    return "installed" if installed else "incomplete"


def run_admin(options, statement):
    connection = connect("postgres", options)
    connection.autocommit = True
    with connection.cursor() as cr:
        cr.execute(statement)
    connection.close()


def drop(options, dbname):
    run_admin(options, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
    if options.get("data_dir"):
        shutil.rmtree(Path(options["data_dir"], "filestore", dbname), ignore_errors=True)


def copy(options, dbname, target):
    drop(options, target)
    run_admin(
        options,
        sql.SQL("CREATE DATABASE {} WITH TEMPLATE {}").format(sql.Identifier(target), sql.Identifier(dbname)),
    )
    if options.get("data_dir"):
        source = Path(options["data_dir"], "filestore", dbname)
        if source.is_dir():
            shutil.copytree(source, Path(options["data_dir"], "filestore", target))


def main(argv):
    positional = [arg for arg in argv if not arg.startswith("--")]
    options = dict(
        arg.removeprefix("--").removeprefix("db_").split("=", 1) for arg in argv if arg.startswith("--")
    )
    command, *names = positional
    if command == "state":
        print(state(options, *names))
    elif command == "drop":
        drop(options, *names)
    elif command == "copy":
        copy(options, *names)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
