"""Datasets (issue 12, item 1): record-level CSV or Parquet uploaded by a department into the vault (ADR 27),
after the vault's upload checks (ADR 28), its schema read with Polars, each column given a role (§15).

`upload` is the only code that makes one; `frame` reads one back (direct identifiers always dropped) for the
release engine. Both bounded: the upload limit, at most MAX_COLUMNS columns."""

from __future__ import annotations

import io
from collections.abc import Mapping

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.permissions import is_active_member
from accounts.roles import Role
from audit.services import record_event
from concordat.errors import NotAllowed, Problem, RuleViolation
from protocols.scope import DataSource
from protocols.services import current_protocol
from releases.models import ColumnRole, Dataset, DatasetColumn
from sharing import rules
from vault import checks
from vault import services as vault

CLAUSE = "§15"
TITLE_MAX = 200
MAX_COLUMNS = 500
FORMATS = {checks.CSV: "csv", checks.PARQUET: "parquet"}
UPLOADER_ROLES = (Role.ASSESSOR, Role.CASE_OFFICER)
# Who sees a department's datasets: its uploaders, its output checkers and its auditors.
VIEWER_ROLES = (*UPLOADER_ROLES, Role.OUTPUT_CHECKER, Role.AUDITOR)
WHO_UPLOADS = "an assessor or case officer of the department that holds the data"


def department_of(user):
    return user.organisation.department if is_active_member(user) else None


def may_upload(user) -> bool:
    return is_active_member(user) and user.has_role(*UPLOADER_ROLES)


def visible(user):
    department = department_of(user)
    if department is None or not user.has_role(*VIEWER_ROLES):
        return Dataset.objects.none()
    return Dataset.objects.filter(organisation=department)


def can_view(user, dataset: Dataset) -> bool:
    department = department_of(user)
    return department is not None and user.has_role(*VIEWER_ROLES) and dataset.organisation_id == department.pk


def upload(file, *, by, title: str, classification: str, personal_data_category: str, data_source: str,
           roles: Mapping[str, str] | None = None) -> Dataset:
    """Check the file by its content, read its schema, record its columns with their roles and store it in the
    vault, marked with its classification; one audit event. `roles`: column name -> ColumnRole (others: other)."""
    if not may_upload(by):
        raise NotAllowed(Problem(f"Only {WHO_UPLOADS} can upload a dataset.", field="file", clause=CLAUSE))
    roles = dict(roles or {})
    protocol = current_protocol()
    _check_description(protocol, title, classification, personal_data_category, data_source)
    facts = checks.check(file, settings.CONCORDAT_MAX_FILE_BYTES, field="file")
    file_format = FORMATS.get(facts.content_type)
    if file_format is None:
        raise RuleViolation(Problem("A dataset is a CSV or Parquet file of records, one row each.", field="file",
                                    clause=CLAUSE))
    frame = _read(file, file_format)
    columns = _columns(frame, roles)
    saved: list[str] = []
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                organisation=by.organisation.department, protocol=protocol, title=title.strip(),
                classification=classification, personal_data_category=personal_data_category,
                data_source=data_source, file_format=file_format, rows=frame.height, uploaded_by=by,
                uploaded_at=timezone.now())
            DatasetColumn.objects.bulk_create([DatasetColumn(dataset=dataset, **c) for c in columns])
            stored = vault.store(file, owner={"dataset": dataset}, original_name=facts.name,
                                 content_type=facts.content_type, marking=classification, by=by,
                                 expected_sha256=facts.sha256)
            saved.append(stored.storage_name)
            record_event("releases.dataset_uploaded", by=by, obj=dataset, details={
                "dataset": dataset.pk, "rows": frame.height, "columns": len(columns), "sha256": facts.sha256,
                "classification": classification, "personal_data_category": personal_data_category,
                "data_source": data_source, "roles": {c["name"]: c["role"] for c in columns
                                                      if c["role"] != ColumnRole.OTHER}})
    except BaseException:
        for name in saved:
            vault.discard(name)
        raise
    return dataset


