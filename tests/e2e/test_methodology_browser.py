"""The methodology notebook in a real Voilà server (the committed voila.json and offline
template, dashboard mode), in headless Chromium: it loads with no request to another host,
offline charts draw, and moving one slider with the keyboard changes a band."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.servers import CHROMIUM_ARGS
from tests.e2e.test_dashboard_csp import TRAINER_OPTIONS
from workbook.app.dashboard import voila_options

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "methodology.ipynb"


@pytest.fixture
def voila_url(voila_server):
    """The methodology notebook served as `make trainer` serves it (the trainers' settings read
    before voila.json), on a free loopback port."""
    options, env = voila_options()
    server = voila_server(NOTEBOOK, env=env, args=[*options, *TRAINER_OPTIONS], cwd=REPO)
    return server.url


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
    # the page asked for nothing outside the machine
    assert outside == []
