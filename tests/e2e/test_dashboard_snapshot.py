"""The dashboard server keeps the snapshot, and an open page follows the inspection.

A real Voilà serving the dashboard as ``make dashboard`` does (``voila_command()``, from the
repository folder so voila.json and its kernel manager apply), on a temporary store, and a real
headless Chromium: the server renders the snapshot itself; visitors' kernels load neither
pandas nor Altair; a change saved in the store reaches a page already open, without a reload.
"""

from __future__ import annotations

import time

import pytest

from tests.demo_store import demo_store_url
from workbook.app.dashboard import voila_command
from workbook.config import REPO_DIR
from workbook.store import open_store
from workbook.ui.dashboard.snapshot import SnapshotError, read_snapshot, snapshot_path

from .servers import contained_env, free_port, server_kernels, start_server, wait_for_quiet_kernels

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = "demo-wwm-2019"
HEAVY = ("/pandas/_libs/", "/vl_convert", "/pyarrow/", "/numpy/_core/")


def _wait(what: str, check, timeout: float = 120.0, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _snapshot(path):
    try:
        return read_snapshot(path, NAME, 5)
    except SnapshotError:
        return None


def _libraries(process) -> str:
    """The shared objects mapped into a process (what it has imported with C code)."""
    with open(f"/proc/{process.pid}/maps", encoding="utf-8", errors="replace") as handle:
        return handle.read()


@pytest.fixture
def served(tmp_path):
    url = demo_store_url(tmp_path)
    port = free_port()
    argv, extra = voila_command(port=port)
    env = contained_env(
        tmp_path / "voila",
        **extra,
        WORKBOOK_DB=url,
        WORKBOOK_HOME=str(tmp_path / "home"),
        WORKBOOK_INSPECTION=NAME,
    )
    server = start_server(
        "voila", argv, port, env, REPO_DIR, tmp_path / "voila.log", "voila/files/ready.png"
    )
    try:
        yield server, url, snapshot_path(tmp_path / "home" / "snapshots", NAME, url)
    finally:
        server.stop()


def test_the_server_renders_the_snapshot_and_visits_stay_light(served, browser):
    server, _url, path = served
    snapshot = _wait("the server's snapshot", lambda: _snapshot(path))
    assert snapshot["inspection"] == NAME and "Overall rating" in snapshot["summary"]
    wait_for_quiet_kernels(server, expected=1)
    page = browser.new_page(width=1300, height=900)
    page.goto(server.url, timeout=120_000)
    page.locator("#wb-overall").wait_for(timeout=120_000)
    assert page.inner_text("#wb-overall") == "Overall rating: Requires improvement"
    kernels = server_kernels(server)
    assert kernels
    for kernel in kernels:
        mapped = _libraries(kernel)
        assert not [lib for lib in HEAVY if lib in mapped], kernel.pid
    page.close()


def test_a_change_in_the_store_reaches_an_open_page(served, browser):
    server, url, path = served
    _wait("the server's snapshot", lambda: _snapshot(path))
    wait_for_quiet_kernels(server, expected=1)
    page = browser.new_page(width=1300, height=900)
    page.goto(server.url, timeout=120_000)
    page.locator("#wb-overall").wait_for(timeout=120_000)
    row = page.locator(".wb-summary tr", has_text="Through the Gate")
    assert "Good" in row.inner_text()
    before = _snapshot(path)["token"]
    store = open_store(url)
    try:
        store.save_decision(
            NAME, "4.2", "Outstanding", "Wider evidence of exceptional resettlement work.", "lead"
        )
    finally:
        store.close()
    _wait("a newer snapshot", lambda: (s := _snapshot(path)) and s["token"] != before, 120)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.wb-summary tr')].some("
        "r => r.innerText.includes('Through the Gate') && r.innerText.includes('Outstanding'))",
        timeout=60_000,
    )
    assert "exceptional resettlement work" in page.inner_text(".wb-footnotes >> nth=0")
    page.close()
