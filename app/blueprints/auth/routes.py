"""/auth: sign in, sign out, and one-time links for invitations and resets."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from ...core.workflow import Role
from ...extensions import db, login_manager
from ...models import User, utcnow
from ...passwords import MIN_LENGTH
from ...security_utils import safe_next_url, wants_json
from . import services
from .forms import LoginForm, SetPasswordForm

bp = Blueprint("auth", __name__, url_prefix="/auth")

GENERIC_FAILURE = _l("The email address or password is not correct.")


@bp.record_once
def _configure_login(state) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(services.load_user)
    login_manager.unauthorized_handler(_unauthorized)
    state.app.add_template_global(has_endpoint)


def has_endpoint(name: str) -> bool:
    """Templates link to other blueprints only when they are installed."""
    return name in current_app.view_functions


def _unauthorized():
    if wants_json():
        return jsonify(error="authentication required"), 401
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.get("/token")
@login_required
def token():
    """A CSRF token for a page opened before its session was renewed (its person
    signed in again in another tab), so the page can still save what it holds."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


def home_url(user: User) -> str:
    """Where a user lands after signing in: the page of their main job."""
    wanted = {Role.ADMIN: "admin.users", Role.SECRETARIAT: "review.index"}.get(user.role)
    for endpoint in (wanted, "fill.dashboard", "admin.users"):
        if endpoint and has_endpoint(endpoint):
            return url_for(endpoint)
    return url_for("main.health")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    if form.validate_on_submit():
        keys = services.throttle_keys(form.email.data, request.remote_addr)
        if services.locked_until(keys) is not None:
            return _locked(form)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            if _count_failure(keys):
                return _locked(form)
            return _login_page(form, error=GENERIC_FAILURE), 200
        return _sign_in(user, form.next.data, keys[0])
    return _login_page(form)


def _count_failure(keys: list[str]) -> bool:
    """Record a failed attempt; True if it locks. Two first failures at the same moment
    may both insert a row: the loser retries once, now updating the winner's row."""
    for attempt in (1, 2):
        try:
            locked = services.record_failure(keys)
            db.session.commit()
            return locked
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise
    return False


def _sign_in(user: User, next_url: str | None, account_key: str):
    services.clear_failures(account_key)
    user.last_login_at = utcnow()
    db.session.commit()
    # A fresh session on login: nothing set before (by an attacker, say) survives.
    session.clear()
    login_user(user)
    session.permanent = True  # PERMANENT_SESSION_LIFETIME is the idle timeout
    session["lang"] = user.language
    return redirect(safe_next_url(next_url, home_url(user)))


def _locked(form: LoginForm):
    minutes = current_app.config["LOGIN_LOCK_MINUTES"]
    message = _("Too many failed sign-in attempts. Wait %(minutes)d minutes and try again.",
                minutes=minutes)
    return _login_page(form, error=message), 429


def _login_page(form: LoginForm, error=None):
    form.password.data = ""
    return render_template("auth/login.html", form=form, error=error,
                           demo=services.demo_loaded())


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # Sessions live in signed cookies; a new version is what makes a copied
        # cookie useless after sign-out.
        services.end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/accept/<token>", methods=["GET", "POST"])
def accept(token: str):
    one_time = services.valid_token(token)
    if one_time is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(one_time, form.password.data)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password is set. You can now sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/accept.html", form=form, user=one_time.user,
                           min_length=MIN_LENGTH)
