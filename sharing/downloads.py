"""Serving delivered and proposed files: always a download, never rendered by the browser (ASVS 5.3), read out of
the vault (ADR 27) by its one read function, which audits the read and checks the second factor."""

from collections.abc import Iterator

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse

from concordat.errors import NotAllowed
from sharing.files import ALLOWED_TYPES
from vault import services as vault
from vault.crypto import VaultIntegrityError

# What a download operation answers, for the OpenAPI document: the file in its sniffed type, or (409) the plain
# message that its stored copy failed the vault's integrity check.
DOWNLOAD_RESPONSES = {
    **{(200, content_type): OpenApiTypes.BINARY for content_type in ALLOWED_TYPES},
    (410, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description=(
        "The file has been disposed of (its data key destroyed, ADR 32): it will never be served again.")),
    (409, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description=(
        "The stored copy failed the vault's integrity check (altered or truncated, ADR 27): it is not served, "
        "and the failure is on the audit record.")),
}


def serve_download(find, file_id, request, *, not_found: str | None = None):
    """The page's or API's answer to a download of a DeliveryFile or PublicationFile: `find` is its app's
    file_for_download (need-to-know, NotAllowed otherwise); a file the person may not see is answered as one that
    does not exist (404, `not_found` its message)."""
    try:
        found = find(file_id, by=request.user)
    except NotAllowed:
        raise Http404(*([not_found] if not_found else [])) from None
    return attachment_response(found, request)


def attachment_response(owned_file, request):
    """A DeliveryFile's or PublicationFile's bytes, streamed from the vault as an attachment named from its marking.
    The caller has already checked, through its services' file_for_download, that the person may see it (need-to-
    know); the vault refuses a session without its second factor (403) and answers a stored copy that fails its
    integrity check with a plain message (409), never a 500."""
    stored = getattr(owned_file, "vault_file", None)
    if stored is None:
        raise Http404("This file has no stored copy.")
    via_token = getattr(request, "auth", None) is not None
    try:
        found = vault.read(stored, by=request.user, via_token=via_token, reference=owned_file.reference,
                           case=owned_file.reference)
    except vault.FileDisposed as error:
        return HttpResponse(str(error), status=410, content_type="text/plain; charset=utf-8")
    except VaultIntegrityError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    return vault.attachment(found)


def open_delivered(delivery_file) -> Iterator[bytes]:
    """A delivered file's plaintext, chunk by chunk, out of the vault (ADR 27), for the service's own readers (a
    delivery's bundle, documents.bundle), which check permission and audit the read themselves. A stored copy that
    fails its integrity check raises VaultIntegrityError as it is read."""
    stored = getattr(delivery_file, "vault_file", None)
    if stored is None:
        raise Http404("This file has no stored copy.")
    return vault.open_chunks(stored)
