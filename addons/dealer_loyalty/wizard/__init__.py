# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import dealer_visit_import
from . import dealer_vehicle_change_owner
from . import dealer_loyalty_channel_export
from . import sms_composer
from . import base_partner_merge_automatic_wizard
