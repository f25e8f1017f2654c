"""A processing hold's lifecycle (issue 11; the letters of November 2021): the department places a hold on a kind of
processing (a data source, purposes, personal-data categories), reviews it by its review date, and lifts it when
what it waits for arrives (e.g. the Contract Change Notice). No draft: the ICO's advice was to halt "immediately",
so a hold is in force from the moment it is placed. No Django models here."""

from __future__ import annotations

from django.db import models

from workflow.machine import NOBODY, Machine, Transition


class HoldState(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    LIFTED = "lifted", "Lifted"


class HoldAction(models.TextChoices):
    PLACE = "place", "Placed"
    REVIEW = "review", "Reviewed"
    LIFT = "lift", "Lifted"


KEEPER = "keeper"  # the hold's owner, or an approver or DPO of the department that placed it

HOLD_MACHINE = Machine(
    name="hold",
    initial=HoldState.IN_FORCE,
    owners={HoldState.IN_FORCE: KEEPER, HoldState.LIFTED: NOBODY},
    transitions={
        HoldAction.REVIEW: Transition({HoldState.IN_FORCE}),
        HoldAction.LIFT: Transition({HoldState.IN_FORCE}, HoldState.LIFTED),
    },
)
