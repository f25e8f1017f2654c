"""One world for the security suite, built once per test class (setUpTestData): the shipped protocol, people of
each role in each organisation, and objects of each kind in the states that matter to who may see them.

    world = build()
    world.people["spoc"], world.objects["sensitive"], world.sees["sensitive"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from accounts.roles import Role
from approvals.models import Approval
from clock.core import CALENDAR_NAMES
from clock.models import CalendarAdjustment
from clock.services import add_adjustment
from protocols.services import load_protocol
from sharing import policies, rules, services
from sharing.models import DeliveryFile
from sharing.states import Decision, RequestState
from tests.factories import make_person, standard_organisations
from tests.support.requests import DECIDED, actors, draft, fresh, pdf, walk
from tests.support.sharing_fixtures import SHIPPED, Cast

SENSITIVE = {"classification": "OFFICIAL-SENSITIVE", "personal_data_category": "personal",
             "legal_basis": "UK GDPR Art 6(1)(e)."}  # needs the §10, §17 and data protection approvals

# The people the matrix runs as: a name for each, their organisation and role. "anonymous" has no session and
# "unverified" has passed the password but not the second factor; "nobody" belongs to no organisation.
PEOPLE = {
    "iasc_requester": "IASC requester (drafts and sends IASC's requests)",
    "iasc_case_officer": "IASC case officer, not named on the OFFICIAL-SENSITIVE request",
    "commissioner": "the Commissioner (IASC)",
    "iasc_approver": "IASC approver",
    "iasc_auditor": "IASC auditor",
    "spoc": "Home Office single point of contact (Modern Slavery Unit)",
    "msu_assessor": "Home Office assessor (Modern Slavery Unit), the team a request is assigned to",
    "ho_requester": "Home Office requester (Modern Slavery Unit)",
    "ho_analyst": "Home Office case officer (Analysis), not named on the OFFICIAL-SENSITIVE request",
    "ho_approver": "Home Office approver",
    "ho_dpo": "Home Office data protection officer",
    "ho_auditor": "Home Office auditor",
    "dwp_officer": "a case officer of another government department (DWP), party to nothing here",
    "administrator": "Home Office administrator (staff, superuser)",
    "policy_lead": "HO Policy lead on Modern Slavery (Modern Slavery Unit): the §13 ladder's first rung",
    "ho_director": "Director for Tackling Slavery and Exploitation (Home Office): the ladder's second rung",
    "nobody": "an active account in no organisation",
}
VISITORS = ("anonymous", "unverified", *PEOPLE)
SAMPLE = ("anonymous", "unverified", "iasc_requester", "spoc", "nobody")


@dataclass
class World:
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _pending_approvals(request, cast):
    """Under assessment, its checklist satisfied, the approvals the protocol needs asked for and none decided."""
    who = actors(cast, request.direction)
    answers = [services.ChecklistEntry(item.key, True, "") for item in rules.checklist_of(request)]
    request = services.record_checklist(request, by=who.decider, expected_version=request.version, answers=answers)
    if policies.approvals_to_ask(fresh(request)):
        from approvals import services as approval_services
        approval_services.ask(fresh(request), by=who.decider, expected_version=fresh(request).version)
    return fresh(request)


def build() -> World:
    orgs = standard_organisations()
    protocol = load_protocol(SHIPPED)

    def person(org_slug, *roles, **extra):
        return make_person(orgs[org_slug] if org_slug else None, *roles, **extra)

    cast = Cast(person)
    world = World()
    for name in PEOPLE:
        if name not in ("administrator", "policy_lead", "ho_director"):
            world.people[name] = getattr(cast, name)
    world.people["administrator"] = person("home-office", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    world.people["policy_lead"] = person("msu", Role.ESCALATION_POLICY_LEAD)
    world.people["ho_director"] = person("home-office", Role.ESCALATION_DIRECTOR)
    world.people["unverified"] = cast.iasc_requester

    objects = world.objects
    objects["protocol"] = protocol
    objects["iasc_draft"] = draft(cast.iasc_requester)  # IASC's own; the Home Office cannot see it yet
    objects["ho_draft"] = draft(cast.ho_requester, direction="ho_to_iasc")  # the Home Office's own
    objects["submitted"] = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)  # OFFICIAL, both parties
    # OFFICIAL-SENSITIVE (§10), under assessment with its approvals asked for: need-to-know
    objects["sensitive"] = _pending_approvals(walk(draft(cast.iasc_requester, **SENSITIVE), cast,
                                                   RequestState.UNDER_ASSESSMENT), cast)
    provided = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    objects["file"] = DeliveryFile.objects.filter(delivery__request=provided).first()
    # Provided, its requester intending to publish (§6(d)): a proposal to publish awaits the holder (§7(b))
    from publications import services as publication_services
    objects["published"] = provided
    objects["publication"] = publication_services.propose(provided, by=cast.iasc_requester, text="Table 3.",
                                                          uploads=[pdf("draft-table.pdf")])
    objects["publication_file"] = objects["publication"].files.get()
    sensitive_provided = walk(draft(cast.iasc_requester, **SENSITIVE), cast, RequestState.PROVIDED)
    objects["sensitive_file"] = DeliveryFile.objects.filter(delivery__request=sensitive_provided).first()
    # Generated documents (documents, ADR 29): a decided request's notice, and each delivery as a bundle
    objects["sensitive_provided"] = sensitive_provided
    objects["delivery"] = objects["file"].delivery
    objects["sensitive_delivery"] = objects["sensitive_file"].delivery
    # Retention (ADR 33): a delivery of its own, held by the IASC, so that a disposal leaves the files above alone
    retained = walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED)
    objects["retention"] = retained.retentions.get()
    pending = Approval.objects.filter(request=objects["sensitive"]).order_by("pk")
    objects["approval"] = next(a for a in pending if a.role_required == Role.APPROVER)
    objects["dpo_approval"] = next(a for a in pending if a.role_required == Role.DPO)
    # OFFICIAL-SENSITIVE, declined, escalated by the IASC (§13): at the Policy lead's rung, not yet the Director's
    from escalations import services as escalation_services
    declined = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, DECIDED,
                    decision=Decision.DECLINED)
    objects["escalation"] = escalation_services.escalate(
        declined, by=cast.iasc_requester, grounds="declined", expected_version=declined.version,
        reasons="Needed for s41 scrutiny.", ho_objections="Not held in that form.", attempts="Two letters.")
    # The §18 directory: a unit and a contact at DWP, kept by the Modern Slavery Unit
    from contacts import services as contact_services
    objects["unit"] = contact_services.add_unit(by=cast.spoc, organisation=orgs["dwp"], name="Fraud and Error")
    objects["contact"] = contact_services.add_contact(by=cast.spoc, organisation=orgs["dwp"], unit=objects["unit"],
                                                      fields={"name": "Nadia Hussain", "role_title": "Statistician",
                                                              "email": "nadia@dwp.example", "phone": ""})
    objects["adjustment"] = add_adjustment(CALENDAR_NAMES[0], date(2030, 1, 2), CalendarAdjustment.Kind.CLOSURE,
                                           "Flood", by=world.people["administrator"])
    from accounts import tokens  # an API token of the IASC requester's: only she may revoke it
    from accounts.token_models import Scope
    owner = cast.iasc_requester
    owner.is_verified = lambda: True  # as django-otp marks a session past the second factor
    objects["token"], _secret = tokens.create_token(owner, name="Reporting", scope=Scope.READ)
    from accounts import delegation  # the Commissioner names a case officer to decide on her behalf (§14)
    objects["delegation"] = delegation.name_delegate(by=cast.commissioner, delegate=cast.iasc_case_officer,
                                                     reason="While the Commissioner is on leave")
    # A draft data sharing arrangement between the IASC and the Home Office, its DPIA recorded (§16)
    from tests.support.arrangements import drafted
    objects["arrangement"] = drafted(cast, by=cast.iasc_case_officer)
    # A research project under review by the contract mechanism (issue 11), with its signed NDA: seen by the
    # institution (Rights Lab: no one here), its partner (the IASC) and the department (the Home Office)
    from research import services as research_services
    from tests.support.research import contract_fields, signed_pdf, suppliers
    researcher = person("rights-lab", Role.RESEARCHER)
    project = research_services.propose(by=researcher, fields=contract_fields(), suppliers=suppliers())
    project = research_services.submit(project, by=researcher, expected_version=project.version)
    objects["research_nda"] = research_services.record_nda(
        project, by=researcher, expected_version=project.version, signatory=researcher, signed_on=date(2021, 1, 4),
        expires_on=date(2023, 1, 4), upload=signed_pdf())
    objects["research_project"] = type(project).objects.get(pk=project.pk)
    objects["research_review"] = project.reviews.order_by("pk").first()
    # A processing hold in force (issue 11), placed by the Home Office's DPO and owned by its approver
    from tests.support.holds import placed
    objects["hold"] = placed(cast)
    # Safe outputs (§15): a dataset of the Home Office's, and a release drafted from it by the MSU assessor on an
    # agreed request
    from tests.support import releases as release_builders
    objects["dataset"] = release_builders.uploaded(cast.msu_assessor, release_builders.csv_upload(
        release_builders.records(500)))
    objects["release"] = release_builders.drafted(cast, objects["dataset"], spec={"dimensions": ["gender"]})
    return world
