from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research projects, the contract mechanism and survivors' consent (issue 11)"

    def ready(self):
        from approvals import subjects
        from research import cases, holds_link
        from workflow.registry import register

        register(cases.PROJECTS)
        holds_link.register()
        # The contract mechanism's reviews are approvals of a project (ADR 10): approvals asks research, through
        # this policy, who sees a review and where it is decided.
        subjects.register(subjects.SubjectPolicy(
            field="research_project", reference=lambda project: project.reference, link=cases.PROJECTS.link,
            title=lambda project: project.title, visible=cases.visible_projects, can_view=cases.can_view,
            audit_organisation=lambda project: project.department_id))
