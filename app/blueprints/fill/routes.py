"""Filling in: dashboard, section pages, autosave, evidence and submission.

Views stay thin: access through app.access, logic in app.services.assessments,
one commit at the end of the request.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ... import uploads
from ...access import READABLE_BY_MINISTRY, Need, assessment_for, may, may_edit_theme
from ...core.model import QuestionType
from ...core.scoring import visible_questions
from ...core.workflow import Role, TransitionError
from ...demo import demo_command
from ...extensions import db
from ...i18n import lang
from ...models import Evidence, utcnow
from ...services import assessments as service
from .display import display_value
from .forms import FieldContext, initial_data, make_form, validate_answers
from .labels import template_helpers, translated
from .layout import page_text, section_layout

# cli_group=None: the blueprint's commands are top-level, so `flask demo` works.
bp = Blueprint("fill", __name__, cli_group=None)
bp.cli.add_command(demo_command)
bp.app_context_processor(template_helpers)

MAX_AUTOSAVE_FIELDS = 2000


@bp.get("/dashboard")
@login_required
def dashboard():
    role = current_user.role
    if role in {Role.SECRETARIAT, Role.ADMIN}:
        return redirect(url_for("review.index"))
    if role is Role.MINISTRY:
        return redirect(url_for("review.ministry"))
    items = service.country_assessments(current_user.country_code)
    questionnaires = {a.id: service.questionnaire_of(a) for a in items}
    return render_template("fill/dashboard.html", items=items, questionnaires=questionnaires,
                           lang=lang())


@bp.get("/assessments/<int:assessment_id>")
@login_required
def overview(assessment_id: int):
    assessment = _readable(assessment_id)
    questionnaire = service.questionnaire_of(assessment)
    comments = service.comments_for(assessment, undecided=_is_staff())
    return render_template(
        "fill/overview.html", assessment=assessment, questionnaire=questionnaire,
        comments=comments, submissions=service.submissions_of(assessment), lang=lang(),
        may_submit=may(current_user, assessment, Need.SUBMIT),
        may_edit=may(current_user, assessment, Need.EDIT),
    )


def _readable(assessment_id: int):
    """The assessment's live answers: ministries only read what was sent (snapshots)."""
    assessment = assessment_for(assessment_id, Need.READ)
    if current_user.role is Role.MINISTRY and assessment.status not in READABLE_BY_MINISTRY:
        abort(403)
    return assessment


def _context(section, *, for_display: bool = True) -> FieldContext:
    """Country names are read only for a page that lists them; parsing needs none."""
    needs_countries = for_display and any(
        q.type is QuestionType.COUNTRIES for q in section.questions)
    countries = tuple(service.country_names(lang())) if needs_countries else ()
    return FieldContext(lang=lang(), countries=countries)


def _section_or_404(questionnaire, section_id):
    section = questionnaire.section(section_id)
    if section is None:
        abort(404)
    return section


@bp.route("/assessments/<int:assessment_id>/sections/<section_id>", methods=["GET", "POST"])
@login_required
def section(assessment_id: int, section_id: str):
    assessment = _readable(assessment_id)
    questionnaire = service.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, section_id)
    theme = questionnaire.theme_of(section.questions[0].id) if section.questions else None
    editable = may(current_user, assessment, Need.EDIT) and (
        theme is None or may_edit_theme(current_user, theme.id))
    rows = service.answer_rows(assessment)
    ctx = _context(section)
    if request.method == "POST":
        if not editable:
            abort(403)
        return _save_section(assessment, questionnaire, section, rows, ctx)
    form = make_form(section, ctx, data=initial_data(section, rows, service.base_of))
    visible = visible_questions(questionnaire, service.values_of(rows))
    return _render_section(assessment, questionnaire, section, form, visible, editable, ctx)


def _save_section(assessment, questionnaire, section, rows, ctx):
    form = make_form(section, ctx, formdata=request.form)
    _keep_only_own_files(assessment, section, form)
    with uploads.removed_on_failure() as stored:
        upload_errors = _store_uploads(assessment, section, form, stored)
        cleaned = validate_answers(form, list(section.questions))
        visible = _visible_with(questionnaire, rows, cleaned)
        changes = [service.Change(qid, value, explanation, form[f"b_{qid}"].data)
                   for qid, (value, explanation) in cleaned.items() if qid in visible]
        outcome = service.save_answers(assessment, current_user, changes, rows)
        db.session.commit()
    for qid, message in upload_errors.items():
        form.answer(qid).errors = [*form.answer(qid).errors, message]
    errors = [q for q in section.questions if q.id in visible and form.answer(q.id).errors]
    if errors or outcome.conflicts:
        for qid, base in {**outcome.saved,
                          **{k: c.base for k, c in outcome.conflicts.items()}}.items():
            form[f"b_{qid}"].data = base
        return _render_section(assessment, questionnaire, section, form, visible, True, ctx,
                               conflicts=outcome.conflicts, errors=errors), 422
    flash(_("Saved at %(time)s.", time=format_datetime(utcnow(), "HH:mm")) + " UTC", "success")
    target = _next_section(questionnaire, section) if "save_next" in request.form else None
    return redirect(url_for("fill.section", assessment_id=assessment.id,
                            section_id=target or section.id))


