"""Interface language: the user's choice, remembered; else the browser's."""

from flask import request, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGES = ("en", "fr")


def select_locale() -> str:
    if (current_user and getattr(current_user, "is_authenticated", False)
            and getattr(current_user, "language", None) in LANGUAGES):
        return current_user.language
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES) or "en"


def lang() -> str:
    """The two-letter language of the current request: picks questionnaire texts."""
    return str(get_locale() or "en")[:2]


def init_app(app, babel) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    # base.html sets <html lang> from it.
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")
