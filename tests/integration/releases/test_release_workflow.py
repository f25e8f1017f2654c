"""The release workflow (§15, ADR 34): drafted with its preview by an assessor who can deliver on the request,
checked by two output checkers independently, consolidated, delivered through the vault."""

from __future__ import annotations

import json

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from concordat.errors import NotAllowed, RuleViolation, StaleObject
from releases import services
from releases.cases import RELEASES
from releases.states import ReleaseState
from sharing.models import DeliveryFile, Request
from sharing.states import RequestState
from tests.support.releases import agreed_request, approved, checked, drafted
from vault import services as vault
from workflow import work


def test_a_table_release_goes_from_draft_to_delivery(cast, checkers, dataset):
    release = drafted(cast, dataset)
    assert release.state == ReleaseState.DRAFT and release.result["counts"]["primary"] > 0
    assert [i.case for i in work.items_for(cast.msu_assessor, timezone.localdate()) if i.kind == "release"] == [release]
    release = services.submit(release, by=cast.msu_assessor, expected_version=release.version)
    assert {i.case.pk for i in work.items_for(checkers.first, timezone.localdate()) if i.kind == "release"} == {release.pk}
    release = services.check(release, by=checkers.first, expected_version=release.version, verdict="safe")
    assert release.state == ReleaseState.CHECKING
    release = services.check(release, by=checkers.second, expected_version=release.version, verdict="safe")
    assert release.state == ReleaseState.CHECKED
    release = services.consolidate(release, by=checkers.second, expected_version=release.version, outcome="approve")
    assert release.state == ReleaseState.APPROVED
    release = services.deliver(release, by=cast.msu_assessor, expected_version=release.version)
    assert release.state == ReleaseState.DELIVERED
    assert Request.objects.get(pk=release.request_id).state == RequestState.PROVIDED
    files = DeliveryFile.objects.filter(delivery=release.delivery).select_related("vault_file").order_by("pk")
    assert [f.vault_file.marking for f in files] == ["OFFICIAL", "OFFICIAL"]
    table = b"".join(vault.open_chunks(files[0].vault_file)).decode()
    report = json.loads(b"".join(vault.open_chunks(files[1].vault_file)))
    assert "[c]" in table and "primary" not in table  # suppressed cells shown, never why
    assert report["policy"]["threshold"] == 10 and len(report["checked_by"]) == 2
    actions = list(AuditEvent.objects.filter(action__startswith="releases.").values_list("action", flat=True))
    assert actions == ["releases.dataset_uploaded", "releases.draft", "releases.submit", "releases.check",
                       "releases.check", "releases.consolidate", "releases.deliver"]


def test_every_released_count_is_at_or_above_the_threshold_or_suppressed(cast, dataset):
    """Checked with the release's own published figures, not the engine's flags."""
    release = drafted(cast, dataset)
    for cell in release.result["cells"]:
        assert cell["value"] is None or cell["value"] == 0 or cell["value"] >= 10, cell


def test_the_author_cannot_check_or_consolidate_their_own_release(cast, checkers, dataset):
    release = services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    with pytest.raises(NotAllowed) as refused:
        services.check(release, by=cast.msu_assessor, expected_version=release.version, verdict="safe")
    assert refused.value.problems[0].field == "checker" and "two output checkers" in str(refused.value)
    release = checked(drafted(cast, dataset, title="Second"), checkers)
    with pytest.raises(NotAllowed):
        services.consolidate(release, by=cast.msu_assessor, expected_version=release.version, outcome="approve")


def test_a_checker_sees_only_their_own_verdict_until_both_are_given(cast, checkers, dataset):
    release = services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    release = services.check(release, by=checkers.first, expected_version=release.version, verdict="unsafe",
                             note="Too fine.")
    assert [c.checker for c in services.visible_checks(release, checkers.second)] == []
    assert [c.checker for c in services.visible_checks(release, checkers.first)] == [checkers.first]
    assert [c.checker for c in services.visible_checks(release, cast.msu_assessor)] == []
    event = release.events.order_by("pk").last()
    assert event.note == "" and "unsafe" not in json.dumps(event.details)
    audit = AuditEvent.objects.filter(action="releases.check").get()
    assert "unsafe" not in json.dumps(audit.details)
    release = services.check(release, by=checkers.second, expected_version=release.version, verdict="safe")
    assert {c.checker for c in services.visible_checks(release, checkers.second)} == {checkers.first,
                                                                                        checkers.second}


