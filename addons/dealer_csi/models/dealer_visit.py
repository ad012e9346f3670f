# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools.misc import format_date

# What an invitation copies from its visit, by the visit's field.
INVITATION_FIELDS = {
    "user_id": "dealer_advisor_id",
    "date": "dealer_visit_date",
    "department": "dealer_department",
    "vehicle_id": "dealer_vehicle_id",
    "partner_id": "partner_id",
}


class DealerVisit(models.Model):
    _inherit = "dealer.visit"

    def write(self, vals):
        res = super().write(vals)
        if INVITATION_FIELDS.keys() & vals.keys():
            self._dealer_csi_follow()
        return res

    def _dealer_on_visit_cancelled(self):
        res = super()._dealer_on_visit_cancelled()
        self._dealer_csi_open_invitations(self.env._("The visit was cancelled"))._dealer_withdraw(
            self.env._("The visit was cancelled.")
        )
        return res

    def _dealer_on_visit_done(self):
        res = super()._dealer_on_visit_done()
        self._dealer_csi_open_invitations(self.env._("The visit was done again")).filtered(
            lambda answer: answer.dealer_csi_state == "withdrawn"
        )._dealer_restore()
        return res

    def _dealer_csi_open_invitations(self, correction):
        """The visits' surveys whose month is not final; the final ones get a note instead.

        A final month does not change: not for a late answer, not for a
        correction of its visits (date, advisor, cancellation).
        """
        invitations = self._dealer_csi_invitations()
        final = invitations.filtered(lambda answer: answer._dealer_month_closed())
        for answer in final:
            answer._dealer_post_correction_note(
                self.env._(
                    "%(correction)s after the satisfaction figures of its month became final: they stay as they "
                    "were.",
                    correction=correction,
                )
            )
        return invitations - final

    def _dealer_csi_invitations(self):
        # sudo: a visit's corrections reach its survey whoever corrects it (a
        # DMS connection, an advisor); the invitation's fields stay closed to them.
        return (
            self.env["survey.user_input"]
            .sudo()
            .search([("dealer_visit_id", "in", self.ids), ("dealer_kind", "!=", False)])
        )

    def _dealer_csi_follow(self):
        """Carry the visit's advisor, date, department, vehicle and customer over to its surveys.

        Answered or not, the figures follow the visit: a corrected advisor
        takes the score with them. Bonuses hang on these figures: answers that
        change advisor or month get a note saying so, and who corrected the visit. Only a month whose figures are final keeps
        its answers: a correction of its visits, or a date moving answers
        into it, is noted on the survey and not applied.
        """
        for answer in self._dealer_csi_open_invitations(self.env._("The visit was corrected")):
            visit = answer.dealer_visit_id
            # A re-survey belongs to the complaint's customer and department: only the advisor follows.
            fields_followed = (
                {"user_id": "dealer_advisor_id"} if answer.dealer_kind == "recovery" else INVITATION_FIELDS
            )
            values = {
                target: visit[source]
                for source, target in fields_followed.items()
                if answer[target] != visit[source]
            }
            moved = values.get("dealer_visit_date")
            if moved and answer._dealer_month_closed(moved):
                del values["dealer_visit_date"]
                answer._dealer_post_correction_note(
                    self.env._(
                        "The visit's date was corrected to %(date)s, but the month's satisfaction figures "
                        "are final: these answers stay in the month of %(old)s.",
                        date=format_date(self.env, moved),
                        old=format_date(self.env, answer.dealer_visit_date),
                    )
                )
            if values and answer.state == "done":
                answer._dealer_note_answers_moved(values)
            if values:
                answer.write(
                    {
                        name: value.id if isinstance(value, models.BaseModel) else value
                        for name, value in values.items()
                    }
                )
