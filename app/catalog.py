"""The application's questionnaire library (one per app, shared by every request)."""

from flask import current_app

from .core.library import QuestionnaireLibrary
from .core.model import Questionnaire


def init_app(app) -> None:
    app.extensions["questionnaires"] = QuestionnaireLibrary(app.config["QUESTIONNAIRES_DIR"])


def library() -> QuestionnaireLibrary:
    return current_app.extensions["questionnaires"]


def questionnaire(questionnaire_id: str, version: str | None = None) -> Questionnaire:
    return library().get(questionnaire_id, version)
