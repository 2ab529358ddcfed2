"""Web blueprints, one per domain, each shaped alike: routes.py, forms.py, services."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import fill, main, review

    app.register_blueprint(main.bp)
    app.register_blueprint(fill.bp)
    app.register_blueprint(review.bp)
    from . import admin, auth

    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    from . import reports

    app.register_blueprint(reports.bp)