def _visible_with(questionnaire, rows, cleaned) -> frozenset[str]:
    """Visibility decided by the core on the saved answers overlaid with this form's."""
    values = service.values_of(rows)
    values.update({qid: value for qid, (value, _explanation) in cleaned.items()})
    return visible_questions(questionnaire, values)


def _next_section(questionnaire, section) -> str | None:
    ids = [s.id for t in questionnaire.themes for s in t.sections]
    position = ids.index(section.id)
    return ids[position + 1] if position + 1 < len(ids) else None


def _keep_only_own_files(assessment, section, form) -> None:
    """A crafted form could name another assessment's stored file: keep only this
    assessment's own files for the question."""
    owned = _evidence_of(assessment, section)
    for question in section.questions:
        if question.type is QuestionType.EVIDENCE:
            field = form.answer(question.id)
            field.kept = [name for name in field.kept
                          if name in owned and owned[name].question_id == question.id]


def _store_uploads(assessment, section, form, stored: list[str]) -> dict[str, str]:
    """Store new evidence files; their stored names join the question's kept files
    and `stored`, the files to remove if the request fails."""
    errors = {}
    for question in section.questions:
        if question.type is not QuestionType.EVIDENCE:
            continue
        for upload in request.files.getlist(f"q_{question.id}-file"):
            if not upload or not upload.filename:
                continue
            try:
                file = uploads.store(upload)
            except uploads.UploadError as exc:
                errors[question.id] = _("%(file)s was not accepted: %(why)s",
                                        file=uploads.display_name(upload.filename), why=exc.message)
                continue
            stored.append(file.stored_name)
            db.session.add(Evidence(
                assessment_id=assessment.id, question_id=question.id, filename=file.filename,
                stored_name=file.stored_name, content_type=file.content_type,
                size=file.size, sha256=file.sha256, uploaded_by_id=current_user.id))
            service.audit(assessment, current_user, "upload", question_id=question.id,
                          after={"file": file.filename, "sha256": file.sha256})
            form.answer(question.id).kept.append(file.stored_name)
    return errors


def _render_section(assessment, questionnaire, section, form, visible, editable, ctx,
                    conflicts=None, errors=()):
    countries = dict(ctx.countries)
    ids = [s.id for t in questionnaire.themes for s in t.sections]
    position = ids.index(section.id)
    page = {  # what every question's macro reads besides its layout and field
        "assessment_id": assessment.id, "visible": visible,
        "conflicts": conflicts or {}, "evidence": _evidence_of(assessment, section),
        "comments": service.comments_for(assessment, undecided=_is_staff()),
        "display": lambda q, v: display_value(q, v, lang(), countries),
        "text": page_text(),
    }
    return render_template(
        "fill/section.html", assessment=assessment, section=section, form=form,
        layout=section_layout(section, ctx), editable=editable, errors=errors,
        conflicts=page["conflicts"], questionnaire=questionnaire, lang=lang(), page=page,
        previous_id=ids[position - 1] if position else None,
        next_id=ids[position + 1] if position + 1 < len(ids) else None,
    )


def _evidence_of(assessment, section) -> dict[str, Evidence]:
    ids = [q.id for q in section.questions if q.type is QuestionType.EVIDENCE]
    if not ids:
        return {}
    rows = db.session.scalars(select(Evidence).where(Evidence.assessment_id == assessment.id,
                                                     Evidence.question_id.in_(ids)))
    return {row.stored_name: row for row in rows}


