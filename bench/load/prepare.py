"""Data for the load test (issue 14 item 4), made through the services against the production profile's database:
the protocol's cast, requests at every stage (drafts, submitted ones to acknowledge, provided ones with a file to
download), an API token for each person who acts, and verified sessions for the pages (as a signed-in person's
browser would hold after password and one-time code). Prints JSON for bench/load/locustfile.py.

    DJANGO_SETTINGS_MODULE=concordat.settings python bench/load/prepare.py --submitted 60 --provided 15 > world.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concordat.settings")
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.directory import ensure_standard_organisations  # noqa: E402
from sharing.models import DeliveryFile  # noqa: E402
from sharing.states import RequestState  # noqa: E402
from tests.factories import make_person  # noqa: E402
from tests.support.requests import draft, walk  # noqa: E402
from tests.support.sharing_fixtures import Cast  # noqa: E402
from tests.support.tokens import api_token_for  # noqa: E402


def verified_session(user) -> str:
    """A session past both factors, stored server-side as the sign-in would leave it; its key for the cookie."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="load", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["login_at"] = timezone.now().timestamp()
    session.create()
    return session.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submitted", type=int, default=60)
    parser.add_argument("--provided", type=int, default=15)
    parser.add_argument("--drafts", type=int, default=15)
    args = parser.parse_args()
    call_command("load_protocol", verbosity=0, stdout=open(os.devnull, "w"))
    orgs = ensure_standard_organisations()
    counter = itertools.count(1)
    cast = Cast(lambda slug, *roles, **extra: make_person(orgs[slug] if slug else None, *roles,
                                                           username=f"load{next(counter)}", **extra))
    submitted = [walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED) for _ in range(args.submitted)]
    provided = [walk(draft(cast.iasc_requester), cast, RequestState.PROVIDED) for _ in range(args.provided)]
    drafts = [draft(cast.iasc_requester) for _ in range(args.drafts)]
    files = list(DeliveryFile.objects.filter(delivery__request__in=provided).values_list("pk", flat=True))
    json.dump({
        "tokens": {"requester": api_token_for(cast.iasc_requester), "spoc": api_token_for(cast.spoc),
                   "assessor": api_token_for(cast.msu_assessor)},
        "sessions": [verified_session(cast.iasc_requester) for _ in range(5)],  # who sees every request here
        "requests": [r.pk for r in submitted + provided + drafts],
        "references": [r.reference for r in submitted + provided],
        "to_acknowledge": [[r.pk, r.version] for r in submitted],
        "files": files,
    }, sys.stdout)


if __name__ == "__main__":
    main()
