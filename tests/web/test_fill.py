"""Filling in: dashboard, section pages, saving, validation, conditions, conflicts, autosave."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.workflow import Role, State
from app.extensions import db
from app.models import Answer, Assessment, AuditEvent

from ._fill import autosave, base_of, section_url, signed_in
from ._helpers import post, text


def answers(assessment_id) -> dict:
    rows = db.session.scalars(select(Answer).where(Answer.assessment_id == assessment_id))
    return {row.question_id: row for row in rows}


def fresh(assessment_id) -> Assessment:
    db.session.expire_all()
    return db.session.get(Assessment, assessment_id)


@pytest.fixture
def focal(setup, qapp):
    return signed_in(qapp, setup.focal.email)


def test_dashboard_shows_progress_per_theme(setup, focal):
    aid = setup.assessment.id
    post(focal, section_url(aid, "penalties"), {"q_pen_years": "12", "b_pen_years": "0.x"})
    page = text(focal.get("/dashboard"))
    assert "Estonia" in page and "Legislation" in page and "Enforcement" in page
    # 1 of the 6 visible legislation questions answered: 17 %; enforcement untouched.
    assert re.search(r"Legislation</a></th>\s*<td><progress[^>]*value=\"17\"", page)
    assert re.search(r"Enforcement</a></th>\s*<td><progress[^>]*value=\"0\"", page)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ADMIN])
def test_dashboard_sends_secretariat_and_admin_to_the_review_list(setup, qapp, world, role):
    user = setup.secretariat if role is Role.SECRETARIAT else world.user(Role.ADMIN, None)
    client = signed_in(qapp, user.email)
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.location.endswith("/review")


def test_every_field_of_a_section_has_a_label(setup, focal):
    for section in ("offence", "penalties", "figures", "needs"):
        page = text(focal.get(section_url(setup.assessment.id, section)))
        ids = re.findall(r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"',
                         page)
        assert ids, section
        for field_id in ids:
            assert f'for="{field_id}"' in page, f"{section}: {field_id} has no label"
        # radio groups are fieldsets with a legend
        assert page.count("<fieldset") == page.count("<legend>") or section != "offence"


def test_save_stores_answers_explanations_and_audits_before_and_after(setup, focal):
    aid = setup.assessment.id
    url = section_url(aid, "offence")
    response = post(focal, url, {"q_leg_offence": "no", "x_leg_offence": "Draft law pending",
                                 "b_leg_offence": base_of(text(focal.get(url)), "leg_offence")})
    assert response.status_code == 302
    page = text(focal.get(url))
    assert "Saved at" in page
    response = post(focal, url, {"q_leg_offence": "yes", "x_leg_offence": "Since 2006",
                                 "b_leg_offence": base_of(page, "leg_offence")})
    assert response.status_code == 302
    row = answers(aid)["leg_offence"]
    assert (row.value, row.explanation, row.revision) == ("yes", "Since 2006", 2)
    assert row.updated_by_id == setup.focal.id
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.question_id == "leg_offence").order_by(AuditEvent.id)).all()
    assert [(e.before, e.after) for e in events] == [
        (None, {"value": "no", "explanation": "Draft law pending"}),
        ({"value": "no", "explanation": "Draft law pending"},
         {"value": "yes", "explanation": "Since 2006"}),
    ]
    assert all(e.actor_id == setup.focal.id and e.created_at for e in events)
    assessment = fresh(aid)
    assert assessment.score == 100.0 and assessment.progress > 0


def test_unchanged_answers_are_not_rewritten(setup, focal):
    aid = setup.assessment.id
    url = section_url(aid, "penalties")
    post(focal, url, {"q_pen_years": "8", "b_pen_years": "0.x"})
    page = text(focal.get(url))
    post(focal, url, {"q_pen_years": "8", "b_pen_years": base_of(page, "pen_years")})
    assert answers(aid)["pen_years"].revision == 1
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == 1


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("q_pen_years", "twelve", "enter a whole number"),
    ("q_pen_years", "150", "no larger than 99"),
    ("q_pen_years", "-1", "no smaller than 0"),
    ("q_pen_fine", "1,5x", "enter a number"),
    ("q_pen_kind", "everyone", "choose one of: persons, both"),
])
def test_invalid_input_is_shown_next_to_the_field_with_what_was_typed(setup, focal, field,
                                                                      typed, message):
    aid = setup.assessment.id
    response = post(focal, section_url(aid, "penalties"),
                    {field: typed, "q_pen_fine": "2,5" if field != "q_pen_fine" else typed,
                     "b_pen_years": "0.x", "b_pen_fine": "0.x", "b_pen_kind": "0.x"})
    assert response.status_code == 422
    page = text(response)
    qid = field[2:]
    # the message sits in the question's error paragraph, linked from the summary
    assert re.search(rf'id="e-{qid}">.*{re.escape(message)}', page)
    assert 'class="error-summary"' in page and f'href="#q_{qid}' in page
    if field != "q_pen_kind":
        assert f'value="{typed}"' in page  # input kept
        assert f'aria-describedby="e-{qid}"' in page
    assert "Traceback" not in page
    stored = answers(aid)
    assert qid not in stored
    if field != "q_pen_fine":  # the valid answer beside it was saved anyway
        assert stored["pen_fine"].value == 2.5


def test_legal_reference_error_keeps_every_subfield(setup, focal):
    aid = setup.assessment.id
    url = section_url(aid, "offence")
    post(focal, url, {"q_leg_offence": "yes", "b_leg_offence": "0.x"})
    response = post(focal, url, {"q_leg_offence": "yes", "q_leg_law-0-instrument": "Penal Code",
                                 "q_leg_law-0-article": "133", "q_leg_law-0-year": "nineteen",
                                 "b_leg_law": "0.x", "b_leg_offence": "1.x"})
    assert response.status_code == 422
    page = text(response)
    assert "the year must be a number" in page
    assert 'value="Penal Code"' in page and 'value="nineteen"' in page and 'value="133"' in page


def test_every_question_type_round_trips(setup, focal):
    aid = setup.assessment.id
    post(focal, section_url(aid, "offence"), {
        "q_leg_offence": "yes", "q_leg_forms": ["sexual", "labour"],
        "q_leg_law-0-instrument": "Penal Code", "q_leg_law-0-article": "133",
        "q_leg_law-0-year": "2006", "q_leg_law-0-url": "https://example.org/code",
        "q_leg_law-1-instrument": "", "q_leg_date": "2006-07-15", "q_leg_scope": "not_applicable",
        **{f"b_{q}": "0.x" for q in ("leg_offence", "leg_forms", "leg_law", "leg_date",
                                     "leg_scope")}})
    post(focal, section_url(aid, "figures"), {
        "q_enf_stats-victims-2007-total": "11", "q_enf_stats-victims-2007-sex-female": "9",
        "q_enf_stats-cases-2006-total": "3", "q_enf_partners": ["FIN", "HRV"],
        "q_enf_notes": "  Cooperation with Finland  ",
        **{f"b_{q}": "0.x" for q in ("enf_stats", "enf_partners", "enf_notes")}})
    stored = {qid: row.value for qid, row in answers(aid).items()}
    assert stored == {
        "leg_offence": "yes", "leg_forms": ["sexual", "labour"],
        "leg_law": [{"instrument": "Penal Code", "article": "133", "year": 2006,
                     "url": "https://example.org/code"}],
        "leg_date": "2006-07-15", "leg_scope": "not_applicable",
        "enf_stats": {"victims": {"2007": {"total": 11, "sex": {"female": 9}}},
                      "cases": {"2006": {"total": 3}}},
        "enf_partners": ["FIN", "HRV"], "enf_notes": "Cooperation with Finland",
    }
    page = text(focal.get(section_url(aid, "figures")))
    assert 'name="q_enf_stats-victims-2007-total" value="11"' in page
    assert '<option value="HRV" selected>Croatia</option>' in page
    page = text(focal.get(section_url(aid, "offence")))
    assert 'name="q_leg_law-0-instrument" value="Penal Code"' in page
    assert 'value="not_applicable" checked' in page


def test_statistics_breakdown_larger_than_total_is_refused(setup, focal):
    response = post(focal, section_url(setup.assessment.id, "figures"), {
        "q_enf_stats-victims-2007-total": "2", "q_enf_stats-victims-2007-sex-female": "5",
        "b_enf_stats": "0.x"})
    assert response.status_code == 422
    assert "adds up to more than the total" in text(response)
    assert 'value="5"' in text(response)


def test_conditional_question_hidden_and_ignored_while_false(setup, focal):
    aid = setup.assessment.id
    url = section_url(aid, "offence")
    page = text(focal.get(url))
    assert re.search(r'id="q-leg_forms"[^>]*hidden', page), "hidden until its trigger is answered"
    # A crafted POST for the hidden question is ignored, even if invalid.
    response = post(focal, url, {"q_leg_offence": "no", "q_leg_forms": ["sexual", "bogus"],
                                 "b_leg_offence": "0.x", "b_leg_forms": "0.x"})
    assert response.status_code == 302
    assert set(answers(aid)) == {"leg_offence"}
    assert re.search(r'id="q-leg_forms"[^>]*hidden', text(focal.get(url)))
    # Answering the trigger in the same POST reveals and saves the follow-up.
    post(focal, url, {"q_leg_offence": "yes", "q_leg_forms": "sexual",
                      "b_leg_offence": "1.x", "b_leg_forms": "0.x"})
    assert answers(aid)["leg_forms"].value == ["sexual"]
    assert not re.search(r'id="q-leg_forms"[^>]*hidden', text(focal.get(url)))


def test_conflicting_edit_shows_both_values_and_keeps_theirs(setup, qapp, focal):
    aid = setup.assessment.id
    url = section_url(aid, "penalties")
    other = signed_in(qapp, setup.contributor.email)
    mine, theirs = text(focal.get(url)), text(other.get(url))
    assert post(other, url, {"q_pen_years": "10", "x_pen_years": "Article 133",
                             "b_pen_years": base_of(theirs, "pen_years")}).status_code == 302
    response = post(focal, url, {"q_pen_years": "15", "b_pen_years": base_of(mine, "pen_years")})
    assert response.status_code == 422
    page = text(response)
    assert "Carl Contributor" in page and "changed this answer" in page
    assert '<span class="theirs">10</span> — Article 133' in page  # theirs
    assert re.search(r'name="q_pen_years"[^>]*value="15"', page)  # yours, kept
    assert answers(aid)["pen_years"].value == 10
    # Saving again from the conflict page is a deliberate overwrite.
    response = post(focal, url, {"q_pen_years": "15", "b_pen_years": base_of(page, "pen_years")})
    assert response.status_code == 302
    assert answers(aid)["pen_years"].value == 15


def test_stale_page_does_not_undo_a_colleagues_answer(setup, qapp, focal):
    """A field the person did not touch carries its old value; it must not win."""
    aid = setup.assessment.id
    url = section_url(aid, "penalties")
    post(focal, url, {"q_pen_years": "5", "b_pen_years": "0.x"})
    stale = text(focal.get(url))
    other = signed_in(qapp, setup.contributor.email)
    post(other, url, {"q_pen_years": "7", "b_pen_years": base_of(text(other.get(url)),
                                                                  "pen_years")})
    response = post(focal, url, {"q_pen_years": "5", "q_pen_fine": "3",
                                 "b_pen_years": base_of(stale, "pen_years"),
                                 "b_pen_fine": base_of(stale, "pen_fine")})
    assert response.status_code == 302
    stored = answers(aid)
    assert stored["pen_years"].value == 7 and stored["pen_fine"].value == 3


def test_autosave_saves_and_returns_revision_visibility_and_time(setup, focal):
    aid = setup.assessment.id
    response = autosave(focal, aid, "offence", ["leg_offence"],
                        {"q_leg_offence": ["yes"], "x_leg_offence": ["ok"],
                         "b_leg_offence": ["0.x"]})
    assert response.status_code == 200
    reply = response.get_json()
    row = answers(aid)["leg_offence"]
    assert row.value == "yes" and row.revision == 1
    assert reply["saved"]["leg_offence"].startswith("1.")
    assert "leg_forms" in reply["visible"] and "leg_law" in reply["visible"]
    assert re.fullmatch(r"\d\d:\d\d UTC", reply["saved_at"])
    reply = autosave(focal, aid, "offence", ["leg_offence"],
                     {"q_leg_offence": ["no"], "b_leg_offence": [reply["saved"]["leg_offence"]]}
                     ).get_json()
    assert "leg_forms" not in reply["visible"]


def test_autosave_reports_errors_and_conflicts(setup, qapp, focal):
    aid = setup.assessment.id
    reply = autosave(focal, aid, "penalties", ["pen_years"],
                     {"q_pen_years": ["lots"], "b_pen_years": ["0.x"]}).get_json()
    assert reply["errors"] == {"pen_years": "enter a whole number"}
    assert answers(aid) == {}
    other = signed_in(qapp, setup.contributor.email)
    autosave(other, aid, "penalties", ["pen_years"], {"q_pen_years": ["4"], "b_pen_years": ["0.x"]})
    reply = autosave(focal, aid, "penalties", ["pen_years"],
                     {"q_pen_years": ["9"], "b_pen_years": ["0.x"]}).get_json()
    conflict = reply["conflicts"]["pen_years"]
    assert (conflict["theirs"], conflict["yours"], conflict["by"]) == ("4", "9", "Carl Contributor")
    assert answers(aid)["pen_years"].value == 4


@pytest.mark.parametrize("body", ["not json", '{"fields": []}', '{"fields": {"q_pen_years": [1]}}'])
def test_malformed_autosave_is_refused_cleanly(setup, focal, body):
    from ._helpers import csrf_token

    response = focal.post(f"/assessments/{setup.assessment.id}/answers", data=body,
                          content_type="application/json",
                          headers={"X-CSRFToken": csrf_token(focal)})
    assert response.status_code in {400, 404}
    assert answers(setup.assessment.id) == {}


def test_autosave_without_csrf_header_is_refused(setup, focal):
    response = focal.post(f"/assessments/{setup.assessment.id}/answers",
                          json={"section": "penalties", "questions": ["pen_years"],
                                "fields": {"q_pen_years": ["3"], "b_pen_years": ["0.x"]}})
    assert response.status_code == 400
    assert answers(setup.assessment.id) == {}


def test_contributor_limited_to_their_themes(setup, qapp):
    setup.contributor.themes = ["enforcement"]
    db.session.commit()
    client = signed_in(qapp, setup.contributor.email)
    aid = setup.assessment.id
    page = text(client.get(section_url(aid, "offence")))
    assert "You can read this section but not change it" in page
    assert 'name="q_leg_offence"' not in page
    assert post(client, section_url(aid, "offence"),
                {"q_leg_offence": "yes", "b_leg_offence": "0.x"}).status_code == 403
    assert autosave(client, aid, "offence", ["leg_offence"],
                    {"q_leg_offence": ["yes"], "b_leg_offence": ["0.x"]}).status_code == 403
    assert post(client, section_url(aid, "figures"),
                {"q_enf_notes": "fine", "b_enf_notes": "0.x"}).status_code == 302
    assert set(answers(aid)) == {"enf_notes"}


def test_ministry_reader_cannot_edit(setup, qapp):
    client = signed_in(qapp, setup.ministry.email)
    aid = setup.assessment.id
    assert client.get(section_url(aid, "offence")).status_code == 403  # a draft: not theirs to read
    assert post(client, section_url(aid, "offence"),
                {"q_leg_offence": "yes", "b_leg_offence": "0.x"}).status_code == 403
    assert autosave(client, aid, "offence", ["leg_offence"],
                    {"q_leg_offence": ["yes"], "b_leg_offence": ["0.x"]}).status_code == 403
    assert answers(aid) == {}


def test_other_countrys_assessment_is_not_found(setup, qapp, world):
    croatia = world.user(Role.FOCAL_POINT, "HRV")
    client = signed_in(qapp, croatia.email)
    aid = setup.assessment.id
    assert client.get(section_url(aid, "offence")).status_code == 404
    assert post(client, section_url(aid, "offence"),
                {"q_leg_offence": "yes", "b_leg_offence": "0.x"}).status_code == 404
    assert answers(aid) == {}


def test_unknown_section_is_not_found(setup, focal):
    assert focal.get(section_url(setup.assessment.id, "nope")).status_code == 404


def test_submit_lists_missing_required_answers_with_links(setup, focal):
    aid = setup.assessment.id
    page = text(focal.get(f"/assessments/{aid}/submit"))
    assert "2 required answer(s) missing" in page
    assert f'href="/assessments/{aid}/sections/offence#q-leg_offence"' in page
    assert f'href="/assessments/{aid}/sections/penalties#q-pen_years"' in page
    response = post(focal, f"/assessments/{aid}/submit")
    assert response.status_code == 422
    assert fresh(aid).status is State.DRAFT
    # leg_forms becomes required only once visible
    post(focal, section_url(aid, "offence"), {"q_leg_offence": "yes", "b_leg_offence": "0.x"})
    page = text(focal.get(f"/assessments/{aid}/submit"))
    assert "#q-leg_forms" in page and "#q-leg_offence" not in page


def test_submit_freezes_a_snapshot_and_locks_editing(setup, focal):
    from app.models import Submission

    aid = setup.assessment.id
    post(focal, section_url(aid, "offence"), {"q_leg_offence": "no", "b_leg_offence": "0.x"})
    post(focal, section_url(aid, "penalties"), {"q_pen_years": "12", "b_pen_years": "0.x"})
    response = post(focal, f"/assessments/{aid}/submit")
    assert response.status_code == 302
    assessment = fresh(aid)
    assert assessment.status is State.SUBMITTED and assessment.submitted_at
    snapshot = db.session.scalars(select(Submission)).one()
    assert snapshot.answers == {"leg_offence": {"value": "no", "explanation": ""},
                                "pen_years": {"value": 12, "explanation": ""}}
    assert snapshot.score == 0.0 and snapshot.number == 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "submit")).one()
    assert (event.before, event.after, event.actor_id) == ("draft", "submitted", setup.focal.id)
    assert post(focal, section_url(aid, "penalties"),
                {"q_pen_years": "1", "b_pen_years": "1.x"}).status_code == 403
    assert answers(aid)["pen_years"].value == 12


def test_only_the_focal_point_submits(setup, qapp):
    client = signed_in(qapp, setup.contributor.email)
    assert post(client, f"/assessments/{setup.assessment.id}/submit").status_code == 403
    assert fresh(setup.assessment.id).status is State.DRAFT


def test_overlong_explanation_is_refused_and_kept(setup, focal):
    text_in = "x" * 20_001
    response = post(focal, section_url(setup.assessment.id, "penalties"),
                    {"q_pen_years": "4", "x_pen_years": text_in, "b_pen_years": "0.x"})
    assert response.status_code == 422
    assert "the explanation is limited to 20000 characters" in text(response)
    assert text_in in text(response)
    assert "pen_years" not in answers(setup.assessment.id)


def test_section_in_french(setup, focal):
    from app.models import User

    user = db.session.get(User, setup.focal.id)
    user.language = "fr"
    db.session.commit()
    page = text(focal.get(section_url(setup.assessment.id, "offence")))
    assert "La traite est-elle une infraction pénale?" in page
    assert ">Oui</label>" in page and ">Non</label>" in page
    assert "Au sens de l&#39;article 3." in page
