"""Between a Release and the engine in `disclosure/` (no Django there): the spec and policy a person gave, checked and
turned into the engine's objects; the preview (every cell with its status and why, or the extract's risk report);
and the files a delivery carries (§15).

Protection runs inline in the request that drafts or revises a release, bounded by the policy's time budget
(INLINE_SECONDS) and the engine's limits (500 categories a dimension, 50,000 cells a table): ADR 34."""

from __future__ import annotations

import csv
import io
import json

import polars as pl

from concordat.errors import Problem, RuleViolation
from disclosure import lp_audit
from disclosure.extracts import ExtractError, ExtractSpec, anonymise
from disclosure.hierarchies import FORCES_BY_REGION, NATION_OF_REGION, NATIONALITY_REGION
from disclosure.policy import DisclosureError, PolicyError, ReleasePolicy
from disclosure.tables import EarlierRelease, Hierarchy, TableSpec, protect
from releases.models import ColumnRole, Dataset
from releases.states import ReleaseKind

CLAUSE = "§15"
INLINE_SECONDS = 30.0  # the most a preview may take in a person's request (the engine stops and says so)
PREVIEW_CELLS_SHOWN = 2_000
MEASURES = ("count", "sum", "mean")
POLICY_FIELDS = {"threshold": int, "zeros_disclosive": bool, "rounding": str, "rounding_base": int,
                 "redact_at_or_below": int, "protection_fraction": float, "protection_absolute": float,
                 "cost": str}
NOT_SPECIFIED = "Not specified"
UNPLACED = "Not known"
PFA_REGION = {force: region for region, forces in FORCES_BY_REGION.items() for force in forces}
# Dimensions with a hierarchy (police force area → region → nation; nationality → world region).
HIERARCHY_LEVELS = {
    "police_force_area": (("region", PFA_REGION), ("nation", NATION_OF_REGION)),
    "nationality": (("world_region", NATIONALITY_REGION),),
}
SUPPRESSED_MARK = "[c]"  # what a suppressed cell shows in a delivered table (ONS's "confidential")


def refuse(message: str, field: str) -> RuleViolation:
    return RuleViolation(Problem(message, field=field, clause=CLAUSE))


def policy_of(values: dict) -> ReleasePolicy:
    """A release policy from what a person chose (defaults named after their sources); one that contradicts
    itself is refused naming the field."""
    chosen = {}
    for name, value in (values or {}).items():
        kind = POLICY_FIELDS.get(name)
        if kind is None:
            raise refuse(f"The policy has no setting {str(name)[:40]!r}.", "policy")
        if value is None or value == "":
            continue
        if kind is bool and not isinstance(value, bool):
            raise refuse(f"{name} is true or false.", name)
        if kind in (int, float) and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise refuse(f"{name} must be a number.", name)
        chosen[name] = value
    try:
        return ReleasePolicy(time_budget_seconds=INLINE_SECONDS, **chosen)
    except PolicyError as error:
        raise refuse(f"The policy contradicts itself: {error.message}.", error.field or "policy") from None


def policy_dict(policy: ReleasePolicy) -> dict:
    return {name: getattr(policy, name) for name in POLICY_FIELDS}


def _usable(dataset: Dataset) -> dict[str, str]:
    """Column name -> role, direct identifiers left out: they are always dropped (§15)."""
    return {c.name: c.role for c in dataset.columns.all() if c.role != ColumnRole.DIRECT_IDENTIFIER}


def check_table_spec(dataset: Dataset, spec: dict) -> dict:
    usable = _usable(dataset)
    dims = spec.get("dimensions")
    if not isinstance(dims, list) or not 1 <= len(dims) <= 3 or not all(isinstance(d, str) for d in dims):
        raise refuse("Choose one to three dimensions.", "dimensions")
    if len(set(dims)) != len(dims):
        raise refuse("A dimension is chosen twice.", "dimensions")
    for d in dims:
        if d not in usable:
            raise refuse(f"The dataset has no column {d[:80]!r} to tabulate (direct identifiers are dropped).",
                         "dimensions")
    measure = spec.get("measure") or "count"
    if measure not in MEASURES:
        raise refuse("The measure is count, sum or mean.", "measure")
    column = spec.get("column") or None
    if measure == "count" and column:
        raise refuse("A count takes no column: choose sum or mean to measure one.", "column")
    if measure != "count" and (not isinstance(column, str) or column not in usable):
        raise refuse("Choose the dataset's numeric column to sum or average.", "column")
    return {"dimensions": dims, "measure": measure, "column": column,
            "hierarchies": bool(spec.get("hierarchies", False))}


