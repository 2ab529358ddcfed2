"""Landing page, health check and language choice."""

from flask import Blueprint, redirect, request, session, url_for
from flask_login import current_user

from ...extensions import db
from ...i18n import LANGUAGES
from ...security_utils import safe_next_url

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("fill.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/healthz")
def health():
    return {"status": "ok"}


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.language = lang
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next"), url_for("main.index")))
