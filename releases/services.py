"""Every change to a release (§15, ADR 34): drafted with its preview, revised, submitted, checked by two output
checkers independently, consolidated, delivered on its request through the vault, or withdrawn.

Each is `RELEASES.acting(...)` + `RELEASES.advance(...)`: the permission, the version, one transaction, one
timeline entry and one audit event. The protection itself (the disclosure engine) runs on a Celery worker when
there is a broker (ADR 51): drafting or revising records the job ("protecting", who asked, when, for which
version) and enqueues `releases.tasks.protect` once the transaction commits; `save_protection` keeps the result.
With no broker (development, the tests) it runs inline, bounded (engine.INLINE_SECONDS), as before."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from releases import datasets, engine
from releases.cases import CLAUSE, RELEASES
from releases.models import Dataset, Protection, Release, ReleaseCheck
from releases.states import (
    CHECKERS_NEEDED,
    OUTCOME_TARGETS,
    Outcome,
    ReleaseAction,
    ReleaseKind,
    ReleaseState,
    Verdict,
)
from sharing import permissions as request_permissions
from sharing.models import Request
from sharing.services import delivery as sharing_delivery
from sharing.states import Action
from workflow.cases import CURRENT

TITLE_MAX = 200
NOTE_MAX = limits.NOTE_MAX
WHO_DRAFTS = "an assessor of the team dealing with the request, who can deliver on it"
EARLIER_STATES = (ReleaseState.APPROVED, ReleaseState.DELIVERED)
FAILED_UNEXPECTEDLY = ("The protection stopped with an unexpected error. Change the release and preview it again; "
                       "if it fails again, tell the service team.")
log = logging.getLogger(__name__)


def _refuse(message: str, field: str) -> RuleViolation:
    return RuleViolation(Problem(message, field=field, clause=CLAUSE))


def _checked(dataset: Dataset, kind: str, spec: dict, policy: dict) -> tuple[dict, dict]:
    """The spec and policy checked before anything runs, so bad input is refused in the person's request."""
    if kind == ReleaseKind.TABLE:
        return engine.check_table_spec(dataset, spec or {}), engine.policy_dict(engine.policy_of(policy or {}))
    if kind == ReleaseKind.EXTRACT:
        if policy:
            raise _refuse("An extract is protected by k, l and its suppression budget, not a table policy.", "policy")
        return engine.check_extract_spec(dataset, spec or {}), {}
    raise _refuse("Choose a table or an extract.", "kind")


def _protected(dataset: Dataset, kind: str, spec: dict, policy: dict, exclude: int | None = None) -> dict:
    """The preview of a checked spec: every cell with its status and why, or the risk report. The slow part."""
    if kind == ReleaseKind.TABLE:
        earlier = [r for r in Release.objects.filter(dataset=dataset, kind=ReleaseKind.TABLE,
                                                     state__in=EARLIER_STATES).exclude(pk=exclude).order_by("pk")
                   if r.spec.get("measure") == spec["measure"] and r.spec.get("column") == spec["column"]]
        return engine.table_preview(dataset, datasets.frame(dataset), spec, engine.policy_of(policy), earlier)
    return engine.extract_preview(datasets.frame(dataset), spec)


def on_worker() -> bool:
    """Whether the protection runs on a Celery worker (a broker is configured) or inline (ADR 51)."""
    return bool(getattr(settings, "RELEASES_PROTECT_ON_WORKER", False))


def _protect_or_enqueue(release: Release, by, for_version: int) -> None:
    """Inside the caller's transaction: compute the preview inline, or record the job and enqueue it on commit."""
    if not on_worker():
        release.result = _protected(release.dataset, release.kind, release.spec, release.policy,
                                    exclude=release.pk)
        release.protection, release.protection_error = Protection.READY, ""
        return
    release.result = {}
    release.protection, release.protection_error = Protection.PROTECTING, ""
    release.protection_requested_by, release.protection_requested_at = by, timezone.now()
    release.protection_version = for_version
    pk, version = release.pk, for_version
    transaction.on_commit(lambda: _enqueue(pk, version))


def _enqueue(pk: int, version: int) -> None:
    from releases import tasks

    tasks.protect.delay(pk, version)


def _check_title(title: str) -> str:
    if not (title or "").strip():
        raise _refuse("Give the release a title.", "title")
    limits.check_texts(TITLE_MAX, title=title)
    return title.strip()


def draft(request: Request | int, *, by, dataset: Dataset | int, kind: str, title: str, spec: dict,
          policy: dict | None = None) -> Release:
    """The author drafts a release on a request they can deliver on, from a dataset of their department, and
    sees its preview (ADR 34)."""
    title = _check_title(title)
    with transaction.atomic():
        from sharing.cases import REQUESTS

        locked = REQUESTS.lock(request, by, CURRENT)
        if not request_permissions.user_can(by, Action.DELIVER, locked):
            raise NotAllowed(Problem(f"Only {WHO_DRAFTS} can draft a release on it.", field="request",
                                     clause=CLAUSE))
        chosen = _dataset(dataset, by)
        spec, policy = _checked(chosen, kind, spec, policy or {})
        release = Release(request=locked, dataset=chosen, kind=kind, title=title, spec=spec, policy=policy,
                          author=by, created_at=timezone.now())
        if not on_worker():
            _protect_or_enqueue(release, by, release.version)
        release.save()
        if on_worker():
            _protect_or_enqueue(release, by, release.version)  # the job needs the primary key
            release.save()
        RELEASES.record(release, by, ReleaseAction.DRAFT, "", "", details=_summary(release))
    return release