def check_extract_spec(dataset: Dataset, spec: dict) -> dict:
    usable = _usable(dataset)
    qis, sensitive = spec.get("quasi_identifiers"), spec.get("sensitive") or []
    if not isinstance(qis, list) or not qis or not all(isinstance(q, str) for q in qis):
        raise refuse("Choose at least one quasi-identifier.", "quasi_identifiers")
    if not isinstance(sensitive, list) or not all(isinstance(s, str) for s in sensitive):
        raise refuse("Choose the sensitive columns.", "sensitive")
    for name, chosen, role in (("quasi_identifiers", qis, ColumnRole.QUASI_IDENTIFIER),
                               ("sensitive", sensitive, ColumnRole.SENSITIVE)):
        for column in chosen:
            if usable.get(column) != role:
                raise refuse(f"{column[:80]!r} is not a column of the dataset marked "
                             f"{role.label.lower()}.", name)
    k, l_, budget = spec.get("k", 5), spec.get("l", 2), spec.get("max_suppression", 0.05)
    for name, value in (("k", k), ("l", l_)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
            raise refuse(f"{name} is a whole number from 1 to 1,000,000.", name)
    if isinstance(budget, bool) or not isinstance(budget, int | float) or not 0 <= budget <= 1:
        raise refuse("The suppression budget is a share of the records, from 0 to 1.", "max_suppression")
    if k > dataset.rows:
        raise refuse(f"k ({k:,}) is larger than the data ({dataset.rows:,} records): no group could have "
                     f"{k:,} records.", "k")
    return {"quasi_identifiers": qis, "sensitive": sensitive, "k": k, "l": l_, "max_suppression": float(budget)}


def _hierarchies(frame: pl.DataFrame, dims: list[str]) -> dict[str, Hierarchy]:
    """The dimension's categories placed in its hierarchy; a category the hierarchy does not know goes under
    'Not known' at every level, so that it still sums into the total."""
    out = {}
    for d in dims:
        levels = HIERARCHY_LEVELS.get(d)
        if not levels:
            continue
        below = set(frame[d].unique().to_list())
        placed = []
        for level, mapping in levels:
            full = {c: mapping.get(c, UNPLACED) for c in below}
            placed.append((level, full))
            below = set(full.values())
        out[d] = Hierarchy(d, tuple(placed))
    return out


def _table_frame(frame: pl.DataFrame, dims: list[str]) -> pl.DataFrame:
    for d in dims:
        if frame[d].null_count() == frame.height:
            raise refuse(f"The column {d[:80]!r} is empty: it has no categories to tabulate.", "dimensions")
    return frame.with_columns([pl.col(d).cast(pl.String).fill_null(NOT_SPECIFIED) for d in dims])


def _key(key) -> tuple:
    return tuple(tuple(part) for part in key)


def earlier_of(releases) -> list[EarlierRelease]:
    """What earlier table releases from the dataset published, as the engine protects against (ADR 30)."""
    out = []
    for r in releases:
        spec = r.spec
        table = TableSpec("earlier", tuple(spec["dimensions"]), spec["measure"], spec.get("column"))
        published = {_key(key): value for key, value in r.result.get("published", [])}
        out.append(EarlierRelease([table], published))
    return out


def table_preview(dataset: Dataset, frame: pl.DataFrame, spec: dict, policy: ReleasePolicy, earlier) -> dict:
    dims = spec["dimensions"]
    data = _table_frame(frame, dims)
    hierarchies = _hierarchies(data, dims) if spec["hierarchies"] else {}
    table = TableSpec("table", tuple(dims), spec["measure"], spec["column"])
    try:
        # Pruned (ADR 52): the fewest cells withheld that the heuristic and the policy's time budget reach; the
        # pattern is proved at every step, and a release is protected on a worker (ADR 51), off the page.
        release = protect(data, [table], policy, hierarchies, earlier=earlier_of(earlier), prune=True)
    except DisclosureError as error:
        field = error.field if error.field in ("measure", "column", "earlier") else "dimensions"
        if error.field == spec["column"]:
            field = "column"
        raise refuse(_sentence(error.message), field) from None
    published = release.published()
    intervals = lp_audit.intervals(lp_audit.combine(*[e.published for e in earlier_of(earlier)], published),
                                   release.relations)
    cells, short = [], []
    for cell in release.tables[0].cells.values():
        parts = {d: n for d, _level, n in cell.key}
        levels = {d: level for d, level, _n in cell.key}
        if cell.primary and cell.key in intervals:
            low, high = intervals[cell.key]
            if high - low < cell.required - 1e-6:
                short.append(cell.label)
        cells.append({"key": [list(p) for p in cell.key],
                      "labels": [parts.get(d, "Total") for d in dims],
                      "levels": [levels.get(d, d if d in parts else "total") for d in dims],
                      "value": cell.published, "status": _status(cell), "reasons": list(cell.reasons)})
    counts = {s: sum(1 for c in cells if c["status"] == s) for s in ("published", "rounded", "primary", "secondary")}
    return {"kind": ReleaseKind.TABLE, "dimensions": dims, "cells": cells, "counts": counts,
            "published": [[c["key"], c["value"]] for c in cells],
            "seconds": round(release.seconds, 3), "lp_solves": release.lp_solves,
            "earlier": [r.pk for r in earlier], "audit": {"primaries_checked": counts["primary"],
                                                          "under_protected": short[:10]}}


def _status(cell) -> str:
    if cell.primary:
        return "primary"
    if cell.suppressed:
        return "secondary"
    if cell.reasons:
        return "rounded"
    return "published"


def _sentence(message: str) -> str:
    message = message.strip()
    return (message[:1].upper() + message[1:]).rstrip(".") + "."


def extract_spec(spec: dict) -> ExtractSpec:
    return ExtractSpec(tuple(spec["quasi_identifiers"]), sensitive=tuple(spec["sensitive"]), k=spec["k"],
                       l=spec["l"], max_suppression=spec["max_suppression"])


def run_extract(frame: pl.DataFrame, spec: dict):
    columns = [*spec["quasi_identifiers"], *spec["sensitive"]]
    try:
        return anonymise(frame.select(columns), extract_spec(spec))
    except ExtractError as error:
        raise refuse(error.message, error.field or "quasi_identifiers") from None


def extract_preview(frame: pl.DataFrame, spec: dict) -> dict:
    extract = run_extract(frame, spec)
    return {"kind": ReleaseKind.EXTRACT, "report": extract.as_dict(), "rows": extract.data.height,
            "columns": extract.data.columns}


# --- what a delivery carries --------------------------------------------------------------------------------------

def table_csv(result: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*result["dimensions"], "value"])
    for cell in result["cells"]:
        value = SUPPRESSED_MARK if cell["value"] is None else _figure(cell["value"])
        writer.writerow([*cell["labels"], value])
    return out.getvalue().encode()


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def extract_csv(frame: pl.DataFrame, spec: dict) -> bytes:
    return run_extract(frame, spec).data.write_csv().encode()


def risk_report(release, checkers: list[str]) -> bytes:
    """What the delivery says of its safety: the policy it met (tables) or k and l (extracts), the counts of
    suppressed and changed cells or the risk before and after, and who checked it. Never which cell was primary."""
    result = release.result
    report = {"release": release.pk, "title": release.title, "kind": release.kind,
              "dataset": release.dataset.title, "marking": release.dataset.classification, "clause": CLAUSE,
              "checked_by": checkers, "spec": release.spec}
    if release.kind == ReleaseKind.TABLE:
        report.update(policy=release.policy, policy_sources=ReleasePolicy().sources,
                      suppressed_cells=result["counts"]["primary"] + result["counts"]["secondary"],
                      rounded_cells=result["counts"]["rounded"], cells=len(result["cells"]),
                      protected_against_earlier_releases=result.get("earlier", []))
    else:
        report.update(risk=result["report"])
    return json.dumps(report, indent=2, default=str).encode()
