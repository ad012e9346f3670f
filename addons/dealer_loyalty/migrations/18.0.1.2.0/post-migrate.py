# Copyright 2026 Dealer Loyalty Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

# The welcome e-mail links to the customer's own page since this release. Its
# template is noupdate (a dealership may reword it), so the paragraph is added
# here, before the signature, to a template that lacks the link; the module's
# translations, loaded right after, give it in every language.
PORTAL_PARAGRAPH = (
    "<p>Your vehicle, its next service and your contact preferences are on your own page: "
    '<a t-att-href="object._dealer_portal_url()">open my page</a>.</p>'
)
SIGNATURE = '<t t-if="object.company_id.dealer_reminder_signature">'


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mail_template template
           SET body_html = jsonb_set(
                   template.body_html, '{en_US}',
                   to_jsonb(regexp_replace(template.body_html->>'en_US', %(anchor)s, %(insert)s)))
          FROM ir_model_data data
         WHERE data.model = 'mail.template' AND data.res_id = template.id
           AND data.module = 'dealer_loyalty' AND data.name = 'mail_template_reminder_welcome'
           AND strpos(template.body_html->>'en_US', '/my''') = 0
           AND strpos(template.body_html->>'en_US', %(signature)s) > 0
        """,
        {
            # The first signature block only; regexp_replace's replacement string is literal
            # here but for backslashes and &, which the paragraph has none of.
            "anchor": '<t t-if="object\\.company_id\\.dealer_reminder_signature">',
            "insert": PORTAL_PARAGRAPH + SIGNATURE,
            "signature": SIGNATURE,
        },
    )
