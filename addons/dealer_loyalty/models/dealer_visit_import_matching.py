# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How the DMS import finds what is stored, and claims what it is about to create.

One search per batch, never per row: customers by code, e-mail, phone and
name, vehicles by VIN and plate, advisors by login and name. Two imports at
once claim the identifiers of the records they create (see
``_dealer_claim_keys``), so the loser of a race finds the winner's record.
"""

import hashlib

from odoo import models
from odoo.tools import SQL

from ..tools.dms_rows import digits, plate_key

# A car first seen at a sale with less than this on the clock was sold new.
NEW_CAR_MAX_KM = 1000


def match_key(company_id, kind, value):
    """A 64-bit key for one identifier (customer code, e-mail, VIN...) of one company."""
    digest = hashlib.blake2b(f"{company_id}:{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class DealerVisitImportMatching(models.AbstractModel):
    _name = "dealer.visit.import.matching"
    _description = "DMS import"

    # ------------------------------------------------------------
    # CONCURRENCY
    # ------------------------------------------------------------

    def _dealer_claim_keys(self, company, new_customers, new_vehicles, new_documents):
        """Claim the identifiers of the records this batch is about to create.

        Two imports that would create the same customer, vehicle or visit
        claim (insert or touch) the same key row: the second waits for the
        first to finish and then fails with a serialization error (the row
        changed after its snapshot), and Odoo's request handler runs it
        again; that time it finds the record. A key touched by an import that
        finished after this one started fails the same way.
        Keys are claimed in ascending order so that two imports never wait for
        each other in a circle.
        """
        keys = set()
        for doc in new_customers:
            keys.update(
                match_key(company.id, *identity)
                for identity in self._dealer_customer_identities(doc, company)
            )
        for doc in new_vehicles:
            keys.update(match_key(company.id, *identity) for identity in _vehicle_identities(doc["header"]))
        for doc in new_documents:
            keys.add(match_key(company.id, "document", doc["number"]))
        self._dealer_claim(keys)

    def _dealer_claim(self, keys):
        if keys:
            self.env.cr.execute(
                """
                INSERT INTO dealer_import_match_key (key, claimed_at)
                SELECT unnest(%s::bigint[]), now() ORDER BY 1
                ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
                """,
                [sorted(keys)],
            )

    # ------------------------------------------------------------
    # LOOKUPS (one search per batch, never per row)
    # ------------------------------------------------------------

    def _dealer_select(self, model, domain, fname, order="id"):
        """(id, value of ``fname``) of the records matching ``domain`` that the user may read, archived
        ones included: what matching needs, in one query, without loading records."""
        Model = self.env[model].with_context(active_test=False)
        query = Model._search(domain, order=order)
        return self.env.execute_query(
            query.select(SQL.identifier(query.table, "id"), Model._field_to_sql(query.table, fname, query))
        )

    def _dealer_match_customers(self, documents, company):
        """Known customers (ids) by document number: by DMS code, then e-mail, then name, then phone."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        headers = [doc["header"] for doc in documents]
        codes = {h["customer_code"] for h in headers if h["customer_code"]}
        company_domain = [("company_id", "in", [company.id, False])]
        by_code, by_email = {}, {}
        if codes:
            for partner_id, code in self._dealer_select(
                "res.partner",
                company_domain + [("dealer_customer_code", "in", list(codes))],
                "dealer_customer_code",
            ):
                by_code.setdefault(code, partner_id)
        # E-mails are looked up only for the customers their code did not find.
        emails = {
            h["customer_email"] for h in headers if h["customer_email"] and h["customer_code"] not in by_code
        }
        if emails:
            for partner_id, email in self._dealer_select(
                "res.partner", company_domain + [("email_normalized", "in", list(emails))], "email_normalized"
            ):
                by_email.setdefault(email, partner_id)
        matched = {}
        for doc in documents:
            header = doc["header"]
            partner = by_code.get(header["customer_code"]) or by_email.get(header["customer_email"])
            if partner:
                matched[doc["number"]] = partner
        # A customer known to the DMS only by name is found by that name, or every re-import would add one.
        names_only = {
            doc["header"]["customer_name"].lower(): doc
            for doc in documents
            if doc["number"] not in matched and not customer_key(doc["header"], with_name=False)
        }
        if names_only:
            Partner.flush_model(["name", "company_id", "active"])
            self.env.cr.execute(
                """
                SELECT id, LOWER(name) FROM res_partner
                 WHERE LOWER(name) = ANY(%s) AND active AND (company_id IS NULL OR company_id = %s)
              ORDER BY id
                """,
                [list(names_only), company.id],
            )
            rows = self.env.cr.fetchall()
            visible = Partner.browse([row[0] for row in rows])._filtered_access("read")
            by_name = {}
            for partner_id, name in rows:
                if partner_id in visible._ids:
                    by_name.setdefault(name, partner_id)
            for doc in documents:
                partner = by_name.get(doc["header"]["customer_name"].lower())
                if (
                    doc["number"] not in matched
                    and partner
                    and not customer_key(doc["header"], with_name=False)
                ):
                    matched[doc["number"]] = partner
        unmatched_phones = {
            doc["header"]["customer_phone"]
            for doc in documents
            if doc["number"] not in matched and doc["header"]["customer_phone"]
        }
        if unmatched_phones:
            by_phone = self._dealer_match_phones(unmatched_phones, company)
            for doc in documents:
                partner = by_phone.get(doc["header"]["customer_phone"])
                if doc["number"] not in matched and partner:
                    matched[doc["number"]] = partner.id
        return matched

    def _dealer_match_phones(self, phones, company):
        """Customers by phone number as the DMS wrote it.

        A number without its country code is read in each country the
        company's customers live in. A customer matches first when the number
        read in the customer's own country is theirs, then in the company's
        country, then as written (international form).
        """
        Partner = self.env["res.partner"].with_context(active_test=False)
        self.env.cr.execute(
            """
            SELECT DISTINCT country_id FROM res_partner
             WHERE phone_sanitized IS NOT NULL AND country_id IS NOT NULL
               AND (company_id IS NULL OR company_id = %s)
            """,
            [company.id],
        )
        countries = self.env["res.country"].browse([row[0] for row in self.env.cr.fetchall()])
        countries |= company.country_id
        readings = {}
        for phone in phones:
            readings[phone] = {
                country.id: Partner._phone_format(number=phone, country=country, force_format="E164")
                for country in countries
            }
            written = (
                "+" + digits(phone[2:] if phone.startswith("00") else phone)
                if phone.lstrip()[:1] in "+0"
                else False
            )
            readings[phone]["written"] = written
        candidates = {value for reading in readings.values() for value in reading.values() if value}
        if not candidates:
            return {}
        by_number = {}
        for partner in Partner.search(
            [("company_id", "in", [company.id, False]), ("phone_sanitized", "in", list(candidates))],
            order="id",
        ):
            by_number.setdefault(partner.phone_sanitized, []).append(partner)
        matched = {}
        for phone, reading in readings.items():
            ranked = []
            for number in {value for value in reading.values() if value}:
                for partner in by_number.get(number, []):
                    own = reading.get(partner.country_id.id) == number and partner.country_id
                    if own:
                        rank = 0
                    elif reading.get(company.country_id.id) == number:
                        rank = 1
                    elif reading["written"] == number:
                        rank = 2
                    else:
                        rank = 3
                    abroad = partner.country_id != company.country_id
                    ranked.append((rank, abroad, partner.id, partner))
            if ranked:
                matched[phone] = min(ranked, key=lambda item: item[:3])[3]
        return matched

    def _dealer_customer_identities(self, doc, company):
        """What identifies a new customer: code, e-mail, phone (international form), else the name."""
        header = doc["header"]
        if "customer_identities" not in doc:
            identities = [
                (kind, header[kind]) for kind in ("customer_code", "customer_email") if header[kind]
            ]
            if header["customer_phone"]:
                number = self.env["res.partner"]._phone_format(
                    number=header["customer_phone"], country=company.country_id, force_format="E164"
                )
                identities.append(("phone", number or digits(header["customer_phone"])))
            if not identities:
                identities.append(("customer_name", header["customer_name"].lower()))
            doc["customer_identities"] = identities
        return doc["customer_identities"]

    def _dealer_create_grouped(self, model, groups, values_of):
        """Create one record per group of documents, in one call.

        :param groups: lists of documents that name the same new record
        :param values_of: first document of a group -> values of the record
        :return: {document number: id of the created record}
        """
        if not groups:
            return {}
        records = self.env[model].create([values_of(group[0]) for group in groups])
        return {
            doc["number"]: record.id for group, record in zip(groups, records, strict=True) for doc in group
        }

    def _dealer_create_customers(self, documents, company):
        """Create the unknown customers of these documents, once each.

        Documents sharing any identifier (code, e-mail or phone) name the same customer.
        """

        def values_of(doc):
            header = doc["header"]
            return {
                "name": header["customer_name"] or customer_key(header),
                "dealer_customer_code": header["customer_code"] or False,
                "email": header["customer_email"] or False,
                "phone": header["customer_phone"] or False,
                "company_id": company.id,
                "dealer_segment": "prospect",
            }

        groups = _group_by_shared_identity(
            documents, lambda doc: self._dealer_customer_identities(doc, company)
        )
        return self._dealer_create_grouped("res.partner", groups, values_of)

    def _dealer_match_vehicles(self, documents, company):
        """Known vehicles (ids) by document number: by VIN, then plate (active vehicles first).

        Plates compare in capitals without spaces or dashes, as the index
        ``fleet_vehicle_dealer_plate_key`` stores them.
        """
        headers = [doc["header"] for doc in documents]
        vins = {h["vin"] for h in headers if h["vin"]}
        plates = {plate_key(h["plate"]) for h in headers if h["plate"] and not h["vin"]}
        by_vin, by_plate = {}, {}
        Vehicle = self.env["fleet.vehicle"].with_context(active_test=False)
        company_domain = [("company_id", "in", [company.id, False])]
        if vins:
            for vehicle_id, vin in self._dealer_select(
                "fleet.vehicle", company_domain + [("vin_sn", "in", list(vins))], "vin_sn", "active desc, id"
            ):
                by_vin.setdefault(vin.upper(), vehicle_id)
        if plates:
            Vehicle.flush_model(["license_plate", "company_id", "active"])
            self.env.cr.execute(
                """
                SELECT id, UPPER(REGEXP_REPLACE(license_plate, '[^[:alnum:]]', '', 'g'))
                  FROM fleet_vehicle
                 WHERE UPPER(REGEXP_REPLACE(license_plate, '[^[:alnum:]]', '', 'g')) = ANY(%s)
                   AND (company_id IS NULL OR company_id = %s)
              ORDER BY active DESC, id
                """,
                [list(plates), company.id],
            )
            rows = self.env.cr.fetchall()
            visible = Vehicle.browse([row[0] for row in rows])._filtered_access("read")
            for vehicle_id, key in rows:
                if vehicle_id in visible._ids:
                    by_plate.setdefault(key, vehicle_id)
        matched = {}
        for doc in documents:
            header = doc["header"]
            vehicle = by_vin.get(header["vin"]) or (
                not header["vin"] and by_plate.get(plate_key(header["plate"]))
            )
            if vehicle:
                matched[doc["number"]] = vehicle
        return matched

    def _dealer_create_vehicles(self, documents, partners, models_by_name, company):
        """Create the unknown vehicles of these documents, once each.

        Documents with the same VIN name one car; a document with only a plate
        joins the car of the batch with that plate. A car first seen at a sale
        with almost nothing on the clock was sold new.
        """
        registered = self.env.ref("fleet.fleet_vehicle_state_registered", raise_if_not_found=False)

        def values_of(doc):
            header = doc["header"]
            sold_new = header["department"] == "sales" and header["odometer"] < NEW_CAR_MAX_KM
            return {
                "model_id": models_by_name[header["model"].lower()].id,
                "vin_sn": header["vin"] or False,
                "license_plate": header["plate"] or False,
                "dealer_owner_id": partners[doc["number"]],
                "company_id": company.id,
                "dealer_condition": "new" if sold_new else "used",
                "dealer_handover_date": header["date"] if header["department"] == "sales" else False,
                "acquisition_date": header["date"] if header["department"] == "sales" else False,
                "state_id": registered.id if registered else False,
            }

        groups = _group_by_shared_identity(documents, lambda doc: _vehicle_identities(doc["header"]))
        return self._dealer_create_grouped("fleet.vehicle", groups, values_of)

    def _dealer_vehicle_models(self, documents, create):
        """Vehicle models by lower-case "Brand Model" (or "Model") name; unknown ones created when asked."""
        names = {doc["header"]["model"] for doc in documents if doc["header"]["model"]}
        if not names:
            return {}
        Model = self.env["fleet.vehicle.model"]
        Brand = self.env["fleet.vehicle.model.brand"]
        known = {}
        for model in Model.search([]):
            known.setdefault(f"{model.brand_id.name} {model.name}".lower(), model)
            known.setdefault(model.name.lower(), model)
        if not create:
            return known
        # sudo: models and brands are reference data that only fleet managers edit by hand, but a
        # work order naming a model the dealership has not recorded yet must still import.
        Model, Brand = Model.sudo(), Brand.sudo()
        brands = {brand.name.lower(): brand for brand in Brand.search([])}
        missing = sorted(name for name in names if name.lower() not in known)
        if not missing:
            return known
        self._dealer_claim({match_key(0, "model", name.lower()) for name in missing})
        for name in missing:
            # The longest known brand the name starts with: "Land Rover Evoque" is a Land Rover.
            brand_name = (
                max(
                    (brand for brand in brands if name.lower().startswith(brand + " ")), key=len, default=None
                )
                or name.partition(" ")[0].lower()
            )
            model_name = name[len(brand_name) :].strip() or name
            brand = brands.get(brand_name)
            if not brand:
                brand = brands[brand_name] = Brand.create({"name": name[: len(brand_name)]})
            known[name.lower()] = Model.create({"name": model_name, "brand_id": brand.id})
        return known

    def _dealer_resolve_advisors(self, documents):
        names = {doc["header"]["advisor"].lower() for doc in documents if doc["header"]["advisor"]}
        if not names:
            return {}
        advisors = {}
        users = self.env["res.users"].search(["|", ("login", "in", list(names)), ("name", "in", list(names))])
        for user in users:
            advisors.setdefault(user.login.lower(), user.id)
            advisors.setdefault(user.name.lower(), user.id)
        return advisors


def _vehicle_identities(header):
    identities = [("vin", header["vin"])] if header["vin"] else []
    if header["plate"]:
        identities.append(("plate", plate_key(header["plate"])))
    return identities


def _group_by_shared_identity(documents, identities_of):
    """Documents in groups naming the same new record: they share an identity, directly or not.

    A document with a VIN is not joined to another through a plate: plates
    move between cars, VINs do not.
    """
    parent = list(range(len(documents)))

    def root(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner = {}
    for index, doc in enumerate(documents):
        identities = identities_of(doc)
        has_vin = any(kind == "vin" for kind, _value in identities)
        for identity in identities:
            if identity not in owner:
                owner[identity] = index
            elif not (has_vin and identity[0] == "plate"):
                parent[root(index)] = root(owner[identity])
    groups = {}
    for index, doc in enumerate(documents):
        groups.setdefault(root(index), []).append(doc)
    return list(groups.values())


def customer_key(header, with_name=True):
    return (
        header["customer_code"]
        or header["customer_email"]
        or digits(header["customer_phone"])
        or (header["customer_name"] if with_name else "")
    )
