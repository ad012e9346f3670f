# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import dealer_membership_card_wizard
from . import dealer_membership_redeem
from . import dealer_points_adjust
from . import dealer_membership_lifecycle
from . import dealer_points_statement
