"""The static site served by ``python -m http.server --bind 127.0.0.1``, in headless Chromium:
the LDU picker (dashboard.js beside the page) works under the page's Content-Security-Policy
with no violation and no request to another host; the policy refuses inline scripts; without
scripts every LDU's panel is shown."""

from __future__ import annotations

import pytest

from workbook.app.publish import PAGE, SCRIPT, publish_dashboard
from workbook.bench.site import serve
from workbook.store import open_store

pytestmark = [pytest.mark.browser]
NAME = "demo-wwm-2019"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(folder, base URL, LDUs) of the demo inspection's site, served on 127.0.0.1."""
    from workbook.demo import ensure_demo

    tmp_path = tmp_path_factory.mktemp("site")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = open_store(url)
    try:
        ensure_demo(store)
        groups = sorted(store.cases(NAME)["ldu"].dropna().unique())
    finally:
        store.close()
    folder = publish_dashboard(NAME, tmp_path / "site", url, suppress_below=5).parent
    with serve(folder) as port:
        yield folder, f"http://127.0.0.1:{port}/", groups


def _violations(traffic) -> list[str]:
    return [m for m in traffic.console_errors if "Content Security Policy" in m]


def test_the_picker_works_under_the_policy_with_nothing_from_another_host(site, browser):
    folder, base, groups = site
    page = browser.new_page()
    response = page.goto(base + PAGE)
    assert response.status == 200
    assert page.inner_text("#wb-overall") == "Overall rating: Requires improvement"
    page.wait_for_selector("#wb-ldu-picker", state="visible")
    assert page.locator(".wb-panel:visible").count() == 1  # all LDUs, to start with
    for group in groups:
        page.select_option("#wb-ldu-picker", group)
        visible = page.locator(".wb-panel:visible")
        assert visible.count() == 1 and visible.first.get_attribute("data-group") == group
    script = [r for r in browser.traffic.responses if r.url.split("?")[0] == base + SCRIPT]
    assert len(script) == 1 and script[0].status == 200
    assert browser.traffic.requests_not_to(base) == []
    assert _violations(browser.traffic) == [] and browser.traffic.console_errors == []


def test_the_policy_refuses_an_inline_script(site, browser):
    """The check above can fail: the same page with an inline script added does not run it,
    and Chromium reports the violation."""
    folder, base, _ = site
    html = (folder / PAGE).read_text(encoding="utf-8")
    probe = html.replace("</body>", '<script>document.title = "inline ran";</script></body>')
    (folder / "probe.html").write_text(probe, encoding="utf-8")
    page = browser.new_page()
    page.goto(base + "probe.html")
    page.wait_for_selector("#wb-ldu-picker", state="visible")  # the page's own script runs
    assert page.title() != "inline ran"
    assert _violations(browser.traffic) != []


def test_without_scripts_every_ldu_panel_is_shown(site, browser):
    folder, base, groups = site
    context = browser.browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + PAGE)
        assert page.locator(".wb-panel:visible").count() == len(groups) + 1
        assert not page.locator("#wb-ldu-picker").is_visible()
        assert "Overall rating" in page.inner_text("#wb-overall")
    finally:
        context.close()
