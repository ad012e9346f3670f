# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import res_company
from . import res_config_settings
from . import dealer_visit
from . import dealer_visit_line
from . import dealer_vehicle_ownership
from . import fleet_vehicle_model
from . import dealer_vehicle_service_prediction
from . import fleet_vehicle_odometer
from . import fleet_vehicle
from . import mail_message
from . import res_partner
from . import dealer_visit_import_matching
from . import dealer_visit_dms_import
from . import dealer_loyalty_demo
from . import dealer_message_sender
from . import dealer_loyalty_program_audience
from . import dealer_loyalty_program_generation
from . import dealer_loyalty_program
from . import dealer_loyalty_reminder_booking
from . import dealer_loyalty_reminder_call
from . import dealer_loyalty_reminder_contact_pressure
from . import dealer_loyalty_reminder
from . import dealer_service_booking_day
from . import dealer_service_booking
from . import dealer_dashboard
