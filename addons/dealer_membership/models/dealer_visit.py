# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DealerVisit(models.Model):
    _inherit = "dealer.visit"

    def _dealer_on_visit_done(self):
        res = super()._dealer_on_visit_done()
        self.env["dealer.points.move"]._dealer_post_visit_points(self)
        return res

    def _dealer_on_visit_cancelled(self):
        res = super()._dealer_on_visit_cancelled()
        self.env["dealer.points.move"]._dealer_post_visit_points(self)
        return res

    def write(self, vals):
        res = super().write(vals)
        # Another customer on a done visit: the points leave the old customer's card for the new one's.
        if "partner_id" in vals:
            done = self.filtered(lambda visit: visit.state == "done")
            if done:
                self.env["dealer.points.move"]._dealer_post_visit_points(done)
        return res


class DealerVisitLine(models.Model):
    _inherit = "dealer.visit.line"

    # An edit of a done visit's lines (by hand or by a re-import) posts the difference.

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self._dealer_repost(lines.visit_id)
        return lines

    def write(self, vals):
        res = super().write(vals)
        if {"amount", "payer_type", "category", "declined"} & set(vals):
            self._dealer_repost(self.visit_id)
        return res

    def unlink(self):
        visits = self.visit_id.filtered(lambda visit: visit.state == "done")
        if visits:
            self.env["dealer.points.move"]._dealer_post_visit_points(visits, removed_lines=self)
        return super().unlink()

    def _dealer_repost(self, visits):
        done = visits.filtered(lambda visit: visit.state == "done")
        if done:
            self.env["dealer.points.move"]._dealer_post_visit_points(done)


class ResCompany(models.Model):
    _inherit = "res.company"

    dealer_points_expiry_months = fields.Integer(
        string="Reward Points Expire After (months)",
        default=24,
        help="Each earning of reward points expires this many months after the visit.",
    )
    dealer_leave_policy = fields.Selection(
        [("forfeit", "Reward points are forfeited"), ("keep", "Reward points are kept")],
        string="When a Member Leaves",
        default="forfeit",
        required=True,
    )
    dealer_level_period_months = fields.Integer(
        string="Level Period (months)",
        default=12,
        help="A card's level follows the qualifying points earned in this many months.",
    )

    def _dealer_membership_today(self):
        """The dealership's day, whoever asks (a job's user may have another time zone, or none).

        Cards and vouchers are valid to the end of their last day where they
        are used. Without a dealership time zone, the user's day.
        """
        self.ensure_one()
        if self.dealer_timezone:
            return self._dealer_local_now().date()
        return fields.Date.context_today(self)

    _sql_constraints = [
        (
            "dealer_points_expiry_positive",
            "CHECK(dealer_points_expiry_months >= 1 AND dealer_level_period_months >= 1)",
            "Reward points must stay valid, and levels be decided over, at least one month.",
        ),
    ]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dealer_points_expiry_months = fields.Integer(
        related="company_id.dealer_points_expiry_months", readonly=False
    )
    dealer_level_period_months = fields.Integer(
        related="company_id.dealer_level_period_months", readonly=False
    )
    dealer_leave_policy = fields.Selection(related="company_id.dealer_leave_policy", readonly=False)
