"""axe-core (from npm, see tests/e2e/axe.py) finds no serious or critical WCAG 2.2 A/AA
violation in the stakeholders' pages: the static site and the Voilà dashboard, the whole page,
as first shown and in the states their LDU and standard selectors bring."""

from __future__ import annotations

import pytest

from workbook.app.dashboard import voila_command
from workbook.app.publish import publish_dashboard
from workbook.config import REPO_DIR

from .axe import axe_violations
from .servers import contained_env, free_port, start_server, wait_for_quiet_kernels

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LABELS = {"2.2": "2.2 Planning", "2.4": "2.4 Reviewing", "4.2": "4.2 Through the Gate"}
STATES = (
    ("Warwickshire", "2.4"),
    ("All LDUs", "4.2"),
    ("Shropshire, Telford and Herefordshire", "2.2"),
)


def test_the_static_site_has_no_serious_violation_in_any_state(demo_db, tmp_path, browser):
    page_file = publish_dashboard("demo-wwm-2019", tmp_path / "site", demo_db, suppress_below=5)
    page = browser.new_page(width=1280, height=800)
    page.goto(page_file.as_uri())
    page.locator("#wb-ldu-picker").wait_for()
    assert axe_violations(page) == []
    for group, standard in STATES:
        page.select_option("#wb-ldu-picker", group)
        page.select_option("#wb-standard-picker", standard)
        assert page.locator(".wb-view:visible").get_attribute("data-group") == group
        assert axe_violations(page) == [], (group, standard)
    # without its script (not fetched): every view at once, the selectors hidden
    bare = browser.new_page(width=1280, height=800)
    bare.route("**/dashboard.js*", lambda route: route.abort())
    bare.goto(page_file.as_uri())
    assert bare.locator(".wb-view:visible").count() == 4 * 6
    assert axe_violations(bare) == []


def test_the_dashboard_has_no_serious_violation_in_any_state(demo_db, tmp_path, browser):
    port = free_port()
    argv, extra = voila_command(port=port)
    env = contained_env(tmp_path / "voila", **extra, WORKBOOK_DB=demo_db)
    server = start_server(
        "voila", argv, port, env, REPO_DIR, tmp_path / "voila.log", "voila/files/ready.png"
    )
    try:
        wait_for_quiet_kernels(server, expected=1)
        page = browser.new_page(width=1280, height=800)
        page.goto(server.url, timeout=120_000)
        page.locator("#wb-overall").wait_for(timeout=120_000)
        page.wait_for_function("() => !document.body.innerText.includes('Loading widget')")
        assert axe_violations(page) == []  # the whole page: Voilà's frame and the workbook's
        for group, standard in STATES:
            page.locator(".wb-ldu-picker select").select_option(label=group)
            page.locator(".wb-standard-picker select").select_option(label=LABELS[standard])
            page.wait_for_function(
                "([g, s]) => { const t = document.querySelector('.wb-view-status').innerText;"
                " return t.includes(s + ' ') && t.toLowerCase().includes(g.toLowerCase()); }",
                arg=[group.removeprefix("All "), standard],
                timeout=60_000,
            )
            assert axe_violations(page) == [], (group, standard)
        page.close()
    finally:
        server.stop()
