# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_dealer_membership_ui
from . import test_points
from . import test_lifecycle
from . import test_portal_access
from . import test_portal_ui
from . import test_adversarial_membership
from . import test_after_the_fact
