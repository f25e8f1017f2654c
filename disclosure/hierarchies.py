"""Generalisation hierarchies for anonymised extracts (issue 12, item 4; §15: personal data anonymised in the
ordinary course).

A hierarchy is a chain of levels for one column, from the value itself (level 0) to "*" (the last level: the
value withheld). Each level maps a value to a coarser one, and every value of one level maps to exactly one value
of the next (a chain, not a lattice), which is what full-domain generalisation needs:

- age in years → narrow band → the published bands → adult / child → *
- nationality → world region → *
- police force area → region → nation → *
- a date → month → quarter → year → *
- anything else: the value → *

Hierarchies work on a Polars Series of the column's *distinct* values (the engine never maps a million rows
through Python), and always answer strings. No Django here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

WITHHELD = "*"
NOT_SPECIFIED = "Not specified"

# --- police force areas: the 43 forces of England and Wales by region, then the other three ---------------------
FORCES_BY_REGION: dict[str, tuple[str, ...]] = {
    "North East": ("Cleveland", "Durham", "Northumbria"),
    "North West": ("Cheshire", "Cumbria", "Greater Manchester", "Lancashire", "Merseyside"),
    "Yorkshire and the Humber": ("Humberside", "North Yorkshire", "South Yorkshire", "West Yorkshire"),
    "East Midlands": ("Derbyshire", "Leicestershire", "Lincolnshire", "Northamptonshire", "Nottinghamshire"),
    "West Midlands": ("Staffordshire", "Warwickshire", "West Mercia", "West Midlands"),
    "East of England": ("Bedfordshire", "Cambridgeshire", "Essex", "Hertfordshire", "Norfolk", "Suffolk"),
    "London": ("Metropolitan Police", "City of London"),
    "South East": ("Hampshire", "Kent", "Surrey", "Sussex", "Thames Valley"),
    "South West": ("Avon and Somerset", "Devon and Cornwall", "Dorset", "Gloucestershire", "Wiltshire"),
    "Wales": ("Dyfed-Powys", "Gwent", "North Wales", "South Wales"),
    "Scotland": ("Police Scotland",),
    "Northern Ireland": ("Police Service of Northern Ireland",),
    "British Transport Police": ("British Transport Police",),
}
NATION_OF_REGION: dict[str, str] = {
    **{region: "England" for region in FORCES_BY_REGION if region not in
       {"Wales", "Scotland", "Northern Ireland", "British Transport Police"}},
    "Wales": "Wales",
    "Scotland": "Scotland",
    "Northern Ireland": "Northern Ireland",
    "British Transport Police": "Great Britain (British Transport Police)",
}
POLICE_FORCES: tuple[str, ...] = tuple(f for forces in FORCES_BY_REGION.values() for f in forces)
ENGLAND_AND_WALES_FORCES: tuple[str, ...] = tuple(
    f for region, forces in FORCES_BY_REGION.items() if NATION_OF_REGION[region] in {"England", "Wales"}
    for f in forces
)

# --- nationalities, most referred first (the synthetic generator's Zipf order), each with its world region --------
NATIONALITY_REGION: dict[str, str] = {
    "UK": "UK", "Albania": "Europe (non-EU)", "Vietnam": "Asia", "Eritrea": "Africa", "Sudan": "Africa",
    "Romania": "Europe (EU)", "India": "Asia", "China": "Asia", "Nigeria": "Africa", "Afghanistan": "Asia",
    "Iran": "Middle East", "Iraq": "Middle East", "Poland": "Europe (EU)", "Ethiopia": "Africa",
    "Pakistan": "Asia", "Egypt": "Africa", "Bangladesh": "Asia", "Philippines": "Asia", "Ghana": "Africa",
    "Syria": "Middle East", "Somalia": "Africa", "Chad": "Africa", "Libya": "Africa", "Lithuania": "Europe (EU)",
    "Latvia": "Europe (EU)", "Bulgaria": "Europe (EU)", "Slovakia": "Europe (EU)", "Czech Republic": "Europe (EU)",
    "Hungary": "Europe (EU)", "Ukraine": "Europe (non-EU)", "Kosovo": "Europe (non-EU)", "Turkey": "Middle East",
    "Sri Lanka": "Asia", "Nepal": "Asia", "Indonesia": "Asia", "Thailand": "Asia", "Malaysia": "Asia",
    "Brazil": "Americas", "Jamaica": "Americas", "Kenya": "Africa", "Uganda": "Africa", "Zimbabwe": "Africa",
    "Cameroon": "Africa", "Gambia": "Africa", "Guinea": "Africa", "Sierra Leone": "Africa",
    "Ivory Coast": "Africa", "Senegal": "Africa", "Mali": "Africa", "South Sudan": "Africa",
    "DR Congo": "Africa", "Angola": "Africa", "South Africa": "Africa", "Morocco": "Africa",
    "Algeria": "Africa", "Tunisia": "Africa", "Yemen": "Middle East", "Saudi Arabia": "Middle East",
    "Jordan": "Middle East", "Lebanon": "Middle East", "Palestine": "Middle East", "Kuwait": "Middle East",
    "Georgia": "Europe (non-EU)", "Armenia": "Europe (non-EU)", "Azerbaijan": "Europe (non-EU)",
    "Russia": "Europe (non-EU)", "Belarus": "Europe (non-EU)", "Moldova": "Europe (non-EU)",
    "Serbia": "Europe (non-EU)", "Montenegro": "Europe (non-EU)", "North Macedonia": "Europe (non-EU)",
    "Bosnia and Herzegovina": "Europe (non-EU)", "Croatia": "Europe (EU)", "Slovenia": "Europe (EU)",
    "Portugal": "Europe (EU)", "Spain": "Europe (EU)", "Italy": "Europe (EU)", "France": "Europe (EU)",
    "Germany": "Europe (EU)", "Netherlands": "Europe (EU)", "Belgium": "Europe (EU)", "Ireland": "Europe (EU)",
    "Greece": "Europe (EU)", "Estonia": "Europe (EU)", "Mongolia": "Asia", "Kazakhstan": "Asia",
    "Uzbekistan": "Asia", "Myanmar": "Asia", "Cambodia": "Asia", "Laos": "Asia", "South Korea": "Asia",
    "Japan": "Asia", "Colombia": "Americas", "Venezuela": "Americas", "Ecuador": "Americas", "Peru": "Americas",
    "Mexico": "Americas", "Honduras": "Americas", "El Salvador": "Americas", "Trinidad and Tobago": "Americas",
    "United States": "Americas", "Canada": "Americas", "Australia": "Oceania", "New Zealand": "Oceania",
    "Fiji": "Oceania",
}
NATIONALITIES: tuple[str, ...] = tuple(NATIONALITY_REGION)

# Published NRM age bands (children split finely, adults by decade-ish); the last one is open.
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 11, "0 to 11"), (12, 15, "12 to 15"), (16, 17, "16 to 17"), (18, 24, "18 to 24"), (25, 34, "25 to 34"),
    (35, 44, "35 to 44"), (45, 54, "45 to 54"), (55, 200, "55 and over"),
)
# Narrower bands, each inside one of AGE_BANDS (so the levels form a chain).
NARROW_AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 5, "0 to 5"), (6, 11, "6 to 11"), (12, 13, "12 to 13"), (14, 15, "14 to 15"), (16, 17, "16 to 17"),
    (18, 20, "18 to 20"), (21, 24, "21 to 24"), (25, 29, "25 to 29"), (30, 34, "30 to 34"), (35, 39, "35 to 39"),
    (40, 44, "40 to 44"), (45, 49, "45 to 49"), (50, 54, "50 to 54"), (55, 64, "55 to 64"),
    (65, 200, "65 and over"),
)
ADULT_AGE = 18


@dataclass(frozen=True)
class Hierarchy(ABC):
    """A chain of levels; `generalise(values, level)` maps distinct values to their level-`level` strings."""

    levels: tuple[str, ...]

    @property
    def height(self) -> int:
        """The index of the last level ("*")."""
        return len(self.levels) - 1

    def generalise(self, values: pl.Series, level: int) -> pl.Series:
        if not 0 <= level <= self.height:
            raise ValueError(f"level {level} is outside 0..{self.height} ({', '.join(self.levels)})")
        if level == self.height:
            return pl.Series(values.name, [WITHHELD] * len(values), dtype=pl.String)
        return self._generalise(values, level).fill_null(NOT_SPECIFIED).alias(values.name)

    @abstractmethod
    def _generalise(self, values: pl.Series, level: int) -> pl.Series:
        """Each kind of hierarchy (flat, age, nationality, police force area, date) maps values below the top."""


@dataclass(frozen=True)
class FlatHierarchy(Hierarchy):
    """The value, then "*"."""

    levels: tuple[str, ...] = ("value", WITHHELD)

    def _generalise(self, values: pl.Series, level: int) -> pl.Series:
        return _as_text(values)


@dataclass(frozen=True)
class MappingHierarchy(Hierarchy):
    """Each level after the first maps the previous level's value to its parent; values not in a map become
    "Not specified" (so an unexpected value is never shown at a coarser level than it deserves)."""

    maps: tuple[Mapping[str, str], ...] = field(default=())

    def __post_init__(self):
        if len(self.maps) != len(self.levels) - 2:
            raise ValueError("a MappingHierarchy needs one map for each level between the value and *")

    def _generalise(self, values: pl.Series, level: int) -> pl.Series:
        out = _as_text(values)
        for mapping in self.maps[:level]:
            out = out.replace_strict(list(mapping), list(mapping.values()), default=NOT_SPECIFIED,
                                     return_dtype=pl.String)
        return out


@dataclass(frozen=True)
class AgeHierarchy(Hierarchy):
    """Age in years → narrow band → the published bands → adult/child → *. A missing age is "Not specified"."""

    levels: tuple[str, ...] = ("age", "narrow age band", "age band", "adult or child", WITHHELD)

    def _generalise(self, values: pl.Series, level: int) -> pl.Series:
        age = values.cast(pl.Int64, strict=False)
        if level == 0:
            return age.cast(pl.String)
        if level in (1, 2):
            expr = pl.lit(None, dtype=pl.String)
            for low, high, label in reversed(NARROW_AGE_BANDS if level == 1 else AGE_BANDS):
                expr = pl.when(age.is_between(low, high)).then(pl.lit(label)).otherwise(expr)
            return pl.select(expr).to_series()
        return pl.select(pl.when(age < ADULT_AGE).then(pl.lit("Child"))
                         .when(age >= ADULT_AGE).then(pl.lit("Adult"))).to_series()


@dataclass(frozen=True)
class DateHierarchy(Hierarchy):
    """A date → month (2023-04) → quarter (2023 Q2) → year (2023) → *. Accepts dates or ISO text."""

    levels: tuple[str, ...] = ("date", "month", "quarter", "year", WITHHELD)

    def _generalise(self, values: pl.Series, level: int) -> pl.Series:
        day = values if values.dtype == pl.Date else _as_text(values).str.to_date("%Y-%m-%d", strict=False)
        if level == 0:
            return day.dt.strftime("%Y-%m-%d")
        if level == 1:
            return day.dt.strftime("%Y-%m")
        if level == 2:
            return day.dt.year().cast(pl.String) + " Q" + day.dt.quarter().cast(pl.String)
        return day.dt.year().cast(pl.String)


def _as_text(values: pl.Series) -> pl.Series:
    if values.dtype == pl.String:
        return values
    if values.dtype == pl.Date:
        return values.dt.strftime("%Y-%m-%d")
    return values.cast(pl.String)


AGE = AgeHierarchy()
DATE = DateHierarchy()
NATIONALITY = MappingHierarchy(levels=("nationality", "world region", WITHHELD), maps=(NATIONALITY_REGION,))
POLICE_FORCE_AREA = MappingHierarchy(
    levels=("police force area", "region", "nation", WITHHELD),
    maps=({f: region for region, forces in FORCES_BY_REGION.items() for f in forces}, NATION_OF_REGION),
)
FLAT = FlatHierarchy()

# Default hierarchies by column name (the synthetic NRM data's names); any other column is FLAT.
DEFAULTS: dict[str, Hierarchy] = {
    "age": AGE,
    "nationality": NATIONALITY,
    "police_force_area": POLICE_FORCE_AREA,
    "referral_date": DATE,
    "reasonable_grounds_date": DATE,
    "conclusive_grounds_date": DATE,
}


def hierarchy_for(column: str, dtype: pl.DataType | None = None,
                  given: Mapping[str, Hierarchy] | None = None) -> Hierarchy:
    """The hierarchy to use for a column: the one given, else the default for its name, else a date hierarchy
    for a date column, else value → *."""
    if given and column in given:
        return given[column]
    if column in DEFAULTS:
        return DEFAULTS[column]
    if dtype == pl.Date:
        return DATE
    return FLAT


__all__ = [
    "AGE", "DATE", "DEFAULTS", "FLAT", "NATIONALITY", "POLICE_FORCE_AREA", "WITHHELD", "NOT_SPECIFIED",
    "AgeHierarchy", "DateHierarchy", "FlatHierarchy", "Hierarchy", "MappingHierarchy", "hierarchy_for",
]
