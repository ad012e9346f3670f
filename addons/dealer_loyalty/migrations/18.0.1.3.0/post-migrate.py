# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def migrate(cr, version):
    # Since this release a new car's first-service due date ends with its first maintenance
    # visit (computed, stored): cars serviced before the upgrade lose theirs here, else the
    # first-service program would still remind their owners of a service already done.
    cr.execute(
        """
        UPDATE fleet_vehicle SET dealer_first_service_due = NULL
         WHERE dealer_first_service_due IS NOT NULL AND dealer_last_service_date IS NOT NULL
        """
    )
