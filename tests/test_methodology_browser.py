"""The methodology notebook in a real Voilà server, in headless Chromium: it loads, offline
charts draw, and moving one slider with the keyboard changes a band."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "methodology.ipynb"
VOILA = Path(sys.executable).parent / "voila"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def voila_url(tmp_path):
    """A Voilà server of the methodology notebook on a free loopback port; stopped at the end."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3",
                "language": "python",
            }
        )
    )
    env = dict(os.environ)
    env.update(
        JUPYTER_PATH=str(tmp_path / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
        IPYTHONDIR=str(tmp_path / "ipython"),
    )
    port = _free_port()
    log = open(tmp_path / "voila.log", "wb")
    proc = subprocess.Popen(
        [
            str(VOILA),
            str(NOTEBOOK),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--MappingKernelManager.cull_idle_timeout=120",
            "--MappingKernelManager.cull_interval=30",
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "voila.log").read_text()) from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.mark.browser
def test_a_slider_moves_a_band_in_voila(voila_url, artifacts):
    outside = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 2200})

            def offline(route):
                if route.request.url.startswith("http://127.0.0.1"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", offline)
            page.goto(voila_url, timeout=120_000)
            rating = page.locator(".method-standard-rating")
            rating.wait_for(timeout=120_000)
            assert "There was an error when executing cell" not in page.content()
            assert "Standard 2.1: Requires improvement" in rating.inner_text()
            page.locator(".vega-embed").first.wait_for(timeout=60_000)
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.focus()
            page.keyboard.press("Home")  # 2.1.1 to 0 Yes: 0%, Inadequate
            page.wait_for_function(
                "() => document.querySelector('.method-standard-rating').innerText.includes('Inadequate')",
                timeout=30_000,
            )
            assert "Standard 2.1: Inadequate" in rating.inner_text()
            # the chart redraws too: its band words are SVG text
            page.wait_for_function(
                "() => [...document.querySelectorAll('.vega-embed svg text')].some(t => t.textContent === 'Inadequate (0%)')",
                timeout=30_000,
            )
            rating.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / "methodology-bands.png"))
            outputs = page.locator(".jp-OutputArea-output")
            for i in range(outputs.count()):
                outputs.nth(i).screenshot(path=str(artifacts / f"methodology-part-{i}.png"))
        finally:
            browser.close()
    # the page itself asked for nothing outside the machine except the template's font CSS
    assert all("font" in url.lower() for url in outside), outside
