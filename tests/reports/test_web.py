"""Downloads and preview: who gets which report, in which language, from cache."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.workflow import Role, State
from app.extensions import db
from app.models import Answer, ReviewComment, Submission
from app.pdf import render
from app.pdf.sample import sample_answers
from tests.conftest import login

from .report_helpers import open_pdf, pdf_text


@pytest.fixture
def setup(app, world, mini_library, mini):
    """An Estonian assessment of the mini questionnaire with worst answers."""
    app.extensions["questionnaires"] = mini_library
    cycle = world.cycle("mini-report", "1.2")
    assessment = world.assessment("EST", cycle=cycle, status=State.SUBMITTED)
    assessment.submitted_at = dt.datetime(2026, 3, 4, 10, 0)
    for qid, value in sample_answers(mini, "worst").items():
        db.session.add(Answer(assessment_id=assessment.id, question_id=qid, value=value,
                              explanation="Explained." if qid == "leg_offence" else ""))
    db.session.commit()
    return assessment


def _as(app, world, role, country="EST", **extra):
    """A fresh client logged in as a new user with this role."""
    client = app.test_client()
    user = world.user(role, country, **extra)
    assert login(client, user.email).status_code in (302, 303)
    return client


def _get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response


def test_focal_point_downloads_own_country_report(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT)
    response = _get_pdf(client, f"/assessments/{setup.id}/report.pdf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'gap-report-EST-cycle{setup.cycle_id}-en.pdf' in disposition
    assert "no-store" in response.headers["Cache-Control"]
    with open_pdf(response.data) as pdf:
        assert "/StructTreeRoot" in pdf.Root


def test_lang_parameter_gives_a_french_pdf(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT)
    response = _get_pdf(client, f"/assessments/{setup.id}/report.pdf?lang=fr&kind=summary")
    with open_pdf(response.data) as pdf:
        assert str(pdf.Root.Lang) == "fr"
    assert "Synthèse" in pdf_text(response.data)
    assert "summary-EST" in response.headers["Content-Disposition"]


def test_user_language_is_the_default(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT, language="fr")
    response = _get_pdf(client, f"/assessments/{setup.id}/report.pdf")
    with open_pdf(response.data) as pdf:
        assert str(pdf.Root.Lang) == "fr"


def test_other_country_is_not_found(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT, country="FIN")
    assert client.get(f"/assessments/{setup.id}/report.pdf").status_code == 404
    assert client.get(f"/assessments/{setup.id}/report.html").status_code == 404
    client = _as(app, world, Role.MINISTRY, country="FIN")
    assert client.get(f"/assessments/{setup.id}/report.pdf").status_code == 404


def test_ministry_reads_submitted_not_draft(app, world, setup):
    client = _as(app, world, Role.MINISTRY)
    _get_pdf(client, f"/assessments/{setup.id}/report.pdf")
    setup.status = State.DRAFT
    db.session.commit()
    assert client.get(f"/assessments/{setup.id}/report.pdf").status_code == 403
    assert client.get(f"/assessments/{setup.id}/report.html").status_code == 403


def test_secretariat_reads_any(app, world, setup):
    setup.status = State.DRAFT
    db.session.commit()
    client = _as(app, world, Role.SECRETARIAT, country=None)
    _get_pdf(client, f"/assessments/{setup.id}/report.pdf?kind=summary")


def test_anonymous_is_refused(client, setup):
    response = client.get(f"/assessments/{setup.id}/report.pdf")
    assert response.status_code in (302, 401)
    assert response.mimetype != "application/pdf"


def test_bad_kind_is_a_bad_request(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT)
    assert client.get(f"/assessments/{setup.id}/report.pdf?kind=x").status_code == 400


def test_second_download_comes_from_cache(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT)
    first = _get_pdf(client, f"/assessments/{setup.id}/report.pdf")
    renders = render.stats.renders
    second = _get_pdf(client, f"/assessments/{setup.id}/report.pdf")
    assert render.stats.renders == renders and second.data == first.data
    answer = db.session.query(Answer).filter_by(assessment_id=setup.id,
                                                question_id="leg_offence").one()
    answer.value = "yes"
    db.session.commit()
    third = _get_pdf(client, f"/assessments/{setup.id}/report.pdf")
    assert render.stats.renders == renders + 1 and third.data != first.data


def test_preview_is_the_same_report_under_a_strict_csp(app, world, setup):
    client = _as(app, world, Role.FOCAL_POINT)
    response = client.get(f"/assessments/{setup.id}/report.html?lang=fr")
    assert response.status_code == 200 and response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page and "Lacunes et recommandations" in page
    assert '<link rel="stylesheet" href="/reports/report.css">' in page
    assert " style=" not in page and "<script" not in page
    css = client.get("/reports/report.css")
    assert css.status_code == 200 and css.mimetype == "text/css"


def _comment(assessment, body, submission=None):
    db.session.add(ReviewComment(assessment_id=assessment.id, question_id="leg_offence",
                                 body=body, submission_id=submission.id if submission else None))
    db.session.commit()


def test_comments_reach_the_country_once_changes_are_requested(app, world, setup):
    _comment(setup, "Internal note on the offence.")
    client = _as(app, world, Role.SECRETARIAT, country=None)
    staff_page = client.get(f"/assessments/{setup.id}/report.html").get_data(as_text=True)
    assert "Internal note on the offence." in staff_page
    client = _as(app, world, Role.FOCAL_POINT)
    url = f"/assessments/{setup.id}/report.html"
    assert "Internal note on the offence." not in client.get(url).get_data(as_text=True)
    setup.status = State.CHANGES_REQUESTED
    db.session.commit()
    assert "Internal note on the offence." in client.get(url).get_data(as_text=True)


def _submission(assessment, outcome, number=1, value="no"):
    submission = Submission(assessment_id=assessment.id, number=number, assessment_version=1,
                            answers={"leg_offence": {"value": value, "explanation": "Snap."}},
                            outcome=outcome, submitted_at=dt.datetime(2026, 2, 1))
    db.session.add(submission)
    db.session.commit()
    return submission


def test_submission_snapshot_report(app, world, setup):
    snapshot = _submission(setup, State.CHANGES_REQUESTED)
    _comment(setup, "Please cite the law.", snapshot)
    client = _as(app, world, Role.FOCAL_POINT)
    response = _get_pdf(client, f"/submissions/{snapshot.id}/report.pdf?lang=fr")
    text = pdf_text(response.data)
    assert "Please cite the law." in text and "1 février 2026" in text
    assert "-s1-fr.pdf" in response.headers["Content-Disposition"]
    client = _as(app, world, Role.MINISTRY)
    assert client.get(f"/submissions/{snapshot.id}/report.pdf").status_code == 403
    client = _as(app, world, Role.FOCAL_POINT, country="FIN")
    assert client.get(f"/submissions/{snapshot.id}/report.pdf").status_code == 404
    assert client.get("/submissions/999999/report.pdf").status_code == 404


def test_ministry_reads_the_accepted_snapshot_of_a_reopened_reply(app, world, setup):
    _submission(setup, State.ACCEPTED, value="yes")
    setup.status, setup.version = State.DRAFT, 2
    db.session.commit()
    client = _as(app, world, Role.MINISTRY)
    page = client.get(f"/assessments/{setup.id}/report.html")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Snap." in text and "Explained." not in text  # the snapshot, not the new draft


def test_pages_link_to_the_reports(app, world, setup):
    snapshot = _submission(setup, State.SUBMITTED)
    client = _as(app, world, Role.SECRETARIAT, country=None)
    page = client.get(f"/review/{setup.id}").get_data(as_text=True)
    assert f"/assessments/{setup.id}/report.pdf?lang=en" in page
    page = client.get(f"/assessments/{setup.id}/submissions/1").get_data(as_text=True)
    assert f"/submissions/{snapshot.id}/report.pdf?lang=en&amp;kind=summary" in page
    client = _as(app, world, Role.MINISTRY)
    page = client.get("/ministry").get_data(as_text=True)
    assert f"/submissions/{snapshot.id}/report.pdf?lang=en" in page
    client = _as(app, world, Role.FOCAL_POINT)
    page = client.get(f"/assessments/{setup.id}").get_data(as_text=True)
    assert f"/assessments/{setup.id}/report.html?lang=en" in page


def test_a_refused_render_is_a_clean_error(app, world, setup, monkeypatch):
    monkeypatch.setattr(render, "MAX_PAGES", 1)
    client = _as(app, world, Role.FOCAL_POINT)
    response = client.get(f"/assessments/{setup.id}/report.pdf")
    assert response.status_code == 503
    assert response.mimetype == "text/html" and b"Traceback" not in response.data


def test_ministry_gets_nothing_of_a_draft_without_an_accepted_snapshot(app, world, setup):
    _submission(setup, State.CHANGES_REQUESTED)
    setup.status, setup.version = State.DRAFT, 2
    db.session.commit()
    client = _as(app, world, Role.MINISTRY)
    assert client.get(f"/assessments/{setup.id}/report.pdf").status_code == 403


def test_comment_authors_are_named_to_the_secretariat_only(app, world, setup):
    author = world.user(Role.SECRETARIAT, None, email="ana@un.example.org", name="Ana Reviewer")
    db.session.add(ReviewComment(assessment_id=setup.id, body="Decided.", author_id=author.id))
    setup.status = State.ACCEPTED
    db.session.commit()
    url = f"/assessments/{setup.id}/report.html"
    staff = _as(app, world, Role.SECRETARIAT, None).get(url).get_data(as_text=True)
    country = _as(app, world, Role.FOCAL_POINT).get(url).get_data(as_text=True)
    assert "Decided." in staff and "Ana Reviewer" in staff
    assert "Decided." in country and "Ana Reviewer" not in country
