# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import secrets

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import escape_psql, format_date

VOUCHER_STATES = [("issued", "Issued"), ("used", "Used"), ("expired", "Expired"), ("cancelled", "Cancelled")]
# Letters and digits that cannot be mistaken for one another when read aloud or typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class DealerMembershipVoucher(models.Model):
    """What a redemption delivers: a code the member shows at the desk, usable once before it expires."""

    _name = "dealer.membership.voucher"
    _description = "Membership Voucher"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "code"
    # Desk staff read vouchers; the notes and SMS of the voucher's own flow are posted on it.
    _mail_post_access = "read"

    code = fields.Char(required=True, readonly=True, copy=False, index=True)
    card_id = fields.Many2one(
        "dealer.membership.card", required=True, readonly=True, index=True, check_company=True
    )
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, string="Member")
    company_id = fields.Many2one(related="card_id.company_id", store=True, index=True)
    reward_id = fields.Many2one("dealer.membership.reward", required=True, readonly=True)
    description = fields.Char(string="Reward", readonly=True)
    points = fields.Integer(readonly=True)
    valid_until = fields.Date(readonly=True)
    state = fields.Selection(VOUCHER_STATES, default="issued", required=True, readonly=True, tracking=True)
    used_date = fields.Datetime(string="Used On", readonly=True)
    used_by_id = fields.Many2one("res.users", string="Used By", readonly=True)

    _sql_constraints = [("code_unique", "UNIQUE(code)", "This voucher code exists already.")]

    def write(self, vals):
        # A voucher's value and state move only through redemption, use, expiry and cancellation.
        if not self.env.su and set(vals) - {"message_main_attachment_id"}:
            raise AccessError(_("A voucher changes only by being used, expiring or being cancelled."))
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_("Vouchers are issued by redeeming points from a card."))
        return super().create(vals_list)

    @api.model
    def _dealer_issue(self, card, reward):
        """A new voucher of ``reward`` for ``card`` (points already taken), valid for the reward's days."""
        today = card.company_id._dealer_membership_today()
        return (
            self.sudo()
            .create(  # sudo: vouchers are issued only here, after the redemption
                {
                    "code": "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH)),
                    "card_id": card.id,
                    "reward_id": reward.id,
                    "description": reward.with_context(lang=card.partner_id.lang or self.env.lang).name,
                    "points": reward.points_cost,
                    "valid_until": today + relativedelta(days=reward.validity_days)
                    if reward.validity_days
                    else False,
                }
            )
            .sudo(False)
        )

    def _dealer_send(self):
        """Send the vouchers to their members, in the member's language: by e-mail, else by SMS.

        Only where the channel may be used (an address, no blacklist); it is
        the member's own voucher, so no marketing consent is needed.
        """
        by_mail = self.partner_id._dealer_contact_allowed("email", consent=False)
        mailed = self.filtered(lambda voucher: voucher.partner_id in by_mail)
        template = self.env.ref("dealer_membership.mail_template_voucher", raise_if_not_found=False)
        if mailed and template:
            # sudo: the desk user sends the member their own voucher, a template they may not read.
            template.sudo().send_mail_batch(mailed.ids)
        by_sms = (self - mailed).partner_id._dealer_contact_allowed("sms", consent=False)
        for voucher in (self - mailed).filtered(lambda voucher: voucher.partner_id in by_sms):
            env = voucher.with_context(lang=voucher.partner_id.lang or self.env.lang).env
            voucher._message_sms(
                env._(
                    "%(company)s: your voucher %(code)s for %(reward)s%(until)s. Show it at our desk.",
                    company=voucher.company_id.name,
                    code=voucher.code,
                    reward=voucher.description,
                    until=env._(", valid until %(date)s", date=format_date(env, voucher.valid_until))
                    if voucher.valid_until
                    else "",
                ),
                partner_ids=voucher.partner_id.ids,
            )

    def action_use(self):
        """The desk hands over the reward: the voucher is used, once."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("dealer_membership.dealer_membership_group_user"):
            raise AccessError(_("Only membership staff can accept vouchers."))
        today = self.company_id._dealer_membership_today()
        if self.state == "used":
            raise UserError(
                _(
                    "Voucher %(code)s was already used on %(date)s.",
                    code=self.code,
                    date=format_date(
                        self.env, fields.Datetime.context_timestamp(self, self.used_date).date()
                    ),
                )
            )
        if self.state == "issued" and self.valid_until and self.valid_until < today:
            self.sudo().write({"state": "expired"})  # sudo: see write(); its date has passed
        if self.state != "issued":
            raise UserError(
                _(
                    "Voucher %(code)s is %(state)s and cannot be used.",
                    code=self.code,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state].lower(),
                )
            )
        # Only an issued voucher is marked used: a second desk at the same moment updates nothing.
        self.env.cr.execute(
            "UPDATE dealer_membership_voucher SET state = 'used', used_date = now() AT TIME ZONE 'UTC', "
            "used_by_id = %s WHERE id = %s AND state = 'issued'",
            [self.env.uid, self.id],
        )
        self.invalidate_recordset(["state", "used_date", "used_by_id"])
        if not self.env.cr.rowcount:
            raise UserError(_("Voucher %(code)s was used at another desk just now.", code=self.code))
        return True

    def action_cancel(self):
        if not self.env.user.has_group("dealer_membership.dealer_membership_group_manager"):
            raise AccessError(_("Only membership managers can cancel vouchers."))
        if self.filtered(lambda voucher: voucher.state != "issued"):
            raise UserError(_("Only an issued voucher can be cancelled."))
        self.sudo().write({"state": "cancelled"})  # sudo: see write()
        return True

    @api.model
    def _cron_dealer_expire_vouchers(self, today=None):
        """Expire the vouchers whose last day is over at their dealership (or before ``today``)."""
        expired = self.browse()
        for company in self.env["res.company"].search([]):
            expired |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "issued"),
                    ("valid_until", "<", today or company._dealer_membership_today()),
                ]
            )
        expired.sudo().write({"state": "expired"})  # sudo: see write()
        return len(expired)

    @api.model
    def dealer_scan(self, code):
        """What the desk's scanner found: a card to open, or a voucher handed over now.

        :return: dict with ``action`` (an action to open) and/or ``message``
            and ``type`` ("success" or "warning") for the desk
        """
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)  # a number typed into an RPC call rather than scanned as text
        if code and not isinstance(code, str):
            raise UserError(_("Scan or type a card or voucher number."))
        code = (code or "").strip()
        if not code:
            return {}
        # The whole number, in any case: a % or _ typed at the desk is a character, not a wildcard.
        card = self.env["dealer.membership.card"].search([("name", "=ilike", escape_psql(code))], limit=1)
        if card:
            return {"action": card.get_formview_action()}
        voucher = self.search([("code", "=", code.upper())], limit=1)
        if not voucher:
            return {"type": "warning", "message": _("No card or voucher has the code %(code)s.", code=code)}
        try:
            voucher.action_use()
        except UserError as error:
            return {"type": "warning", "message": error.args[0], "action": voucher.get_formview_action()}
        return {
            "type": "success",
            "message": _(
                "Voucher %(code)s used: hand over %(reward)s to %(member)s.",
                code=voucher.code,
                reward=voucher.description,
                member=voucher.partner_id.display_name,
            ),
        }
