"""The authorisation matrix: who may reach every URL and every API operation, declared here and checked by
test_matrix.py against the service as it answers.

Every URL pattern (by its name, "namespace:name") and method has a row in ROWS; an OpenAPI operation finds its
row through the URL its path resolves to. A URL or operation with no row fails test_matrix with a message saying
which row to add: that is how a new page or endpoint inherits the suite.

A row is a Rule and, for a URL with parameters, the objects (world.py) whose ids fill them:

    ("sharing:request_detail", "GET"): Sees(REQUESTS),        # who sees the object: allowed; anyone else 404
    ("sharing:request_edit", "GET"): Acts("update", REQUESTS),  # sees and may act: allowed; sees only: 403
    ("audit:log", "GET"): Roles(AUDITORS),                      # these people: allowed; other people 403

The answers:
  - allowed: 2xx, a redirect that is not to a sign-in page, or 400/409 (a well-formed but wrong action, or an
    empty form sent by someone who may send it);
  - refused: exactly the code the rule names. Anonymous visitors are sent to sign in (pages) or get 401/403 (API);
    a session past the password but not the second factor is sent to the one-time code page (pages), or is signed
    out and treated as anonymous (API); an object the person may not see is a 404, whether it exists or not, so
    that no answer tells them it exists.

Who sees what is need-to-know (sharing/permissions.py): it is written out here by hand, from the rules in that
module's docstring, not computed from the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- the people (world.PEOPLE) -------------------------------------------------------------------------------

IASC = frozenset({"iasc_requester", "iasc_case_officer", "commissioner", "iasc_approver", "iasc_auditor"})
MSU = frozenset({"spoc", "msu_assessor", "ho_requester", "policy_lead"})  # the Modern Slavery Unit, of the HO
HOME_OFFICE = MSU | {"ho_analyst", "ho_approver", "ho_dpo", "ho_auditor", "administrator", "ho_director"}
MEMBERS = IASC | HOME_OFFICE | {"dwp_officer"}  # active, in an organisation, with a role
EVERYONE_SIGNED_IN = MEMBERS | {"nobody"}
AUDITORS = frozenset({"iasc_auditor", "ho_auditor", "administrator"})  # view_audit, verify_audit
ADMINISTRATORS = frozenset({"administrator"})
STAFF = frozenset({"administrator"})  # is_staff: the admin site
# The §18 directory: read by both parties, kept by the Modern Slavery Unit (and the Sponsorship Unit: no one here)
DIRECTORY_READERS = IASC | HOME_OFFICE
DIRECTORY_KEEPERS = MSU
# Who may start a request (requesters and case officers of a party of the protocol)
REQUESTERS = frozenset({"iasc_requester", "iasc_case_officer", "ho_requester", "ho_analyst"})

# --- need-to-know: who sees each object ----------------------------------------------------------------------

SENSITIVE_SEERS = frozenset({
    "iasc_requester",  # the requester
    "commissioner",  # every request her office makes
    "iasc_auditor", "ho_auditor",  # auditors of either party
    "spoc",  # the routed recipient (§11)
    "msu_assessor",  # the assessor it is assigned to
    "ho_approver",  # approvers of the holder (§10)
    "ho_dpo",  # the holder's data protection officer: a §17 approval was asked of the role
})  # not iasc_case_officer, iasc_approver, ho_requester, ho_analyst, the administrator: not named, no need to know

SEES: dict[str, frozenset[str]] = {
    "iasc_draft": IASC,  # OFFICIAL, never sent: the requesting side only
    "ho_draft": MSU | {"ho_auditor"},  # the Home Office's draft: its unit, and auditors of its department
    "submitted": IASC | HOME_OFFICE,  # OFFICIAL, sent: both parties
    "sensitive": SENSITIVE_SEERS,  # OFFICIAL-SENSITIVE, under assessment, approvals asked
    "file": IASC | HOME_OFFICE,  # delivered on an OFFICIAL request
    "sensitive_file": SENSITIVE_SEERS,  # delivered on an OFFICIAL-SENSITIVE request
    "approval": SENSITIVE_SEERS,  # an approval is seen by whoever sees its request
    "dpo_approval": SENSITIVE_SEERS,
    "protocol": MEMBERS,
    "adjustment": ADMINISTRATORS,
    "token": frozenset({"iasc_requester"}),  # an API token: its owner's alone
    "delegation": IASC,  # the Commissioner's delegates (§14): her office's page
    "arrangement": IASC | HOME_OFFICE,  # a data sharing arrangement: every member of its parties (§16)
    "hold": MEMBERS,  # a processing hold: everyone active in an organisation (its existence is not secret)
    # OFFICIAL-SENSITIVE, declined and escalated (§13), at the Policy lead's rung: the request's need-to-know (no
    # approval was asked, so not the DPO) and the people of each rung it has reached (the Policy lead, not yet the
    # Director)
    "escalation": frozenset({"iasc_requester", "commissioner", "iasc_auditor", "ho_auditor", "spoc", "msu_assessor",
                             "ho_approver", "policy_lead"}),
    "published": IASC | HOME_OFFICE,  # OFFICIAL, provided: both parties
    "publication": IASC | HOME_OFFICE,  # a proposal to publish is seen by whoever sees its request
    "publication_file": IASC | HOME_OFFICE,  # and the files put forward with it
    "retention": IASC | HOME_OFFICE,  # a delivery's retention case: whoever sees its request (OFFICIAL, provided)
    # Generated documents (ADR 29) are seen by whoever sees their request: an OFFICIAL-SENSITIVE request decided
    # and provided, and the deliveries of the two provided requests (a bundle of each one's files)
    "sensitive_provided": SENSITIVE_SEERS,
    "delivery": IASC | HOME_OFFICE,
    "sensitive_delivery": SENSITIVE_SEERS,
    # A research project (issue 11): its institution (no one here), its partner (the IASC), the department that
    # owns the contract (the Home Office) and the suppliers involved (no one here); its reviews and NDAs likewise
    "research_project": IASC | HOME_OFFICE,
    "research_review": IASC | HOME_OFFICE,
    "research_nda": IASC | HOME_OFFICE,
    # A dataset (releases, §15): its department's uploaders (assessors, case officers), output checkers and
    # auditors; a release: its author (the MSU assessor) and the department's output checkers and auditors
    "dataset": frozenset({"msu_assessor", "ho_analyst", "ho_auditor"}),
    "release": frozenset({"msu_assessor", "ho_auditor"}),
}

# Who may take each action on each request, whatever its state (sharing/permissions.py ACTORS): the requesting
# side, the routed recipient, and the assessor of the team it is assigned to (who decides, for IASC→HO).
_IASC_TO_HO = {"requester": {"iasc_requester", "iasc_case_officer"}, "receiver": {"spoc"},
               "holder": {"msu_assessor"}}
_SIDES = {
    "iasc_draft": {"requester": {"iasc_requester", "iasc_case_officer"}},  # not yet routed or assigned
    "ho_draft": {"requester": {"ho_requester"}},
    "submitted": _IASC_TO_HO,
    "sensitive": _IASC_TO_HO,
}
_SIDE_OF_ACTION = {
    "update": "requester", "submit": "requester", "respond": "requester", "close": "requester",
    "withdraw": "requester", "acknowledge": "receiver", "reassign": "receiver", "start_assessment": "holder",
    "record_checklist": "holder", "request_further_information": "holder", "request_approval": "holder",
    "decide": "holder", "deliver": "holder",
}
ACTORS: dict[tuple[str, str], frozenset[str]] = {
    (action, obj): frozenset(sides.get(side, ())) for obj, sides in _SIDES.items()
    for action, side in _SIDE_OF_ACTION.items()
}
# Approvals: an approver of the holder, for the role the approval requires, who did not ask (§10, §17)
ACTORS[("decide_approval", "approval")] = frozenset({"ho_approver"})
ACTORS[("decide_approval", "dpo_approval")] = frozenset({"ho_dpo"})
# The personal-data record (dataprotection, §17): the holder's decision maker (the assessor it is assigned to) or
# its data protection officer confirms it; neither sees a draft. Keeping it is "update": the requesting side.
ACTORS.update({("confirm_personal_data", obj): frozenset() for obj in ("iasc_draft", "ho_draft")})
ACTORS.update({("confirm_personal_data", obj): frozenset({"msu_assessor", "ho_dpo"}) for obj in ("submitted",
                                                                                                 "sensitive")})

# Arrangements (arrangements/permissions.py): drafted and changed by a case officer, approver or DPO of a party;
# signed off by an approver or DPO of a party who did not draft it (the IASC case officer drafted this one, §16);
# reviewed, suspended and resumed by an approver or DPO of a party.
ARRANGEMENT_DRAFTERS = frozenset({"iasc_case_officer", "iasc_approver", "ho_analyst", "ho_approver", "ho_dpo"})
ARRANGEMENT_SIGNATORIES = frozenset({"iasc_approver", "ho_approver", "ho_dpo"})
ACTORS[("update_arrangement", "arrangement")] = ARRANGEMENT_DRAFTERS
ACTORS[("end", "arrangement")] = ARRANGEMENT_DRAFTERS  # a draft is abandoned by who may change it
for _action in ("sign_off", "review", "suspend", "resume"):
    ACTORS[(_action, "arrangement")] = ARRANGEMENT_SIGNATORIES
# Who may start one: a drafting role in any organisation (the DWP's case officer too: for its own arrangements)
ARRANGEMENT_STARTERS = ARRANGEMENT_DRAFTERS | {"dwp_officer"}
ARRANGEMENTS = ("arrangement",)
ARRANGEMENT_ACTIONS = ("sign_off", "review", "suspend", "resume", "end")
# Processing holds (holds/permissions.py): placed by an approver or DPO of a government department; reviewed and
# lifted by the hold's owner (the Home Office's approver here) or an approver or DPO of its department.
HOLD_KEEPERS = frozenset({"ho_approver", "ho_dpo"})
HOLD_PLACERS = HOLD_KEEPERS
HOLDS = ("hold",)
HOLD_ACTIONS = ("review", "lift")
for _action in HOLD_ACTIONS:
    ACTORS[(_action, "hold")] = HOLD_KEEPERS
# Escalations (§13): the IASC's requesting side and the Commissioner escalate a request to the HO (on a draft the
# page says the state does not allow it); for an HO→IASC request the page shows §14's words to whoever sees it.
_ESCALATORS = frozenset({"iasc_requester", "iasc_case_officer", "commissioner"})
ACTORS[("escalate", "iasc_draft")] = _ESCALATORS
ACTORS[("escalate", "ho_draft")] = SEES["ho_draft"]
ACTORS[("escalate", "submitted")] = _ESCALATORS
ACTORS[("escalate", "sensitive")] = _ESCALATORS & SEES["sensitive"]
# The rung's people decide; the IASC's people withdraw, go up or close
ACTORS[("decide_escalation", "escalation")] = frozenset({"policy_lead"})
ACTORS[("escalator", "escalation")] = _ESCALATORS & SEES["escalation"]
ACTORS[("act_on_escalation", "escalation")] = ACTORS[("decide_escalation", "escalation")] | _ESCALATORS & SEES[
    "escalation"]
ESCALATIONS = ("escalation",)
# Publication (§7(b), §9(b)): the requesting side proposes and withdraws; the holder's assessors, approvers and
# Commissioner decide, never the requesting organisation (the Commissioner of the IASC included)
ACTORS[("propose", "published")] = frozenset({"iasc_requester", "iasc_case_officer"})
ACTORS[("withdraw_publication", "publication")] = frozenset({"iasc_requester", "iasc_case_officer"})
ACTORS[("decide_publication", "publication")] = frozenset({"msu_assessor", "ho_approver"})
PUBLICATIONS = ("publication",)
# Retention (ADR 33): the requesting organisation's requesters and case officers, who received it, dispose of it
ACTORS[("dispose", "retention")] = frozenset({"iasc_requester", "iasc_case_officer"})
RETENTIONS = ("retention",)
# Research (issue 11): researchers of the institution, the contracts team, suppliers' reviewers and service
# providers act; none of the people here holds those roles, so everyone who sees a project is refused (403)
RESEARCH = ("research_project",)
RESEARCH_ACTIONS = ("submit", "approve", "resume", "cancel", "complete")
RESEARCHERS = frozenset()
# Safe outputs (§15): who may upload a dataset (an assessor or case officer of any organisation, for its own
# department); a release is drafted by who can deliver on the request, and acted on by its author (the world has
# no output checker: nobody who sees the draft may check or consolidate it)
DATASET_UPLOADERS = frozenset({"iasc_case_officer", "msu_assessor", "ho_analyst", "dwp_officer"})
ACTORS[("draft_release", "published")] = frozenset({"msu_assessor"})
for _action in ("revise", "submit", "deliver", "withdraw"):
    ACTORS[(f"{_action}_release", "release")] = frozenset({"msu_assessor"})
RELEASES = ("release",)
RELEASE_ACTIONS = ("submit", "check", "consolidate", "deliver", "withdraw")
# Linking a request: a researcher of the institution (no one here) or a requester or case officer of its partner
ACTORS[("link_request", "research_project")] = frozenset({"iasc_requester", "iasc_case_officer"})

REQUESTS = ("iasc_draft", "ho_draft", "submitted", "sensitive")
FILES = ("file", "sensitive_file")
DELIVERIES = ("delivery", "sensitive_delivery")
APPROVALS = ("approval", "dpo_approval")
PAGE_ACTIONS = ("submit", "acknowledge", "reassign", "start_assessment", "request_further_information", "respond",
                "record_checklist", "request_approval", "decide", "deliver", "close", "withdraw")

# Each page of an action runs the same lookup and permission check before its form. Shown (GET): every action on
# the two sent requests, and on the drafts (which only their own side sees) one action of the requesting side and
# one of the holder's. Sent (POST, an empty form): every action on the OFFICIAL-SENSITIVE request, those two on
# the others. Bounded so that the whole matrix runs in about two minutes.
_TWO = ("submit", "acknowledge")
GET_ACTIONS = {"iasc_draft": _TWO, "ho_draft": _TWO}
POST_ACTIONS = {"iasc_draft": _TWO, "ho_draft": _TWO, "submitted": _TWO}
# The API's empty-body check (a 404 before any 400) on the objects whose visibility is narrowest
EMPTY_BODY_OBJECTS = ("ho_draft", "sensitive")

# --- rules ------------------------------------------------------------------------------------------------------

ALLOWED = "allowed"  # 2xx, a redirect not to sign in, 400 or 409
LOGIN = "login"  # a redirect to the sign-in page
MFA = "mfa"  # a redirect to the one-time code page
ADMIN_LOGIN = "admin_login"  # a redirect to the admin's sign-in, which is the service's (no admin page)
API_DENIED = "api_denied"  # 401 or 403


@dataclass(frozen=True)
class Rule:
    """Who reaches a URL with a method. `objects` fill the URL's parameters (world.objects keys)."""

    objects: tuple[str, ...] = ()
    anonymous: object = None  # None: LOGIN for pages, API_DENIED for the API
    unverified: object = None  # None: MFA for pages, API_DENIED for the API
    body: str = "empty"  # "empty", or "current": a well-formed body carrying the object's current version

    def expect(self, person: str, obj: str | None) -> object:
        raise NotImplementedError


