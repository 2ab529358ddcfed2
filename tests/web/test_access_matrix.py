"""Who may reach what: every rule of the URL map, every role, own versus other country.

Each (endpoint, method) must have an entry in EXPECTATIONS; a new route without one
fails `test_every_route_has_an_access_expectation`, so no route is forgotten.

Fixture state: one draft assessment per country (EST is "own", HRV "other"), each
with one submitted snapshot. In that state ministries read no live answers (drafts),
and only focal points and contributors may edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.library import QuestionnaireLibrary
from app.core.workflow import Role, State
from app.extensions import db
from app.models import Submission, User
from tests.conftest import login

from ._helpers import csrf_token

WEB_DATA = Path(__file__).resolve().parent.parent / "data" / "web"
ADMIN, SEC, FOCAL, CONTRIB, MINISTRY = (Role.ADMIN, Role.SECRETARIAT, Role.FOCAL_POINT,
                                        Role.CONTRIBUTOR, Role.MINISTRY)
ANYONE_SIGNED_IN = frozenset(Role)
READERS = frozenset({ADMIN, SEC, FOCAL, CONTRIB})  # live answers of a draft
EDITORS = frozenset({FOCAL, CONTRIB})


@dataclass(frozen=True)
class Access:
    roles: frozenset = frozenset()   # signed-in roles allowed (own country for country roles)
    public: bool = False             # anonymous visitors too
    ok: frozenset = frozenset({200, 302})  # statuses that mean "served" for allowed users


PUBLIC = Access(public=True)
OK_POST = frozenset({200, 302, 400, 422})  # served, possibly with validation errors


def allow(*roles, ok=None, post=False) -> Access:
    statuses = ok or (OK_POST if post else frozenset({200, 302}))
    return Access(roles=frozenset(roles), ok=frozenset(statuses))


EXPECTATIONS: dict[tuple[str, str], Access] = {
    ("static", "GET"): PUBLIC,
    ("main.index", "GET"): PUBLIC,
    ("main.health", "GET"): PUBLIC,
    ("main.set_language", "POST"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): PUBLIC,
    ("auth.accept", "GET"): Access(public=True, ok=frozenset({404})),  # unknown token
    ("auth.accept", "POST"): Access(public=True, ok=frozenset({404})),
    ("reports.stylesheet", "GET"): PUBLIC,
    **{(f"admin.{name}", "GET"): allow(ADMIN) for name in (
        "index", "users", "user_new", "user_edit", "countries", "country_edit", "cycles",
        "cycle_new", "cycle_edit")},
    **{(f"admin.{name}", "POST"): allow(ADMIN, post=True) for name in (
        "user_new", "user_edit", "user_deactivate", "user_link", "country_edit", "cycle_new",
        "cycle_edit")},
    ("auth.token", "GET"): allow(*ANYONE_SIGNED_IN),
    ("fill.dashboard", "GET"): allow(*ANYONE_SIGNED_IN),
    ("fill.overview", "GET"): allow(*READERS),
    ("fill.section", "GET"): allow(*READERS),
    ("fill.section", "POST"): allow(*EDITORS, post=True),
    ("fill.autosave", "POST"): allow(*EDITORS, post=True),
    ("fill.evidence", "GET"): allow(*READERS, ok={404}),  # no such file, but reachable
    ("fill.submit", "GET"): allow(FOCAL),
    ("fill.submit", "POST"): allow(FOCAL, post=True),
    ("review.index", "GET"): allow(ADMIN, SEC),
    ("review.assessment", "GET"): allow(ADMIN, SEC),
    ("review.audit", "GET"): allow(ADMIN, SEC),
    ("review.comment", "POST"): allow(SEC, post=True),
    ("review.decide", "POST"): allow(SEC, post=True),
    ("review.submission", "GET"): allow(*READERS),
    ("review.ministry", "GET"): allow(MINISTRY),
    ("reports.assessment_pdf", "GET"): allow(*READERS, ok={200, 503}),
    ("reports.assessment_preview", "GET"): allow(*READERS),
    ("reports.submission_pdf", "GET"): allow(*READERS, ok={200, 503}),
}

# Requests that change the state the others rely on run last, in this order.
RUN_LAST = ["fill.submit", "review.decide", "admin.user_deactivate", "auth.logout"]
# URL parameters that name another country's objects.
COUNTRY_OBJECT_PARAMS = {"assessment_id", "submission_id"}


def routes(app) -> list[tuple[str, str, object]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    order = {name: i for i, name in enumerate(RUN_LAST)}
    return sorted(found, key=lambda r: (order.get(r[0], -1), r[1] != "GET", r[2].rule))


class Fixture:
    def __init__(self, app, world):
        app.config["QUESTIONNAIRES_DIR"] = str(WEB_DATA)
        app.extensions["questionnaires"] = QuestionnaireLibrary(WEB_DATA)
        world.country("EST", "Estonia", "Estonie", "Eastern European")
        world.country("HRV", "Croatia", "Croatie", "Eastern European")
        self.cycle = world.cycle("web-test", "1.0")
        self.assessments = {c: world.assessment(c, self.cycle) for c in ("EST", "HRV")}
        self.submissions = {}
        for code, assessment in self.assessments.items():
            snapshot = Submission(assessment_id=assessment.id, number=1, assessment_version=1,
                                  answers={}, outcome=State.SUBMITTED,
                                  submitted_at=dt.datetime(2026, 3, 1))
            db.session.add(snapshot)
            self.submissions[code] = snapshot
        db.session.commit()
        self.users = {role: world.user(role, "EST") for role in Role}
        self.victim = world.user(Role.SECRETARIAT, None, email="victim@example.org")

    def url(self, rule, country: str) -> str:
        values = {
            "assessment_id": self.assessments[country].id,
            "submission_id": self.submissions[country].id,
            "number": 1,
            "section_id": "offence",
            "stored_name": "no-such-file.pdf",
            "token": "no-such-token",
            "code": "EST",
            "user_id": self.victim.id,
            "cycle_id": self.cycle.id,
            "filename": "css/app.css",
        }
        missing = rule.arguments - values.keys()
        assert not missing, f"route {rule.rule}: no test value for URL parameter(s) {missing}"
        return rule.build({name: values[name] for name in rule.arguments})[1]


@pytest.fixture
def matrix(app, world):
    return Fixture(app, world)


def _request(client, method, url, token, accept="text/html"):
    """The response, closed (file responses hold their file open until then)."""
    headers = {"Accept": accept}
    data = None if method == "GET" else {"csrf_token": token}
    response = client.open(url, method=method, data=data, headers=headers)
    response.close()
    return response


def _to_login(response) -> bool:
    return response.status_code == 302 and "/auth/login" in response.headers.get("Location", "")


def test_every_route_has_an_access_expectation(app):
    missing = [f"route {rule.rule} ({endpoint}, {method}) has no access expectation"
               for endpoint, method, rule in routes(app)
               if (endpoint, method) not in EXPECTATIONS]
    assert not missing, "\n".join(missing)


def test_no_expectation_for_a_route_that_is_gone(app):
    present = {(endpoint, method) for endpoint, method, _ in routes(app)}
    assert not set(EXPECTATIONS) - present


def test_anonymous_visitors_are_sent_to_sign_in(app, client, matrix):
    token = csrf_token(client)
    problems = []
    for endpoint, method, rule in routes(app):
        access = EXPECTATIONS[(endpoint, method)]
        if access.public:
            continue
        url = matrix.url(rule, "EST")
        page = _request(client, method, url, token)
        if not _to_login(page):
            problems.append(f"{method} {url}: {page.status_code}, expected a redirect to login")
        api = _request(client, method, url, token, accept="application/json")
        if api.status_code != 401:
            problems.append(f"{method} {url} (JSON): {api.status_code}, expected 401")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_matrix(app, client, matrix, role):
    user = matrix.users[role]
    assert login(client, user.email).status_code == 302
    token = csrf_token(client)
    problems = []
    for endpoint, method, rule in routes(app):
        access = EXPECTATIONS[(endpoint, method)]
        for country in ("EST", "HRV"):
            other = country == "HRV"
            if other and not (rule.arguments & COUNTRY_OBJECT_PARAMS):
                continue
            url = matrix.url(rule, country)
            status = _request(client, method, url, token).status_code
            problem = _judge(access, role, other, status)
            if problem:
                problems.append(f"{role.value} {method} {url}: {status}, {problem}")
    assert not problems, "\n".join(problems)


def _judge(access: Access, role: Role, other_country: bool, status: int) -> str | None:
    country_bound = role in {FOCAL, CONTRIB, MINISTRY}
    if other_country and country_bound:
        return None if status in {403, 404} else "expected 403 or 404 (other country)"
    if access.public or role in access.roles:
        return None if status in access.ok else f"expected one of {sorted(access.ok)}"
    return None if status == 403 else "expected 403 (role not allowed)"


def test_deactivated_user_is_treated_as_anonymous(app, client, matrix):
    user = matrix.users[Role.FOCAL_POINT]
    login(client, user.email)
    db.session.get(User, user.id).active = False
    db.session.commit()
    assert _to_login(client.get(f"/assessments/{matrix.assessments['EST'].id}"))
