"""Static files under a URL that carries a digest of their content, cached for a year.

A ministry on a slow line should fetch the stylesheet and scripts once, not ask
about them again on every page. A changed file gets a new URL, so nobody keeps a
stale copy; a URL without the current digest is served as before, uncached.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    digests: dict[str, str] = {}

    def digest(filename: str) -> str | None:
        """Of the file's bytes; None for a missing file or a path outside the folder.
        Only found files are remembered, so requests for made-up names cost no memory."""
        if filename in digests and not app.debug:  # debug: files change under the app
            return digests[filename]
        path = safe_join(str(app.static_folder), filename)
        if path is None:
            return None
        try:
            found = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        except OSError:
            return None
        digests[filename] = found
        return found

    @app.url_defaults
    def versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and (v := digest(values["filename"])):
            values["v"] = v

    default_max_age = app.get_send_file_max_age

    def max_age(filename: str | None) -> int | None:
        current = digest(filename) if filename and request.endpoint == "static" else None
        if current is not None and request.args.get("v") == current:
            return ONE_YEAR
        return default_max_age(filename)

    app.get_send_file_max_age = max_age  # type: ignore[method-assign]
