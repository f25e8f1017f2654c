"""The request lifecycle as data: states, actions, who owns each state, and the transition table.

Nothing here touches the database; `policies.py` asks these tables what a state allows and
`permissions.py` asks who may act. Every state has an owner (a test asserts it), so a request
never waits on nobody.
"""

from __future__ import annotations

from django.db import models

from approvals.states import ApprovalKind  # noqa: F401  (approvals are their own cases; kinds live there)
from workflow.machine import Machine, Transition


class RequestState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_ASSESSMENT = "under_assessment", "Under assessment"
    FURTHER_INFORMATION_REQUESTED = "further_information_requested", "Further information requested"
    AGREED = "agreed", "Agreed"
    AGREED_IN_PART = "agreed_in_part", "Agreed in part"
    DECLINED = "declined", "Declined"
    PROVISION_OWED = "provision_owed", "Provided so far; more owed"  # §6 regular provision
    PROVIDED = "provided", "Provided"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Decision(models.TextChoices):
    AGREED = "agreed", "Agreed"
    AGREED_IN_PART = "agreed_in_part", "Agreed in part"
    DECLINED = "declined", "Declined"


AGREEING_DECISIONS = frozenset({Decision.AGREED, Decision.AGREED_IN_PART})
# A decision is a state of its own (ADR 0009): the decision field keeps what was decided once the request moves on.
DECISION_STATES = {Decision.AGREED: "agreed", Decision.AGREED_IN_PART: "agreed_in_part", Decision.DECLINED: "declined"}


class RouteKind(models.TextChoices):
    PROTOCOL = "protocol", "Under the protocol"
    OGD = "ogd", "Other government department (§18)"
    SCHEDULE3 = "schedule3", "Schedule 3 authority, s43 duty (§4 fn 1)"


class Provision(models.TextChoices):
    """§6: requests are one-off or for the regular provision of specified information."""

    ONE_OFF = "one_off", "One-off"
    REGULAR = "regular", "Regular provision"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUALLY = "annually", "Annually"


class PublicationIntent(models.TextChoices):
    """§6(d) / §8(d): whether the requester intends to publish the information."""

    NO = "no", "No, it will not be published"
    YES = "yes", "Yes, it will be published"
    UNDECIDED = "undecided", "Not yet decided"


class StateOwner(models.TextChoices):
    """Whose move it is. The recipient is the routed single point of contact (§11)."""

    REQUESTER = "requester", "Requester"
    RECIPIENT = "recipient", "Receiving point of contact"
    HOLDER = "holder", "Holder of the information"
    NOBODY = "nobody", "Nobody (finished)"


class Action(models.TextChoices):
    CREATE = "create", "Create draft"
    UPDATE = "update", "Update draft"
    SUBMIT = "submit", "Submit"
    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    REASSIGN = "reassign", "Reassign"
    START_ASSESSMENT = "start_assessment", "Start assessment"
    REQUEST_FURTHER_INFORMATION = "request_further_information", "Request further information"
    RESPOND = "respond", "Respond"
    RECORD_CHECKLIST = "record_checklist", "Record checklist answers"
    REQUEST_APPROVAL = "request_approval", "Ask for approval"
    APPROVE = "approve", "Approve"  # before approvals were cases of their own: kept for old timelines
    DECIDE = "decide", "Decide"
    DELIVER = "deliver", "Deliver"
    CLOSE = "close", "Close"
    WITHDRAW = "withdraw", "Withdraw"
    RECOMPUTE_DUE_DATES = "recompute_due_dates", "Recalculate due dates"  # by the system, on a calendar change
    ESCALATE = "escalate", "Escalate (§13)"  # the IASC takes it up the ladder: recorded on the request
    ESCALATION_RESOLVED = "escalation_resolved", "Resolved on escalation (§13)"  # by the service only


# How each action reads in a sentence: "Only ... can <phrase>", "You cannot <phrase> while it is ...".
ACTION_PHRASES: dict[Action, str] = {
    Action.CREATE: "make this request",
    Action.UPDATE: "change this draft",
    Action.SUBMIT: "submit this request",
    Action.ACKNOWLEDGE: "acknowledge this request",
    Action.REASSIGN: "reassign this request",
    Action.START_ASSESSMENT: "start the assessment of this request",
    Action.REQUEST_FURTHER_INFORMATION: "ask for further information on this request",
    Action.RESPOND: "answer the questions on this request",
    Action.RECORD_CHECKLIST: "record the assessment checklist of this request",
    Action.REQUEST_APPROVAL: "ask for approval to share this information",
    Action.APPROVE: "approve sharing this information",
    Action.DECIDE: "decide this request",
    Action.DELIVER: "provide information on this request",
    Action.CLOSE: "close this request",
    Action.WITHDRAW: "withdraw this request",
    Action.RECOMPUTE_DUE_DATES: "recalculate the due dates of this request",
    Action.ESCALATE: "escalate this request (§13)",
    Action.ESCALATION_RESOLVED: "record the outcome of an escalation on this request",
}

