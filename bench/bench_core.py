"""Questionnaire engine benchmark: loading (cold, warm) and scoring.

    .venv/bin/python bench/bench_core.py

Prints absolute figures and ratios to floors measured in the same process, since
shared machines are noisy: loading is compared with PyYAML's C parser alone on
the same files, scoring with the least work any scorer must do (visiting every
question once and looking up its answer).
Targets (issue 2): < 1 ms per assessment scored; < 50 ms to load all warm.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.library import QuestionnaireLibrary  # noqa: E402
from app.core.model import QuestionType  # noqa: E402
from app.core.scoring import score  # noqa: E402

FOLDER = ROOT / "questionnaires"


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def generated_answers(questionnaire, rng: random.Random) -> dict:
    answers = {}
    for q in questionnaire.questions:
        if q.type.is_choice:
            values = [o.value for o in q.options]
            answers[q.id] = (rng.sample(values, rng.randint(1, len(values)))
                             if q.type is QuestionType.MULTIPLE_CHOICE else rng.choice(values))
        elif q.type in (QuestionType.INTEGER, QuestionType.DECIMAL):
            answers[q.id] = rng.randint(0, 50)
        elif q.type is QuestionType.TEXT:
            answers[q.id] = "Explanation " * rng.randint(1, 20)
    return answers


def main() -> None:
    files = sorted(FOLDER.glob("*.yaml"))
    floor_load = timed(lambda: [yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
                                for f in files], 20)
    cold = timed(lambda: QuestionnaireLibrary(FOLDER).all(), 20)
    library = QuestionnaireLibrary(FOLDER)
    library.all()
    warm = timed(library.all, 200)
    questionnaire = library.get("protocol-self-assessment")

    rng = random.Random(2008)
    assessments = [generated_answers(questionnaire, rng) for _ in range(200)]
    questions = questionnaire.questions

    def floor_scoring():
        for answers in assessments:
            sum(1 for q in questions if answers.get(q.id) is not None)

    def scoring():
        for answers in assessments:
            score(questionnaire, answers)

    floor_score = timed(floor_scoring, 15)
    scored = timed(scoring, 15)

    ms = 1000.0
    cold_ms, warm_ms = statistics.median(cold) * ms, statistics.median(warm) * ms
    floor_ms = statistics.median(floor_load) * ms
    per_assessment = statistics.median(scored) / 200 * ms
    floor_per = statistics.median(floor_score) / 200 * ms
    print(f"questionnaire: {len(questions)} questions, {len(files)} files")
    print(f"load all, cold:   {cold_ms:8.2f} ms  ({cold_ms / floor_ms:.1f}x PyYAML C parse alone,"
          f" {floor_ms:.2f} ms)")
    print(f"load all, warm:   {warm_ms:8.3f} ms  (target < 50 ms; {cold_ms / warm_ms:.0f}x faster"
          " than cold)")
    print(f"score one of 200: {per_assessment:8.3f} ms  (target < 1 ms;"
          f" {per_assessment / floor_per:.1f}x the visit-every-answer floor, {floor_per:.3f} ms)")


if __name__ == "__main__":
    main()
