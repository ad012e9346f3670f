# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Invitations created before 18.0.1.1.0 were inserted without their survey's
questions, which they got only when sent: those never sent (or answered from a
bare page) get them now, as ``survey.user_input.create`` gives them."""

from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
    bare = env["survey.user_input"].search(
        [("dealer_kind", "!=", False), ("predefined_question_ids", "=", False)]
    )
    for survey, answers in bare.grouped("survey_id").items():
        if survey.questions_selection == "all":
            questions = survey._prepare_user_input_predefined_questions()
            answers.write({"predefined_question_ids": [Command.set(questions.ids)]})
            continue
        for answer in answers:  # a random pick of questions for each answer set
            questions = survey._prepare_user_input_predefined_questions()
            answer.write({"predefined_question_ids": [Command.set(questions.ids)]})
