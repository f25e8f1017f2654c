"""Checking uploaded files by their content (ASVS 5.2): the checks themselves are vault/checks.py (ADR 28).

The client's filename and content type are never trusted alone: the type comes from the bytes and the name must
agree with it; the name is kept only as a sanitised label for the download. Anything not on the allow-list is
refused, including executables, scripts, markup, archives other than plain documents without macros, and anything
carrying a virus. CSV and spreadsheet cells that could run as formulas are flagged, never altered.
"""

from __future__ import annotations

from dataclasses import dataclass

from concordat.errors import RuleViolation
from vault import checks
from vault.checks import (  # noqa: F401 (the names callers and tests use)
    ALLOWED_TYPES,
    CSV,
    DOCX,
    JPEG,
    JSON,
    MAX_ARCHIVE_ENTRIES,
    MAX_ARCHIVE_UNCOMPRESSED_BYTES,
    MAX_COMPRESSION_RATIO,
    ODS,
    ODT,
    PARQUET,
    PDF,
    PNG,
    TEXT,
    XLSX,
    FlaggedCell,
    sanitise_filename,
    sniff,
)

FILE_FIELD = checks.FILE_FIELD


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str
    size: int
    sha256: str
    flagged: tuple[FlaggedCell, ...] = ()  # formula-like cells (ADR 28): shown, never altered
    flagged_total: int = 0

    def flags_summary(self) -> dict | None:
        if not self.flagged_total:
            return None
        return {"total": self.flagged_total, "cells": [cell.as_dict() for cell in self.flagged]}


def refuse(message: str) -> RuleViolation:
    return checks.refuse(message, FILE_FIELD)


def check_upload(upload, max_bytes: int) -> CheckedFile:
    """Validate an UploadedFile and return what we know of it; raise RuleViolation if it is refused."""
    checked = checks.check(upload, max_bytes, field=FILE_FIELD)
    return CheckedFile(checked.name, checked.content_type, checked.size, checked.sha256, checked.flagged,
                       checked.flagged_total)


def sanitise_label(name: str) -> str:
    return checks.label_of(name)
