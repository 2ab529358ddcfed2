"""Section layouts: what a page shows of each question, worked out once per section
and language, and the error links that lead to each question's first input."""

from __future__ import annotations

import re

import pytest

from app.blueprints.fill.forms import FieldContext
from app.blueprints.fill.layout import page_text, section_layout

from ._fill import section_url, signed_in
from ._helpers import csrf_token, text


def _section(qapp, section_id):
    questionnaire = qapp.extensions["questionnaires"].get("web-test", "1.0")
    return questionnaire.section(section_id)


def test_layout_is_built_once_per_section_and_language(qapp):
    section = _section(qapp, "figures")
    with qapp.test_request_context():
        english = section_layout(section, FieldContext("en"))
        assert section_layout(section, FieldContext("en")) is english
        french = section_layout(section, FieldContext("fr"))
    assert french is not english
    assert english["enf_partners"].label == "Countries you cooperate with"
    assert french["enf_partners"].label == "Pays partenaires"


def test_statistics_cells_name_every_input_of_the_field(qapp):
    with qapp.test_request_context():
        stats = section_layout(_section(qapp, "figures"), FieldContext("en"))["enf_stats"]
    totals = [cell.key for row in stats.totals for cell in row.cells]
    assert totals == ["victims-2006-total", "victims-2007-total",
                      "cases-2006-total", "cases-2007-total"]
    assert stats.first_input == "q_enf_stats-victims-2006-total"
    group = stats.breakdowns[0]
    assert group.label == "Victims identified, 2006"
    assert [(c.key, c.label) for c in group.cells] == [
        ("victims-2006-sex-female", "Female"), ("victims-2006-sex-male", "Male"),
        ("victims-2006-sex-other", "Other")]
    assert all(c.input_id == f"q_enf_stats-{c.key}" for c in group.cells)


def test_page_words_follow_the_language(qapp):
    with qapp.test_request_context(headers={"Accept-Language": "fr"}):
        words = page_text()
    assert words["not_applicable"] == "Sans objet"
    assert words["explanation"].startswith("Explication")


@pytest.mark.parametrize("section_id", ["offence", "penalties", "figures"])
def test_every_error_link_leads_to_an_input_on_the_page(setup, qapp, section_id):
    """Invalid input everywhere: each link in the error summary names an input
    that exists, whatever the question type."""
    focal = signed_in(qapp, setup.focal.email)
    url = section_url(setup.assessment.id, section_id)
    page = text(focal.get(url))
    names = set(re.findall(r'name="(q_[^"]+)"', page))
    form = dict.fromkeys(names, "%%not valid%%")
    form.update({name.replace("q_", "b_", 1): "0.x" for name in names if "-" not in name})
    form["csrf_token"] = csrf_token(focal)
    response = focal.post(url, data=form)
    page = text(response)
    targets = re.findall(r'<div class="error-summary".*?</div>', page, re.S)
    assert response.status_code == 422 and targets
    links = re.findall(r'href="#([^"]+)"', targets[0])
    assert links, "a refused answer is listed in the summary"
    for target in links:
        assert f'id="{target}"' in page, target
