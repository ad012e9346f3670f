# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

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
        return super().create(vals_list)

    def write(self, vals):
        if "amount" in vals:
            for line in self:
                line._dealer_check_amount(vals["amount"], vals.get("name", line.name))
        return super().write(vals)

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