STATE_OWNERS: dict[RequestState, StateOwner] = {
    RequestState.DRAFT: StateOwner.REQUESTER,
    RequestState.SUBMITTED: StateOwner.RECIPIENT,
    RequestState.ACKNOWLEDGED: StateOwner.HOLDER,
    RequestState.UNDER_ASSESSMENT: StateOwner.HOLDER,
    RequestState.FURTHER_INFORMATION_REQUESTED: StateOwner.REQUESTER,
    RequestState.AGREED: StateOwner.HOLDER,  # to provide
    RequestState.AGREED_IN_PART: StateOwner.HOLDER,
    RequestState.DECLINED: StateOwner.REQUESTER,  # to close (or, for the IASC, to escalate: §13)
    RequestState.PROVISION_OWED: StateOwner.HOLDER,  # §6: later occasions of a regular request
    RequestState.PROVIDED: StateOwner.REQUESTER,  # to close
    RequestState.CLOSED: StateOwner.NOBODY,
    RequestState.WITHDRAWN: StateOwner.NOBODY,
}

FINISHED_STATES = frozenset({RequestState.CLOSED, RequestState.WITHDRAWN})
OPEN_STATES = frozenset(s for s in RequestState if s not in FINISHED_STATES)
SUBMITTED_OPEN_STATES = OPEN_STATES - {RequestState.DRAFT}
BEFORE_DECISION = frozenset({
    RequestState.SUBMITTED, RequestState.ACKNOWLEDGED, RequestState.UNDER_ASSESSMENT,
    RequestState.FURTHER_INFORMATION_REQUESTED,
})
AGREED_STATES = frozenset({RequestState.AGREED, RequestState.AGREED_IN_PART})
# Information still to be provided: before a decision, once agreed, and between occasions of a regular request.
AWAITING_PROVISION = BEFORE_DECISION | AGREED_STATES | {RequestState.PROVISION_OWED}
# §13: what the IASC may escalate: declined (wholly or in part), or information still owed (overdue, or not
# forthcoming at working level). escalations.services says which grounds fit which state.
ESCALATABLE = AWAITING_PROVISION | {RequestState.DECLINED}
# A rung resolving an escalation (the HO will provide) undoes a refusal: the holder decides again (ADR 20).
REDECIDED_ON_ESCALATION = frozenset({RequestState.DECLINED, RequestState.AGREED_IN_PART})
# Actions only a service performs, as part of another case's action: nobody takes them from a page or the API.
SERVICE_ACTIONS = frozenset({Action.ESCALATION_RESOLVED})


def _from(*states: RequestState) -> frozenset[RequestState]:
    return frozenset(states)


TRANSITIONS: dict[Action, Transition] = {
    Action.UPDATE: Transition(_from(RequestState.DRAFT), None),
    Action.SUBMIT: Transition(_from(RequestState.DRAFT), RequestState.SUBMITTED),
    Action.ACKNOWLEDGE: Transition(_from(RequestState.SUBMITTED), RequestState.ACKNOWLEDGED),
    Action.REASSIGN: Transition(BEFORE_DECISION, None, by_owner=False),
    Action.START_ASSESSMENT: Transition(_from(RequestState.ACKNOWLEDGED), RequestState.UNDER_ASSESSMENT),
    Action.REQUEST_FURTHER_INFORMATION: Transition(
        _from(RequestState.UNDER_ASSESSMENT), RequestState.FURTHER_INFORMATION_REQUESTED),
    Action.RESPOND: Transition(_from(RequestState.FURTHER_INFORMATION_REQUESTED), RequestState.UNDER_ASSESSMENT),
    Action.RECORD_CHECKLIST: Transition(_from(RequestState.UNDER_ASSESSMENT), None),
    Action.REQUEST_APPROVAL: Transition(_from(RequestState.UNDER_ASSESSMENT), None),
    Action.DECIDE: Transition(_from(RequestState.UNDER_ASSESSMENT), (
        RequestState.AGREED, RequestState.AGREED_IN_PART, RequestState.DECLINED)),
    # One-off: provided. Regular (§6): provision owed until the last occasion is delivered.
    Action.DELIVER: Transition(AGREED_STATES | {RequestState.PROVISION_OWED},
                               (RequestState.PROVIDED, RequestState.PROVISION_OWED)),
    Action.CLOSE: Transition(_from(RequestState.DECLINED, RequestState.PROVIDED), RequestState.CLOSED),
    # Never once anything has been provided.
    Action.WITHDRAW: Transition(_from(RequestState.DRAFT) | BEFORE_DECISION | AGREED_STATES | {RequestState.DECLINED},
                                RequestState.WITHDRAWN, by_owner=False),
    # §13: recorded on the request; the escalation is a case of its own (escalations.cases).
    Action.ESCALATE: Transition(ESCALATABLE, None, by_owner=False),
    # §13: a rung resolved it: a refusal goes back to the holder to decide again (ADR 20).
    Action.ESCALATION_RESOLVED: Transition(REDECIDED_ON_ESCALATION, RequestState.UNDER_ASSESSMENT, by_owner=False),
}

REQUEST_MACHINE = Machine(name="request", initial=RequestState.DRAFT, owners=STATE_OWNERS, transitions=TRANSITIONS)


def target_state(action: Action, current: RequestState, chosen: RequestState | None = None) -> RequestState:
    return RequestState(REQUEST_MACHINE.target(action, current, chosen))


def actions_from(state: RequestState) -> list[Action]:
    return [Action(action) for action in REQUEST_MACHINE.actions_from(state)]


def state_diagram() -> str:
    """The transition table as a Mermaid state diagram, for the docs."""
    return REQUEST_MACHINE.diagram()
