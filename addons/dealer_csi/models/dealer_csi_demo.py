# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo satisfaction history: the shipped settings started, the demo visits of the
last months surveyed and answered through the real survey methods, the complaints
their low scores open, and a receptionist's contact log."""

import random
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

DEMO_MONTHS = 8
# People who called or walked in without being customers yet: they become prospects.
CALLERS = [
    ("Kristel Unt", "+372 5123 4001", "sales", "female", "test_drive"),
    ("Rainer Kuusik", "+372 5123 4002", "service", "male", "appointment"),
    ("Helena Ots", "+372 5123 4003", "sales", "female", "quote"),
    ("Gert Aru", "+372 5123 4004", "parts", "male", "informed"),
    ("Veronika Belova", "+372 5123 4005", "roadside", "female", "transferred"),
    ("Sten Valk", "+372 5123 4006", "complaint", "male", "complaint"),
    ("Liina Roos", "+372 5123 4007", "sales", "female", "callback"),
    ("Artur Nõmm", "+372 5123 4008", "service", "male", "appointment"),
    ("Denis Gusev", "+372 5123 4009", "sales", "male", "test_drive"),
    ("Hanna Sild", "+372 5123 4010", "parts", "female", "no_interest"),
]
# When the phone rings at the reception (local hours): mornings and early afternoons.
CONTACT_HOURS = [8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17]
CONTACT_DAYS = 90


