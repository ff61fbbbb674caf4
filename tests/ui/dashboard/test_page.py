"""DashboardPage and DashboardProblem: the stakeholders' page from a snapshot, without a
browser; the page follows its snapshot file."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import ipywidgets as widgets

from workbook.render.palette import BAND_COLOURS
from workbook.ui.dashboard.page import DashboardPage
from workbook.ui.dashboard.problem import DashboardProblem
from workbook.ui.dashboard.snapshot import snapshot_path, write_snapshot

from .snapshots import NAME, small_snapshot

REPO = Path(__file__).resolve().parents[3]


def test_the_page_carries_the_one_stylesheet_once_in_its_first_section():
    page = DashboardPage(small_snapshot())
    sections = [page.summary, page.method, page.annex, page.heatmap, page.sample]
    assert page.summary.value.startswith("<style>")
    assert [s.value.count("<style>") for s in sections] == [1, 0, 0, 0, 0]
    assert all('<div class="wb-dash">' in s.value for s in sections)


def test_the_page_shows_the_sections_in_the_static_sites_order_with_one_h1():
    from workbook.ui.dashboard.snapshot import SECTIONS

    page = DashboardPage(small_snapshot())
    assert page.children == tuple(getattr(page, name) for name in SECTIONS)
    assert SECTIONS == ("summary", "method", "annex", "heatmap", "explorer", "sample")
    html = "".join(
        w.value for w in (page.summary, page.method, page.annex, page.heatmap, page.sample)
    )
    html += page.explorer.heading.value + page.explorer.view.value
    assert html.count("<h1") == 1  # the inspection's, in the summary section
    assert page.summary.value.count("<h1>") == 1


def test_every_band_on_the_page_is_written_as_a_word_on_its_colour():
    page = DashboardPage(small_snapshot())
    for section in (page.summary, page.annex, page.heatmap):
        for cell in section.value.split('<span class="wb-band ')[1:]:
            style, word = cell.split(">", 2)[0], cell.split(">", 1)[1].split("<", 1)[0]
            band = next(b for b in BAND_COLOURS if word.startswith(b))
            assert BAND_COLOURS[band] in style


def test_the_page_shows_a_newer_snapshot_file_and_keeps_the_picks(tmp_path):
    path = write_snapshot(snapshot_path(tmp_path, NAME), small_snapshot())
    page = DashboardPage(small_snapshot(), source=path)
    page.explorer.group_picker.value = "North"
    assert page.refresh() is False  # the file has not changed
    newer = small_snapshot(token="1:9:9")
    newer["summary"] = newer["summary"].replace("Overall rating", "Overall rating (newer)")
    write_snapshot(path, newer)
    assert page.refresh() is True
    assert "Overall rating (newer)" in page.summary.value
    assert page.explorer.group == "North"
    path.write_text("{ damaged", encoding="utf-8")
    assert page.refresh() is False and "(newer)" in page.summary.value  # the page stays


def test_in_a_kernel_the_page_follows_its_file_by_itself(tmp_path):
    path = write_snapshot(snapshot_path(tmp_path, NAME), small_snapshot())

    async def visit():
        page = DashboardPage(small_snapshot(), source=path, every=0.05)
        newer = small_snapshot(token="1:9:9")
        newer["annex"] = newer["annex"].replace("</table>", "</table><p>newer</p>")
        write_snapshot(path, newer)
        for _ in range(100):
            await asyncio.sleep(0.05)
            if "newer" in page.annex.value:
                return True
        return False

    assert asyncio.run(visit())


def test_a_visit_with_a_snapshot_imports_neither_pandas_nor_altair_nor_the_store(tmp_path):
    env = {**os.environ, "WORKBOOK_HOME": str(tmp_path), "WORKBOOK_INSPECTION": NAME}
    env["WORKBOOK_SUPPRESSION"] = "5"
    store = f"sqlite:///{tmp_path / 'workbook.db'}"  # the default store: never opened here
    write_snapshot(snapshot_path(tmp_path / "snapshots", NAME, store), small_snapshot())
    code = (
        "import sys\n"
        "from workbook.app.dashboard import open_dashboard\n"
        "page = open_dashboard()\n"
        "heavy = [m for m in ('pandas', 'numpy', 'altair', 'sqlalchemy', 'vl_convert', 'yaml')"
        " if m in sys.modules]\n"
        "print(type(page).__name__, ','.join(heavy) or '-', page.explorer.group)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["DashboardPage", "-", "All", "LDUs"]


def test_the_page_sends_no_case_id_and_no_name():
    from tests.app.test_dashboard import _cases

    page = DashboardPage(small_snapshot())
    out = []

    def walk(w):
        out.append(json.dumps(w.get_state(), default=str))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(page)
    state = "\n".join(out)
    assert "fewer than 5 cases" in state and "Overall rating" in state
    for case_id in _cases()["case_id"]:
        assert case_id not in state
    assert "Inspector North" not in state


def test_a_problem_is_the_one_error_box_with_every_line_escaped():
    problem = DashboardProblem("Cannot show <this>", ["a & b", "c"])
    assert isinstance(problem, widgets.VBox)
    html = problem.message.value
    assert '<div role="alert" class="wb-problem wb-error-summary">' in html
    assert "<strong>Cannot show &lt;this&gt;</strong>" in html
    assert "<li>a &amp; b</li><li>c</li>" in html
