"""Secretariat review, comments, decisions, reopening, audit trail and ministry readers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.workflow import Role, State
from app.extensions import db
from app.models import Assessment, AuditEvent, ReviewComment, Submission

from ._fill import section_url, signed_in
from ._helpers import post, text


def fresh(assessment_id) -> Assessment:
    db.session.expire_all()
    return db.session.get(Assessment, assessment_id)


def fill_and_submit(client, aid):
    post(client, section_url(aid, "offence"), {"q_leg_offence": "no", "b_leg_offence": "0.x"})
    post(client, section_url(aid, "penalties"), {"q_pen_years": "12", "b_pen_years": "0.x"})
    assert post(client, f"/assessments/{aid}/submit").status_code == 302


@pytest.fixture
def submitted(setup, qapp):
    focal = signed_in(qapp, setup.focal.email)
    fill_and_submit(focal, setup.assessment.id)
    return focal


@pytest.fixture
def secretariat(setup, qapp):
    return signed_in(qapp, setup.secretariat.email)


def decide(client, aid, action):
    return post(client, f"/review/{aid}/decision", {"action": action})


def test_review_list_filters_by_status_region_and_cycle(setup, world, secretariat):
    world.country("BRA", "Brazil", "Brésil", "Americas")
    brazil = world.assessment("BRA", setup.cycle, status=State.SUBMITTED)
    other_cycle = world.cycle("web-test", "1.0")
    world.assessment("HRV", other_cycle, status=State.ACCEPTED)
    page = text(secretariat.get("/review"))
    assert "3 assessment(s)" in page
    page = text(secretariat.get("/review?status=submitted"))
    assert "1 assessment(s)" in page and "Brazil" in page and "Estonia" not in page
    page = text(secretariat.get("/review?region=Europe"))
    assert "2 assessment(s)" in page and "Brazil" not in page
    page = text(secretariat.get(f"/review?cycle={other_cycle.id}"))
    assert "1 assessment(s)" in page and "Croatia" in page and "Brazil" not in page
    assert f'href="/review/{brazil.id}"' in text(secretariat.get("/review"))
    # nonsense filters are ignored, not errors
    assert secretariat.get("/review?cycle=abc&status=zzz&page=-4").status_code == 200


def test_review_list_is_paginated(setup, world, secretariat):
    for i in range(30):
        code = f"X{i:02d}"
        world.country(code, f"Country {i:02d}", f"Pays {i:02d}", "Asia")
        world.assessment(code, setup.cycle)
    first, second = text(secretariat.get("/review")), text(secretariat.get("/review?page=2"))
    assert "Page 1 of 2" in first and "Country 00" in first and "Country 29" not in first
    assert "Country 29" in second and "/review?page=1" in second


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.MINISTRY])
def test_country_roles_cannot_review(setup, qapp, role):
    user = {Role.FOCAL_POINT: setup.focal, Role.CONTRIBUTOR: setup.contributor,
            Role.MINISTRY: setup.ministry}[role]
    client = signed_in(qapp, user.email)
    aid = setup.assessment.id
    assert client.get("/review").status_code == 403
    assert client.get(f"/review/{aid}").status_code == 403
    assert decide(client, aid, "accept").status_code == 403
    assert post(client, f"/review/{aid}/comments", {"body": "x"}).status_code == 403
    assert db.session.scalar(select(db.func.count(ReviewComment.id))) == 0


def test_full_review_cycle(setup, qapp, submitted, secretariat):
    aid = setup.assessment.id
    focal = submitted
    page = text(secretariat.get(f"/review/{aid}"))
    assert "Submitted" in page and 'value="request_changes"' in page and 'value="accept"' in page
    # Comment on a question and overall, then request changes.
    assert post(secretariat, f"/review/{aid}/comments",
                {"question_id": "leg_offence", "body": "Please cite the law <b>now</b>"}
                ).status_code == 302
    post(secretariat, f"/review/{aid}/comments", {"body": "Thank you; a few points."})
    assert decide(secretariat, aid, "request_changes").status_code == 302
    assert fresh(aid).status is State.CHANGES_REQUESTED
    # The focal point sees each comment beside its question, escaped.
    page = text(focal.get(section_url(aid, "offence")))
    block = page[page.index('id="q-leg_offence"'):page.index('id="q-leg_forms"')]
    assert "Please cite the law &lt;b&gt;now&lt;/b&gt;" in block
    assert "Thank you; a few points." in text(focal.get(f"/assessments/{aid}"))
    # Fix and resubmit.
    page_base = re.search(r'name="b_leg_offence" value="([^"]+)"', page).group(1)
    post(focal, section_url(aid, "offence"), {"q_leg_offence": "yes", "q_leg_forms": "sexual",
                                              "b_leg_offence": page_base, "b_leg_forms": "0.x"})
    assert post(focal, f"/assessments/{aid}/submit").status_code == 302
    assert fresh(aid).status is State.SUBMITTED
    # Accept.
    assert decide(secretariat, aid, "accept").status_code == 302
    assessment = fresh(aid)
    assert assessment.status is State.ACCEPTED and assessment.accepted_at
    snapshots = db.session.scalars(select(Submission).order_by(Submission.number))
    outcomes = [s.outcome for s in snapshots]
    assert outcomes == [State.CHANGES_REQUESTED, State.ACCEPTED]
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.question_id.is_(None)).order_by(AuditEvent.id))]
    assert actions == ["submit", "comment", "request_changes", "submit", "accept"]
    audit = text(secretariat.get(f"/review/{aid}/audit"))
    assert "request_changes" in audit and "leg_offence" in audit and '"value": "yes"' in audit


def test_reopen_starts_a_new_version_and_keeps_the_accepted_snapshot(setup, qapp, submitted,
                                                                     secretariat):
    aid = setup.assessment.id
    decide(secretariat, aid, "accept")
    assert decide(secretariat, aid, "reopen").status_code == 302
    assessment = fresh(aid)
    assert (assessment.status, assessment.version) == (State.DRAFT, 2)
    focal = submitted
    # editable again, and the accepted snapshot is unchanged by later edits
    post(focal, section_url(aid, "penalties"), {"q_pen_years": "20", "b_pen_years": "1.x"})
    page = focal.get(f"/assessments/{aid}/submissions/1")
    assert page.status_code == 200
    body = text(page)
    assert "Accepted" in body and "12" in body and ">20<" not in body
    snapshot = db.session.scalars(select(Submission)).one()
    assert snapshot.answers["pen_years"]["value"] == 12 and snapshot.outcome is State.ACCEPTED
    ministry = signed_in(qapp, setup.ministry.email)
    assert ministry.get(f"/assessments/{aid}/submissions/1").status_code == 200
    assert ministry.get(section_url(aid, "penalties")).status_code == 403  # the new draft


def test_decisions_that_do_not_fit_the_state_are_refused(setup, qapp, secretariat):
    aid = setup.assessment.id
    response = decide(secretariat, aid, "accept")
    assert response.status_code == 302
    assert ("Not possible now: not possible while the assessment is Draft"
            in text(secretariat.get(f"/review/{aid}")))
    assert fresh(aid).status is State.DRAFT
    post(secretariat, "/language", {"lang": "fr"})
    decide(secretariat, aid, "accept")
    assert "l&#39;évaluation est dans l&#39;état « Projet »" in text(
        secretariat.get(f"/review/{aid}"))
    assert decide(secretariat, aid, "explode").status_code == 400
    assert decide(secretariat, aid, "submit").status_code == 400


def test_empty_comment_is_refused_with_a_message(setup, submitted, secretariat):
    aid = setup.assessment.id
    post(secretariat, f"/review/{aid}/comments", {"question_id": "leg_offence", "body": "  "})
    assert "Write a comment" in text(secretariat.get(f"/review/{aid}"))
    assert post(secretariat, f"/review/{aid}/comments",
                {"question_id": "no_such", "body": "x"}).status_code == 400
    assert db.session.scalar(select(db.func.count(ReviewComment.id))) == 0


def test_admin_reads_but_does_not_decide(setup, world, qapp, submitted):
    admin = signed_in(qapp, world.user(Role.ADMIN, None).email)
    aid = setup.assessment.id
    page = text(admin.get(f"/review/{aid}"))
    assert "Estonia" in page and 'value="accept"' not in page
    assert decide(admin, aid, "accept").status_code == 403
    assert fresh(aid).status is State.SUBMITTED


def test_ministry_sees_submitted_and_accepted_replies_read_only(setup, qapp, submitted,
                                                                secretariat):
    aid = setup.assessment.id
    ministry = signed_in(qapp, setup.ministry.email)
    assert ministry.get("/dashboard").location.endswith("/ministry")
    page = text(ministry.get("/ministry"))
    assert f"/assessments/{aid}/submissions/1" in page and "score" in page
    snapshot = ministry.get(f"/assessments/{aid}/submissions/1")
    assert snapshot.status_code == 200 and "Score:" in text(snapshot)
    page = text(ministry.get(section_url(aid, "offence")))  # submitted: readable, never editable
    assert 'name="q_leg_offence"' not in page and "No" in page
    assert post(ministry, section_url(aid, "offence"),
                {"q_leg_offence": "yes", "b_leg_offence": "1.x"}).status_code == 403
    decide(secretariat, aid, "request_changes")
    # sent back: no longer shown to the ministry
    assert ministry.get(f"/assessments/{aid}/submissions/1").status_code in {403, 404}
    assert f"/assessments/{aid}/submissions/1" not in text(ministry.get("/ministry"))


def test_other_countrys_ministry_sees_nothing(setup, world, qapp, submitted):
    other = signed_in(qapp, world.user(Role.MINISTRY, "HRV").email)
    aid = setup.assessment.id
    assert other.get(f"/assessments/{aid}/submissions/1").status_code == 404
    assert f"/assessments/{aid}/" not in text(other.get("/ministry"))


def test_country_sees_comments_only_once_the_review_is_decided(setup, qapp, submitted,
                                                               secretariat):
    aid = setup.assessment.id
    post(secretariat, f"/review/{aid}/comments",
         {"question_id": "leg_offence", "body": "Draft remark under review"})
    assert "Draft remark under review" in text(secretariat.get(f"/review/{aid}"))
    post(secretariat, f"/review/{aid}/comments", {"body": "Overall draft remark"})
    assert "Overall draft remark" not in text(submitted.get(f"/assessments/{aid}"))
    assert "Draft remark under review" not in text(submitted.get(section_url(aid, "offence")))
    decide(secretariat, aid, "request_changes")
    assert "Overall draft remark" in text(submitted.get(f"/assessments/{aid}"))
    assert "Draft remark under review" in text(submitted.get(section_url(aid, "offence")))
