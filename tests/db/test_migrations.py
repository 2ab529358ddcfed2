"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_database(tmp_path):
    """A database no test has touched: a new SQLite file, or a new PostgreSQL database."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"tip_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_matches_models_and_downgrade_empties(empty_database):
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert {"user", "assessment", "answer", "audit_event"} <= set(
            inspect(db.engine).get_table_names()
        )
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def _revision(app) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_ensure_schema_migrates_an_empty_database(empty_database):
    from app.schema import ensure_schema

    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        ensure_schema()
        head = _revision(app)
        assert head is not None
        ensure_schema()  # idempotent
        assert _revision(app) == head
        db.engine.dispose()


def test_ensure_schema_stamps_a_database_made_by_create_all(empty_database):
    from app.schema import ensure_schema

    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        db.create_all()
        ensure_schema()  # must not try to create the tables a second time
        assert _revision(app) is not None
        upgrade()  # and later upgrades work
        db.engine.dispose()
