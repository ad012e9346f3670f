# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A lifelike dealership, generated: the demo data and the benchmarks' data set.

Visits are produced as DMS rows and go through the real import, so demo and
benchmarks exercise the same path as a dealership's own data.
"""

import random
import string
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.demo_people import NAME_GROUPS, ascii_name, demo_person

BRANDS = {
    "Toyota": ["Corolla", "RAV4", "Camry", "Yaris", "C-HR"],
    "Skoda": ["Octavia", "Kodiaq", "Fabia", "Superb", "Karoq"],
}
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
# Estonians change tyres by law around mid-April and late October: the workshop's busiest weeks.
TYRE_SEASONS = ((4, 12), (10, 28))


class DealerLoyaltyDemo(models.AbstractModel):
    _name = "dealer.loyalty.demo"
    _description = "Dealership Data Generator"

    @api.model
    def _create_demo_dealership(self):
        """Demo data: 48 customers in every segment, 66 vehicles, two years of visits."""
        self._create_dealership(
            customers=44, vehicles=66, prospects=4, years=2, seed=2026, consent=True, lost_and_won_back=True
        )

    @api.model
    def _create_demo_second_dealership(self):
        """Demo data of the group's second dealership: a few customers of its own, in its company."""
        company = self.env.ref("dealer_loyalty.demo_company_tartu")
        # The customers follow the first dealership's, so nobody is in both by chance.
        self.with_company(company)._create_dealership(
            customers=8, vehicles=10, years=2, seed=2026, consent=True, code_prefix="T", first_number=48
        )

    @api.model
    def _create_dealership(
        self,
        customers,
        vehicles,
        prospects=0,
        years=2,
        seed=1,
        consent=False,
        lines_target=None,
        code_prefix="C",
        first_number=0,
        lost_and_won_back=False,
    ):
        """Generate customers, vehicles and their visits, and import the visits as DMS rows.

        :param first_number: number of the first customer (see :func:`demo_person`)
        :param lost_and_won_back: one customer is lost today and one came back today
        :return: the import report
        """
        rows = self._generate_rows(
            customers,
            vehicles,
            years=years,
            seed=seed,
            lines_target=lines_target,
            code_prefix=code_prefix,
            first_number=first_number,
        )
        if lost_and_won_back:
            rows += self._lost_and_won_back_rows(rows)
        report = self.env["dealer.visit"].import_dms_rows(rows)
        self._present_demo_customers(customers, code_prefix, seed, first_number)
        self._fill_reminder_dates()
        if prospects:
            self._create_prospects(prospects, seed, first_number=first_number + customers)
        if consent:
            self._grant_demo_consent(seed)
        return report

    @api.model
    def _generate_rows(
        self, customers, vehicles, years=2, seed=1, lines_target=None, code_prefix="C", first_number=0
    ):
        """DMS rows (one per visit line) for a dealership of the given size.

        :param lines_target: stop once about this many lines are generated
        :param first_number: number of the first customer; vehicles, plates and
            work orders are numbered after the vehicles of the customers before
        """
        rng = random.Random(seed + first_number)
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
        first_vehicle = first_number * 2
        for vehicle_index, owner in enumerate(owners, start=first_vehicle):
            _name, _share, per_year, stopped = profiles[owner]
            customer = self._demo_customer(first_number + owner, code_prefix, rng_seed=seed)
            vehicle = {
                "vin": self._demo_vin(seed, vehicle_index),
                "plate": self._demo_plate(vehicle_index),
                "model": rng.choice(models_list),
            }
            # Cars bought up to three years before the period, and during it until last month.
            handover = start + timedelta(days=rng.randrange(-3 * 365, years * 365 - 30))
            daily_km = rng.uniform(15, 90)
            last_day = today - timedelta(days=rng.randrange(380, 540)) if stopped else today
            rows += self._vehicle_rows(
                rng, customer, vehicle, handover, start, last_day, daily_km, per_year, vehicle_index
            )
            if lines_target and len(rows) >= lines_target:
                return rows[:lines_target]
        return rows

    @api.model
    def _lost_and_won_back_rows(self, rows):
        """Two more visits: a customer gone for long came back today, another passes the lost limit today.

        So that the month's lost and won-back customers are not empty on the
        day the demo is made.
        """
        today = fields.Date.context_today(self)
        lost_day = today - relativedelta(months=self.env.company.dealer_lost_after_months)
        last_rows = {}
        for row in rows:
            current = last_rows.get(row["customer_code"])
            if not current or row["date"] > current["date"]:
                last_rows[row["customer_code"]] = row
        gone = sorted(
            (
                row
                for row in last_rows.values()
                if date.fromisoformat(row["date"]) < lost_day - timedelta(days=30)
            ),
            key=lambda row: row["customer_code"],
        )
        extra = []
        for row, day, suffix in zip(gone, (today, lost_day), ("WB", "LT"), strict=False):
            days = (day - date.fromisoformat(row["date"])).days
            extra.append(
                dict(
                    row,
                    document_number=f"{row['document_number'].split('-')[0]}-{suffix}",
                    date=day.isoformat(),
                    department="service",
                    odometer=row["odometer"] + days * 35,
                    line_number=1,
                    description="Scheduled maintenance",
                    category="labour",
                    payer_type="customer",
                    amount=289.0,
                    declined=False,
                )
            )
        return extra

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
        name, first, family, cycle, _group = demo_person(number, rng_seed)
        mailbox = ascii_name(f"{first}.{family}{cycle or ''}")
        digits = f"{(number * 7919 + 2_345_678) % 10_000_000:07d}"  # distinct for ten million customers
        return {
            "customer_code": f"{code_prefix}{number + 1:06d}",
            "customer_name": name,
            "customer_email": f"{mailbox}@example.com",
            "customer_phone": f"+372 5{digits[:3]} {digits[3:]}",
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
            price = round(rng.uniform(18_000, 46_000), -2)
            add(
                handover,
                "sales",
                [("vehicle", f"Vehicle sale {vehicle['model']}", "customer", price, False)],
            )
        # A new car comes for its first check within weeks; an older one whenever its turn comes.
        visit_date = max(
            handover + timedelta(days=rng.randrange(15, 90)),
            start + timedelta(days=rng.randrange(0, int(365 / per_year))),
        )
        previous = handover
        while visit_date <= last_day:
            body_shop = rng.random() < 0.12
            if not body_shop:
                # Never before the previous visit: the odometer only goes up.
                visit_date = max(
                    min(self._seasonal_date(rng, visit_date), last_day), previous + timedelta(days=20)
                )
                if visit_date > last_day:
                    break
            previous = visit_date
            source = BODY_LINES if body_shop else SERVICE_LINES
            lines = []
            for category, description in rng.sample(source, rng.randint(1, min(4, len(source)))):
                payer = rng.choices([p for p, _w in PAYER_WEIGHTS], [w for _p, w in PAYER_WEIGHTS])[0]
                if body_shop and payer == "warranty":
                    payer = "insurance"
                lines.append(
                    (category, description, payer, round(rng.uniform(40, 900), 2), rng.random() < 0.06)
                )
            if not body_shop and self._in_tyre_season(visit_date) and rng.random() < 0.8:
                lines.append(
                    ("labour", "Seasonal tyre change", "customer", round(rng.uniform(45, 85), 2), False)
                )
            add(visit_date, "body_shop" if body_shop else "service", lines)
            visit_date += timedelta(days=max(int(rng.gauss(365 / per_year, 40)), 20))
        return rows

    @api.model
    def _seasonal_date(self, rng, visit_date):
        """When a customer due around ``visit_date`` comes: with the tyre change, and not on holiday.

        Most customers due within a few weeks of a tyre season book the service
        with the tyre change; many due in July put it off until after the holidays.
        """
        if visit_date.month == 7 or (visit_date.month == 8 and visit_date.day <= 15):
            if rng.random() < 0.6:
                return visit_date + timedelta(days=rng.randint(25, 50))
            return visit_date
        for month, day in TYRE_SEASONS:
            peak = date(visit_date.year, month, day)
            if abs((visit_date - peak).days) <= 45 and rng.random() < 0.6:
                return peak + timedelta(days=int(rng.gauss(0, 9)))
        return visit_date

    @api.model
    def _in_tyre_season(self, visit_date):
        return any(
            abs((visit_date - date(visit_date.year, month, day)).days) <= 25 for month, day in TYRE_SEASONS
        )

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
                   city = COALESCE(city, (SELECT address.city FROM res_company company
                                            JOIN res_partner address ON address.id = company.partner_id
                                           WHERE company.id = res_partner.company_id), 'Tallinn'),
                   country_id = COALESCE(country_id, (SELECT address.country_id FROM res_company company
                                                  JOIN res_partner address ON address.id = company.partner_id
                                                 WHERE company.id = res_partner.company_id))
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
    def _create_prospects(self, count, seed, first_number=0):
        people = [demo_person(first_number + n, seed) for n in range(count)]
        self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "email": f"{ascii_name(first + '.' + family + str(cycle or ''))}@example.com",
                    "dealer_segment": "prospect",
                    "company_id": self.env.company.id,
                    **self._demo_person_values(group),
                }
                for name, first, family, cycle, group in people
            ]
        )

    @api.model
    def _present_demo_customers(self, customers, code_prefix, seed, first_number=0):
        """Give the imported customers the title and language their names suggest.

        The DMS rows carry neither. A language is set only where the database
        has it installed: the demo does not load languages.
        """
        codes = {
            f"{code_prefix}{number + 1:06d}": demo_person(number, seed)[4]
            for number in range(first_number, first_number + customers)
        }
        partners = self.env["res.partner"].search(
            [("dealer_customer_code", "in", list(codes)), ("company_id", "=", self.env.company.id)]
        )
        by_group = {}
        for partner in partners:
            by_group.setdefault(codes[partner.dealer_customer_code], self.env["res.partner"])
            by_group[codes[partner.dealer_customer_code]] |= partner
        for group, members in by_group.items():
            members.write(self._demo_person_values(group))

    @api.model
    def _demo_person_values(self, group):
        _firsts, _families, _feminine, _family_first, lang, gender = NAME_GROUPS[group]
        title = self.env.ref(
            "base.res_partner_title_madam" if gender == "female" else "base.res_partner_title_mister",
            raise_if_not_found=False,
        )
        values = {"title": title.id} if title else {}
        if self.env["res.lang"]._get_code(lang):
            values["lang"] = lang
        return values

    @api.model
    def _grant_demo_consent(self, seed):
        rng = random.Random(seed)
        partners = self.env["res.partner"].search(
            [("dealer_segment", "!=", False), ("company_id", "=", self.env.company.id)]
        )
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
