"""Rendered PDFs on disk, named by a sha256 of everything they depend on.

An unchanged report is then a file read instead of a WeasyPrint render (tens
of milliseconds against seconds). Nothing is ever invalidated explicitly: a
changed answer, comment, language, questionnaire version, cover fact or
template gives a new key; old files are pruned oldest first beyond a bound.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from .context import ReportInput, build_context
from .render import TEMPLATE_VERSION, TEMPLATES_DIGEST, render_html, render_pdf

MAX_ENTRIES = 2000


def report_key(inp: ReportInput) -> str:
    payload = {
        "questionnaire": [inp.questionnaire.id, inp.questionnaire.version],
        "answers": inp.answers,
        "explanations": inp.explanations,
        "comments": [asdict(c) for c in inp.comments],
        "lang": inp.lang,
        "kind": inp.kind,
        "cover": [inp.country, inp.cycle, inp.status, inp.submitted_on],
        "templates": [TEMPLATE_VERSION, TEMPLATES_DIGEST],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PdfCache:
    def __init__(self, folder: str | Path, max_entries: int = MAX_ENTRIES):
        self.folder = Path(folder)
        self.max_entries = max_entries

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def get(self, key: str) -> Path | None:
        path = self.path(key)
        return path if path.is_file() else None

    def put(self, key: str, data: bytes) -> Path:
        """Write atomically (temporary file + rename), so a reader never sees half a PDF."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._prune()
        return self.path(key)

    def _prune(self) -> None:
        entries = list(self.folder.glob("*.pdf"))
        if len(entries) <= self.max_entries:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for old in entries[: len(entries) - self.max_entries]:
            old.unlink(missing_ok=True)


def report_html(inp: ReportInput, css_href: str = "report.css") -> str:
    return render_html(build_context(inp), css_href)


def cached_report(inp: ReportInput, cache: PdfCache) -> tuple[Path, bool]:
    """The PDF file for `inp` and whether it came from the cache."""
    key = report_key(inp)
    path = cache.get(key)
    if path is not None:
        return path, True
    return cache.put(key, render_pdf(report_html(inp))), False
