"""axe-core (from npm, see tests/e2e/axe.py) on the inspectors' page in real JupyterLab: no
serious or critical WCAG 2.2 A/AA violation in the workbook's own markup, on each of its tabs;
violations in JupyterLab's own chrome are listed (in the artifacts folder), not failed."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_inspect_e2e import open_and_run, serve_inspect
from tests.e2e.test_inspect_screen import HEIGHT, WIDTH, demo_store

from .axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TABS = ("Cases", "Ratings", "Decisions", "Export", "New inspection")


def test_the_inspectors_page_has_no_serious_violation_in_the_workbook(
    tmp_path, jupyterlab_server, browser, artifacts
):
    home = tmp_path / "home"
    demo_store(home)
    server = serve_inspect(tmp_path, jupyterlab_server, home)
    page = browser.new_page(width=WIDTH, height=HEIGHT)
    open_and_run(page, server)
    screen = page.locator(".wb-workbook").first
    found = {}
    for tab in TABS:
        screen.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)
        found[tab] = axe_violations(page, within=".wb-workbook")
    chrome = axe_violations(page)
    (artifacts / "axe-inspect-jupyterlab.json").write_text(
        json.dumps({"workbook": found, "whole page (JupyterLab included)": chrome}, indent=1)
    )
    assert found == {tab: [] for tab in TABS}
