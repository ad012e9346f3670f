# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Dealer Membership",
    "summary": "Dealership membership cards with levels, lifecycle and dual points",
    "version": "18.0.1.1.0",
    "category": "Sales/Dealership",
    "author": "Dealer Loyalty Suite",
    "website": "https://github.com/dealer-loyalty-suite/dealer-loyalty-suite",
    "license": "LGPL-3",
    "depends": ["dealer_loyalty", "barcodes", "portal"],
    "data": [
        "security/dealer_membership_security.xml",
        "security/ir.model.access.csv",
        "security/dealer_membership_portal_security.xml",
        "data/dealer_membership_level_data.xml",
        "data/dealer_membership_data.xml",
        "data/dealer_membership_mail_data.xml",
        "views/dealer_membership_level_views.xml",
        "wizard/dealer_membership_wizard_views.xml",
        "report/dealer_membership_reports.xml",
        "views/dealer_membership_card_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/dealer_membership_menus.xml",
        "views/dealer_membership_voucher_views.xml",
        "views/dealer_membership_portal_templates.xml",
    ],
    "demo": ["demo/dealer_membership_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "dealer_membership/static/src/**/*",
        ],
        "web.assets_tests": [
            "dealer_membership/static/tests/tours/*.js",
        ],
    },
    "images": [
        "static/description/screenshot_card.png",
        "static/description/screenshot_printed_card.png",
        "static/description/screenshot_portal_card.png",
    ],
    "application": True,
    "installable": True,
}
