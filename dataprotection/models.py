"""The personal-data record of a request (§15–17): what the ICO's data sharing code (Annex B, the data sharing
checklist) asks a controller to record before personal data is shared. One record per request, kept by the
requesting side while the request is a draft or further information is asked for; read by whoever sees the request.
The data items (minimisation, UK GDPR Art 5(1)(c)) are its rows, one per item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dataprotection.legislation import (
    Article6Basis,
    Article9Condition,
    Article10Authority,
    Schedule1Condition,
)

USER = settings.AUTH_USER_MODEL
SHORT_MAX = 500  # references and names (statutory power, policy document, DPIA reference)
TEXT_MAX = 10_000  # explanations (concordat.limits.NOTE_MAX)
ITEM_MAX = 200  # the name of a data item
DATA_ITEMS_MAX = 100


class PersonalDataRecord(models.Model):
    request = models.OneToOneField("sharing.Request", on_delete=models.CASCADE, related_name="personal_data_record")
    version = models.PositiveIntegerField(default=1)

    article6_basis = models.CharField("UK GDPR Article 6 lawful basis", max_length=2, blank=True,
                                      choices=Article6Basis.choices)
    article9_condition = models.CharField("UK GDPR Article 9 condition", max_length=2, blank=True,
                                          choices=Article9Condition.choices)
    schedule1_condition = models.CharField("DPA 2018 Schedule 1 condition (special category data)", max_length=3,
                                           blank=True, choices=Schedule1Condition.choices)
    policy_document = models.CharField("Appropriate policy document", max_length=SHORT_MAX, blank=True)
    article10_authority = models.CharField("UK GDPR Article 10 authority", max_length=30, blank=True,
                                           choices=Article10Authority.choices)
    criminal_schedule1_condition = models.CharField("DPA 2018 Schedule 1 condition (criminal offence data)",
                                                    max_length=3, blank=True, choices=Schedule1Condition.choices)
    statutory_power = models.CharField("Statutory power relied on", max_length=SHORT_MAX, blank=True)
    necessity = models.TextField("Why sharing is necessary", blank=True)
    retention = models.TextField("How long it is kept", blank=True)
    deletion = models.TextField("How it is deleted", blank=True)
    dpia_reference = models.CharField("DPIA reference", max_length=SHORT_MAX, blank=True)
    dpo_view = models.TextField("The data protection officer's view", blank=True)
    individual_rights = models.TextField("How individuals' rights are met", blank=True)

    updated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()
    # §17: the holder satisfies itself that the disclosure complies, on this version of the record.
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_version = models.PositiveIntegerField(null=True, blank=True)
    confirmation_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="pd_record_version_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True, confirmed_by__isnull=True, confirmed_version__isnull=True)
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False, confirmed_version__isnull=False),
                name="pd_record_confirmed_together"),
        ]

    def __str__(self):
        return f"Personal-data record of request {self.request_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_version is not None and self.confirmed_version == self.version


class DataItem(models.Model):
    """One item of personal data asked for, and why it is needed (minimisation)."""

    record = models.ForeignKey(PersonalDataRecord, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    item = models.CharField(max_length=ITEM_MAX)
    reason = models.TextField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "position"], name="pd_item_position_unique")]

    def __str__(self):
        return self.item
