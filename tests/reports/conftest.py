"""Helpers for report tests: the small questionnaire in tests/data/reports, real
PDFs rendered once per module, and readers (pikepdf, pdftotext)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.library import QuestionnaireLibrary

DATA = Path(__file__).resolve().parent.parent / "data" / "reports"
SHIPPED = Path(__file__).resolve().parent.parent.parent / "questionnaires"
REAL_ID = "protocol-self-assessment"


@pytest.fixture(scope="session")
def mini_library():
    return QuestionnaireLibrary(DATA)


@pytest.fixture(scope="session")
def mini(mini_library):
    return mini_library.get("mini-report")


@pytest.fixture(scope="session")
def real_questionnaire():
    """The shipped questionnaire, once it exists (it is written in parallel)."""
    library = QuestionnaireLibrary(SHIPPED)
    if not (SHIPPED / "provisions.yaml").exists():
        pytest.skip("the shipped questionnaire is not there yet")
    try:
        return library.get(REAL_ID)
    except KeyError:
        pytest.skip("the shipped questionnaire is not there yet")
