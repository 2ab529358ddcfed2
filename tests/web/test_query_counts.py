"""The number of SQL statements per page does not grow with the data.

Counts every statement sent to the database (SQLAlchemy's before_cursor_execute)
while one page is rendered, with little and with much data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from contextlib import contextmanager

import pytest
import yaml
from sqlalchemy import event, insert

from app.core.library import QuestionnaireLibrary
from app.core.workflow import State
from app.extensions import db
from app.models import Answer, Assessment, Country, Cycle

from ._fill import WEB_DATA, autosave, section_url, signed_in
from ._helpers import csrf_token, text


@contextmanager
def counted():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries(client, url) -> int:
    # The test's app context shares its session with the requests: start each count
    # from a cold identity map, as a real request does.
    db.session.expire_all()
    with counted() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def add_cycles_for_estonia(n: int) -> None:
    """n more cycles, each with an Estonian assessment that has answers."""
    for i in range(n):
        cycle = Cycle(name=f"Cycle {i}", questionnaire_id="web-test", questionnaire_version="1.0",
                      opens_on=dt.date(2020, 1, 1), deadline=dt.date(2020, 12, 31))
        db.session.add(cycle)
        db.session.flush()
        assessment = Assessment(country_code="EST", cycle_id=cycle.id, progress=50.0,
                                theme_progress={"legislation": 50.0}, status=State.DRAFT)
        db.session.add(assessment)
    db.session.commit()


def add_countries_with_assessments(cycle_id: int, n: int, start: int = 0) -> None:
    db.session.execute(insert(Country), [
        {"code": f"Z{i:02d}" if i < 100 else f"Y{i - 100:02d}", "name_en": f"Land {i}",
         "name_fr": f"Pays {i}", "region": ("Africa", "Asia", "Europe")[i % 3]}
        for i in range(start, start + n)])
    db.session.execute(insert(Assessment), [
        {"country_code": f"Z{i:02d}" if i < 100 else f"Y{i - 100:02d}", "cycle_id": cycle_id,
         "status": State.SUBMITTED, "version": 1, "progress": 80.0, "score": 55.5}
        for i in range(start, start + n)])
    db.session.commit()


def test_dashboard_queries_do_not_grow_with_assessments(setup, qapp):
    focal = signed_in(qapp, setup.focal.email)
    add_cycles_for_estonia(9)
    few = queries(focal, "/dashboard")
    add_cycles_for_estonia(190)
    page = focal.get("/dashboard")
    assert text(page).count("Overall progress") == 200
    assert queries(focal, "/dashboard") == few


def test_review_list_queries_do_not_grow_with_assessments(setup, qapp):
    secretariat = signed_in(qapp, setup.secretariat.email)
    add_countries_with_assessments(setup.cycle.id, 9)
    few = queries(secretariat, "/review")
    add_countries_with_assessments(setup.cycle.id, 190, start=9)
    assert "200 assessment(s)" in text(secretariat.get("/review"))
    assert queries(secretariat, "/review") == few
    assert queries(secretariat, "/review?page=5&region=Asia") == few


def test_section_queries_do_not_grow_with_answers(setup, qapp):
    focal = signed_in(qapp, setup.focal.email)
    aid = setup.assessment.id
    few = queries(focal, section_url(aid, "offence"))
    db.session.execute(insert(Answer), [
        {"assessment_id": aid, "question_id": qid, "value": value, "explanation": "x",
         "revision": 1, "updated_by_id": setup.focal.id}
        for qid, value in (("leg_offence", "yes"), ("leg_forms", ["sexual"]),
                           ("leg_law", [{"instrument": "Code", "article": "1", "year": 2000,
                                         "url": ""}]), ("leg_date", "2001-01-01"),
                           ("leg_scope", "partly"))])
    db.session.commit()
    assert queries(focal, section_url(aid, "offence")) == few


@pytest.fixture
def big_questionnaire(qapp, tmp_path):
    """A copy of the test questionnaire with a section of 2 and one of 40 questions."""
    shutil.copy(WEB_DATA / "provisions.yaml", tmp_path / "provisions.yaml")
    kinds = ["yes_no", "integer", "text", "countries", "date", "legal_reference", "evidence"]

    def question(i: int) -> dict:
        kind = kinds[i % len(kinds)]
        q = {"id": f"q{i}", "type": kind, "label": {"en": f"Question {i}", "fr": f"Q {i}"}}
        if kind == "yes_no" and i > 0:
            q["show_if"] = "q0 == 'yes'"
        return q

    data = {
        "id": "web-test", "version": "1.0", "languages": ["en", "fr"],
        "title": {"en": "Big", "fr": "Grand"},
        "themes": [{"id": "t", "title": {"en": "T", "fr": "T"}, "sections": [
            {"id": "few", "title": {"en": "Few", "fr": "Peu"},
             "questions": [question(i) for i in range(2)]},
            {"id": "many", "title": {"en": "Many", "fr": "Beaucoup"},
             "questions": [question(i) for i in range(2, 42)]},
        ]}],
    }
    (tmp_path / "web-test.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    qapp.extensions["questionnaires"] = QuestionnaireLibrary(tmp_path)
    return qapp


def test_section_queries_do_not_grow_with_questions(setup, big_questionnaire):
    focal = signed_in(big_questionnaire, setup.focal.email)
    aid = setup.assessment.id
    few = queries(focal, section_url(aid, "few"))
    many = queries(focal, section_url(aid, "many"))
    assert text(focal.get(section_url(aid, "many"))).count('class="question') == 40
    # the small section has no countries or evidence question: at most those two lookups more
    assert many <= few + 2


def test_contributor_section_page_is_not_heavier(setup, qapp):
    contributor = signed_in(qapp, setup.contributor.email)
    focal = signed_in(qapp, setup.focal.email)
    url = section_url(setup.assessment.id, "figures")
    assert queries(contributor, url) == queries(focal, url)


def test_section_page_reads_no_comments_before_a_first_submission(setup, qapp):
    """A country reads only decided reviews' comments, and there is none before the
    first submission: the page does not ask."""
    focal = signed_in(qapp, setup.focal.email)
    db.session.expire_all()
    with counted() as statements:
        assert focal.get(section_url(setup.assessment.id, "offence")).status_code == 200
    assert statements and not any("review_comment" in s for s in statements)


def test_autosave_reads_country_names_only_to_show_a_conflict(setup, qapp):
    """Parsing an answer needs no country names; showing another person's
    countries in a conflict does, in the reader's language."""
    focal = signed_in(qapp, setup.focal.email)
    other = signed_in(qapp, setup.contributor.email)
    aid = setup.assessment.id
    fields = {"q_enf_partners": ["FIN"], "b_enf_partners": ["0.x"]}
    with counted() as statements:
        reply = autosave(other, aid, "figures", ["enf_partners"], fields).get_json()
    assert reply["saved"] and not reply["conflicts"]
    assert not any("FROM country" in s for s in statements)
    focal.post("/language", data={"lang": "fr", "csrf_token": csrf_token(focal)})
    fields = {"q_enf_partners": ["HRV"], "b_enf_partners": ["0.x"]}  # stale: loaded before
    reply = autosave(focal, aid, "figures", ["enf_partners"], fields).get_json()
    assert reply["conflicts"]["enf_partners"]["theirs"] == "Finlande"
    assert reply["conflicts"]["enf_partners"]["yours"] == "Croatie"
