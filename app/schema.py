"""Bring the database schema up to date through the migrations, never around them."""

from flask_migrate import stamp, upgrade
from sqlalchemy import inspect

from .extensions import db


def ensure_schema() -> None:
    """Create or upgrade the schema with Alembic, so that `flask db upgrade` keeps
    working afterwards; a database made by `create_all` (tests, older demos) is
    stamped as current instead of being created twice."""
    tables = set(inspect(db.engine).get_table_names())
    if tables and "alembic_version" not in tables:
        stamp()
    else:
        upgrade()
