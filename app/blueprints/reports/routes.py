"""Report downloads and the HTML preview.

Every route gets its assessment through `assessment_for(..., Need.READ)`: other
countries' assessments are 404, a ministry reader on a draft is 403.
"""

from __future__ import annotations

import io
import re

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from ...access import Need, assessment_for
from ...core.workflow import Role, State
from ...extensions import db
from ...i18n import LANGUAGES, select_locale
from ...models import Assessment, Submission
from ...pdf.cache import PdfCache, cached_report, report_html
from ...pdf.context import KINDS, ReportInput
from ...pdf.labels import labels_for
from ...pdf.render import ASSETS, ReportError
from . import services

bp = Blueprint("reports", __name__, template_folder="templates")

# The preview is our own markup with inline SVG; it needs our stylesheet and nothing else.
PREVIEW_CSP = ("default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
MINISTRY_READABLE = frozenset({State.SUBMITTED, State.ACCEPTED})


@bp.app_template_global()
def report_label(key: str) -> str:
    """A report label in the interface language, for the download links."""
    return labels_for(str(get_locale() or "en")[:2])[key]


def _lang() -> str:
    """?lang= first, else the user's language (select_locale knows it)."""
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else select_locale()


def _kind() -> str:
    kind = request.args.get("kind", "gap")
    if kind not in KINDS:
        abort(400)
    return kind


def _assessment_input(assessment_id: int) -> tuple[Assessment, ReportInput]:
    assessment = assessment_for(assessment_id, Need.READ)
    lang, kind = _lang(), _kind()
    if current_user.role is Role.MINISTRY and assessment.status not in MINISTRY_READABLE:
        # A reopened reply: ministries read the last accepted snapshot, not the new draft.
        snapshot = services.ministry_snapshot(assessment)
        if snapshot is None:
            abort(403)
        return assessment, services.snapshot_input(snapshot, assessment, current_user, lang, kind)
    return assessment, services.live_input(assessment, current_user, lang, kind)


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@login_required
def assessment_pdf(assessment_id: int):
    assessment, inp = _assessment_input(assessment_id)
    return _pdf_response(inp, _filename(assessment, inp))


@bp.get("/assessments/<int:assessment_id>/report.html")
@login_required
def assessment_preview(assessment_id: int):
    _, inp = _assessment_input(assessment_id)
    html = report_html(inp, css_href=url_for("reports.stylesheet"))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    return response


@bp.get("/submissions/<int:submission_id>/report.pdf")
@login_required
def submission_pdf(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    assessment = assessment_for(submission.assessment_id, Need.READ)
    if current_user.role is Role.MINISTRY and submission.outcome not in MINISTRY_READABLE:
        abort(403)  # a snapshot sent back for changes is not the country's reply
    inp = services.snapshot_input(submission, assessment, current_user, _lang(), _kind())
    return _pdf_response(inp, _filename(assessment, inp, f"s{submission.number}"))


@bp.get("/reports/report.css")
def stylesheet():
    response = Response(ASSETS["report.css"], mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def _pdf_response(inp: ReportInput, filename: str):
    try:
        path, _ = cached_report(inp, PdfCache(current_app.config["PDF_CACHE_DIR"]))
    except ReportError as exc:
        current_app.logger.warning("report not rendered: %s", exc.message)
        abort(503)
    # Bytes rather than an open file: nothing left open if the client goes away.
    response = send_file(io.BytesIO(path.read_bytes()), mimetype="application/pdf",
                         as_attachment=True, download_name=filename, etag=False)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _filename(assessment: Assessment, inp: ReportInput, suffix: str = "") -> str:
    """ASCII only, from codes and numbers: never from user text."""
    kind = "gap-report" if inp.kind == "gap" else "summary"
    parts = [kind, assessment.country_code, f"cycle{assessment.cycle_id}", suffix, inp.lang]
    name = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9-]", "", name) + ".pdf"
