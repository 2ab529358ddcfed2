"""Evidence files: accepted by what they contain, never by their name.

A file is stored under UPLOAD_DIR (outside the web root) with a random name and
served only through an access-checked route, as an attachment with nosniff, so
a disguised HTML or script file can neither be stored nor run in a browser.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

MAX_ZIP_MEMBERS = 5000  # a real office document has dozens; refuse zip bombs early


class UploadError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


PDF = Kind("pdf", "application/pdf")
PNG = Kind("png", "image/png")
JPEG = Kind("jpg", "image/jpeg")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text")

def sniff(data: bytes) -> Kind | None:
    """The kind of file `data` is, from its content alone; None when not allowed."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return None


def _office(data: bytes) -> Kind | None:
    """DOCX and XLSX are zips with [Content_Types].xml and a word/ or xl/ part;
    ODT starts with an uncompressed 'mimetype' member naming its type."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_MEMBERS:
                return None
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip()
                return ODT if mimetype == ODT.content_type.encode() else None
            if "[Content_Types].xml" not in names:
                return None
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


@dataclass(frozen=True)
class Stored:
    filename: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def store(upload: FileStorage) -> Stored:
    """Check and store one upload; UploadError says why a file was refused."""
    data = upload.stream.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    if not data:
        raise UploadError(_("the file is empty"))
    if len(data) > current_app.config["MAX_CONTENT_LENGTH"]:
        raise UploadError(_("the file is too large"))
    kind = sniff(data)
    if kind is None:
        raise UploadError(_("this file is not a PDF, DOCX, XLSX, ODT, PNG or JPEG document"))
    stored_name = f"{secrets.token_hex(16)}.{kind.extension}"
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored_name).write_bytes(data)
    return Stored(display_name(upload.filename), stored_name, kind.content_type, len(data),
                  hashlib.sha256(data).hexdigest())


@contextmanager
def removed_on_failure() -> Iterator[list[str]]:
    """Stored names added to the yielded list are deleted from disk if the block
    fails: its database rows are rolled back, so nothing would ever name the files."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            with suppress(OSError, UploadError):
                path_of(name).unlink(missing_ok=True)
        raise


def display_name(filename: str | None) -> str:
    """The uploaded name for display only (never used as a path)."""
    name = (filename or "file").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip() or "file"
    return name[:200]


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def path_of(stored_name: str) -> Path:
    """The file on disk; stored names are ours (hex + extension), never user text."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise UploadError("invalid stored name")
    return upload_dir() / stored_name
