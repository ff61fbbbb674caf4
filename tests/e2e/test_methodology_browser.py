"""The trainers' page (notebooks/methodology.ipynb) in a real Voilà server, served as
``make trainer`` serves it (the trainers' settings, then voila.json; the offline template;
dashboard mode), in headless Chromium: it loads with no request to another host; each slider
is a named slider moved by the keyboard; part 5's picker loads a key question's figures from
the demo inspection; part 3's chart and sentence agree after every change; every chart is an
image named by what it shows, with a table beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.demo_store import demo_store_url
from tests.e2e.servers import contained_env, free_port, start_server, stop_server, voila_argv
from tests.e2e.test_dashboard_csp import TRAINER_OPTIONS
from workbook.app.dashboard import voila_options
from workbook.config import DEMO_INSPECTION

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "methodology.ipynb"
CULL = ("--MappingKernelManager.cull_idle_timeout=120", "--MappingKernelManager.cull_interval=20")


@pytest.fixture(scope="module")
def trainer_url(tmp_path_factory):
    """The methodology notebook served as `make trainer` serves it, on a free loopback port
    (one server for the module's tests; each page view gets its own kernel)."""
    root = tmp_path_factory.mktemp("trainer")
    options, env = voila_options()
    port = free_port()
    server = start_server(
        "voila",
        voila_argv(NOTEBOOK, port, [*options, *TRAINER_OPTIONS, *CULL]),
        port,
        contained_env(root, **env),
        REPO,
        root / "voila.log",
        timeout=120,
    )
    try:
        yield server.url
    finally:
        stop_server(server)


def open_trainers_page(browser, url, width=1280, height=800):
    """The page, loaded and drawn: every part's chart is there."""
    page = browser.new_page(width=width, height=height)
    page.goto(url, timeout=180_000)
    page.locator(".method-standard-rating").wait_for(timeout=180_000)
    page.wait_for_function(
        "() => document.querySelectorAll('.wb-method-chart[role=img] svg').length >= 4",
        timeout=120_000,
    )
    assert "There was an error when executing cell" not in page.content()
    return page


def part(page, words: str):
    """The output area of the part whose text holds ``words``."""
    return page.locator(".jp-OutputArea-output").filter(has_text=words).first


@pytest.mark.browser
@pytest.mark.slow
def test_a_slider_moved_by_the_keyboard_moves_a_band_and_its_chart(trainer_url, browser, artifacts):
    page = open_trainers_page(browser, trainer_url)
    rating = page.locator(".method-standard-rating")
    assert "Standard 2.1: Requires improvement" in rating.inner_text()
    slider = page.get_by_role("slider", name="2.1.1 Yes answers")
    slider.focus()
    page.keyboard.press("Home")  # 2.1.1 to 0 Yes: 0%, Inadequate
    page.wait_for_function(
        "() => document.querySelector('.method-standard-rating').innerText.includes('Inadequate')",
        timeout=30_000,
    )
    assert "Standard 2.1: Inadequate" in rating.inner_text()
    bands = part(page, "Standard 2.1:")
    chart = bands.locator(".wb-method-chart[role=img]")
    assert "2.1.1 0% Inadequate" in chart.get_attribute("aria-label")
    assert "Inadequate (0%)" in chart.locator("svg text").all_text_contents()
    assert slider.get_attribute("aria-valuetext") == "0 of 60"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.wb-method-chart svg text')].some(t => t.textContent === 'Inadequate (2%)')",
        timeout=30_000,
    )
    assert slider.get_attribute("aria-valuetext") == "1 of 60"
    rating.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "methodology-bands.png"))
    # the page asked for nothing outside the machine
    assert browser.traffic.requests_not_to(trainer_url) == []


@pytest.mark.browser
@pytest.mark.slow
def test_every_slider_handle_is_a_named_slider(trainer_url, browser):
    page = open_trainers_page(browser, trainer_url)
    names = page.evaluate(
        """() => [...document.querySelectorAll('.jp-OutputArea-output [role=slider], .jp-OutputArea-output input[type=range]')]
            .map(e => ({role: e.getAttribute('role') || (e.type === 'range' ? 'slider' : ''),
                        label: e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
                               || (e.labels && e.labels.length ? e.labels[0].textContent : '')}))"""
    )
    assert [n["label"] for n in names] == [
        "2.1.1 Yes answers",
        "2.1.2 Yes answers",
        "2.1.3 Yes answers",
        "Cases in an LDU sub-sample",
    ]
    assert {n["role"] for n in names} == {"slider"}
    # the browser's accessibility tree gives each its name too
    for name in ("2.1.3 Yes answers", "Cases in an LDU sub-sample"):
        assert page.get_by_role("slider", name=name).count() == 1
    sub = page.get_by_role("slider", name="Cases in an LDU sub-sample")
    sub.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output p')].some(p => p.innerText.startsWith('An LDU with 240 of the cases'))",
        timeout=30_000,
    )


