"""The scrutiny pages: statistics with their charts and tables, bad queries refused with the field named, every
table exported as CSV, XLSX and ODS with formula-like cells neutralised, the annual report marked on every page,
and a dashboard saying how long overdue work is overdue."""

import io
from datetime import timedelta

import openpyxl
import pytest
import tablib
from django.utils import timezone

from accounts.models import Organisation
from sharing.models import Request
from sharing.states import RequestState
from tests.support.pdf_pages import pages
from tests.support.requests import draft, walk

pytestmark = pytest.mark.django_db
HOSTILE = "=HYPERLINK(\"http://evil.example/\",\"Click\")"


def test_the_statistics_page_shows_each_table_with_its_chart(history, cast, signed_in):
    response = signed_in(cast.commissioner).get("/scrutiny/statistics/?by=classification")
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("acknowledgement", "provision", "declines", "escalation_rungs", "escalation_heights", "approvals"):
        assert f'data-testid="figure-{key}"' in page
    assert 'src="data:image/svg+xml;base64,' in page and "the same figures are in the table that follows" in page
    assert "OFFICIAL-SENSITIVE" in page and history.title not in page  # counts, never a request's content


@pytest.mark.parametrize(("query", "words"), [
    ("from=2021-06-30&to=2021-06-01", "ends (1 June 2021) before it starts (30 June 2021)"),
    ("by=colour", "There is no grouping called “colour”"),
    ("from=<script>", "is not a date"),
])
def test_a_bad_query_is_refused_with_a_clear_message(cast, signed_in, query, words):
    response = signed_in(cast.iasc_requester).get(f"/scrutiny/statistics/?{query}")
    assert response.status_code == 400
    assert words in response.content.decode().replace("&lt;", "<").replace("&#x27;", "'")
    assert "<script>" not in response.content.decode()


def test_someone_in_no_organisation_may_not_read_them(person, signed_in):
    assert signed_in(person(None)).get("/scrutiny/statistics/").status_code == 403


def _export(client, fmt, table="acknowledgement", by="organisation"):
    today = timezone.localdate()
    return client.get(f"/scrutiny/statistics/export/?table={table}&format={fmt}&by={by}"
                      f"&from={today - timedelta(days=7)}&to={today}")


def test_exports_neutralise_a_hostile_organisation_name(history, cast, signed_in):
    Organisation.objects.filter(pk=history.holder_org_id).update(name=HOSTILE)
    client = signed_in(cast.iasc_requester)
    csv = _export(client, "csv")
    assert csv.status_code == 200 and csv["Content-Disposition"].startswith('attachment; filename="OFFICIAL-acknowledgement')
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, "xlsx").content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'" + HOSTILE] and sheet.cell(2, 1).data_type == "s"
    ods = tablib.Dataset().load(_export(client, "ods").content, format="ods")
    assert ods[0][0] == "'" + HOSTILE and ods.headers[1] == "Requests received"


def test_an_export_of_an_unknown_table_or_format_is_refused(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    unknown = _export(client, "csv", table="people")
    assert unknown.status_code == 400 and "There is no table called “people”" in unknown.content.decode()
    assert "not “exe”" in _export(client, "exe").content.decode()
    backwards = client.get("/scrutiny/statistics/export/?table=acknowledgement&format=csv&from=2022-01-01&to=2021-01-01")
    assert backwards.status_code == 400 and "before it starts" in backwards.content.decode()


def test_the_annual_report_is_a_pdf_marked_on_every_page(history, cast, signed_in):
    response = signed_in(cast.commissioner).get(f"/scrutiny/statistics/annual-report/?year={timezone.localdate().year}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = pages(response.content)
    assert document and all("OFFICIAL" in page.top and "OFFICIAL" in page.bottom for page in document)
    assert "Requests acknowledged within 3 working days" in " ".join(page.text for page in document)


def test_an_annual_report_of_a_year_to_come_is_refused(cast, signed_in):
    response = signed_in(cast.commissioner).get("/scrutiny/statistics/annual-report/?year=2999")
    assert response.status_code == 400 and "Give a year from 2020" in response.content.decode()


def test_the_dashboard_says_how_long_overdue_work_is_overdue(cast, signed_in):
    submitted = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    long_ago = timezone.localdate() - timedelta(days=2009)
    Request.objects.filter(pk=submitted.pk).update(next_due_on=long_ago)
    response = signed_in(cast.spoc).get("/scrutiny/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="figure-overdue"' in page and "about 5½ years" in page
    assert f'href="/requests/{submitted.reference}/"' in page
    export = signed_in(cast.spoc).get("/scrutiny/dashboard/export/?table=overdue&format=csv")
    assert submitted.reference in export.content.decode("utf-8-sig")


def test_a_dashboard_shows_only_the_persons_own_cases(cast, signed_in):
    submitted = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast, RequestState.SUBMITTED)
    page = signed_in(cast.ho_requester).get("/scrutiny/dashboard/").content.decode()
    assert submitted.reference not in page
    export = signed_in(cast.ho_requester).get("/scrutiny/dashboard/export/?table=waiting&format=csv")
    assert submitted.reference not in export.content.decode("utf-8-sig")
    assert signed_in(cast.ho_requester).get("/scrutiny/dashboard/export/?table=secrets&format=csv").status_code == 400


def test_the_transparency_page_is_off_unless_switched_on(client):
    assert client.get("/scrutiny/transparency/").status_code == 404


def test_the_transparency_page_shows_aggregates_to_anyone(history, client, settings):
    settings.CONCORDAT_TRANSPARENCY = True
    response = client.get("/scrutiny/transparency/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="figure-public_received"' in page and "[c]" in page  # two requests: small counts withheld
    assert history.reference not in page and history.title not in page and "Download this table" not in page
