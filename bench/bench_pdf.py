"""PDF report benchmark: the full questionnaire, fully answered.

Prints the end-to-end render time (context + template + WeasyPrint), WeasyPrint
alone on the final HTML (the floor), their ratio (target ≤ 1.15), pages per
second, and a cached download through the test client against a rendering one
(target ≥ 50× faster). Times are the best of N runs (medians shown too).
Run: .venv/bin/python bench/bench_pdf.py [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pikepdf  # noqa: E402

from app.core.library import QuestionnaireLibrary  # noqa: E402
from app.pdf.cache import report_html  # noqa: E402
from app.pdf.context import Comment, ReportInput  # noqa: E402
from app.pdf.render import render_pdf  # noqa: E402
from app.pdf.sample import sample_answers  # noqa: E402

REAL = ("protocol-self-assessment", ROOT / "questionnaires")
FALLBACK = ("mini-report", ROOT / "tests" / "data" / "reports")


def _questionnaire():
    for qid, folder in (REAL, FALLBACK):
        try:
            return QuestionnaireLibrary(folder).get(qid), folder
        except (KeyError, FileNotFoundError):
            print(f"note: {qid} not found in {folder}, using the next candidate")
    raise SystemExit("no questionnaire to benchmark")


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _input(questionnaire, kind: str) -> ReportInput:
    answers = sample_answers(questionnaire, "best", "fr")
    explanations = dict.fromkeys(answers, "Explication détaillée de la réponse. " * 3)
    comments = (Comment("Merci pour cette réponse complète.", None, "", "2026-03-05"),)
    return ReportInput(questionnaire, answers, lang="fr", kind=kind, explanations=explanations,
                       comments=comments, country="Estonie", cycle="Cycle 2026",
                       status="accepted", submitted_on="2026-03-04")


def bench_render(questionnaire, kind: str, runs: int) -> float:
    inp = _input(questionnaire, kind)
    html = report_html(inp)
    pdf = render_pdf(html)  # warm-up: fonts, templates, caches
    # Interleaved, so that drift in machine load hits both measurements alike.
    e2e_times, floor_times = [], []
    for _ in range(runs):
        e2e_times.append(_median(lambda: render_pdf(report_html(inp)), 1)[0])
        floor_times.append(_median(lambda: render_pdf(html), 1)[0])
    # Best of N: on a shared machine the minimum is the least disturbed run.
    e2e, floor = min(e2e_times), min(floor_times)
    context_only = min(_median(lambda: report_html(inp), 1)[0] for _ in range(runs))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = len(doc.pages)
    print(f"\n{kind} report: {pages} pages, {len(pdf) / 1024:.0f} KiB PDF, "
          f"{len(html) / 1024:.0f} KiB HTML")
    print(f"  end to end (context + template + WeasyPrint) {e2e * 1000:8.1f} ms")
    print(f"  context + template alone                     {context_only * 1000:8.1f} ms")
    print(f"  WeasyPrint alone on the final HTML (floor)   {floor * 1000:8.1f} ms")
    print(f"  ratio end to end / floor                     {e2e / floor:8.3f}   (target ≤ 1.15)")
    print(f"  ratio (floor + context + template) / floor   {(floor + context_only) / floor:8.3f}"
          "   (the same without run-to-run noise)")
    print(f"  pages per second                             {pages / e2e:8.1f}")
    print(f"  (best of {runs}; medians {statistics.median(e2e_times) * 1000:.1f} ms end to end, "
          f"{statistics.median(floor_times) * 1000:.1f} ms floor)")
    return e2e


def bench_download(questionnaire, folder: Path, runs: int) -> None:
    """A real app on a throw-away SQLite database: the first download renders,
    the next ones come from the PDF cache."""
    from app import create_app
    from app.core.workflow import Role, State
    from app.extensions import db
    from app.models import Answer, Assessment, Country, Cycle, User
    from app.passwords import hash_password

    tmp = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    app = create_app({"ENV_NAME": "test", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "PDF_CACHE_DIR": str(tmp / "cache"), "QUESTIONNAIRES_DIR": str(folder),
                      "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        db.create_all()
        db.session.add(Country(code="EST", name_en="Estonia", name_fr="Estonie", region="Europe"))
        cycle = Cycle(name="Cycle 2026", questionnaire_id=questionnaire.id,
                      questionnaire_version=questionnaire.version,
                      opens_on=dt.date(2026, 1, 1), deadline=dt.date(2026, 12, 31))
        assessment = Assessment(country_code="EST", cycle=cycle, status=State.ACCEPTED,
                                submitted_at=dt.datetime(2026, 3, 4))
        db.session.add_all([cycle, assessment, User(
            email="ministry@example.org", password_hash=hash_password("bench password 123"),
            role=Role.MINISTRY, country_code="EST", language="fr")])
        db.session.flush()
        for qid, value in sample_answers(questionnaire, "best", "fr").items():
            db.session.add(Answer(assessment_id=assessment.id, question_id=qid, value=value,
                                  explanation="Explication."))
        db.session.commit()
        url = f"/assessments/{assessment.id}/report.pdf?lang=fr"
    client = app.test_client()
    _login(client, "ministry@example.org", "bench password 123")
    start = time.perf_counter()
    first = client.get(url)
    rendered = time.perf_counter() - start
    assert first.status_code == 200, first.status_code
    cached, response = _median(lambda: client.get(url), max(runs, 20))
    renders = [_timed_render(client, url, tmp / "cache") for _ in range(3)]
    rendered = min([rendered, *renders])
    cached = min(_median(lambda: client.get(url), 1)[0] for _ in range(max(runs, 20)))
    assert response.data == first.data
    print("\ndownload through the test client (gap report, French)")
    print(f"  download that renders (best of 4)            {rendered * 1000:8.1f} ms")
    print(f"  cached download (best of {max(runs, 20)})                  {cached * 1000:8.2f} ms")
    speedup = rendered / cached
    print(f"  cached speed-up                              {speedup:8.0f}×   (target ≥ 50×)")


def _timed_render(client, url: str, cache: Path) -> float:
    """The same download with the cache emptied first, so that it renders."""
    for path in cache.glob("*.pdf"):
        path.unlink()
    start = time.perf_counter()
    assert client.get(url).status_code == 200
    return time.perf_counter() - start


def _login(client, email: str, password: str) -> None:
    page = client.get("/auth/login")
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data)
    data = {"email": email, "password": password}
    if match:
        data["csrf_token"] = match.group(1).decode()
    response = client.post("/auth/login", data=data)
    assert response.status_code in (302, 303), f"login failed: {response.status_code}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    questionnaire, folder = _questionnaire()
    print(f"questionnaire {questionnaire.id} {questionnaire.version}: "
          f"{len(questionnaire.questions)} questions, {len(questionnaire.provisions)} provisions")
    bench_render(questionnaire, "gap", args.runs)
    bench_render(questionnaire, "summary", args.runs)
    bench_download(questionnaire, folder, args.runs)


if __name__ == "__main__":
    main()
