# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

DEPARTMENTS = [
    ("sales", "Sales"),
    ("service", "Service"),
    ("body_shop", "Body Shop"),
    ("parts", "Parts"),
]
# Changing these on a done visit changes its odometer reading or its customer's segment.
SYNCED_FIELDS = {"date", "odometer", "vehicle_id", "partner_id", "is_maintenance", "department"}


class DealerVisit(models.Model):
    _name = "dealer.visit"
    _description = "Dealership Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "dms_document_number", "vehicle_id.license_plate", "partner_id.name"]

    name = fields.Char(string="Reference", compute="_compute_name", store=True, readonly=False)
    dms_document_number = fields.Char(
        string="DMS Document",
        copy=False,
        tracking=True,
        help="Work order number in the dealer management system; identifies the visit on re-import.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    vehicle_id = fields.Many2one("fleet.vehicle", string="Vehicle", index="btree_not_null", tracking=True)
    license_plate = fields.Char(related="vehicle_id.license_plate")
    vin_sn = fields.Char(related="vehicle_id.vin_sn", string="VIN")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    odometer = fields.Integer(tracking=True, help="Odometer reading (km) when the vehicle came in.")
    department = fields.Selection(DEPARTMENTS, required=True, default="service", tracking=True)
    is_maintenance = fields.Boolean(
        string="Maintenance",
        compute="_compute_is_maintenance",
        store=True,
        readonly=False,
        precompute=True,
        help="Maintenance visits reset the vehicle's service clock; body-shop or parts visits do not.",
    )
    user_id = fields.Many2one(
        "res.users", string="Advisor", default=lambda self: self.env.user, index=True, tracking=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("dealer.visit.line", "visit_id", string="Lines", copy=True)
    odometer_reading_ids = fields.One2many(
        "fleet.vehicle.odometer", "dealer_visit_id", string="Odometer Reading"
    )
    odometer_suspect = fields.Boolean(
        compute="_compute_odometer_suspect",
        help="The odometer does not fit the vehicle's other readings; it is left out of the mileage "
        "estimate until someone corrects or confirms it.",
    )
    # Staff's words about the visit: the customer reads their own visits on the portal, not this.
    note = fields.Html(groups="base.group_user")
    # What the maker, the insurer or the dealer paid is the dealer's business: the portal customer
    # reads what they paid (the page says "Covered" for the rest), not these.
    amount_total = fields.Monetary(
        compute="_compute_amounts", store=True, string="Total", groups="base.group_user"
    )
    amount_customer = fields.Monetary(compute="_compute_amounts", store=True, string="Customer-paid")
    amount_insurance = fields.Monetary(
        compute="_compute_amounts", store=True, string="Insurance", groups="base.group_user"
    )
    amount_warranty = fields.Monetary(
        compute="_compute_amounts", store=True, string="Warranty", groups="base.group_user"
    )
    amount_internal = fields.Monetary(
        compute="_compute_amounts", store=True, string="Internal", groups="base.group_user"
    )
    amount_declined = fields.Monetary(
        compute="_compute_amounts", store=True, string="Declined Work", help="Work the customer declined."
    )

    _sql_constraints = [
        (
            "dms_document_number_company_unique",
            "UNIQUE(dms_document_number, company_id)",
            "A visit with this DMS document number already exists in this company.",
        ),
        ("odometer_positive", "CHECK(odometer >= 0)", "The odometer reading cannot be negative."),
    ]

    def init(self):
        res = super().init()
        # A vehicle's last service is read for every vehicle a visit touches
        # (service predictions): one entry of this index per vehicle, whatever
        # the planner believes of the table's size, e.g. mid-way through the
        # first import of a dealership's history.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS dealer_visit_last_service
                ON dealer_visit (vehicle_id, date DESC, odometer DESC, id DESC)
             WHERE state = 'done' AND is_maintenance
            """
        )
        return res

    @api.depends("dms_document_number")
    def _compute_name(self):
        for visit in self:
            visit.name = visit.dms_document_number or visit.name or _("New")

    @api.depends("department")
    def _compute_is_maintenance(self):
        for visit in self:
            visit.is_maintenance = visit.department == "service"

    @api.depends("line_ids.amount", "line_ids.payer_type", "line_ids.declined")
    def _compute_amounts(self):
        totals = {
            visit.id: dict.fromkeys(("customer", "insurance", "warranty", "internal", "declined"), 0.0)
            for visit in self
        }
        for line in self.line_ids:
            bucket = "declined" if line.declined else line.payer_type
            totals[line.visit_id.id][bucket] += line.amount
        for visit in self:
            amounts = totals[visit.id]
            visit.amount_customer = amounts["customer"]
            visit.amount_insurance = amounts["insurance"]
            visit.amount_warranty = amounts["warranty"]
            visit.amount_internal = amounts["internal"]
            visit.amount_declined = amounts["declined"]
            visit.amount_total = sum(
                amounts[key] for key in ("customer", "insurance", "warranty", "internal")
            )

    @api.depends("odometer_reading_ids.dealer_suspect", "odometer_reading_ids.dealer_review")
    def _compute_odometer_suspect(self):
        for visit in self:
            visit.odometer_suspect = any(
                reading.dealer_suspect and not reading.dealer_review for reading in visit.odometer_reading_ids
            )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for visit in self:
            if visit.date > today:
                raise ValidationError(
                    _(
                        "Visit %(visit)s is dated %(date)s, in the future.",
                        visit=visit.display_name,
                        date=visit.date,
                    )
                )

    @api.constrains("vehicle_id", "partner_id")
    def _check_vehicle_company(self):
        for visit in self:
            vehicle_company = visit.vehicle_id.company_id
            if vehicle_company and vehicle_company != visit.company_id:
                raise ValidationError(
                    _(
                        "Vehicle %(vehicle)s belongs to another company.",
                        vehicle=visit.vehicle_id.display_name,
                    )
                )

    @api.onchange("vehicle_id")
    def _onchange_vehicle_id(self):
        if self.vehicle_id.dealer_owner_id and not self.partner_id:
            self.partner_id = self.vehicle_id.dealer_owner_id

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Numbered on save, not when the form opens, so the sequence has no gaps.
            if not vals.get("dms_document_number") and vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("dealer.visit") or _("New")
        visits = super().create(vals_list)
        done = visits.filtered(lambda visit: visit.state == "done")
        if done:
            done._dealer_on_visit_done()
        return visits

    def write(self, vals):
        previous_states = {visit.id: visit.state for visit in self} if "state" in vals else {}
        res = super().write(vals)

        def was_done(visit):
            return previous_states.get(visit.id, visit.state) == "done"

        newly_done = self.filtered(lambda visit: visit.state == "done" and not was_done(visit))
        newly_cancelled = self.filtered(lambda visit: visit.state != "done" and was_done(visit))
        still_done = self.filtered(lambda visit: visit.state == "done" and was_done(visit))
        if newly_done:
            newly_done._dealer_on_visit_done()
        if newly_cancelled:
            newly_cancelled._dealer_on_visit_cancelled()
        if still_done and SYNCED_FIELDS & set(vals):
            still_done._dealer_sync_done_visits()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(visit.state == "done" for visit in self):
            raise UserError(_("A done visit cannot be deleted: cancel it first."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_done(self):
        if any(visit.state == "cancel" for visit in self):
            raise UserError(_("A cancelled visit cannot be set to done: reset it to draft first."))
        self.filtered(lambda visit: visit.state == "draft").write({"state": "done"})
        return True

    def action_cancel(self):
        self.filtered(lambda visit: visit.state != "cancel").write({"state": "cancel"})
        return True

    def action_confirm_odometer(self):
        """The visit's odometer is right although it does not fit the vehicle's other readings."""
        self.odometer_reading_ids.action_dealer_confirm()
        return True

    def action_draft(self):
        self.filtered(lambda visit: visit.state == "cancel").write({"state": "draft"})
        return True

    def _dealer_note_line_changes(self, changes):
        """Note on the finished visit what changed in its lines, in the name of whoever changed them.

        Points and revenue were counted on the lines: the note is their trail.
        Lines are changed by dealership users who may have no e-mail address
        (the DMS connection, a clerk): then the note is the system's, and its
        text names them.
        """
        self.ensure_one()
        if not changes:
            return
        self.message_post(
            body=_(
                "%(user)s changed the lines of this finished visit: %(changes)s.",
                user=self.env.user.name,
                changes="; ".join(changes),
            ),
            author_id=self.env["res.partner"]._dealer_note_author().id,
        )

    # ------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------

    def _dealer_on_visit_done(self):
        """Called once when visits become done (created done, confirmed, imported).

        Inherit this method to react to finished visits (points, surveys...);
        always call super().
        """
        self._dealer_sync_done_visits()

    def _dealer_on_visit_cancelled(self):
        """Called once when done visits are cancelled or reset.

        Inherit this method to undo what :meth:`_dealer_on_visit_done` did;
        always call super().
        """
        self._dealer_sync_done_visits()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _dealer_sync_done_visits(self):
        """Mirror visits into the vehicles' odometer history and refresh their customers' segments.

        A done visit with a vehicle and a reading owns exactly one odometer
        reading; any other visit owns none. Vehicle predictions follow through
        their computed fields.
        """
        Odometer = self.env["fleet.vehicle.odometer"]
        logs_by_visit = {
            log.dealer_visit_id: log for log in Odometer.search([("dealer_visit_id", "in", self.ids)])
        }
        to_create, to_unlink = [], Odometer
        for visit in self:
            log = logs_by_visit.get(visit, Odometer)
            wanted = visit.state == "done" and visit.vehicle_id and visit.odometer
            if log and (not wanted or log.vehicle_id != visit.vehicle_id):
                to_unlink |= log
                log = Odometer
            if not wanted:
                continue
            if not log:
                to_create.append(
                    {
                        "vehicle_id": visit.vehicle_id.id,
                        "value": visit.odometer,
                        "date": visit.date,
                        "dealer_visit_id": visit.id,
                    }
                )
            elif log.value != visit.odometer or log.date != visit.date:
                log.write({"value": visit.odometer, "date": visit.date})
        to_unlink.unlink()
        if to_create:
            Odometer.create(to_create)
        self.partner_id._dealer_update_segments()
