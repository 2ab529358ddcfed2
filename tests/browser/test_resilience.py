"""Answers typed on a section page survive a dropped connection and an ended session:
the page keeps them, says so, and saves them once it can."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in

pytestmark = pytest.mark.browser

SECTION = "/assessments/1/sections/prv_policies"


def test_answers_typed_after_the_session_ended_are_saved_after_signing_in_again(new_page):
    page = new_page("focal.est@example.org")
    page.goto(SECTION)
    page.context.clear_cookies()  # the session ends, as after the idle timeout
    page.fill("#x_prv_policies", "Written after the session ended.")
    status = page.locator("#save-status")
    expect(status).to_contain_text("your session has ended")
    expect(status.get_by_role("link", name="Sign in again (opens a new tab)")).to_be_visible()
    # Save would be refused by the server and the answers lost: the page holds them.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(f"{SECTION}$"))
    expect(page.locator("#x_prv_policies")).to_have_value("Written after the session ended.")

    other = page.context.new_page()  # "in a new tab"
    sign_in(other, "focal.est@example.org")
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(status).to_contain_text("Saved at")
    page.reload()
    expect(page.locator("#x_prv_policies")).to_have_value("Written after the session ended.")
    assert page.js_errors == []


def test_answers_typed_offline_are_saved_when_the_connection_returns(new_page):
    page = new_page("focal.est@example.org")
    page.goto(SECTION)
    page.context.set_offline(True)
    page.fill("#x_prv_policies", "Written on a train.")
    status = page.locator("#save-status")
    expect(status).to_contain_text("connection problem. Trying again")

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)  # leaving now would lose the answer: asked first
    expect(status).to_contain_text("connection problem")
    assert dialogs == ["beforeunload"]

    page.context.set_offline(False)
    expect(status).to_contain_text("Saved at", timeout=15_000)
    page.reload()
    expect(page.locator("#x_prv_policies")).to_have_value("Written on a train.")
    assert page.js_errors == []
