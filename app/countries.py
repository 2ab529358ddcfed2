"""The UN Member States and observer States, loaded from app/data/countries.csv.

Regions are the five UN regional groups. The Holy See belongs to no group; it is
filed with "Western European and others" only so that region filters include it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from .extensions import db
from .models import Country

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.csv"

# Stored in English (stable for filters and exports); shown translated.
REGIONS = {
    "African": _l("African States"),
    "Asia-Pacific": _l("Asia-Pacific States"),
    "Eastern European": _l("Eastern European States"),
    "Latin American and Caribbean": _l("Latin American and Caribbean States"),
    "Western European and others": _l("Western European and other States"),
}


def read_countries(path: Path = DATA_FILE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["observer"] = row["observer"] == "1"
        if row["region"] not in REGIONS:
            raise ValueError(f"{path}: {row['code']}: unknown region {row['region']!r}")
    return rows


def load_countries() -> int:
    """Insert or update every country (idempotent); returns how many rows changed."""
    existing = {c.code: c for c in db.session.scalars(db.select(Country))}
    changed = 0
    for row in read_countries():
        country = existing.get(row["code"])
        if country is None:
            db.session.add(Country(**row))
            changed += 1
            continue
        differs = {k: v for k, v in row.items() if getattr(country, k) != v}
        for field, value in differs.items():
            setattr(country, field, value)
        changed += bool(differs)
    db.session.commit()
    return changed


countries_cli = AppGroup("countries", help="Reference list of countries.")


@countries_cli.command("load")
def load_command() -> None:
    """Insert or update the UN Member and observer States."""
    db.create_all()
    changed = load_countries()
    click.echo(f"{len(read_countries())} countries; {changed} change(s).")


def init_app(app: Flask) -> None:
    app.cli.add_command(countries_cli)
