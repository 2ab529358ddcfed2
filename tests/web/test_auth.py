"""Sign-in, sign-out, throttling, sessions and one-time links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from itsdangerous import TimestampSigner

from app import create_app
from app.blueprints.auth import services
from app.core.workflow import Role
from app.extensions import db
from app.models import LoginThrottle, OneTimeToken, User, utcnow
from app.passwords import MIN_LENGTH
from tests.conftest import PASSWORD, login

from ._helpers import post, text

GENERIC = "The email address or password is not correct."
PROTECTED = "/admin/users"


def _session_user(client):
    with client.session_transaction() as sess:
        return sess.get("_user_id")


# Tests run inside the `world` fixture's app context and use its database session
# directly, as the requests do.

@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN, country=None, email="root@example.org")


@pytest.fixture
def focal(world):
    return world.user(Role.FOCAL_POINT)


# --- Sign in ----------------------------------------------------------------

def test_login_success_starts_a_session_with_the_session_version(client, admin):
    response = login(client, "root@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    assert _session_user(client) == f"{admin.id}:1"
    assert client.get(PROTECTED).status_code == 200


def test_email_is_case_insensitive(client, admin):
    assert login(client, "  Root@Example.ORG ").status_code == 302


@pytest.mark.parametrize("email, password", [
    ("root@example.org", "wrong password here"),   # existing account
    ("nobody@example.org", PASSWORD),              # no such account
    ("root@example.org", ""),                      # empty password
])
def test_failed_login_gives_one_generic_message(client, admin, email, password):
    response = login(client, email, password)
    assert response.status_code == 200
    page = text(response)
    assert (GENERIC in page) == bool(password)
    assert "Enter your password." in page or password
    assert "no such" not in page.lower() and "unknown" not in page.lower()
    assert _session_user(client) is None
    assert email.strip() in page or not password  # what was typed is kept


def test_inactive_user_cannot_sign_in(client, world):
    world.user(Role.SECRETARIAT, country=None, email="gone@example.org", active=False)
    response = login(client, "gone@example.org")
    assert GENERIC in text(response)
    assert _session_user(client) is None


def test_password_hashes_are_argon2id(client, admin, app):
    stored = db.session.get(User, admin.id).password_hash
    assert stored.startswith("$argon2id$")


# --- Throttling ---------------------------------------------------------------

def _fail(client, email, address="198.51.100.7"):
    return client.post("/auth/login", data={"email": email, "password": "bad password!!"},
                       environ_base={"REMOTE_ADDR": address})


def _login_from(client, email, address, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def no_csrf(app):
    # Throttling tests post many times; CSRF has its own tests.
    app.config["WTF_CSRF_ENABLED"] = False


def test_account_locks_after_max_failures_from_many_addresses(app, client, admin, no_csrf):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit - 1):
        assert _fail(client, "root@example.org", f"203.0.113.{n}").status_code == 200
    locked = _fail(client, "root@example.org", "203.0.113.200")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in text(locked)
    # Even the right password is refused while the account is locked.
    right = _login_from(client, "root@example.org", "192.0.2.99")
    assert right.status_code == 429
    assert _session_user(client) is None


def test_address_locks_after_max_failures_across_accounts(app, client, admin, no_csrf):
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] > app.config["LOGIN_MAX_FAILURES"]
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 7  # each failure costs a hash
    for n in range(limit - 1):
        assert _fail(client, f"guess{n}@example.org", "198.51.100.7").status_code == 200
    assert _login_from(client, "root@example.org", "198.51.100.7").status_code == 302
    client.post("/auth/logout")
    for n in range(limit):
        _fail(client, f"guess{n}@example.org", "198.51.100.7")
    assert _login_from(client, "root@example.org", "198.51.100.7").status_code == 429
    # Another address is not affected.
    assert _login_from(client, "root@example.org", "198.51.100.8").status_code == 302


def test_lock_expires(app, client, admin, no_csrf):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _fail(client, "root@example.org")
    assert _login_from(client, "root@example.org", "198.51.100.7").status_code == 429
    past = utcnow() - dt.timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    for row in db.session.scalars(db.select(LoginThrottle)):
        row.locked_until, row.window_started_at = past, past
    db.session.commit()
    assert _login_from(client, "root@example.org", "198.51.100.7").status_code == 302


def test_old_failures_do_not_add_up(app, client, admin, no_csrf):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        _fail(client, "root@example.org")
    for row in db.session.scalars(db.select(LoginThrottle)):
        row.window_started_at = utcnow() - dt.timedelta(hours=2)
    db.session.commit()
    assert _fail(client, "root@example.org").status_code == 200  # a new window, count 1


def test_stale_throttle_rows_are_purged(app, client, admin, no_csrf):
    _fail(client, "random1@example.org", "203.0.113.1")
    for row in db.session.scalars(db.select(LoginThrottle)):
        row.window_started_at = utcnow() - dt.timedelta(hours=2)
    db.session.commit()
    _fail(client, "random2@example.org", "203.0.113.2")
    keys = set(db.session.scalars(db.select(LoginThrottle.key)))
    assert keys == {"account:random2@example.org", "address:203.0.113.2"}


def test_success_resets_the_account_counter(app, client, admin, no_csrf):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for n in range(limit - 1):
        _fail(client, "root@example.org", f"203.0.113.{n}")
    assert _login_from(client, "root@example.org", "192.0.2.1").status_code == 302
    client.post("/auth/logout")
    assert _fail(client, "root@example.org", "203.0.113.100").status_code == 200


# --- Sessions -----------------------------------------------------------------

def _cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_login_starts_a_new_session(client, admin):
    client.get("/auth/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    before = _cookie(client)
    login(client, "root@example.org")
    assert _cookie(client) != before
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess.permanent


def test_logout_ends_the_session_and_old_cookies(client, admin):
    login(client, "root@example.org")
    stolen = _cookie(client)
    response = post(client, "/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    assert client.get(PROTECTED).status_code == 302
    # A copy of the signed-in cookie no longer works either.
    client.set_cookie("session", stolen)
    assert client.get(PROTECTED).status_code == 302


def test_logout_requires_post(client, admin):
    login(client, "root@example.org")
    assert client.get("/auth/logout").status_code == 405


def test_stale_session_version_is_signed_out(app, client, admin):
    login(client, "root@example.org")
    assert client.get(PROTECTED).status_code == 200
    db.session.get(User, admin.id).session_version += 1
    db.session.commit()
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("user_id", ["1", "abc:1", "1:x", ":", "999:1"])
def test_malformed_session_ids_are_anonymous(app, user_id):
    with app.app_context():
        assert services.load_user(user_id) is None


def test_idle_timeout_is_the_permanent_session_lifetime(app, client, admin):
    assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(minutes=30)
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is True
    login(client, "root@example.org")
    cookie = client.get_cookie("session")
    remaining = cookie.expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_idle_session_is_refused_by_the_server(app, client, admin, monkeypatch):
    # Sign in "31 minutes ago": the cookie's signature carries that time.
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 31 * 60)
    login(client, "root@example.org")
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    assert client.get(PROTECTED).status_code == 302


def test_anonymous_json_request_gets_401(client):
    response = client.get(PROTECTED, headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json == {"error": "authentication required"}


def test_anonymous_page_request_redirects_to_login_with_next(client):
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/admin/users"


# --- Safe next ------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "//evil.com", "https://evil.com", "/\\evil.com", "javascript:alert(1)", "http:evil.com",
    "\\\\evil.com", "/%0a//evil.com".replace("%0a", "\n"), "evil.com", "///evil.com",
])
def test_hostile_next_is_ignored(client, admin, target):
    page = client.get("/auth/login", query_string={"next": target})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(page)).group(1)
    response = client.post("/auth/login", data={
        "email": "root@example.org", "password": PASSWORD, "next": target,
        "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"


def test_local_next_is_followed(client, admin):
    response = client.post("/auth/login?next=/admin/cycles", data={
        "email": "root@example.org", "password": PASSWORD,
        "csrf_token": re.search(r'value="([^"]+)"', text(
            client.get("/auth/login?next=/admin/cycles"))).group(1),
        "next": "/admin/cycles"})
    assert response.headers["Location"] == "/admin/cycles"


# --- One-time links -------------------------------------------------------------

def _new_token(app, user_id, purpose="invite"):
    raw = services.issue_token(db.session.get(User, user_id), purpose)
    db.session.commit()
    return raw


@pytest.fixture
def invited(world):
    user = User(email="new@example.org", name="New Person", role=Role.SECRETARIAT,
                password_hash=None)
    db.session.add(user)
    db.session.commit()
    return user


def test_invitation_sets_a_password_once(app, client, invited):
    raw = _new_token(app, invited.id)
    url = f"/auth/accept/{raw}"
    assert "new@example.org" in text(client.get(url))
    new_password = "a long enough passphrase"
    response = post(client, url, {"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    user = db.session.get(User, invited.id)
    assert user.password_hash.startswith("$argon2id$")
    assert user.session_version == 2
    token = db.session.scalar(db.select(OneTimeToken))
    assert token.used_at is not None and token.token_hash != raw
    assert len(token.token_hash) == 64
    # Single use: the same link is now dead.
    assert client.get(url).status_code == 404
    again = post(client, url, {"password": "another passphrase!", "confirm": "another passphrase!"})
    assert again.status_code == 404
    assert login(client, "new@example.org", new_password).status_code == 302


def test_expired_link_is_refused(app, client, invited):
    raw = _new_token(app, invited.id)
    token = db.session.scalar(db.select(OneTimeToken))
    token.expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    response = client.get(f"/auth/accept/{raw}")
    assert response.status_code == 404
    assert "expired or has already been used" in text(response)


def test_new_link_replaces_the_old_one(app, client, invited):
    first = _new_token(app, invited.id)
    second = _new_token(app, invited.id)
    assert client.get(f"/auth/accept/{first}").status_code == 404
    assert client.get(f"/auth/accept/{second}").status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "x" * 200, "%00"])
def test_unknown_links_are_refused(client, token):
    assert client.get(f"/auth/accept/{token}").status_code == 404


@pytest.mark.parametrize("password, confirm, message", [
    ("short pass", "short pass", f"Use at least {MIN_LENGTH} characters."),
    ("a long enough passphrase", "a different passphrase", "The two passwords are not the same."),
    ("", "", "Choose a password."),
])
def test_bad_new_password_is_explained(app, client, invited, password, confirm, message):
    raw = _new_token(app, invited.id)
    response = post(client, f"/auth/accept/{raw}", {"password": password, "confirm": confirm})
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert 'aria-describedby="password-hint password-error"' in page or "confirm-error" in page
    assert db.session.get(User, invited.id).password_hash is None


def test_reset_ends_existing_sessions(app, client, admin):
    login(client, "root@example.org")
    raw = _new_token(app, admin.id, "reset")
    other = app.test_client()
    post(other, f"/auth/accept/{raw}", {"password": "a brand new passphrase",
                                         "confirm": "a brand new passphrase"})
    assert client.get(PROTECTED).status_code == 302


def test_reset_link_for_deactivated_user_is_refused(app, client, invited):
    raw = _new_token(app, invited.id, "reset")
    db.session.get(User, invited.id).active = False
    db.session.commit()
    assert client.get(f"/auth/accept/{raw}").status_code == 404


# --- Demo hint and language -------------------------------------------------------

def test_demo_accounts_are_explained_only_when_loaded(client, world):
    assert "demo-password" not in text(client.get("/auth/login"))
    world.user(Role.ADMIN, country=None, email="admin@example.org")
    page = text(client.get("/auth/login"))
    assert "demo-password" in page and "focal.est@example.org" in page


def test_login_page_in_french_from_the_browser(client):
    page = text(client.get("/auth/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"}))
    assert '<html lang="fr">' in page
    assert "Se connecter" in page and "Mot de passe" in page


def test_language_choice_is_remembered_for_the_user(app, client, focal):
    login(client, focal.email)
    response = post(client, "/language", {"lang": "fr", "next": "/auth/login"})
    assert response.status_code == 302
    assert db.session.get(User, focal.id).language == "fr"
    # A new browser, no Accept-Language: the account's choice applies after sign-in.
    other = app.test_client()
    login(other, focal.email)
    with other.session_transaction() as sess:
        assert sess["lang"] == "fr"
    assert '<html lang="fr">' in text(other.get("/no-such-page"))


# --- Navigation -------------------------------------------------------------------

@pytest.mark.parametrize("role, shown, hidden", [
    (Role.ADMIN, {"/admin/users", "/admin/countries", "/admin/cycles", "/review"},
     {"/dashboard"}),
    (Role.SECRETARIAT, {"/review", "/dashboard"}, {"/admin/users"}),
    (Role.FOCAL_POINT, {"/dashboard"}, {"/review", "/admin/users"}),
    (Role.MINISTRY, {"/dashboard"}, {"/review", "/admin/users"}),
])
def test_navigation_depends_on_the_role(client, world, role, shown, hidden):
    user = world.user(role)
    login(client, user.email)
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', text(client.get("/no-such-page")),
                    re.S).group(1)
    links = set(re.findall(r'href="([^"]+)"', nav))
    assert shown <= links and not hidden & links
    assert 'action="/auth/logout"' in nav and 'name="csrf_token"' in nav


def test_navigation_for_visitors_offers_sign_in(client):
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', text(client.get("/no-such-page")),
                    re.S).group(1)
    assert 'href="/auth/login"' in nav and "/auth/logout" not in nav


def _proxied_app(database_url, tmp_path, proxies):
    return create_app({"ENV_NAME": "test", "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
                       "SQLALCHEMY_DATABASE_URI": database_url, "TRUSTED_PROXIES": proxies,
                       "UPLOAD_DIR": str(tmp_path / "uploads"), "SESSION_COOKIE_SECURE": False})


def _fail_via_proxy(client, email, forwarded_for):
    return client.post("/auth/login", data={"email": email, "password": "bad password!!"},
                       environ_base={"REMOTE_ADDR": "10.0.0.2"},
                       headers={"X-Forwarded-For": forwarded_for})


@pytest.mark.parametrize("proxies", [0, 1])
def test_address_limit_behind_a_proxy(app, admin, database_url, tmp_path, proxies):
    """Behind a trusted proxy, each person's address counts, not the proxy's; without
    one, X-Forwarded-For is ignored, so nobody can pick a fresh address per guess."""
    proxied = _proxied_app(database_url, tmp_path, proxies)
    proxied.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    client = proxied.test_client()
    for n in range(3):  # one person guessing, then a colleague behind the same proxy
        _fail_via_proxy(client, f"guess{n}@example.org", "203.0.113.66")
    response = client.post("/auth/login", data={"email": "root@example.org",
                                                "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.2"},
                           headers={"X-Forwarded-For": "203.0.113.77"})
    assert response.status_code == (302 if proxies else 429)
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()
