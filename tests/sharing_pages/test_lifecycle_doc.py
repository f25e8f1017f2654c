"""docs/lifecycle.md is the transition table drawn: it must not fall behind sharing/states.py."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def test_the_lifecycle_diagram_in_the_docs_is_current():
    out = StringIO()
    call_command("sharing_state_diagram", stdout=out)
    assert out.getvalue() in DOC.read_text(), (
        "docs/lifecycle.md is stale: regenerate it as its first lines say")
