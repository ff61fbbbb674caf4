"""The stakeholders' dashboard served by a real Voilà on 127.0.0.1, in a real headless Chromium.

The server runs in dashboard mode (WORKBOOK_MODE=dashboard in its environment) on a temporary
store holding the demo inspection, with the repository's voila.json and the workbook's offline
template, exactly as ``make dashboard`` serves it: the dashboard notebook on its own
(:func:`workbook.app.dashboard.voila_command`), at the server's root address.

The Voilà page and the static site are one page in two deliveries: the same sections in the same
order, one h1, a main landmark, both selectors worked by keyboard with a live region, heatmap
headings not cut (the checks are ``test_site_browser``'s), and a plain loading message.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.demo_store import demo_store_url
from workbook.app.dashboard import NOTEBOOKS, voila_command
from workbook.app.publish import publish_dashboard
from workbook.config import REPO_DIR
from workbook.store import open_store

from .servers import (
    contained_env,
    free_port,
    start_dashboard,
    start_server,
    stop_server,
    wait_for_quiet_kernels,
)
from .test_site_browser import STATUS, cut_headings, outline, pick_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OTHER_NOTEBOOKS = ("inspect.ipynb", "methodology.ipynb")
UNAVAILABLE = "The dashboard cannot show this inspection at the moment."
ERROR_TEXT = "There was an error when executing cell"
SAME_FIGURES = (
    "#wb-overall",
    ".wb-summary",
    ".wb-footnotes",
    ".wb-annex",
    ".wb-heatmap-table",
    "#wb-sample + p + .wb-small table",
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    """The demo inspection in a temporary store, shared by this module's tests: every one of
    them opens it read-only."""
    return demo_store_url(tmp_path_factory.mktemp("dashboard"))


def _private_strings(url: str) -> list[str]:
    """Every case id, note, inspector and decision author of the demo inspection."""
    store = open_store(url, read_only=True)
    try:
        cases = store.cases("demo-wwm-2019")
        judgements = store.judgements("demo-wwm-2019")
        decisions = (
            store.stored_decisions("demo-wwm-2019") if hasattr(store, "stored_decisions") else {}
        )
    finally:
        store.close()
    needles = set(cases["case_id"].astype(str))
    notes = judgements["note"].dropna().astype(str)
    needles |= {n for n in notes if n.strip()}
    needles |= set(judgements["inspector"].dropna().astype(str))
    if "inspector" in cases.columns:
        needles |= set(cases["inspector"].dropna().astype(str))
    for d in decisions.values():
        by = getattr(d, "inspector", None) or getattr(d, "by", None)
        if by:
            needles.add(str(by))
    assert len(needles) > 150  # 141 case ids, the notes and the inspectors
    return sorted(needles)


@pytest.fixture
def dashboard_server(tmp_path):
    """Factory: the dashboard served as ``make dashboard`` serves it (``voila_command()``, run
    from the repository folder so voila.json applies) on a store; stopped on teardown."""
    started = []

    def start(db_url: str, **env):
        port = free_port()
        argv, extra_env = voila_command(
            port=port,
            extra=[
                "--MappingKernelManager.cull_idle_timeout=60",
                "--MappingKernelManager.cull_interval=10",
            ],
        )
        root = tmp_path / f"voila-{len(started)}"
        run_env = contained_env(root, **{**extra_env, "WORKBOOK_DB": db_url, **env})
        # ready when it answers at all: a file it refuses costs no kernel
        server = start_server(
            "voila", argv, port, run_env, REPO_DIR, root / "voila.log", "voila/files/ready.png"
        )
        started.append(server)
        # voila.json preheats one dashboard kernel: let it finish before the first visit
        wait_for_quiet_kernels(server, expected=1)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    """The dashboard on the demo store, shared by the tests that only look at it."""
    server = start_dashboard(tmp_path_factory.mktemp("served"), demo_db)
    yield server
    stop_server(server)


def _open(page, url: str, ready: str = "#wb-overall, .wb-problem") -> None:
    page.goto(url, timeout=180_000)
    page.locator(ready).first.wait_for(timeout=180_000)


def _settle(page) -> None:
    """Wait until Voilà has rendered every widget of the page."""
    page.wait_for_function(
        "() => !document.body.innerText.includes('Loading widget')"
        " && document.querySelector('#rendered_cells') && getComputedStyle(document.querySelector('#rendered_cells')).display !== 'none'",
        timeout=180_000,
    )
    page.wait_for_timeout(1000)


def test_dashboard_in_the_browser(served, browser, demo_db, artifacts, tmp_path):
    server = served
    page = browser.new_page(width=1400, height=1100)
    _open(page, server.url)
    _settle(page)
    text = page.inner_text("body")
    assert ERROR_TEXT not in text
    assert page.inner_text("#wb-overall") == "Overall rating: Requires improvement"
    assert "Summary of ratings" in text and "Inspection results by key question" in text
    # footnotes for discretion with their reasons
    assert "professional discretion" in page.inner_text(".wb-footnotes >> nth=0")

    # the LDU selector changes the chart and the table
    explorer = page.locator(".wb-explorer")
    chart_before = explorer.locator("svg").inner_html()
    table_before = explorer.locator("table").inner_text()
    page.locator(".wb-ldu-picker select").select_option("Warwickshire")
    page.wait_for_function(
        "(before) => { const t = document.querySelector('.wb-explorer table'); return t && t.innerText !== before; }",
        arg=table_before,
        timeout=60_000,
    )
    table_after = explorer.locator("table").inner_text()
    assert "Warwickshire" in table_after and "Worcestershire" not in table_after
    assert explorer.locator("svg").inner_html() != chart_before
    # and the standard selector too
    page.locator(".wb-standard-picker select").select_option(label="2.4 Reviewing")
    page.wait_for_function(
        "() => document.querySelector('.wb-explorer table').innerText.includes('2.4.3')",
        timeout=60_000,
    )

    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 5200})
    page.screenshot(path=str(artifacts / "dashboard-full.png"))

    # offline: every request went to the Voilà server
    assert browser.traffic.requests_not_to(server.url) == []
    # private: no case id, note or inspector in any response or websocket message
    assert browser.traffic.find(_private_strings(demo_db)) == []

    # the static site shows the same figures as the live page
    live = {sel: page.inner_text(sel) for sel in SAME_FIGURES}
    site = publish_dashboard("demo-wwm-2019", tmp_path / "site", demo_db)
    static = browser.new_page(width=1400, height=1100)
    static.goto(site.as_uri())
    for sel, text in live.items():
        assert static.inner_text(sel) == text, sel


def test_the_served_dashboard_is_private_and_offline(served, browser, demo_db):
    """Only aggregates reach the browser, and only from the Voilà server: in every view the
    selectors can show too (each comes over the kernel's websocket when picked)."""
    needles = _private_strings(demo_db)
    server = served
    page = browser.new_page()
    page.goto(server.url, timeout=180_000)
    _settle(page)
    assert ERROR_TEXT not in page.inner_text("body")
    assert page.locator("#wb-overall").count() == 1
    ldu, standard = (
        page.locator(".wb-ldu-picker select"),
        page.locator(".wb-standard-picker select"),
    )
    groups = _options(ldu)
    standards = _options(standard)
    for group in groups:
        for label in standards:
            before = page.inner_text(STATUS)
            ldu.select_option(label=group)
            standard.select_option(label=label)
            if (group, label) != (groups[0], standards[0]):
                page.wait_for_function(
                    "(b) => document.querySelector('.wb-view-status').innerText !== b",
                    arg=before,
                    timeout=60_000,
                )
            page.wait_for_function(
                "(want) => document.querySelector('.wb-explorer h3').innerText.startsWith(want)",
                arg=label,
                timeout=60_000,
            )
            text = page.inner_text(".wb-explorer")
            assert label in text and group.removeprefix("All ").lower() in text.lower()
    assert browser.traffic.requests_not_to(server.url) == []
    assert browser.traffic.find(needles)[:5] == []
    page.close()


def _options(select) -> list[str]:
    """A selector's options as a reader hears them (ipywidgets writes their spaces as
    no-break spaces)."""
    return [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]


def test_the_loading_message_is_plain_words_with_a_status_role(served, browser):
    """While the notebook runs the page says "Loading the dashboard..." (role=status), never
    Voilà's "Executing 2 of 2"; the words the page showed are recorded as they change."""
    status, body = _get(served.url)
    assert status == 200
    assert '<div id="loading" class="wb-loading" role="status" aria-live="polite"' in body
    assert '<p id="loading_text">Loading the dashboard...</p>' in body
    assert "Executing" not in body and "spinner" not in body.split("</head>")[1]
    page = browser.new_page(width=1280, height=800)
    page.add_init_script(
        """window.__loading = [];
        new MutationObserver(() => {
            const t = document.getElementById('loading_text');
            const said = t ? t.textContent : null;
            if (said !== null && window.__loading[window.__loading.length - 1] !== said)
                window.__loading.push(said);
        }).observe(document, {childList: true, subtree: true, characterData: true});"""
    )
    _open(page, served.url)
    _settle(page)
    assert page.evaluate("window.__loading") == ["Loading the dashboard..."]
    assert page.locator("#loading").count() == 0  # gone once the page is shown
    page.close()


def test_one_h1_a_main_landmark_and_the_static_sites_sections_in_its_order(
    served, browser, demo_db, tmp_path
):
    page = browser.new_page(width=1280, height=800)
    _open(page, served.url)
    _settle(page)
    live = outline(page)
    assert live["h1"] == 1 and live["main"] == [True]
    assert live["live"] == [["status", "polite"]]
    site = publish_dashboard("demo-wwm-2019", tmp_path / "site", demo_db, suppress_below=5)
    static = browser.new_page(width=1280, height=800)
    static.goto(site.as_uri())
    static.wait_for_selector("#wb-ldu-picker", state="visible")
    assert outline(static)["headings"] == live["headings"]
    assert len(live["headings"]) == 7
    # the same options in the same selectors, the same words in the live region
    for sel_live, sel_site in (
        (".wb-ldu-picker select", "#wb-ldu-picker"),
        (".wb-standard-picker select", "#wb-standard-picker"),
    ):
        assert _options(page.locator(sel_live)) == _options(static.locator(sel_site))
        assert page.evaluate(
            f"() => [...document.querySelector('{sel_live}').labels].map(l => l.innerText)"
        ) == static.evaluate(
            f"() => [...document.querySelector('{sel_site}').labels].map(l => l.innerText)"
        )
    assert page.inner_text(STATUS) == static.inner_text(STATUS)


def test_both_selectors_work_by_keyboard_and_the_live_region_says_what_is_shown(
    served, browser, demo_db, artifacts
):
    page = browser.new_page(width=1280, height=800)
    _open(page, served.url)
    _settle(page)

    def changed(before):
        page.wait_for_function(
            "(b) => { const s = document.querySelector('.wb-view-status'); const h = document.querySelector('.wb-explorer h3');"
            " return s.innerText !== b && h && s.innerText.includes(h.innerText); }",
            arg=before,
            timeout=60_000,
        )

    said = pick_by_keyboard(
        page, ".wb-ldu-picker select", ".wb-standard-picker select", ".wb-explorer", changed
    )
    first = _options(page.locator(".wb-ldu-picker select"))[1]
    assert said == [
        "Showing 2.1 Assessment: all LDUs and the whole sample.",
        f"Showing 2.1 Assessment: {first} and the whole sample.",
        f"Showing 2.2 Planning: {first} and the whole sample.",
    ]
    assert first in page.locator(".wb-explorer table").inner_text()
    page.locator("#wb-explore").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "dashboard-selectors-1280.png"))


