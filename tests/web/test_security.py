"""Headers, cookies, secret key, CSRF on every state-changing route, escaping."""

from __future__ import annotations

import re
import sys

import pytest

from app import create_app
from app.config import ConfigError
from app.core.workflow import Role
from app.extensions import db
from app.models import ReviewComment, User
from tests.conftest import login

from ._helpers import text
from .test_access_matrix import Fixture

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


# --- Headers and cookies --------------------------------------------------------

@pytest.mark.parametrize("url", ["/auth/login", "/no-such-page", "/healthz"])
def test_security_headers(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, world):
    world.user(Role.ADMIN, country=None, email="root@example.org")
    pages = [client.get("/auth/login")]
    login(client, "root@example.org")
    pages += [client.get(url) for url in ("/admin/users", "/admin/users/new", "/admin/cycles")]
    for page in pages:
        html = text(page)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def _session_cookie_header(client, email):
    response = login(client, email)
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_and_samesite(client, world):
    world.user(Role.SECRETARIAT, country=None)
    cookie = _session_cookie_header(client, "secretariat.un@example.org")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the test app is plain HTTP


def test_session_cookie_is_secure_when_configured(app, client, world):
    app.config["SESSION_COOKIE_SECURE"] = True
    world.user(Role.SECRETARIAT, country=None)
    client = app.test_client()
    # A Secure cookie is only sent back over HTTPS, so sign in over HTTPS.
    page = client.get("/auth/login", base_url="https://localhost")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(page)).group(1)
    response = client.post("/auth/login", base_url="https://localhost", data={
        "email": "secretariat.un@example.org", "password": "correct horse battery staple",
        "csrf_token": token})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_secure_cookie_is_the_default_outside_development(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


# --- Secret key -----------------------------------------------------------------

@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    return monkeypatch


@pytest.mark.parametrize("secret", [None, "", "too-short"])
def test_production_refuses_to_start_without_a_strong_secret(production, secret):
    if secret is not None:
        production.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_strong_secret(production):
    production.setenv("SECRET_KEY", "s" * 48)
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).secret_key == "s" * 48


def test_cli_commands_other_than_run_need_no_secret(production):
    # `flask questionnaire validate` and the like serve no page.
    production.setenv("FLASK_RUN_FROM_CLI", "true")
    production.setattr(sys, "argv", ["flask", "--app", "wsgi", "questionnaire", "validate"])
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.secret_key.startswith("ephemeral-")


def test_flask_run_needs_the_secret(production):
    production.setenv("FLASK_RUN_FROM_CLI", "true")
    production.setattr(sys, "argv", ["flask", "--app", "wsgi", "run"])
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


# --- CSRF -----------------------------------------------------------------------

def _state_changing_routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & STATE_CHANGING):
            yield rule, method


def test_every_state_changing_request_without_token_gets_400(csrf_app, world):
    app = csrf_app
    matrix = Fixture(app, world)
    routes = list(_state_changing_routes(app))
    assert len(routes) >= 10  # the enumeration found the app's forms
    for role in (None, Role.ADMIN, Role.SECRETARIAT, Role.FOCAL_POINT):
        client = app.test_client()
        if role is not None:
            assert login(client, matrix.users[role].email).status_code == 302
        for rule, method in routes:
            url = matrix.url(rule, "EST")
            for data in ({}, {"csrf_token": "forged"}):
                response = client.open(url, method=method, data=data)
                assert response.status_code == 400, f"{role} {method} {url} {data}"
            json = client.open(url, method=method, json={"fields": {}})
            assert json.status_code == 400, f"{role} {method} {url} (JSON)"
            # a script is told why, so it can keep its data and renew its token
            assert json.get_json() == {"error": json.get_json()["error"], "csrf": True,
                                       "signed_in": role is not None}


