"""Downloads of generated documents from the request page. Who may not see the request gets a 404, as for a
request that does not exist (the refusal is audited in documents.services)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from concordat.errors import NotAllowed
from documents import services
from documents.responses import attachment


@login_required
@require_GET
def request_document(request, reference: str, kind: str):
    try:
        document = services.request_document(kind, by=request.user, reference=reference)
    except NotAllowed:
        raise Http404("No such request, or you cannot see it.") from None
    except services.NotAvailable as missing:
        raise Http404(str(missing)) from None
    return attachment(document)


@login_required
@require_GET
def delivery_bundle(request, pk: int):
    try:
        document = services.delivery_bundle(pk, by=request.user)
    except NotAllowed:
        raise Http404("No such delivery, or you cannot see it.") from None
    except services.FileDisposed as disposed:  # 410, as a disposed file's own download (ADR 33)
        return HttpResponse(str(disposed), status=410, content_type="text/plain; charset=utf-8")
    return attachment(document)
