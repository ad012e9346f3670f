# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo satisfaction history: the shipped settings started, the demo visits of the
last months surveyed and answered through the real survey methods, the complaints
their low scores open, and a receptionist's contact log."""

import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models

DEMO_MONTHS = 8
CALLERS = [
    ("Kristi Lepp", "+372 5123 4001", "sales", "female", "test_drive"),
    ("Rein Kask", "+372 5123 4002", "service", "male", "appointment"),
    ("Helena Ots", "+372 5123 4003", "sales", "female", "quote"),
    ("Peeter Paju", "+372 5123 4004", "parts", "male", "informed"),
    ("Marina Volkova", "+372 5123 4005", "roadside", "female", "transferred"),
    ("Siim Tamm", "+372 5123 4006", "complaint", "male", "complaint"),
    ("Laura Mets", "+372 5123 4007", "sales", "female", "callback"),
    ("Artur Lill", "+372 5123 4008", "service", "male", "appointment"),
]


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
            answer.end_datetime = datetime.combine(answer.dealer_invited_on + timedelta(days=1), time(10))
        resolved = self.env.ref("dealer_csi.dealer_complaint_stage_resolved")
        in_progress = self.env.ref("dealer_csi.dealer_complaint_stage_in_progress")
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
                complaint.stage_id = in_progress
        self._create_demo_complaints()
        self._create_demo_contacts(rng, today)

    def _create_demo_complaints(self):
        visits = self.env["dealer.visit"].search([("state", "=", "done")], limit=3)
        now = fields.Datetime.now()
        self.env["dealer.complaint"].create(
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
                    "date_received": now - timedelta(days=days_ago),
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
                    ),
                    strict=False,
                )
            ]
        )

    def _answer_demo(self, answer, scores, recommend):
        questions = answer.survey_id.question_ids
        score_questions = questions.filtered(lambda question: question.dealer_csi_role == "score")
        for question, value in zip(score_questions, scores, strict=False):
            answer._save_lines(question, str(value))
        for question in questions.filtered(lambda question: question.dealer_csi_role == "recommend"):
            answer._save_lines(question, str(recommend))
        answer.with_context(dealer_csi_history=True)._mark_done()

    def _create_demo_contacts(self, rng, today):
        sources = self.env["utm.source"].search(
            [("name", "in", ("Showroom walk-in", "Website", "Radio ad", "Referral"))]
        )
        customers = self.env["dealer.visit"].search([("state", "=", "done")], limit=20).partner_id
        users = self.env["res.users"].search(
            [("login", "in", ("admin", "demo.advisor.anna", "demo.advisor.mark"))]
        )
        Log = self.env["dealer.contact.log"]
        for index, (name, phone, purpose, gender, outcome) in enumerate(CALLERS):
            Log.create(
                {
                    "date": fields.Datetime.now() - timedelta(days=index * 4, hours=index),
                    "contact_type": "walk_in" if index % 3 == 0 else "call_in",
                    "contact_name": name,
                    "phone": phone,
                    "purpose": purpose,
                    "gender": gender,
                    "outcome": outcome,
                    "source_id": sources and rng.choice(sources.ids),
                    "user_id": users and rng.choice(users.ids),
                    "follow_up_date": today + timedelta(days=2)
                    if outcome in ("callback", "quote")
                    else False,
                }
            )
        for index, customer in enumerate(customers):
            Log.create(
                {
                    "date": fields.Datetime.now() - timedelta(days=index * 3 + 1),
                    "contact_type": "call_out" if index % 4 == 0 else "call_in",
                    "partner_id": customer.id,
                    "phone": customer.phone,
                    "purpose": rng.choice(("service", "service", "parts", "sales")),
                    "gender": rng.choice(("female", "male")),
                    "outcome": rng.choice(("appointment", "informed", "appointment")),
                    "source_id": customer.dealer_source_id.id,
                    "user_id": users and rng.choice(users.ids),
                }
            )
