"""The demo's research projects of 2021: one suspended by the March 2021 hold, one cancelled, one on anonymised
statistics approved and never blocked; the suppliers' participant keys made in demo mode only."""

from __future__ import annotations

from io import StringIO

from accounts.demo import seed_demo_people
from accounts.models import Organisation, User
from research import demo, keys
from research.models import ResearchProject
from research.states import ProjectState
from tests.support.holds import placed


def test_the_2021_projects(db, cast, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.RESEARCH_PARTICIPANT_KEYS = {}
    settings.RESEARCH_PARTICIPANT_KEY_DIR = str(tmp_path / "participants")
    monkeypatch.setattr("accounts.demo.CREDENTIALS_FILE", tmp_path / "password.txt")
    seed_demo_people()
    hold = placed(cast)
    out = StringIO()
    demo.seed_demo(out)
    states = dict(ResearchProject.objects.values_list("funder", "state"))
    assert states == {"ESRC": ProjectState.SUSPENDED, "UKRI": ProjectState.CANCELLED,
                      "IASC and Rights Lab": ProjectState.APPROVED}
    assert ResearchProject.objects.get(funder="ESRC").suspended_by_hold == hold
    assert "1 suspended" in out.getvalue()
    assert keys.participant_key(Organisation.objects.get(slug="salvation-army")).key_id
    demo.seed_demo(StringIO())  # again: nothing more
    assert ResearchProject.objects.count() == 3
    assert User.objects.filter(username="ho.contracts", role_grants__role="contracts_team").exists()
