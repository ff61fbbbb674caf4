"""The dashboard's kernels go away: served as ``make dashboard`` serves it (the dashboard
notebook alone, at the documented root address ``/``, from the repository folder so the
committed voila.json applies) on a store holding the demo inspection, a visit's kernel ends
within seconds of its page closing, or of a plain GET that never connects; beyond the cap on
visitors' kernels the server answers "busy", and serves again once pages close. The kernels
are the server's child processes (psutil), named by their connection files."""

from __future__ import annotations

import re
import threading
import time

import pytest

from workbook.bench.dashboard import KERNEL_ID_JS, plain_get

from .servers import kernel_ids, wait_until_gone

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GONE_WITHIN = 10.0  # seconds
BUSY = "The dashboard is busy"


@pytest.fixture
def new_tab(browser):
    """Factory: a tab of a new visitor, in a browser context of its own that stays open until
    the test ends (so closing the tab closes a tab, as a visitor does, not the browser)."""
    contexts = []

    def new():
        contexts.append(browser.browser.new_context(viewport={"width": 1400, "height": 1000}))
        return contexts[-1].new_page()

    yield new
    for context in contexts:
        context.close()


def _open(page, url: str) -> str:
    """Go to the dashboard, wait for its content, and return the page's kernel id."""
    response = page.goto(url, timeout=180_000)
    assert response is not None and response.status == 200, response and response.status
    page.locator("#wb-overall").wait_for(state="visible", timeout=180_000)
    return page.evaluate(KERNEL_ID_JS)


def test_a_closed_page_s_kernel_is_gone_within_10_s(dashboard_voila, new_tab, demo_db_url):
    server = dashboard_voila(demo_db_url)
    page = new_tab()
    kernel_id = _open(page, server.url)
    assert kernel_id in kernel_ids(server)
    page.close(run_before_unload=True)  # as a visitor closes the tab
    gone = wait_until_gone(server, kernel_id, GONE_WITHIN)
    assert gone is not None, f"the closed page's kernel still runs after {GONE_WITHIN:.0f} s"
    assert server.process.poll() is None


def test_the_kernel_of_a_page_lost_without_its_beacon_is_gone_within_10_s(
    dashboard_voila, new_tab, demo_db_url
):
    """A tab that crashes or loses the network sends no beacon: its websocket just closes."""
    server = dashboard_voila(demo_db_url)
    page = new_tab()
    kernel_id = _open(page, server.url)
    assert kernel_id in kernel_ids(server)
    page.close(run_before_unload=False)
    gone = wait_until_gone(server, kernel_id, GONE_WITHIN)
    assert gone is not None, f"the lost page's kernel still runs after {GONE_WITHIN:.0f} s"


def test_a_plain_get_that_never_connects_leaves_no_kernel_after_10_s(dashboard_voila, demo_db_url):
    server = dashboard_voila(demo_db_url)
    seen: set[str] = set()
    done = threading.Event()

    def watch() -> None:  # the kernels the server runs while the page is being sent
        while not done.is_set():
            seen.update(kernel_ids(server))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status, kernel_id, _took = plain_get(server.url, timeout=180)
        seen.update(kernel_ids(server))
    finally:
        done.set()
        watcher.join(5)
    assert status == 200 and kernel_id, (status, kernel_id)
    assert kernel_id in seen, "the page names a kernel the server never ran"
    gone = wait_until_gone(server, kernel_id, GONE_WITHIN)
    assert gone is not None, (
        f"the kernel of a page that never connected still runs {GONE_WITHIN:.0f} s after it was sent"
    )
    assert server.process.poll() is None


def test_beyond_the_cap_the_dashboard_is_busy_and_serves_again_once_pages_close(
    dashboard_voila, new_tab, demo_db_url
):
    server = dashboard_voila(demo_db_url, env={"WORKBOOK_DASHBOARD_KERNELS": "2"})
    first, second, third = new_tab(), new_tab(), new_tab()
    kernels = [_open(first, server.url), _open(second, server.url)]
    response = third.goto(server.url, timeout=180_000)
    assert response is not None and response.status == 503, response and response.status
    assert BUSY in third.inner_text("body")
    third.close()
    for page in (first, second):
        page.close(run_before_unload=True)
    lingering = [k for k in kernels if wait_until_gone(server, k, 30) is None]
    assert lingering == [], "kernels of closed pages still run 30 s after they closed"
    again = new_tab()
    _open(again, server.url)
    assert BUSY not in again.inner_text("body")


def test_the_page_s_shutdown_beacon_is_answered_204(dashboard_voila, new_tab, demo_db_url):
    """The beacon Voilà's page sends when it closes is accepted (not refused with 403 for a
    missing ``_xsrf``), as the server's access log shows."""
    server = dashboard_voila(demo_db_url)
    page = new_tab()
    kernel_id = _open(page, server.url)
    page.close(run_before_unload=True)
    answer = re.compile(rf"\b(\d{{3}}) POST (/\S*shutdown\S*{kernel_id})")
    deadline = time.monotonic() + GONE_WITHIN
    while time.monotonic() < deadline and not answer.search(server.log_text()):
        time.sleep(0.2)
    log = server.log_text()
    codes = [code for code, _path in answer.findall(log)]
    assert codes, f"no shutdown POST for the page's kernel in the server's log:\n{log[-3000:]}"
    assert set(codes) == {"204"}, [line for line in log.splitlines() if "POST" in line]
    assert "'_xsrf' argument missing" not in log
