"""My work across case types, the notifications list with its unread count, emails that link to their case,
and the approval page."""

from __future__ import annotations

from django.core import mail

from approvals import services as approval_services
from approvals.models import Approval
from approvals.states import ApprovalState
from sharing import rules, services
from sharing.states import RequestState
from tests.support.requests import draft, fresh, walk
from workflow.models import Notification


def sensitive_under_assessment(cast):
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    entries = [services.ChecklistEntry(item.key, True) for item in rules.checklist_of(request)]
    services.record_checklist(request, by=cast.msu_assessor, expected_version=request.version, answers=entries)
    return fresh(request)


def test_my_work_lists_requests_and_approvals_with_counts(cast, signed_in, django_capture_on_commit_callbacks):
    request = sensitive_under_assessment(cast)
    with django_capture_on_commit_callbacks(execute=True):
        [approval] = approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version)
    page = signed_in(cast.ho_approver).get("/my-work/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-reference="{request.reference}"' in html and 'data-kind="approval"' in html
    assert f"/approvals/{approval.pk}/" in html and "<strong>1</strong> waiting on you" in html
    assert page.context["page_marking"] == "OFFICIAL-SENSITIVE"
    assessor_page = signed_in(cast.msu_assessor).get("/my-work/").content.decode()
    assert 'data-kind="request"' in assessor_page and 'data-kind="approval"' not in assessor_page


def test_emails_link_to_their_case_and_land_in_the_notifications_list(cast, signed_in, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.CONCORDAT_BASE_URL = "https://concordat.example.org"
    request = sensitive_under_assessment(cast)
    with django_capture_on_commit_callbacks(execute=True):
        [approval] = approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version)
    [email] = [m for m in mail.outbox if m.to == [cast.ho_approver.email]]
    assert email.subject == f"OFFICIAL-SENSITIVE: {request.reference} approval asked"
    assert f"https://concordat.example.org/approvals/{approval.pk}/" in email.body
    assert request.information_requested not in email.body

    approver = signed_in(cast.ho_approver)
    home = approver.get("/notifications/").content.decode()
    assert "1<span class=\"govuk-visually-hidden\"> new</span>" in home and f"/approvals/{approval.pk}/" in home
    assert approver.post("/notifications/").status_code == 302
    assert "data-testid=\"unread\"" not in approver.get("/notifications/").content.decode()
    assert Notification.objects.get(recipient=cast.ho_approver).read_at is not None
    # Nobody else's notifications are shown or marked.
    assert cast.ho_approver.email not in signed_in(cast.spoc).get("/notifications/").content.decode()


def test_the_approver_decides_on_the_approval_page_and_others_cannot(cast, signed_in):
    request = sensitive_under_assessment(cast)
    [approval] = approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version,
                                       justification="For the annual report.")
    url = f"/approvals/{approval.pk}/"
    assert signed_in(cast.dwp_officer).get(url).status_code == 404
    assessor_page = signed_in(cast.msu_assessor).get(url)
    assert assessor_page.status_code == 200 and b"Record decision" not in assessor_page.content
    assert signed_in(cast.msu_assessor).post(url, {"version": 1, "outcome": "approve"}).status_code == 403

    approver = signed_in(cast.ho_approver)
    page = approver.get(url).content.decode()
    assert "For the annual report." in page and "Record decision" in page and "(§10)" in page
    refused = approver.post(url, {"version": 1, "outcome": "refuse", "text": ""})
    assert refused.status_code == 400 and "Give the reasons for refusing. (§10)" in refused.content.decode()
    stale = approver.post(url, {"version": 5, "outcome": "approve"})
    assert stale.status_code == 409
    assert approver.post(url, {"version": 1, "outcome": "approve", "text": "Agreed."}).status_code == 302
    assert Approval.objects.get(pk=approval.pk).state == ApprovalState.APPROVED


def test_the_decide_page_lists_what_is_still_missing(cast, signed_in):
    request = walk(draft(cast.iasc_requester, classification="OFFICIAL-SENSITIVE"), cast,
                   RequestState.UNDER_ASSESSMENT)
    page = signed_in(cast.msu_assessor).get(f"/requests/{request.reference}/decide/").content.decode()
    assert 'data-testid="missing"' in page
    assert "Record whether you are satisfied" in page and "Ask an approver first" in page
    assert "(§10). (§10)" not in page and "Ask an approver first: OFFICIAL-SENSITIVE information. (§10)" in page


def test_a_delivery_with_neither_file_nor_answer_is_refused_on_the_page(cast, signed_in):
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    response = signed_in(cast.msu_assessor).post(f"/requests/{request.reference}/deliver/", {
        "version": request.version, "description": "Tables", "marking": "OFFICIAL", "answer": ""})
    assert response.status_code == 400 and "Attach the information, or write the answer in full." in \
        response.content.decode()
    assert fresh(request).state == RequestState.AGREED


def test_a_page_number_of_any_size_is_answered_not_a_500(cast, signed_in):
    client = signed_in(cast.iasc_requester)
    for number in ("99999999999999999999", "9" * 5000, "0", "-1", "two", "100001"):
        for path in ("/my-work/", "/requests/", "/notifications/"):
            assert client.get(path, {"page": number}).status_code == 200, (path, number)


def test_my_work_counts_stop_at_a_thousand(cast, signed_in, monkeypatch):
    monkeypatch.setattr("workflow.work.COUNT_CAP", 2)
    monkeypatch.setattr("workflow.templatetags.work.COUNT_CAP", 2)
    for _ in range(4):
        draft(cast.iasc_requester)
    page = signed_in(cast.iasc_requester).get("/my-work/").content.decode()
    assert "<strong>more than 2</strong> waiting on you" in page and "<strong>more than 2</strong> drafts" in page


def test_the_notifications_api_lists_mine_and_marks_them_read(cast, api, django_capture_on_commit_callbacks):
    request = sensitive_under_assessment(cast)
    with django_capture_on_commit_callbacks(execute=True):
        approval_services.ask(request, by=cast.msu_assessor, expected_version=request.version)
    mine = api(cast.ho_approver).get("/api/notifications/", {"unread": "true"}).json()
    assert mine["count"] == 1 and mine["results"][0]["case_kind"] == "approval"
    assert mine["results"][0]["url"].endswith(f"/approvals/{request.approvals.get().pk}/")
    assert api(cast.spoc).get("/api/notifications/").json()["count"] == 0  # nobody else's
    other = api(cast.spoc).post("/api/notifications/read/", {"ids": [mine["results"][0]["id"]]}, format="json")
    assert other.json() == {"marked": 0, "unread": 0}
    assert api(cast.ho_approver).post("/api/notifications/read/", {"ids": ["x"]}, format="json").status_code == 400
    done = api(cast.ho_approver).post("/api/notifications/read/", {}, format="json").json()
    assert done == {"marked": 1, "unread": 0}
