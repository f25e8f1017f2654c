"""Requests for information under a protocol, and everything that happens to them.

State changes go through sharing.services only; each writes a RequestEvent (the timeline people read)
and an audit event (the tamper-evident record) in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from protocols.scope import DataSource, Purpose
from sharing.states import (
    AGREEING_DECISIONS,
    DECISION_STATES,
    Action,
    Decision,
    Frequency,
    Provision,
    PublicationIntent,
    RequestState,
    RouteKind,
)
from vault.models import VaultBackedFile
from workflow.models import TimelineEntry

USER = settings.AUTH_USER_MODEL
ORGANISATION = "accounts.Organisation"


def _paired(name: str, when: str, who: str) -> models.CheckConstraint:
    """job-server's rule: a 'when' is never recorded without its 'who', nor the reverse."""
    return models.CheckConstraint(
        condition=Q(**{f"{when}__isnull": True, f"{who}__isnull": True})
        | Q(**{f"{when}__isnull": False, f"{who}__isnull": False}),
        name=name,
    )


class RequestQuerySet(models.QuerySet):
    people_fields: tuple[str, ...] = ()

    def open(self):
        return self.exclude(state__in=[RequestState.CLOSED, RequestState.WITHDRAWN])

    def with_people(self, *fields: str) -> RequestQuerySet:
        """The people these foreign keys name, with their organisations, read in one query for every field and
        every request fetched (a prefetch per field costs a query each; joining them made PostgreSQL's planning
        the page's slowest step, sharing.queries). ADR 54."""
        clone = self._chain()
        clone.people_fields = tuple(dict.fromkeys((*self.people_fields, *fields)))
        return clone

    def _clone(self):
        clone = super()._clone()
        clone.people_fields = self.people_fields
        return clone

    def _fetch_all(self):
        fetched_now = self._result_cache is None
        super()._fetch_all()
        if fetched_now and self.people_fields:
            _attach_people(self._result_cache, self.people_fields)


def _attach_people(rows: list, fields: tuple[str, ...]) -> None:
    from accounts.models import User

    requests = [row for row in rows if isinstance(row, Request)]  # not values() rows
    ids = {getattr(request, f"{field}_id") for request in requests for field in fields} - {None}
    people = User.objects.select_related("organisation").in_bulk(ids) if ids else {}
    for field in fields:
        descriptor = Request._meta.get_field(field)
        for request in requests:
            person_id = getattr(request, descriptor.attname)
            descriptor.set_cached_value(request, people.get(person_id) if person_id is not None else None)


