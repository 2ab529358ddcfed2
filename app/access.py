"""Who may see or change what: one place for role and country checks.

Every view that touches an assessment gets it through `assessment_for`, so a
forgotten check cannot leak another country's reply.
"""

from __future__ import annotations

from enum import StrEnum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .core.workflow import EDITABLE_STATES, Role, State
from .extensions import db
from .models import Assessment, User


class Need(StrEnum):
    READ = "read"  # see answers, scores and reports
    EDIT = "edit"  # change answers (focal point, contributor; editable states only)
    SUBMIT = "submit"  # focal point only
    REVIEW = "review"  # secretariat


COUNTRY_ROLES = frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.MINISTRY})
READABLE_BY_MINISTRY = frozenset({State.SUBMITTED, State.ACCEPTED})


def role_required(*roles: Role):
    """Login plus one of `roles`; 403 otherwise."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may(user: User, assessment: Assessment, need: Need) -> bool:
    role = user.role
    if role in COUNTRY_ROLES and user.country_code != assessment.country_code:
        return False
    if need is Need.READ:
        if role is Role.MINISTRY:
            # Ministries read what the country has sent, not drafts (also earlier
            # accepted snapshots; that check is on the snapshot itself).
            return assessment.status in READABLE_BY_MINISTRY or assessment.version > 1
        return role in {Role.SECRETARIAT, Role.ADMIN, Role.FOCAL_POINT, Role.CONTRIBUTOR}
    if need is Need.EDIT:
        return role in {Role.FOCAL_POINT, Role.CONTRIBUTOR} and assessment.status in EDITABLE_STATES
    if need is Need.SUBMIT:
        return role is Role.FOCAL_POINT
    return role is Role.SECRETARIAT  # Need.REVIEW


def assessment_for(assessment_id: int, need: Need) -> Assessment:
    """The assessment if the current user may `need` it: 404 for other countries'
    (their existence is not disclosed), 403 for a role or state that forbids it."""
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        abort(404)
    user = current_user
    if user.role in COUNTRY_ROLES and user.country_code != assessment.country_code:
        abort(404)
    if not may(user, assessment, need):
        abort(403)
    return assessment


def may_edit_theme(user: User, theme_id: str) -> bool:
    """Contributors may be limited to some themes."""
    return user.role is not Role.CONTRIBUTOR or not user.themes or theme_id in user.themes
