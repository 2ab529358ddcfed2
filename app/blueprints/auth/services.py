"""Authentication rules: credentials, throttling, one-time links, the session user.

Functions flush or change rows; the view commits once at the end of the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app

from ...extensions import db
from ...models import LoginThrottle, OneTimeToken, User, utcnow
from ...passwords import hash_password, needs_rehash, verify_password

DEMO_ADMIN_EMAIL = "admin@example.org"
TOKEN_LIFETIME = {"invite": dt.timedelta(days=7), "reset": dt.timedelta(hours=24)}


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(
        db.select(User).where(db.func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same cost either way)."""
    user = find_user_by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if not valid or user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so a password change,
    a deactivation or a logout ends every older session of that user."""
    user_pk, _, version = user_id.partition(":")
    if not (user_pk.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def end_all_sessions(user: User) -> None:
    user.session_version += 1


def demo_loaded() -> bool:
    """True while the demo accounts exist, so the login page can explain them."""
    return db.session.scalar(
        db.select(User.id).where(User.email == DEMO_ADMIN_EMAIL).limit(1)) is not None


# --- Throttling -------------------------------------------------------------

def throttle_keys(email: str, address: str | None) -> list[str]:
    return [f"account:{normalise_email(email)}"[:300], f"address:{address or 'unknown'}"]


def _lock_period() -> dt.timedelta:
    return dt.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])


def locked_until(keys: list[str]) -> dt.datetime | None:
    """The latest lock still in force on any of the keys."""
    now = utcnow()
    locks = db.session.scalars(db.select(LoginThrottle.locked_until).where(
        LoginThrottle.key.in_(keys), LoginThrottle.locked_until > now)).all()
    return max(locks, default=None)


def _limit(key: str) -> int:
    config = current_app.config
    if key.startswith("address:"):
        return config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 4 * config["LOGIN_MAX_FAILURES"])
    return config["LOGIN_MAX_FAILURES"]


def record_failure(keys: list[str]) -> bool:
    """Count a failed attempt on every key; True if one of them is now locked."""
    now, period = utcnow(), _lock_period()
    _forget_old_failures(now - period)
    locked = False
    for key in keys:
        row = db.session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
            db.session.add(row)
        elif row.window_started_at < now - period:
            # Failures spread over a long time are not an attack; start a new window.
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= _limit(key):
            row.locked_until = now + period
            locked = True
    db.session.flush()
    return locked


def _forget_old_failures(before: dt.datetime) -> None:
    """Keep the table small: guessing random emails must not grow it without bound."""
    db.session.execute(db.delete(LoginThrottle).where(
        LoginThrottle.window_started_at < before,
        db.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < before)))


def clear_failures(key: str) -> None:
    row = db.session.get(LoginThrottle, key)
    if row is not None:
        db.session.delete(row)


# --- One-time links ---------------------------------------------------------

def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, purpose: str) -> str:
    """A new link for `user`; earlier unused links of the user stop working.
    Only the hash is stored, so a database leak yields no usable link."""
    now = utcnow()
    for old in db.session.scalars(db.select(OneTimeToken).where(
            OneTimeToken.user_id == user.id, OneTimeToken.used_at.is_(None))):
        old.used_at = now
    raw = secrets.token_urlsafe(32)
    db.session.add(OneTimeToken(user_id=user.id, purpose=purpose, token_hash=_digest(raw),
                                expires_at=now + TOKEN_LIFETIME[purpose]))
    db.session.flush()
    return raw


def valid_token(raw: str) -> OneTimeToken | None:
    if not raw or len(raw) > 100:
        return None
    token = db.session.scalar(db.select(OneTimeToken).where(
        OneTimeToken.token_hash == _digest(raw)))
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    if not token.user.active:
        return None
    return token


def set_password(token: OneTimeToken, password: str) -> User:
    user = token.user
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    token.used_at = utcnow()
    clear_failures(throttle_keys(user.email, None)[0])
    return user
