"""`flask demo`: idempotent demonstration data that every demo account can use."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import catalog
from app.core.workflow import State
from app.demo import ACCOUNTS, DEMO_PASSWORD, load_demo
from app.extensions import db
from app.models import Answer, Assessment, AuditEvent, Country, Cycle, Submission, User
from tests.conftest import login

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires" / "protocol-self-assessment.yaml"


def counts() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, Cycle, Assessment, Answer, Submission, AuditEvent))


def check_demo(app) -> None:
    estonia = db.session.scalars(select(Assessment).where(Assessment.country_code == "EST")).one()
    croatia = db.session.scalars(select(Assessment).where(Assessment.country_code == "HRV")).one()
    assert estonia.status is State.DRAFT and 0 < estonia.progress < 100
    assert croatia.status is State.SUBMITTED and croatia.score is not None
    snapshot = db.session.scalars(select(Submission)).one()
    assert snapshot.assessment_id == croatia.id and snapshot.answers
    assert db.session.get(Country, "EST").name_fr == "Estonie"
    before = counts()
    load_demo(catalog.library().get(estonia.cycle.questionnaire_id).id)
    assert counts() == before, "a second run changes nothing"
    for email, *_ in ACCOUNTS:
        client = app.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 302, email
        assert client.get("/dashboard", follow_redirects=True).status_code == 200, email


def test_demo_on_the_small_questionnaire(qapp, world):
    load_demo("web-test")
    check_demo(qapp)


@pytest.mark.skipif(not SHIPPED.exists(), reason="the Protocol questionnaire is not written yet")
def test_demo_on_the_protocol_questionnaire(app, world):
    load_demo()
    check_demo(app)
    croatia = db.session.scalars(select(Assessment).where(Assessment.country_code == "HRV")).one()
    assert croatia.cycle.questionnaire_id == "protocol-self-assessment"
    assert db.session.scalar(select(func.count(Country.code))) >= 193


def test_demo_cli(app):
    runner = app.test_cli_runner()
    if not SHIPPED.exists():
        pytest.skip("the Protocol questionnaire is not written yet")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "demo-password" in result.output and "Croatia: filled and submitted." in result.output
    assert "Croatia" not in runner.invoke(args=["demo"]).output  # nothing left to do
