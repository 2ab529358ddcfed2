"""Shared fixtures, after Flask's tutorial: an app per test, a client, a login helper.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names
another (CI runs the suite again on PostgreSQL that way). The schema is
created once per session; each test starts from empty tables.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from flask import g
from sqlalchemy import text

from app import create_app
from app.core.workflow import Role, State
from app.extensions import db
from app.models import Assessment, Country, Cycle, User
from app.passwords import hash_password

PASSWORD = "correct horse battery staple"
# Hashed once: Argon2 is slow on purpose, and most tests create several users.
PASSWORD_HASH = hash_password(PASSWORD)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    app = create_app({"ENV_NAME": "test", "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(_schema, database_url, tmp_path):
    app = create_app(
        {
            "ENV_NAME": "test",
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "PDF_CACHE_DIR": str(tmp_path / "pdf-cache"),
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        _empty_tables()
    app.teardown_request(_forget_request_globals)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _forget_request_globals(_exc=None) -> None:
    """Fixtures like `world` hold an app context open, and Flask then reuses it (its `g`
    and database session) for every test request; production gets fresh ones per
    request. Clearing them keeps per-request state (current user, CSRF token, rows
    cached in the identity map, uncommitted changes) from leaking across requests."""
    for name in list(vars(g)):
        delattr(g, name)
    db.session.rollback()


def _empty_tables() -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF protection on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


class World:
    """Factory for the rows most tests need."""

    def __init__(self, app):
        self.app = app

    def country(self, code="EST", name_en="Estonia", name_fr="Estonie", region="Europe"):
        country = db.session.get(Country, code)
        if country is None:
            country = Country(code=code, name_en=name_en, name_fr=name_fr, region=region)
            db.session.add(country)
            db.session.flush()
        return country

    def user(self, role: Role, country: str | None = "EST", email=None, **extra) -> User:
        if country:
            self.country(country, name_en=country, name_fr=country)
        user = User(
            email=email or f"{role.value}.{(country or 'un').lower()}@example.org",
            password_hash=PASSWORD_HASH,
            role=role,
            country_code=(country if role in {Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.MINISTRY}
                          else None),
            **extra,
        )
        db.session.add(user)
        db.session.commit()
        return user

    def cycle(self, questionnaire_id="protocol-self-assessment", version="1.0") -> Cycle:
        cycle = Cycle(
            name="2026 cycle",
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            opens_on=dt.date(2026, 1, 1),
            deadline=dt.date(2026, 12, 31),
        )
        db.session.add(cycle)
        db.session.commit()
        return cycle

    def assessment(self, country="EST", cycle=None, status=State.DRAFT) -> Assessment:
        self.country(country, name_en=country, name_fr=country)
        assessment = Assessment(country_code=country, cycle=cycle or self.cycle(), status=status)
        db.session.add(assessment)
        db.session.commit()
        return assessment


@pytest.fixture
def world(app):
    with app.app_context():
        yield World(app)


def login(client, email, password=PASSWORD):
    """Log in through the real form, CSRF token included when protection is on."""
    page = client.get("/auth/login")
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data)
    data = {"email": email, "password": password}
    if match:
        data["csrf_token"] = match.group(1).decode()
    return client.post("/auth/login", data=data, follow_redirects=False)
