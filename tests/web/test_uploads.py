"""Evidence uploads: accepted by content, stored outside the web root, served as attachments."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app import uploads
from app.core.workflow import Role
from app.extensions import db
from app.models import Answer, AuditEvent, Evidence

from ._fill import section_url, signed_in
from ._helpers import csrf_token, post, text

TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = office_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = office_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                  "content.xml": b"<office:document-content/>"})


@pytest.mark.parametrize(("data", "kind"), [
    (TINY_PDF, uploads.PDF), (PNG, uploads.PNG), (JPEG, uploads.JPEG),
    (DOCX, uploads.DOCX), (XLSX, uploads.XLSX), (ODT, uploads.ODT),
])
def test_allowed_files_are_recognised_by_content(data, kind):
    assert uploads.sniff(data) is kind


@pytest.mark.parametrize("data", [
    b"<html><script>alert(1)</script></html>",
    b"MZ\x90\x00 an executable",
    office_zip({"evil.html": b"<script></script>"}),  # a zip that is no office document
    office_zip({"mimetype": b"application/x-evil", "content.xml": b""}),
    office_zip({"[Content_Types].xml": b"<Types/>", "other/x.xml": b""}),
    b"PK\x03\x04 truncated zip",
    b"",
])
def test_other_content_is_refused(data):
    assert uploads.sniff(data) is None


@pytest.fixture
def focal(setup, qapp):
    return signed_in(qapp, setup.focal.email)


def upload(client, aid, filename, data, keep=()):
    return client.post(section_url(aid, "needs"), data={
        "csrf_token": csrf_token(client), "b_ta_evidence": "0.x",
        "q_ta_evidence-keep": list(keep),
        "q_ta_evidence-file": (io.BytesIO(data), filename),
    }, content_type="multipart/form-data")


def test_png_renamed_pdf_is_refused_with_a_message(setup, focal, qapp):
    response = upload(focal, setup.assessment.id, "report.pdf", b"GIF89a not allowed")
    assert response.status_code == 422
    page = text(response)
    assert "report.pdf was not accepted" in page and "not a PDF, DOCX" in page
    post(focal, "/language", {"lang": "fr"})
    page = text(upload(focal, setup.assessment.id, "rapport.pdf", b"GIF89a not allowed"))
    assert "ce fichier n&#39;est pas un document PDF, DOCX" in page
    assert db.session.scalar(select(db.func.count(Evidence.id))) == 0
    folder = Path(qapp.config["UPLOAD_DIR"])
    assert not folder.exists() or not any(folder.iterdir()), "nothing refused is kept on disk"


def test_a_png_renamed_pdf_is_stored_as_what_it_is(setup, focal):
    """The name never decides: a PNG called .pdf is kept as an image/png, not a PDF."""
    assert upload(focal, setup.assessment.id, "scan.pdf", PNG).status_code == 302
    row = db.session.scalars(select(Evidence)).one()
    assert row.content_type == "image/png" and row.stored_name.endswith(".png")


def test_real_pdf_is_accepted_stored_outside_static_and_served_as_attachment(setup, focal, qapp):
    aid = setup.assessment.id
    assert upload(focal, aid, "../../etc/Law 2006.pdf", TINY_PDF).status_code == 302
    row = db.session.scalars(select(Evidence)).one()
    assert row.filename == "Law 2006.pdf" and row.content_type == "application/pdf"
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", row.stored_name)
    stored = Path(qapp.config["UPLOAD_DIR"]) / row.stored_name
    assert stored.read_bytes() == TINY_PDF
    assert Path(qapp.static_folder) not in stored.parents
    answer = db.session.scalars(select(Answer).where(Answer.question_id == "ta_evidence")).one()
    assert answer.value == [row.stored_name]
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "upload")).one()
    page = text(focal.get(section_url(aid, "needs")))
    link = f"/assessments/{aid}/evidence/{row.stored_name}"
    assert link in page and "Law 2006.pdf" in page
    response = focal.get(link)
    assert response.status_code == 200 and response.data == TINY_PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    response.close()


def test_unticking_keep_removes_a_file_from_the_answer(setup, focal):
    aid = setup.assessment.id
    upload(focal, aid, "a.pdf", TINY_PDF)
    first = db.session.scalars(select(Evidence)).one().stored_name
    page = text(focal.get(section_url(aid, "needs")))
    base = re.search(r'name="b_ta_evidence" value="([^"]+)"', page).group(1)
    focal.post(section_url(aid, "needs"), data={
        "csrf_token": csrf_token(focal), "b_ta_evidence": base,
        "q_ta_evidence-file": (io.BytesIO(PNG), "b.png")}, content_type="multipart/form-data")
    db.session.expire_all()
    query = select(Answer).where(Answer.question_id == "ta_evidence")
    value = db.session.scalars(query).one().value
    assert first not in value and len(value) == 1


def test_evidence_of_another_country_is_not_served(setup, focal, qapp, world):
    aid = setup.assessment.id
    upload(focal, aid, "a.pdf", TINY_PDF)
    name = db.session.scalars(select(Evidence)).one().stored_name
    other = signed_in(qapp, world.user(Role.FOCAL_POINT, "HRV").email)
    assert other.get(f"/assessments/{aid}/evidence/{name}").status_code == 404
    assert focal.get(f"/assessments/{aid}/evidence/..%2f..%2fetc%2fpasswd").status_code == 404
    assert focal.get(f"/assessments/{aid}/evidence/nosuchfile.pdf").status_code == 404


def test_too_large_upload_is_refused_cleanly(setup, focal, qapp):
    qapp.config["MAX_CONTENT_LENGTH"] = 2048
    response = upload(focal, setup.assessment.id, "big.pdf", TINY_PDF + b"0" * 4096)
    assert response.status_code == 413
    assert "too large" in text(response) and "Traceback" not in text(response)
    assert db.session.scalar(select(db.func.count(Evidence.id))) == 0


def test_a_crafted_form_cannot_claim_another_assessments_file(setup, focal, qapp, world):
    croatia = world.assessment("HRV", setup.cycle)
    other = signed_in(qapp, world.user(Role.FOCAL_POINT, "HRV").email)
    upload(other, croatia.id, "theirs.pdf", TINY_PDF)
    theirs = db.session.scalars(select(Evidence)).one().stored_name
    response = upload(focal, setup.assessment.id, "mine.pdf", TINY_PDF, keep=[theirs])
    assert response.status_code == 302
    query = select(Answer).where(Answer.assessment_id == setup.assessment.id)
    value = db.session.scalars(query).one().value
    assert theirs not in value and len(value) == 1


def test_a_failed_save_leaves_no_file_behind(setup, focal, qapp, monkeypatch):
    """The request fails after the file was written: the rows are rolled back, and
    the file, which nothing would ever name, is removed too."""
    from app.services import assessments

    def database_gone(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(assessments, "save_answers", database_gone)
    response = upload(focal, setup.assessment.id, "law.pdf", TINY_PDF)
    assert response.status_code == 500 and "Traceback" not in text(response)
    folder = Path(qapp.config["UPLOAD_DIR"])
    assert folder.is_dir(), "the file was written before the failure"
    assert not any(folder.iterdir())
    assert db.session.scalar(select(db.func.count(Evidence.id))) == 0