@dataclass(frozen=True)
class Everyone(Rule):
    """Anyone, signed in or not, gets `answer`."""

    answer: object = ALLOWED

    def expect(self, person, obj):
        return self.answer


@dataclass(frozen=True)
class SignedIn(Rule):
    """Anyone signed in with both factors; `refused` for people outside `who` (all signed in by default)."""

    who: frozenset[str] = EVERYONE_SIGNED_IN
    answer: object = ALLOWED
    refused: object = 403

    def expect(self, person, obj):
        return self.answer if person in self.who else self.refused


def Roles(who, answer=ALLOWED, refused=403, **kwargs) -> SignedIn:  # noqa: N802  (reads as a rule)
    return SignedIn(who=frozenset(who), answer=answer, refused=refused, **kwargs)


@dataclass(frozen=True)
class Sees(Rule):
    """People who see the object (SEES) are answered; everyone else gets a 404 (`unseen`)."""

    answer: object = ALLOWED
    unseen: object = 404
    others: dict = field(default_factory=dict)  # {person: answer} where the answer is the same for every object

    def expect(self, person, obj):
        if person in self.others:
            return self.others[person]
        return self.answer if person in SEES[obj] else self.unseen


@dataclass(frozen=True)
class Acts(Rule):
    """People who see the object and may take `action` on it are answered; who only sees it gets `refused`;
    anyone else 404. `action` None: the action is the URL's `action` parameter (filled from `actions`)."""

    action: str | None = None
    actions: tuple[str, ...] = ()
    only: dict = field(default_factory=dict)  # {object: actions}: try just these actions on that object
    refused: object = 403
    unseen: object = 404
    answer: object = ALLOWED

    def expect(self, person, obj, action=None):
        action = action or self.action
        if person not in SEES[obj]:
            return self.unseen
        return self.answer if person in ACTORS.get((action, obj), ()) else self.refused


