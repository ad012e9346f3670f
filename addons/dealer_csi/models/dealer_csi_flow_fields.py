# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import AccessError


class DealerCsiFlowFields(models.AbstractModel):
    """Figures a record's own flow records (closing dates, durations, flags):
    refused to ``create``/``write`` from users, whatever the interface, and
    written by the flow through ``_dealer_write_flow``.

    Inheriting models name the fields in ``_dealer_flow_fields`` and call
    ``_dealer_check_flow_fields`` first thing in their ``create`` and ``write``.
    (Survey answer sets keep their own list of what users may write, the call's
    outcome, and share the flow's writer.)
    """

    _name = "dealer.csi.flow.fields"
    _description = "Figures Recorded by Their Flow"

    # The field names only the flow writes.
    _dealer_flow_fields = frozenset()

    def _dealer_check_flow_fields(self, vals_list, creating=False):
        """Refuse the flow's fields to users; a new record may only leave them empty."""
        if self.env.su:
            return
        forced = {
            name
            for vals in vals_list
            for name in self._dealer_flow_fields.intersection(vals)
            if not creating or vals[name]
        }
        if forced:
            labels = ", ".join(sorted(self._fields[name]._description_string(self.env) for name in forced))
            raise AccessError(self._dealer_flow_fields_refusal(labels))

    def _dealer_flow_fields_refusal(self, labels):
        return _("%(fields)s: recorded by the record's own flow, never set by hand.", fields=labels)

    def _dealer_write_flow(self, vals):
        """Write what only the flow sets, for an action the user may perform."""
        self.check_access("write")
        # sudo: write() refuses the flow's own fields to users; the user's right was checked above.
        return self.sudo().write(vals)