def test_token_from_another_session_is_refused(csrf_app, world):
    world.user(Role.ADMIN, country=None, email="root@example.org")
    attacker = csrf_app.test_client()
    stolen = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                       text(attacker.get("/auth/login"))).group(1)
    victim = csrf_app.test_client()
    login(victim, "root@example.org")
    response = victim.post("/admin/users/new", data={
        "csrf_token": stolen, "name": "Mallory", "email": "m@example.org", "role": "admin",
        "language": "en", "country_code": "", "active": "y"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(User).where(User.email == "m@example.org")) is None


# --- Escaping -------------------------------------------------------------------

SCRIPT = "<script>alert('x')</script>"


def test_user_name_is_escaped_in_the_navigation(client, world):
    world.user(Role.SECRETARIAT, country=None, name=SCRIPT)
    login(client, "secretariat.un@example.org")
    page = text(client.get("/no-such-page"))
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page


def test_review_comment_is_escaped(app, client, world):
    matrix = Fixture(app, world)
    assessment = matrix.assessments["EST"]
    db.session.add(ReviewComment(assessment_id=assessment.id, body=SCRIPT,
                                 author_id=matrix.users[Role.SECRETARIAT].id))
    db.session.commit()
    login(client, matrix.users[Role.SECRETARIAT].email)
    pages = [client.get(f"/review/{assessment.id}"), client.get(f"/assessments/{assessment.id}")]
    assert any("&lt;script&gt;" in text(page) for page in pages)
    for page in pages:
        assert page.status_code == 200
        assert SCRIPT not in text(page)


def test_hostile_next_in_the_language_form_is_ignored(client):
    response = client.post("/language", data={
        "lang": "fr", "next": "//evil.com/", "csrf_token": re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get("/auth/login"))).group(1)})
    assert response.status_code == 302
    assert "evil.com" not in response.headers["Location"]


def test_static_files_are_cached_for_a_year_under_their_digest(client):
    """Pages name assets with a digest of their content, and only that URL is cached
    for long: a slow line fetches them once; a changed file is a new URL."""
    page = client.get("/auth/login").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{16})"', page).group(1)
    with client.get(url) as response:
        assert "max-age=31536000" in response.headers["Cache-Control"]
    for stale in ("/static/css/app.css", "/static/css/app.css?v=0123456789abcdef"):
        with client.get(stale) as response:
            assert response.status_code == 200
            assert "max-age=31536000" not in response.headers.get("Cache-Control", "")
    assert client.get("/static/../wsgi.py?v=x").status_code == 404
    assert client.get("/static/no-such.css?v=x").status_code == 404


def test_a_page_from_an_ended_session_renews_its_token_and_saves(csrf_app, world):
    """The session behind an open section page ends; its person signs in again in
    another tab. The page's old token is refused, and a token fetched from
    /auth/token saves what the page still holds."""
    focal = world.user(Role.FOCAL_POINT, "EST", email="focal@example.org")
    aid = world.assessment("EST").id
    client = csrf_app.test_client()
    assert login(client, focal.email).status_code == 302
    stale = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      text(client.get("/dashboard"))).group(1)
    client.post("/auth/logout", data={"csrf_token": stale})
    anonymous = client.get("/auth/token", headers={"Accept": "application/json"})
    assert anonymous.status_code == 401
    assert login(client, focal.email).status_code == 302  # "in another tab"
    body = {"section": "leg_ratification", "questions": ["leg_protocol_status"],
            "fields": {"q_leg_protocol_status": ["party"], "b_leg_protocol_status": ["0.x"]}}
    refused = client.post(f"/assessments/{aid}/answers", json=body,
                          headers={"X-CSRFToken": stale})
    assert refused.status_code == 400 and refused.get_json()["signed_in"] is True
    renewed = client.get("/auth/token", headers={"Accept": "application/json"})
    assert renewed.headers["Cache-Control"] == "no-store"
    token = renewed.get_json()["csrf_token"]
    saved = client.post(f"/assessments/{aid}/answers", json=body, headers={"X-CSRFToken": token})
    assert saved.status_code == 200 and saved.get_json()["saved"]
