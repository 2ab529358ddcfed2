"""Real PDFs: tagged PDF/UA with language, title and outline; the text a reader
gets; hostile answers neither fetch nor embed anything."""

from __future__ import annotations

import pikepdf
import pytest

from app.core.model import Obligation
from app.core.scoring import Status, score
from app.pdf.cache import report_html
from app.pdf.context import Comment, ReportInput
from app.pdf.render import AssetFetcher, render_pdf
from app.pdf.sample import sample_answers

from .report_helpers import embedded_files, open_pdf, outline_titles, pdf_text

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "<style>@import url(file:///etc/passwd)</style>",
    '<p style="background: url(http://127.0.0.1:1/x)">css</p>',
    "<script>document.write('owned')</script>",
]


def _render(inp: ReportInput) -> tuple[bytes, AssetFetcher]:
    fetcher = AssetFetcher()
    return render_pdf(report_html(inp), fetcher), fetcher


@pytest.fixture(scope="module")
def french_worst(mini):
    answers = sample_answers(mini, "worst", "fr")
    inp = ReportInput(mini, answers, lang="fr", country="Estonie", cycle="Cycle 2026",
                      status="submitted", submitted_on="2026-03-04")
    data, fetcher = _render(inp)
    return inp, data, fetcher


def test_french_report_is_tagged_with_language_title_and_outline(french_worst, mini):
    _, data, _ = french_worst
    with open_pdf(data) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang) == "fr"
        assert str(pdf.docinfo["/Title"]).startswith("Rapport d'analyse des lacunes")
        assert "/Author" in pdf.docinfo and "/Keywords" in pdf.docinfo
        with pdf.open_metadata() as xmp:
            assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"
        titles = outline_titles(pdf)
    for theme in mini.themes:
        assert theme.title.get("fr") in titles
    assert {"Résumé analytique", "Lacunes et recommandations", "Statistiques"} <= set(titles)


def test_french_report_names_every_unmet_mandatory_provision_with_its_recommendation(
        french_worst, mini):
    inp, data, _ = french_worst
    text = pdf_text(data)
    result = score(mini, inp.answers)
    unmet = [p for p in result.provisions
             if p.obligation is Obligation.MANDATORY and p.status is Status.NOT_MET]
    assert unmet, "the worst answers leave mandatory provisions unmet"
    for provision in unmet:
        assert mini.provisions[provision.id].title.get("fr") in text
        for qid in provision.questions:
            assert mini.question(qid).recommendation.get("fr") in text
    assert "Page 1 sur" in text and "Non respectée" in text and "Estonie" in text
    assert "4 mars 2026" in text


def test_statistics_appear_as_chart_and_table(french_worst):
    _, data, _ = french_worst
    text = pdf_text(data)
    assert "Victimes identifiées" in text and "Indicateur" in text and "2023" in text


def test_report_fetches_only_its_own_stylesheet(french_worst):
    _, _, fetcher = french_worst
    assert fetcher.served == ["report.css"]
    assert fetcher.refused == []


def test_english_report_says_english(mini):
    data, _ = _render(ReportInput(mini, sample_answers(mini, "best"), lang="en", kind="summary"))
    with open_pdf(data) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo["/Title"]).startswith("Summary for ministries")
    text = pdf_text(data)
    assert "No gap was found." in text and "Page 1 of" in text


def test_summary_has_two_to_four_pages(mini):
    data, _ = _render(ReportInput(mini, sample_answers(mini, "worst"), lang="fr",
                                  kind="summary"))
    with open_pdf(data) as pdf:
        assert 2 <= len(pdf.pages) <= 4
    assert "Lacunes les plus graves" in pdf_text(data)


@pytest.fixture(scope="module")
def hostile_pdf(mini):
    payload = " ".join(HOSTILE)
    answers = {"leg_offence": "no", "leg_notes": payload, "ta_needs": payload,
               "leg_law": [{"instrument": payload, "article": "<b>1</b>", "year": 2000,
                            "url": "https://example.org/<x>"}]}
    inp = ReportInput(mini, answers, lang="en", country='<img src="file:///etc/passwd">',
                      explanations={"leg_offence": payload},
                      comments=(Comment(payload, "leg_offence"), Comment(payload)))
    data, fetcher = _render(inp)
    return data, fetcher


def test_hostile_answers_are_printed_as_text(hostile_pdf):
    data, _ = hostile_pdf
    text = pdf_text(data)
    for markup in HOSTILE:
        assert markup in text


def test_hostile_answers_pull_nothing_in(hostile_pdf):
    data, fetcher = hostile_pdf
    assert "root:x:0:0" not in pdf_text(data)
    assert b"root:x:0:0" not in data
    assert fetcher.refused == [] and fetcher.served == ["report.css"]
    with open_pdf(data) as pdf:
        assert embedded_files(pdf) == []
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert "/OpenAction" not in pdf.Root


def test_fetcher_refuses_everything_but_the_packaged_assets():
    """Defence in depth: even markup that reached WeasyPrint unescaped fetches nothing."""
    html = ('<html lang="en"><head><title>t</title><link rel="stylesheet" href="report.css">'
            + "".join(HOSTILE)
            + '<link rel="stylesheet" href="../app/config.py"></head><body><p>x</p>'
            + '<img src="data:image/svg+xml,%3Csvg/%3E"><img src="/etc/passwd">'
            + '<div style="background:url(https://example.org/y)">y</div></body></html>')
    fetcher = AssetFetcher()
    data = render_pdf(html, fetcher)
    assert fetcher.served == ["report.css"]
    refused = " ".join(fetcher.refused)
    for url in ("file:///etc/passwd", "http://127.0.0.1:1/x", "data:image/svg+xml",
                "config.py"):
        assert url in refused
    assert b"root:x:0:0" not in data
    with open_pdf(data) as pdf:
        assert embedded_files(pdf) == []


def test_real_questionnaire_french_gap_report(real_questionnaire):
    q = real_questionnaire
    answers = sample_answers(q, "worst", "fr")
    data, fetcher = _render(ReportInput(q, answers, lang="fr", country="Estonie"))
    assert fetcher.refused == []
    text = pdf_text(data)
    result = score(q, answers)
    for provision in result.provisions:
        if provision.obligation is Obligation.MANDATORY and provision.status is Status.NOT_MET:
            for qid in provision.questions:
                assert " ".join(q.question(qid).recommendation.get("fr").split()) in text
    with open_pdf(data) as pdf:
        assert str(pdf.Root.Lang) == "fr"
        titles = outline_titles(pdf)
    assert all(t.title.get("fr") in titles for t in q.themes)
    # good practices are "not in place", never "not met" (they are not obligations)
    practices = text[text.index("Bonnes pratiques Les bonnes pratiques"):]
    practices = practices[:practices.index("Lacunes et recommandations")]
    assert "Pas en place" in practices
    assert "Non respectée" not in practices


def test_real_questionnaire_summary_has_two_to_four_pages(real_questionnaire):
    for quality in ("worst", "best"):
        answers = sample_answers(real_questionnaire, quality, "fr")
        data, _ = _render(ReportInput(real_questionnaire, answers, lang="fr", kind="summary"))
        with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
            assert 2 <= len(pdf.pages) <= 4, quality
