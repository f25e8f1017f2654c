"""Research projects and processing holds (issue 11): a project's scope checked against the holds in force
(holds.coverage), and projects declared to the holds app as work a hold can block (register_subject), so that a
hold's page lists the projects it blocks and tells their people when it is placed, reviewed, overdue or lifted."""

from __future__ import annotations

from dataclasses import dataclass, field

from holds import coverage
from protocols.scope import Purpose

NO_PERSONAL_DATA = "none"


@dataclass(frozen=True)
class ProjectVerdict:
    """The project's answer: blocked or not, the holds in force over any part of its scope, and why."""

    blocked: bool
    holds: list = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "blocked by hold" if self.blocked else "not blocked"

    @property
    def reason(self) -> str:
        """The first reason (one per source and category would repeat the same hold's words)."""
        return self.reasons[0] if self.reasons else ""


def scope_of(project) -> list[tuple[str, str, str]]:
    """Each (data source, purpose, category) the project draws on: every source with every category."""
    categories = list(project.personal_data_categories or []) or [NO_PERSONAL_DATA]
    purpose = project.purpose or Purpose.RESEARCH
    return [(source, purpose, category) for source in (project.data_sources or []) for category in categories]


def verdict(project, cache: dict | None = None) -> ProjectVerdict:
    """`cache`: a dict shared across the projects of one page or answer, so that each distinct scope is asked of
    the holds once however many projects share it (a list's queries do not grow with its projects)."""
    cache = {} if cache is None else cache
    holds, blocked_reasons, free_reasons = {}, [], []
    for source, purpose, category in scope_of(project):
        key = (source, purpose, category)
        if key not in cache:
            cache[key] = coverage.verdict(data_source=source, purpose=purpose, category=category)
        answer = cache[key]
        if answer.blocked:
            for hold in answer.holds:
                holds.setdefault(hold.pk, hold)
            blocked_reasons.append(answer.reason)
        else:
            free_reasons.append(answer.reason)
    if holds:
        return ProjectVerdict(True, [holds[pk] for pk in sorted(holds)], blocked_reasons)
    return ProjectVerdict(False, [], free_reasons or ["The project names no data source."])


def _blocked_by(hold, viewer):
    from research.cases import PROJECTS
    from research.states import OPEN_STATES

    projects = PROJECTS.visible(viewer) if viewer is not None else PROJECTS.model.objects.all()
    found = projects.filter(state__in=OPEN_STATES).prefetch_related("suppliers").order_by("pk")
    return [project for project in found if any(hold.covers(data_source=s, purpose=p, category=c)
                                                for s, p, c in scope_of(project))]


def people_of(project) -> list:
    """Who hears of a hold over a project: its principal investigator and the person who proposed it."""
    return list({person.pk: person for person in (project.principal_investigator, project.proposed_by)}.values())


def on_hold_placed(hold) -> None:
    """A hold just placed suspends the projects under review or approved that it covers; holds.services runs this
    once the placing is committed (each suspension its own transaction, timeline entry and audit event, in the
    placer's name)."""
    from research import services

    services.apply_holds(by=hold.placed_by)


def register() -> None:
    from research.cases import PROJECTS

    coverage.register_subject("research_project", label="Research project", blocked_by=_blocked_by,
                              people=people_of, reference=lambda project: f"{project.reference}: {project.title}",
                              link=PROJECTS.link, on_placed=on_hold_placed)
