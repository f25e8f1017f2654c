"""The Data Protection Act 2018's own rules, as data (dataprotection.legislation): which Part of Schedule 1 a
paragraph is in, which Article 9 conditions need one (s10(2)-(3)), and which need a policy document (Sch 1 Part 4)."""

import pytest

from dataprotection import legislation
from dataprotection.legislation import Article9Condition, Schedule1Condition


@pytest.mark.parametrize(("paragraph", "part"), [("1", 1), ("4", 1), ("6", 2), ("18", 2), ("28", 2), ("29", 3),
                                                 ("37", 3)])
def test_each_paragraph_is_in_its_part(paragraph, part):
    assert legislation.schedule1_part(paragraph) == part


def test_the_schedule_has_no_paragraph_5_or_38_as_a_condition():
    assert {"5", "38", "39"}.isdisjoint(Schedule1Condition.values)  # para 5 and Part 4 are rules, not conditions


def test_the_article9_conditions_needing_schedule1_are_b_g_h_i_j():
    needing = set(legislation.ARTICLE9_NEEDS_SCHEDULE1_PART)
    assert needing == {"b", "g", "h", "i", "j"}
    assert legislation.ARTICLE9_NEEDS_SCHEDULE1_PART[Article9Condition.SUBSTANTIAL_PUBLIC_INTEREST] == 2
    assert set(legislation.ARTICLE9_PART1_PARAGRAPH.values()) == {"1", "2", "3", "4"}


@pytest.mark.parametrize(("paragraph", "needed"), [("1", True), ("2", False), ("4", False), ("6", True),
                                                   ("18", True), ("29", False), ("36", True), ("", False)])
def test_a_policy_document_is_needed_for_para_1_part_2_and_para_36(paragraph, needed):
    assert legislation.needs_policy_document(paragraph) is needed
