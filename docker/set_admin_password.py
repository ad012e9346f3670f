# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run in `odoo shell` by docker/odoo-entrypoint.sh init, after the install.

A new database's administrator logs in as admin / admin. Replace that known
password with ODOO_ADMIN_PASSWORD; a password already changed is left alone,
so later starts never undo a change made in Odoo.
"""

import os

from odoo.exceptions import AccessDenied

admin = env.ref("base.user_admin")  # noqa: F821 (env is given by odoo shell)
try:
    admin.with_user(admin)._check_credentials(
        {"type": "password", "password": "admin"}, {"interactive": False}
    )
except AccessDenied:
    print("The admin user's password was already changed: left as it is.")
else:
    admin.password = os.environ["ODOO_ADMIN_PASSWORD"]
    admin.env.cr.commit()
    print("The admin user's password is now ODOO_ADMIN_PASSWORD.")
