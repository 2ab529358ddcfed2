"""Errors the core raises with a message its callers can translate.

The core imports no Flask and so translates nothing. An error carries its message
id (English, with %(name)s placeholders, marked with `N_` so that pybabel extracts
it) and the values to put in. `message` is the English text, for the command line
and the logs; the web layer shows the message in the reader's language instead
(app/blueprints/fill/labels.py: translated).
"""

from __future__ import annotations

from typing import Any


def N_(msgid: str) -> str:  # the name pybabel looks for
    """Mark a message for translation where it is shown, not here."""
    return msgid


class CoreError(Exception):
    def __init__(self, msgid: str, **params: Any):
        self.msgid = msgid
        self.params = params
        self.message = msgid % params if params else msgid
        super().__init__(self.message)
