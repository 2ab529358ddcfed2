"""axe-core (shipped inside axe_playwright_python, no network) on every page type:
no serious or critical violation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FOCAL = "focal.est@example.org"
SECRETARIAT = "secretariat@example.org"

PAGES = [
    ("login", None, "/auth/login"),
    ("dashboard", FOCAL, "/dashboard"),
    ("overview", FOCAL, "/assessments/1"),
    ("section with choices", FOCAL, "/assessments/1/sections/prv_policies"),
    ("section with legal references and evidence", FOCAL,
     "/assessments/1/sections/leg_criminalization"),
    ("section with statistics", FOCAL, "/assessments/1/sections/enf_data"),
    ("section with countries", FOCAL, "/assessments/1/sections/int_agreements"),
    ("submit with missing answers", FOCAL, "/assessments/1/submit"),
    ("review list", SECRETARIAT, "/review"),
    ("review page", SECRETARIAT, "/review/2"),
    ("audit trail", SECRETARIAT, "/review/2/audit"),
    ("submission snapshot", SECRETARIAT, "/assessments/2/submissions/1"),
    ("ministry readers", "ministry.hrv@example.org", "/ministry"),
    ("admin users", "admin@example.org", "/admin/users"),
    ("admin countries", "admin@example.org", "/admin/countries"),
    ("admin cycles", "admin@example.org", "/admin/cycles"),
    ("error page", FOCAL, "/no-such-page"),
]


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize(("name", "email", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_violations(new_page, live_server, name, email, path):
    app = live_server[1]
    if path.startswith("/admin") and "admin" not in app.blueprints:
        pytest.skip("no admin pages in this build")
    page = new_page(email)
    response = page.goto(path)
    assert response.status == (404 if name == "error page" else 200), name
    assert serious(page) == []


def test_section_with_errors_and_conflict_messages(new_page):
    page = new_page(FOCAL)
    page.goto("/assessments/1/sections/vic_residence")
    page.locator("#q-vic_reflection").get_by_label("Yes", exact=True).check()
    page.locator("#q_vic_reflection_days").fill("ninety")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.locator("#error-summary").is_visible()
    assert serious(page) == []
