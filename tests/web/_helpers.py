"""Helpers for web tests: CSRF tokens are real, as in production."""

from __future__ import annotations

import re

TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client) -> str:
    """A valid token for the client's session, read from a page built on base.html."""
    page = client.get("/no-such-page-for-a-token")
    match = TOKEN.search(page.data)
    assert match, "base.html should carry a CSRF token in the language form"
    return match.group(1).decode()


def post(client, url, data=None, **kwargs):
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)