@dataclass(frozen=True)
class Method(Rule):
    """The method is not one the URL takes: 405 for everyone who reaches the view."""

    answer: object = 405

    def expect(self, person, obj):
        return self.answer


# The body sent with a POST or PATCH: pages get an empty form (they check who may act first); the API is sent an
# empty body (an unseen object must still be a 404, not a 400 that says it exists) and, as a second check, a
# well-formed body with the object's current version, so that the person's permission decides the answer.
API_BODIES: dict[str, dict] = {
    "sharing-api:request-detail": {"title": "Changed"},
    "sharing-api:request-acknowledge": {"note": ""},
    "sharing-api:request-close": {"note": ""},
    "sharing-api:request-submit": {"note": ""},
    "sharing-api:request-withdraw": {"note": ""},
    "sharing-api:request-start-assessment": {"note": ""},
    "sharing-api:request-decide": {"decision": "declined", "reasons": "Not necessary."},
    "sharing-api:request-deliver": {"description": "Tables", "marking": "OFFICIAL", "answer": "Attached."},
    "sharing-api:request-reassign": {"to_org": "msu", "reason": "They hold it."},
    "sharing-api:request-record-checklist": {"answers": []},
    "sharing-api:request-request-approval": {"justification": "Needed."},
    "sharing-api:request-request-further-information": {"question": "Which regions?"},
    "sharing-api:request-respond": {"answer": "The north."},
    "sharing-api:approval-approve": {"text": ""},
    "sharing-api:approval-refuse": {"text": "No."},
    "sharing-api:approval-return-for-justification": {"text": "Why?"},
    "sharing-api:arrangement-detail": {"title": "Changed"},
    "sharing-api:arrangement-sign-off": {"text": ""},
    "sharing-api:arrangement-review": {"next_review_on": "2030-01-02", "note": "Still needed."},
    "sharing-api:arrangement-suspend": {"text": "ICO enquiry."},
    "sharing-api:arrangement-resume": {"text": ""},
    "sharing-api:arrangement-end": {"text": "Superseded."},
    "sharing-api:hold-review": {"next_review_on": "2030-01-02", "note": "Still needed."},
    "sharing-api:hold-lift": {"lifted_because": "Contract Change Notice 14", "note": ""},
    "sharing-api:escalation-decide": {"outcome": "resolved", "note": "The HO will provide."},
    "sharing-api:escalation-go-up": {"note": ""},
    "sharing-api:escalation-close": {"note": ""},
    "sharing-api:escalation-withdraw": {"note": ""},
    "sharing-api:publication-decide": {"outcome": "refuse", "reasons": "No."},
    "sharing-api:publication-withdraw": {"note": ""},
    "sharing-api:retention-dispose": {"method": "Deleted from the share.", "confirmed": True},
    "sharing-api:contact-detail": {"phone": "020 7946 0000"},
    "sharing-api:contact-check-entry": {},
    "sharing-api:contact-unit-check-entry": {},
}
API_ACTION = {name: name.split(":request-")[-1].replace("-", "_") for name in API_BODIES if ":request-" in name}
API_ACTION["sharing-api:escalation-decide"] = "decide_escalation"
API_ACTION.update(dict.fromkeys(("sharing-api:escalation-go-up", "sharing-api:escalation-close",
                                 "sharing-api:escalation-withdraw"), "escalator"))