def _dataset(dataset, by) -> Dataset:
    pk = getattr(dataset, "pk", dataset)
    found = Dataset.objects.filter(pk=pk).first() if limits.is_id(pk) else None
    if found is None or not datasets.can_view(by, found):
        raise _refuse("Choose a dataset of your department.", "dataset")
    return found


def _summary(release: Release) -> dict:
    """What the audit event records of a preview: the spec, the policy and the counts, never a figure."""
    result = release.result
    summary = {"dataset": release.dataset_id, "kind": release.kind, "spec": release.spec, "policy": release.policy}
    if release.protection == Protection.PROTECTING:
        return {**summary, "protection": "enqueued", "for_version": release.protection_version}
    if release.kind == ReleaseKind.TABLE:
        summary.update(counts=result.get("counts"), earlier=result.get("earlier"))
    else:
        report = result.get("report", {})
        summary.update(suppressed=report.get("suppressed"), levels=report.get("levels"))
    return summary


def revise(release: Release | int, *, by, expected_version, title: str | None = None, spec: dict | None = None,
           policy: dict | None = None) -> Release:
    """The author changes the draft and sees a new preview; a release returned by its checkers is revised so."""
    with RELEASES.acting(release, by=by, action=ReleaseAction.REVISE, expected_version=expected_version) as locked:
        if title is not None:
            locked.title = _check_title(title)
        locked.spec, locked.policy = _checked(
            locked.dataset, locked.kind, locked.spec if spec is None else spec,
            (locked.policy if policy is None else policy) if locked.kind == ReleaseKind.TABLE else {})
        _protect_or_enqueue(locked, by, for_version=locked.version + 1)  # the version advance gives it
        RELEASES.advance(locked, by, ReleaseAction.REVISE, details=_summary(locked))
    return locked


def submit(release: Release | int, *, by, expected_version, note: str = "") -> Release:
    """The author sends the release they previewed (the version they saw) to two output checkers."""
    limits.check_texts(NOTE_MAX, note=note)
    with RELEASES.acting(release, by=by, action=ReleaseAction.SUBMIT, expected_version=expected_version) as locked:
        if locked.protection != Protection.READY:
            raise _refuse("Its preview is not ready: wait for the protection to finish, or revise it if it failed.",
                          "spec")
        short = (locked.result.get("audit") or {}).get("under_protected")
        if short:
            raise _refuse(f"The preview leaves {short[0]} under-protected: revise it.", "spec")
        locked.round += 1
        locked.consolidated_by, locked.outcome = None, ""
        RELEASES.advance(locked, by, ReleaseAction.SUBMIT, note, details={"round": locked.round})
    return locked


def check(release: Release | int, *, by, expected_version, verdict: str, note: str = "") -> Release:
    """One output checker's verdict on this round, independent of the other's: neither is shown to the other
    checker until both are given (visible_checks); the timeline and the audit record say a verdict was given,
    not which, until consolidation."""
    if verdict not in Verdict.values:
        raise _refuse("Choose safe to release, or not safe.", "verdict")
    limits.check_texts(NOTE_MAX, note=note)
    if verdict == Verdict.UNSAFE and not (note or "").strip():
        raise _refuse("Say what makes it unsafe.", "note")
    with RELEASES.acting(release, by=by, action=ReleaseAction.CHECK, expected_version=expected_version) as locked:
        ReleaseCheck.objects.create(release=locked, round=locked.round, checker=by, verdict=verdict,
                                    note=(note or "").strip(), given_at=timezone.now())
        given = ReleaseCheck.objects.filter(release=locked, round=locked.round).count()
        to = ReleaseState.CHECKED if given >= CHECKERS_NEEDED else ReleaseState.CHECKING
        RELEASES.advance(locked, by, ReleaseAction.CHECK, to=to, details={"round": locked.round,
                                                                          "verdicts_given": given})
    return locked


def consolidate(release: Release | int, *, by, expected_version, outcome: str, note: str = "") -> Release:
    """One of the two checkers consolidates their verdicts: approve (only if both found it safe), return it to
    its author for changes, or reject it. The verdicts go on the record now."""
    if outcome not in Outcome.values:
        raise _refuse("Choose approve, return or reject.", "outcome")
    limits.check_texts(NOTE_MAX, note=note)
    with RELEASES.acting(release, by=by, action=ReleaseAction.CONSOLIDATE,
                         expected_version=expected_version) as locked:
        verdicts = list(ReleaseCheck.objects.filter(release=locked, round=locked.round).order_by("pk"))
        if outcome == Outcome.APPROVE and any(v.verdict != Verdict.SAFE for v in verdicts):
            raise _refuse("A checker found it unsafe: return it to its author, or reject it.", "outcome")
        if outcome != Outcome.APPROVE and not (note or "").strip():
            raise _refuse("Say why, for its author.", "note")
        locked.consolidated_by, locked.outcome = by, outcome
        RELEASES.advance(locked, by, ReleaseAction.CONSOLIDATE, note, to=OUTCOME_TARGETS[Outcome(outcome)],
                         details={"round": locked.round, "outcome": outcome,
                                  "verdicts": {str(v.checker_id): v.verdict for v in verdicts}})
    return locked


