"""Fixtures shared by the web tests (defined in _fill.py)."""

from ._fill import qapp, setup  # noqa: F401
