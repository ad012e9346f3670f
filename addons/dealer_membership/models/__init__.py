# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import dealer_membership_level
from . import dealer_membership_event
from . import dealer_membership_card_lifecycle
from . import dealer_membership_card
from . import dealer_points_move_expiry
from . import dealer_points
from . import dealer_points_rule
from . import dealer_visit
from . import dealer_membership_reward
from . import dealer_loyalty_program
from . import res_partner
from . import base_partner_merge_automatic_wizard
from . import dealer_membership_voucher
from . import dealer_dashboard
from . import dealer_membership_demo
