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
        "views/dealer_loyalty_menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "dealer_loyalty/static/tests/tours/*.js",
        ],
    },
    "images": ["static/description/icon.png"],
    "application": True,
    "installable": True,
}