def _store_figures(key_question: str) -> tuple[int, int]:
    import tempfile

    from workbook.store import open_store
    from workbook.store.reading import load_rated

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(demo_store_url(Path(folder)), read_only=True)
        try:
            r = load_rated(store, DEMO_INSPECTION).ratings.key_questions[key_question]
        finally:
            store.close()
    return r.yes, r.n


@pytest.mark.browser
@pytest.mark.slow
def test_part_5s_picker_loads_2_4_3s_figures_from_the_demo_inspection(trainer_url, browser):
    yes, n = _store_figures("2.4.3")
    assert (yes, n) != (49, 100)
    page = open_trainers_page(browser, trainer_url)
    five = part(page, "is in band")
    k = five.get_by_label("Yes answers (k)", exact=True)
    total = five.get_by_label("of n (Yes + No)", exact=True)
    assert (k.input_value(), total.input_value()) == ("49", "100")
    assert "The example: 49 Yes of 100" in five.inner_text()
    five.get_by_label("Key question", exact=True).select_option("2.4.3")
    page.wait_for_function(
        "(n) => [...document.querySelectorAll('input')].some(i => i.value === String(n) && i.closest('.widget-text'))",
        arg=n,
        timeout=30_000,
    )
    expect = f"2.4.3 in the demo inspection: {yes} Yes of {n}"
    page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=expect, timeout=30_000)
    assert (k.input_value(), total.input_value()) == (str(yes), str(n))


@pytest.mark.browser
@pytest.mark.slow
def test_part_3s_chart_and_sentence_agree_after_every_change(trainer_url, browser, artifacts):
    page = open_trainers_page(browser, trainer_url)
    three = part(page, "points of")
    for size in (12, 9, 12, 10, 12, 9, 10, 12):
        three.get_by_role("button", name=f"{size} standards").click()
        max_points, points = 3 * size, 2 * size  # every standard starts at Good
        sentence = f"{points} points of {max_points}: overall Good."
        page.wait_for_function(
            "(t) => document.body.innerText.includes(t)", arg=sentence, timeout=30_000
        )
        chart = three.locator(".wb-method-chart[role=img]")
        # the chart is drawn in the same step as the sentence: no wait for it
        words = chart.locator("svg text").all_text_contents()
        ranges = [w for w in words if re.fullmatch(r"\d+-\d+ points", w)]
        assert ranges[-1].endswith(f"-{max_points} points"), (size, words)
        assert f"{points} points" in words, (size, words)
        label = chart.get_attribute("aria-label")
        assert f"scale of 0 to {max_points} points" in label and f"at {points} points" in label
        assert sentence in three.inner_text()
        assert f"(0-{max_points})" in three.locator("caption").inner_text()
    three.scroll_into_view_if_needed()
    three.screenshot(path=str(artifacts / "methodology-overall.png"))


@pytest.mark.browser
@pytest.mark.slow
def test_every_chart_is_an_image_named_by_what_it_shows_with_a_table_beside_it(
    trainer_url, browser, artifacts
):
    page = open_trainers_page(browser, trainer_url)
    charts = page.evaluate(
        """() => [...document.querySelectorAll('.wb-method-chart')].map(c => {
            const box = c.closest('.widget-hbox, .jp-OutputArea-output');
            return {role: c.getAttribute('role'), label: c.getAttribute('aria-label') || '',
                    svg: c.querySelectorAll('svg').length,
                    table: box ? box.querySelectorAll('table caption').length : 0};
        })"""
    )
    assert len(charts) == 4
    for chart in charts:
        assert chart["role"] == "img" and chart["svg"] == 1 and chart["table"] >= 1, chart
    labels = [c["label"] for c in charts]
    assert labels[0].startswith("Bar chart of the Yes answers (%) of each key question of standard")
    assert labels[1].startswith("The overall bands on a scale of 0 to 30 points")
    assert labels[2].startswith("Line chart of the margin of error")
    assert labels[3].startswith("Stacked bars for 19 key questions")
    page.screenshot(path=str(artifacts / "methodology-1280x800.png"))
    outputs = page.locator(".jp-OutputArea-output")
    for i in range(outputs.count()):
        outputs.nth(i).screenshot(path=str(artifacts / f"methodology-part-{i}.png"))
