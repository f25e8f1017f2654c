"""A three-state toy case type in a few lines: the machine, who may act, and nothing else."""

from django.db.models import Q

from accounts.roles import Role
from tests.toy.models import Toy, ToyEvent
from workflow.cases import CaseType
from workflow.machine import NOBODY, Machine, Transition


class ToyCaseType(CaseType):
    kind, label, model, timeline, timeline_case_field = "toy", "Toy", Toy, ToyEvent, "toy"
    machine = Machine(name="toy", initial="open", owners={"open": "maker", "checked": "checker", "done": NOBODY},
                      transitions={"check": Transition({"open"}, "checked"), "finish": Transition({"checked"}, "done")})
    diagram_path = "tests/toy/lifecycle.md"
    audited_fields = ("state", "maker")

    def can_view(self, user, case):
        return user.is_active

    def visible(self, user):
        return Toy.objects.all() if user.is_active else Toy.objects.none()

    def who_may(self, action, case):
        if action == "check":
            return (lambda user, toy: user.pk == toy.maker_id), "its maker"
        return (lambda user, toy: user.has_role(Role.AUDITOR)), "an auditor"

    def waiting_on(self, user):
        return Q(state="open", maker=user) | (Q(state="checked") if user.has_role(Role.AUDITOR) else Q(pk__in=[]))


TOYS = ToyCaseType()
