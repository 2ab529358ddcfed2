"""Report HTML from a context, and PDF bytes from that HTML with WeasyPrint.

Answers are untrusted, so rendering must never read a file or the network:
- the Jinja environment autoescapes everything and fails on undefined names;
- WeasyPrint gets `AssetFetcher`, which serves the report's own packaged assets
  from memory and refuses every other URL (file:, http:, data:, ...), keeping a
  list of what it was asked for so tests can see that nothing else was fetched;
- presentational hints stay off; no attachments are passed;
- the HTML size, the page count and (between stages) the render time are bounded.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from pathlib import Path
from typing import Any

import jinja2

# WeasyPrint is imported on first render, not at start-up: it costs about half a
# second, and every `flask` command and web worker would pay it otherwise.

REPORTS_DIR = Path(__file__).resolve().parent.parent.parent / "reports"
TEMPLATE_VERSION = "2"  # bump when a change outside reports/ alters the output
TEMPLATES = {"gap": "gap_report.html", "summary": "summary.html"}
ASSET_NAMES = ("report.css",)
BASE_URL = REPORTS_DIR.as_uri() + "/"

MAX_HTML_BYTES = 8_000_000
MAX_PAGES = 500
# Checked after layout, before the PDF is written: WeasyPrint cannot be stopped
# mid-layout from the same thread. Input size is what really bounds the time
# (answers are capped by app.core.answers; explanations and comments here).
MAX_SECONDS = 120.0
PDF_VARIANT = "pdf/ua-1"


class ReportError(RuntimeError):
    """The report cannot be produced; `message` says why (no internals)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _read_assets() -> dict[str, bytes]:
    # Read once at import: rendering itself then reads no file at all.
    return {name: (REPORTS_DIR / name).read_bytes() for name in ASSET_NAMES}


ASSETS = _read_assets()
ASSET_URLS = {BASE_URL + name: name for name in ASSET_NAMES}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(REPORTS_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the code; no stat per render
)


def templates_digest() -> str:
    """A hash of every template and asset, part of every cache key: editing a
    template invalidates the cached PDFs without anyone remembering to bump."""
    digest = hashlib.sha256(TEMPLATE_VERSION.encode())
    for path in sorted(REPORTS_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


TEMPLATES_DIGEST = templates_digest()


def render_html(context: dict[str, Any], css_href: str = "report.css") -> str:
    """The report as HTML; `css_href` points the browser preview at a served stylesheet."""
    template = _env.get_template(TEMPLATES[context["kind"]])
    return template.render(css_href=css_href, **context)


class AssetFetcher:
    """Serves `ASSETS` from memory; refuses (and records) every other URL."""

    def __init__(self):
        self.served: list[str] = []
        self.refused: list[str] = []

    def asset(self, url: str) -> str:
        """The name of the packaged asset at `url`; raises for anything else."""
        name = ASSET_URLS.get(url)
        if name is None:
            self.refused.append(url)
            raise ValueError(f"report rendering refuses to fetch {url[:200]}")
        self.served.append(name)
        return name


@functools.cache
def _weasyprint_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _Fetcher(URLFetcher):
        """WeasyPrint's side of AssetFetcher: no protocol allowed, every URL asked of it."""

        def __init__(self, assets: AssetFetcher):
            super().__init__(allowed_protocols=(), fail_on_errors=False)
            self.assets = assets

        def fetch(self, url, headers=None):
            name = self.assets.asset(url)
            return URLFetcherResponse(url, ASSETS[name],
                                      {"Content-Type": "text/css; charset=utf-8"})

    return _Fetcher


class _Shared(threading.local):
    """Font configuration and image cache reused between renders of one thread:
    building them costs more than a small report. Per thread because WeasyPrint
    does not promise thread safety."""

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        # WeasyPrint's image cache; only our own assets can be fetched, so it stays tiny.
        self.cache: dict = {}


@functools.cache
def _shared() -> _Shared:
    return _Shared()


class _Stats:
    def __init__(self):
        self.renders = 0  # PDFs actually produced by WeasyPrint (cache tests count them)


stats = _Stats()


def render_pdf(html: str, fetcher: AssetFetcher | None = None,
               max_seconds: float = MAX_SECONDS) -> bytes:
    """Tagged PDF/UA-1 bytes; the language, title and metadata come from the HTML."""
    if len(html.encode("utf-8")) > MAX_HTML_BYTES:
        raise ReportError("the report is too large to render")
    from weasyprint import HTML

    started = time.monotonic()
    shared = _shared()
    url_fetcher = _weasyprint_fetcher_class()(fetcher or AssetFetcher())
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).render(
        font_config=shared.fonts, presentational_hints=False, pdf_variant=PDF_VARIANT,
        pdf_tags=True, cache=shared.cache)
    if len(document.pages) > MAX_PAGES:
        raise ReportError(f"the report would have more than {MAX_PAGES} pages")
    if time.monotonic() - started > max_seconds:
        raise ReportError("the report took too long to render")
    stats.renders += 1
    # pdf_tags is explicit: WeasyPrint 70 fills variant defaults only for options
    # left at None, and pdf_tags defaults to False.
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