PUBLICATION_API_ACTION = {"sharing-api:publication-decide": "decide_publication",
                          "sharing-api:publication-withdraw": "withdraw_publication"}
API_ACTION["sharing-api:request-detail"] = "update"
API_ACTION.update(dict.fromkeys(("sharing-api:approval-approve", "sharing-api:approval-refuse",
                                 "sharing-api:approval-return-for-justification"), "decide_approval"))
ARRANGEMENT_API_ACTION = {name: name.split(":arrangement-")[-1].replace("-", "_") for name in API_BODIES
                          if ":arrangement-" in name}
ARRANGEMENT_API_ACTION["sharing-api:arrangement-detail"] = "update_arrangement"
# The personal-data record's endpoints have rows of their own (below), not the request actions' rows. Their
# "current" body carries the request's version, not the record's: the requesting side is told it is stale (409).
API_BODIES["sharing-api:request-personal-data"] = {"retention": "One year."}
API_BODIES["sharing-api:request-personal-data-confirm"] = {"note": ""}


def _api_action_rows() -> dict:
    rows = {}
    for name, action in API_ACTION.items():
        if "escalation" in action or action == "escalator":
            rows[(name, "POST")] = Sees(objects=ESCALATIONS)
            rows[(name, "POST", "current")] = Acts(action=action, objects=ESCALATIONS, body="current")
            continue
        objects = APPROVALS if action == "decide_approval" else REQUESTS
        method = "PATCH" if name == "sharing-api:request-detail" else "POST"
        # an empty body: a 400 for who sees it, a 404 for who does not
        rows[(name, method)] = Sees(objects=APPROVALS[:1] if action == "decide_approval" else EMPTY_BODY_OBJECTS)
        rows[(name, method, "current")] = Acts(action=action, objects=objects, body="current")
    for name, action in ARRANGEMENT_API_ACTION.items():
        method = "PATCH" if name == "sharing-api:arrangement-detail" else "POST"
        rows[(name, method)] = Sees(objects=ARRANGEMENTS)
        rows[(name, method, "current")] = Acts(action=action, objects=ARRANGEMENTS, body="current")
    return rows


@dataclass(frozen=True)
class Chooses(Rule):
    """The URL's `parameter` takes these values, each allowed to these people; other people, and any other value,
    get `refused` (the value is tried as `values`, plus one no URL takes)."""

    parameter: str = ""
    who: dict = field(default_factory=dict)
    refused: object = 404

    def expect(self, person, obj, value=None):
        return ALLOWED if person in self.who.get(value, ()) else self.refused


IASC_REQUESTERS = frozenset({"iasc_requester", "iasc_case_officer"})
HO_REQUESTERS = frozenset({"ho_requester", "ho_analyst"})
DIRECTIONS = {"iasc_to_ho": IASC_REQUESTERS, "ho_to_iasc": HO_REQUESTERS,
              "other_government_departments": IASC_REQUESTERS,  # §18: the Commissioner's office only
              "no_such_direction": frozenset()}

