# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time a set-based reference in a savepoint rolled back afterwards."""

import time


def rolled_back(cr, operation, tables):
    """Time ``operation``, roll it back, then vacuum ``tables`` so its dead rows are not in
    the way of the measured run."""
    cr.execute("SAVEPOINT bench_reference")
    started = time.perf_counter()
    operation()
    elapsed = round(time.perf_counter() - started, 2)
    cr.execute("ROLLBACK TO SAVEPOINT bench_reference")
    cr.commit()
    cr._cnx.autocommit = True
    try:
        for table in tables:
            cr.execute(f"VACUUM ANALYZE {table}")
    finally:
        cr._cnx.autocommit = False
    return elapsed