@bp.post("/assessments/<int:assessment_id>/answers")
@login_required
def autosave(assessment_id: int):
    """JSON autosave: {"section": id, "questions": [ids], "fields": {name: [values]}}.

    The fields are parsed by the same generated form as a full POST, so both
    paths accept exactly the same input.
    """
    assessment = assessment_for(assessment_id, Need.EDIT)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("fields"), dict):
        return jsonify(error=_("Malformed autosave request.")), 400
    questionnaire = service.questionnaire_of(assessment)
    section = _section_or_404(questionnaire, str(payload.get("section", "")))
    theme = questionnaire.theme_of(section.questions[0].id)
    if not may_edit_theme(current_user, theme.id):
        abort(403)
    formdata = _formdata(payload["fields"])
    if formdata is None:
        return jsonify(error=_("Malformed autosave request.")), 400
    wanted = {str(q) for q in payload.get("questions") or []}
    questions = [q for q in section.questions
                 if q.id in wanted and q.type is not QuestionType.EVIDENCE]
    form = make_form(section, _context(section, for_display=False), formdata=formdata)
    rows = service.answer_rows(assessment)
    cleaned = validate_answers(form, questions)
    visible = _visible_with(questionnaire, rows, cleaned)
    changes = [service.Change(qid, value, explanation, form[f"b_{qid}"].data)
               for qid, (value, explanation) in cleaned.items() if qid in visible]
    outcome = service.save_answers(assessment, current_user, changes, rows)
    reply = _autosave_reply(assessment, section, form, questions, visible, outcome)
    db.session.commit()
    return jsonify(reply)


def _formdata(fields: dict) -> MultiDict | None:
    if len(fields) > MAX_AUTOSAVE_FIELDS:
        return None
    pairs = []
    for name, values in fields.items():
        values = values if isinstance(values, list) else [values]
        if not all(isinstance(v, str) for v in values):
            return None
        pairs.extend((str(name), v) for v in values)
    return MultiDict(pairs)


def _autosave_reply(assessment, section, form, questions, visible, outcome) -> dict:
    countries = dict(service.country_names(lang())) if any(
        q.type is QuestionType.COUNTRIES for q in section.questions
        if q.id in outcome.conflicts) else {}
    conflicts = {}
    for qid, conflict in outcome.conflicts.items():
        question = next(q for q in section.questions if q.id == qid)
        mine = form.cleaned(question)[0] if not form.answer(qid).errors else None
        conflicts[qid] = {
            "theirs": display_value(question, conflict.theirs, lang(), countries),
            "their_explanation": conflict.their_explanation,
            "yours": display_value(question, mine, lang(), countries),
            "by": conflict.by, "base": conflict.base,
            "message": _("Someone else (%(who)s) changed this answer after you opened the "
                         "page. Your answer was not saved.", who=conflict.by or _("unknown")),
        }
    return {
        "saved": outcome.saved,
        "errors": {q.id: form.answer(q.id).errors[0] for q in questions
                   if form.answer(q.id).errors and q.id in visible},
        "conflicts": conflicts,
        "visible": sorted(q.id for q in section.questions if q.id in visible),
        "saved_at": format_datetime(utcnow(), "HH:mm") + " UTC",
        "progress": assessment.progress,
    }


@bp.get("/assessments/<int:assessment_id>/evidence/<stored_name>")
@login_required
def evidence(assessment_id: int, stored_name: str):
    assessment = _readable(assessment_id)
    row = db.session.scalars(select(Evidence).where(
        Evidence.assessment_id == assessment.id, Evidence.stored_name == stored_name)).first()
    if row is None:
        abort(404)
    try:
        path = uploads.path_of(row.stored_name)
    except uploads.UploadError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=row.content_type, as_attachment=True,
                         download_name=row.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@login_required
def submit(assessment_id: int):
    assessment = assessment_for(assessment_id, Need.SUBMIT)
    questionnaire = service.questionnaire_of(assessment)
    if request.method == "POST":
        try:
            snapshot = service.submit(assessment, current_user)
        except service.SubmissionIncomplete as exc:
            db.session.rollback()
            return _render_submit(assessment, questionnaire, exc.missing), 422
        except TransitionError as exc:
            db.session.rollback()
            flash(_("This assessment cannot be submitted now: %(why)s", why=translated(exc)),
                  "error")
            return redirect(url_for("fill.overview", assessment_id=assessment.id))
        db.session.commit()
        flash(_("Submitted. Submission %(n)d has been sent to the secretariat.",
                n=snapshot.number), "success")
        return redirect(url_for("fill.overview", assessment_id=assessment.id))
    missing = service.missing_required(questionnaire,
                                       service.values_of(service.answer_rows(assessment)))
    return _render_submit(assessment, questionnaire, missing)


def _render_submit(assessment, questionnaire, missing):
    return render_template("fill/submit.html", assessment=assessment,
                           questionnaire=questionnaire, missing=missing, lang=lang())


def _is_staff() -> bool:
    """The secretariat sees its review comments while it writes them."""
    return current_user.role in {Role.SECRETARIAT, Role.ADMIN}
