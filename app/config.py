"""Configuration from the environment; tests pass overrides to create_app()."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    pass


def from_environment(instance_path: str) -> dict:
    env = os.environ
    development = env.get("APP_ENV", "production") in {"development", "test"}
    return {
        "ENV_NAME": env.get("APP_ENV", "production"),
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": env.get(
            "DATABASE_URL", f"sqlite:///{Path(instance_path) / 'assessments.sqlite3'}"
        ),
        "QUESTIONNAIRES_DIR": env.get("QUESTIONNAIRES_DIR", str(ROOT / "questionnaires")),
        "REPORTS_DIR": str(ROOT / "reports"),
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(Path(instance_path) / "uploads")),
        "PDF_CACHE_DIR": env.get("PDF_CACHE_DIR", str(Path(instance_path) / "pdf-cache")),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)),
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(env.get("IDLE_TIMEOUT_MINUTES", 30))),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_TIME_LIMIT": None,  # the session lifetime already bounds the token
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ("en", "fr"),
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", 5)),
        "LOGIN_LOCK_MINUTES": int(env.get("LOGIN_LOCK_MINUTES", 15)),
        # How many reverse proxies (each adding X-Forwarded-For) stand before the app.
        # 0 trusts no such header: behind a proxy every request would otherwise
        # share the proxy's address, and one address limit would lock out everyone.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", 0)),
        # Higher than per account: colleagues in one ministry may share an address.
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(env.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20)),
        # send_mail(to, subject, body): set by a deployment to mail invitation and reset
        # links; without it they are only shown to the administrator.
        "SEND_MAIL": None,
    }


def _serves_requests() -> bool:
    """False for `flask questionnaire ...` and other commands that serve no page, so
    authors can validate files without a production secret; true for servers."""
    from_cli = os.environ.get("FLASK_RUN_FROM_CLI") == "true"
    return not from_cli or "run" in sys.argv[1:]


def check(config: dict) -> None:
    """Refuse to serve in production with a missing or weak secret key."""
    if config["ENV_NAME"] in {"development", "test"} or not _serves_requests():
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = "ephemeral-" + os.urandom(24).hex()
        return
    if not config.get("SECRET_KEY") or len(config["SECRET_KEY"]) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to at least 32 random characters in production "
            "(or set APP_ENV=development for a local run)"
        )
