"""Defaults fail closed (issue 8): with nothing set, the demo is off, there is no key to sign with, and the
checks say so; only `make run` turns the demo (and its key) on."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# settings._wrapped: the plain values (Django refuses to hand out an empty SECRET_KEY through `settings`).
CODE = ("from django.conf import settings; settings.DEBUG; values = settings._wrapped; "
        "print(values.DEMO_MODE, bool(values.SECRET_KEY), values.DEBUG)")


def run(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "CONCORDAT_DEMO", "DEBUG", "CONCORDAT_PRODUCTION", "DJANGO_SETTINGS_MODULE"}}
    clean.update(DJANGO_SETTINGS_MODULE="concordat.settings", **env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_with_nothing_set_the_demo_is_off_and_there_is_no_key():
    result = run("shell", "--no-imports", "-c", CODE)
    assert result.stdout.split() == ["False", "False", "False"], result.stderr
    check = run("check")
    assert check.returncode != 0 and "concordat.E003" in check.stderr


def test_the_demo_and_its_key_come_only_with_concordat_demo():
    assert run("shell", "--no-imports", "-c", CODE, CONCORDAT_DEMO="1").stdout.split() == ["True", "True", "False"]
    assert run("check", CONCORDAT_DEMO="1").returncode == 0


def test_make_run_turns_the_demo_on():
    makefile = (ROOT / "Makefile").read_text()
    assert "run migrate demo: export CONCORDAT_DEMO = 1" in makefile