def visible_checks(release: Release, user) -> list[ReleaseCheck]:
    """The verdicts a person may see: while a round awaits its second verdict, only their own (§15: the two
    review independently); every verdict of earlier rounds and of a round with both in."""
    checks = list(release.checks.select_related("checker").order_by("round", "pk"))
    if release.state == ReleaseState.CHECKING:
        return [c for c in checks if c.round != release.round or c.checker_id == user.pk]
    return checks


def deliver(release: Release | int, *, by, expected_version, description: str = "") -> Release:
    """Only an approved release becomes a delivery on its request (§7(e)): its output and its risk report, with
    the policy it met, through the vault under the dataset's marking."""
    limits.check_texts(NOTE_MAX, description=description)
    with RELEASES.acting(release, by=by, action=ReleaseAction.DELIVER, expected_version=expected_version) as locked:
        _check_still_protected(locked)
        files = _outputs(locked)
        request = locked.request
        delivery = sharing_delivery.deliver(
            request, by=by, expected_version=request.version, marking=locked.dataset.classification,
            description=(description or "").strip() or f"{locked.title} (release {locked.pk}, checked by two)",
            uploads=files)
        locked.delivery = delivery
        RELEASES.advance(locked, by, ReleaseAction.DELIVER, details={"delivery": delivery.pk})
    return locked


def _check_still_protected(release: Release) -> None:
    """A table release delivered since this one's preview was not protected against: revise it first (ADR 30)."""
    if release.kind != ReleaseKind.TABLE:
        return
    since = (Release.objects.filter(dataset=release.dataset, kind=ReleaseKind.TABLE, state__in=EARLIER_STATES)
             .exclude(pk=release.pk).exclude(pk__in=release.result.get("earlier", [])))
    if any(r.spec.get("measure") == release.spec.get("measure") for r in since):
        raise _refuse("Another table from this dataset has been approved since this one's preview: it must be "
                      "protected against it. Withdraw it and draft it again.", "dataset")


def _outputs(release: Release) -> list:
    checkers = [c.checker.full_name or c.checker.username
                for c in release.checks.filter(round=release.round).select_related("checker")]
    slug = f"release-{release.pk}"
    if release.kind == ReleaseKind.TABLE:
        data = engine.table_csv(release.result)
    else:
        data = engine.extract_csv(datasets.frame(release.dataset), release.spec)
    return [SimpleUploadedFile(f"{slug}.csv", data, content_type="text/csv"),
            SimpleUploadedFile(f"{slug}-risk-report.json", engine.risk_report(release, checkers),
                               content_type="application/json")]


def save_protection(release_id: int, version: int) -> Release | None:
    """The worker's half (ADR 51): run the engine for the job recorded at `version` and keep its result, in one
    transaction with its timeline entry and audit event. Saves nothing, and returns None, when the release has
    moved on (revised again, withdrawn) or the result is already saved: a task delivered twice, or redelivered
    after its worker died (acks_late), saves exactly one result. The engine runs outside the row lock."""
    release = Release.objects.select_related("dataset").filter(pk=release_id).first()
    if release is None or not _awaits(release, version):
        return None
    try:
        result, error = _protected(release.dataset, release.kind, release.spec, release.policy,
                                   exclude=release.pk), ""
    except RuleViolation as refused:
        result, error = {}, str(refused)
    except Exception:  # the engine's own failure: told in words on the page, logged in full for the team
        log.exception("release protection failed", extra={"release": release_id, "version": version})
        result, error = {}, FAILED_UNEXPECTEDLY
    with transaction.atomic():
        locked = Release.objects.select_for_update(of=("self",)).filter(pk=release_id).first()
        if locked is None or not _awaits(locked, version):
            return None
        locked.result, locked.protection_error = result, error
        locked.protection = Protection.FAILED if error else Protection.READY
        locked.version += 1  # what the author saw before is stale now: submit needs the version with the result
        locked.save()
        details = _summary(locked) | {"for_version": version, "outcome": locked.protection}
        RELEASES.record(locked, None, ReleaseAction.PROTECTED, locked.state, details=details)
    return locked


def _awaits(release: Release, version: int) -> bool:
    return (release.protection == Protection.PROTECTING and release.protection_version == version
            and release.version == version)


def withdraw(release: Release | int, *, by, expected_version, note: str = "") -> Release:
    limits.check_texts(NOTE_MAX, note=note)
    with RELEASES.acting(release, by=by, action=ReleaseAction.WITHDRAW, expected_version=expected_version) as locked:
        RELEASES.advance(locked, by, ReleaseAction.WITHDRAW, note)
    return locked
