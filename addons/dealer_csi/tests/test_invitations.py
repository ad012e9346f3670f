# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
import uuid
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.tests import TransactionCase, tagged

from odoo.addons.dealer_loyalty.tests.common import run_as_two_requests

from .common import TODAY, DealerCsiCase


@tagged("post_install", "-at_install")
class TestCsiInvitations(DealerCsiCase):
    def test_invitation_on_the_survey_day_and_never_twice(self):
        due = self.make_visit(TODAY - timedelta(days=3))
        too_early = self.make_visit(TODAY - timedelta(days=2))
        caught_up = self.make_visit(TODAY - timedelta(days=10))
        too_old = self.make_visit(TODAY - timedelta(days=11))
        created = self.config._dealer_create_invitations(today=TODAY)
        self.assertEqual(created, 2)
        invitations = self.env["survey.user_input"].search([("dealer_company_id", "=", self.company.id)])
        self.assertEqual(invitations.dealer_visit_id, due | caught_up)
        self.assertNotIn(too_early, invitations.dealer_visit_id)
        self.assertNotIn(too_old, invitations.dealer_visit_id)
        invitation = invitations.filtered(lambda answer: answer.dealer_visit_id == due)
        self.assertEqual(invitation.dealer_csi_state, "to_send")
        self.assertEqual(invitation.partner_id, self.customer)
        self.assertEqual(invitation.dealer_vehicle_id, self.vehicle)
        self.assertEqual(invitation.dealer_advisor_id, self.advisor)
        self.assertEqual(invitation.dealer_department, "service")
        self.assertTrue(invitation.access_token)
        # A re-run, the next day or the same day, asks nobody twice.
        self.assertEqual(self.config._dealer_create_invitations(today=TODAY), 0)
        self.assertEqual(self.config._dealer_create_invitations(today=TODAY + timedelta(days=1)), 1)
        self.assertEqual(self.env["survey.user_input"].search_count([("dealer_visit_id", "=", due.id)]), 1)

    def test_invitations_are_created_with_their_questions_and_token(self):
        other = self.env["res.partner"].create({"name": "Olga Other", "email": "olga@example.com"})
        visits = self.make_visit(TODAY - timedelta(days=3)) | self.make_visit(
            TODAY - timedelta(days=5), partner=other
        )
        invitations = self.invite(visits)
        self.assertEqual(len(invitations), 2)
        for invitation in invitations:
            # What the survey's own invitations get: the questions its page shows, a token, a name.
            self.assertEqual(invitation.predefined_question_ids, self.survey.question_ids)
            self.assertEqual(uuid.UUID(invitation.access_token).version, 4)
            self.assertIn(invitation.access_token, invitation.get_start_url())
            self.assertEqual(invitation.nickname, invitation.partner_id.name)
            self.assertEqual(invitation.email, invitation.partner_id.email)
            self.assertEqual((invitation.state, invitation.test_entry), ("new", False))
        self.assertEqual(len(set(invitations.mapped("access_token"))), 2)
        # Created in bulk by the system: nobody follows them, no chatter noise.
        self.assertFalse(invitations.message_follower_ids)
        self.assertFalse(invitations.message_ids)
        # The customer answers the page the token opens.
        invitation = invitations.filtered(lambda answer: answer.partner_id == other)
        self.answer(invitation, [5, 4, 5, 4, 5, 4], recommend=9)
        self.assertEqual(invitation.dealer_csi_state, "answered")
        self.assertAlmostEqual(invitation.dealer_csi_score, 87.5)

    def test_invitations_are_inserted_with_their_figures(self):
        """A batch of invitations is written once: its stored figures go in with the insert."""
        visits = self.env["dealer.visit"].concat(
            *(self.make_visit(TODAY - timedelta(days=days)) for days in (3, 4, 5))
        )
        with self.record_queries() as queries:
            invitations = self.invite(visits)
            self.env.flush_all()
        self.assertEqual(len(invitations), 3)
        rewrites = [query for query in queries if re.match(r'\s*UPDATE\s+"survey_user_input"', query)]
        self.assertEqual(rewrites, [], "no second write of the new invitations")
        for invitation in invitations:
            self.assertEqual(
                (invitation.dealer_is_scored, invitation.dealer_csi_score, invitation.dealer_nps_class),
                (False, 0.0, False),
            )
            self.assertEqual((invitation.scoring_total, invitation.scoring_success), (0.0, False))

    def test_answer_sets_created_together_keep_their_own_figures(self):
        """Figures computed once for answer sets created together are those of their own answers."""
        quiz = self.env["survey.survey"].create(
            {
                "title": "Workshop quiz",
                "scoring_type": "scoring_without_answers",
                "scoring_success_min": 50.0,
                "question_and_page_ids": [
                    Command.create(
                        {
                            "title": "Which oil?",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                Command.create({"value": "5W-30", "answer_score": 10.0}),
                                Command.create({"value": "Olive", "answer_score": 0.0}),
                            ],
                        }
                    )
                ],
            }
        )
        question = quiz.question_ids
        right = question.suggested_answer_ids.filtered(lambda answer: answer.answer_score)
        answered, blank = self.env["survey.user_input"].create(
            [
                {
                    "survey_id": quiz.id,
                    "user_input_line_ids": [
                        Command.create(
                            {
                                "question_id": question.id,
                                "answer_type": "suggestion",
                                "suggested_answer_id": right.id,
                            }
                        )
                    ],
                },
                {"survey_id": quiz.id},
            ]
        )
        self.assertEqual(
            (answered.scoring_total, answered.scoring_percentage, answered.scoring_success),
            (10.0, 100.0, True),
        )
        self.assertEqual(
            (blank.scoring_total, blank.scoring_percentage, blank.scoring_success), (0.0, 0.0, False)
        )

    def test_random_question_surveys_pick_for_each_invitation(self):
        survey = self.survey.copy()
        survey.write({"questions_selection": "random"})
        self.config.survey_id = survey
        invitations = self.invite(
            self.make_visit(TODAY - timedelta(days=3)) | self.make_visit(TODAY - timedelta(days=4))
        )
        self.assertEqual(len(invitations), 2)
        for invitation in invitations:
            self.assertEqual(invitation.survey_id, survey)
            self.assertTrue(invitation.predefined_question_ids)
            self.assertLessEqual(invitation.predefined_question_ids, survey.question_ids)

    def test_payer_types_and_visit_states(self):
        day = TODAY - timedelta(days=3)
        customer_paid = self.make_visit(day)
        warranty_only = self.make_visit(day, lines=[("Recall", "labour", "warranty", 80.0)])
        mixed = self.make_visit(
            day, lines=[("Recall", "labour", "warranty", 80.0), ("Wipers", "parts", "customer", 20.0)]
        )
        internal_only = self.make_visit(day, lines=[("Used car prep", "labour", "internal", 300.0)])
        declined_only = self.make_visit(day)
        declined_only.line_ids.declined = True
        cancelled = self.make_visit(day)
        cancelled.action_cancel()
        body_shop = self.make_visit(day, department="body_shop")
        invited = self.invite(
            customer_paid | warranty_only | mixed | internal_only | declined_only | cancelled | body_shop
        )
        self.assertEqual(invited.dealer_visit_id, customer_paid | mixed)
        self.config.payer_warranty = True
        self.config._dealer_create_invitations(today=TODAY)
        invited = self.env["survey.user_input"].search([("dealer_company_id", "=", self.company.id)])
        self.assertEqual(invited.dealer_visit_id, customer_paid | mixed | warranty_only)

    def test_paused_setting_invites_nobody(self):
        self.config.active = False
        visit = self.make_visit(TODAY - timedelta(days=3))
        self.env["dealer.csi.config"].search(
            [("company_id", "=", self.company.id)]
        )._dealer_create_invitations(today=TODAY)
        self.assertFalse(self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)]))

    def test_phone_channel_puts_a_call_on_the_agents_list_and_expires_it(self):
        self.company.dealer_csi_call_expiry_days = 5
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "to_call")
        self.assertEqual(invitation.predefined_question_ids, self.survey.question_ids)
        today = invitation.dealer_invited_on
        self.assertEqual(invitation.dealer_call_deadline, today + timedelta(days=5))
        activity = invitation.activity_ids
        self.assertEqual(activity.user_id, self.advisor)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        Input = self.env["survey.user_input"]
        self.assertNotIn(invitation, Input._dealer_expire_calls(today=today + timedelta(days=5)))
        self.assertIn(invitation, Input._dealer_expire_calls(today=today + timedelta(days=6)))
        self.assertEqual(invitation.dealer_csi_state, "expired")
        self.assertFalse(invitation.activity_ids)
        self.assertTrue(invitation.dealer_reason)

    def test_answering_closes_the_call(self):
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.answer(invitation, [5, 5, 4, 5, 5, 4], recommend=9)
        self.assertEqual(invitation.dealer_csi_state, "answered")
        self.assertFalse(invitation.activity_ids)

    def test_email_and_sms_channels(self):
        self.config.write({"channel": "email"})
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3)))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "sent")
        mail = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", invitation.id)]
        )
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn(invitation.access_token, mail.body_html)

        self.config.write({"channel": "sms"})
        texter = self.env["res.partner"].create({"name": "Sam Texter", "mobile": "+32 470 99 88 77"})
        invitation = self.invite(self.make_visit(TODAY - timedelta(days=3), partner=texter))
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(invitation.dealer_csi_state, "sent")
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", texter.id)])
        self.assertEqual(sms.state, "outgoing")
        self.assertIn(invitation.access_token, sms.body)

    def test_invitation_emails_are_the_templates_emails(self):
        """The batch queues the e-mail the template's own ``send_mail_batch`` would."""
        self.config.write({"channel": "email"})
        dutch = self.env["res.partner"].create({"name": "Dirk Dutch", "email": "dirk@example.com"})
        invitations = self.invite(
            self.make_visit(TODAY - timedelta(days=3))
            | self.make_visit(TODAY - timedelta(days=4), partner=dutch)
        )
        template = self.config.mail_template_id
        fields = ["subject", "email_from", "body_html", "body", "recipient_ids", "model", "res_id", "state"]
        fields += ["message_type", "is_notification", "auto_delete", "record_name", "author_id", "reply_to"]
        with self.env.cr.savepoint(flush=False) as savepoint:
            expected = {
                mail.res_id: mail.read(fields)[0] for mail in template.send_mail_batch(invitations.ids)
            }
            savepoint.rollback()
        queued = invitations._dealer_queue_mails(template)
        self.assertEqual(len(queued), 2)
        for mail in queued:
            values = mail.read(fields)[0]
            self.assertIn(mail.res_id, invitations.ids)
            self.assertIn(invitations.browse(mail.res_id).access_token, values["body_html"])
            self.assertEqual(values | {"id": 0}, expected[mail.res_id] | {"id": 0})

    def test_uncontactable_customers_are_skipped_with_the_reason(self):
        self.config.write({"channel": "email", "consent_required": True})
        consenting = self.env["res.partner"].create(
            {"name": "Yes Please", "email": "yes@example.com", "dealer_consent_email": True}
        )
        no_consent = self.env["res.partner"].create({"name": "No Thanks", "email": "no@example.com"})
        no_email = self.env["res.partner"].create({"name": "No Mail", "dealer_consent_email": True})
        day = TODAY - timedelta(days=3)
        visits = (
            self.make_visit(day, partner=consenting)
            | self.make_visit(day, partner=no_consent)
            | self.make_visit(day, partner=no_email)
        )
        invitations = self.invite(visits)
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        states = {
            answer.partner_id: (answer.dealer_csi_state, answer.dealer_reason) for answer in invitations
        }
        self.assertEqual(states[consenting][0], "sent")
        self.assertEqual(states[no_consent], ("skipped", "No marketing consent for this channel."))
        self.assertEqual(states[no_email], ("skipped", "No contact data for this channel."))

    def test_a_failing_invitation_fails_alone(self):
        template = self.env.ref("dealer_csi.mail_template_csi_invitation").copy(
            {"subject": "Your visit, {{ object.partner_id.ref.upper() }}"}
        )
        self.config.write({"channel": "email", "mail_template_id": template.id})
        with_ref = self.env["res.partner"].create(
            {"name": "Has Ref", "email": "ref@example.com", "ref": "c1"}
        )
        day = TODAY - timedelta(days=3)
        good = self.invite(self.make_visit(day, partner=with_ref))
        bad = self.invite(self.make_visit(day))  # the customer has no reference: rendering fails
        self.env["survey.user_input"]._dealer_dispatch_invitations()
        self.assertEqual(good.dealer_csi_state, "sent")
        self.assertEqual(bad.dealer_csi_state, "failed")
        self.assertIn("Could not be sent", bad.dealer_reason)

    def test_cron_runs_every_setting_and_sends(self):
        visit = self.make_visit(fields.Date.context_today(self.config) - timedelta(days=3))
        self.env["dealer.csi.config"]._cron_dealer_csi_invitations()
        invitation = self.env["survey.user_input"].search([("dealer_visit_id", "=", visit.id)])
        self.assertEqual(invitation.dealer_csi_state, "to_call")


