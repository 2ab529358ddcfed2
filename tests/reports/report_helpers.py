"""Readers for real PDFs: pikepdf for structure, pdftotext for text."""

from __future__ import annotations

import io
import shutil
import subprocess

import pikepdf
import pytest


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext (poppler-utils) reads it."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True, timeout=60)
    # Lines are rejoined so that phrases broken across lines still match.
    return " ".join(done.stdout.decode("utf-8").split())


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    titles = []
    with pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack[:0] = list(item.children)
    return titles


def embedded_files(pdf: pikepdf.Pdf) -> list[str]:
    """Names of embedded files and file attachment annotations, if any."""
    found = []
    names = pdf.Root.get("/Names")
    if names is not None and "/EmbeddedFiles" in names:
        found.append("/EmbeddedFiles")
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") == "/FileAttachment":
                found.append("/FileAttachment")
    return found
