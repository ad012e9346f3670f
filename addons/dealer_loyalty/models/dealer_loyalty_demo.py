# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A lifelike dealership, generated: the demo data and the benchmarks' data set.

Visits are produced as DMS rows and go through the real import, so demo and
benchmarks exercise the same path as a dealership's own data.
"""

import random
import string
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

BRANDS = {
    "Toyota": ["Corolla", "RAV4", "Camry", "Yaris", "C-HR"],
    "Skoda": ["Octavia", "Kodiaq", "Fabia", "Superb", "Karoq"],
}
FIRST_NAMES = [
    "Anna",
    "Mart",
    "Olga",
    "Ivan",
    "Kadri",
    "Jaan",
    "Maria",
    "Sergei",
    "Liis",
    "Andres",
    "Elena",
    "Toomas",
    "Katrin",
    "Dmitri",
    "Piret",
    "Wei",
    "Li",
    "Mihkel",
    "Tatjana",
    "Rein",
]
LAST_NAMES = [
    "Tamm",
    "Saar",
    "Ivanov",
    "Kask",
    "Petrov",
    "Mets",
    "Sepp",
    "Smirnova",
    "Rebane",
    "Ilves",
    "Zhang",
    "Koppel",
    "Kuznetsov",
    "Lepp",
    "Vaher",
    "Wang",
    "Kukk",
    "Orlova",
    "Luik",
    "Raud",
]
SERVICE_LINES = [
    ("labour", "Scheduled maintenance"),
    ("parts", "Oil and filters"),
    ("parts", "Brake pads, front"),
    ("labour", "Wheel alignment"),
    ("parts", "Wiper blades"),
    ("labour", "Air-conditioning service"),
    ("accessories", "Floor mats"),
]
BODY_LINES = [("labour", "Bumper repair"), ("parts", "Headlamp unit"), ("labour", "Paintwork")]
PAYER_WEIGHTS = [("customer", 70), ("insurance", 8), ("warranty", 15), ("internal", 7)]
# Customer behaviour: share of customers, visits a year, whether they stopped coming.
PROFILES = [("regular", 0.45, 2.5, False), ("occasional", 0.30, 0.8, False), ("gone", 0.25, 1.5, True)]
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


class DealerLoyaltyDemo(models.AbstractModel):
    _name = "dealer.loyalty.demo"
    _description = "Dealership Data Generator"

    @api.model
    def _create_demo_dealership(self):
        """Demo data: 40 customers in every segment, 60 vehicles, two years of visits."""
        self._create_dealership(customers=36, vehicles=60, prospects=4, years=2, seed=2026, consent=True)

    @api.model
    def _create_dealership(
        self, customers, vehicles, prospects=0, years=2, seed=1, consent=False, lines_target=None
    ):
        """Generate customers, vehicles and their visits, and import the visits as DMS rows.

        :return: the import report
        """
        rows = self._generate_rows(customers, vehicles, years=years, seed=seed, lines_target=lines_target)
        report = self.env["dealer.visit"].import_dms_rows(rows)
        self._fill_reminder_dates()
        if prospects:
            self._create_prospects(prospects, seed)
        if consent:
            self._grant_demo_consent(seed)
        return report

    @api.model
    def _generate_rows(self, customers, vehicles, years=2, seed=1, lines_target=None, code_prefix="C"):
        """DMS rows (one per visit line) for a dealership of the given size.

        :param lines_target: stop once about this many lines are generated
        """
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        start = today - relativedelta(years=years)
        models_list = [f"{brand} {model}" for brand, names in BRANDS.items() for model in names]
        rows = []
        owners = [rng.randrange(customers) for _index in range(max(vehicles - customers, 0))]
        owners = list(range(min(customers, vehicles))) + owners
        profiles = {}
        for number in range(customers):
            roll, cumulative = rng.random(), 0.0
            for profile in PROFILES:
                cumulative += profile[1]
                if roll <= cumulative:
                    break
            profiles[number] = profile
        for vehicle_index, owner in enumerate(owners):
            _name, _share, per_year, stopped = profiles[owner]
            customer = self._demo_customer(owner, code_prefix, rng_seed=seed)
            vehicle = {
                "vin": self._demo_vin(seed, vehicle_index),
                "plate": self._demo_plate(vehicle_index),
                "model": rng.choice(models_list),
            }
            handover = start + timedelta(days=rng.randrange(-3 * 365, 400))
            daily_km = rng.uniform(15, 90)
            last_day = today - timedelta(days=rng.randrange(380, 540)) if stopped else today
            rows += self._vehicle_rows(
                rng, customer, vehicle, handover, start, last_day, daily_km, per_year, vehicle_index
            )
            if lines_target and len(rows) >= lines_target:
                return rows[:lines_target]
        return rows

    @api.model
    def _demo_vin(self, seed, vehicle_index):
        vin_rng = random.Random(seed * 1_000_003 + vehicle_index)
        return "".join(vin_rng.choice(VIN_CHARS) for _i in range(11)) + f"{vehicle_index:06d}"

    @api.model
    def _demo_plate(self, vehicle_index):
        letters = string.ascii_uppercase
        return (
            f"{vehicle_index % 1000:03d}{letters[vehicle_index // 1000 % 26]}"
            f"{letters[vehicle_index // 26000 % 26]}{letters[vehicle_index % 26]}"
        )

    @api.model
    def _demo_customer(self, number, code_prefix, rng_seed):
        first = FIRST_NAMES[(number * 7 + rng_seed) % len(FIRST_NAMES)]
        last = LAST_NAMES[(number * 13 + rng_seed) % len(LAST_NAMES)]
        return {
            "customer_code": f"{code_prefix}{number + 1:06d}",
            "customer_name": f"{first} {last}",
            "customer_email": f"{first}.{last}.{number + 1}@example.com".lower(),
            "customer_phone": f"+372 5{number + 1:07d}",
        }

    @api.model
    def _vehicle_rows(
        self, rng, customer, vehicle, handover, start, last_day, daily_km, per_year, vehicle_index
    ):
        rows = []
        number = 0

        def add(visit_date, department, lines):
            nonlocal number
            number += 1
            odometer = max(int((visit_date - handover).days * daily_km), 5)
            for line_number, (category, description, payer, amount, declined) in enumerate(lines, start=1):
                rows.append(
                    dict(
                        customer,
                        **vehicle,
                        document_number=f"WO{vehicle_index + 1:06d}-{number:03d}",
                        date=visit_date.isoformat(),
                        department=department,
                        odometer=odometer if department != "sales" else 5,
                        line_number=line_number,
                        description=description,
                        category=category,
                        payer_type=payer,
                        amount=amount,
                        declined=declined,
                    )
                )

        if start <= handover <= last_day:
            add(
                handover,
                "sales",
                [("vehicle", f"Vehicle sale {vehicle['model']}", "customer", 24000.0, False)],
            )
        visit_date = max(handover, start) + timedelta(days=rng.randrange(15, 90))
        while visit_date <= last_day:
            body_shop = rng.random() < 0.12
            source = BODY_LINES if body_shop else SERVICE_LINES
            lines = []
            for category, description in rng.sample(source, rng.randint(1, min(4, len(source)))):
                payer = rng.choices([p for p, _w in PAYER_WEIGHTS], [w for _p, w in PAYER_WEIGHTS])[0]
                if body_shop and payer == "warranty":
                    payer = "insurance"
                lines.append(
                    (category, description, payer, round(rng.uniform(40, 900), 2), rng.random() < 0.06)
                )
            add(visit_date, "body_shop" if body_shop else "service", lines)
            visit_date += timedelta(days=max(int(rng.gauss(365 / per_year, 40)), 20))
        return rows

    @api.model
    def _fill_reminder_dates(self):
        """Give the vehicles warranty, inspection and insurance dates, and the customers birthdays and addresses.

        The DMS rows do not carry them; a dealership enters them or imports
        them from its sales system. Spread over the year, deterministically.
        """
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE fleet_vehicle
               SET dealer_warranty_end = COALESCE(dealer_warranty_end, dealer_handover_date + interval '3 years'),
                   dealer_inspection_due = COALESCE(dealer_inspection_due, current_date + (id * 31) % 365 - 20),
                   dealer_insurance_due = COALESCE(dealer_insurance_due, current_date + (id * 53) % 365 - 20)
             WHERE dealer_owner_id IS NOT NULL
            """
        )
        self.env.cr.execute(
            """
            UPDATE res_partner
               SET dealer_birthday = COALESCE(dealer_birthday, make_date(1950 + id % 50, 1, 1) + (id * 37) % 365),
                   street = COALESCE(street, (ARRAY['Narva mnt', 'Pikk', 'Tartu mnt', 'Pärnu mnt'])[1 + id % 4]
                                             || ' ' || (1 + id % 120)),
                   zip = COALESCE(zip, '10' || lpad((id % 1000)::text, 3, '0')),
                   city = COALESCE(city, 'Tallinn')
             WHERE dealer_segment IS NOT NULL
            """
        )
        self.env["fleet.vehicle"].invalidate_model()
        self.env["res.partner"].invalidate_model()

    @api.model
    def _create_demo_advisors(self):
        """Two service advisors sharing the demo visits; most customers stay with theirs."""
        group = self.env.ref("dealer_loyalty.dealer_loyalty_group_user")
        advisors = self.env["res.users"].create(
            [
                {"name": name, "login": login, "groups_id": [fields.Command.link(group.id)]}
                for name, login in (("Anna Tamm", "demo.advisor.anna"), ("Mark Saar", "demo.advisor.mark"))
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE dealer_visit
               SET user_id = CASE WHEN (partner_id + CASE WHEN id %% 5 = 0 THEN 1 ELSE 0 END) %% 2 = 0
                                  THEN %s ELSE %s END
             WHERE department IN ('service', 'body_shop')
            """,
            advisors.ids,
        )
        self.env["dealer.visit"].invalidate_model(["user_id"])

    @api.model
    def _create_demo_lead_sources(self):
        """Where the demo customers came from, and what those sources cost in the last six months."""
        sources = self.env["utm.source"].create(
            [{"name": name} for name in ("Showroom walk-in", "Website", "Radio ad", "Referral")]
        )
        customers = self.env["res.partner"].search([("dealer_segment", "!=", False)], order="id")
        for index, source in enumerate(sources):
            customers[index :: len(sources)].write({"dealer_source_id": source.id})
        this_month = fields.Date.context_today(self).replace(day=1)
        self.env["dealer.marketing.cost"].create(
            [
                {"source_id": source.id, "month": this_month - relativedelta(months=months), "amount": amount}
                for months in range(6)
                for source, amount in zip(sources, (0.0, 400.0, 1500.0, 100.0), strict=True)
            ]
        )

    @api.model
    def _create_prospects(self, count, seed):
        self.env["res.partner"].create(
            [
                {
                    "name": f"{FIRST_NAMES[(n + seed) % len(FIRST_NAMES)]} {LAST_NAMES[(n * 3 + seed) % len(LAST_NAMES)]}",
                    "email": f"prospect{n + 1}@example.com",
                    "dealer_segment": "prospect",
                }
                for n in range(count)
            ]
        )

    @api.model
    def _grant_demo_consent(self, seed):
        rng = random.Random(seed)
        partners = self.env["res.partner"].search([("dealer_segment", "!=", False)])
        channels = ["email", "sms", "letter", "phone"]
        for channel in channels:
            agreed = partners.filtered(lambda partner: rng.random() < 0.7)
            agreed.with_context(dealer_loyalty_consent_source="written").write(
                {f"dealer_consent_{channel}": True}
            )
        for index, partner in enumerate(partners.sorted("id")):
            partner.dealer_preferred_channel = channels[index % len(channels)]
            partner.dealer_birthday = fields.Date.today() - relativedelta(
                years=25 + index % 40, days=index * 11
            )
