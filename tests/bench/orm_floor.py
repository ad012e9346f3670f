# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The floor of the ORM on this machine: how fast ``create`` writes records that do nothing.

A figure that must be reached through the ORM cannot beat the ORM's own
``create``: these rates, timed in the same run and rolled back, show how far a
figure is from that floor (and whether a target is within it at all).
"""

from rollback import rolled_back

BATCH = 1000


def create_rate(env, model, vals_list, tables):
    """Records a second that ``env[model].create`` writes ``vals_list`` at, by 1,000, rolled back.

    Tracking and chatter are off, as for any bulk write; each batch is flushed
    and the cache emptied, as an import does.
    """
    records = env[model].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)

    def create():
        for start in range(0, len(vals_list), BATCH):
            records.create(vals_list[start : start + BATCH])
            env.flush_all()
            env.invalidate_all()

    return len(vals_list) / rolled_back(env.cr, create, tables)
