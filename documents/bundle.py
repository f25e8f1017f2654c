"""A delivery as one bundle: a zip of its files, a cover sheet PDF listing each file with its marking, size and
SHA-256 (§7(e), §10), and a SHA256SUMS file a recipient can check with `sha256sum -c`.

Files are read through sharing.downloads.open_delivered, the one function that reads a delivered file, in chunks
into a temporary file (never a whole file in memory), and each one's SHA-256 is checked against the one recorded
when it was delivered: a file that no longer matches stops the bundle (FileChanged), nothing is served."""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils import timezone

from documents.rendering import PageMarks, render_pdf
from sharing import rules
from sharing.downloads import open_delivered
from sharing.models import Delivery, DeliveryFile
from vault.crypto import VaultIntegrityError

CHUNK = 1024 * 1024
COVER_NAME = "00_cover-sheet.pdf"
SUMS_NAME = "SHA256SUMS"


class FileChanged(Exception):
    """A delivered file no longer matches the SHA-256 recorded when it was delivered."""

    def __init__(self, delivery_file: DeliveryFile):
        self.file_id, self.recorded = delivery_file.pk, delivery_file.sha256
        super().__init__(f"Delivered file {delivery_file.pk} no longer matches the SHA-256 recorded on delivery.")


@dataclass(frozen=True)
class Entry:
    name: str  # its name inside the zip
    file: DeliveryFile

    @property
    def sha256(self) -> str:
        return self.file.sha256

    @property
    def size(self) -> int:
        return self.file.size


@dataclass(frozen=True)
class Bundle:
    content: IO[bytes]  # the zip, positioned at its start
    size: int
    files: list[Entry]
    cover: bytes


def entries_of(delivery: Delivery) -> list[Entry]:
    """Each file under a numbered name, so two files of the same name never overwrite each other."""
    files = sorted(delivery.files.all(), key=lambda f: f.pk)
    return [Entry(f"{number:02d}_{f.original_name}", f) for number, f in enumerate(files, start=1)]


def cover_sheet(delivery: Delivery, entries: list[Entry]) -> bytes:
    req = delivery.request
    spec = rules.spec_of(req)
    marks = PageMarks(marking=delivery.marking, reference=req.reference,
                      protocol=f"{req.protocol.slug} version {req.protocol_version}",
                      clause=spec.classifications.clause)
    from documents.services import context_for  # the request's header, as on every document

    context = {**context_for(req, ""), "delivery": delivery, "entries": entries, "sums_name": SUMS_NAME,
               "generated_on": timezone.now()}
    return render_pdf("documents/pdf/cover_sheet.html", context, marks)


def build(delivery: Delivery) -> Bundle:
    entries = entries_of(delivery)
    cover = cover_sheet(delivery, entries)
    target = tempfile.TemporaryFile()
    try:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(COVER_NAME, cover)
            for entry in entries:
                _copy_checked(entry, archive)
            archive.writestr(SUMS_NAME, "".join(f"{e.sha256}  {e.name}\n" for e in entries))
        size = target.tell()
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return Bundle(content=target, size=size, files=entries, cover=cover)


def _copy_checked(entry: Entry, archive: zipfile.ZipFile) -> None:
    digest, copied = hashlib.sha256(), 0
    try:
        with archive.open(entry.name, "w", force_zip64=True) as sink:
            for chunk in open_delivered(entry.file):
                digest.update(chunk)
                copied += len(chunk)
                sink.write(chunk)
    except VaultIntegrityError as error:  # altered or truncated at rest (ADR 27): refused like a changed file
        raise FileChanged(entry.file) from error
    if digest.hexdigest() != entry.sha256 or copied != entry.size:
        raise FileChanged(entry.file)