def test_the_heatmaps_ldu_headings_are_not_cut(served, browser):
    for width in (1280, 1024):
        page = browser.new_page(width=width, height=800)
        _open(page, served.url)
        _settle(page)
        assert cut_headings(page) == [], width
        page.close()


def test_the_dashboard_server_serves_the_dashboard_only(dashboard_server, demo_db):
    """The inspectors' notebook and the methodology are not served by the dashboard server,
    under any address, and no folder is listed."""
    server = dashboard_server(demo_db)
    for name in OTHER_NOTEBOOKS:
        assert (NOTEBOOKS / name).exists()
        for path in (f"voila/render/{name}", name, f"voila/tree/{name}", f"voila/files/{name}"):
            status, body = _get(server.url + path)
            assert status in (403, 404), (path, status)
    for path in ("voila/tree", "voila/api/contents", "voila/api/contents/inspect.ipynb"):
        status, body = _get(server.url + path)
        assert status in (403, 404), (path, status)
        assert "inspect.ipynb" not in body and "methodology" not in body, path


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


def _status(url: str) -> int:
    return _get(url)[0]


def test_no_file_is_served_beyond_the_dashboard(dashboard_server, demo_db, tmp_path):
    server = dashboard_server(demo_db)
    assert _status(server.url) == 200
    for path in (
        "voila/files/dashboard.ipynb",  # notebooks' sources
        "voila/files/../pyproject.toml",
        "voila/files/%2e%2e/voila.json",
        "voila/files/../workbook/config.py",
        "voila/render/../README.md",
        "voila/files/.ipynb_checkpoints/x.png",
    ):
        assert _status(server.url + path) in (403, 404), path
    # the page's HTML carries no source code (sources stripped)
    status, body = _get(server.url)
    assert status == 200 and "open_dashboard" not in body


@pytest.mark.parametrize("db", ["missing", "not-a-database"])
def test_a_broken_store_shows_a_message_not_a_traceback(dashboard_server, browser, tmp_path, db):
    """A fixed message: no path of the store, no name of the software; the detail is in the
    server's log."""
    if db == "missing":
        url = f"sqlite:///{tmp_path / 'nowhere' / 'none.db'}"
    else:
        bad = tmp_path / "bad.db"
        bad.write_bytes(b"this is not a database" * 100)
        url = f"sqlite:///{bad}"
    server = dashboard_server(url)
    page = browser.new_page()
    _open(page, server.url)
    message = page.inner_text(".wb-problem")
    assert UNAVAILABLE in message
    text = page.inner_text("body")
    assert "Traceback" not in text and ERROR_TEXT not in text
    assert browser.traffic.requests_not_to(server.url) == []
    for secret in (str(tmp_path), "none.db", "bad.db", "StoreError", "DatabaseError"):
        assert browser.traffic.find([secret]) == [], secret
    assert str(tmp_path) in server.log_text()
