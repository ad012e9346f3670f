# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import dealer_complaint_category
from . import res_company
from . import res_config_settings
from . import survey_survey
from . import dealer_csi_flow_fields
from . import dealer_csi_config
from . import dealer_csi_answer_invitation
from . import dealer_csi_answer_call
from . import survey_user_input
from . import survey_user_input_line
from . import dealer_complaint
from . import dealer_visit
from . import dealer_contact_log
from . import res_partner
from . import dealer_csi_demo
from . import dealer_dashboard