class Request(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    protocol = models.ForeignKey("protocols.Protocol", on_delete=models.PROTECT, related_name="requests")
    protocol_version = models.CharField(max_length=40, help_text="The protocol version the request was made under.")
    direction = models.CharField(max_length=40, db_index=True, help_text="Direction key in the protocol definition.")
    route = models.CharField(max_length=20, choices=RouteKind.choices, default=RouteKind.PROTOCOL)

    requester_org = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="requests_made")
    requester = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="requests_made")
    holder_org = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="requests_held",
                                   help_text="The party that holds the information.")
    routed_to = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="requests_routed",
                                  help_text="Where the request goes first (§11).")
    routed_role = models.CharField(max_length=40, help_text="The role that receives it there (§11).")
    assigned_org = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="requests_assigned",
                                     help_text="The team now dealing with the request.")
    assigned_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="requests_assigned")

    state = models.CharField(max_length=40, choices=RequestState.choices, default=RequestState.DRAFT,
                             db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every change; guards against lost updates.")

    # The seven required elements (§6 a–g, §8 a–g).
    necessity = models.TextField(blank=True)
    information_requested = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    publication_intent = models.CharField(max_length=20, choices=PublicationIntent.choices, blank=True)
    publication_detail = models.TextField(blank=True)
    access = models.TextField(blank=True, help_text="Who will have access: named people and roles.")
    named_people = models.ManyToManyField(USER, blank=True, related_name="named_in_requests",
                                          help_text="People named in the access list; they may see it.")
    storage_retention = models.TextField(blank=True)
    retain_until = models.DateField(null=True, blank=True, help_text="Element (f) (§6(f), §8(f)), structured: the "
                                    "date until which delivered information is kept; its retention case falls "
                                    "due then (ADR 33).")
    disposal = models.TextField(blank=True)

    classification = models.CharField(max_length=40, default="OFFICIAL")
    personal_data_category = models.CharField(max_length=40, blank=True)
    # What the request draws on and what for, in the shared vocabulary (protocols.scope): with the category, the
    # scope a processing hold is compared with (holds.coverage). Parts (RequestPart) may each say their own.
    data_source = models.CharField(max_length=40, choices=DataSource.choices, blank=True)
    purpose_kind = models.CharField(max_length=40, choices=Purpose.choices, blank=True,
                                    help_text="The kind of purpose, beside §6(c)'s purpose in words.")
    legal_basis = models.TextField(blank=True, help_text="§17: the legal basis for sharing personal data.")

    provision = models.CharField(max_length=20, choices=Provision.choices, default=Provision.ONE_OFF)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)

    calendar_name = models.CharField(max_length=60, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    acknowledge_by = models.DateField(null=True, blank=True)
    provide_by = models.DateField(null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True, help_text=(
        "The next milestone not yet met (sharing.schedule.next_due_on), kept by every action: overdue when past."))

    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_reasons = models.TextField(blank=True)
    provided_scope = models.TextField(blank=True, help_text="Agreed in part: what will be provided.")
    withheld_scope = models.TextField(blank=True, help_text="Agreed in part: what will not be provided.")
    declined_items = models.JSONField(default=list, blank=True, help_text="Checklist items not satisfied.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="request_newest_first"),
            # "My work" lists the soonest due first, overdue ones first of all (queries.my_work), and the list
            # filters on what is overdue: both walk this index.
            models.Index(fields=["next_due_on", "id"], name="request_next_due"),
            # Cases hanging off a request (approvals) are ordered and counted by their request's due date: this
            # lets PostgreSQL read it, and the holder a waiting_on filter needs, with an index-only scan per case
            # instead of hashing all 100,000 requests (ADR 45). PostgreSQL only: elsewhere a plain index on id.
            models.Index(fields=["id"], include=["next_due_on", "holder_org_id"], name="request_due_by_id"),
        ]
        constraints = [
            _paired("request_acknowledged_paired", "acknowledged_at", "acknowledged_by"),
            _paired("request_decided_paired", "decided_at", "decided_by"),
            _paired("request_closed_paired", "closed_at", "closed_by"),
            _paired("request_withdrawn_paired", "withdrawn_at", "withdrawn_by"),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decision="") | Q(decided_at__isnull=False, decision__in=list(Decision.values)),
                name="request_decision_with_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[*DECISION_STATES.values(), RequestState.PROVISION_OWED,
                                        RequestState.PROVIDED, RequestState.CLOSED])
                | Q(decided_at__isnull=False),
                name="request_decided_before_provided_or_closed",
            ),
            # A decision state says what was decided (ADR 0009): the two never disagree.
            *[models.CheckConstraint(condition=~Q(state=state) | Q(decision=decision),
                                     name=f"request_state_{state}_is_its_decision")
              for decision, state in DECISION_STATES.items()],
            models.CheckConstraint(
                condition=~Q(state__in=[RequestState.PROVIDED, RequestState.PROVISION_OWED])
                | Q(decision__in=sorted(AGREEING_DECISIONS)),
                name="request_provided_only_when_agreed",
            ),
            # A draft outside the protocol may carry the requester's target dates (§18) before it is submitted.
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True, received_on__isnull=True)
                | Q(submitted_at__isnull=False, received_on__isnull=False, acknowledge_by__isnull=False,
                    provide_by__isnull=False),
                name="request_due_dates_stored_on_submission",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[RequestState.DRAFT, RequestState.WITHDRAWN]) | Q(submitted_at__isnull=False),
                name="request_submitted_unless_draft",
            ),
            models.CheckConstraint(
                condition=Q(provision=Provision.ONE_OFF, frequency="", period_start__isnull=True,
                            period_end__isnull=True)
                | Q(provision=Provision.REGULAR),
                name="request_one_off_has_no_schedule",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="request_period_in_order",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="request_version_positive"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def is_regular(self) -> bool:
        return self.provision == Provision.REGULAR

    @property
    def is_protocol_route(self) -> bool:
        return self.route == RouteKind.PROTOCOL


PART_WHAT_MAX = 500


class RequestPart(models.Model):
    """One part of a request that asks for several things (the June 2021 joint request): what is asked, and its own
    scope, so that each part can be shown blocked by a processing hold or not (holds.coverage)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()
    what = models.CharField(max_length=PART_WHAT_MAX)
    data_source = models.CharField(max_length=40, choices=DataSource.choices)
    purpose_kind = models.CharField(max_length=40, choices=Purpose.choices)
    personal_data_category = models.CharField(max_length=40)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="request_part_position_unique"),
            models.CheckConstraint(condition=~Q(what=""), name="request_part_says_what"),
        ]

    def __str__(self):
        return f"{self.request_id} part {self.position}"


class RequestEvent(TimelineEntry):
    """One step on the request's timeline, as people read it."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=Action.choices)
    from_state = models.CharField(max_length=40, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=40, choices=RequestState.choices)

    class Meta(TimelineEntry.Meta):
        pass

    def __str__(self):
        return f"{self.request_id} {self.action} by {self.actor_id}"


class ChecklistAnswer(models.Model):
    """The holder's answer to one item of the assessment checklist (§7 a–e, §9 a–e)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="checklist_answers")
    item_key = models.CharField(max_length=40)
    clause = models.CharField(max_length=20)
    satisfied = models.BooleanField()
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["request", "item_key"], name="one_answer_per_item")]

    def __str__(self):
        return f"{self.item_key}: {'satisfied' if self.satisfied else 'not satisfied'}"


class Reassignment(models.Model):
    """§11: the receiving point of contact passes the request to the team that holds the information."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="reassignments")
    from_org = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(ORGANISATION, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    reassigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reassigned_at = models.DateTimeField()

    class Meta:
        ordering = ["reassigned_at", "id"]

    def __str__(self):
        return f"{self.request_id}: {self.from_org_id} -> {self.to_org_id}"


class DeliveryOccasion(models.Model):
    """One scheduled provision of a regular request (§6), with its own due date."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="occasions")
    sequence = models.PositiveIntegerField()
    scheduled_on = models.DateField()
    due_on = models.DateField()

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["request", "sequence"], name="one_occasion_per_sequence")]

    def __str__(self):
        return f"{self.request_id} occasion {self.sequence} due {self.due_on}"


class Delivery(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="deliveries")
    occasion = models.OneToOneField(DeliveryOccasion, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="delivery")
    description = models.TextField(help_text="What was provided.")
    answer = models.TextField(blank=True, help_text="The answer in writing, where it is given without a file.")
    marking = models.CharField(max_length=40, help_text="§7(e): the security classification it carries.")
    delivered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField()

    class Meta:
        ordering = ["delivered_at", "id"]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.request_id} delivery {self.pk}"


class DeliveryFile(VaultBackedFile):
    """A file provided: its bytes are in the vault, encrypted (vault.StoredFile, ADR 27), and never served inline."""

    OWNER_FIELD = "delivery_file"

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="files")

    class Meta(VaultBackedFile.Meta):
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="delivery_file_not_empty")]

    @property
    def reference(self) -> str:
        return self.delivery.request.reference


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", "Request submitted"
    ACKNOWLEDGED = "acknowledged", "Request acknowledged"
    FURTHER_INFORMATION_REQUESTED = "further_information_requested", "Further information requested"
    DECIDED = "decided", "Request decided"
    PROVIDED = "provided", "Information provided"
    ACKNOWLEDGEMENT_DUE = "acknowledgement_due", "Acknowledgement due soon"
    PROVISION_DUE = "provision_due", "Provision due soon"
    OVERDUE_DIGEST = "overdue_digest", "Overdue work"


class ReferenceCounter(models.Model):
    """The last number used for each prefix and year, locked while a reference is handed out."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"
