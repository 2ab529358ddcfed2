"""Web benchmark: a section page of 20 questions, an answer save and a trivial route.

In-process with Flask's test client over a temporary SQLite database, 200 requests
each after a warm-up; prints the median, the 95th percentile and the ratio of each to
the trivial route (/healthz) of the same app. Target: every ratio under 5.

Printed for context, the floors under those two requests, on routes the benchmark
adds to its own app instance (the product has no such routes):
- the bare signed-in page: the 404 page on base.html (session, user, layout);
- the reads any section page needs: user, assessment and its answers, nothing rendered;
- the writes any answer save needs: those reads (one answer, not all), the answer
  updated, its audit event and the commit; nothing validated, scored or returned;
- the same writes in SQLAlchemy Core, without the ORM: what the ORM itself costs.
They show how much of each ratio no view code can remove with this stack.

    .venv/bin/python bench/bench_web.py
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import yaml
from sqlalchemy import insert, select, update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.simplefilter("ignore", DeprecationWarning)

from app import create_app  # noqa: E402
from app.core.workflow import Role  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Answer, Assessment, AuditEvent, Country, Cycle, User  # noqa: E402
from app.passwords import hash_password  # noqa: E402

REQUESTS = 200
WARM_UP = 20
PASSWORD = "bench-password-123"
KINDS = ["yes_no", "yes_partly_no", "multiple_choice", "integer", "text", "date",
         "legal_reference", "statistics", "countries", "decimal"]


def question(i: int) -> dict:
    kind = KINDS[i % len(KINDS)]
    q: dict = {"id": f"q{i}", "type": kind,
               "label": {"en": f"Question {i}", "fr": f"Question {i}"}}
    if kind == "multiple_choice":
        q["options"] = [{"value": v, "label": {"en": v, "fr": v}} for v in ("a", "b", "c")]
    if kind == "statistics":
        q.update(years=[2023, 2024, 2025], breakdowns=["sex"],
                 metrics=[{"id": "victims", "label": {"en": "Victims", "fr": "Victimes"}}])
    if kind == "yes_no" and i > 0:
        q["show_if"] = "q0 == 'yes'"
    return q


REAL_QUESTIONNAIRE = "protocol-self-assessment"
REAL_SECTION = "leg_criminalization"  # the shipped questionnaire's largest section


def questionnaire_folder(folder: Path) -> Path:
    for name in ("provisions.yaml", f"{REAL_QUESTIONNAIRE}.yaml"):
        shutil.copy(ROOT / "questionnaires" / name, folder / name)
    data = {"id": "bench", "version": "1.0", "languages": ["en", "fr"],
            "title": {"en": "Bench", "fr": "Banc"},
            "themes": [{"id": "t", "title": {"en": "T", "fr": "T"}, "sections": [
                {"id": "twenty", "title": {"en": "Twenty", "fr": "Vingt"},
                 "questions": [question(i) for i in range(20)]}]}]}
    (folder / "bench.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def make_app(folder: Path):
    app = create_app({
        "ENV_NAME": "test", "SECRET_KEY": "bench-secret-key-0123456789abcdef0123",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "QUESTIONNAIRES_DIR": str(questionnaire_folder(folder)),
        "UPLOAD_DIR": str(folder / "uploads"), "SESSION_COOKIE_SECURE": False,
    })
    with app.app_context():
        db.create_all()
        for code, name in (("EST", "Estonia"), ("FIN", "Finland"), ("LVA", "Latvia")):
            db.session.add(Country(code=code, name_en=name, name_fr=name, region="Europe"))
        for questionnaire_id in ("bench", REAL_QUESTIONNAIRE):  # assessments 1 and 2
            cycle = Cycle(name=questionnaire_id, questionnaire_id=questionnaire_id,
                          questionnaire_version="1.0",
                          opens_on=dt.date(2026, 1, 1), deadline=dt.date(2026, 12, 31))
            db.session.add(cycle)
            db.session.flush()
            db.session.add(Assessment(country_code="EST", cycle_id=cycle.id))
        db.session.add(User(email="focal@example.org", role=Role.FOCAL_POINT, country_code="EST",
                            password_hash=hash_password(PASSWORD)))
        db.session.commit()
    return app


def add_floor_routes(app) -> None:
    """The work no implementation of the two measured requests can skip."""
    from flask import jsonify, session
    from flask_login import current_user, login_required

    from app.access import Need, assessment_for
    from app.services.assessments import answer_rows

    @app.get("/bench/read-floor")
    @login_required
    def read_floor():
        rows = answer_rows(assessment_for(1, Need.READ))
        return jsonify(len(rows))

    @app.post("/bench/write-floor")
    @login_required
    def write_floor():
        assessment = assessment_for(1, Need.EDIT)
        row = db.session.scalars(select(Answer).where(  # this one answer, not all of them
            Answer.assessment_id == assessment.id, Answer.question_id == "q3")).first() \
            or Answer(assessment_id=assessment.id, question_id="q3")
        row.value, row.revision = str(dt.datetime.now()), (row.revision or 0) + 1
        db.session.add(row)
        db.session.add(AuditEvent(assessment_id=assessment.id, actor_id=current_user.id,
                                  action="answer", question_id="q3", after={"value": row.value}))
        db.session.commit()
        return jsonify(row.revision)

    @app.post("/bench/write-floor-core")
    def write_floor_core():
        """The same statements in SQLAlchemy Core, without the ORM: rows, not objects
        (the session's user id is trusted here, where the ORM route checks it)."""
        user_id = int(session["_user_id"].partition(":")[0])
        users, answers, events = User.__table__, Answer.__table__, AuditEvent.__table__
        db.session.execute(select(users.c.id, users.c.role, users.c.active)
                           .where(users.c.id == user_id)).one()
        db.session.execute(select(Assessment.__table__.c.status)
                           .where(Assessment.__table__.c.id == 1)).one()
        row = db.session.execute(select(answers.c.id, answers.c.revision).where(
            answers.c.assessment_id == 1, answers.c.question_id == "q3")).one()
        value = str(dt.datetime.now())
        db.session.execute(update(answers).where(answers.c.id == row.id)
                           .values(value=value, revision=row.revision + 1))
        db.session.execute(insert(events).values(
            assessment_id=1, actor_id=user_id, action="answer", question_id="q3",
            after={"value": value}, created_at=dt.datetime.now()))
        db.session.commit()
        return jsonify(row.revision + 1)


def signed_in(app):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"email": "focal@example.org",
                                                "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "bench login failed"
    return client


def timed(action) -> list[float]:
    for _ in range(WARM_UP):
        action()
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        app = make_app(folder)
        add_floor_routes(app)
        client = signed_in(app)
        section = "/assessments/1/sections/twenty"
        page = client.get(section).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        state = {"n": 0, "base": "0.x"}

        def get_section():
            assert client.get(section).status_code == 200

        def save_answer():
            state["n"] += 1  # a different value each time: every save is a real write
            body = {"section": "twenty", "questions": ["q3"],
                    "fields": {"q_q3": [str(state["n"])], "b_q3": [state["base"]]}}
            response = client.post("/assessments/1/answers", data=json.dumps(body),
                                   content_type="application/json",
                                   headers={"X-CSRFToken": token})
            reply = response.get_json()
            assert response.status_code == 200 and not reply["conflicts"], reply
            state["base"] = reply["saved"]["q3"]

        def trivial():
            assert client.get("/healthz").status_code == 200

        def real_section():
            url = f"/assessments/2/sections/{REAL_SECTION}"
            assert client.get(url).status_code == 200

        def base_page():
            assert client.get("/no-such-page").status_code == 404

        def read_floor():
            assert client.get("/bench/read-floor").status_code == 200

        def write_floor():
            response = client.post("/bench/write-floor", headers={"X-CSRFToken": token})
            assert response.status_code == 200

        def write_floor_core():
            response = client.post("/bench/write-floor-core", headers={"X-CSRFToken": token})
            assert response.status_code == 200

        results = {"trivial route (/healthz)": timed(trivial),
                   "section page, 20 questions": timed(get_section),
                   "answer save (autosave JSON)": timed(save_answer)}
        report(results, {"(real) largest shipped section": timed(real_section),
                         "(floor) bare signed-in page": timed(base_page),
                         "(floor) reads of a section page": timed(read_floor),
                         "(floor) writes of an answer save": timed(write_floor),
                         "(floor) the same writes, Core": timed(write_floor_core)})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def report(results: dict[str, list[float]], context: dict[str, list[float]]) -> None:
    def p95(values):
        return sorted(values)[int(0.95 * len(values)) - 1]

    base = results["trivial route (/healthz)"]
    base_median, base_p95 = statistics.median(base), p95(base)
    print(f"{REQUESTS} requests each, in-process test client, SQLite")
    print(f"{'':32} {'median ms':>10} {'p95 ms':>10} {'x median':>9} {'x p95':>7}")
    worst = 0.0
    for name, values in results.items():
        median, high = statistics.median(values), p95(values)
        ratios = (median / base_median, high / base_p95)
        worst = max(worst, *ratios)
        print(f"{name:32} {median * 1000:10.2f} {high * 1000:10.2f} "
              f"{ratios[0]:9.1f} {ratios[1]:7.1f}")
    for name, values in context.items():
        median, high = statistics.median(values), p95(values)
        print(f"{name:32} {median * 1000:10.2f} {high * 1000:10.2f} "
              f"{median / base_median:9.1f} {high / base_p95:7.1f}")
    print(f"worst ratio {worst:.1f} (target < 5): {'met' if worst < 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
