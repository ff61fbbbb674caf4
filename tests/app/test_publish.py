"""``python -m workbook publish``: a static, self-contained, private HTML dashboard."""

from __future__ import annotations

import re

import pytest

from workbook.cli import main
from workbook.demo import ensure_demo
from workbook.store import open_store

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    store = open_store(url)
    try:
        ensure_demo(store)
    finally:
        store.close()
    return url


def _private(url: str) -> list[str]:
    store = open_store(url, read_only=True)
    try:
        cases = store.cases("demo-wwm-2019")
        notes = store.judgements("demo-wwm-2019")["note"].dropna().astype(str)
    finally:
        store.close()
    return sorted(
        set(cases["case_id"]) | {n for n in notes if n.strip()} | set(cases["inspector"].dropna())
    )


def test_publish_writes_a_private_self_contained_page(demo_db, tmp_path, browser, capsys):
    out = tmp_path / "site"
    assert main(["publish", "demo-wwm-2019", "--out", str(out), "--db", demo_db]) == 0
    assert "index.html" in capsys.readouterr().out
    page_html = (out / "index.html").read_text(encoding="utf-8")
    found = [s for s in _private(demo_db) if s in page_html]
    assert found == []
    # nothing to fetch: no src/href to any URL (SVG namespaces are not requests)
    assert re.findall(r'(?:src|href)="(?!#|data:)[^"]*"', page_html) == []

    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    assert page.inner_text("#wb-overall") == "Overall rating: Requires improvement"
    assert page.locator("figure svg").count() >= 8  # heatmap, 4 LDU panels, 4 composition charts
    # the LDU picker shows one panel at a time
    page.select_option("#wb-ldu-picker", "Warwickshire")
    visible = page.locator(".wb-panel:visible")
    assert visible.count() == 1 and visible.first.get_attribute("data-group") == "Warwickshire"
    assert "fewer than 5 cases" in page.inner_text("body")
    assert [u for u in browser.traffic.requests if not u.startswith(("file://", "data:"))] == []


def test_publish_says_what_is_wrong_with_the_store(tmp_path, capsys):
    status = main(
        [
            "publish",
            "demo-wwm-2019",
            "--out",
            str(tmp_path / "site"),
            "--db",
            f"sqlite:///{tmp_path / 'none.db'}",
        ]
    )
    assert status == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_static_site_shows_no_small_group_count_and_no_rating_over_too_few_cases():
    """The site is built from the same figures: an LDU's case count is not the sample minus the
    others', and a standard with a key question over 3 cases has no rating, nor the overall points."""
    from tests.app.test_dashboard import _cases, _few_answers_ratings, _figures
    from workbook.app.publish import render_site
    from workbook.ratings import rate
    from workbook.report.dashboard import build_figures

    framework, figures = _figures()
    site = render_site(framework, figures)
    assert "North: 12" in site and "South: 10" not in site and "East: 3" not in site
    assert len(_cases()) == 25 and "fewer than 5 cases" in site

    framework, cases, judgements = _few_answers_ratings()
    ratings = rate(framework, judgements, cases=cases, by=("ldu",))
    site = render_site(framework, build_figures(framework, ratings, cases, suppress_below=5))
    hidden = ratings.standards["2.2"].rating
    rows = [r for r in site.split("<tr") if "<td>2.2</td>" in r]
    assert len(rows) == 2 and all(hidden not in r and "fewer than 5 cases" in r for r in rows)
    assert f"{ratings.overall.points} of {ratings.overall.max_points} points" not in site
