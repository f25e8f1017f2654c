"""Builders: a complete draft, and a request walked through the services to any state."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services as approval_services
from approvals.states import ApprovalKind
from dataprotection import rules as personal_data_rules
from dataprotection import services as personal_data_services
from dataprotection.examples import give_example_record
from sharing import policies, rules, services
from sharing.models import Request
from sharing.states import DECISION_STATES, Decision, RequestState

DECIDED = "decided"  # walk(..., DECIDED, decision=…): to the state of that decision (agreed, in part, declined)

COMPLETE_ELEMENTS = {
    "title": "Re-trafficking: NRM referrals of adults referred more than once",
    "necessity": "To scrutinise the response to re-trafficking under s41(1).",
    "information_requested": "Counts of NRM referrals of adults referred more than once, 2016 to 2021, by region.",
    "purpose": "A joint research project with the Rights Lab on the evidence base on re-trafficking.",
    "publication_intent": "yes",
    "publication_detail": "Aggregate tables in the published report, small numbers suppressed.",
    "access": "Two named researchers in the IASC office and the Rights Lab project lead.",
    "storage_retention": "Encrypted IASC SharePoint, for two years after publication.",
    "disposal": "Secure deletion, confirmed in writing to the holder.",
}


@dataclass
class Actors:
    requester: object
    recipient: object
    assessor: object
    approver: object
    decider: object
    dpo: object = None
    minister: object = None

    def approver_for(self, approval):
        """Who decides each approval: the DPO for compliance, a Minister's office for §17's Ministers."""
        return {ApprovalKind.DATA_PROTECTION: self.dpo, ApprovalKind.MINISTERIAL: self.minister}.get(
            approval.kind, self.approver)


def actors(cast, direction: str = "iasc_to_ho") -> Actors:
    if direction == "iasc_to_ho":
        return Actors(cast.iasc_requester, cast.spoc, cast.msu_assessor, cast.ho_approver, cast.msu_assessor,
                      cast.ho_dpo, cast.ho_minister)
    return Actors(cast.ho_requester, cast.iasc_case_officer, cast.iasc_assessor, cast.iasc_approver, cast.commissioner)


def fresh(request: Request) -> Request:
    return Request.objects.get(pk=request.pk)


def draft(by, direction: str = "iasc_to_ho", **fields) -> Request:
    named = fields.pop("named_people", None)
    holder_org = fields.pop("holder_org", None)
    record = fields.pop("personal_data_record", True)
    parts = fields.pop("parts", None)  # each with its own scope, compared with processing holds
    request = services.create_draft(by=by, direction=direction, holder_org=holder_org,
                                    fields={**COMPLETE_ELEMENTS, **fields}, named_people=named, parts=parts)
    if record and personal_data_rules.needs_record(request):  # §15–17: complete, so that it can be sent
        give_example_record(request, by)
    return request


def confirm_personal_data(request: Request, by) -> Request:
    """§17: the holder confirms the personal-data record, where agreeing needs it."""
    request = fresh(request)
    if personal_data_rules.needs_confirmation(request):
        record = personal_data_rules.record_of(request)
        if record is not None and not record.is_confirmed:
            personal_data_services.confirm(request, by=by, expected_version=record.version)
    return fresh(request)


def pdf(name: str = "tables.pdf", body: bytes = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def walk(request: Request, cast, until: RequestState, *, decision: str = Decision.AGREED) -> Request:
    """Take a request through the lifecycle, as the right people, until it reaches `until`."""
    cast_for = actors(cast, request.direction)
    until = DECISION_STATES[decision] if until == DECIDED else until
    steps = _steps(request, cast_for, decision)
    for state, step in steps:
        request = fresh(request)
        if request.state == until:
            return request
        if request.state == state:
            step(request)
    request = fresh(request)
    assert request.state == until, f"stopped at {request.state}, wanted {until}"
    return request


def _steps(request, who: Actors, decision: str):
    def checklist_and_approvals(r):
        items = rules.checklist_of(r)
        satisfied = decision != Decision.DECLINED
        answers = [services.ChecklistEntry(item.key, satisfied or index > 0, "" if satisfied or index > 0
                                           else "Not shown to be necessary.")
                   for index, item in enumerate(items)]
        r = services.record_checklist(r, by=who.decider, expected_version=r.version, answers=answers)
        if decision != Decision.DECLINED:
            confirm_personal_data(r, who.decider)
        if decision != Decision.DECLINED and policies.approvals_to_ask(fresh(r)):
            for approval in approval_services.ask(fresh(r), by=who.decider, expected_version=fresh(r).version):
                approval_services.approve(approval, by=who.approver_for(approval), expected_version=approval.version)
        return fresh(r)

    def decide(r):
        r = checklist_and_approvals(r)
        services.decide(r, by=who.decider, expected_version=r.version, decision=decision,
                        reasons="Reasons given." if decision == Decision.DECLINED else "",
                        provided_scope="Regional tables." if decision == Decision.AGREED_IN_PART else "",
                        withheld_scope="Police force tables." if decision == Decision.AGREED_IN_PART else "")

    return [
        (RequestState.DRAFT, lambda r: services.submit(r, by=who.requester, expected_version=r.version)),
        (RequestState.SUBMITTED, lambda r: services.acknowledge(r, by=who.recipient, expected_version=r.version)),
        (RequestState.ACKNOWLEDGED, lambda r: services.start_assessment(r, by=who.assessor,
                                                                        expected_version=r.version)),
        (RequestState.UNDER_ASSESSMENT, decide),
        (DECISION_STATES[decision], lambda r: services.deliver(r, by=who.assessor, expected_version=r.version,
                                                          description="Tables", marking=r.classification,
                                                          uploads=[pdf()])),
        (RequestState.PROVIDED, lambda r: services.close(r, by=who.requester, expected_version=r.version)),
    ]


def ask_further_information(request: Request, cast) -> Request:
    who = actors(cast, request.direction)
    services.request_further_information(request, by=who.assessor, expected_version=request.version,
                                         question="Which regions, and why those?")
    return fresh(request)


def withdrawn(request: Request, cast) -> Request:
    who = actors(cast, request.direction)
    services.withdraw(request, by=who.requester, expected_version=request.version, note="No longer needed.")
    return fresh(request)
