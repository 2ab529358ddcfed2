"""Secretariat review (list, review page, comments, decisions, audit trail),
accepted and submitted snapshots, and the ministry readers' view."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...access import Need, assessment_for, role_required
from ...core.scoring import score
from ...core.workflow import Action, Role, State, TransitionError, allowed_actions
from ...extensions import db
from ...i18n import lang
from ...models import Submission
from ...services import assessments as service
from ..fill.display import display_value
from ..fill.labels import translated

bp = Blueprint("review", __name__)

MAX_COMMENT = 5000
DECISIONS = {
    Action.REQUEST_CHANGES: service.request_changes,
    Action.ACCEPT: service.accept,
    Action.REOPEN: service.reopen,
}


def _int_arg(name: str, default: int | None = None) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return default


@bp.get("/review")
@role_required(Role.SECRETARIAT, Role.ADMIN)
def index():
    cycle_id = _int_arg("cycle")
    status = request.args.get("status") or None
    region = request.args.get("region") or None
    page = max(_int_arg("page", 1) or 1, 1)
    pagination = service.review_page(cycle_id, status, region, page)
    cycles, regions = service.filter_choices()
    return render_template("review/index.html", pagination=pagination, cycles=cycles,
                           regions=regions, states=list(State), cycle_id=cycle_id,
                           status=status, region=region, lang=lang())


@bp.get("/review/<int:assessment_id>")
@role_required(Role.SECRETARIAT, Role.ADMIN)
def assessment(assessment_id: int):
    item = assessment_for(assessment_id, Need.READ)
    questionnaire = service.questionnaire_of(item)
    rows = service.answer_rows(item)
    values = service.values_of(rows)
    result = score(questionnaire, values)
    countries = dict(service.country_names(lang()))
    return render_template(
        "review/assessment.html", assessment=item, questionnaire=questionnaire, rows=rows,
        result=result, comments=service.comments_for(item, undecided=True),
        submissions=service.submissions_of(item), lang=lang(),
        actions=allowed_actions(item.status, current_user.role),
        display=lambda q, v: display_value(q, v, lang(), countries),
        value_of=lambda qid: rows[qid].value if qid in rows else None,
        explanation_of=lambda qid: rows[qid].explanation if qid in rows else "",
        may_comment=current_user.role is Role.SECRETARIAT,
    )


@bp.post("/review/<int:assessment_id>/comments")
@role_required(Role.SECRETARIAT)
def comment(assessment_id: int):
    item = assessment_for(assessment_id, Need.REVIEW)
    body = (request.form.get("body") or "").strip()
    question_id = request.form.get("question_id") or None
    questionnaire = service.questionnaire_of(item)
    if question_id and not questionnaire.has_question(question_id):
        abort(400)
    anchor = f"q-{question_id}" if question_id else "overall"
    if not body:
        flash(_("Write a comment before adding it."), "error")
    elif len(body) > MAX_COMMENT:
        flash(_("A comment is limited to %(n)d characters.", n=MAX_COMMENT), "error")
    else:
        service.add_comment(item, current_user, body, question_id)
        db.session.commit()
        flash(_("Comment added."), "success")
    return redirect(url_for("review.assessment", assessment_id=item.id) + f"#{anchor}")


@bp.post("/review/<int:assessment_id>/decision")
@role_required(Role.SECRETARIAT)
def decide(assessment_id: int):
    item = assessment_for(assessment_id, Need.REVIEW)
    try:
        action = Action(request.form.get("action", ""))
        DECISIONS[action](item, current_user)
    except (ValueError, KeyError):
        abort(400)
    except TransitionError as exc:
        db.session.rollback()
        flash(_("Not possible now: %(why)s", why=translated(exc)), "error")
        return redirect(url_for("review.assessment", assessment_id=item.id))
    db.session.commit()
    messages = {
        Action.REQUEST_CHANGES: _("Changes requested; the country can now edit and resubmit."),
        Action.ACCEPT: _("Assessment accepted."),
        Action.REOPEN: _("Reopened as version %(v)d; the accepted submission stays readable.",
                         v=item.version),
    }
    flash(messages[action], "success")
    return redirect(url_for("review.assessment", assessment_id=item.id))


@bp.get("/review/<int:assessment_id>/audit")
@role_required(Role.SECRETARIAT, Role.ADMIN)
def audit(assessment_id: int):
    item = assessment_for(assessment_id, Need.READ)
    page = max(_int_arg("page", 1) or 1, 1)
    return render_template("review/audit.html", assessment=item,
                           pagination=service.audit_page(item, page), lang=lang())


@bp.get("/assessments/<int:assessment_id>/submissions/<int:number>")
@login_required
def submission(assessment_id: int, number: int):
    """A frozen snapshot, readable at its own URL after reopening."""
    item = assessment_for(assessment_id, Need.READ)
    snapshot = service.submission(item, number)
    if snapshot is None or not _snapshot_readable(snapshot):
        abort(404)
    questionnaire = service.questionnaire_of(item)
    values = {qid: a.get("value") for qid, a in snapshot.answers.items()}
    countries = dict(service.country_names(lang()))
    return render_template(
        "review/submission.html", assessment=item, snapshot=snapshot,
        questionnaire=questionnaire, result=score(questionnaire, values), lang=lang(),
        display=lambda q, v: display_value(q, v, lang(), countries),
        value_of=values.get,
        explanation_of=lambda qid: snapshot.answers.get(qid, {}).get("explanation", ""),
    )


def _snapshot_readable(snapshot: Submission) -> bool:
    """Ministries read what was accepted and what awaits review, not replies sent back."""
    if current_user.role is Role.MINISTRY:
        return snapshot.outcome in {State.SUBMITTED, State.ACCEPTED}
    return True


@bp.get("/ministry")
@role_required(Role.MINISTRY)
def ministry():
    items = service.country_assessments(current_user.country_code)
    readable = service.ministry_snapshots([a.id for a in items])
    return render_template("ministry/index.html", items=items, readable=readable, lang=lang())