class DealerCsiDemo(models.AbstractModel):
    _name = "dealer.csi.demo"
    _description = "Dealer CSI Demo Data"

    @api.model
    def _create_demo_csi(self):
        rng = random.Random(7)
        today = fields.Date.context_today(self)
        configs = (
            self.env["dealer.csi.config"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.env.company.id)])
        )
        configs.active = True
        for config in configs:
            catch_up = config.catch_up_days
            config.catch_up_days = DEMO_MONTHS * 31
            config._dealer_create_invitations(today=today)
            config.catch_up_days = catch_up
        Input = self.env["survey.user_input"]
        invitations = Input.search([("dealer_kind", "=", "visit"), ("dealer_csi_state", "=", "to_send")])
        older = invitations.filtered(lambda answer: answer.dealer_visit_date < today - timedelta(days=10))
        for answer in older:
            answer.dealer_invited_on = answer.dealer_visit_date + timedelta(days=3)
        # The last days' invitations go out as the daily job sends them (calls
        # wait on the agent's list); older ones went out long ago.
        older.write({"dealer_csi_state": "sent"})
        Input._dealer_dispatch_invitations()
        categories = self.env["dealer.complaint.category"].search([])
        for answer in older:
            if rng.random() < 0.22:
                continue  # not answered
            mood = rng.random()
            if mood < 0.12:
                scores, recommend = [rng.choice((1, 2, 3)) for _question in range(6)], rng.randint(0, 5)
            elif mood < 0.35:
                scores, recommend = [rng.choice((3, 4)) for _question in range(6)], rng.randint(6, 8)
            else:
                scores, recommend = [rng.choice((4, 5, 5)) for _question in range(6)], rng.randint(8, 10)
            self._answer_demo(answer, scores, recommend)
            # Answered within a few days of the invitation, at any time of the waking day.
            answer.end_datetime = self._demo_utc(
                answer.dealer_invited_on + timedelta(days=rng.choice((0, 1, 1, 2, 3, 5))),
                rng.randint(8, 21),
                rng.randint(0, 59),
            )
        resolved = self.env.ref("dealer_csi.dealer_complaint_stage_resolved")
        in_progress = self.env.ref("dealer_csi.dealer_complaint_stage_in_progress")
        waiting = self.env.ref("dealer_csi.dealer_complaint_stage_waiting")
        open_stages = []
        for complaint in self.env["dealer.complaint"].search([]):
            received = complaint.user_input_id.end_datetime or fields.Datetime.now()
            complaint.write(
                {
                    "category_id": rng.choice(categories.ids),
                    "date_received": received,
                    "description": "<p>Told us on the survey call that the car was not ready at the time promised.</p>",
                }
            )
            if received.date() < today - timedelta(days=20):
                complaint.write(
                    {
                        "root_cause": "Parts ordered on the day of the visit.",
                        "resolution": "Apologised, refunded the labour and offered a free wash.",
                        "stage_id": resolved.id,
                        "customer_verdict": rng.choice(("satisfied", "satisfied", "partly")),
                    }
                )
                complaint.write({"date_closed": received + timedelta(days=rng.randint(1, 6))})
                complaint.resolution_days = (complaint.date_closed - complaint.date_received).days
            else:
                # The latest ones are being worked on; some wait for a part or for the customer.
                complaint.stage_id = waiting if len(open_stages) % 3 == 2 else in_progress
                open_stages.append(complaint.stage_id)
        self._create_demo_complaints()
        self._create_demo_contacts(rng, today)

    def _create_demo_complaints(self):
        """Complaints told at the desk, by phone or e-mail: new ones, one in work, one waiting for a part."""
        visits = self.env["dealer.visit"].search(
            [
                ("state", "=", "done"),
                ("department", "=", "service"),
                ("company_id", "=", self.env.company.id),
            ],
            limit=4,
        )
        now = fields.Datetime.now()
        stage = {
            key: self.env.ref(f"dealer_csi.dealer_complaint_stage_{key}")
            for key in ("new", "in_progress", "waiting")
        }
        complaints = self.env["dealer.complaint"].create(
            [
                {
                    "name": subject,
                    "partner_id": visit.partner_id.id,
                    "vehicle_id": visit.vehicle_id.id,
                    "visit_id": visit.id,
                    "department": visit.department,
                    "category_id": self.env.ref(f"dealer_csi.dealer_complaint_category_{category}").id,
                    "severity": severity,
                    "channel": channel,
                    "date_received": now - timedelta(days=days_ago, hours=days_ago * 3 % 7),
                    "description": f"<p>{words}</p>",
                    "user_id": self.env.ref("base.user_admin").id,
                }
                for visit, (subject, category, severity, channel, days_ago, words) in zip(
                    visits,
                    (
                        (
                            "Charged for work that was not agreed",
                            "price",
                            "medium",
                            "phone",
                            9,
                            "The invoice has a brake fluid change nobody asked me about.",
                        ),
                        (
                            "Waited 40 minutes at reception",
                            "waiting_time",
                            "low",
                            "showroom",
                            1,
                            "Nobody at the desk, two advisors on the phone.",
                        ),
                        (
                            "Warning light back on the day after the repair",
                            "repair_quality",
                            "high",
                            "email",
                            2,
                            "The engine light came back the next morning.",
                        ),
                        (
                            "Winter tyres not in the tyre hotel",
                            "parts_availability",
                            "medium",
                            "phone",
                            5,
                            "Came for the tyre change; my stored tyres could not be found.",
                        ),
                    ),
                    strict=False,
                )
            ]
        )
        complaints[:1].write(
            {"stage_id": stage["waiting"].id, "root_cause": "Advisor added the work without asking."}
        )
        complaints[3:4].write({"stage_id": stage["in_progress"].id})

    def _answer_demo(self, answer, scores, recommend):
        questions = answer.survey_id.question_ids
        score_questions = questions.filtered(lambda question: question.dealer_csi_role == "score")
        for question, value in zip(score_questions, scores, strict=False):
            answer._save_lines(question, str(value))
        for question in questions.filtered(lambda question: question.dealer_csi_role == "recommend"):
            answer._save_lines(question, str(recommend))
        answer.with_context(dealer_csi_history=True)._mark_done()

    def _create_demo_contacts(self, rng, today):
        """Three months of calls and showroom visits, on working days and in working hours."""
        sources = self.env["utm.source"].search(
            [("name", "in", ("Showroom walk-in", "Website", "Radio ad", "Referral"))]
        )
        customers = (
            self.env["dealer.visit"]
            .search([("state", "=", "done"), ("company_id", "=", self.env.company.id)], limit=120)
            .partner_id
        )
        users = self.env["res.users"].search(
            [("login", "in", ("admin", "demo.advisor.anna", "demo.advisor.mark"))]
        )
        madam = self.env.ref("base.res_partner_title_madam", raise_if_not_found=False)
        Log = self.env["dealer.contact.log"]
        # Prospects first called weeks ago; a few called again since (found by their number).
        callers = [(rng.randint(20, CONTACT_DAYS), caller) for caller in CALLERS]
        callers += [(rng.randint(0, days - 1), caller) for days, caller in callers[:4]]
        for days_ago, (name, phone, purpose, gender, outcome) in sorted(callers, key=lambda item: -item[0]):
            day = self._demo_working_day(today - timedelta(days=days_ago), rng)
            Log.create(
                {
                    "date": self._demo_contact_moment(day, rng),
                    "contact_type": "walk_in" if purpose == "sales" and rng.random() < 0.5 else "call_in",
                    "contact_name": name,
                    "phone": phone,
                    "purpose": purpose,
                    "gender": gender,
                    "outcome": outcome,
                    "source_id": sources and rng.choice(sources.ids),
                    "user_id": users and rng.choice(users.ids),
                    "follow_up_date": day + timedelta(days=2)
                    if outcome in ("callback", "quote") and day + timedelta(days=2) >= today
                    else False,
                }
            )
        values = []
        for _index in range(60):
            customer = rng.choice(customers) if customers else False
            if not customer:
                break
            day = self._demo_working_day(today - timedelta(days=rng.randint(0, CONTACT_DAYS)), rng)
            purpose = rng.choice(("service", "service", "service", "parts", "sales", "other"))
            values.append(
                {
                    "date": self._demo_contact_moment(day, rng),
                    "contact_type": rng.choice(("call_in", "call_in", "call_out", "walk_in")),
                    "partner_id": customer.id,
                    "phone": customer.phone,
                    "purpose": purpose,
                    "gender": "female" if madam and customer.title == madam else "male",
                    "outcome": rng.choice(("appointment", "appointment", "informed", "quote"))
                    if purpose != "other"
                    else "informed",
                    "source_id": customer.dealer_source_id.id,
                    "user_id": users and rng.choice(users.ids),
                }
            )
        Log.create(sorted(values, key=lambda vals: vals["date"]))

    def _demo_working_day(self, day, rng):
        """The day, or a working day of its week when it falls on a weekend (the dealership is closed)."""
        if day.weekday() < 5:
            return day
        return day - timedelta(days=day.weekday() - rng.randint(0, 4))

    def _demo_contact_moment(self, day, rng):
        """A moment of the working hours of ``day``; one still to come today is the last week's."""
        moment = self._demo_utc(day, rng.choice(CONTACT_HOURS), rng.randint(0, 59))
        return moment if moment <= fields.Datetime.now() else moment - timedelta(days=7)

    def _demo_utc(self, day, hour, minute):
        """The UTC moment of ``hour:minute`` on ``day`` on the dealership's clock."""
        zone = pytz.timezone(self.env.company.dealer_timezone or "UTC")
        local = zone.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