def test_approval_needs_two_safe_verdicts(cast, checkers, dataset):
    release = checked(drafted(cast, dataset), checkers, verdicts=("safe", "unsafe"))
    with pytest.raises(RuleViolation) as refused:
        services.consolidate(release, by=checkers.first, expected_version=release.version, outcome="approve")
    assert refused.value.problems[0].field == "outcome"
    returned = services.consolidate(release, by=checkers.first, expected_version=release.version,
                                    outcome="return", note="Group the smaller forces.")
    assert returned.state == ReleaseState.DRAFT


def test_checkers_of_another_organisation_and_other_people_cannot_act(cast, checkers, dataset):
    release = services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    for outsider in (checkers.elsewhere, cast.iasc_requester, cast.ho_approver):
        with pytest.raises(NotAllowed):
            services.check(release, by=outsider, expected_version=release.version, verdict="safe")
    with pytest.raises(NotAllowed):
        services.submit(release, by=checkers.first, expected_version=release.version)
    assert not RELEASES.can_view(cast.iasc_requester, release)


def test_only_who_can_deliver_on_the_request_drafts(cast, dataset):
    request = agreed_request(cast)
    for person in (cast.iasc_requester, cast.ho_analyst):
        with pytest.raises(NotAllowed):
            services.draft(request, by=person, dataset=dataset, kind="table", title="T",
                           spec={"dimensions": ["gender"]})


def test_a_stale_version_is_refused(cast, checkers, dataset):
    release = services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    services.check(release, by=checkers.first, expected_version=release.version, verdict="safe")
    with pytest.raises(StaleObject):
        services.check(release, by=checkers.second, expected_version=release.version, verdict="safe")


def test_only_an_approved_release_is_delivered(cast, checkers, dataset):
    release = checked(drafted(cast, dataset), checkers)
    with pytest.raises(RuleViolation):
        services.deliver(release, by=cast.msu_assessor, expected_version=release.version)


def _relations(cells: set, dims: list[str], categories: dict) -> list:
    """Every "total = sum of its parts" of a flat table, written here from its cells alone (not the engine's)."""
    relations = []
    for key in cells:
        present = {d for d, _level, _name in key}
        for d in dims:
            if d not in present:
                parts = tuple(tuple(sorted(key + ((d, d, c),))) for c in categories[d])
                relations.append((key, tuple(p for p in parts if p in cells)))
    return relations


def test_a_new_table_is_protected_against_every_earlier_release_of_the_dataset(cast, checkers, dataset):
    """Differencing: the second table shares the police force margin with the first. Linear programming over both
    releases' published figures (disclosure.lp_audit, relations rebuilt here) leaves every primary cell at least
    its protection interval, its true value counted with a plain group-by."""
    from disclosure import lp_audit
    from tests.support.releases import records

    frame = records()
    first = approved(drafted(cast, dataset), checkers)
    second = drafted(cast, dataset, spec={"dimensions": ["police_force_area", "gender"]}, title="By gender")
    assert second.result["earlier"] == [first.pk]
    published, relations = {}, []
    for release in (first, second):
        dims = release.spec["dimensions"]
        cells = {tuple(tuple(p) for p in c["key"]): c["value"] for c in release.result["cells"]}
        published = lp_audit.combine(published, cells)
        categories = {d: frame[d].cast(str).fill_null("Not specified").unique().to_list() for d in dims}
        relations += _relations(set(cells), dims, categories)
    bounds = lp_audit.intervals(published, relations)
    primaries = [c for r in (first, second) for c in r.result["cells"] if c["status"] == "primary"]
    assert primaries
    for cell in primaries:
        key = tuple(tuple(p) for p in cell["key"])
        true = frame.filter([pl.col(d).cast(str).fill_null("Not specified") == name for d, _l, name in key]).height
        low, high = bounds[key]
        assert high - low >= max(3.0, 0.3 * true) - 1e-6, (cell["labels"], low, high, true)


