# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build a dealership of a given size: customers and vehicles, as the DMS would have them.

The customers and vehicles are the ones the addon's generator
(``dealer.loyalty.demo``) writes visits for, so generated visit rows match them.
"""

from odoo.tools import split_every

from odoo.addons.dealer_loyalty.models.dealer_loyalty_demo import BRANDS


def create_dealership(env, customers, vehicles, seed=1, batch_size=5000, code_prefix="C", company=None):
    """Create ``customers`` customers and ``vehicles`` vehicles in batches; returns nothing.

    :param company: the dealership's company (default: customers and vehicles shared by all)
    """
    Demo = env["dealer.loyalty.demo"]
    company_values = {"company_id": company.id} if company else {}
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True))
    Brand, Model = env["fleet.vehicle.model.brand"], env["fleet.vehicle.model"]
    models = []
    for brand_name, model_names in BRANDS.items():
        brand = Brand.search([("name", "=", brand_name)], limit=1) or Brand.create({"name": brand_name})
        for model_name in model_names:
            model = Model.search([("name", "=", model_name), ("brand_id", "=", brand.id)], limit=1)
            models.append(model or Model.create({"name": model_name, "brand_id": brand.id}))
    partner_ids = []
    for numbers in split_every(batch_size, range(customers)):
        values = []
        for number in numbers:
            customer = Demo._demo_customer(number, code_prefix, rng_seed=seed)
            values.append(
                {
                    "name": customer["customer_name"],
                    "dealer_customer_code": customer["customer_code"],
                    "email": customer["customer_email"],
                    "phone": customer["customer_phone"],
                    "dealer_segment": "prospect",
                    **company_values,
                }
            )
        partner_ids += env["res.partner"].create(values).ids
        env.invalidate_all()
    # As in the generator, the first vehicles go one per customer.
    for indexes in split_every(batch_size, range(vehicles)):
        values = []
        for index in indexes:
            values.append(
                {
                    "model_id": models[index % len(models)].id,
                    "vin_sn": Demo._demo_vin(seed, index),
                    "license_plate": Demo._demo_plate(index),
                    "dealer_owner_id": partner_ids[index % customers],
                    "dealer_condition": "used",
                    **company_values,
                }
            )
        env["fleet.vehicle"].create(values)
        env.invalidate_all()


def insert_visit_lines(cr, visit_ids, lines_per_visit):
    """``lines_per_visit`` labour lines on each visit, payers mixed, amounts from 20 to 500."""
    cr.execute(
        """
        INSERT INTO dealer_visit_line (visit_id, company_id, partner_id, date, department, state, name, category,
                                       payer_type, amount, create_uid, write_uid, create_date, write_date)
        SELECT visit.id, visit.company_id, visit.partner_id, visit.date, visit.department, visit.state,
               'Line ' || k, 'labour',
               (ARRAY['customer', 'customer', 'insurance', 'warranty', 'internal'])[1 + (visit.id + k) %% 5],
               round((20 + random() * 480)::numeric, 2), 1, 1, now(), now()
          FROM dealer_visit visit CROSS JOIN generate_series(1, %(lines)s) k
         WHERE visit.id = ANY(%(visits)s)
        """,
        {"visits": visit_ids, "lines": lines_per_visit},
    )
