"""The French interface: every message translated, the compiled catalogue current.

After adding or changing a user-facing string:
    pybabel extract -F babel.cfg -k _l --no-location --sort-output \
        -o app/translations/messages.pot .
    pybabel update -i app/translations/messages.pot -d app/translations --no-location
    (translate the new entries in app/translations/fr/LC_MESSAGES/messages.po)
    pybabel compile -d app/translations
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

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
