# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Dealer CSI",
    "summary": "Customer satisfaction surveys, complaints and contact registration for dealerships",
    "version": "18.0.1.1.0",
    "category": "Sales/Dealership",
    "author": "Dealer Loyalty Suite",
    "website": "https://github.com/dealer-loyalty-suite/dealer-loyalty-suite",
    "license": "LGPL-3",
    "depends": ["dealer_loyalty", "survey", "sms", "utm"],
    "data": [
        "security/dealer_csi_security.xml",
        "security/ir.model.access.csv",
        "data/dealer_complaint_category_data.xml",
        "data/dealer_csi_data.xml",
        "data/dealer_csi_survey_data.xml",
        "views/dealer_csi_config_views.xml",
        "views/survey_views.xml",
        "views/dealer_complaint_views.xml",
        "views/dealer_complaint_category_views.xml",
        "views/dealer_contact_log_views.xml",
        "views/dealer_csi_report_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/dealer_csi_meeting_wizard_views.xml",
        "report/dealer_csi_meeting_templates.xml",
        "views/dealer_csi_menus.xml",
    ],
    "demo": ["demo/dealer_csi_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "dealer_csi/static/tests/tours/*.js",
        ],
    },
    "images": [
        "static/description/screenshot_dashboard.png",
        "static/description/screenshot_complaint.png",
        "static/description/screenshot_quick_entry.png",
        "static/description/screenshot_monthly_report.png",
    ],
    "application": True,
    "installable": True,
}
