"""Bad input to the extract engine is refused with a clear message naming the field and §15 (issue 12,
"Bad input"): unknown or empty columns, k larger than the data, l larger than a sensitive column's distinct
values, direct identifiers used as quasi-identifiers, a budget that is no share, a hierarchy that is no chain."""

from __future__ import annotations

import polars as pl
import pytest

from disclosure.extracts import ExtractError, ExtractSpec, anonymise
from disclosure.hierarchies import MappingHierarchy

FRAME = pl.DataFrame({
    "nrm_reference": [f"NRM-{i}" for i in range(10)],
    "age": [20, 21, 22, 23, 24, 30, 31, 32, 33, 34],
    "gender": ["Male"] * 5 + ["Female"] * 5,
    "type": ["Labour", "Sexual"] * 5,
    "blank": [None] * 10,
})


@pytest.mark.parametrize("spec,field,words", [
    (ExtractSpec(()), "quasi_identifiers", "at least one quasi-identifier"),
    (ExtractSpec(("height",)), "quasi_identifiers", "no column “height”"),
    (ExtractSpec(("age",), sensitive=("colour",)), "sensitive", "no column “colour”"),
    (ExtractSpec(("age",), direct_identifiers=("",)), "direct_identifiers", "empty"),
    (ExtractSpec(("blank",)), "quasi_identifiers", "“blank” is empty"),
    (ExtractSpec(("age",), sensitive=("blank",)), "sensitive", "“blank” is empty"),
    (ExtractSpec(("age", "age")), "quasi_identifiers", "named twice"),
    (ExtractSpec(("age",), k=11), "k", "larger than the data (10 records)"),
    (ExtractSpec(("age",), k=0), "k", "1 or more"),
    (ExtractSpec(("age",), k=2.5), "k", "whole number"),
    (ExtractSpec(("age",), sensitive=("type",), l=3), "l", "distinct values of “type” (2)"),
    (ExtractSpec(("age",), l=0), "l", "1 or more"),
    (ExtractSpec(("nrm_reference",)), "quasi_identifiers", "direct identifier"),
    (ExtractSpec(("gender",), direct_identifiers=("gender",)), "quasi_identifiers", "direct identifier"),
    (ExtractSpec(("age",), sensitive=("age",)), "sensitive", "both"),
    (ExtractSpec(("age",), max_suppression=1.5), "max_suppression", "from 0 to 1"),
    (ExtractSpec(("age",), max_suppression=float("nan")), "max_suppression", "from 0 to 1"),
    (ExtractSpec(tuple(f"c{i}" for i in range(11))), "quasi_identifiers", "at most 10"),
    (ExtractSpec(("age",), withhold="yes"), "withhold", "true or false"),
])
def test_refused_naming_the_field(spec, field, words):
    with pytest.raises(ExtractError) as refused:
        anonymise(FRAME, spec)
    assert refused.value.field == field
    assert refused.value.clause == "§15"
    assert words in refused.value.message


def test_no_records():
    with pytest.raises(ExtractError, match="no records"):
        anonymise(FRAME.clear(), ExtractSpec(("age",)))


def test_hierarchies_given_are_used():
    together = MappingHierarchy(levels=("value", "one", "two", "*"),
                              maps=({"Male": "Person", "Female": "Person"}, {"Person": "Person"}))
    ok = anonymise(FRAME, ExtractSpec(("gender",), k=6, max_suppression=0, hierarchies={"gender": together}))
    assert ok.levels == {"gender": "one"} and set(ok.data["gender"]) == {"Person"}
    apart = MappingHierarchy(levels=("value", "one", "two", "*"),
                             maps=({"Male": "M", "Female": "F"}, {"M": "X"}))
    assert anonymise(FRAME, ExtractSpec(("gender",), k=2, hierarchies={"gender": apart})).data.height == 10


def test_a_level_splitting_a_group_is_refused():
    from disclosure.hierarchies import Hierarchy

    class Splitting(Hierarchy):
        def _generalise(self, values, level):
            if level == 1:
                return pl.Series(["group"] * len(values))
            return values.cast(pl.String)  # level 2 splits "group" again

    with pytest.raises(ExtractError, match="not a chain") as refused:
        anonymise(FRAME, ExtractSpec(("gender",), k=2, hierarchies={"gender": Splitting(("v", "a", "b", "*"))}))
    assert refused.value.field == "hierarchies"
