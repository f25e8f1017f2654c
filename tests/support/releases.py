"""Builders for datasets and releases (§15): synthetic NRM records as an upload, a dataset in the vault, two output
checkers of the Home Office, and a release taken through its lifecycle."""

from __future__ import annotations

import io

import polars as pl
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from disclosure.synthetic import generate
from releases import datasets, services
from sharing.states import RequestState
from tests.support.requests import DECIDED, draft, walk

ROLES = {"nrm_reference": "direct_identifier", "age": "quasi_identifier", "gender": "quasi_identifier",
         "nationality": "quasi_identifier", "police_force_area": "quasi_identifier",
         "exploitation_type": "sensitive"}
TABLE = {"dimensions": ["police_force_area", "exploitation_type"], "measure": "count"}
EXTRACT = {"quasi_identifiers": ["age", "gender", "nationality", "police_force_area"],
           "sensitive": ["exploitation_type"], "k": 5, "l": 2, "max_suppression": 0.05}


def records(rows: int = 3_000, seed: int = 7) -> pl.DataFrame:
    return generate(rows, seed=seed)


def csv_upload(frame: pl.DataFrame | None = None, name: str = "nrm.csv") -> SimpleUploadedFile:
    frame = records() if frame is None else frame
    return SimpleUploadedFile(name, frame.write_csv().encode(), content_type="text/csv")


def parquet_upload(frame: pl.DataFrame | None = None, name: str = "nrm.parquet") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    (records() if frame is None else frame).write_parquet(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def uploaded(by, upload=None, **changes):
    values = {"title": "Synthetic NRM referrals", "classification": "OFFICIAL", "personal_data_category": "personal",
              "data_source": "nrm_case_records", "roles": ROLES, **changes}
    return datasets.upload(upload or csv_upload(), by=by, **values)


class Checkers:
    def __init__(self, person):
        self.first = person("home-office", Role.OUTPUT_CHECKER, email="checker.one@example.org")
        self.second = person("ho-analysis", Role.OUTPUT_CHECKER, email="checker.two@example.org")
        self.elsewhere = person("iasc", Role.OUTPUT_CHECKER, email="iasc.checker@example.org")


def agreed_request(cast):
    """An IASC→HO OFFICIAL request agreed by the Home Office: its assessor may deliver on it."""
    return walk(draft(cast.iasc_requester), cast, DECIDED)


def drafted(cast, dataset, request=None, kind="table", spec=None, policy=None, title="Referrals by force"):
    request = request or agreed_request(cast)
    return services.draft(request, by=cast.msu_assessor, dataset=dataset, kind=kind, title=title,
                          spec=spec or (TABLE if kind == "table" else EXTRACT), policy=policy)


def checked(release, checkers, verdicts=("safe", "safe")):
    release = services.submit(release, by=release.author, expected_version=release.version)
    for person, verdict in zip((checkers.first, checkers.second), verdicts, strict=True):
        release = services.check(release, by=person, expected_version=release.version, verdict=verdict,
                                 note="" if verdict == "safe" else "Too fine.")
    return release


def approved(release, checkers):
    release = checked(release, checkers)
    return services.consolidate(release, by=checkers.first, expected_version=release.version, outcome="approve")


__all__ = ["RequestState"]