def _check_description(protocol, title, classification, category, data_source) -> None:
    problems = []
    if not (title or "").strip():
        problems.append(Problem("Give the dataset a title.", field="title"))
    elif len(title) > TITLE_MAX:
        problems.append(Problem(f"Keep the title to {TITLE_MAX} characters.", field="title"))
    if protocol is None:
        problems.append(Problem("No protocol is loaded.", field="classification"))
    else:
        spec = protocol.spec
        problems += [p for p in (rules.classification_problem(spec, classification or ""),
                                 rules.category_problem(spec, category or "")) if p]
    if data_source not in DataSource.values:
        problems.append(Problem("Choose the data source.", field="data_source", clause=CLAUSE))
    if problems:
        raise RuleViolation(*problems)


def _read(file, file_format: str) -> pl.DataFrame:
    file.seek(0)
    try:
        if file_format == "csv":
            frame = pl.read_csv(file, infer_schema_length=10_000, try_parse_dates=True)
        else:
            frame = pl.read_parquet(file)
    except Exception:  # noqa: BLE001 - Polars raises many kinds; each means the file is not what it says
        raise RuleViolation(Problem(f"The file could not be read as {file_format.upper()} records: it is not what "
                                    "its name says, or it is damaged.", field="file", clause=CLAUSE)) from None
    finally:
        file.seek(0)
    if frame.height == 0:
        raise RuleViolation(Problem("The file has no records.", field="file", clause=CLAUSE))
    if frame.width > MAX_COLUMNS:
        raise RuleViolation(Problem(f"A dataset has at most {MAX_COLUMNS} columns (this has {frame.width}).",
                                    field="file", clause=CLAUSE))
    return frame


def _columns(frame: pl.DataFrame, roles: dict) -> list[dict]:
    problems = []
    names = frame.columns
    blank = [i + 1 for i, n in enumerate(names) if not n.strip() or len(n) > 200]
    if blank:
        problems.append(Problem(f"Column {blank[0]} has an empty or over-long name: every column needs a name.",
                                field="file", clause=CLAUSE))
    unknown = sorted(set(roles) - set(names))
    if unknown:
        problems.append(Problem(f"The file has no column {unknown[0][:80]!r}: mark only the file's columns.",
                                field="columns", clause=CLAUSE))
    bad = sorted(n for n, r in roles.items() if r not in ColumnRole.values)
    if bad:
        problems.append(Problem(f"Column {bad[0][:80]!r}: choose direct identifier, quasi-identifier, sensitive "
                                "or other.", field="columns", clause=CLAUSE))
    if problems:
        raise RuleViolation(*problems)
    out = []
    for position, name in enumerate(names):
        series = frame[name]
        nulls = series.null_count()
        role = roles.get(name, ColumnRole.OTHER)
        if nulls == frame.height and role in (ColumnRole.QUASI_IDENTIFIER, ColumnRole.SENSITIVE):
            raise RuleViolation(Problem(f"Column {name[:80]!r} is empty: it cannot be a {role.replace('_', '-')}.",
                                        field="columns", clause=CLAUSE))
        out.append({"position": position, "name": name, "dtype": str(series.dtype)[:60], "role": role,
                    "distinct": series.n_unique(), "nulls": nulls})
    return out


def frame(dataset: Dataset) -> pl.DataFrame:
    """The dataset's records read back from the vault, its direct identifiers dropped (§15). The caller has
    checked who is asking; the release that reads it records the read on its own event."""
    stored = dataset.vault_file
    data = io.BytesIO(b"".join(vault.open_chunks(stored)))
    records = pl.read_csv(data, infer_schema_length=10_000, try_parse_dates=True) if dataset.file_format == "csv" \
        else pl.read_parquet(data)
    direct = [c for c in dataset.columns_with(ColumnRole.DIRECT_IDENTIFIER) if c in records.columns]
    return records.drop(direct)


def columns_filter(role: str) -> Q:
    return Q(columns__role=role)