ROWS: dict[tuple, Rule] = {
    # --- the frame and sign-in ---
    ("home", "GET"): SignedIn(),  # a redirect to "My work"
    ("home", "POST"): SignedIn(),
    ("healthz", "GET"): Everyone(anonymous=ALLOWED, unverified=ALLOWED),
    ("healthz", "POST"): Everyone(anonymous=ALLOWED, unverified=ALLOWED),
    # Readiness (ADR 39): for load balancers and orchestrators, before any sign-in; names failing checks only.
    ("readyz", "GET"): Everyone(anonymous=ALLOWED, unverified=ALLOWED),
    ("readyz", "POST"): Everyone(anonymous=ALLOWED, unverified=ALLOWED),
    ("profile", "GET"): SignedIn(),
    ("profile", "POST"): SignedIn(),
    # API tokens (accounts/token_views.py): people of an organisation make their own; a token is its owner's
    ("token-new", "GET"): Roles(MEMBERS),
    ("token-new", "POST"): Roles(MEMBERS),
    ("token-revoke", "GET"): SignedIn(answer=405, objects=("token",)),
    # someone in no organisation may have no tokens at all: 403 whatever the id (nothing said about the token)
    ("token-revoke", "POST"): Sees(objects=("token",), others={"nobody": 403}),
    # Who decides for the Commissioner (§14, accounts/delegation_views.py): her office sees it; she alone names
    ("delegates", "GET"): Roles(IASC),
    ("delegates", "POST"): Roles({"commissioner"}),
    ("delegate-revoke", "GET"): SignedIn(answer=405, objects=("delegation",)),
    ("delegate-revoke", "POST"): Roles({"commissioner"}, objects=("delegation",)),
    ("accounts:login", "GET"): Everyone(anonymous=ALLOWED, unverified=ALLOWED),
    ("accounts:login", "POST"): Everyone(anonymous=ALLOWED, unverified=ALLOWED),  # the form, with its errors
    ("accounts:mfa", "GET"): SignedIn(unverified=ALLOWED),
    ("accounts:mfa", "POST"): SignedIn(unverified=ALLOWED),
    ("accounts:logout", "GET"): Everyone(anonymous=405, unverified=405, answer=405),
    ("accounts:logout", "POST"): Everyone(anonymous=LOGIN, unverified=LOGIN, answer=LOGIN),  # then sign in
    # The admin: one row for the site (its index and every registered model's list); staff only. Anyone else is
    # sent to its sign-in, which is the service's sign-in and then, for a person who is not staff, no admin page.
    ("admin", "GET"): Roles(STAFF, refused=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    ("admin", "POST"): Roles(STAFF, refused=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    # --- protocols, audit, calendar ---
    ("protocols:list", "GET"): Roles(MEMBERS),
    ("protocols:list", "POST"): Roles(MEMBERS),
    ("protocols:detail", "GET"): Roles(MEMBERS, objects=("protocol",)),
    ("protocols:detail", "POST"): Roles(MEMBERS, objects=("protocol",)),
    # Scrutiny (ADR 41): a dashboard of one's own work for anyone signed in; the statistics, counts only with no
    # request's content, for every member of an organisation; pages read only (GET)
    ("scrutiny:dashboard", "GET"): SignedIn(),
    ("scrutiny:dashboard", "POST"): SignedIn(answer=405),
    ("scrutiny:dashboard_export", "GET"): SignedIn(),  # no table named: 400; only one's own dashboard's tables
    ("scrutiny:dashboard_export", "POST"): SignedIn(answer=405),
    ("scrutiny:statistics", "GET"): Roles(MEMBERS),
    ("scrutiny:statistics", "POST"): SignedIn(answer=405),
    # Recomputing now is for the parties' staff; the others read what the schedule keeps fresh (ADR 53).
    ("scrutiny:statistics_recompute", "GET"): SignedIn(answer=405),
    ("scrutiny:statistics_recompute", "POST"): Roles(IASC | HOME_OFFICE),
    ("scrutiny:statistics_export", "GET"): Roles(MEMBERS),  # no table named: 400
    ("scrutiny:statistics_export", "POST"): SignedIn(answer=405),
    ("scrutiny:annual_report", "GET"): Roles(MEMBERS),
    ("scrutiny:annual_report", "POST"): SignedIn(answer=405),
    # The public transparency page: off unless CONCORDAT_TRANSPARENCY=1 (off here), a 404 for everyone then
    ("scrutiny:transparency", "GET"): Everyone(anonymous=404, answer=404),
    ("scrutiny:transparency", "POST"): Everyone(anonymous=405, answer=405),
    ("scrutiny-api:statistics", "GET"): Roles(MEMBERS),
    ("scrutiny-api:dashboard", "GET"): SignedIn(),
    ("audit:log", "GET"): Roles(AUDITORS),
    ("audit:log", "POST"): Roles(AUDITORS),
    ("audit:export", "GET"): Roles(AUDITORS),  # no format named: 400
    ("audit:export", "POST"): Roles(AUDITORS),
    ("audit:verify", "GET"): SignedIn(answer=405),
    ("audit:verify", "POST"): Roles(AUDITORS),
    ("audit:sign_checkpoint", "GET"): SignedIn(answer=405),
    ("audit:sign_checkpoint", "POST"): Roles(AUDITORS),  # an auditor of a party signs the chain's head (ADR 17)
    ("clock:calendar", "GET"): Roles(MEMBERS),
    ("clock:calendar", "POST"): Roles(ADMINISTRATORS),  # adds a closure
    ("clock:remove_adjustment", "GET"): SignedIn(answer=405, objects=("adjustment",)),
    ("clock:remove_adjustment", "POST"): Roles(ADMINISTRATORS, objects=("adjustment",)),
    # --- requests (pages) ---
    ("sharing:request_list", "GET"): SignedIn(),
    ("sharing:request_list", "POST"): SignedIn(answer=405),
    ("sharing:request_new", "GET"): Roles(REQUESTERS),
    ("sharing:request_new", "POST"): Roles(REQUESTERS),
    ("sharing:request_new_direction", "GET"): Chooses(parameter="direction", who=DIRECTIONS),
    ("sharing:request_new_direction", "POST"): Chooses(parameter="direction", who=DIRECTIONS),
    ("sharing:request_detail", "GET"): Sees(objects=REQUESTS),
    ("sharing:request_detail", "POST"): SignedIn(answer=405, objects=REQUESTS),  # GET only, for everyone
    ("sharing:request_edit", "GET"): Acts(action="update", objects=REQUESTS),
    ("sharing:request_edit", "POST"): Acts(action="update", objects=REQUESTS),
    ("sharing:request_action", "GET"): Acts(objects=REQUESTS, actions=PAGE_ACTIONS, only=GET_ACTIONS),
    ("sharing:request_action", "POST"): Acts(objects=REQUESTS, actions=PAGE_ACTIONS, only=POST_ACTIONS),
    # --- generated documents (documents, ADR 29): each one only where the step it records has happened ---
    ("documents:submitted-request", "GET"): Sees(objects=("submitted", "sensitive")),
    ("documents:submitted-request", "POST"): SignedIn(answer=405, objects=("submitted",)),  # GET only
    ("documents:acknowledgement", "GET"): Sees(objects=("published", "sensitive")),
    ("documents:acknowledgement", "POST"): SignedIn(answer=405, objects=("published",)),
    ("documents:decision-notice", "GET"): Sees(objects=("published", "sensitive_provided")),
    ("documents:decision-notice", "POST"): SignedIn(answer=405, objects=("published",)),
    ("documents:bundle", "GET"): Sees(objects=DELIVERIES),
    ("documents:bundle", "POST"): SignedIn(answer=405, objects=("delivery",)),
    ("sharing:download", "GET"): Sees(objects=FILES),
    ("sharing:download", "POST"): Sees(objects=FILES),
    # the personal-data record (§15–17, Annex B): read by whoever sees the request, kept by its requesting side
    ("dataprotection:record", "GET"): Sees(objects=REQUESTS),
    ("dataprotection:record", "POST"): Acts(action="update", objects=REQUESTS),
    ("dataprotection:confirm", "GET"): SignedIn(answer=405, objects=REQUESTS),  # POST only, for everyone
    ("dataprotection:confirm", "POST"): Acts(action="confirm_personal_data", objects=REQUESTS),
    ("approvals:detail", "GET"): Sees(objects=APPROVALS),
    ("approvals:detail", "POST"): Acts(action="decide_approval", objects=APPROVALS),
    # --- data sharing arrangements (§16) ---
    ("arrangements:list", "GET"): SignedIn(),
    ("arrangements:list", "POST"): SignedIn(answer=405),
    ("arrangements:new", "GET"): Roles(ARRANGEMENT_STARTERS),
    ("arrangements:new", "POST"): Roles(ARRANGEMENT_STARTERS),
    ("arrangements:detail", "GET"): Sees(objects=ARRANGEMENTS),
    ("arrangements:detail", "POST"): SignedIn(answer=405, objects=ARRANGEMENTS),  # GET only, for everyone
    ("arrangements:edit", "GET"): Acts(action="update_arrangement", objects=ARRANGEMENTS),
    ("arrangements:edit", "POST"): Acts(action="update_arrangement", objects=ARRANGEMENTS),
    ("arrangements:action", "GET"): Acts(objects=ARRANGEMENTS, actions=ARRANGEMENT_ACTIONS),
    ("arrangements:action", "POST"): Acts(objects=ARRANGEMENTS, actions=ARRANGEMENT_ACTIONS),
    # --- processing holds (issue 11): everyone signed in sees them; the department places, reviews, lifts ---
    ("holds:list", "GET"): SignedIn(),
    ("holds:list", "POST"): SignedIn(answer=405),
    ("holds:new", "GET"): Roles(HOLD_PLACERS),
    ("holds:new", "POST"): Roles(HOLD_PLACERS),
    ("holds:detail", "GET"): Sees(objects=HOLDS),
    ("holds:detail", "POST"): SignedIn(answer=405, objects=HOLDS),  # GET only, for everyone
    ("holds:action", "GET"): Acts(objects=HOLDS, actions=HOLD_ACTIONS),
    ("holds:action", "POST"): Acts(objects=HOLDS, actions=HOLD_ACTIONS),
    # the escalate page: the §13 record for who may escalate, §14's words (no form) on an HO→IASC request
    ("escalations:new", "GET"): Acts(action="escalate", objects=REQUESTS),
    ("escalations:new", "POST"): Acts(action="escalate", objects=REQUESTS),
    ("escalations:detail", "GET"): Sees(objects=ESCALATIONS),
    # an empty form: 400 for who may act on it now (the rung's people, the IASC's), 403 for who only sees it
    ("escalations:detail", "POST"): Acts(action="act_on_escalation", objects=ESCALATIONS),
    ("publications:propose", "GET"): Acts(action="propose", objects=("published",)),
    ("publications:propose", "POST"): Acts(action="propose", objects=("published",)),  # empty: 400 for actors
    ("publications:detail", "GET"): Sees(objects=PUBLICATIONS),
    ("publications:detail", "POST"): Acts(action="decide_publication", objects=PUBLICATIONS),
    ("publications:download", "GET"): Sees(objects=("publication_file",)),
    ("publications:download", "POST"): Sees(objects=("publication_file",)),
    ("publications:withdraw", "GET"): SignedIn(answer=405, objects=PUBLICATIONS),  # POST only, for everyone
    ("publications:withdraw", "POST"): Acts(action="withdraw_publication", objects=PUBLICATIONS),
    ("retention:index", "GET"): SignedIn(),
    ("retention:index", "POST"): SignedIn(answer=405),
    ("retention:detail", "GET"): Sees(objects=RETENTIONS),
    ("retention:detail", "POST"): Acts(action="dispose", objects=RETENTIONS),
    ("retention:certificate", "GET"): Sees(objects=RETENTIONS),
    ("retention:certificate", "POST"): SignedIn(answer=405, objects=RETENTIONS),
    # --- research projects (research/, issue 11) ---
    ("research:list", "GET"): SignedIn(),
    ("research:list", "POST"): SignedIn(answer=405),
    ("research:propose", "GET"): Roles(RESEARCHERS),
    ("research:propose", "POST"): Roles(RESEARCHERS),
    ("research:detail", "GET"): Sees(objects=RESEARCH),
    ("research:detail", "POST"): SignedIn(answer=405, objects=RESEARCH),
    ("research:act", "GET"): Acts(objects=RESEARCH, actions=RESEARCH_ACTIONS),
    ("research:act", "POST"): Acts(objects=RESEARCH, actions=RESEARCH_ACTIONS),
    ("research:review", "GET"): SignedIn(answer=405, objects=("research_review",)),
    ("research:review", "POST"): Acts(action="review_research", objects=("research_review",)),
    ("research:nda", "GET"): Acts(action="record_nda", objects=RESEARCH),
    ("research:nda", "POST"): Acts(action="record_nda", objects=RESEARCH),
    ("research:choice", "GET"): Acts(action="record_consent", objects=RESEARCH),
    ("research:choice", "POST"): Acts(action="record_consent", objects=RESEARCH),
    ("research:withdrawal", "GET"): Acts(action="record_withdrawal", objects=RESEARCH),
    ("research:withdrawal", "POST"): Acts(action="record_withdrawal", objects=RESEARCH),
    ("research:link_request", "GET"): Acts(action="link_request", objects=RESEARCH),
    ("research:link_request", "POST"): Acts(action="link_request", objects=RESEARCH),
    ("research:deletion", "GET"): SignedIn(answer=405, objects=RESEARCH),
    ("research:deletion", "POST"): Acts(action="record_deletion", objects=RESEARCH),
    ("research:participants", "GET"): Acts(action="see_participants", objects=RESEARCH),  # providers only
    ("research:participants", "POST"): SignedIn(answer=405, objects=RESEARCH),
    ("research:nda_download", "GET"): Sees(objects=("research_nda",)),
    ("research:nda_download", "POST"): SignedIn(answer=405, objects=("research_nda",)),
    # --- the §18 directory of contacts (contacts/): readers 403 past it, keepers only change it ---
    ("contacts:directory", "GET"): Roles(DIRECTORY_READERS),
    ("contacts:directory", "POST"): Roles(DIRECTORY_READERS),
    ("contacts:contact_new", "GET"): Roles(DIRECTORY_KEEPERS),
    ("contacts:contact_new", "POST"): Roles(DIRECTORY_KEEPERS),  # an empty form: 400 for keepers
    ("contacts:contact_edit", "GET"): Roles(DIRECTORY_KEEPERS, objects=("contact",)),
    ("contacts:contact_edit", "POST"): Roles(DIRECTORY_KEEPERS, objects=("contact",)),
    ("contacts:contact_check", "GET"): SignedIn(answer=405, objects=("contact",)),
    ("contacts:contact_check", "POST"): Roles(DIRECTORY_KEEPERS, objects=("contact",)),
    ("contacts:unit_new", "GET"): Roles(DIRECTORY_KEEPERS),
    ("contacts:unit_new", "POST"): Roles(DIRECTORY_KEEPERS),
    ("contacts:unit_check", "GET"): SignedIn(answer=405, objects=("unit",)),
    ("contacts:unit_check", "POST"): Roles(DIRECTORY_KEEPERS, objects=("unit",)),
    # --- safe outputs: datasets and releases (releases, §15) ---
    ("releases:datasets", "GET"): SignedIn(),
    ("releases:datasets", "POST"): SignedIn(answer=405),
    ("releases:dataset_upload", "GET"): Roles(DATASET_UPLOADERS),
    ("releases:dataset_upload", "POST"): Roles(DATASET_UPLOADERS),  # an empty form: 400 for uploaders
    ("releases:dataset", "GET"): Sees(objects=("dataset",)),
    ("releases:dataset", "POST"): SignedIn(answer=405, objects=("dataset",)),
    ("releases:list", "GET"): SignedIn(),
    ("releases:list", "POST"): SignedIn(answer=405),
    ("releases:new", "GET"): Acts(action="draft_release", objects=("published",)),
    ("releases:new", "POST"): Acts(action="draft_release", objects=("published",)),
    ("releases:detail", "GET"): Sees(objects=RELEASES),
    ("releases:detail", "POST"): SignedIn(answer=405, objects=RELEASES),
    ("releases:revise", "GET"): Acts(action="revise_release", objects=RELEASES),
    ("releases:revise", "POST"): Acts(action="revise_release", objects=RELEASES),
    **{(f"releases:{name}", "GET"): SignedIn(answer=405, objects=RELEASES) for name in RELEASE_ACTIONS},
    **{(f"releases:{name}", "POST"): Acts(action=f"{name}_release", objects=RELEASES) for name in RELEASE_ACTIONS},
    # --- my work ---
    ("workflow:my_work", "GET"): SignedIn(),
    ("workflow:my_work", "POST"): SignedIn(),
    ("workflow:notifications", "GET"): SignedIn(),
    ("workflow:notifications", "POST"): SignedIn(),  # marks them read
    # --- the API ---
    ("api-protocol-list", "GET"): Roles(MEMBERS),
    ("api-protocol-current", "GET"): Roles(MEMBERS, objects=("protocol",)),
    ("api-protocol-detail", "GET"): Roles(MEMBERS, objects=("protocol",)),
    ("sharing-api:request-list", "GET"): SignedIn(),
    ("sharing-api:request-list", "POST"): SignedIn(),  # an empty body: 400 for everyone
    ("sharing-api:request-list", "POST", "current"): Roles(REQUESTERS - {"ho_analyst", "ho_requester"},
                                                         body="current"),  # {"direction": "iasc_to_ho"}
    ("sharing-api:request-detail", "GET"): Sees(objects=REQUESTS),
    **_api_action_rows(),
    ("sharing-api:request-personal-data", "GET"): Sees(objects=REQUESTS),
    ("sharing-api:request-personal-data", "PUT"): Sees(objects=EMPTY_BODY_OBJECTS),
    ("sharing-api:request-personal-data", "PUT", "current"): Acts(action="update", objects=REQUESTS, body="current"),
    ("sharing-api:request-personal-data-confirm", "POST"): Sees(objects=EMPTY_BODY_OBJECTS),
    ("sharing-api:request-personal-data-confirm", "POST", "current"): Acts(action="confirm_personal_data",
                                                                           objects=REQUESTS, body="current"),
    ("sharing-api:approval-list", "GET"): SignedIn(),
    ("sharing-api:approval-detail", "GET"): Sees(objects=APPROVALS),
    ("sharing-api:arrangement-list", "GET"): SignedIn(),
    ("sharing-api:arrangement-detail", "GET"): Sees(objects=ARRANGEMENTS),
    # an empty body: who may draft is told what is missing (400); anyone else may not draft (403)
    ("sharing-api:arrangement-list", "POST"): Roles(ARRANGEMENT_STARTERS),
    ("sharing-api:hold-list", "GET"): SignedIn(),
    # an empty body: who may place one is told what is missing (400); anyone else may not place one (403)
    ("sharing-api:hold-list", "POST"): Roles(HOLD_PLACERS),
    ("sharing-api:hold-detail", "GET"): Sees(objects=HOLDS),
    **{(f"sharing-api:hold-{action}", "POST"): Sees(objects=HOLDS) for action in HOLD_ACTIONS},  # empty: 400
    **{(f"sharing-api:hold-{action}", "POST", "current"): Acts(action=action, objects=HOLDS, body="current")
       for action in HOLD_ACTIONS},
    ("sharing-api:escalation-list", "GET"): SignedIn(),
    ("sharing-api:escalation-list", "POST"): SignedIn(),  # an empty body: 400 for everyone
    ("sharing-api:escalation-detail", "GET"): Sees(objects=ESCALATIONS),
    ("sharing-api:retention-list", "GET"): SignedIn(),
    ("sharing-api:retention-detail", "GET"): Sees(objects=RETENTIONS),
    ("sharing-api:retention-certificate", "GET"): Sees(objects=RETENTIONS),  # 400 until disposed of, then the PDF
    ("sharing-api:retention-dispose", "POST"): Sees(objects=RETENTIONS),
    ("sharing-api:retention-dispose", "POST", "current"): Acts(action="dispose", objects=RETENTIONS, body="current"),
    ("sharing-api:publication-list", "GET"): SignedIn(),
    ("sharing-api:publication-list", "POST"): SignedIn(),  # an empty body: 400 for everyone
    ("sharing-api:publication-detail", "GET"): Sees(objects=PUBLICATIONS),
    **{(name, "POST"): Sees(objects=PUBLICATIONS) for name in PUBLICATION_API_ACTION},  # empty: 404 before 400
    **{(name, "POST", "current"): Acts(action=action, objects=PUBLICATIONS, body="current")
       for name, action in PUBLICATION_API_ACTION.items()},
    ("sharing-api:contact-list", "GET"): Roles(DIRECTORY_READERS),
    ("sharing-api:contact-list", "POST"): Roles(DIRECTORY_KEEPERS),  # an empty body: 400 for keepers
    ("sharing-api:contact-detail", "GET"): Roles(DIRECTORY_READERS, objects=("contact",)),
    ("sharing-api:contact-detail", "PATCH"): Roles(DIRECTORY_KEEPERS, objects=("contact",)),
    ("sharing-api:contact-detail", "PATCH", "current"): Roles(DIRECTORY_KEEPERS, objects=("contact",),
                                                             body="current"),
    ("sharing-api:contact-check-entry", "POST"): Roles(DIRECTORY_KEEPERS, objects=("contact",)),
    ("sharing-api:contact-check-entry", "POST", "current"): Roles(DIRECTORY_KEEPERS, objects=("contact",),
                                                                 body="current"),
    ("sharing-api:contact-unit-list", "GET"): Roles(DIRECTORY_READERS),
    ("sharing-api:contact-unit-list", "POST"): Roles(DIRECTORY_KEEPERS),
    ("sharing-api:contact-unit-detail", "GET"): Roles(DIRECTORY_READERS, objects=("unit",)),
    ("sharing-api:contact-unit-check-entry", "POST"): Roles(DIRECTORY_KEEPERS, objects=("unit",)),
    ("sharing-api:contact-unit-check-entry", "POST", "current"): Roles(DIRECTORY_KEEPERS, objects=("unit",),
                                                                      body="current"),
    ("sharing-api:research-project-list", "GET"): SignedIn(),
    ("sharing-api:research-project-list", "POST"): SignedIn(),  # an empty body: 400 for everyone
    ("sharing-api:research-project-detail", "GET"): Sees(objects=RESEARCH),
    # each action with an empty body: 404 for who does not see the project, 400 for who does
    **{(f"sharing-api:research-project-{name}", "POST"): Sees(objects=RESEARCH) for name in (
        "submit", "approve", "resume", "cancel", "complete", "review", "ndas", "choices", "withdrawals",
        "deletions", "link-request")},
    ("sharing-api:research-project-awaiting-deletion", "GET"): Sees(objects=RESEARCH),
    ("sharing-api:research-project-participants", "GET"): Acts(action="see_participants", objects=RESEARCH),
    ("sharing-api:research-nda-download", "GET"): Sees(objects=("research_nda",)),
    ("sharing-api:dataset-list", "GET"): SignedIn(),
    ("sharing-api:dataset-list", "POST"): Roles(DATASET_UPLOADERS),  # an empty body: 400 for uploaders
    ("sharing-api:dataset-detail", "GET"): Sees(objects=("dataset",)),
    ("sharing-api:release-list", "GET"): SignedIn(),
    ("sharing-api:release-list", "POST"): SignedIn(),  # an empty body: 400 for everyone
    ("sharing-api:release-detail", "GET"): Sees(objects=RELEASES),
    **{(f"sharing-api:release-{name}", "POST"): Sees(objects=RELEASES)  # empty: 404 before 400
       for name in ("revise", *RELEASE_ACTIONS)},
    ("sharing-api:notification-list", "GET"): SignedIn(),
    ("sharing-api:notification-read", "POST"): SignedIn(),
    ("sharing-api:file-download", "GET"): Sees(objects=FILES),
    ("sharing-api:publication-file-download", "GET"): Sees(objects=("publication_file",)),
    # the API's documents, on the narrowest objects (the pages' rows try the OFFICIAL ones too)
    ("sharing-api:request-document-submitted-request", "GET"): Sees(objects=("sensitive",)),
    ("sharing-api:request-document-acknowledgement", "GET"): Sees(objects=("sensitive",)),
    ("sharing-api:request-document-decision-notice", "GET"): Sees(objects=("sensitive_provided",)),
    ("sharing-api:delivery-bundle", "GET"): Sees(objects=("sensitive_delivery",)),
    ("api-schema", "GET"): SignedIn(),  # slow to build: tried as a sample of the visitors (SAMPLED)
    ("api-docs", "GET"): SignedIn(),
}
