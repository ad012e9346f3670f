# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .dealer_vehicle_ownership import OWNERSHIP_END_REASONS

_logger = logging.getLogger(__name__)

VIN_LENGTH = 17


class FleetVehicle(models.Model):
    _name = "fleet.vehicle"
    _inherit = ["fleet.vehicle", "dealer.vehicle.service.prediction"]

    # The DMS import and the VIN check find cars by VIN, in any company.
    vin_sn = fields.Char(index="btree_not_null")

    dealer_owner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        tracking=True,
        index="btree_not_null",
        help="Customer who owns the vehicle and receives its reminders (the driver may be someone else).",
    )
    dealer_ownership_ids = fields.One2many(
        "dealer.vehicle.ownership", "vehicle_id", string="Ownership History"
    )
    dealer_owner_phone = fields.Char(related="dealer_owner_id.phone", string="Owner's Phone")
    dealer_order_date = fields.Date(string="Order Signed", tracking=True)
    dealer_handover_date = fields.Date(string="Handover Date", tracking=True)
    dealer_condition = fields.Selection(
        [("new", "New"), ("used", "Used")], string="Sold As", default="new", tracking=True
    )
    dealer_warranty_end = fields.Date(string="Warranty End", tracking=True)
    dealer_extended_warranty_end = fields.Date(string="Extended Warranty End", tracking=True)
    dealer_inspection_due = fields.Date(string="Annual Inspection Due", tracking=True)
    dealer_insurance_due = fields.Date(string="Insurance Renewal Due", tracking=True)
    dealer_service_interval_km = fields.Integer(
        string="Service Every (km)", help="Leave empty to use the model's or the company's service plan."
    )
    dealer_service_interval_months = fields.Integer(
        string="Service Every (months)", help="Leave empty to use the model's or the company's service plan."
    )
    dealer_visit_ids = fields.One2many("dealer.visit", "vehicle_id", string="Visits")
    dealer_visit_count = fields.Integer(compute="_compute_dealer_visit_count", string="Visit Count")
    dealer_odometer_ids = fields.One2many("fleet.vehicle.odometer", "vehicle_id", string="Odometer Readings")

    # ------------------------------------------------------------
    # CHATTER
    # ------------------------------------------------------------

    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """A portal customer reads their car, not its chatter.

        A car changes hands: its messages are what staff wrote to its owners
        over the years. Reading them asks for write access, which customers
        lack; the messages they were sent stay theirs (mail.message allows them).
        """
        if operation == "read" and not self.env.user._is_internal():
            return "write"
        return super()._get_mail_message_access(res_ids, operation, model_name=model_name)

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    def _compute_dealer_visit_count(self):
        counts = dict(
            self.env["dealer.visit"]._read_group(
                [("vehicle_id", "in", self.ids)], ["vehicle_id"], ["__count"]
            )
        )
        for vehicle in self:
            vehicle.dealer_visit_count = counts.get(vehicle, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS AND CRUD
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        self._dealer_archive_duplicate_vins()
        # One active vehicle per VIN and company, guarded by the database: two
        # imports running at once cannot both create the same car.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS fleet_vehicle_dealer_vin_company_unique
                ON fleet_vehicle (COALESCE(company_id, 0), vin_sn)
             WHERE vin_sn IS NOT NULL AND active
            """
        )
        # The DMS import finds cars by plate in capitals, letters and digits only.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS fleet_vehicle_dealer_plate_key
                ON fleet_vehicle (UPPER(REGEXP_REPLACE(license_plate, '[^[:alnum:]]', '', 'g')))
             WHERE license_plate IS NOT NULL
            """
        )
        return res

    def _dealer_archive_duplicate_vins(self):
        """Before the VIN becomes unique: write VINs in capitals, archive the later duplicates.

        Of the active vehicles of a company sharing a VIN, the first created
        stays; the others are archived with a note naming it, so that staff
        can move their visits over and nothing is deleted.
        """
        cr = self.env.cr
        cr.execute(
            """
            UPDATE fleet_vehicle SET vin_sn = NULLIF(UPPER(REGEXP_REPLACE(vin_sn, '\\s', '', 'g')), '')
             WHERE vin_sn IS DISTINCT FROM NULLIF(UPPER(REGEXP_REPLACE(vin_sn, '\\s', '', 'g')), '')
            """
        )
        cr.execute(
            """
            SELECT id, kept_id FROM (
                SELECT id, FIRST_VALUE(id) OVER same_car AS kept_id, ROW_NUMBER() OVER same_car AS position
                  FROM fleet_vehicle
                 WHERE vin_sn IS NOT NULL AND active
                WINDOW same_car AS (PARTITION BY COALESCE(company_id, 0), vin_sn ORDER BY id)
            ) numbered WHERE position > 1
            """
        )
        duplicates = cr.fetchall()
        if not duplicates:
            return
        _logger.warning(
            "Archiving %s vehicles whose VIN another vehicle of their company has", len(duplicates)
        )
        Vehicle = self.browse([vehicle_id for vehicle_id, _kept in duplicates]).with_context(
            tracking_disable=True
        )
        Vehicle.write({"active": False})
        kept = dict(duplicates)
        for vehicle in Vehicle:
            vehicle.message_post(
                body=_(
                    "Archived: vehicle %(kept)s has the same VIN. Move this vehicle's visits to it and "
                    "delete this one, or correct the VIN.",
                    kept=self.browse(kept[vehicle.id]).display_name,
                )
            )

    @api.constrains("vin_sn", "company_id", "active")
    def _check_dealer_vin(self):
        for vehicle in self:
            if vehicle.vin_sn and len(vehicle.vin_sn) != VIN_LENGTH:
                raise ValidationError(
                    _(
                        "The VIN %(vin)s has %(count)s characters; a VIN has %(length)s.",
                        vin=vehicle.vin_sn,
                        count=len(vehicle.vin_sn),
                        length=VIN_LENGTH,
                    )
                )
        self._dealer_check_vin_free(
            [
                (vehicle.company_id.id, vehicle.vin_sn, vehicle.id)
                for vehicle in self
                if vehicle.vin_sn and vehicle.active
            ]
        )

    @api.model
    def _dealer_check_vin_free(self, claims):
        """Refuse a VIN that another active vehicle of the company has, in words a user understands.

        The unique index is the guarantee; this check runs before the row
        is written, so that nobody sees the database's message.

        :param claims: list of (company id, VIN, vehicle id or None)
        """
        if not claims:
            return
        # sudo: a VIN must be unique among all the company's vehicles, seen by the user or not.
        others = self.sudo().search([("vin_sn", "in", list({vin for _company, vin, _id in claims}))])
        owners = {(vehicle.company_id.id, vehicle.vin_sn): vehicle for vehicle in others}
        seen = {}
        for company_id, vin, vehicle_id in claims:
            twin = owners.get((company_id or False, vin)) or seen.get((company_id or False, vin))
            if twin and twin.id != vehicle_id:
                raise ValidationError(
                    _(
                        "The VIN %(vin)s is already the VIN of %(vehicle)s: a car is recorded once.",
                        vin=vin,
                        vehicle=twin.display_name,
                    )
                )
            seen[company_id or False, vin] = (
                self.browse(vehicle_id) if vehicle_id else self.new({"vin_sn": vin})
            )

    @api.model
    def _dealer_normalize_vin(self, vals):
        if vals.get("vin_sn"):
            vals["vin_sn"] = "".join(vals["vin_sn"].split()).upper() or False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dealer_normalize_vin(vals)
        self._dealer_check_vin_free(
            [
                (vals.get("company_id", self.env.company.id), vals["vin_sn"], None)
                for vals in vals_list
                if vals.get("vin_sn") and vals.get("active", True)
            ]
        )
        vehicles = super().create(vals_list)
        owned = vehicles.filtered("dealer_owner_id")
        if owned:
            self.env["dealer.vehicle.ownership"].create(
                [
                    {
                        "vehicle_id": vehicle.id,
                        "partner_id": vehicle.dealer_owner_id.id,
                        "date_start": vehicle.dealer_handover_date or fields.Date.context_today(self),
                    }
                    for vehicle in owned
                ]
            )
        return vehicles

    def write(self, vals):
        self._dealer_normalize_vin(vals)
        if "dealer_owner_id" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda v: v.dealer_owner_id.id != vals["dealer_owner_id"])
        res = super().write(vals)
        if changed:
            changed._dealer_record_owner_change()
        return res

    def _dealer_record_owner_change(self):
        """Close the previous ownerships and open one for the new owner.

        The end reason and date come from the context keys
        ``dealer_loyalty_ownership_end_reason`` and ``dealer_loyalty_ownership_date``.
        """
        today = fields.Date.context_today(self)
        change_date = self.env.context.get("dealer_loyalty_ownership_date") or today
        reason = self.env.context.get("dealer_loyalty_ownership_end_reason") or "no_longer_owns"
        if reason not in dict(OWNERSHIP_END_REASONS):
            reason = "other"
        current = self.dealer_ownership_ids.filtered("is_current")
        current.write({"date_end": change_date, "end_reason": reason})
        self.env["dealer.vehicle.ownership"].create(
            [
                {
                    "vehicle_id": vehicle.id,
                    "partner_id": vehicle.dealer_owner_id.id,
                    "date_start": change_date,
                }
                for vehicle in self.filtered("dealer_owner_id")
            ]
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_dealer_open_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("dealer_loyalty.dealer_visit_action")
        action["domain"] = [("vehicle_id", "=", self.id)]
        action["context"] = {
            "default_vehicle_id": self.id,
            "default_partner_id": self.dealer_owner_id.id,
            "search_default_done": 1,
        }
        return action
