"""The HTML of the load test's pages as each demo role sees them, written to a directory, so that a change meant to
cut CPU can be shown to draw the same pages (ADR 58): run it on the code before and after against copies of one
seeded database, then `diff -r` the two directories.

    createdb -h 127.0.0.1 -U postgres cc_html_seed
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_html_seed .venv/bin/python bench/load/pages_html.py --seed
    createdb -h 127.0.0.1 -U postgres -T cc_html_seed cc_html_run      # a fresh copy for each side
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_html_run .venv/bin/python bench/load/pages_html.py OUT_DIR

--seed migrates, loads the demo (its people of every role and their cases) and the load test's world
(bench/load/prepare.py: a requester's drafts, submitted and provided requests). Each role's pages: "My work",
the requests list (first and second page, a filter), notifications, and the page of every request the role sees.
The CSRF token (new on every response) is replaced by a fixed word; nothing else is touched."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench/load"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concordat.settings")
os.environ.setdefault("CONCORDAT_DEMO", "1")

# One person of each demo role (bench/reports.py), and the load world's requester (load1, made by prepare.py).
USERNAMES = ("iasc.requester", "iasc.caseofficer", "iasc.commissioner", "msu.spoc", "ho.assessor", "ho.approver",
             "ho.dpo", "ho.policylead", "ho.director", "auditor", "ho.checker", "ho.contracts", "nu.researcher")
LIST_PAGES = (("my-work", "/my-work/"), ("requests", "/requests/"), ("requests-p2", "/requests/?page=2"),
              ("requests-overdue", "/requests/?overdue=yes"), ("notifications", "/notifications/"))
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def seed() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_protocol", verbosity=0, stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    sys.argv = ["prepare.py", "--submitted", "30", "--provided", "5", "--drafts", "5"]
    import prepare

    with contextlib.redirect_stdout(io.StringIO()):
        prepare.main()


def snapshot(out: Path) -> int:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from sharing.models import Request
    from tests.factories import verified_client

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    load_requester = User.objects.filter(username__startswith="load").order_by("pk").first()
    people = [User.objects.get(username=name) for name in USERNAMES] + [load_requester]
    references = list(Request.objects.order_by("pk").values_list("reference", flat=True))
    written = 0
    for person in people:
        client = verified_client(person, Client())
        folder = out / person.username
        folder.mkdir(parents=True, exist_ok=True)
        pages = [*LIST_PAGES, *((f"request-{ref}", f"/requests/{ref}/") for ref in references)]
        for name, path in pages:
            response = client.get(path)
            if response.status_code == 404 and name.startswith("request-"):
                continue  # not theirs to see
            body = CSRF.sub(r"\1CSRF\2", response.content.decode())
            (folder / f"{name}.html").write_text(f"{response.status_code}\n{body}")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--seed", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    if args.seed:
        seed()
    if args.out:
        print(f"{snapshot(args.out)} pages written to {args.out}")


if __name__ == "__main__":
    main()
