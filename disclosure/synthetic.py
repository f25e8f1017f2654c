"""Synthetic National Referral Mechanism (NRM) records (issue 12, item 2): the demo's, the tests' and the
benchmarks' data, never anybody's. §15: what is shared is anonymised in the ordinary course; to build and test
that without personal data, this makes records with the fields and categories of the published NRM statistics.

One row is one referral: year and quarter of referral and its date; age group at exploitation (adult, child, not
specified) and an age in years; gender; nationality (105 values, Zipf-like, led by UK, Albania, Vietnam, Eritrea,
Sudan); exploitation type (single types, combinations, not specified) with a county-lines flag; location of
exploitation; first responder type and organisation; police force area (the 43 forces of England and Wales,
Police Scotland, PSNI, British Transport Police); competent authority; reasonable- and conclusive-grounds
decisions and their dates. `nrm_reference` is a direct identifier (a made-up reference number), there so that
the extract engine has one to drop.

Without `rows`, each year has the published annual total (PUBLISHED_TOTALS); with `rows`, the same shares of N.
Everything is drawn with numpy's PCG64 from `seed`, vectorised: the same seed gives the same frame.
No Django here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from disclosure.hierarchies import NATIONALITIES, POLICE_FORCES

# Referrals per year, rounded from the published NRM statistics.
PUBLISHED_TOTALS: dict[int, int] = {2019: 10_600, 2020: 10_600, 2021: 12_700, 2022: 16_900, 2023: 17_000,
                                    2024: 19_100}

AGE_GROUPS = ("Adult", "Child", "Not specified")
GENDERS = ("Male", "Female", "Other", "Not specified")
EXPLOITATION_TYPES = (
    "Labour", "Sexual", "Criminal", "Domestic servitude", "Organ harvesting",
    "Labour and sexual", "Labour and criminal", "Sexual and criminal", "Labour and domestic servitude",
    "Other combination", "Not specified",
)
CRIMINAL_TYPES = frozenset({"Criminal", "Labour and criminal", "Sexual and criminal"})
LOCATIONS = ("UK", "Overseas", "UK and overseas", "Not specified")
FIRST_RESPONDERS: dict[str, tuple[str, ...]] = {
    "Government agency": ("UK Visas and Immigration", "Immigration Enforcement", "Border Force",
                          "Home Office Asylum Support"),
    "Local authority": ("Local authority children's services", "Local authority adult services"),
    "Police": ("Police",),  # the organisation is the police force area's force (below)
    "Non-governmental organisation": ("The Salvation Army", "Barnardo's", "Migrant Help", "Unseen",
                                      "Medaille Trust", "Hope for Justice", "Kalayaan"),
}
COMPETENT_AUTHORITIES = ("Single Competent Authority", "Immigration Enforcement Competent Authority")
DECISIONS = ("Positive", "Negative", "Pending")
AS_OF = dt.date(2025, 3, 31)  # decisions after this date are still pending

COLUMNS = (
    "nrm_reference", "year", "quarter", "referral_date", "age_group", "age", "gender", "nationality",
    "exploitation_type", "county_lines", "exploitation_location", "first_responder_type",
    "first_responder_organisation", "police_force_area", "competent_authority",
    "reasonable_grounds_decision", "reasonable_grounds_date", "conclusive_grounds_decision",
    "conclusive_grounds_date",
)


def rows_per_year(rows: int | None = None) -> dict[int, int]:
    """The published totals, or `rows` shared out in the same proportions (largest remainders)."""
    if rows is None:
        return dict(PUBLISHED_TOTALS)
    if rows < 0:
        raise ValueError("rows must be zero or more")
    total = sum(PUBLISHED_TOTALS.values())
    exact = {y: rows * n / total for y, n in PUBLISHED_TOTALS.items()}
    counts = {y: int(v) for y, v in exact.items()}
    for y in sorted(exact, key=lambda y: exact[y] - counts[y], reverse=True)[: rows - sum(counts.values())]:
        counts[y] += 1
    return counts


def _zipf(n: int, exponent: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** exponent
    return w / w.sum()


def _pick(rng: np.random.Generator, labels: tuple[str, ...], p, size: int) -> pl.Series:
    codes = rng.choice(len(labels), size=size, p=np.asarray(p, dtype=float))
    return pl.Series(labels).gather(codes)


def generate(rows: int | None = None, seed: int = 0) -> pl.DataFrame:
    """A frame of synthetic NRM referrals (COLUMNS), deterministic by `seed`."""
    per_year = rows_per_year(rows)
    n = sum(per_year.values())
    rng = np.random.default_rng(seed)

    years = np.repeat(np.fromiter(per_year, dtype=np.int32), list(per_year.values()))
    starts = {y: (dt.date(y, 1, 1) - dt.date(1970, 1, 1)).days for y in per_year}
    lengths = {y: (dt.date(y + 1, 1, 1) - dt.date(y, 1, 1)).days for y in per_year}
    start = np.array([starts[y] for y in per_year], dtype=np.int64)
    length = np.array([lengths[y] for y in per_year], dtype=np.int64)
    year_index = np.repeat(np.arange(len(per_year)), list(per_year.values()))
    referral = start[year_index] + (rng.random(n) * length[year_index]).astype(np.int64)

    # Age group first (children are about 4 in 10 referrals), then an age consistent with it.
    age_group_code = rng.choice(3, size=n, p=[0.55, 0.42, 0.03])
    child_age = rng.choice(np.arange(0, 18), size=n, p=_child_age_weights())
    adult_age = np.clip(np.round(18 + rng.gamma(2.2, 7.0, size=n)), 18, 85).astype(np.int64)
    age = np.where(age_group_code == 0, adult_age, child_age).astype(np.float64)
    age[age_group_code == 2] = np.nan

    nationality_code = rng.choice(len(NATIONALITIES), size=n, p=_zipf(len(NATIONALITIES), 1.05))
    uk = nationality_code == 0
    # Exploitation type: criminal exploitation dominates for UK nationals (county lines), labour for others.
    p_uk = [0.08, 0.10, 0.62, 0.01, 0.001, 0.02, 0.04, 0.05, 0.01, 0.019, 0.05]
    p_other = [0.33, 0.18, 0.16, 0.05, 0.002, 0.06, 0.07, 0.03, 0.03, 0.028, 0.06]
    exploitation_code = np.where(
        uk, rng.choice(len(EXPLOITATION_TYPES), size=n, p=np.array(p_uk) / sum(p_uk)),
        rng.choice(len(EXPLOITATION_TYPES), size=n, p=np.array(p_other) / sum(p_other)),
    )
    criminal = np.isin(exploitation_code, [EXPLOITATION_TYPES.index(t) for t in CRIMINAL_TYPES])
    county_lines = criminal & (rng.random(n) < np.where(uk, 0.6, 0.15))
    location_code = np.where(uk, rng.choice(4, size=n, p=[0.95, 0.01, 0.02, 0.02]),
                             rng.choice(4, size=n, p=[0.45, 0.35, 0.15, 0.05]))

    force_weights = _force_weights()
    force_code = rng.choice(len(POLICE_FORCES), size=n, p=force_weights)
    responder_types = tuple(FIRST_RESPONDERS)
    responder_type_code = np.where(
        uk, rng.choice(4, size=n, p=[0.05, 0.40, 0.45, 0.10]), rng.choice(4, size=n, p=[0.50, 0.10, 0.15, 0.25])
    )
    organisation = _organisations(rng, responder_type_code, force_code)

    authority_code = (rng.random(n) < np.where(uk, 0.02, 0.25)).astype(np.int64)
    rg_days = np.round(rng.gamma(1.5, 20.0, size=n)).astype(np.int64)
    rg_date = referral + rg_days
    rg_code = np.where(rng.random(n) < 0.88, 0, 1)
    as_of = (AS_OF - dt.date(1970, 1, 1)).days
    rg_code = np.where(rg_date > as_of, 2, rg_code)
    cg_days = np.round(rng.gamma(3.0, 160.0, size=n)).astype(np.int64)
    cg_date = rg_date + cg_days
    cg_code = np.where(rng.random(n) < 0.92, 0, 1)
    cg_code = np.where((rg_code != 0) | (cg_date > as_of), 2, cg_code)

    return pl.DataFrame({
        "nrm_reference": pl.Series(rng.permutation(n) + 1, dtype=pl.Int64),
        "year": pl.Series(years, dtype=pl.Int32),
        "quarter": pl.Series(referral).cast(pl.Date).dt.quarter(),
        "referral_date": pl.Series(referral).cast(pl.Date),
        "age_group": pl.Series(AGE_GROUPS).gather(age_group_code),
        "age": pl.Series(age).cast(pl.Int32, strict=False),
        "gender": _pick(rng, GENDERS, [0.77, 0.225, 0.002, 0.003], n),
        "nationality": pl.Series(NATIONALITIES).gather(nationality_code),
        "exploitation_type": pl.Series(EXPLOITATION_TYPES).gather(exploitation_code),
        "county_lines": pl.Series(county_lines),
        "exploitation_location": pl.Series(LOCATIONS).gather(location_code),
        "first_responder_type": pl.Series(responder_types).gather(responder_type_code),
        "first_responder_organisation": organisation,
        "police_force_area": pl.Series(POLICE_FORCES).gather(force_code),
        "competent_authority": pl.Series(COMPETENT_AUTHORITIES).gather(authority_code),
        "reasonable_grounds_decision": pl.Series(DECISIONS).gather(rg_code),
        "reasonable_grounds_date": pl.Series(rg_date).cast(pl.Date),
        "conclusive_grounds_decision": pl.Series(DECISIONS).gather(cg_code),
        "conclusive_grounds_date": pl.Series(cg_date).cast(pl.Date),
    }).with_columns(
        nrm_reference=pl.lit("NRM-") + pl.col("nrm_reference").cast(pl.String).str.zfill(7),
        quarter=pl.lit("Q") + pl.col("quarter").cast(pl.String),
        age=pl.when(pl.col("age_group") == "Not specified").then(None).otherwise(pl.col("age")),
        reasonable_grounds_date=pl.when(pl.col("reasonable_grounds_decision") == "Pending").then(None)
        .otherwise(pl.col("reasonable_grounds_date")),
        conclusive_grounds_date=pl.when(pl.col("conclusive_grounds_decision") == "Pending").then(None)
        .otherwise(pl.col("conclusive_grounds_date")),
    ).select(COLUMNS)


def _child_age_weights() -> np.ndarray:
    w = np.array([1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 6, 9, 14, 20, 26, 30, 28], dtype=float)
    return w / w.sum()


def _force_weights() -> np.ndarray:
    """Roughly by population, the Met largest; Police Scotland and PSNI report few NRM referrals."""
    big = {"Metropolitan Police": 18.0, "West Midlands": 6.0, "Greater Manchester": 6.0, "West Yorkshire": 5.0,
           "Thames Valley": 4.0, "Kent": 3.5, "Merseyside": 3.5, "Police Scotland": 2.0,
           "Police Service of Northern Ireland": 1.0, "British Transport Police": 1.5, "City of London": 0.3}
    w = np.array([big.get(f, 2.0) for f in POLICE_FORCES])
    return w / w.sum()


def _organisations(rng: np.random.Generator, type_code: np.ndarray, force_code: np.ndarray) -> pl.Series:
    """The first responder organisation: one of the type's organisations, or for the police the force."""
    labels: list[str] = []
    offsets = []
    for orgs in FIRST_RESPONDERS.values():
        offsets.append(len(labels))
        labels.extend(orgs)
    sizes = np.array([len(o) for o in FIRST_RESPONDERS.values()])
    pick = np.array(offsets)[type_code] + (rng.random(len(type_code)) * sizes[type_code]).astype(np.int64)
    orgs = pl.Series(labels).gather(pick)
    police = type_code == list(FIRST_RESPONDERS).index("Police")
    forces = pl.Series(POLICE_FORCES).gather(force_code)
    return pl.select(pl.when(pl.Series(police)).then(forces).otherwise(orgs)).to_series().alias("organisation")


def write(frame: pl.DataFrame, path: str) -> None:
    """Write CSV or Parquet by the file's extension."""
    lower = str(path).lower()
    if lower.endswith(".parquet"):
        frame.write_parquet(path)
    elif lower.endswith(".csv"):
        frame.write_csv(path)
    else:
        raise ValueError("Name the output file .csv or .parquet")
