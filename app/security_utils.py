"""Small security helpers shared by blueprints."""

from urllib.parse import urlsplit

from flask import request


def safe_next_url(target: str | None, fallback: str) -> str:
    """Only same-site relative paths may be redirected to (no //host, no scheme)."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def wants_json() -> bool:
    """Scripts (autosave) get JSON errors they can act on; browsers get pages."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.is_json or best == "application/json" or request.path.startswith("/api/")
