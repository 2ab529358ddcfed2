"""Translated names for states, actions and breakdown categories, for every template,
and the core's error messages in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ...core.errors import CoreError
from ...core.model import Question
from ...core.workflow import Action, State
from ...i18n import lang

STATE_LABELS = {
    State.DRAFT: _l("Draft"),
    State.SUBMITTED: _l("Submitted"),
    State.CHANGES_REQUESTED: _l("Changes requested"),
    State.ACCEPTED: _l("Accepted"),
}
ACTION_LABELS = {
    Action.SUBMIT: _l("Submit"),
    Action.REQUEST_CHANGES: _l("Request changes"),
    Action.ACCEPT: _l("Accept"),
    Action.REOPEN: _l("Reopen as a new version"),
}
CATEGORY_LABELS = {
    "female": _l("Female"), "male": _l("Male"), "other": _l("Other"),
    "adult": _l("Adults"), "child": _l("Children"),
    "sexual_exploitation": _l("Sexual exploitation"), "forced_labour": _l("Forced labour"),
    "organ_removal": _l("Removal of organs"), "begging": _l("Forced begging"),
    "forced_criminality": _l("Forced criminality"), "illegal_adoption": _l("Illegal adoption"),
    "forced_marriage": _l("Forced marriage"),
}

def category_label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category.replace("_", " ")))


DIMENSION_LABELS = {"sex": _l("sex"), "age": _l("age"), "exploitation": _l("form of exploitation")}


def translated(error: CoreError, question: Question | None = None) -> str:
    """The core error's message in the reader's language, the names it quotes too."""
    params: dict[str, Any] = dict(error.params)
    if "state" in params and params["state"] in set(State):
        params["state"] = STATE_LABELS[State(params["state"])]
    if "action" in params and params["action"] in set(Action):
        params["action"] = ACTION_LABELS[Action(params["action"])]
    if "dimension" in params:
        params["dimension"] = DIMENSION_LABELS.get(params["dimension"], params["dimension"])
    if "category" in params:
        params["category"] = category_label(params["category"])
    if "metric" in params and question is not None:
        metric = next((m for m in question.metrics if m.id == params["metric"]), None)
        params["metric"] = metric.label.get(lang()) if metric else params["metric"]
    return _(error.msgid, **params)


def progress_bar(percent: float | None) -> Markup:
    """A native progress element (no inline style, which the CSP forbids); the
    percentage is written beside it, so the bar itself is hidden from screen readers."""
    value = 0 if percent is None else max(0, min(100, round(percent)))
    return Markup('<progress max="100" value="%d" aria-hidden="true"></progress>') % value


def template_helpers() -> dict:
    return {
        "status_label": lambda state: STATE_LABELS.get(State(state), str(state)),
        "action_label": lambda action: ACTION_LABELS.get(Action(action), str(action)),
        "category_label": category_label,
        "progress_bar": progress_bar,
    }
