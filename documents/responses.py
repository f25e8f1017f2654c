"""A generated document as a download: always an attachment under a name that starts with its marking, never
kept by a browser or a proxy, never rendered (the same headers as sharing.downloads)."""

from django.http import FileResponse

from documents.services import Document


def attachment(document: Document) -> FileResponse:
    response = FileResponse(document.content, as_attachment=True, filename=document.filename,
                            content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
