"""The core is plain Python: no Flask, no SQLAlchemy, no web anything."""

import ast
from pathlib import Path

CORE = Path(__file__).parent.parent.parent / "app" / "core"
FORBIDDEN = {"flask", "flask_sqlalchemy", "sqlalchemy", "werkzeug", "wtforms", "flask_login",
             "flask_babel", "weasyprint", "app.models", "app.extensions"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_core_imports_nothing_from_the_web_or_the_database():
    offenders = {}
    for path in sorted(CORE.glob("*.py")):
        bad = {n for n in imported_modules(path) if n.split(".")[0] in FORBIDDEN or n in FORBIDDEN}
        if bad:
            offenders[path.name] = bad
    assert offenders == {}
    assert len(list(CORE.glob("*.py"))) >= 8  # the check really looked at the core


def test_core_relative_imports_stay_inside_the_core():
    for path in CORE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                raise AssertionError(f"{path.name} imports from outside app.core")