def test_a_preview_is_bounded_in_queries(cast, dataset, django_assert_max_num_queries):
    request = agreed_request(cast)
    with django_assert_max_num_queries(40):
        services.draft(request, by=cast.msu_assessor, dataset=dataset, kind="table", title="T",
                       spec={"dimensions": ["gender", "age_group"]})


def test_an_extract_release_meets_k_and_l(cast, checkers, dataset):
    release = drafted(cast, dataset, kind="extract")
    assert release.result["report"]["after"]["smallest_class"] >= 5
    release = services.deliver(approved(release, checkers), by=cast.msu_assessor, expected_version=5)
    extract = DeliveryFile.objects.filter(delivery=release.delivery).order_by("pk").first()
    import io

    frame = pl.read_csv(io.BytesIO(b"".join(vault.open_chunks(extract.vault_file))), infer_schema=False)
    groups = frame.group_by(["age", "gender", "nationality", "police_force_area"]).agg(
        pl.len().alias("n"), pl.col("exploitation_type").n_unique().alias("d"))
    assert groups["n"].min() >= 5 and groups["d"].min() >= 2
    assert "nrm_reference" not in frame.columns


def test_queries_of_my_work_do_not_grow_with_releases(cast, checkers, dataset):
    for _ in range(3):
        services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    with CaptureQueriesContext(connection) as queries:
        items = [i for i in work.items_for(checkers.first, timezone.localdate()) if i.kind == "release"]
    assert len(items) == 3 and len(queries) < 60


def test_checkers_hear_of_a_submission_and_of_both_verdicts_never_of_one(cast, checkers, dataset,
                                                                        django_capture_on_commit_callbacks):
    from django.core import mail

    release = drafted(cast, dataset)
    with django_capture_on_commit_callbacks(execute=True):
        release = services.submit(release, by=cast.msu_assessor, expected_version=1)
    assert {m.to[0] for m in mail.outbox} == {"checker.one@example.org", "checker.two@example.org"}
    assert all(m.subject.startswith("OFFICIAL:") for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        release = services.check(release, by=checkers.first, expected_version=2, verdict="safe")
    assert mail.outbox == []  # the other checker learns nothing of the first verdict
    with django_capture_on_commit_callbacks(execute=True):
        release = services.check(release, by=checkers.second, expected_version=3, verdict="safe")
    assert {m.to[0] for m in mail.outbox} == {"checker.one@example.org", "checker.two@example.org"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consolidate(release, by=checkers.first, expected_version=4, outcome="approve")
    assert [m.to[0] for m in mail.outbox] == ["msu.assessor@example.org"]


def test_a_parquet_dataset_is_read_and_a_csv_named_parquet_is_refused(cast):
    from tests.support.releases import csv_upload, parquet_upload, uploaded

    dataset = uploaded(cast.msu_assessor, parquet_upload(), title="Parquet")
    assert dataset.file_format == "parquet" and dataset.columns.get(name="nrm_reference").role == "direct_identifier"
    with pytest.raises(RuleViolation) as refused:
        uploaded(cast.msu_assessor, csv_upload(name="nrm.parquet"))
    assert refused.value.problems[0].field == "file"
    with pytest.raises(RuleViolation) as refused:
        uploaded(cast.msu_assessor, roles={"shoe_size": "quasi_identifier"})
    assert refused.value.problems[0].field == "columns"


def test_a_checker_cannot_give_two_verdicts(cast, checkers, dataset):
    release = services.submit(drafted(cast, dataset), by=cast.msu_assessor, expected_version=1)
    release = services.check(release, by=checkers.first, expected_version=2, verdict="safe")
    with pytest.raises(NotAllowed) as refused:
        services.check(release, by=checkers.first, expected_version=3, verdict="unsafe", note="Changed my mind.")
    assert refused.value.problems[0].field == "verdict"
