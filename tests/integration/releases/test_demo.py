"""The demo's safe outputs (§15): one dataset made by the synthetic generator and one table release approved by
two output checkers, through the services; run again, it adds nothing."""

from __future__ import annotations

import io

from accounts.models import User
from accounts.roles import Role
from releases import demo
from releases.models import Dataset, Release
from releases.states import ReleaseState
from tests.support.releases import agreed_request


def test_the_demo_holds_a_synthetic_dataset_and_an_approved_release(cast, person, settings):
    settings.DEMO_MODE = True
    agreed_request(cast)
    User.objects.filter(pk=cast.msu_assessor.pk).update(username="ho.msuassessor")
    person("home-office", Role.OUTPUT_CHECKER, username="ho.checker")
    person("ho-analysis", Role.OUTPUT_CHECKER, username="ho.checker2")
    out = io.StringIO()
    demo.seed_demo(out)
    assert "approved" in out.getvalue()
    dataset = Dataset.objects.get()
    assert dataset.rows == demo.ROWS and dataset.vault_file.marking == "OFFICIAL"
    assert Release.objects.get().state == ReleaseState.APPROVED
    demo.seed_demo(io.StringIO())
    assert Dataset.objects.count() == 1 and Release.objects.count() == 1
