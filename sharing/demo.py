"""Demo requests for `make run`: the story of the letters of November 2021, and a few hundred more
across every state, so that the service shows a living system.

Every request is made and moved through sharing.services, as people would, so each step has its
timeline entry and its audit event. The story's requests are then dated back to 2021 (their
submission, receipt and due dates, recomputed by the clock): the audit chain still records, truthfully,
when the demo was loaded.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import Organisation, User
from accounts.roles import Role
from approvals import services as approval_services
from audit.services import record_event
from dataprotection import rules as personal_data_rules
from dataprotection import services as personal_data_services
from dataprotection.examples import give_example_record
from retention.cases import RETENTION
from retention.models import Retention, RetentionEvent
from retention.states import RetentionAction
from sharing import policies, rules, schedule, services
from sharing.cases import REQUESTS
from sharing.models import Request, RequestEvent
from sharing.states import DECISION_STATES, Decision, RequestState

LONDON = ZoneInfo("Europe/London")
GENERATED = 240
STORY_MARKER = "Re-trafficking evidence base: repeat NRM referrals"

STORY_IASC_TO_HO = {
    "title": STORY_MARKER,
    "necessity": "To scrutinise the response to re-trafficking, the Commissioner needs to know how many adults and "
                 "children are referred to the NRM more than once (s41(1)(a) and (c)).",
    "information_requested": "Counts of people referred to the NRM more than once, 2016 to 2021, by age group, "
                             "nationality group, exploitation type and outcome of the first referral.",
    "purpose": "A joint research project between the Commissioner's office and the Rights Lab, University of "
               "Nottingham, on the evidence base on re-trafficking.",
    "publication_intent": "yes",
    "publication_detail": "Aggregate tables in the published report; cells under 10 suppressed; the draft shared "
                          "with the Home Office before publication.",
    "access": "The IASC Head of Research, one IASC analyst and the Rights Lab project lead, named below.",
    "storage_retention": "IASC encrypted file store, access-controlled; kept until 12 months after publication.",
    "disposal": "Secure deletion from the file store and any copies; written confirmation to the Home Office.",
    "classification": "OFFICIAL-SENSITIVE",
    "personal_data_category": "anonymised",
}

STORY_HO_TO_IASC = {
    "title": "Survivor support insights from the Commissioner's Health Roundtable",
    "necessity": "To support delivery of the Modern Slavery Strategy on survivor recovery.",
    "information_requested": "The Commissioner's summary of themes raised at the Health Roundtable on access to "
                             "healthcare for survivors.",
    "purpose": "To inform the review of the Modern Slavery Victim Care Contract's health provision.",
    "publication_intent": "no",
    "access": "The MSU victim care policy team (four officials).",
    "storage_retention": "Home Office document management, 2 years.",
    "disposal": "Deleted under the Home Office retention schedule.",
}

STORY_OGD = {
    "title": "Universal Credit claims by confirmed victims leaving support",
    "information_requested": "Numbers of Universal Credit claims made within 45 days of leaving MSVC support, "
                             "2019 to 2021.",
    "purpose": "Scrutiny of move-on support for survivors.",
    "necessity": "Needed to assess transition from support under s41(1).",
}

TOPICS = ["NRM referrals by region", "Duty to Notify reports", "MSVC support durations", "Conclusive grounds "
          "timeliness", "Child referrals by local authority", "Reconsideration requests", "Section 45 defence "
          "use", "Salvation Army sub-contractor capacity", "Places of safety", "First responder training",
          "Labour exploitation in care", "County lines referrals", "Immigration detention of victims",
          "Recovery needs assessments", "Slavery and trafficking risk orders"]
STATE_MIX = [RequestState.DRAFT, RequestState.SUBMITTED, RequestState.ACKNOWLEDGED, RequestState.UNDER_ASSESSMENT,
             RequestState.FURTHER_INFORMATION_REQUESTED, RequestState.AGREED, RequestState.PROVIDED,
             RequestState.CLOSED, RequestState.WITHDRAWN]


class Cast:
    def __init__(self):
        people = {u.username: u for u in User.objects.select_related("organisation")}
        self.iasc_requester = people["iasc.requester"]
        self.iasc_case_officer = people["iasc.caseofficer"]
        self.commissioner = people["iasc.commissioner"]
        self.spoc = people["msu.spoc"]
        self.ho_requester = people["ho.requester"]
        self.ho_assessor = people["ho.assessor"]
        self.ho_approver = people["ho.approver"]
        self.ho_dpo = people["ho.dpo"]
        # Who decides each approval, by the role it asks for (§10, §17)
        self.approver_by_role = {Role.APPROVER: self.ho_approver, Role.DPO: self.ho_dpo,
                                 Role.MINISTER: people["ho.ministersoffice"]}
        self.ho_analysis = Organisation.objects.get(slug="ho-analysis")


def seed_demo(stdout) -> None:
    if not settings.DEMO_MODE or Request.objects.filter(title=STORY_MARKER).exists():
        return
    cast = Cast()
    # The demo notifies nobody: its people are fictional.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _the_story(cast)
        rng = random.Random(2020_05_13)
        for n in range(GENERATED):
            _generated(cast, rng, n)
        from arrangements.demo import seed_demo_arrangement

        seed_demo_arrangement()  # the §16 register: one active HO–IASC arrangement
    stdout.write(f"Demo requests ready: the story of the letters and {GENERATED} more.")


# --- the story of the letters --------------------------------------------------------------------

def _the_story(cast: Cast) -> None:
    # June 2021: the IASC asks for re-trafficking data; no answer and no date follow.
    unanswered = services.create_draft(by=cast.iasc_requester, direction="iasc_to_ho", fields=STORY_IASC_TO_HO,
                                       named_people=[cast.iasc_requester])
    unanswered = _move(cast, unanswered, RequestState.SUBMITTED)
    _backdate(unanswered, datetime(2021, 6, 15, 10, 30, tzinfo=LONDON), "IASC-2021-0042")

    # The Home Office asks the Commissioner, whose decision is final (§14).
    asked = services.create_draft(by=cast.ho_requester, direction="ho_to_iasc", fields=STORY_HO_TO_IASC)
    asked = _move(cast, asked, RequestState.UNDER_ASSESSMENT)
    _backdate(asked, datetime(2021, 10, 4, 9, 0, tzinfo=LONDON), "HO-2021-0007")

    # The Commissioner asks another department directly (§18), with her own target dates.
    dwp = Organisation.objects.get(slug="dwp")
    ogd = services.create_draft(by=cast.iasc_requester, direction=_route_key("other_government_department"),
                                holder_org=dwp, fields={**STORY_OGD, "acknowledge_by": schedule.today(),
                                                        "provide_by": schedule.today()})
    services.submit(ogd, by=cast.iasc_requester, expected_version=ogd.version)


def _route_key(organisation_kind: str) -> str:
    spec = services.default_protocol().spec
    return next(route.key for route in spec.other_routes if route.organisation_kind == organisation_kind)


@transaction.atomic
def _backdate(request: Request, submitted_at: datetime, reference: str) -> None:
    """Date a story request back to when the letters say it was made; the clock works out its dates."""
    request = Request.objects.select_for_update().get(pk=request.pk)
    dates = schedule.due_dates(request, submitted_at, schedule.calendar_for(request))
    request.acknowledge_by, request.provide_by = dates.acknowledge_by, dates.provide_by
    Request.objects.filter(pk=request.pk).update(
        reference=reference, submitted_at=submitted_at, received_on=dates.received_on,
        acknowledge_by=dates.acknowledge_by, provide_by=dates.provide_by, created_at=submitted_at,
        next_due_on=schedule.next_due_on(request))
    RequestEvent.objects.filter(request=request).update(occurred_at=submitted_at)
    REQUESTS.record_timeline_correction(request, None, "demo: dated back to the letters")


# --- generated requests --------------------------------------------------------------------------

def _generated(cast: Cast, rng: random.Random, n: int) -> None:
    iasc_asks = rng.random() < 0.7
    requester = cast.iasc_requester if iasc_asks else cast.ho_requester
    topic = rng.choice(TOPICS)
    fields = {
        "title": f"{topic} ({2016 + n % 8})",
        "necessity": "Needed for the exercise of the requester's functions.",
        "information_requested": f"Aggregate figures on {topic.lower()}.",
        "purpose": "Scrutiny and research.",
        "publication_intent": rng.choice(["no", "yes"]),
        "publication_detail": "Aggregate tables only.",
        "access": "The named team.",
        "storage_retention": "Encrypted store, two years.",
        "disposal": "Secure deletion with confirmation.",
        "classification": "OFFICIAL-SENSITIVE" if rng.random() < 0.25 else "OFFICIAL",
        # One in five asks for pseudonymised records (still personal data, §15): its Annex B record is complete.
        "personal_data_category": "pseudonymised" if n % 5 == 2 else "anonymised",
    }
    target = STATE_MIX[n % len(STATE_MIX)]
    keep_until = _keep_until(n) if target in (RequestState.PROVIDED, RequestState.CLOSED) else None
    if keep_until is not None:  # element (f), structured: a date after today, as the service requires
        fields["retain_until"] = max(keep_until, schedule.today() + timedelta(days=1))
        fields["storage_retention"] = "Encrypted store, until the keep-until date below."
    request = services.create_draft(by=requester, direction="iasc_to_ho" if iasc_asks else "ho_to_iasc",
                                    fields=fields)
    if personal_data_rules.needs_record(request):
        give_example_record(request, requester)
    decision = Decision.DECLINED if n % 11 == 0 else Decision.AGREED_IN_PART if n % 7 == 0 else Decision.AGREED
    if target == RequestState.AGREED:
        target = DECISION_STATES[decision]
    request = _move(cast, request, target, decision)
    if keep_until is not None and keep_until <= schedule.today():
        _keep_until_passed(request, keep_until)
    if request.state == RequestState.UNDER_ASSESSMENT and n % 2 and policies.approvals_to_ask(request):
        approval_services.ask(request, by=cast.ho_assessor, expected_version=request.version,
                              justification="Needed for the Commissioner's scrutiny of NRM decisions.")


def _keep_until(n: int) -> date:
    """Element (f)'s "keep until" date of a generated request that is provided (§6(f), §8(f)): a third already
    passed (retention overdue), a third within the retention reminders' window (due), a third well ahead."""
    today = schedule.today()
    which = (n // len(STATE_MIX)) % 3  # not n % 3: the provided ones are every ninth request, at fixed offsets
    return {0: today - timedelta(days=3 + n % 40), 1: today + timedelta(days=1 + n % 9)}.get(
        which, today + timedelta(days=180 + 7 * (n % 50)))


@transaction.atomic
def _keep_until_passed(request: Request, keep_until: date) -> None:
    """Date element (f) back to a day already passed (the service takes only dates after today), with the
    retention case opened at delivery: its opening entry and its snapshot on the chain say so, as the story's
    requests and the demo hold are dated back (replay agrees)."""
    reason = "demo: element (f)'s keep-until date already passed"
    Request.objects.filter(pk=request.pk).update(retain_until=keep_until)
    for retention in Retention.objects.select_for_update().filter(request=request).order_by("pk"):
        Retention.objects.filter(pk=retention.pk).update(keep_until=keep_until)
        for entry in RetentionEvent.objects.filter(retention=retention, action=RetentionAction.OPEN):
            entry.details = {**entry.details, "keep_until": keep_until.isoformat()}
            entry.save(update_fields=["details"])
        retention = Retention.objects.select_related("request").get(pk=retention.pk)
        RETENTION.record_timeline_correction(retention, None, reason)
        record_event("retention.dated_back", obj=retention, organisation_id=RETENTION.audit_organisation(retention),
                     details={"reference": RETENTION.reference(retention), "reason": reason,
                              "snapshot": RETENTION.snapshot(retention)})


def _fresh(request: Request) -> Request:
    return Request.objects.get(pk=request.pk)


def _move(cast: Cast, request: Request, target: RequestState, decision: str = Decision.AGREED) -> Request:
    """Walk a request, as the right people, until it reaches `target`."""
    iasc_asks = request.direction == "iasc_to_ho"
    requester = cast.iasc_requester if iasc_asks else cast.ho_requester
    assessor = cast.ho_assessor if iasc_asks else cast.iasc_case_officer
    decider = cast.ho_assessor if iasc_asks else cast.commissioner
    if target == RequestState.WITHDRAWN:
        request = services.submit(request, by=requester, expected_version=request.version)
        return services.withdraw(request, by=requester, expected_version=request.version, note="No longer needed.")
    steps = [
        (RequestState.DRAFT, lambda r: services.submit(r, by=requester, expected_version=r.version)),
        (RequestState.SUBMITTED, lambda r: _acknowledge(cast, r, iasc_asks)),
        (RequestState.ACKNOWLEDGED, lambda r: services.start_assessment(r, by=assessor, expected_version=r.version)),
        (RequestState.FURTHER_INFORMATION_REQUESTED,
         lambda r: services.request_further_information(r, by=assessor, expected_version=r.version,
                                                        question="Which years, and why those?")),
        (RequestState.UNDER_ASSESSMENT, lambda r: _decide(cast, r, decider, decision)),
        (DECISION_STATES[decision], lambda r: services.deliver(
            r, by=assessor, expected_version=r.version, description="Aggregate tables, as agreed.",
            marking=r.classification, uploads=[_tables()])),
        (RequestState.PROVIDED, lambda r: services.close(r, by=requester, expected_version=r.version)),
    ]
    for state, step in steps:
        request = _fresh(request)
        if request.state == target:
            return request
        if state == RequestState.FURTHER_INFORMATION_REQUESTED:
            if target == state:
                step(request)
            continue
        if request.state == RequestState.DECLINED:
            if target == RequestState.CLOSED:
                services.close(request, by=requester, expected_version=request.version)
            return _fresh(request)
        if request.state == state:
            step(request)
    return _fresh(request)


def _acknowledge(cast: Cast, request: Request, iasc_asks: bool) -> Request:
    if not iasc_asks:
        return services.acknowledge(request, by=cast.iasc_case_officer, expected_version=request.version)
    request = services.acknowledge(request, by=cast.spoc, expected_version=request.version,
                                   note="Being considered.")
    return services.reassign(request, by=cast.spoc, expected_version=request.version, to_org=cast.ho_analysis,
                             to_user=cast.ho_assessor, reason="Analysis and Insight hold this data (§11).")


def _decide(cast: Cast, request: Request, decider: User, decision: str) -> Request:
    satisfied = decision != Decision.DECLINED
    items = rules.checklist_of(request)
    answers = [services.ChecklistEntry(item.key, satisfied or index > 0,
                                       "" if satisfied or index > 0 else "Necessity not shown.")
               for index, item in enumerate(items)]
    request = services.record_checklist(request, by=decider, expected_version=request.version, answers=answers)
    record = personal_data_rules.record_of(request)
    if satisfied and record is not None and personal_data_rules.needs_confirmation(request):
        personal_data_services.confirm(request, by=decider, expected_version=record.version,
                                       note="Checked against the Annex B record (§17).")
    if satisfied and policies.approvals_to_ask(_fresh(request)):
        for approval in approval_services.ask(_fresh(request), by=decider, expected_version=_fresh(request).version,
                                              justification="Aggregate figures for the Commissioner's scrutiny."):
            approval_services.approve(approval, by=cast.approver_by_role[approval.role_required],
                                      expected_version=approval.version, note="Approved.")
    request = _fresh(request)
    return services.decide(
        request, by=decider, expected_version=request.version, decision=decision,
        reasons="Necessity for the requester's functions not shown." if not satisfied else "Agreed.",
        provided_scope="National tables." if decision == Decision.AGREED_IN_PART else "",
        withheld_scope="Tables below region level." if decision == Decision.AGREED_IN_PART else "")


def _tables() -> SimpleUploadedFile:
    return SimpleUploadedFile("tables.csv", b"region,count\nLondon,120\nNorth West,85\nWales,31\n",
                              content_type="text/csv")
