# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Dealer Loyalty",
    "summary": "Car dealership customers, vehicles, service visits and retention programs",
    "version": "18.0.1.0.0",
    "category": "Sales/Dealership",
    "author": "Dealer Loyalty Suite",
    "website": "https://github.com/dealer-loyalty-suite/dealer-loyalty-suite",
    "license": "LGPL-3",
    "depends": ["fleet", "mail", "sms", "utm", "calendar"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/dealer_loyalty_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/ir_sequence_data.xml",
        "views/dealer_visit_views.xml",
        "views/res_partner_views.xml",
        "wizard/dealer_vehicle_change_owner_views.xml",
        "views/fleet_vehicle_views.xml",
        "views/fleet_vehicle_model_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/dealer_visit_import_views.xml",
        "views/dealer_loyalty_menus.xml",
    ],
    "demo": ["demo/dealer_loyalty_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "dealer_loyalty/static/tests/tours/*.js",
        ],
    },
    "images": [
        "static/description/screenshot_customer.png",
        "static/description/screenshot_vehicle.png",
        "static/description/screenshot_import.png",
    ],
    "application": True,
    "installable": True,
}
