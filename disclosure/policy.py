"""The release policy for tables (issue 12): what makes a cell unsafe and how much protection it needs.

§15 of the protocol expects personal data to be shared "in the ordinary course ... anonymised"; the policy is how a
statistical table derived from personal data is made safe to share. Every default is named after its source, and a
policy that contradicts itself is refused when it is made, with a message naming the fields in conflict.

No Django here: the engine is a plain package, so its errors are plain ``ValueError`` subclasses carrying the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

#: ONS and ACRO (the ONS Secure Research Service and the ACRO output-checking guidance) release no count below 10.
ONS_ACRO_THRESHOLD = 10
#: OpenSAFELY / NHS England output checking: redact counts of 7 or fewer, then round every count to the nearest 5.
OPENSAFELY_REDACT_AT_OR_BELOW = 7
#: ONS rounding of published counts: base 5.
ONS_ROUNDING_BASE = 5
#: Dominance rules in the form Hundepool et al., *Statistical Disclosure Control* (Wiley, 2012) §4.2, present them.
HUNDEPOOL_NK = (2, 85.0)
HUNDEPOOL_P_PERCENT = 10.0
#: Protection interval: 30% of the cell value, never less than 3 (our choice, recorded in ADR 0030).
DEFAULT_PROTECTION_FRACTION = 0.30
DEFAULT_PROTECTION_ABSOLUTE = 3.0
#: A dimension with more categories than this is refused: such a table is a list of individuals, not a statistic.
MAX_CATEGORIES = 500
#: A table with more cells than this is refused (the suppression model grows with it).
MAX_CELLS = 50_000

Rounding = Literal["none", "base", "redact_then_round"]
Cost = Literal["value", "cells"]


class DisclosureError(ValueError):
    """Bad input to the engine: names the field at fault and, where there is one, the protocol clause."""

    def __init__(self, message: str, field: str | None = None, clause: str | None = "§15"):
        self.message, self.field, self.clause = message, field, clause
        super().__init__(message)


class PolicyError(DisclosureError):
    """A release policy that contradicts itself or holds an impossible value."""


@dataclass(frozen=True)
class ReleasePolicy:
    """How a table release is protected (§15).

    - ``threshold``: a count cell (or, for magnitudes, the number of contributors) below it is a primary cell.
    - ``zeros_disclosive``: whether an empty cell is itself disclosive (e.g. "no child was referred from X").
    - ``dominance_nk``: (n, k) — unsafe when the n largest contributions exceed k% of the cell total; None for off.
    - ``p_percent``: unsafe when the others' total is less than p% of the largest (the second largest contributor
      could estimate the largest within p%); None for off.
    - ``rounding``: "none"; "base" (every published count to the nearest ``rounding_base``); or
      "redact_then_round" (counts of ``redact_at_or_below`` or fewer suppressed, the rest rounded).
    - ``protection_fraction`` / ``protection_absolute``: each primary cell's required interval width, the larger
      of the fraction of its value and the absolute figure.
    - ``cost``: what secondary suppression minimises — the suppressed "value" (Tau-Argus's default) or "cells".
    """

    threshold: int = ONS_ACRO_THRESHOLD
    zeros_disclosive: bool = False
    dominance_nk: tuple[int, float] | None = HUNDEPOOL_NK
    p_percent: float | None = HUNDEPOOL_P_PERCENT
    rounding: Rounding = "none"
    rounding_base: int = ONS_ROUNDING_BASE
    redact_at_or_below: int = OPENSAFELY_REDACT_AT_OR_BELOW
    protection_fraction: float = DEFAULT_PROTECTION_FRACTION
    protection_absolute: float = DEFAULT_PROTECTION_ABSOLUTE
    cost: Cost = "value"
    max_categories: int = MAX_CATEGORIES
    time_budget_seconds: float = 30.0
    sources: dict = field(default_factory=lambda: {
        "threshold": "ONS / ACRO output checking (10)",
        "rounding": "ONS base 5; OpenSAFELY redact 7 or fewer then round to 5",
        "dominance": "Hundepool et al. 2012 §4.2 ((2, 85) and p = 10%)",
    }, compare=False, hash=False, repr=False)

    def __post_init__(self):
        problems = list(self._problems())
        if problems:
            raise PolicyError("; ".join(m for m, _ in problems), field=problems[0][1])

    @classmethod
    def opensafely(cls, **changes) -> ReleasePolicy:
        """Redact 7 or fewer, then round to 5 — the threshold is then 8, so that the two rules agree."""
        changes.setdefault("redact_at_or_below", OPENSAFELY_REDACT_AT_OR_BELOW)
        changes.setdefault("threshold", changes["redact_at_or_below"] + 1)
        return cls(rounding="redact_then_round", **changes)

    def with_changes(self, **changes) -> ReleasePolicy:
        return replace(self, **changes)

    def _problems(self):
        def whole(name, value, low):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                yield f"{name} must be a whole number of at least {low} (it is {value!r})", name

        yield from whole("threshold", self.threshold, 1)
        yield from whole("rounding_base", self.rounding_base, 2)
        yield from whole("redact_at_or_below", self.redact_at_or_below, 0)
        yield from whole("max_categories", self.max_categories, 1)
        if self.rounding not in ("none", "base", "redact_then_round"):
            yield f"rounding must be none, base or redact_then_round (it is {self.rounding!r})", "rounding"
        if self.cost not in ("value", "cells"):
            yield f"cost must be value or cells (it is {self.cost!r})", "cost"
        if self.dominance_nk is not None:
            try:
                n, k = self.dominance_nk
            except (TypeError, ValueError):
                yield "dominance_nk must be a pair (n, k)", "dominance_nk"
            else:
                if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                    yield f"dominance n must be a whole number of at least 1 (it is {n!r})", "dominance_nk"
                if not isinstance(k, int | float) or not 0 < k < 100:
                    yield f"dominance k must be a percentage above 0 and below 100 (it is {k!r})", "dominance_nk"
        if self.p_percent is not None and (not isinstance(self.p_percent, int | float) or not 0 < self.p_percent < 100):
            yield f"p_percent must be above 0 and below 100 (it is {self.p_percent!r})", "p_percent"
        if not isinstance(self.protection_fraction, int | float) or not 0 <= self.protection_fraction <= 1:
            yield f"protection_fraction must be between 0 and 1 (it is {self.protection_fraction!r})", "protection_fraction"
        if not isinstance(self.protection_absolute, int | float) or self.protection_absolute < 0:
            yield f"protection_absolute must not be negative (it is {self.protection_absolute!r})", "protection_absolute"
        elif self.protection_fraction == 0 and self.protection_absolute == 0:
            yield ("protection_fraction and protection_absolute are both 0: a suppressed cell could then be "
                   "recovered exactly from the totals, which is no protection"), "protection_absolute"
        if not isinstance(self.time_budget_seconds, int | float) or self.time_budget_seconds <= 0:
            yield "time_budget_seconds must be positive", "time_budget_seconds"
        # Contradictions between rules, each named.
        if self.rounding == "redact_then_round" and self.threshold != self.redact_at_or_below + 1:
            yield (f"the policy both suppresses counts below {self.threshold} (threshold) and publishes rounded "
                   f"counts above {self.redact_at_or_below} (redact_then_round): choose one, or use "
                   f"ReleasePolicy.opensafely()"), "threshold"
        if self.rounding == "none" and self.rounding_base != ONS_ROUNDING_BASE:
            yield (f"rounding_base is {self.rounding_base} but rounding is none: set rounding to base, "
                   "or leave the base alone"), "rounding_base"
        if self.rounding != "none" and self.rounding_base > self.threshold:
            yield (f"rounding to base {self.rounding_base} is coarser than the threshold {self.threshold}: a "
                   "published count of 0 could hide a cell at or above the threshold, and the threshold "
                   "would mean nothing"), "rounding_base"

    def required_protection(self, value: float) -> float:
        """The interval width a primary cell of this value needs (policy part; dominance may ask for more)."""
        return max(self.protection_absolute, self.protection_fraction * abs(value))
