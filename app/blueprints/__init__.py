"""Web blueprints, one per domain, each shaped alike: routes.py, forms.py, services."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import main

    app.register_blueprint(main.bp)
