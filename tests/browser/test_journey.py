"""The whole journey in a real browser: fill and submit, changes requested with a
comment, fix and resubmit, accept, and the ministry reads the accepted reply."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def answer_missing_questions(page) -> None:
    """From the submit page, answer every missing required question through its link."""
    links = page.locator(".error-summary a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets, "the demo leaves required questions open in one section"
    for href in targets:
        qid = href.split("#q-")[1]
        page.goto(href)
        page.locator(f"#q_{qid}-0").check()  # the first option of the radio or checkbox group
        expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Saved at")


def submit(page) -> None:
    page.get_by_role("link", name="All sections").click()
    page.get_by_role("link", name="Check and submit").click()
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.locator(".flash-success")).to_contain_text("Submitted")


def test_fill_submit_review_fix_accept_and_read(new_page):
    # 1. The focal point finds what is missing, fills it in and submits.
    focal = new_page("focal.est@example.org")
    expect(focal.get_by_role("heading", level=1)).to_have_text("Your country's assessments")
    focal.get_by_role("link", name=re.compile("2026 reporting cycle — Estonia")).click()
    focal.get_by_role("link", name="Check and submit").click()
    expect(focal.locator(".error-summary h2")).to_contain_text("required answer(s) missing")
    answer_missing_questions(focal)
    section_url = focal.url
    submit(focal)

    # 2. The secretariat comments on a question and requests changes.
    secretariat = new_page("secretariat@example.org")
    expect(secretariat).to_have_url(re.compile("/review$"))
    secretariat.get_by_role("link", name="Estonia").click()
    expect(secretariat.locator("main")).to_contain_text("Submitted")
    secretariat.fill("#comment-prv_policies", "Please describe the national policy in detail.")
    secretariat.locator("#q-prv_policies").get_by_role("button", name=re.compile("Add comment"))\
        .click()
    expect(secretariat.locator(".flash-success")).to_contain_text("Comment added")
    secretariat.get_by_role("button", name="Request changes", exact=True).click()
    expect(secretariat.locator(".flash-success")).to_contain_text("Changes requested")

    # 3. The focal point sees the comment beside its question, fixes and resubmits.
    focal.goto(section_url.split("#")[0])
    question = focal.locator("#q-prv_policies")
    expect(question.locator(".comment")).to_contain_text("Please describe the national policy")
    question.get_by_label("Partly").check()
    question.locator("#x_prv_policies").fill("A policy is being drafted for 2026.")
    expect(focal.locator("#save-status")).to_contain_text("Saved at", timeout=10_000)
    submit(focal)

    # 4. The secretariat accepts.
    secretariat.reload()
    expect(secretariat.locator("#q-prv_policies")).to_contain_text("Partly")
    expect(secretariat.locator("#q-prv_policies")).to_contain_text("drafted for 2026")
    secretariat.get_by_role("button", name="Accept", exact=True).click()
    expect(secretariat.locator(".flash-success")).to_contain_text("Assessment accepted")

    # 5. The ministry reader sees the accepted reply with its score.
    ministry = new_page("ministry.est@example.org")
    expect(ministry).to_have_url(re.compile("/ministry$"))
    ministry.get_by_role("link", name="Submission 2").first.click()
    expect(ministry.locator("main")).to_contain_text("Accepted")
    expect(ministry.locator("main")).to_contain_text(re.compile(r"Score: \d+\.\d / 100"))
    expect(ministry.locator("#q-prv_policies")).to_contain_text("Partly")
    for page in (focal, secretariat, ministry):
        assert page.js_errors == []
