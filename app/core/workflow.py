"""The assessment workflow as a small state machine with role guards.

    draft ──submit──▶ submitted ──request_changes──▶ changes_requested ──submit──▶ submitted
                          │                                                           │
                          └──────────────────────accept──────────────▶ accepted ◀─────┘
    accepted ──reopen──▶ draft (a new version; the accepted snapshot stays readable)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import N_, CoreError


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    FOCAL_POINT = "focal_point"
    CONTRIBUTOR = "contributor"
    MINISTRY = "ministry"


class Action(StrEnum):
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    ACCEPT = "accept"
    REOPEN = "reopen"


@dataclass(frozen=True, slots=True)
class Transition:
    action: Action
    source: frozenset[State]
    target: State
    roles: frozenset[Role]


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(Action.SUBMIT, frozenset({State.DRAFT, State.CHANGES_REQUESTED}),
                   State.SUBMITTED, frozenset({Role.FOCAL_POINT})),
        Transition(Action.REQUEST_CHANGES, frozenset({State.SUBMITTED}),
                   State.CHANGES_REQUESTED, frozenset({Role.SECRETARIAT})),
        Transition(Action.ACCEPT, frozenset({State.SUBMITTED}), State.ACCEPTED,
                   frozenset({Role.SECRETARIAT})),
        Transition(Action.REOPEN, frozenset({State.ACCEPTED}), State.DRAFT,
                   frozenset({Role.SECRETARIAT})),
    )
}

EDITABLE_STATES = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
# Review outcomes after which the country may read the secretariat's comments; while
# a review is in progress they are the secretariat's working notes.
DECIDED_STATES = frozenset({State.CHANGES_REQUESTED, State.ACCEPTED})
EDITOR_ROLES = frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR})


class TransitionError(CoreError):
    """The action is not allowed now or not for this role; `message` says why."""


def next_state(state: State, action: Action, role: Role) -> State:
    transition = TRANSITIONS[action]
    if role not in transition.roles:
        raise TransitionError(N_("your role may not do this (%(action)s)"), action=action.value)
    if state not in transition.source:
        raise TransitionError(N_("not possible while the assessment is %(state)s"),
                              state=state.value)
    return transition.target


def allowed_actions(state: State, role: Role) -> list[Action]:
    return [a for a, t in TRANSITIONS.items() if state in t.source and role in t.roles]


def can_edit(state: State, role: Role) -> bool:
    return state in EDITABLE_STATES and role in EDITOR_ROLES
