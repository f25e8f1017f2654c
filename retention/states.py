"""A delivery's retention (§6(f)–(g), §8(f)–(g)): held until the requester disposes of it, which crypto-shreds its
files in the vault (ADR 32) and issues a disposal certificate. No Django models here."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class RetentionState(models.TextChoices):
    HELD = "held", "Held"
    DISPOSED = "disposed", "Disposed of"


class RetentionAction(models.TextChoices):
    OPEN = "open", "Held from delivery"
    DISPOSE = "dispose", "Dispose of"


HOLDER = "holder"  # the requesting organisation's requesters and case officers, who received the information

RETENTION_MACHINE = Machine(
    name="retention",
    initial=RetentionState.HELD,
    owners={RetentionState.HELD: HOLDER, RetentionState.DISPOSED: NOBODY},
    transitions={RetentionAction.DISPOSE: Transition({RetentionState.HELD}, RetentionState.DISPOSED)},
)
