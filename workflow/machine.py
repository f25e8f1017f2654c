"""A case type's lifecycle as data: its states, who owns each, and its transition table. No Django here.

A case type declares one `Machine`; everything else (permissions, "my work", the diagram in docs/,
the tests every case type gets for free) reads it. For example, a three-state toy:

    TOY = Machine(
        name="toy", initial="open", owners={"open": "maker", "checked": "checker", "done": NOBODY},
        transitions={"check": Transition({"open"}, "checked"), "finish": Transition({"checked"}, "done")},
    )

`problems()` names an unowned state, an unreachable state or a transition to an unknown state;
`diagram()` draws the table as a Mermaid state diagram.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

NOBODY = "nobody"  # the owner of a finished state


def _key(value) -> str:
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class Transition:
    """An action: the states it may be taken from, and the state it leads to. `target` is None when the
    action records something and the case stays where it is, or a tuple when the action chooses one of
    several (a decision: agreed, agreed in part or declined)."""

    sources: frozenset[str]
    targets: tuple[str, ...] = ()
    # False for side actions the people involved may take (withdraw, reassign): they do not make a case
    # anyone's work.
    by_owner: bool = True

    def __init__(self, sources: Iterable, target=None, by_owner: bool = True):
        if target is None:
            targets = ()
        elif isinstance(target, str | bytes) or hasattr(target, "value"):
            targets = (_key(target),)
        else:
            targets = tuple(_key(t) for t in target)
        object.__setattr__(self, "sources", frozenset(_key(s) for s in sources))
        object.__setattr__(self, "targets", targets)
        object.__setattr__(self, "by_owner", by_owner)

    def lands_on(self, current: str) -> tuple[str, ...]:
        return self.targets or (current,)


@dataclass(frozen=True)
class Machine:
    name: str
    initial: str
    owners: Mapping[str, str]
    transitions: Mapping[str, Transition]
    finals: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self):
        object.__setattr__(self, "initial", _key(self.initial))
        object.__setattr__(self, "owners", {_key(s): _key(o) for s, o in self.owners.items()})
        object.__setattr__(self, "transitions", {_key(a): t for a, t in self.transitions.items()})
        finals = self.finals or {s for s, owner in self.owners.items() if owner == NOBODY}
        object.__setattr__(self, "finals", frozenset(_key(s) for s in finals))

    @property
    def states(self) -> list[str]:
        """Every state, in declaration order of the owners table."""
        return list(self.owners)

    def target(self, action, current, chosen=None) -> str:
        """Where the action leads from `current`; an action with several targets needs `chosen`."""
        options = self.transitions[_key(action)].lands_on(_key(current))
        if chosen is None and len(options) == 1:
            return options[0]
        if chosen is not None and _key(chosen) in options:
            return _key(chosen)
        raise ValueError(f"{_key(action)} leads to one of {', '.join(options)}, not {chosen!r}")

    def allows(self, action, state) -> bool:
        transition = self.transitions.get(_key(action))
        return transition is not None and _key(state) in transition.sources

    def actions_from(self, state) -> list[str]:
        return [action for action, t in self.transitions.items() if _key(state) in t.sources]

    def owner_of(self, state) -> str:
        return self.owners[_key(state)]

    def states_owned_by(self, owner) -> list[str]:
        return [state for state, state_owner in self.owners.items() if state_owner == _key(owner)]

    @property
    def open_states(self) -> list[str]:
        return [state for state in self.owners if state not in self.finals]

    def reachable(self) -> set[str]:
        seen, frontier = {self.initial}, [self.initial]
        while frontier:
            state = frontier.pop()
            for action in self.actions_from(state):
                for nxt in self.transitions[action].lands_on(state):
                    if nxt not in seen:
                        seen.add(nxt)
                        frontier.append(nxt)
        return seen

    def problems(self) -> list[str]:
        """What makes the machine unsound: every case type's tests assert this is empty."""
        known = set(self.owners)
        found = []
        mentioned = {self.initial} | set(self.finals)
        for t in self.transitions.values():
            mentioned |= t.sources | set(t.targets)
        found += [f"state '{s}' has no owner" for s in sorted(mentioned - known)]
        found += [f"state '{s}' has no owner" for s, owner in self.owners.items() if not owner]
        found += [f"state '{s}' cannot be reached from '{self.initial}'" for s in self.states
                  if s not in self.reachable()]
        found += [f"finished state '{s}' has a way out ({', '.join(self.actions_from(s))})"
                  for s in sorted(self.finals) if self._moves_on(s)]
        found += [f"open state '{s}' has no way on" for s in self.open_states if not self._moves_on(s)]
        return found

    def _moves_on(self, state: str) -> bool:
        return any(nxt != state for a in self.actions_from(state) for nxt in self.transitions[a].lands_on(state))

    def diagram(self) -> str:
        """The transition table as a Mermaid state diagram, for the docs."""
        order = {state: index for index, state in enumerate(self.owners)}
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for action, t in self.transitions.items():
            for source in sorted(t.sources, key=lambda s: order.get(s, len(order))):
                lines += [f"    {source} --> {target}: {action}" for target in t.lands_on(source)]
        lines += [f"    {final} --> [*]" for final in sorted(self.finals, key=lambda s: order.get(s, len(order)))]
        return "\n".join(lines) + "\n"
