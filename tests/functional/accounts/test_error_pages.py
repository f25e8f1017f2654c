"""Missing pages and failures show the service's own pages, never Django's debug pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import path

from accounts.roles import Role

ROOT = Path(__file__).resolve().parents[3]
DEBUG_PAGE_MARKERS = [b"URLconf", b"urlpatterns", b"Traceback", b"DEBUG = True", b"technical_500"]


def boom(request):
    raise RuntimeError("secret detail from deep inside")


urlpatterns = [path("boom", boom)]  # ROOT_URLCONF for the failure test


def test_debug_is_off_unless_asked_for_even_in_the_demo():
    code = "from django.conf import settings; print(settings.DEBUG, settings.DEMO_MODE)"
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CONCORDAT_PRODUCTION"}}
    env["CONCORDAT_DEMO"] = "1"
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"], result.stdout + result.stderr
    env["DEBUG"] = "1"
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True"], result.stdout + result.stderr


def test_an_unknown_address_under_the_demo_settings_gets_the_service_404():
    # As `make run` serves it: settings straight from the environment, with no test-runner override of DEBUG.
    code = (
        "from django.test import Client\n"
        "response = Client().get('/no-such-page/here')\n"
        "print(response.status_code)\n"
        "print(response.content.decode())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CONCORDAT_PRODUCTION"}}
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    status, _, page = result.stdout.partition("\n")
    assert status == "404", result.stdout + result.stderr
    assert "Page not found" in page and 'href="/"' in page
    assert "URLconf" not in page and "urlpatterns" not in page


@pytest.mark.django_db
def test_an_unknown_address_gets_the_service_404_with_a_link_home(client):
    response = client.get("/no-such-page/here")
    assert response.status_code == 404
    assert response.templates[0].name == "404.html"
    content = response.content
    assert b"Page not found" in content and b'href="/"' in content and b"govuk-heading-l" in content
    assert not any(marker in content for marker in DEBUG_PAGE_MARKERS)


@pytest.mark.django_db
def test_a_signed_in_person_gets_the_same_404(person, signed_in):
    client = signed_in(person("iasc", Role.REQUESTER))
    response = client.get("/api-but-not-really/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and b"Sign out" in response.content
    assert not any(marker in response.content for marker in DEBUG_PAGE_MARKERS)


def test_the_500_page_renders_with_no_context():
    page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page
    assert 'href="/"' in page
    assert f'href="{static("concordat/concordat.css")}"' in page
    assert "{%" not in page and "{{" not in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_gets_the_static_500_page_and_no_detail():
    client = Client(raise_request_exception=False)
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"secret detail" not in response.content and b"RuntimeError" not in response.content
    assert not any(marker in response.content for marker in DEBUG_PAGE_MARKERS)
