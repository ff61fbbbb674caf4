"""axe-core (from the npm registry, ``tests/e2e/axe.py``) on the trainers' page served as
``make trainer`` serves it: no serious or critical WCAG 2.x A/AA violation in the page as it
loads, nor after a slider, the key-question picker, the number of standards and a refused
discretion decision (its error box) have changed it. Screenshots at 1280x800."""

from __future__ import annotations

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.test_methodology_browser import open_trainers_page, part, trainer_url

__all__ = ["trainer_url"]  # the module's server, shared with the trainers' browser tests


@pytest.mark.browser
@pytest.mark.slow
def test_the_trainers_page_has_no_serious_or_critical_violation(trainer_url, browser, artifacts):
    page = open_trainers_page(browser, trainer_url, width=1280, height=800)
    page.screenshot(path=str(artifacts / "trainer-1280x800.png"))
    assert axe_violations(page) == []

    # a slider moved by the keyboard, part 5's picker, part 3's standards, an error box
    page.get_by_role("slider", name="2.1.3 Yes answers").focus()
    page.keyboard.press("End")
    five = part(page, "is in band")
    five.get_by_label("Key question", exact=True).select_option("2.4.3")
    page.wait_for_function(
        "() => document.body.innerText.includes('2.4.3 in the demo inspection')", timeout=30_000
    )
    three = part(page, "points of")
    three.get_by_role("button", name="12 standards").click()
    page.wait_for_function(
        "() => document.body.innerText.includes('24 points of 36')", timeout=30_000
    )
    page.get_by_role("button", name="Record the decision").click()  # no reason: refused
    problem = page.locator(".wb-error-summary")
    problem.wait_for(timeout=30_000)
    assert "the reason is empty" in problem.inner_text()
    problem.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "trainer-problem-1280x800.png"))
    assert axe_violations(page) == []
