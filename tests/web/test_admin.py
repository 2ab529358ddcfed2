"""Administration of users, countries and cycles; administrators only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from app.blueprints.auth import services as auth_services
from app.core.library import QuestionnaireLibrary
from app.core.workflow import Role, State
from app.countries import load_countries, read_countries
from app.extensions import db
from app.models import Assessment, Country, Cycle, OneTimeToken, User
from tests.conftest import login

from ._helpers import post, text

WEB_DATA = Path(__file__).resolve().parent.parent / "data" / "web"


@pytest.fixture
def admin_client(app, client, world):
    app.config["QUESTIONNAIRES_DIR"] = str(WEB_DATA)
    app.extensions["questionnaires"] = QuestionnaireLibrary(WEB_DATA)
    world.country("EST", "Estonia", "Estonie", "Eastern European")
    world.country("HRV", "Croatia", "Croatie", "Eastern European")
    world.user(Role.ADMIN, country=None, email="root@example.org")
    login(client, "root@example.org")
    return client


def _user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


NEW_USER = {"name": "Maria Tamm", "email": "Maria.Tamm@example.org", "role": "focal_point",
            "country_code": "EST", "language": "fr", "active": "y"}


# --- Access -------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.FOCAL_POINT, Role.CONTRIBUTOR,
                                  Role.MINISTRY])
@pytest.mark.parametrize("url", ["/admin/", "/admin/users", "/admin/users/new",
                                 "/admin/countries", "/admin/cycles", "/admin/cycles/new"])
def test_other_roles_get_403(client, world, role, url):
    user = world.user(role)
    login(client, user.email)
    assert client.get(url).status_code == 403


def test_other_roles_cannot_post_either(client, world):
    world.user(Role.SECRETARIAT, country=None)
    login(client, "secretariat.un@example.org")
    response = post(client, "/admin/users/new", NEW_USER)
    assert response.status_code == 403
    assert _user("maria.tamm@example.org") is None


# --- Users --------------------------------------------------------------------

def test_create_user_shows_a_one_time_invitation_link(admin_client):
    response = post(admin_client, "/admin/users/new", NEW_USER)
    assert response.status_code == 200
    page = text(response)
    link = re.search(r'value="(http://localhost/auth/accept/[^"]+)"', page).group(1)
    user = _user("maria.tamm@example.org")  # stored in lower case
    assert (user.role, user.country_code, user.language) == (Role.FOCAL_POINT, "EST", "fr")
    assert user.password_hash is None
    token = db.session.scalar(db.select(OneTimeToken).where(OneTimeToken.user_id == user.id))
    assert token.purpose == "invite"
    assert link.rsplit("/", 1)[1] not in token.token_hash  # only the hash is stored
    assert admin_client.get(link.replace("http://localhost", "")).status_code == 200


def test_user_list_shows_users(admin_client):
    post(admin_client, "/admin/users/new", NEW_USER)
    page = text(admin_client.get("/admin/users"))
    assert "maria.tamm@example.org" in page and "Invited" in page


@pytest.mark.parametrize("change, field, message", [
    ({"email": "not-an-email"}, "email", "Enter an email address like name@example.org."),
    ({"email": ""}, "email", "Enter an email address."),
    ({"name": ""}, "name", "Enter the person's name."),
    ({"country_code": ""}, "country_code", "Choose the country this person works for."),
    ({"email": "root@example.org"}, "email", "Another account already uses this email address."),
    ({"role": "emperor"}, "role", "Not a valid choice"),
    ({"country_code": "XXX"}, "country_code", "Not a valid choice"),
])
def test_bad_user_input_is_shown_next_to_the_field(admin_client, change, field, message):
    data = {**NEW_USER, **change}
    response = post(admin_client, "/admin/users/new", data)
    assert response.status_code == 200
    page = text(response)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1)
    assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', page) or \
        re.search(rf'aria-describedby="[^"]*{field}-error[^"]*"[^>]*id="{field}"', page)
    assert 'value="Maria Tamm"' in page or change.get("name") == ""  # input kept
    assert _user("maria.tamm@example.org") is None


def test_country_is_not_required_for_secretariat(admin_client):
    post(admin_client, "/admin/users/new",
         {**NEW_USER, "role": "secretariat", "country_code": "EST"})
    user = _user("maria.tamm@example.org")
    assert user.role is Role.SECRETARIAT and user.country_code is None


def test_edit_user_role_country_and_themes(admin_client):
    post(admin_client, "/admin/users/new", NEW_USER)
    user = _user("maria.tamm@example.org")
    form = text(admin_client.get(f"/admin/users/{user.id}"))
    assert '<option selected value="EST">' in form or 'value="EST" selected' in form
    response = post(admin_client, f"/admin/users/{user.id}", {
        **NEW_USER, "role": "contributor", "country_code": "HRV", "themes": ["legislation"]})
    assert response.status_code == 302
    user = _user("maria.tamm@example.org")
    assert (user.role, user.country_code, user.themes) == (Role.CONTRIBUTOR, "HRV",
                                                           ["legislation"])


def test_deactivate_user_ends_sessions(app, admin_client, world):
    focal = world.user(Role.FOCAL_POINT)
    other = app.test_client()
    login(other, focal.email)
    version = focal.session_version
    response = post(admin_client, f"/admin/users/{focal.id}/deactivate")
    assert response.status_code == 302
    user = db.session.get(User, focal.id)
    assert not user.active and user.session_version == version + 1
    assert login(app.test_client(), focal.email).status_code == 200  # refused


def test_admin_cannot_lock_themselves_out(admin_client):
    me = _user("root@example.org")
    response = post(admin_client, f"/admin/users/{me.id}", {
        "name": "Root", "email": "root@example.org", "role": "secretariat", "language": "en",
        "country_code": "", "active": "y"})
    assert "You cannot remove your own administrator rights" in text(response)
    assert _user("root@example.org").role is Role.ADMIN
    post(admin_client, f"/admin/users/{me.id}/deactivate")
    assert _user("root@example.org").active


def test_reset_link_for_existing_user(admin_client, world):
    focal = world.user(Role.FOCAL_POINT)
    response = post(admin_client, f"/admin/users/{focal.id}/link")
    assert "Password reset link" in text(response)
    token = db.session.scalar(db.select(OneTimeToken))
    assert token.purpose == "reset" and token.user_id == focal.id


def test_mail_hook_receives_the_link(app, admin_client):
    sent = []
    app.config["SEND_MAIL"] = lambda to, subject, body: sent.append((to, subject, body))
    post(admin_client, "/admin/users/new", NEW_USER)
    assert sent and sent[0][0] == "maria.tamm@example.org"
    assert "/auth/accept/" in sent[0][2]


def test_unknown_user_is_404(admin_client):
    assert admin_client.get("/admin/users/9999").status_code == 404
    assert post(admin_client, "/admin/users/9999/deactivate").status_code == 404


def test_user_name_is_escaped(admin_client):
    post(admin_client, "/admin/users/new", {**NEW_USER, "name": "<script>alert(1)</script>"})
    page = text(admin_client.get("/admin/users"))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Countries ----------------------------------------------------------------

def test_load_countries_is_idempotent(app, world):
    assert load_countries() == 195
    assert load_countries() == 0
    rows = db.session.scalars(db.select(Country)).all()
    assert len(rows) == 195
    assert sum(c.observer for c in rows) == 2
    assert db.session.get(Country, "CIV").name_fr == "Côte d'Ivoire"
    assert db.session.get(Country, "PSE").observer
    db.session.get(Country, "FRA").name_fr = "changed"
    db.session.commit()
    assert load_countries() == 1
    assert db.session.get(Country, "FRA").name_fr == "France"


def test_country_file_has_193_members_with_unique_alpha3_codes():
    rows = read_countries()
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes) == 195
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert sum(not r["observer"] for r in rows) == 193
    assert all(r["name_en"] and r["name_fr"] for r in rows)


def test_countries_cli(app):
    result = app.test_cli_runner().invoke(args=["countries", "load"])
    assert result.exit_code == 0, result.output
    assert "195 countries" in result.output


def test_edit_country(admin_client):
    page = text(admin_client.get("/admin/countries"))
    assert "Estonia" in page and "Estonie" in page
    response = post(admin_client, "/admin/countries/EST", {
        "name_en": "Estonia", "name_fr": "Estonie (République d')",
        "region": "Eastern European"})
    assert response.status_code == 302
    country = db.session.get(Country, "EST")
    assert country.name_fr == "Estonie (République d')" and not country.observer


def test_bad_country_input_is_shown(admin_client):
    response = post(admin_client, "/admin/countries/EST", {
        "name_en": "", "name_fr": "Estonie", "region": "Atlantis"})
    page = text(response)
    assert "Enter the English name." in page and "Not a valid choice" in page
    assert 'value="Estonie"' in page
    assert admin_client.get("/admin/countries/ZZZ").status_code == 404


# --- Cycles -------------------------------------------------------------------

CYCLE = {"name": "2027 cycle", "questionnaire": "web-test@1.0",
         "opens_on": "2027-01-15", "deadline": "2027-06-30"}


def test_create_cycle_with_draft_assessments(admin_client):
    form = text(admin_client.get("/admin/cycles/new"))
    assert 'value="web-test@1.0"' in form
    response = post(admin_client, "/admin/cycles/new", {**CYCLE, "countries": ["EST", "HRV"]})
    assert response.status_code == 302
    cycle = db.session.scalar(db.select(Cycle))
    assert (cycle.questionnaire_id, cycle.questionnaire_version) == ("web-test", "1.0")
    assert (cycle.opens_on, cycle.deadline) == (dt.date(2027, 1, 15), dt.date(2027, 6, 30))
    assessments = db.session.scalars(db.select(Assessment)).all()
    assert sorted(a.country_code for a in assessments) == ["EST", "HRV"]
    assert {a.status for a in assessments} == {State.DRAFT}
    listing = text(admin_client.get("/admin/cycles"))
    assert "2027 cycle" in listing


@pytest.mark.parametrize("change, field, message", [
    ({"deadline": "2026-12-31"}, "deadline", "The deadline cannot be before the opening date."),
    ({"opens_on": "15/01/2027"}, "opens_on", "Not a valid date value."),
    ({"opens_on": ""}, "opens_on", "Enter the opening date."),
    ({"name": ""}, "name", "Enter a name for the cycle."),
    ({"questionnaire": "nope@9"}, "questionnaire", "Not a valid choice"),
    ({"countries": ["XXX"]}, "countries", "not a valid choice"),
])
def test_bad_cycle_input_is_shown_next_to_the_field(admin_client, change, field, message):
    response = post(admin_client, "/admin/cycles/new", {**CYCLE, **change})
    assert response.status_code == 200
    page = text(response)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert error and message in error.group(1)
    assert db.session.scalar(db.select(Cycle)) is None
    kept = change.get(field) if field in {"opens_on", "deadline"} else CYCLE["deadline"]
    assert f'value="{kept}"' in page


def test_edit_cycle_dates_and_add_countries(admin_client, world):
    cycle = world.cycle("web-test", "1.0")
    world.assessment("EST", cycle)
    response = post(admin_client, f"/admin/cycles/{cycle.id}", {
        **CYCLE, "countries": ["EST", "HRV"]})
    assert response.status_code == 302
    assert db.session.get(Cycle, cycle.id).name == "2027 cycle"
    assert db.session.scalar(db.select(db.func.count(Assessment.id))) == 2


def test_questionnaire_of_a_used_cycle_cannot_change(admin_client, world, app):
    app.extensions["questionnaires"] = QuestionnaireLibrary(WEB_DATA)
    cycle = world.cycle("other-questionnaire", "1.0")
    world.assessment("EST", cycle)
    response = post(admin_client, f"/admin/cycles/{cycle.id}", CYCLE)
    assert "its questionnaire cannot change" in text(response)
    assert db.session.get(Cycle, cycle.id).questionnaire_id == "other-questionnaire"


def test_broken_library_still_shows_the_cycle_form(app, admin_client, tmp_path):
    app.extensions["questionnaires"] = QuestionnaireLibrary(tmp_path)  # no catalogue
    page = text(admin_client.get("/admin/cycles/new"))
    assert "No valid questionnaire is available" in page


def test_token_service_hashes(app, world):
    user = world.user(Role.MINISTRY)
    raw = auth_services.issue_token(user, "reset")
    assert auth_services.valid_token(raw).user_id == user.id
    assert auth_services.valid_token(raw + "x") is None


def test_admin_pages_in_french(admin_client):
    post(admin_client, "/language", {"lang": "fr"})
    for url in ("/admin/users", "/admin/users/new", "/admin/countries", "/admin/cycles",
                "/admin/cycles/new", "/admin/countries/EST"):
        page = admin_client.get(url)
        assert page.status_code == 200 and '<html lang="fr">' in text(page), url
    response = post(admin_client, "/admin/cycles/new", {**CYCLE, "opens_on": "xx"})
    page = text(response)
    assert "Cycles" in page and "Utilisateurs" in page
    assert "N&#39;est pas une date valide." in page  # WTForms' own messages too


def test_create_admin_command_prints_a_working_link(app, client, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "First@Example.org", "--name", "Ada"])
    assert result.exit_code == 0, result.output
    user = _user("first@example.org")
    assert user.role is Role.ADMIN and user.name == "Ada" and user.password_hash is None
    path = re.search(r"http://localhost:5000(/auth/accept/\S+)", result.output).group(1)
    assert client.get(path).status_code == 200
    # Run again (e.g. a lost link): same account, a new link, the old one dead.
    again = runner.invoke(args=["users", "create-admin", "first@example.org"])
    assert again.exit_code == 0
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert client.get(path).status_code == 404
