# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import run_as_two_requests


class TwoConnectionsCase(TransactionCase):
    """Two customers with a reminder each due today, committed: two real connections see them."""

    def setUp(self):
        super().setUp()
        self.setup_cr = self.registry.cursor()
        env = api.Environment(
            self.setup_cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True},
        )
        self.today = fields.Date.context_today(env["dealer.loyalty.reminder"])
        # Two customers, one per channel: contact pressure would hold a second message to one.
        customers = env["res.partner"].create(
            [
                {
                    "name": name,
                    "email": f"{login}@example.com",
                    "mobile": mobile,
                    "dealer_consent_email": True,
                    "dealer_consent_sms": True,
                    "dealer_preferred_channel": channel,
                    "dealer_segment": "active",
                }
                for name, login, mobile, channel in (
                    ("Kaja Kivi", "kaja.kivi", "+37251234567", "email"),
                    ("Олег Смирнов", "oleg.smirnov", "+37251234568", "sms"),
                )
            ]
        )
        model = env["fleet.vehicle.model"].search([], limit=1)
        vehicles = env["fleet.vehicle"].create(
            [
                {"model_id": model.id, "license_plate": f"RACE0{index}", "dealer_owner_id": customer.id}
                for index, customer in enumerate(customers)
            ]
        )
        program = env.ref("dealer_loyalty.dealer_loyalty_program_insurance").copy(
            {"name": "Race insurance", "active": True, "partner_domain": f"[('id', 'in', {customers.ids})]"}
        )
        self.reminders = env["dealer.loyalty.reminder"].create(
            [
                {
                    "program_id": program.id,
                    "program_type": program.program_type,
                    "company_id": program.company_id.id,
                    "partner_id": vehicle.dealer_owner_id.id,
                    "vehicle_id": vehicle.id,
                    "due_date": self.today + timedelta(days=5),
                    "scheduled_date": self.today,
                    "channel": vehicle.dealer_owner_id.dealer_preferred_channel,
                }
                for vehicle in vehicles
            ]
        )
        self.customers, self.vehicles, self.program = customers, vehicles, program
        self.setup_cr.commit()
        self.addCleanup(self.cleanup)

    def cleanup(self):
        setup_cr = self.setup_cr
        setup_cr.rollback()
        reminders = tuple(self.reminders.ids)
        setup_cr.execute("DELETE FROM sms_sms WHERE partner_id IN %s", [tuple(self.customers.ids)])
        # Appointments booked from the calls, and the calls' tasks.
        setup_cr.execute(
            "DELETE FROM calendar_event WHERE id IN (SELECT calendar_event_id FROM calendar_event_res_partner_rel"
            " WHERE res_partner_id IN %s)",
            [tuple(self.customers.ids)],
        )
        setup_cr.execute(
            "DELETE FROM mail_activity WHERE res_model = 'dealer.loyalty.reminder' AND res_id IN %s",
            [reminders],
        )
        setup_cr.execute(
            "DELETE FROM mail_message WHERE (model = 'dealer.loyalty.reminder' AND res_id IN %s)"
            " OR (model = 'dealer.loyalty.program' AND res_id = %s)",
            [reminders, self.program.id],
        )
        setup_cr.execute("DELETE FROM dealer_loyalty_reminder WHERE program_id = %s", [self.program.id])
        setup_cr.execute("DELETE FROM dealer_loyalty_program WHERE id = %s", [self.program.id])
        setup_cr.execute("DELETE FROM fleet_vehicle WHERE id IN %s", [tuple(self.vehicles.ids)])
        setup_cr.execute("DELETE FROM res_partner WHERE id IN %s", [tuple(self.customers.ids)])
        setup_cr.commit()
        setup_cr.close()


@tagged("post_install", "-at_install")
class TestTwoRunsAtOnce(TwoConnectionsCase):
    """The hourly job and a manager's Run Now reach the same reminder at the same moment,
    on two real connections: the customer hears from the dealership once."""

    def test_the_job_and_run_now_send_each_message_once(self):
        def process(env):
            program = env["dealer.loyalty.program"].browse(self.program.id)
            return env["dealer.loyalty.reminder"]._dealer_process_due(programs=program, today=self.today)

        outcome = run_as_two_requests(self.env.cr.dbname, process, process)
        for result in outcome.values():
            if isinstance(result, Exception):
                raise result
        cr = self.setup_cr
        cr.execute(
            "SELECT count(*) FROM mail_mail mail JOIN mail_message message ON message.id = mail.mail_message_id"
            " WHERE message.model = 'dealer.loyalty.reminder' AND message.res_id IN %s",
            [tuple(self.reminders.ids)],
        )
        self.assertEqual(cr.fetchone()[0], 1, "one e-mail")
        cr.execute("SELECT count(*) FROM sms_sms WHERE partner_id IN %s", [tuple(self.customers.ids)])
        self.assertEqual(cr.fetchone()[0], 1, "one SMS")
        cr.execute(
            "SELECT channel, state, sent_date FROM dealer_loyalty_reminder WHERE id IN %s ORDER BY channel",
            [tuple(self.reminders.ids)],
        )
        self.assertEqual(cr.fetchall(), [("email", "done", self.today), ("sms", "done", self.today)])


@tagged("post_install", "-at_install")
class TestTwoAgentsOneCall(TwoConnectionsCase):
    """Two agents open the same call card and click its outcome at the same moment."""

    def test_two_agents_booking_the_same_call_make_one_appointment(self):
        env = api.Environment(self.setup_cr, SUPERUSER_ID, {"tracking_disable": True})
        call = env["dealer.loyalty.reminder"].browse(self.reminders[0].id)
        call.write({"channel": "phone"})
        call._dealer_open_calls(self.today)
        self.setup_cr.commit()

        def book(env):
            return env["dealer.loyalty.reminder"].browse(call.id).action_call_appointment()

        outcome = run_as_two_requests(self.env.cr.dbname, book, book)
        cr = self.setup_cr
        cr.execute("SELECT calendar_event_id FROM dealer_loyalty_reminder WHERE id = %s", [call.id])
        event_id = cr.fetchone()[0]
        self.assertTrue(event_id)
        cr.execute(
            "SELECT count(*) FROM calendar_event_res_partner_rel WHERE res_partner_id = %s",
            [call.partner_id.id],
        )
        self.assertEqual(cr.fetchone()[0], 1, "one appointment")
        refused = [result for result in outcome.values() if isinstance(result, Exception)]
        self.assertEqual(len(refused), 1, outcome)
        self.assertIsInstance(refused[0], UserError)
