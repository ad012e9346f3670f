# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from ..tools.dms_rows import LABEL_AMOUNT, RowError, parse_number

PAYER_TYPES = [
    ("customer", "Customer-paid"),
    ("insurance", "Insurance"),
    ("warranty", "Manufacturer Warranty"),
    ("internal", "Internal"),
]
LINE_CATEGORIES = [
    ("labour", "Labour"),
    ("parts", "Parts"),
    ("vehicle", "Vehicle Sale"),
    ("accessories", "Accessories"),
    ("other", "Other"),
]
# What a line earns points with and counts as revenue by: changed on a finished visit, it is noted there.
NOTED_FIELDS = ("amount", "payer_type", "category", "declined")


class DealerVisitLine(models.Model):
    _name = "dealer.visit.line"
    _description = "Dealership Visit Line"
    _order = "visit_id, sequence, id"

    visit_id = fields.Many2one("dealer.visit", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    dms_line_ref = fields.Char(
        string="DMS Line", help="Line number in the DMS document; identifies the line on re-import."
    )
    name = fields.Char(string="Description", required=True)
    category = fields.Selection(LINE_CATEGORIES, required=True, default="labour")
    payer_type = fields.Selection(PAYER_TYPES, required=True, default="customer")
    # Lines paid by the maker, the insurer or the dealer are listed to the customer, not their price.
    amount = fields.Monetary(currency_field="currency_id", groups="base.group_user")
    declined = fields.Boolean(
        help="The customer declined this work: it is an advisory to follow up, not revenue."
    )
    # The company's currency, as the visit's; read through the line's own company so that
    # creating lines does not build a scratch visit per line to round each amount.
    currency_id = fields.Many2one(related="company_id.currency_id")
    # Precomputed: written with the line's INSERT, not by one UPDATE per line after it.
    company_id = fields.Many2one(related="visit_id.company_id", store=True, index=True, precompute=True)
    partner_id = fields.Many2one(related="visit_id.partner_id", store=True, index=True, precompute=True)
    date = fields.Date(related="visit_id.date", store=True, precompute=True)
    department = fields.Selection(related="visit_id.department", store=True, precompute=True)
    state = fields.Selection(related="visit_id.state", store=True, precompute=True)

    _sql_constraints = [
        (
            "dms_line_ref_unique",
            "UNIQUE(visit_id, dms_line_ref)",
            "A visit cannot have two lines with the same DMS line number.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dealer_check_amount(vals.get("amount"), vals.get("name"))
        lines = super().create(vals_list)
        for visit, added in lines._dealer_of_finished_visits().grouped("visit_id").items():
            visit._dealer_note_line_changes(
                [
                    _("“%(line)s” added: %(values)s", line=line.name, values=line._dealer_noted_values())
                    for line in added
                ]
            )
        return lines

    def write(self, vals):
        if "amount" in vals:
            for line in self:
                line._dealer_check_amount(vals["amount"], vals.get("name", line.name))
        noted = (
            self._dealer_of_finished_visits() if any(name in vals for name in NOTED_FIELDS) else self.browse()
        )
        before = {line: line._dealer_noted_values(as_dict=True) for line in noted}
        result = super().write(vals)
        for visit, changed in noted.grouped("visit_id").items():
            changes = []
            for line in changed:
                after = line._dealer_noted_values(as_dict=True)
                differences = [
                    _("%(field)s %(old)s → %(new)s", field=label, old=before[line][label], new=after[label])
                    for label in after
                    if after[label] != before[line][label]
                ]
                if differences:
                    changes.append(
                        _("“%(line)s”: %(changes)s", line=line.name, changes=", ".join(differences))
                    )
            visit._dealer_note_line_changes(changes)
        return result

    def unlink(self):
        for visit, removed in self._dealer_of_finished_visits().grouped("visit_id").items():
            visit._dealer_note_line_changes(
                [
                    _("“%(line)s” removed: %(values)s", line=line.name, values=line._dealer_noted_values())
                    for line in removed
                ]
            )
        return super().unlink()

    def _dealer_of_finished_visits(self):
        """The lines of visits finished before this transaction.

        Points and revenue were counted on those: what changes them later is
        noted on the visit. A visit still being entered (created in this
        transaction, by hand or by one import call) changes its lines unnoted.
        """
        now = self.env.cr.now()
        return self.filtered(
            lambda line: line.visit_id.state == "done"
            and line.visit_id.create_date
            and line.visit_id.create_date < now
        )

    def _dealer_noted_values(self, as_dict=False):
        """The line's ``NOTED_FIELDS`` as a reader of the visit's chatter sees them."""
        self.ensure_one()
        values = {}
        for name in NOTED_FIELDS:
            field = self._fields[name]
            label = field._description_string(self.env)
            if name == "amount":
                values[label] = format_amount(self.env, self.amount, self.currency_id)
            elif field.type == "selection":
                values[label] = dict(field._description_selection(self.env)).get(self[name], "")
            else:
                values[label] = _("yes") if self[name] else _("no")
        if as_dict:
            return values
        return ", ".join(f"{label} {value}" for label, value in values.items())

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            line._dealer_check_amount(line.amount, line.name)

    @api.model
    def _dealer_check_amount(self, amount, line_name):
        """Refuse an amount the DMS import refuses, however the line is written: the import's one rule.

        Called on the values sent as well as by the constraint: an amount that
        is not a finite number cannot even be rounded to the currency, so it
        never reaches the constraint.
        """
        if isinstance(amount, bool) or amount is None:
            return
        try:
            number = float(amount)
        except (TypeError, ValueError):
            return  # not a number at all: the field refuses it as any number field does
        try:
            parse_number(number, LABEL_AMOUNT, allow_negative=True)
        except RowError as error:
            raise ValidationError(
                _("Line “%(line)s”: %(problem)s.", line=line_name or "", problem=error.render(self.env.lang))
            ) from None
