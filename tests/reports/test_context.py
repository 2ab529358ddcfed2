"""The report context: plain values, right order, right language; no PDF rendered."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from app.core.model import Instrument, Obligation
from app.core.scoring import Status, score
from app.pdf import charts, render
from app.pdf.context import ReportInput, build_context
from app.pdf.labels import LABELS, LANGUAGES, format_date, format_number, labels_for
from app.pdf.sample import sample_answers

PLAIN = (Markup, str, int, float, bool, type(None))


def test_every_label_exists_in_every_language():
    for key, values in LABELS.items():
        assert set(values) == set(LANGUAGES), key
        assert all(v.strip() for v in values.values()), key


def test_every_status_obligation_and_state_has_a_label():
    from app.core.workflow import State

    names = [*Status, *Obligation, *State]
    missing = [n.value for n in names if n.value not in labels_for("fr")]
    assert missing == []


def _walk(value, path="context"):
    if isinstance(value, PLAIN):
        return
    if isinstance(value, dict):
        for k, v in value.items():
            assert isinstance(k, str), path
            _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(v, f"{path}[{i}]")
    else:
        raise AssertionError(f"{path} is a {type(value).__name__}, not a plain value")


def test_context_holds_plain_values_only(mini):
    for kind in ("gap", "summary"):
        inp = ReportInput(mini, sample_answers(mini, "worst"), lang="fr", kind=kind)
        _walk(build_context(inp))


def test_gaps_most_severe_first_with_french_answer_labels(mini):
    answers = sample_answers(mini, "worst")
    context = build_context(ReportInput(mini, answers, lang="fr"))
    severities = [float(g["severity"].replace(",", ".")) for g in context["gaps"]]
    assert severities == sorted(severities, reverse=True)
    first = context["gaps"][0]
    assert first["question_id"] == "leg_offence"
    assert first["answer"] == "Non"
    assert first["recommendation"].startswith("Ériger la traite")
    assert first["obligation"] == "Impérative"
    by_id = {g["question_id"]: g for g in context["gaps"]}
    assert by_id["leg_forms"]["answer"] == "Exploitation sexuelle"


def test_every_catalogue_provision_is_in_a_table(mini):
    context = build_context(ReportInput(mini, {}, lang="en"))
    tables = {t["id"]: t for t in context["provision_tables"]}
    assert list(tables) == [Instrument.PROTOCOL, Instrument.UNTOC, Instrument.GOOD_PRACTICE]
    rows = sum(len(t["rows"]) for t in tables.values())
    assert rows == len(mini.provisions)
    assert {r["status"] for r in tables["protocol"]["rows"]} == {"not_assessed"}


def test_provision_status_follows_the_score(mini):
    answers = sample_answers(mini, "worst")
    result = score(mini, answers)
    context = build_context(ReportInput(mini, answers, lang="en"), result)
    protocol = context["provision_tables"][0]["rows"]
    art9 = next(r for r in protocol if r["ref"] == "Art. 9(1)")
    assert art9["status_label"] == "Not met"


def test_appendix_formats_answers_for_readers(mini):
    answers = {"leg_law": [{"instrument": "Code pénal", "article": "225-4-1", "year": 2003,
                            "url": ""}], "vic_permit": "temporary"}
    context = build_context(ReportInput(mini, answers, lang="fr",
                                        explanations={"vic_permit": "Depuis 2010."}))
    items = {i["id"]: i for t in context["appendix"] for s in t["sections"]
             for i in s["questions"]}
    assert items["leg_law"]["answer"] == ["Code pénal Art. 225-4-1 (2003)"]
    assert items["vic_permit"]["answer"] == ["Titres temporaires seulement"]
    assert items["vic_permit"]["explanation"] == "Depuis 2010."
    assert items["leg_notes"]["answer"] == ["Sans réponse"]


def test_statistics_tables_and_charts(mini):
    answers = {"vic_stats": {"victims_identified": {"2021": {"total": 1200},
                                                    "2023": {"sex": {"female": 3, "male": 4}}}}}
    context = build_context(ReportInput(mini, answers, lang="fr"))
    table = context["statistics"][0]
    assert table["years"] == ["2021", "2022", "2023"]
    assert table["rows"][0]["values"] == ["1\u202f200", "—", "7"]
    assert "<svg" in table["chart"] and "2022" in table["chart"]


def test_charts_escape_their_labels():
    svg = charts.score_bars([("<script>x</script>", 50.0, "50")], 'a"b')
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="a&#34;b"' in svg
    svg = charts.year_bars(["<y>"], [("a", [3])], "<t>")
    assert "<y>" not in svg and "<t>" not in svg and "&lt;t&gt;" in svg


def test_legend_swatches_follow_the_chart_palette():
    css = (Path(render.REPORTS_DIR) / "report.css").read_text(encoding="utf-8")
    swatches = re.findall(r"\.swatch-(\d) \{ background: (#[0-9a-f]{6}); \}", css)
    assert [colour for _, colour in sorted(swatches)] == list(charts.PALETTE)


def test_formats_are_local():
    assert format_number(12345.5, "fr", 1) == "12\u202f345,5"
    assert format_number(12345.5, "en", 1) == "12,345.5"
    assert format_date("2026-03-04", "fr") == "4 mars 2026"
    assert format_date("2026-03-04", "en") == "4 March 2026"
