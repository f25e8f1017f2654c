"""Demo contacts in other government departments (§18), kept by the Sponsorship Unit and the Modern Slavery Unit
through the services (each addition audited). Fictional people at reserved .example addresses (RFC 2606)."""

from __future__ import annotations

from django.conf import settings

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind
from contacts import services
from contacts.models import Contact, Unit

DEPARTMENTS = [  # slug, name, short name: other government departments the IASC asks under §18
    ("hmrc", "HM Revenue and Customs", "HMRC"),
    ("dfe", "Department for Education", "DfE"),
]
UNITS = [("dwp", "Fraud and Error Analysis"), ("dwp", "Universal Credit Policy"),
         ("hmrc", "National Minimum Wage Enforcement"), ("dfe", "Children's Social Care Data")]
CONTACTS = [  # organisation, unit, name, role, email, phone, kept by
    ("dwp", "Fraud and Error Analysis", "Nadia Hussain", "Head of Fraud and Error Statistics",
     "nadia.hussain@dwp.example", "020 7946 0101", "ho.sponsorship"),
    ("dwp", "Universal Credit Policy", "Owen Price", "Policy lead, vulnerable claimants",
     "owen.price@dwp.example", "", "ho.sponsorship"),
    ("hmrc", "National Minimum Wage Enforcement", "Grace Obi", "Deputy Director, NMW Enforcement",
     "grace.obi@hmrc.example", "020 7946 0202", "msu.spoc"),
    ("dfe", "Children's Social Care Data", "Ben Carter", "Statistician, looked-after children",
     "ben.carter@dfe.example", "020 7946 0303", "msu.spoc"),
]


def seed_demo(stdout) -> None:
    if not settings.DEMO_MODE or Contact.objects.exists():
        return
    organisations = {org.slug: org for org in Organisation.objects.filter(kind=OrganisationKind.OTHER_GOVERNMENT_DEPARTMENT)}
    for slug, name, short in DEPARTMENTS:
        organisations[slug], _ = Organisation.objects.get_or_create(slug=slug, defaults={
            "name": name, "short_name": short, "kind": OrganisationKind.OTHER_GOVERNMENT_DEPARTMENT})
    keepers = {user.username: user for user in User.objects.filter(username__in=["ho.sponsorship", "msu.spoc"])
               .select_related("organisation")}
    keeper = keepers.get("ho.sponsorship") or keepers["msu.spoc"]
    units = {}
    for slug, name in UNITS:
        units[(slug, name)] = (Unit.objects.filter(organisation=organisations[slug], name=name).first()
                               or services.add_unit(by=keeper, organisation=organisations[slug], name=name))
    for slug, unit, name, role, email, phone, kept_by in CONTACTS:
        services.add_contact(by=keepers.get(kept_by, keeper), organisation=organisations[slug],
                             unit=units[(slug, unit)],
                             fields={"name": name, "role_title": role, "email": email, "phone": phone})
    stdout.write(f"Demo contacts ready: {len(CONTACTS)} in {len(organisations)} departments (§18).")
