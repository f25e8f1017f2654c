"""The choices the legislation gives, as the ICO's data sharing code (Annex B, the data sharing checklist) asks
for them: the UK GDPR Article 6(1) lawful bases, the Article 9(2) conditions for special category data, the Article
10 authority for criminal offence data, and the Data Protection Act 2018 Schedule 1 conditions (s10).

Which Article 9 conditions need a Schedule 1 condition, from which Part, and which Schedule 1 conditions need an
appropriate policy document, are the Act's own rules (s10(2)-(5); Sch 1 paras 1, 5, 36, 38-39): they are written
here once, as data, and applied in dataprotection.rules.
"""

from __future__ import annotations

from django.db import models


class Article6Basis(models.TextChoices):
    """UK GDPR Article 6(1)."""

    CONSENT = "a", "(a) Consent"
    CONTRACT = "b", "(b) Contract"
    LEGAL_OBLIGATION = "c", "(c) Legal obligation"
    VITAL_INTERESTS = "d", "(d) Vital interests"
    PUBLIC_TASK = "e", "(e) Public task: a task in the public interest or in the exercise of official authority"
    LEGITIMATE_INTERESTS = "f", "(f) Legitimate interests (not for a public authority performing its tasks)"


class Article9Condition(models.TextChoices):
    """UK GDPR Article 9(2), for special category data."""

    EXPLICIT_CONSENT = "a", "(a) Explicit consent"
    EMPLOYMENT = "b", "(b) Employment, social security and social protection law"
    VITAL_INTERESTS = "c", "(c) Vital interests"
    NOT_FOR_PROFIT = "d", "(d) Not-for-profit bodies"
    MADE_PUBLIC = "e", "(e) Made manifestly public by the data subject"
    LEGAL_CLAIMS = "f", "(f) Legal claims or judicial acts"
    SUBSTANTIAL_PUBLIC_INTEREST = "g", "(g) Reasons of substantial public interest (with a basis in law)"
    HEALTH_SOCIAL_CARE = "h", "(h) Health or social care"
    PUBLIC_HEALTH = "i", "(i) Public health"
    ARCHIVING_RESEARCH = "j", "(j) Archiving, research and statistics (with a basis in law)"


class Article10Authority(models.TextChoices):
    """UK GDPR Article 10: criminal offence data is processed only under the control of official authority or
    when authorised by domestic law (DPA 2018 s10(5): a condition in Schedule 1, Part 1, 2 or 3)."""

    OFFICIAL_AUTHORITY = "official_authority", "Under the control of official authority"
    AUTHORISED_BY_LAW = "authorised_by_law", "Authorised by domestic law (DPA 2018 s10(5) and a Schedule 1 condition)"


