# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_dealer_loyalty_ui
from . import test_customer
from . import test_dms_import
from . import test_dms_rows
from . import test_service_prediction
from . import test_security
from . import test_languages
from . import test_preferences_page
from . import test_reminder_generation
from . import test_reminder_priorities
from . import test_reminder_processing
from . import test_reminder_schedule
from . import test_dashboard
from . import test_import_template
from . import test_retention_analyses
from . import test_portal
from . import test_service_booking
from . import test_service_booking_page
from . import test_reminder_concurrency
from . import test_visit_input_limits
from . import test_reminder_corrections
from . import test_reminder_api_limits
