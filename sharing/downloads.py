"""Serving delivered files: always as a download, never rendered by the browser (ASVS 5.3)."""

from typing import IO

from django.http import FileResponse

from sharing.models import DeliveryFile


def open_delivered(delivery_file: DeliveryFile) -> IO[bytes]:
    """The delivered file's bytes, opened for reading: the one place a delivered file is read (a download, a
    delivery's bundle in documents.bundle), so that the vault can take over reading here alone."""
    return delivery_file.stored_file.open("rb")


def attachment_response(delivery_file: DeliveryFile) -> FileResponse:
    """The file as an attachment under its sanitised name and sniffed type. The caller has already
    checked, through services.file_for_download, that the person may see it."""
    response = FileResponse(open_delivered(delivery_file), as_attachment=True,
                            filename=delivery_file.original_name, content_type=delivery_file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response