class Schedule1Condition(models.TextChoices):
    """Data Protection Act 2018, Schedule 1: Part 1 (paras 1-4), Part 2 substantial public interest (paras 6-28),
    Part 3 criminal offence data only (paras 29-37)."""

    P1_EMPLOYMENT = "1", "Part 1 para 1: Employment, social security and social protection"
    P1_HEALTH = "2", "Part 1 para 2: Health or social care purposes"
    P1_PUBLIC_HEALTH = "3", "Part 1 para 3: Public health"
    P1_RESEARCH = "4", "Part 1 para 4: Research etc"
    P2_STATUTORY = "6", "Part 2 para 6: Statutory and government purposes"
    P2_JUSTICE = "7", "Part 2 para 7: Administration of justice and parliamentary purposes"
    P2_EQUALITY = "8", "Part 2 para 8: Equality of opportunity or treatment"
    P2_DIVERSITY = "9", "Part 2 para 9: Racial and ethnic diversity at senior levels of organisations"
    P2_UNLAWFUL_ACTS = "10", "Part 2 para 10: Preventing or detecting unlawful acts"
    P2_PROTECTING_PUBLIC = "11", "Part 2 para 11: Protecting the public"
    P2_REGULATORY = "12", "Part 2 para 12: Regulatory requirements"
    P2_JOURNALISM = "13", "Part 2 para 13: Journalism etc in connection with unlawful acts"
    P2_FRAUD = "14", "Part 2 para 14: Preventing fraud"
    P2_TERRORIST_FINANCING = "15", "Part 2 para 15: Suspicion of terrorist financing or money laundering"
    P2_SUPPORT = "16", "Part 2 para 16: Support for individuals with a particular disability or medical condition"
    P2_COUNSELLING = "17", "Part 2 para 17: Counselling etc"
    P2_SAFEGUARDING = "18", "Part 2 para 18: Safeguarding of children and of individuals at risk"
    P2_ECONOMIC_WELLBEING = "19", "Part 2 para 19: Safeguarding of economic well-being of certain individuals"
    P2_INSURANCE = "20", "Part 2 para 20: Insurance"
    P2_PENSIONS = "21", "Part 2 para 21: Occupational pensions"
    P2_POLITICAL = "22", "Part 2 para 22: Political parties"
    P2_ELECTED_REPS = "23", "Part 2 para 23: Elected representatives responding to requests"
    P2_DISCLOSURE_ELECTED = "24", "Part 2 para 24: Disclosure to elected representatives"
    P2_PRISONERS = "25", "Part 2 para 25: Informing elected representatives about prisoners"
    P2_JUDGMENTS = "26", "Part 2 para 26: Publication of legal judgments"
    P2_ANTI_DOPING = "27", "Part 2 para 27: Anti-doping in sport"
    P2_SPORT = "28", "Part 2 para 28: Standards of behaviour in sport"
    P3_CONSENT = "29", "Part 3 para 29: Consent"
    P3_VITAL = "30", "Part 3 para 30: Protecting individual's vital interests"
    P3_NOT_FOR_PROFIT = "31", "Part 3 para 31: Processing by not-for-profit bodies"
    P3_MADE_PUBLIC = "32", "Part 3 para 32: Personal data in the public domain"
    P3_LEGAL_CLAIMS = "33", "Part 3 para 33: Legal claims"
    P3_JUDICIAL = "34", "Part 3 para 34: Judicial acts"
    P3_INDECENCY = "35", "Part 3 para 35: Administration of accounts used in commission of indecency offences"
    P3_EXTENDED_PART2 = "36", "Part 3 para 36: Extension of conditions in Part 2 referring to substantial public interest"
    P3_EXTENDED_INSURANCE = "37", "Part 3 para 37: Extension of insurance conditions"


def schedule1_part(condition: str) -> int:
    number = int(condition)
    return 1 if number <= 4 else 2 if number <= 28 else 3


# DPA 2018 s10(2)-(3): the Article 9(2) conditions that are met only with a Schedule 1 condition, and its Part.
ARTICLE9_NEEDS_SCHEDULE1_PART = {
    Article9Condition.EMPLOYMENT: 1, Article9Condition.HEALTH_SOCIAL_CARE: 1, Article9Condition.PUBLIC_HEALTH: 1,
    Article9Condition.ARCHIVING_RESEARCH: 1, Article9Condition.SUBSTANTIAL_PUBLIC_INTEREST: 2,
}
# Part 1 para 1 paired with Art 9(2)(b), para 2 with (h), para 3 with (i), para 4 with (j) (s10(2)).
ARTICLE9_PART1_PARAGRAPH = {
    Article9Condition.EMPLOYMENT: "1", Article9Condition.HEALTH_SOCIAL_CARE: "2", Article9Condition.PUBLIC_HEALTH: "3",
    Article9Condition.ARCHIVING_RESEARCH: "4",
}


def needs_policy_document(condition: str) -> bool:
    """Sch 1 para 1(1)(b) (employment), para 5 (every Part 2 condition) and para 36 (Part 2 extended to criminal
    offence data): the controller must have an appropriate policy document (Part 4, paras 38-39)."""
    return bool(condition) and (condition == "1" or schedule1_part(condition) == 2 or condition == "36")