@tagged("post_install", "-at_install")
class TestCsiResurveys(DealerCsiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recovery_survey = cls.env.ref("dealer_csi.survey_csi_recovery")
        cls.company.write(
            {"dealer_csi_resurvey_days": 7, "dealer_csi_recovery_survey_id": cls.recovery_survey.id}
        )

    def resolved_complaint(self, partner=None):
        complaint = self.env["dealer.complaint"].create(
            {
                "name": "Car not ready in time",
                "partner_id": (partner or self.customer).id,
                "company_id": self.company.id,
                "department": "service",
                "user_id": self.manager.id,
            }
        )
        complaint.write(
            {
                "resolution": "Apologised and refunded the labour.",
                "stage_id": self.env.ref("dealer_csi.dealer_complaint_stage_resolved").id,
            }
        )
        return complaint

    def test_resurveys_are_created_with_their_questions_and_token_once(self):
        no_email = self.env["res.partner"].create({"name": "Paul Phone", "phone": "+32 470 11 22 33"})
        complaints = self.resolved_complaint() | self.resolved_complaint(partner=no_email)
        today = complaints[0].resurvey_date
        # On these complaints only: the demo data has complaints of its own.
        self.assertEqual(complaints._dealer_create_resurveys(today=today), 2)
        for complaint in complaints:
            resurvey = complaint.resurvey_id
            self.assertEqual(resurvey.dealer_complaint_id, complaint)
            self.assertEqual(resurvey.dealer_kind, "recovery")
            self.assertEqual(resurvey.survey_id, self.recovery_survey)
            self.assertEqual(resurvey.predefined_question_ids, self.recovery_survey.question_ids)
            self.assertEqual(uuid.UUID(resurvey.access_token).version, 4)
            self.assertEqual(resurvey.dealer_agent_id, self.manager)
            self.assertEqual(resurvey.dealer_csi_state, "to_send")
        channels = {complaint.partner_id: complaint.resurvey_id.dealer_channel for complaint in complaints}
        self.assertEqual(channels, {self.customer: "email", no_email: "phone"})
        # A re-run, the same day or later, asks nobody twice.
        self.assertEqual(complaints._dealer_create_resurveys(today=today), 0)
        self.assertEqual(complaints._dealer_create_resurveys(today=today + timedelta(days=1)), 0)
        self.assertEqual(
            self.env["survey.user_input"].search_count([("dealer_complaint_id", "in", complaints.ids)]), 2
        )


@tagged("post_install", "-at_install")
class TestInvitationRaces(TransactionCase):
    """The daily run and a manager's "Run now" at the same moment, on two real connections.

    Each runs as Odoo runs a request: inside ``retrying``, which runs it again
    after a serialization failure. The data is committed beforehand, so that
    both connections see it, and removed afterwards.
    """

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        self.setup_cr = self.db.cursor()
        env = api.Environment(self.setup_cr, SUPERUSER_ID, {"tracking_disable": True})
        self.addCleanup(self.cleanup)
        self.company = env["res.company"].create({"name": "CSI Race Motors"})
        self.customers = env["res.partner"].create(
            [{"name": f"Race Customer {number}", "email": f"race{number}@example.com"} for number in range(3)]
        )
        today = fields.Date.context_today(env["res.partner"])
        self.visits = env["dealer.visit"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "date": today - timedelta(days=3),
                    "department": "service",
                    "state": "done",
                }
                for customer in self.customers
            ]
        )
        self.config = env["dealer.csi.config"].create(
            {
                "name": "Race service survey",
                "company_id": self.company.id,
                "department": "service",
                "survey_id": env.ref("dealer_csi.survey_csi_service").id,
                "channel": "phone",
                "user_id": SUPERUSER_ID,
                "manager_id": SUPERUSER_ID,
            }
        )
        recovery = env.ref("dealer_csi.survey_csi_recovery")
        self.company.write({"dealer_csi_resurvey_days": 0, "dealer_csi_recovery_survey_id": recovery.id})
        self.complaints = env["dealer.complaint"].create(
            [
                {
                    "name": "Race complaint",
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "user_id": SUPERUSER_ID,
                    "resolution": "Refunded.",
                    "stage_id": env.ref("dealer_csi.dealer_complaint_stage_resolved").id,
                }
                for customer in self.customers
            ]
        )
        self.setup_cr.commit()

    def cleanup(self):
        setup_cr = self.setup_cr
        try:
            setup_cr.rollback()
            env = api.Environment(setup_cr, SUPERUSER_ID, {"active_test": False})
            company = env["res.company"].search([("name", "=", "CSI Race Motors")])
            env["survey.user_input"].search([("dealer_company_id", "in", company.ids)]).unlink()
            env["dealer.complaint"].search([("company_id", "in", company.ids)]).unlink()
            # Done visits cannot be deleted through the ORM: they are the dealership's history.
            setup_cr.execute("DELETE FROM dealer_visit WHERE company_id IN %s", [tuple(company.ids) or (0,)])
            env["dealer.csi.config"].search([("company_id", "in", company.ids)]).unlink()
            env["res.partner"].search([("name", "=like", "Race Customer %")]).unlink()
            partners = company.partner_id
            company.unlink()
            partners.unlink()
            setup_cr.commit()
        finally:
            setup_cr.close()

    def count(self, domain):
        with self.db.cursor() as cr:
            return api.Environment(cr, SUPERUSER_ID, {})["survey.user_input"].search_count(domain)

    def race(self, operation):
        results = run_as_two_requests(self.env.cr.dbname, operation, operation)
        errors = {name: result for name, result in results.items() if isinstance(result, Exception)}
        self.assertEqual(errors, {}, "neither run fails")
        return results

    def test_two_invitation_runs_at_once_invite_each_visit_once(self):
        results = self.race(
            lambda env: env["dealer.csi.config"].browse(self.config.id)._dealer_create_invitations()
        )
        self.assertEqual(sum(results.values()), 3, results)
        for visit in self.visits:
            self.assertEqual(
                self.count([("dealer_visit_id", "=", visit.id), ("dealer_kind", "=", "visit")]), 1
            )
        with self.db.cursor() as cr:
            invitations = api.Environment(cr, SUPERUSER_ID, {})["survey.user_input"].search(
                [("dealer_visit_id", "in", self.visits.ids)]
            )
            self.assertEqual(invitations.predefined_question_ids, self.config.survey_id.question_ids)

    def test_two_resurvey_runs_at_once_ask_each_customer_once(self):
        results = self.race(
            lambda env: env["dealer.complaint"].browse(self.complaints.ids)._dealer_create_resurveys()
        )
        self.assertEqual(sum(results.values()), 3, results)
        for complaint in self.complaints:
            self.assertEqual(
                self.count([("dealer_complaint_id", "=", complaint.id), ("dealer_kind", "=", "recovery")]), 1
            )


@tagged("post_install", "-at_install")
class TestDemoInvitations(TransactionCase):
    def test_demo_invitations_all_have_their_questions(self):
        invitations = self.env["survey.user_input"].search([("dealer_kind", "!=", False)])
        if not invitations:
            self.skipTest("the database has no demo data")
        bare = invitations.filtered(lambda answer: not answer.predefined_question_ids)
        self.assertFalse(bare, "every invitation shows its survey's questions")
