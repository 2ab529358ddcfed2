"""A real server on 127.0.0.1 with the demo data, and the system Chromium driven by
Playwright. Skipped, with the reason, only when /usr/bin/chromium is absent."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (Debian package chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app with the demo loaded, served by werkzeug in a thread; one per test module
    so that each module starts from the demo state."""
    from app import create_app
    from app.demo import load_demo
    from app.extensions import db

    folder = tmp_path_factory.mktemp("browser")
    app = create_app({
        "ENV_NAME": "test",
        "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": os.environ.get("BROWSER_DATABASE_URL")
        or f"sqlite:///{folder / 'browser.sqlite3'}",
        "UPLOAD_DIR": str(folder / "uploads"),
        "PDF_CACHE_DIR": str(folder / "pdf-cache"),
        "SESSION_COOKIE_SECURE": False,
    })
    with app.app_context():
        load_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def base_url(live_server):
    return live_server[0]


@pytest.fixture
def new_page(browser, base_url):
    """A factory of pages, each in its own context (its own cookies: one per user)."""
    contexts = []

    def make(email: str | None = None):
        context = browser.new_context(base_url=base_url, locale="en-GB")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        if email:
            sign_in(page, email)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, email: str, password: str = "demo-password") -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)
