"""The French interface: every message translated, the compiled catalogue current.

After adding or changing a user-facing string:
    pybabel extract -F babel.cfg -k _l --no-location --sort-output \
        -o app/translations/messages.pot .
    pybabel update -i app/translations/messages.pot -d app/translations --no-location
    (translate the new entries in app/translations/fr/LC_MESSAGES/messages.po)
    pybabel compile -d app/translations
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ._fill import section_url, signed_in
from ._helpers import post, text

ROOT = Path(__file__).resolve().parents[2]
FR = ROOT / "app" / "translations" / "fr" / "LC_MESSAGES"
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"),
           ("reports/**.html", "jinja2")]


def _source_messages() -> set[str]:
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=keywords,
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def _po():
    with (FR / "messages.po").open("rb") as handle:
        return read_po(handle, locale="fr")


def test_every_message_has_a_french_translation():
    translated = {m.id for m in _po() if m.id and m.string}
    missing = sorted(_source_messages() - translated)
    assert not missing, "untranslated (see this file's docstring):\n" + "\n".join(missing)


def test_translations_keep_their_placeholders():
    catalog = _po()
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems


def test_compiled_catalogue_is_up_to_date():
    with (FR / "messages.mo").open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    source = {m.id: m.string for m in _po() if m.id and m.string}
    assert compiled == source, "run: pybabel compile -d app/translations"


@pytest.mark.parametrize(("form", "qid", "message"), [
    ({"q_pen_years": "douze"}, "pen_years", "saisissez un nombre entier"),
    ({"q_pen_years": "150"}, "pen_years", "saisissez un nombre au plus égal à 99"),
    ({"q_pen_fine": "2,5,5"}, "pen_fine", "saisissez un nombre"),
])
def test_a_refused_answer_is_explained_in_french(setup, qapp, form, qid, message):
    """The core writes its messages in English; a French reader sees them in French."""
    focal = signed_in(qapp, setup.focal.email)
    post(focal, "/language", {"lang": "fr"})
    response = post(focal, section_url(setup.assessment.id, "penalties"),
                    {**form, f"b_{qid}": "0.x"})
    assert response.status_code == 422
    assert re.search(rf'id="e-{qid}">.*{re.escape(message)}</p>', text(response))


def test_statistics_errors_name_the_cell_in_the_readers_language(setup, qapp):
    focal = signed_in(qapp, setup.focal.email)
    post(focal, "/language", {"lang": "fr"})
    response = post(focal, section_url(setup.assessment.id, "figures"), {
        "q_enf_stats-victims-2006-total": "3", "q_enf_stats-victims-2006-sex-female": "-1",
        "b_enf_stats": "0.x"})
    assert response.status_code == 422
    assert ("Victimes identifiées, 2006, Femmes : un effectif ne peut pas être négatif"
            in text(response))
    response = post(focal, section_url(setup.assessment.id, "figures"), {
        "q_enf_stats-victims-2006-total": "3", "q_enf_stats-victims-2006-sex-female": "4",
        "b_enf_stats": "0.x"})
    assert "la ventilation par sexe dépasse le total" in text(response)
