"""Shared set-up for the filling, review and upload tests: a small questionnaire
(tests/data/web/web-test.yaml) covering every question type."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.core.library import QuestionnaireLibrary
from app.core.workflow import Role
from tests.conftest import login

from ._helpers import csrf_token

WEB_DATA = Path(__file__).resolve().parent.parent / "data" / "web"


@pytest.fixture
def qapp(app):
    """The app with the small test questionnaire instead of the shipped ones."""
    app.config["QUESTIONNAIRES_DIR"] = str(WEB_DATA)
    app.extensions["questionnaires"] = QuestionnaireLibrary(WEB_DATA)
    return app


class Setup:
    def __init__(self, world):
        self.world = world
        world.country("EST", "Estonia", "Estonie", "Europe")
        world.country("HRV", "Croatia", "Croatie", "Europe")
        world.country("FIN", "Finland", "Finlande", "Europe")
        self.cycle = world.cycle("web-test", "1.0")
        self.assessment = world.assessment("EST", self.cycle)
        self.focal = world.user(Role.FOCAL_POINT, "EST", name="Fiona Focal")
        self.contributor = world.user(Role.CONTRIBUTOR, "EST", name="Carl Contributor")
        self.ministry = world.user(Role.MINISTRY, "EST")
        self.secretariat = world.user(Role.SECRETARIAT, None, name="Sam Secretariat")


@pytest.fixture
def setup(qapp, world):
    return Setup(world)


def signed_in(app, email):
    client = app.test_client()
    response = login(client, email)
    assert response.status_code == 302, "login should succeed"
    return client


def section_url(assessment_id, section_id):
    return f"/assessments/{assessment_id}/sections/{section_id}"


def base_of(page: str, qid: str) -> str:
    match = re.search(rf'name="b_{qid}" value="([^"]*)"', page)
    assert match, f"the page should carry the revision of {qid}"
    return match.group(1)


def autosave(client, assessment_id, section, questions, fields, token=None):
    return client.post(
        f"/assessments/{assessment_id}/answers",
        data=json.dumps({"section": section, "questions": questions, "fields": fields}),
        content_type="application/json",
        headers={"X-CSRFToken": token or csrf_token(client)},
    )
