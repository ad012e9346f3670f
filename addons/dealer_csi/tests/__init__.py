# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_answer_flow
from . import test_adversarial_complaints
from . import test_adversarial_csi
from . import test_answer_integrity
from . import test_call_lifecycle
from . import test_company_day
from . import test_complaint_lifecycle
from . import test_contact_log
from . import test_customer_lifecycle
from . import test_dealer_csi_ui
from . import test_invitations
from . import test_invitation_correction_race
from . import test_reports
from . import test_scores_complaints
from . import test_security
from . import test_visit_correction_trace
from . import test_portal
