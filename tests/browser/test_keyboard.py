"""A section filled with the keyboard alone, and conditional questions revealed
without a reload."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MAX_TABS = 400


def tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches `selector` (no clicks)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_section_filled_with_the_keyboard_alone(new_page):
    page = new_page("focal.est@example.org")
    page.goto("/dashboard")
    # Reach the assessment from the skip link and the dashboard with the keyboard.
    tab_to(page, "a[href$='/assessments/1']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/assessments/1")
    tab_to(page, "a[href$='/sections/prv_policies']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sections/prv_policies")

    tab_to(page, "#q_prv_policies-0")
    page.keyboard.press("Space")  # Yes
    page.keyboard.press("ArrowDown")  # moves to and selects Partly
    tab_to(page, "#x_prv_policies")
    page.keyboard.type("Chosen with the keyboard")
    tab_to(page, "#q_prv_vulnerability-0")
    page.keyboard.press("Space")
    tab_to(page, "#q_prv_demand-0")
    page.keyboard.press("Space")
    tab_to(page, "#q_prv_ngo_cooperation-0")
    page.keyboard.press("Space")
    tab_to(page, "button[name=save]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/sections/prv_policies")
    expect(page.locator(".flash-success")).to_contain_text("Saved at")
    expect(page.locator("#q_prv_policies-1")).to_be_checked()
    expect(page.locator("#x_prv_policies")).to_have_value("Chosen with the keyboard")
    expect(page.locator("#q_prv_vulnerability-0")).to_be_checked()
    expect(page.locator("#q_prv_demand-0")).to_be_checked()
    expect(page.locator("#q_prv_ngo_cooperation-0")).to_be_checked()
    assert page.js_errors == []


def test_follow_up_questions_appear_and_disappear_without_reload(new_page):
    page = new_page("focal.est@example.org")
    page.goto("/assessments/1/sections/prv_awareness")
    follow_up = page.locator("#q-prv_media")
    page.locator("#q-prv_campaigns").get_by_label("No", exact=True).check()
    expect(follow_up).to_be_hidden()
    page.evaluate("window.__sameDocument = true")
    page.locator("#q-prv_campaigns").get_by_label("Yes", exact=True).check()
    expect(follow_up).to_be_visible()
    page.locator("#q-prv_campaigns").get_by_label("No", exact=True).check()
    expect(follow_up).to_be_hidden()
    assert page.evaluate("window.__sameDocument") is True, "no reload happened"
    assert page.js_errors == []


def test_invalid_number_shows_the_message_next_to_the_field(new_page):
    page = new_page("focal.est@example.org")
    page.goto("/assessments/1/sections/vic_residence")
    reflection = page.locator("#q-vic_reflection")
    reflection.get_by_label("Yes", exact=True).check()
    days = page.locator("#q_vic_reflection_days")
    expect(days).to_be_visible()
    days.fill("ninety")
    expect(page.locator("#e-vic_reflection_days")).to_contain_text("whole number")
    expect(days).to_have_attribute("aria-describedby", re.compile(r"\be-vic_reflection_days\b"))
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("whole number")
    expect(days).to_have_value("ninety")


def test_several_legal_references_without_saving_in_between(new_page):
    page = new_page("focal.est@example.org")
    page.goto("/assessments/1/sections/leg_criminalization")
    page.fill("#q_leg_offence_law-1-instrument", "Victims Support Act")
    page.fill("#q_leg_offence_law-2-instrument", "Aliens Act")  # offered as soon as row 2 is used
    page.fill("#q_leg_offence_law-2-year", "2009")
    expect(page.locator("#q_leg_offence_law-3-instrument")).to_have_value("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Saved at")
    expect(page.locator("#q_leg_offence_law-1-instrument")).to_have_value("Victims Support Act")
    expect(page.locator("#q_leg_offence_law-2-instrument")).to_have_value("Aliens Act")
    expect(page.locator("#q_leg_offence_law-2-year")).to_have_value("2009")
    assert page.js_errors == []


def test_concurrent_edit_shows_both_answers_and_keeps_mine_on_request(new_page):
    mine = new_page("focal.est@example.org")
    theirs = new_page("contributor.est@example.org")
    url = "/assessments/1/sections/prv_awareness"
    mine.goto(url)
    theirs.goto(url)
    theirs.locator("#q-prv_school_curricula").get_by_label("No", exact=True).check()
    expect(theirs.locator("#save-status")).to_contain_text("Saved at")

    mine.locator("#q-prv_school_curricula").get_by_label("Partly", exact=True).check()
    conflict = mine.locator("#c-prv_school_curricula")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Kalle Kask")
    expect(conflict).to_contain_text("Their answer: No")
    expect(conflict).to_contain_text("Your answer: Partly")
    expect(mine.locator("#save-status")).to_contain_text("not saved")

    conflict.get_by_role("button", name="Keep my answer").click()
    expect(conflict).to_be_hidden()
    expect(mine.locator("#save-status")).to_contain_text("Saved at")
    theirs.reload()
    expect(theirs.locator("#q-prv_school_curricula").get_by_label("Partly", exact=True))\
        .to_be_checked()
